"""k-nearest-neighbour graphs of unit vectors, built as a step of its own (docs/algorithms/cluster.md).

Su's recipe: for each item scan its ``k`` nearest neighbours by cosine, best first, and link
i -> j while the cosine stays at or above ``min_sim``; the scan stops at the first neighbour
below. The neighbours come from one of several backends, and the link rule is the same whatever
found them:

- ``exact``: blocked float32 matrix products (memory ``block`` x n floats at a time);
- ``faiss-exact``, ``faiss-ivf``, ``faiss-hnsw``: FAISS (the extra ``textmine[faiss]``,
  :mod:`textmine.cluster.faiss_knn`);
- ``auto``: ``exact`` below :data:`AUTO_APPROXIMATE_FROM` items, ``faiss-ivf`` from there on
  when faiss is installed (scripts/bench_knn.py measured where each wins).

FAISS's inverted file replaced our own (``ivf``): it built the 1M-vector graph in the
same time and found 96% of the true neighbours of real word vectors where ours found 77%.

Items that end with no link are reported: InfoMap puts each in a module of its own.
"""

from __future__ import annotations

import json
import logging
import os
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from textmine.atomic import atomic_dir_file
from textmine.cluster._topk import top_k_above
from textmine.cores import cap_threads
from textmine.errors import InputError, MissingDependencyError

__all__ = ["AUTO_APPROXIMATE_FROM", "BACKENDS", "GRAPH_FORMAT", "KnnGraph", "choose_backend",
           "graph_from_neighbours", "knn_graph", "top_k_neighbours", "WEIGHTS"]

log = logging.getLogger(__name__)

WEIGHTS = ("cosine", "shifted", "rank")
BACKENDS = ("auto", "exact", "faiss-exact", "faiss-ivf", "faiss-hnsw")
# IVF cells searched by default: they find 96% of the 10 nearest on word vectors and 99.8% on 1M
# clustered ones (scripts/bench_knn.py).
PROBES = 16
# "auto" takes faiss-ivf from here: below, exact search costs seconds (3.6 s for 30k word vectors,
# k 50) and is exact; at 65k it took 13.2 s (faiss-ivf 3.7 s), growing with the square of the size.
AUTO_APPROXIMATE_FROM = 50_000
GRAPH_FORMAT = 1  # version of the graph.npz layout written by KnnGraph.save


@dataclass
class KnnGraph:
    """Directed links (sources[i] -> targets[i], weights[i]) over ``n`` items.

    ``params`` records how it was built (k, min_sim, mutual, weight, the backend and its
    search settings) and ``names``
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
            raise InputError(_not_a_graph(path))
        with open(path, "rb") as handle:
            if handle.read(4) != b"PK\x03\x04":  # an .npz is a zip archive
                raise InputError(_not_a_graph(path))
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


def _not_a_graph(path: Path) -> str:
    """What ``path`` is, since it is not a graph.npz, and what ``--graph`` takes instead."""
    wanted = "--graph takes the graph.npz an earlier `textmine cluster` run wrote"
    if not path.exists():
        return f"graph file {path} does not exist ({wanted})"
    if path.is_dir():
        inside = f"; give {path / 'graph.npz'}" if (path / "graph.npz").is_file() else ""
        return f"{path} is a folder, not a graph file: {wanted}{inside}"
    with open(path, "rb") as handle:
        header = handle.readline(200).split()
    if len(header) == 2 and all(x.isdigit() for x in header):
        return (f"{path} is a vector file (word2vec format), not a graph: {wanted}; "
                "give the vectors as the VECTORS argument")
    return f"{path} is not a graph saved by textmine (no .npz archive): {wanted}"


def _top_k_exact(vectors: np.ndarray, k: int, block: int, min_sim: float, rows: np.ndarray):
    n = len(vectors)
    neighbours = np.empty((len(rows), k), dtype=np.int64)
    similarity = np.empty((len(rows), k), dtype=np.float32)
    buffer = np.empty((min(block, len(rows)), n), dtype=np.float32)  # reused: no fresh pages per block
    for start in range(0, len(rows), block):
        queries = rows[start:start + block]
        sims = np.matmul(vectors[queries], vectors.T, out=buffer[:len(queries)])
        sims[np.arange(len(queries)), queries] = -np.inf  # never your own neighbour
        neighbours[start:start + block], similarity[start:start + block] = top_k_above(sims, k, min_sim)
    return neighbours, similarity


@contextmanager
def _threads(workers: int | None):
    """Run numba kernels, BLAS and OpenMP on ``workers`` threads (None: leave them as they are)."""
    if workers is None:
        yield
        return
    import numba
    from threadpoolctl import threadpool_limits

    before = numba.get_num_threads()
    numba.set_num_threads(min(workers, numba.config.NUMBA_NUM_THREADS))
    try:
        with threadpool_limits(workers):
            yield
    finally:
        numba.set_num_threads(before)


def choose_backend(backend: str, n: int) -> str:
    """The backend that ``backend`` means for ``n`` items: "auto" resolved, the others checked."""
    if backend not in BACKENDS:
        hint = " (our own ivf was replaced by faiss-ivf)" if backend == "ivf" else ""
        raise InputError(f"unknown kNN backend {backend!r}{hint}; expected one of {', '.join(BACKENDS)}")
    if backend != "auto":
        return backend
    if n < AUTO_APPROXIMATE_FROM:
        return "exact"
    from textmine.cluster.faiss_knn import import_faiss

    try:
        import_faiss()
    except MissingDependencyError:
        log.info("%d items: faiss-ivf would be faster; pip install \"textmine[faiss]\" to use it", n)
        return "exact"
    return "faiss-ivf"


def top_k_neighbours(vectors: np.ndarray, k: int, backend: str, *, min_sim: float = -1.0, probes: int | None = None,
                     block: int = 2048, seed: int = 0, workers: int | None = None,
                     rows: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` nearest other rows of each row (or of each of ``rows``) by cosine, best first, as
    (ids, cosines) arrays; -1 / -inf where fewer were found (the numba backends skip cosines below
    ``min_sim``). ``backend`` is one of BACKENDS but "auto" (see :func:`choose_backend`)."""
    rows = np.arange(len(vectors)) if rows is None else np.asarray(rows, dtype=np.int64)
    probes = PROBES if probes is None else probes
    with _threads(workers):
        if backend == "exact":
            return _top_k_exact(vectors, k, block, np.float32(min_sim), rows)
        from textmine.cluster.faiss_knn import faiss_top_k

        return faiss_top_k(vectors, k, backend, probes=probes, seed=seed, workers=workers, rows=rows)


def _search_params(backend: str, n: int, k: int, probes: int | None, seed: int) -> dict:
    """What, besides k, decides which neighbours ``backend`` finds: recorded in the graph."""
    from textmine.cluster import faiss_knn

    if backend == "faiss-ivf":
        return {"cells": faiss_knn.ivf_cells(n), "probes": PROBES if probes is None else probes, "seed": seed}
    if backend == "faiss-hnsw":
        return {"hnsw_m": faiss_knn.HNSW_M, "ef_construction": faiss_knn.HNSW_EF_CONSTRUCTION,
                "ef_search": faiss_knn.hnsw_ef(k)}
    return {}


def knn_graph(vectors: np.ndarray, *, k: int = 50, min_sim: float = 0.6, mutual: bool = False,
              weight: str = "cosine", backend: str = "auto", probes: int | None = None, block: int = 2048,
              seed: int = 0, workers: int | None = None) -> KnnGraph:
    """The directed kNN graph of unit-length rows of ``vectors`` (see the module docstring).

    mutual : keep i -> j only when j -> i is kept too (a sparser, cleaner graph).
    weight : "cosine" (Su), "shifted" (cosine - min_sim + 0.01, so the weakest kept link
        counts little), or "rank" (1 / neighbour rank).
    backend : where the neighbours come from (BACKENDS; the module docstring); the one used is
        ``params["backend"]``. probes : faiss-ivf's cells searched (default :data:`PROBES`).
    workers : CPU threads of the search (default: as the libraries are set, usually all cores).
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
    if probes is not None and not (isinstance(probes, (int, np.integer)) and probes >= 1):
        raise InputError(f"probes must be a positive number of cells, got {probes!r}")
    if workers is not None and not (isinstance(workers, (int, np.integer)) and workers >= 1):
        raise InputError(f"workers must be a positive number of threads (or unset for all cores), got {workers!r}")
    if workers is not None:
        workers = cap_threads(workers, "workers")
    backend = choose_backend(backend, n)
    if k >= n:
        log.warning("k %d is not below the number of items (%d): every other item is a neighbour to scan; "
                    "using k %d", k, n, n - 1)
        k = n - 1
    neighbours, similarity = top_k_neighbours(vectors, k, backend, min_sim=min_sim, probes=probes, block=block,
                                              seed=seed, workers=workers)
    params = {"k": k, "min_sim": min_sim, "mutual": mutual, "weight": weight, "backend": backend,
              **_search_params(backend, n, k, probes, seed)}
    return graph_from_neighbours(neighbours, similarity, min_sim=min_sim, mutual=mutual, weight=weight,
                                 params=params)


def graph_from_neighbours(neighbours: np.ndarray, similarity: np.ndarray, *, min_sim: float, mutual: bool = False,
                          weight: str = "cosine", params: dict | None = None) -> KnnGraph:
    """Su's links from each row's neighbours (ids and cosines, best first, -1 where none), so that
    neighbours found once (or by another tool) make graphs of any ``min_sim`` / ``mutual`` / ``weight``."""
    n = len(neighbours)
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
    return KnnGraph(n, sources.astype(np.int64), targets.astype(np.int64), weights.astype(np.float64),
                    dict(params or {}))
