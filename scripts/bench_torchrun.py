"""Benchmark the Trainer under torchrun: 1 process vs N processes training the text VAE on CPU.

Trains the BN-VAE of textmine.vae on the insurance training questions at the same global batch
with ``torchrun --nproc-per-node 1`` and ``--nproc-per-node N`` (gloo), ``--repeats`` times each,
and prints the median steps/s and samples/s of the training loop (from the Trainer's metrics log,
first logged step to last, so start-up and the final evaluation are left out), their ratio, and
the final training loss of each (the runs see the same batches, so it should agree).

    python scripts/bench_torchrun.py --procs 2 --steps 200 --batch-size 64 --repeats 3
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path


def worker(args) -> None:
    """One run (every rank calls this under torchrun); rank 0 prints the timing as JSON."""
    from textmine.corpus.datasets import insurance_questions
    from textmine.vae import TextVAE

    questions = [q["question"] for q in insurance_questions("train")]
    vae = TextVAE(embed=args.embed, hidden=args.hidden, steps=args.steps, batch_size=args.batch_size,
                  eval_every=args.steps, device="cpu", progress=False, seed=0)
    vae.fit(questions, out_dir=args.out, resume=False)
    if int(os.environ.get("RANK", "0")) == 0:
        rows = [json.loads(ln) for ln in (Path(args.out) / "metrics.jsonl").read_text(encoding="utf-8").splitlines()]
        timed = [r for r in rows if "seconds" in r]
        steps, seconds = timed[-1]["step"] - timed[0]["step"], timed[-1]["seconds"] - timed[0]["seconds"]
        print(json.dumps({"steps_per_s": steps / seconds, "samples_per_s": steps * args.batch_size / seconds,
                          "last_loss": timed[-1]["loss"]}))


def launch(procs: int, args, out: Path) -> dict:
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc-per-node", str(procs),
           __file__, "--worker", "--out", str(out), "--steps", str(args.steps), "--batch-size",
           str(args.batch_size), "--embed", str(args.embed), "--hidden", str(args.hidden)]
    env = {**os.environ, "OMP_NUM_THREADS": str(args.threads)}
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--procs", type=int, default=2, help="processes of the parallel run (default 2)")
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--batch-size", type=int, default=64, help="global batch (default 64)")
    parser.add_argument("--embed", type=int, default=128)
    parser.add_argument("--hidden", type=int, default=256)
    parser.add_argument("--threads", type=int, default=1, help="OMP_NUM_THREADS per process (default 1)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args)
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    table = {}
    with tempfile.TemporaryDirectory(prefix="bench-torchrun-") as tmp:
        for procs in (1, args.procs):
            runs = [launch(procs, args, Path(tmp) / f"p{procs}-{i}") for i in range(args.repeats)]
            table[procs] = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    print(f"VAE (embed {args.embed}, hidden {args.hidden}), global batch {args.batch_size}, {args.steps} steps, "
          f"OMP_NUM_THREADS={args.threads}, median of {args.repeats}")
    print("| processes | steps/s | samples/s | last loss |")
    print("|---|---|---|---|")
    for procs, row in table.items():
        print(f"| {procs} | {row['steps_per_s']:.2f} | {row['samples_per_s']:.0f} | {row['last_loss']:.4f} |")
    print(f"speed-up {args.procs} vs 1: {table[args.procs]['steps_per_s'] / table[1]['steps_per_s']:.2f}x")


if __name__ == "__main__":
    main()
