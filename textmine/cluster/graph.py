"""k-nearest-neighbour graphs of unit vectors, built as a step of its own (ALGORITHMS.md §5).

Su's recipe: for each item scan its ``k`` nearest neighbours by cosine, best first, and link
i -> j while the cosine stays at or above ``min_sim``; the scan stops at the first neighbour
below. Exact search is blocked float32 matrix products (memory ``block`` x n floats at a time);
for large inputs an inverted-file search probes only the ``probes`` nearest of ~sqrt(n) k-means
cells. Items that end with no link are reported: InfoMap puts each in a module of its own.
"""

from __future__ import annotations

import json
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from textmine.atomic import atomic_dir_file
from textmine.cluster._topk import top_k_above
from textmine.errors import InputError

__all__ = ["GRAPH_FORMAT", "KnnGraph", "knn_graph", "WEIGHTS"]

WEIGHTS = ("cosine", "shifted", "rank")
GRAPH_FORMAT = 1  # version of the graph.npz layout written by KnnGraph.save


@dataclass
class KnnGraph:
    """Directed links (sources[i] -> targets[i], weights[i]) over ``n`` items.

    ``params`` records how it was built (k, min_sim, mutual, weight, approximate) and ``names``
    which items it links, when known, so that a saved graph is reused only on the same items.
    """

    n: int
    sources: np.ndarray
    targets: np.ndarray
    weights: np.ndarray
    params: dict = field(default_factory=dict)
    names: list[str] | None = None

    def save(self, path: str | os.PathLike) -> Path:
        """Write the graph as one .npz (the link arrays, the item names, and a JSON config with
        the format version and build parameters), atomically; no pickled objects."""
        path = Path(path)
        config = {"format": "textmine.cluster.graph", "format_version": GRAPH_FORMAT, "n": self.n,
                  "params": self.params}
        arrays = {"sources": self.sources, "targets": self.targets, "weights": self.weights,
                  "config": np.array(json.dumps(config, sort_keys=True))}
        if self.names is not None:
            arrays["names"] = np.array(self.names, dtype=str)
        with atomic_dir_file(path) as tmp:
            np.savez(tmp, **arrays)
        return path

    @classmethod
    def load(cls, path: str | os.PathLike) -> "KnnGraph":
        """A graph written by :meth:`save`; InputError names a missing, foreign or damaged file."""
        path = Path(path)
        if not path.is_file():
            raise InputError(f"graph file {path} does not exist")
        try:
            with np.load(path, allow_pickle=False) as data:
                config = json.loads(str(data["config"]))
                arrays = {k: data[k] for k in ("sources", "targets", "weights")}
                names = data["names"].tolist() if "names" in data else None
        except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
            raise InputError(f"{path} is not a graph saved by textmine (graph.npz): {exc}") from exc
        if config.get("format_version") != GRAPH_FORMAT:
            raise InputError(f"{path}: graph format version {config.get('format_version')!r}; "
                             f"this textmine reads {GRAPH_FORMAT}")
        n = int(config["n"])
        if not len(arrays["sources"]) == len(arrays["targets"]) == len(arrays["weights"]) or (
                len(arrays["sources"]) and max(arrays["sources"].max(), arrays["targets"].max()) >= n):
            raise InputError(f"{path}: link arrays of unequal length or naming items beyond n={n}")
        return cls(n, arrays["sources"], arrays["targets"], arrays["weights"], config.get("params", {}), names)

    @property
    def isolated(self) -> np.ndarray:
        """Items with no link in or out."""
        linked = np.zeros(self.n, dtype=bool)
        linked[self.sources] = True
        linked[self.targets] = True
        return np.flatnonzero(~linked)

    def report(self, names: list[str] | None = None, examples: int = 10) -> dict:
        isolated = self.isolated
        return {"items": self.n, "links": int(len(self.sources)),
                "mean_out_degree": round(len(self.sources) / max(self.n, 1), 2),
                "isolated": int(len(isolated)),
                "isolated_examples": [names[i] if names else int(i) for i in isolated[:examples]]}


def _top_k_exact(vectors: np.ndarray, k: int, block: int, min_sim: float) -> tuple[np.ndarray, np.ndarray]:
    n = len(vectors)
    neighbours = np.empty((n, k), dtype=np.int64)
    similarity = np.empty((n, k), dtype=np.float32)
    buffer = np.empty((min(block, n), n), dtype=np.float32)  # reused: no fresh pages per block
    for start in range(0, n, block):
        sims = np.matmul(vectors[start:start + block], vectors.T, out=buffer[:min(block, n - start)])
        rows = np.arange(sims.shape[0])
        sims[rows, start + rows] = -np.inf  # never your own neighbour
        neighbours[start:start + block], similarity[start:start + block] = top_k_above(sims, k, min_sim)
    return neighbours, similarity


def _top_k_ivf(vectors: np.ndarray, k: int, block: int, probes: int, seed: int, min_sim: float):
    """Approximate top-k: search each item's ``probes`` nearest k-means cells only."""
    from sklearn.cluster import MiniBatchKMeans

    n = len(vectors)
    cells = max(int(np.sqrt(n)), 1)
    km = MiniBatchKMeans(n_clusters=cells, random_state=seed, n_init=1, batch_size=4096).fit(vectors)
    centroids = km.cluster_centers_.astype(np.float32)
    assignment = km.labels_
    members = [np.flatnonzero(assignment == c) for c in range(cells)]
    nearest_cells = np.argsort(-(centroids @ centroids.T), axis=1)[:, :probes]
    neighbours = np.full((n, k), -1, dtype=np.int64)
    similarity = np.full((n, k), -np.inf, dtype=np.float32)
    for cell in range(cells):
        queries = members[cell]
        if not len(queries):
            continue
        pool = np.concatenate([members[c] for c in nearest_cells[cell]])
        for start in range(0, len(queries), block):
            q = queries[start:start + block]
            sims = vectors[q] @ vectors[pool].T
            sims[pool[None, :] == q[:, None]] = -np.inf
            found, found_sims = top_k_above(sims, k, np.float32(min_sim))
            neighbours[q] = np.where(found >= 0, pool[np.maximum(found, 0)], -1)
            similarity[q] = found_sims
    return neighbours, similarity


def knn_graph(vectors: np.ndarray, *, k: int = 50, min_sim: float = 0.6, mutual: bool = False,
              weight: str = "cosine", approximate: bool = False, probes: int = 8, block: int = 2048,
              seed: int = 0) -> KnnGraph:
    """The directed kNN graph of unit-length rows of ``vectors`` (see the module docstring).

    mutual : keep i -> j only when j -> i is kept too (a sparser, cleaner graph).
    weight : "cosine" (Su), "shifted" (cosine - min_sim + 0.01, so the weakest kept link
        counts little), or "rank" (1 / neighbour rank).
    """
    n = len(vectors)
    if not 1 <= k:
        raise InputError(f"k must be a positive number of neighbours, got {k}")
    if n < 2:
        raise InputError(f"need at least 2 items to link, got {n}")
    if not -1.0 <= min_sim <= 1.0:
        raise InputError(f"min_sim is a cosine and must lie in [-1, 1], got {min_sim}")
    if weight not in WEIGHTS:
        raise InputError(f"unknown weight {weight!r}; expected one of {', '.join(WEIGHTS)}")
    k = min(k, n - 1)
    if approximate:
        neighbours, similarity = _top_k_ivf(vectors, k, block, probes, seed, min_sim)
    else:
        neighbours, similarity = _top_k_exact(vectors, k, block, np.float32(min_sim))
    # best-first scan that stops at the first neighbour below min_sim: a prefix of each row
    keep = np.cumprod(similarity >= min_sim, axis=1).astype(bool) & (neighbours >= 0)
    rows, ranks = np.nonzero(keep)
    sources, targets, sims = rows, neighbours[rows, ranks], similarity[rows, ranks]
    if mutual:
        forward = sources * n + targets
        backward = targets * n + sources
        both = np.isin(forward, backward)
        sources, targets, sims, ranks = sources[both], targets[both], sims[both], ranks[both]
    if weight == "cosine":
        weights = sims
    elif weight == "shifted":
        weights = sims - min_sim + 0.01
    else:
        weights = 1.0 / (ranks + 1)
    params = {"k": k, "min_sim": min_sim, "mutual": mutual, "weight": weight, "approximate": approximate}
    return KnnGraph(n, sources.astype(np.int64), targets.astype(np.int64), weights.astype(np.float64), params)
