import sys

import numpy as np
import pytest

from textmine.cli import main
from textmine.cluster import InfomapClusterer, KnnGraph, as_items, knn_graph
from textmine.cluster.graph import choose_backend, top_k_neighbours
from textmine.errors import InputError, MissingDependencyError

pytest.importorskip("faiss")


def clustered(n=3000, centres=30, dim=32, seed=0):
    """Unit vectors around ``centres`` random directions, of unequal spread."""
    rng = np.random.default_rng(seed)
    means = rng.normal(size=(centres, dim))
    labels = rng.integers(0, centres, n)
    spread = rng.uniform(0.1, 0.3, centres)[labels, None]
    return as_items([f"w{i}" for i in range(n)], means[labels] + spread * rng.normal(size=(n, dim))).vectors


def links(graph):
    return list(zip(graph.sources.tolist(), graph.targets.tolist()))


def test_faiss_exact_links_what_our_exact_search_links():
    vectors = clustered(n=800)
    ours = knn_graph(vectors, k=10, min_sim=0.5, backend="exact")
    theirs = knn_graph(vectors, k=10, min_sim=0.5, backend="faiss-exact", workers=1)
    assert links(theirs) == links(ours) and len(ours.sources) > 0
    np.testing.assert_allclose(theirs.weights, ours.weights, atol=1e-5)
    assert theirs.params["backend"] == "faiss-exact" and ours.params["backend"] == "exact"


@pytest.mark.parametrize("backend", ["faiss-ivf", "faiss-hnsw"])
def test_approximate_recall_at_10(backend):
    vectors = clustered()
    exact, _ = top_k_neighbours(vectors, 10, "exact")
    found, sims = top_k_neighbours(vectors, 10, backend, workers=2)
    recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(exact, found)])
    assert recall >= 0.95
    assert np.all(found != np.arange(len(vectors))[:, None])          # never its own neighbour
    assert np.all(np.diff(sims, axis=1) <= 1e-6)                      # best first


@pytest.mark.parametrize("n, k, probes", [(2000, 10, 2), (120, 60, 1)])  # 120 rows: 3 cells of ~40, fewer than k
def test_faiss_ivf_searched_list_by_list_finds_what_index_search_finds(n, k, probes):
    import faiss

    from textmine.cluster.faiss_knn import _index, _search_list_by_list

    vectors = clustered(n=n).astype(np.float32)
    index = _index(faiss, vectors, "faiss-ivf", probes, 0, k)
    sims, ids = _search_list_by_list(faiss, index, vectors, k)
    want_sims, want_ids = index.search(vectors, k)
    np.testing.assert_allclose(sims, want_sims, atol=1e-5)
    found = ids >= 0
    assert np.array_equal(found, want_ids >= 0) and found.all() == (k < 40)
    assert all(set(a[a >= 0]) == set(b[b >= 0]) for a, b in zip(ids, want_ids))


def test_faiss_ivf_is_deterministic_under_a_seed_and_records_its_settings():
    vectors = clustered(n=2000)
    first = knn_graph(vectors, k=10, min_sim=0.3, backend="faiss-ivf", seed=3, workers=2)
    again = knn_graph(vectors, k=10, min_sim=0.3, backend="faiss-ivf", seed=3, workers=2)
    assert links(first) == links(again)
    assert first.params == {"k": 10, "min_sim": 0.3, "mutual": False, "weight": "cosine", "backend": "faiss-ivf",
                            "cells": 51, "probes": 16, "seed": 3}


def test_auto_picks_by_size_and_the_backend_travels_with_the_saved_graph(tmp_path):
    assert choose_backend("auto", 1000) == "exact"
    assert choose_backend("auto", 10**6) == "faiss-ivf"
    vectors = clustered(n=300)
    graph = InfomapClusterer(k=5, knn_backend="faiss-hnsw", trials=1).fit(([str(i) for i in range(300)], vectors)).graph_
    assert KnnGraph.load(graph.save(tmp_path / "graph.npz")).params["backend"] == "faiss-hnsw"


def test_a_stage_rerun_with_another_backend_builds_its_graph_again(tmp_path, capsys):
    from textmine.embed import save_vectors, to_keyed_vectors

    vectors = clustered(n=300)
    vec = save_vectors(to_keyed_vectors([f"w{i}" for i in range(300)], vectors), tmp_path / "v.vec")
    out = tmp_path / "c"
    command = ["cluster", str(vec), "-o", str(out), "--k", "5", "--trials", "1", "--workers", "1", "-q"]
    assert main(command + ["--knn-backend", "exact"]) == 0
    assert KnnGraph.load(out / "graph.npz").params["backend"] == "exact"
    capsys.readouterr()
    assert main(command + ["--knn-backend", "exact"]) == 0
    assert "up to date" in capsys.readouterr().out
    assert main(command + ["--knn-backend", "faiss-exact"]) == 0
    assert "up to date" not in capsys.readouterr().out
    assert KnnGraph.load(out / "graph.npz").params["backend"] == "faiss-exact"


def test_missing_faiss_names_the_extra_and_auto_falls_back(monkeypatch):
    monkeypatch.setitem(sys.modules, "faiss", None)   # what `import faiss` meets when it is not installed
    vectors = clustered(n=200)
    with pytest.raises(MissingDependencyError, match=r"pip install \"textmine\[faiss\]\""):
        knn_graph(vectors, k=5, backend="faiss-ivf")
    assert choose_backend("auto", 10**6) == "exact"


@pytest.mark.parametrize("options, message", [
    ({"backend": "annoy"}, "unknown kNN backend 'annoy'"),
    ({"backend": "ivf"}, r"unknown kNN backend 'ivf' \(our own ivf was replaced by faiss-ivf\)"),
    ({"backend": "faiss-ivf", "probes": 0}, "probes must be a positive"),
    ({"workers": 0}, "workers must be a positive"),
    ({"workers": 1.5}, "workers must be a positive"),
])
def test_bad_search_parameters_are_input_errors(options, message):
    with pytest.raises(InputError, match=message):
        knn_graph(clustered(n=50), k=5, **options)


def test_cli_refuses_an_unknown_backend(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["cluster", str(tmp_path / "v.vec"), "-o", str(tmp_path / "c"), "--knn-backend", "annoy"])
    assert "invalid choice: 'annoy'" in capsys.readouterr().err
