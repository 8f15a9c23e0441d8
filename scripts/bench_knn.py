"""Benchmark: the kNN graph's backends side by side, and where "auto" should leave exact search.

1. Scale: 1M x 100-d unit vectors (synthetic clusters in two levels that overlap, see
   ``synthetic``), and
   all the real word vectors of bench_cluster.py (gensim skip-gram on the 10M mix). For each
   approximate backend (FAISS's IVF and HNSW): the time to find every row's 10
   nearest neighbours and make the graph, peak memory, and recall@10 against exact search on 10k
   sampled rows. Exact search of all rows is timed on the sample and scaled (quadratic cost:
   n / sample times the sample's time). Then InfoMap on one of the graphs.
2. Crossover: the real word vectors at growing sizes (10k, 30k, all 65k) with the cluster
   stage's k = 50: every backend including both exact ones, time and recall@10 (2k sampled rows).
3. ``--part lists``: faiss-ivf's two searches on one trained index, ``index.search`` and list by
   list (textmine.cluster.faiss_knn), at 65k / 300k / 1M rows and k + 1 = 11 / 51, search time only.

Each (data, backend) runs in a process of its own (peak RSS is that process's), after an untimed
warm-up on 2,000 rows (imports, numba compilation); 2 threads.

    python scripts/bench_knn.py [--n 1000000] [--part scale|crossover|both|lists]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parent.parent / ".bench"
APPROXIMATE = ("faiss-ivf", "faiss-hnsw")
WORKERS = 2


def synthetic(n: int, dim: int = 100, groups: int = 100, clusters: int = 10_000, seed: int = 0) -> Path:
    """Clustered unit vectors in two levels, cached as .npy: ``clusters`` centres around ``groups``
    random directions (cosine about 0.5 between centres of a group) and points around the centres,
    so that clusters overlap and no partition into cells follows them: at 1M points the median
    point's 1st / 10th / 50th neighbour lies at cosine 0.68 / 0.62 / 0.56."""
    path = BENCH / f"knn_synthetic_{n}x{dim}.npy"
    if not path.exists():
        rng = np.random.default_rng(seed)

        def around(middle, spread, size):
            points = middle[rng.integers(len(middle), size=size)]
            points += spread * rng.standard_normal(points.shape, dtype=np.float32)
            return points / np.linalg.norm(points, axis=1, keepdims=True)

        directions = around(np.zeros((1, dim), np.float32), 1.0, groups)
        centres = around(directions, 1 / np.sqrt(dim), clusters)
        BENCH.mkdir(exist_ok=True)
        np.save(path, around(centres, 0.09, n))
    return path


def synthetic_head(n: int, rows: int) -> Path:
    """The first ``rows`` of the ``n`` synthetic vectors, cached as .npy."""
    path = BENCH / f"knn_synthetic_{rows}_of_{n}.npy"
    if not path.exists():
        np.save(path, np.load(synthetic(n), mmap_mode="r")[:rows])
    return path


def real(top: int | None = None) -> Path:
    """The word vectors of bench_cluster.py (the ``top`` most frequent), unit rows, cached as .npy."""
    path = BENCH / f"knn_words_{top or 'all'}.npy"
    if not path.exists():
        sys.path.insert(0, str(Path(__file__).parent))
        from bench_cluster import word_vectors
        from textmine.cluster import load_items

        np.save(path, load_items(word_vectors(), top=top).vectors.astype(np.float32))
    return path


def sample_rows(n: int, size: int) -> np.ndarray:
    return np.sort(np.random.default_rng(1).choice(n, size=min(size, n), replace=False))


def child(path: str, backend: str, k: int, sample: int, infomap: bool) -> None:
    """Time one backend on one file; print one JSON line."""
    from textmine.cluster.graph import graph_from_neighbours, top_k_neighbours

    vectors = np.load(path)
    n = len(vectors)
    rows = sample_rows(n, sample)
    result = {"n": n, "backend": backend, "k": k}
    top_k_neighbours(vectors[:2000], k, backend, block=256, workers=WORKERS)  # imports and JIT, untimed
    started = time.perf_counter()
    if backend in ("exact", "faiss-exact") and n > sample:
        ids, _ = top_k_neighbours(vectors, k, backend, rows=rows, block=256, workers=WORKERS)
        result["seconds"] = (time.perf_counter() - started) * n / len(rows)
        result["scaled_from_sample"] = True
    else:
        ids, sims = top_k_neighbours(vectors, k, backend, workers=WORKERS)
        graph = graph_from_neighbours(ids, sims, min_sim=0.6)
        result["seconds"] = time.perf_counter() - started
        result["links"] = int(len(graph.sources))
        ids = ids[rows]
        if infomap:
            from textmine.cluster.infomap_run import run_infomap

            started = time.perf_counter()
            partition = run_infomap(graph, trials=1, seed=0)
            result["infomap_seconds"] = time.perf_counter() - started
            result["modules"] = partition.n_modules
    result["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    np.save(f"{path}.{backend}.{k}.ids.npy", ids[:, :10])
    print(json.dumps(result))


def measure(path: Path, backend: str, k: int, sample: int, infomap: bool = False) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", str(path), backend, str(k), str(sample),
                          str(int(infomap))], check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def recall(path: Path, backend: str, truth: str, k: int) -> float:
    found = np.load(f"{path}.{backend}.{k}.ids.npy")
    exact = np.load(f"{path}.{truth}.{k}.ids.npy")
    return float(np.mean([len(set(a) & set(b)) / len(b) for a, b in zip(found, exact)]))


def table(path: Path, label: str, backends, k: int, sample: int, infomap_on: str | None) -> list[dict]:
    rows = []
    for backend in backends:
        result = measure(path, backend, k, sample, infomap=backend == infomap_on)
        result["recall@10"] = recall(path, backend, "faiss-exact", k)
        result["data"] = label
        print(json.dumps(result), flush=True)
        rows.append(result)
    return rows


def lists(paths: list[tuple[str, Path]]) -> list[dict]:
    """Part 3 of the module docstring."""
    import faiss

    from textmine.cluster.faiss_knn import _index, _search_list_by_list
    from textmine.cluster.graph import PROBES

    faiss.omp_set_num_threads(WORKERS)
    rows = []
    for label, path in paths:
        vectors = np.ascontiguousarray(np.load(path), dtype=np.float32)
        index = _index(faiss, vectors, "faiss-ivf", PROBES, 0, 10)
        for k in (11, 51):
            started = time.perf_counter()
            index.search(vectors, k)
            scanned = time.perf_counter() - started
            started = time.perf_counter()
            _search_list_by_list(faiss, index, vectors, k)
            result = {"data": label, "k+1": k, "index.search": scanned, "list by list": time.perf_counter() - started}
            print(json.dumps(result), flush=True)
            rows.append(result)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--part", choices=("scale", "crossover", "both", "lists"), default="both")
    parser.add_argument("--out", type=Path, default=BENCH / "knn.json")
    args = parser.parse_args()
    results = []
    if args.part in ("scale", "both"):
        for label, path in ((f"synthetic {args.n:,}", synthetic(args.n)), ("word vectors (all)", real())):
            results += table(path, label, ("faiss-exact", *APPROXIMATE), 10, 10_000, infomap_on="faiss-ivf")
    if args.part in ("crossover", "both"):
        sizes = [(f"word vectors {top:,}", real(top)) for top in (10_000, 30_000)] + [("word vectors (all)", real())]
        for label, path in sizes:
            results += table(path, label, ("faiss-exact", "exact", *APPROXIMATE), 50, 2_000, infomap_on=None)
    if args.part == "lists":
        results = lists([("word vectors (all)", real()), ("synthetic 300,000", synthetic_head(args.n, 300_000)),
                         (f"synthetic {args.n:,}", synthetic(args.n))])
    args.out.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6] == "1")
    else:
        main()
