"""InfoMap clustering of vectors: the kNN graph step plus InfoMap, as one estimator."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from textmine.cluster.graph import KnnGraph, knn_graph
from textmine.cluster.infomap_run import run_infomap
from textmine.cluster.vectors import Items, as_items
from textmine.errors import InputError, NotFittedError

__all__ = ["InfomapClusterer"]


class InfomapClusterer:
    """Cluster items (words or documents) by InfoMap on their kNN graph.

    Parameters
    ----------
    k : int
        Neighbours scanned per item (:func:`textmine.cluster.graph.knn_graph`).
    min_sim : float
        Least cosine of a link.
    mutual : bool
        Keep only links that go both ways.
    weight : {"cosine", "shifted", "rank"}
        Link weight.
    knn_backend : {"auto", "exact", "faiss-exact", "faiss-ivf", "faiss-hnsw"}
        Neighbour search; faiss-* need ``pip install "textmine[faiss]"``; auto: exact on small sets,
        faiss-ivf on large ones when installed.
    workers : int or None
        CPU threads of the neighbour search (unset: every core).
    trials : int
        InfoMap trials (:func:`textmine.cluster.infomap_run.run_infomap`); the best is kept.
    seed : int
    two_level : bool
        Two-level modules (else a hierarchy).
    markov_time : float
        Above 1 gives fewer, larger modules, below 1 more, smaller ones.

    After ``fit``: ``items_`` (names and unit vectors used), ``graph_`` (the kNN graph, which
    ``graph_.save(path)`` keeps for another fit), ``labels_`` (top module per item, 0 = the module
    with most flow), ``paths_`` (multi-level module paths), ``flow_``, ``codelength_`` and
    ``graph_report_`` (links, isolated items, dropped rows).
    """

    def __init__(self, *, k: int = 50, min_sim: float = 0.6, mutual: bool = False, weight: str = "cosine",
                 knn_backend: str = "auto", workers: int | None = None, trials: int = 5, seed: int = 0,
                 two_level: bool = True, markov_time: float = 1.0):
        self.k = k
        self.min_sim = min_sim
        self.mutual = mutual
        self.weight = weight
        self.knn_backend = knn_backend
        self.workers = workers
        self.trials = trials
        self.seed = seed
        self.two_level = two_level
        self.markov_time = markov_time

    def fit(self, items, graph: KnnGraph | None = None) -> "InfomapClusterer":
        """Cluster ``items``: Items, a (names, array) pair, or gensim KeyedVectors (``model.wv``).

        ``graph``: a kNN graph built before on the same items (``KnnGraph.load``) to run InfoMap
        with other settings without searching neighbours again; the graph parameters of this
        clusterer are then unused (the graph's own are in ``graph_.params``).
        """
        if hasattr(items, "index_to_key") and hasattr(items, "vectors"):
            items = as_items(items.index_to_key, items.vectors)
        elif not isinstance(items, Items):
            items = as_items(*items)
        if graph is None:
            graph = replace(knn_graph(items.vectors, k=self.k, min_sim=self.min_sim, mutual=self.mutual,
                                      weight=self.weight, backend=self.knn_backend, seed=self.seed,
                                      workers=self.workers),
                            names=items.names)
        elif graph.n != len(items) or (graph.names is not None and graph.names != items.names):
            raise InputError(_graph_mismatch(graph, items))
        partition = run_infomap(graph, trials=self.trials, seed=self.seed, two_level=self.two_level,
                                markov_time=self.markov_time)
        self.items_, self.graph_ = items, graph
        self.labels_ = partition.modules
        self.paths_ = partition.paths
        self.flow_ = partition.flow
        self.codelength_ = partition.codelength
        self.one_level_codelength_ = partition.one_level_codelength
        self.graph_report_ = {**graph.report(items.names),
                              "dropped": {k: len(v) for k, v in items.dropped.items()},
                              "dropped_examples": {k: v[:10] for k, v in items.dropped.items()}}
        return self

    def fit_predict(self, items) -> np.ndarray:
        return self.fit(items).labels_

    def modules(self, top: int | None = None) -> list[list[str]]:
        """Members of each module, largest module first, members by decreasing flow."""
        if not hasattr(self, "labels_"):
            raise NotFittedError("this InfomapClusterer is not fitted yet: call fit(items) first")
        order = np.lexsort((-self.flow_, self.labels_))
        groups: list[list[str]] = [[] for _ in range(int(self.labels_.max()) + 1)]
        for i in order.tolist():
            groups[self.labels_[i]].append(self.items_.names[i])
        return groups[:top]


def _graph_mismatch(graph: KnnGraph, items: Items) -> str:
    """Why ``graph`` does not fit ``items``, and the fix: most often another ``top_words``."""
    head = f"the graph links {graph.n} items, not these {len(items)}"
    if graph.n == len(items):
        head = f"the graph links {graph.n} other items than these {len(items)}"
    built = graph.params.get("top_words", "unknown")
    if graph.names is not None and graph.n < len(items) and graph.names == items.names[:graph.n]:
        top = int(items.rows[graph.n - 1]) + 1 if items.rows is not None else graph.n
        return (f"{head}: it was built on the first {top} of them; pass --top-words {top} (top_words={top}) "
                "to reuse it, or leave out --graph to build one on these")
    if graph.names is not None and graph.n > len(items) and items.names == graph.names[:len(items)]:
        asked = f"--top-words {built}" if built not in ("unknown", None) else \
            "no --top-words (every vector)" if built is None else "a larger --top-words"
        return (f"{head}: it was built on more of them, with {asked}; pass the same --top-words (top_words) "
                "to reuse it, or leave out --graph to build one on these")
    return f"{head}: it was built on other vectors; leave out --graph to build one on these"
