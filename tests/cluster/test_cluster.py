import json

import numpy as np
import pytest

from textmine.cli import main
from textmine.cluster import (InfomapClusterer, agreement, as_items, kmeans_baseline, knn_graph, load_items,
                              stability)
from textmine.cluster.graph import graph_from_neighbours, top_k_neighbours
from textmine.cluster.report import write_outputs
from textmine.errors import InputError
from textmine.words import content_words


def blobs(n_per=40, centres=6, dim=20, noise=0.25, seed=0):
    rng = np.random.default_rng(seed)
    means = rng.normal(size=(centres, dim))
    labels = np.repeat(np.arange(centres), n_per)
    vectors = means[labels] + noise * rng.normal(size=(len(labels), dim))
    return [f"w{i}" for i in range(len(labels))], vectors.astype(np.float32), labels


def test_exact_graph_matches_brute_force_and_stops_at_threshold():
    names, vectors, _ = blobs()
    items = as_items(names, vectors)
    graph = knn_graph(items.vectors, k=5, min_sim=0.5)
    sims = items.vectors @ items.vectors.T
    np.fill_diagonal(sims, -np.inf)
    for i in range(0, len(names), 37):
        expected = [j for j in np.argsort(-sims[i])[:5] if sims[i, j] >= 0.5]
        got = graph.targets[graph.sources == i]
        assert list(got) == expected
    assert np.all(graph.weights >= 0.5)


def test_mutual_graph_is_symmetric_and_weights_transform():
    _, vectors, _ = blobs()
    items = as_items([str(i) for i in range(len(vectors))], vectors)
    graph = knn_graph(items.vectors, k=5, min_sim=0.0, mutual=True)
    pairs = set(zip(graph.sources.tolist(), graph.targets.tolist()))
    assert all((t, s) in pairs for s, t in pairs)
    ranked = knn_graph(items.vectors, k=3, min_sim=-1.0, weight="rank")
    assert set(np.round(ranked.weights, 4)) == {1.0, 0.5, 0.3333}


def test_neighbours_found_once_make_graphs_of_any_threshold():
    _, vectors, _ = blobs()
    items = as_items([str(i) for i in range(len(vectors))], vectors)
    ids, sims = top_k_neighbours(items.vectors, 8, "exact")
    for min_sim, mutual in ((0.5, False), (0.2, True)):
        direct = knn_graph(items.vectors, k=8, min_sim=min_sim, mutual=mutual, backend="exact")
        reused = graph_from_neighbours(ids, sims, min_sim=min_sim, mutual=mutual, params=direct.params)
        assert np.array_equal(reused.sources, direct.sources) and np.array_equal(reused.targets, direct.targets)
        np.testing.assert_array_equal(reused.weights, direct.weights)
    median = float(np.median(sims))
    assert len(graph_from_neighbours(ids, sims, min_sim=-1.0).sources) == ids.size > len(
        graph_from_neighbours(ids, sims, min_sim=median).sources) > 0


def test_isolated_items_are_reported():
    _, vectors, _ = blobs()
    outlier = -vectors.mean(axis=0, keepdims=True)
    items = as_items([f"w{i}" for i in range(len(vectors) + 1)], np.vstack([vectors, outlier]))
    report = knn_graph(items.vectors, k=5, min_sim=0.9).report(items.names)
    assert report["isolated"] >= 1 and f"w{len(vectors)}" in report["isolated_examples"]


def test_infomap_recovers_blobs_deterministically():
    names, vectors, labels = blobs()
    first = InfomapClusterer(k=10, min_sim=0.5, trials=3, seed=7).fit((names, vectors))
    second = InfomapClusterer(k=10, min_sim=0.5, trials=3, seed=7).fit((names, vectors))
    assert np.array_equal(first.labels_, second.labels_)
    assert agreement(labels, first.labels_)["ami"] > 0.95
    runs = [InfomapClusterer(k=10, min_sim=0.5, seed=s).fit_predict((names, vectors)) for s in range(3)]
    assert stability(runs)["min_ami"] > 0.9
    km = kmeans_baseline(as_items(names, vectors).vectors, int(first.labels_.max()) + 1)
    assert agreement(labels, km)["nmi"] > 0.5
    assert first.modules()[0][0] in names


def test_multi_level_paths():
    names, vectors, _ = blobs(n_per=30, centres=12)
    clusterer = InfomapClusterer(k=10, min_sim=0.3, two_level=False, seed=1).fit((names, vectors))
    assert all(len(p) >= 2 for p in clusterer.paths_)


def test_bad_vectors_are_reported_or_refused(tmp_path):
    names, vectors, _ = blobs()
    vectors[0] = np.nan
    vectors[1] = 0.0
    names[3] = names[2]
    items = as_items(names, vectors)
    assert items.dropped == {"non-finite": ["w0"], "zero": ["w1"], "duplicate": ["w2"]}
    assert len(items) == len(names) - 3
    with pytest.raises(InputError, match="fewer than 2 usable"):
        as_items(["a", "b"], np.array([[0.0, 0.0], [np.nan, 1.0]]))
    graph = knn_graph(as_items(["a", "b", "c"], np.eye(3)[:, :2] + 0.1).vectors, k=50, min_sim=-1)
    assert graph.report()["links"] == 6  # k larger than the items: every other item
    with pytest.raises(InputError, match="min_sim"):
        knn_graph(items.vectors, min_sim=2)


def test_vector_files_from_gensim_and_outputs(tmp_path):
    from gensim.models import KeyedVectors

    names, vectors, _ = blobs()
    kv = KeyedVectors(vector_size=vectors.shape[1])
    kv.add_vectors(names, vectors)
    kv.save_word2vec_format(str(tmp_path / "w.txt"))
    kv.save_word2vec_format(str(tmp_path / "w.bin"), binary=True)
    text, binary = load_items(tmp_path / "w.txt"), load_items(tmp_path / "w.bin")
    assert text.names == binary.names == names
    assert np.allclose(text.vectors, binary.vectors, atol=1e-6)
    (tmp_path / "bad.txt").write_text("3 2\na 1 2\nb 1\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 3"):
        load_items(tmp_path / "bad.txt")
    clusterer = InfomapClusterer(k=10, min_sim=0.5).fit(text)
    outputs = write_outputs(clusterer, tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(outputs.values())
    rows = (tmp_path / "out" / "clusters.tsv").read_text(encoding="utf-8").splitlines()
    assert rows[0] == "item\tmodule\tflow_rank\tflow\tpath" and len(rows) == len(names) + 1
    hierarchy = json.loads((tmp_path / "out" / "hierarchy.json").read_text(encoding="utf-8"))
    assert hierarchy["graph"]["items"] == len(names) and hierarchy["modules"]["children"]
    assert "w0" in (tmp_path / "out" / "clusters.html").read_text(encoding="utf-8")
    assert (tmp_path / "out" / "clusters.png").read_bytes()[:4] == b"\x89PNG"


def test_only_the_content_words_of_a_terms_file_are_clustered(tmp_path):
    terms = tmp_path / "terms.tsv"
    terms.write_text("term\tkept\tdemoted\n玄德\tTrue\t\n次日\tFalse\tkeyness\n如何\tFalse\tfunction_pos\n"
                     "可以\tFalse\tkeyness,function_usage\n", encoding="utf-8")
    assert content_words(terms) == {"玄德", "次日"}
    names, vectors, _ = blobs()
    items = as_items(names, vectors, top=50, only=set(names[::2]))
    assert items.names == names[::2][:50] and np.allclose(np.linalg.norm(items.vectors, axis=1), 1)
    (tmp_path / "other.tsv").write_text("word\tfreq\n玄德\t3\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a terms.tsv"):
        content_words(tmp_path / "other.tsv")


def test_cli_cluster(tmp_path, capsys):
    from gensim.models import KeyedVectors

    names, vectors, _ = blobs()
    kv = KeyedVectors(vector_size=vectors.shape[1])
    kv.add_vectors(names, vectors)
    kv.save_word2vec_format(str(tmp_path / "w.vec"))
    assert main(["cluster", str(tmp_path / "w.vec"), "-o", str(tmp_path / "out"), "--k", "10",
                 "--min-sim", "0.5", "--quiet"]) == 0
    assert "module 0" in capsys.readouterr().out
    assert json.loads((tmp_path / "out" / "manifest.json").read_text())["stage"] == "cluster"
    assert main(["cluster", str(tmp_path / "none.vec"), "-o", str(tmp_path / "o2"), "--quiet"]) == 2
    assert "does not exist" in capsys.readouterr().err and not (tmp_path / "o2").exists()


def test_fit_accepts_keyed_vectors():
    from textmine.embed import to_keyed_vectors

    names, vectors, _ = blobs()
    from_kv = InfomapClusterer(k=10, min_sim=0.5).fit(to_keyed_vectors(names, vectors))
    from_pair = InfomapClusterer(k=10, min_sim=0.5).fit((names, vectors))
    assert from_kv.items_.names == names and (from_kv.labels_ == from_pair.labels_).all()


def test_the_cluster_extra_brings_a_font_with_chinese_glyphs():
    from textmine.cluster.report import _cjk_font

    assert _cjk_font() is not None  # pip install ".[cluster]" installs Noto Sans CJK
