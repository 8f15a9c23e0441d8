"""Benchmark: the word finder's counting of a 1 GB corpus in this process and on a 2-worker
Dask LocalCluster, with the equality check, and the figures behind a many-machine estimate.

The corpus is the older benchmark mix (insurance passages, People's Daily, 三国演义) cycled to
``--gb`` gigabytes of UTF-8 (the issue's "mix repeated": a counting-scale test, not a speed claim
about distinct text, which bench_words.py measures). Both runs count the same n-gram tables and
neighbour tables through WordFinder's own counting passes (default preset, 2 threads in-process;
2 single-threaded workers on Dask), each in a process of its own:

- wall time of the n-gram pass and of the neighbour (context) pass;
- peak RSS of the process, and on Dask of each worker process (``Client.run``);
- on Dask, the partitions, and the bytes of the partial tables each writes (what a worker sends
  to the merge on a cluster);
- the tables of both runs compared key by key (n-grams of every order, left and right contexts).

    python scripts/bench_scale.py [--gb 1.0]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from bench_words import build_mix  # noqa: E402

BENCH = Path(__file__).resolve().parent.parent / ".bench"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(corpus_path: str, scheduler: str, out: str) -> None:
    """Count ``corpus_path`` on ``scheduler`` ("local" or "processes"); save the tables to ``out``."""
    from textmine.corpus import open_corpus
    from textmine.words import WordFinder

    client = cluster = None
    finder = WordFinder()
    if scheduler == "processes":
        from distributed import Client, LocalCluster

        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0")
        client = Client(cluster)
        finder.scheduler = cluster.scheduler_address
    spill = BENCH / "scale-spill"
    spill.mkdir(exist_ok=True)
    finder.spill_dir = str(spill)
    params = finder.resolved_params()
    result = {"scheduler": scheduler}
    started = time.perf_counter()
    with finder._counter(params["max_n"]) as counter:
        counts = counter.count(open_corpus(corpus_path))
        counted = time.perf_counter()
        counter.count_contexts(counts, params["min_count"])
        done = time.perf_counter()
        if client is not None:
            partials = sorted(spill.glob("*/count-*.npz"))
            result["partitions"] = len(partials)
            result["partial_table_mb"] = [round(p.stat().st_size / 2**20, 1) for p in partials]
    result.update(chars=counts.n_chars, count_s=counted - started, context_s=done - counted, rss_mb=rss_mb())
    if client is not None:
        result["worker_rss_mb"] = sorted(client.run(rss_mb).values())
        client.close()
        cluster.close()
    top = counts.max_n
    tables = {f"{kind}{n}": getattr(counts, kind)[n] for n in counts.keys for kind in ("keys", "counts")}
    tables.update({f"{side}.{part}": array for side in ("left", "right")
                   for part, array in zip(("keys", "counts"), getattr(counts, side)[top])})
    np.savez(out, chars=np.array(list("".join(counts.index.chars[1:]))), **tables)
    print(json.dumps(result))


def same_tables(a: str, b: str) -> dict:
    with np.load(a) as x, np.load(b) as y:
        if sorted(x.files) != sorted(y.files):
            return {"equal": False, "why": "different tables"}
        unequal = [name for name in x.files if not np.array_equal(x[name], y[name])]
        keys = {name: int(len(x[name])) for name in x.files if name.startswith("keys")}
    return {"equal": not unequal, "unequal_tables": unequal, "distinct_keys": keys}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gb", type=float, default=1.0)
    parser.add_argument("--out", type=Path, default=BENCH / "scale.json")
    args = parser.parse_args()
    corpus = build_mix(int(args.gb * 2**30 / 2.8), BENCH / f"mix{args.gb:g}gb.txt")  # ~2.9 UTF-8 bytes a char
    results = {"corpus_bytes": os.path.getsize(corpus)}
    warm_up = build_mix(1_000_000, BENCH / "mix1m.txt")  # fills numba's on-disk cache, untimed
    subprocess.run([sys.executable, __file__, "--child", str(warm_up), "local", str(BENCH / "scale-warm.npz")],
                   check=True, capture_output=True)
    for scheduler in ("local", "processes"):
        out = subprocess.run([sys.executable, __file__, "--child", str(corpus), scheduler,
                              str(BENCH / f"scale-{scheduler}.npz")], check=True, capture_output=True, text=True)
        results[scheduler] = json.loads(out.stdout.strip().splitlines()[-1])
        print(json.dumps(results[scheduler]), flush=True)
    results["comparison"] = same_tables(str(BENCH / "scale-local.npz"), str(BENCH / "scale-processes.npz"))
    print(json.dumps(results["comparison"]))
    args.out.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        main()
