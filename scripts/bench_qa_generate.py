"""QA-pair generation speed on CPU: this tree's batched decoding against the code before it.

The same model and documents go through ``textmine.qa.generate_file`` (what ``textmine qa
generate`` runs) three ways, each in a fresh process on ``--threads`` torch threads (1), ``--repeats`` times,
alternating: the old code (a checkout of the textmine package from before batching, put on
PYTHONPATH), this code with ``--batch-size 1`` (one document at a time) and this code with the
batch size given. Reported: the median seconds, seconds per pair, pairs per second, the speed-up
over the old code, and whether the pairs are the same (answer, question and passage piece; the
largest score difference).

The old code can be laid out from git, e.g. ``git archive <commit> textmine | tar -x -C /tmp/qa_old``.
Documents: ``--docs FILE`` (one per line), or by default ``--n-docs`` People's Daily paragraphs of
60-300 characters spread over the month.

    python scripts/bench_qa_generate.py --model RUN --old /tmp/qa_old [--batch-size 32] [--repeats 3]
        [--pairs 3] [--out .bench/qa_generate/result.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def peoples_daily(n: int) -> list[str]:
    """``n`` paragraphs of 60-300 characters, evenly spaced over People's Daily, January 1998."""
    from textmine.corpus import datasets

    docs = [d for d in datasets.peoples_daily_text() if 60 <= len(d) <= 300]
    return docs[:: max(len(docs) // n, 1)][:n]


def worker(args: argparse.Namespace) -> None:
    """Time one generate_file over the documents (after one warm-up document); print JSON."""
    import torch

    torch.set_num_threads(args.threads)
    from textmine.qa import QAGenerator, generate_file

    docs = Path(args.docs).read_text(encoding="utf-8").splitlines()
    gen = QAGenerator.load(args.model, device="cpu")
    extra = {} if args.batch_size is None else {"batch_size": args.batch_size}
    generate_file(docs[:1], gen, args.pairs_out, n_pairs=args.pairs, **extra)
    started = time.perf_counter()
    counts = generate_file(docs, gen, args.pairs_out, n_pairs=args.pairs, **extra)
    print(json.dumps({"seconds": time.perf_counter() - started, **counts}))


def run(name: str, pythonpath: str, args: argparse.Namespace, docs: Path, pairs_out: Path,
        batch_size: int | None) -> dict:
    threads = str(args.threads)
    env = {**os.environ, "PYTHONPATH": pythonpath, "OMP_NUM_THREADS": threads, "MKL_NUM_THREADS": threads}
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", "--model", args.model, "--docs", str(docs),
               "--pairs", str(args.pairs), "--pairs-out", str(pairs_out), "--threads", threads]
    if batch_size is not None:
        command += ["--batch-size", str(batch_size)]
    out = subprocess.run(command, env=env, cwd=tempfile.gettempdir(), check=True, capture_output=True, text=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"  {name}: {result['seconds']:.2f} s, {result['pairs']} pairs", flush=True)
    return result


def compare(old: Path, new: Path) -> dict:
    a = [json.loads(line) for line in old.read_text(encoding="utf-8").splitlines()]
    b = [json.loads(line) for line in new.read_text(encoding="utf-8").splitlines()]
    key = ("doc", "passage", "answer", "question")
    same = len(a) == len(b) and all(all(x[k] == y[k] for k in key) for x, y in zip(a, b))
    return {"pairs_identical": same, "differing_pairs": sum(any(x[k] != y[k] for k in key) for x, y in zip(a, b))
            + abs(len(a) - len(b)), "max_score_difference": max((abs(x["score"] - y["score"]) for x, y in zip(a, b)),
                                                                 default=0.0)}


def load() -> str:
    return Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True, help="run folder of `textmine qa train`")
    parser.add_argument("--old", help="folder holding the old textmine package (omit to time this code only)")
    parser.add_argument("--docs", help="documents, one per line (default: People's Daily paragraphs)")
    parser.add_argument("--n-docs", type=int, default=50)
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, help="documents decoded together by the new code (default 16)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1, help="torch threads of every timed process")
    parser.add_argument("--out", default=".bench/qa_generate/result.json")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--pairs-out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:                                                         # no --batch-size: the old code's call
        return worker(args)
    args.batch_size = args.batch_size or 16

    out = Path(args.out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    docs = Path(args.docs).resolve() if args.docs else out.parent / "documents.txt"
    if not args.docs:
        docs.write_text("".join(d + "\n" for d in peoples_daily(args.n_docs)), encoding="utf-8")
    here = str(Path(__file__).resolve().parent.parent)
    systems = {"new, one document at a time": (here, 1), f"new, batches of {args.batch_size}": (here, args.batch_size)}
    if args.old:
        systems = {"old (before batching)": (str(Path(args.old).resolve()), None), **systems}
    args.model = str(Path(args.model).resolve())
    times: dict[str, list[float]] = {name: [] for name in systems}
    counts, loads = {}, [load()]
    for repeat in range(args.repeats):
        print(f"repeat {repeat + 1} (load {load()})", flush=True)
        for i, (name, (path, batch_size)) in enumerate(systems.items()):
            result = run(name, path, args, docs, out.parent / f"pairs{i}.jsonl", batch_size)
            times[name].append(result["seconds"])
            counts[name] = result["pairs"]
        loads.append(load())
    names = list(systems)
    report = {"model": args.model, "documents": str(docs), "pairs_per_document": args.pairs, "threads": args.threads,
              "load_average_1min": loads, "systems": {}}
    for name in names:
        median = statistics.median(times[name])
        report["systems"][name] = {"seconds": [round(t, 3) for t in times[name]], "median_seconds": round(median, 3),
                                   "pairs": counts[name], "seconds_per_pair": round(median / counts[name], 4),
                                   "pairs_per_second": round(counts[name] / median, 2),
                                   "speedup_over_first": round(statistics.median(times[names[0]]) / median, 2)}
    report["same_output_as_first"] = {name: compare(out.parent / "pairs0.jsonl", out.parent / f"pairs{i}.jsonl")
                                      for i, name in enumerate(names) if i}
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
