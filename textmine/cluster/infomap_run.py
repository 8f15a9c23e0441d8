"""InfoMap on a kNN graph through the ``infomap`` package's array API (docs/algorithms/cluster.md).

``infomap`` is GPL-3 and an optional extra (``pip install "textmine[cluster]"``); it is imported
only here, when clustering runs. Links go in as one (source, target, weight) array
(``add_links``): a Python loop of ``add_link`` costs more than the clustering itself.
"""

from __future__ import annotations

import os

from dataclasses import dataclass

import numpy as np

from textmine.cluster.graph import KnnGraph
from textmine.errors import InputError, require

__all__ = ["Partition", "run_infomap"]


@dataclass
class Partition:
    """InfoMap's answer: per item its top module, its full module path and its flow."""

    modules: np.ndarray         # top-level module id per item, 0..M-1 ordered by module flow
    paths: list[tuple[int, ...]]  # module path per item (multi-level; last entry is the leaf rank)
    flow: np.ndarray            # stationary flow of each item
    codelength: float
    one_level_codelength: float

    @property
    def n_modules(self) -> int:
        return int(self.modules.max()) + 1 if len(self.modules) else 0


def run_infomap(graph: KnnGraph, *, trials: int = 5, seed: int = 0, two_level: bool = True,
                directed: bool = True, markov_time: float = 1.0) -> Partition:
    """Cluster the graph's items; isolated items become modules of their own."""
    if trials < 1:
        raise InputError(f"trials must be at least 1, got {trials}")
    if markov_time <= 0:
        raise InputError(f"markov_time must be positive, got {markov_time}")
    # infomap's OpenMP threads otherwise spin after a run and starve torch in the same process
    # (a pipeline that clusters and then trains: 40x slower training measured); read at its import
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    infomap = require("infomap", '"textmine[cluster]"  (or: pip install infomap)')
    im = infomap.Infomap(two_level=two_level, directed=directed, num_trials=trials, seed=seed + 1,
                         markov_time=markov_time, silent=True)
    im.add_nodes(range(graph.n))
    if len(graph.sources):
        im.add_links(np.column_stack([graph.sources, graph.targets, graph.weights]))
    result = im.run()
    paths: list[tuple[int, ...]] = [()] * graph.n
    flow = np.zeros(graph.n)
    for node in result.tree(states=False):
        if node.is_leaf:
            paths[node.node_id] = tuple(node.path)
            flow[node.node_id] = node.flow
    top = np.array([p[0] if p else 0 for p in paths])
    # renumber top modules 0..M-1 by decreasing total flow, so module 0 is the largest
    module_ids, inverse = np.unique(top, return_inverse=True)
    module_flow = np.bincount(inverse, weights=flow)
    rank = np.empty(len(module_ids), dtype=np.int64)
    rank[np.argsort(-module_flow, kind="stable")] = np.arange(len(module_ids))
    return Partition(rank[inverse], paths, flow, float(result.codelength), float(result.one_level_codelength))
