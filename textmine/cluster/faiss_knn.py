"""Nearest neighbours by FAISS for the kNN graph: exact (IndexFlatIP), IVF or HNSW.

faiss is the optional extra ``textmine[faiss]`` (faiss-cpu; the indexes are CPU ones): it is
imported here only, when one of these backends is asked for. Vectors are unit rows, so inner
product is cosine. Each row is searched for k + 1 neighbours and itself is dropped, so the answer
has the shape of the other backends' (ids best first, -1 / -inf where fewer were found).

IVF trains its cells by spherical k-means seeded with ``seed`` and is deterministic. When its
lists are long against k (:data:`LIST_BY_LIST_RATIO`) the search goes list by list
(faiss.contrib.big_batch_search): every query that probes a list meets that list in one matrix
product, where ``index.search`` scans it query by query. Same neighbours; for k = 10, 1.8-2.1x
sooner at 300k rows (lists of 274) and 2.6x at 1M (lists of 500); slower on short lists (128 rows
at 65k) or for k = 50 at 300k, where the per-list calls and heap merges outweigh the products.

HNSW inserts rows on all threads, and the graph (so a few neighbours) can change from run to run
unless ``workers=1``. Sizes below were tuned on scripts/bench_knn.py (recall@10 >= 0.95 on word
vectors).
"""

from __future__ import annotations

import contextlib
import io

import numpy as np

from textmine.errors import require

__all__ = ["FAISS_BACKENDS", "HNSW_EF_CONSTRUCTION", "HNSW_M", "faiss_top_k", "hnsw_ef", "import_faiss", "ivf_cells"]

FAISS_BACKENDS = ("faiss-exact", "faiss-ivf", "faiss-hnsw")
HNSW_M = 32                # links per HNSW node
HNSW_EF_CONSTRUCTION = 40  # faiss's default; more builds slower for little recall here
EXTRA = '"textmine[faiss]"  (or: pip install faiss-cpu)'
TRAIN_PER_CELL = 64        # k-means sample per IVF cell: faiss's 256 makes training dominate at 1M rows
LIST_BY_LIST_RATIO = 20    # IVF searches list by list when its mean list holds 20 (k + 1) rows or more


def import_faiss():
    """The faiss module, or MissingDependencyError naming the extra."""
    return require("faiss", EXTRA)


def ivf_cells(n: int) -> int:
    """IVF cells for ``n`` rows: about 2 sqrt(n), with at least 39 rows each to train on."""
    return max(1, min(int(2 * np.sqrt(n)), n // 39))


def hnsw_ef(k: int) -> int:
    """HNSW's search breadth for ``k`` neighbours."""
    return max(64, 2 * k)


def faiss_top_k(vectors: np.ndarray, k: int, backend: str, *, probes: int = 16, seed: int = 0,
                workers: int | None = None, rows: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` nearest other rows of each row (or of ``rows``), best first, by ``backend``."""
    faiss = import_faiss()
    before = faiss.omp_get_max_threads()
    if workers is not None:
        faiss.omp_set_num_threads(workers)
    try:
        index = _index(faiss, np.ascontiguousarray(vectors, dtype=np.float32), backend, probes, seed, k)
        queries = np.arange(len(vectors)) if rows is None else np.asarray(rows, dtype=np.int64)
        batch = np.ascontiguousarray(vectors[queries], dtype=np.float32)
        if backend == "faiss-ivf" and len(vectors) / index.nlist >= LIST_BY_LIST_RATIO * (k + 1):
            sims, ids = _search_list_by_list(faiss, index, batch, k + 1)
        else:
            sims, ids = index.search(batch, k + 1)
    finally:
        faiss.omp_set_num_threads(before)
    return _drop_self(ids, sims, queries, k)


def _index(faiss, vectors: np.ndarray, backend: str, probes: int, seed: int, k: int):
    dim = vectors.shape[1]
    if backend == "faiss-exact":
        index = faiss.IndexFlatIP(dim)
    elif backend == "faiss-hnsw":
        index = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        index.hnsw.efSearch = hnsw_ef(k)
    else:
        cells = ivf_cells(len(vectors))
        index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, cells, faiss.METRIC_INNER_PRODUCT)
        index.cp.seed = seed
        index.cp.spherical = True
        index.cp.max_points_per_centroid = TRAIN_PER_CELL
        index.train(vectors)
        index.nprobe = min(probes, cells)
    index.add(vectors)
    return index


def _search_list_by_list(faiss, index, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """``index.search`` of an IVF index, one inverted list at a time with all the queries probing it."""
    big_batch_search = require("faiss.contrib.big_batch_search", EXTRA).big_batch_search

    def list_knn(xq, xb, k, metric):  # a list shorter than k gives what it has, never -1 ids
        return faiss.knn(xq, xb, min(k, len(xb)), metric=metric)

    with contextlib.redirect_stdout(io.StringIO()):  # it prints its timings whatever `verbose` says
        return big_batch_search(index, queries, k, method="knn_function", knn=list_knn, verbose=1)


def _drop_self(ids: np.ndarray, sims: np.ndarray, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Remove each query from its own answer (or its last hit when an approximate search missed it)."""
    own = ids == queries[:, None]
    column = np.where(own.any(axis=1), own.argmax(axis=1), k)
    keep = np.ones(ids.shape, dtype=bool)
    keep[np.arange(len(ids)), column] = False
    ids = ids[keep].reshape(len(ids), k).astype(np.int64)
    sims = sims[keep].reshape(len(ids), k)
    sims[ids < 0] = -np.inf
    return ids, sims
