import json

import numpy as np
import pytest

from textmine.cli import main
from textmine.cluster import InfomapClusterer, KnnGraph, as_items, knn_graph
from textmine.errors import InputError


def blobs(n_per=30, centres=5, dim=12, seed=0):
    rng = np.random.default_rng(seed)
    means = rng.normal(size=(centres, dim))
    vectors = means[np.repeat(np.arange(centres), n_per)] + 0.25 * rng.normal(size=(centres * n_per, dim))
    return [f"w{i}" for i in range(len(vectors))], vectors.astype(np.float32)


def test_saved_graph_round_trips_and_clusters_like_a_fresh_one(tmp_path):
    names, vectors = blobs()
    fresh = InfomapClusterer(k=10, min_sim=0.5, trials=2, seed=4).fit((names, vectors))
    path = fresh.graph_.save(tmp_path / "graph.npz")
    graph = KnnGraph.load(path)
    for field in ("sources", "targets", "weights"):
        np.testing.assert_array_equal(getattr(graph, field), getattr(fresh.graph_, field))
    assert graph.names == names and graph.params["k"] == 10 and graph.params["min_sim"] == 0.5
    reused = InfomapClusterer(trials=2, seed=4).fit((names, vectors), graph=graph)   # k, min_sim unused
    np.testing.assert_array_equal(reused.labels_, fresh.labels_)
    coarser = InfomapClusterer(markov_time=3.0, seed=4).fit((names, vectors), graph=graph)
    assert coarser.labels_.max() <= fresh.labels_.max()


def test_a_graph_of_other_items_or_a_broken_file_is_refused(tmp_path):
    names, vectors = blobs()
    graph = knn_graph(as_items(names, vectors).vectors, k=5)
    with pytest.raises(InputError, match="links 150 items, not these 149"):
        InfomapClusterer().fit((names[:-1], vectors[:-1]), graph=graph)
    named = InfomapClusterer(k=5).fit((names, vectors)).graph_
    with pytest.raises(InputError, match="other vectors"):
        InfomapClusterer().fit(([f"x{i}" for i in range(len(names))], vectors), graph=named)
    with pytest.raises(InputError, match="does not exist"):
        KnnGraph.load(tmp_path / "none.npz")
    (tmp_path / "bad.npz").write_bytes(b"not a zip")
    with pytest.raises(InputError, match="not a graph saved by textmine"):
        KnnGraph.load(tmp_path / "bad.npz")


def test_cluster_command_reuses_its_graph_with_other_infomap_settings(tmp_path, capsys):
    from textmine.embed import save_vectors, to_keyed_vectors

    names, vectors = blobs()
    vec = save_vectors(to_keyed_vectors(names, vectors), tmp_path / "v.vec")
    assert main(["cluster", str(vec), "-o", str(tmp_path / "a"), "--k", "10", "--min-sim", "0.5", "-q"]) == 0
    assert (tmp_path / "a" / "graph.npz").is_file()
    assert main(["cluster", str(vec), "-o", str(tmp_path / "b"), "--graph", str(tmp_path / "a" / "graph.npz"),
                 "--trials", "2", "-q"]) == 0
    first = (tmp_path / "a" / "clusters.tsv").read_text(encoding="utf-8")
    assert (tmp_path / "b" / "clusters.tsv").read_text(encoding="utf-8").count("\n") == first.count("\n")
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["params"]["graph"].endswith("graph.npz") and manifest["outputs"]["graph"] == "graph.npz"
    capsys.readouterr()
    assert main(["cluster", str(vec), "-o", str(tmp_path / "c"), "--top-words", "40",
                 "--graph", str(tmp_path / "a" / "graph.npz"), "-q"]) == 2
    assert "pass the same --top-words" in capsys.readouterr().err
