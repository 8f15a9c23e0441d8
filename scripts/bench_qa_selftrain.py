"""Self-training for QA on a target domain (issue 14): does a second model trained on the first one's
kept pairs ask better questions about held-out paragraphs?

1. The first model (a run of ``scripts/bench_qa.py --documents N``, its ``OUT/run``) writes pairs for
   its own training documents through the default filter (what ``textmine qa generate`` writes).
2. A second model trains as the first did (``qa train --documents ... --documents-share S --config
   small --steps T``), on the insurance training data plus those kept pairs.
3. ``scripts/bench_qa.py --reuse`` measures it on the held-out paragraphs, as it measured the first.

    python scripts/bench_qa_selftrain.py --first .bench/qa_grounded_v2 [--documents 3000] [--steps 1100]
        [--documents-share 0.5] [--threads 2] [--out .bench/qa_selftrain]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--first", type=Path, required=True, help="OUT folder of the first model's bench_qa.py run")
    parser.add_argument("--documents", type=int, default=3000, help="as the first run's --documents")
    parser.add_argument("--documents-share", type=float, default=0.5)
    parser.add_argument("--steps", type=int, default=1100)
    parser.add_argument("--pairs", type=int, default=3, help="pairs kept per training document")
    parser.add_argument("--min-overlap", type=float, default=0.5, help="the filter's threshold (qa generate's default)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path(".bench/qa_selftrain"))
    args = parser.parse_args()

    import torch

    torch.set_num_threads(args.threads)
    from textmine.cli import main as cli
    from textmine.qa import QAGenerator, generate_file, insurance_examples

    args.out.mkdir(parents=True, exist_ok=True)
    documents = args.first / "documents.txt"
    started = time.perf_counter()
    first = QAGenerator.load(args.first / "run")
    counts = generate_file(documents.read_text(encoding="utf-8").splitlines(), first, args.out / "kept.jsonl",
                           n_pairs=args.pairs, min_overlap=args.min_overlap, round_trip=True)  # qa generate's filter
    print(f"{counts['pairs']} kept pairs for {counts['documents']} training documents "
          f"({time.perf_counter() - started:.0f} s)", flush=True)
    fields = ("passage", "answer", "question")
    kept = [json.loads(line) for line in (args.out / "kept.jsonl").read_text(encoding="utf-8").splitlines()]
    with (args.out / "insurance_plus_kept.jsonl").open("w", encoding="utf-8") as handle:
        for example in insurance_examples("train"):
            handle.write(json.dumps(dict(zip(fields, (example.passage, example.answer, example.question))),
                                    ensure_ascii=False) + "\n")
        for pair in kept:
            handle.write(json.dumps({k: pair[k] for k in fields}, ensure_ascii=False) + "\n")
    command = ["qa", "train", "--data", str(args.out / "insurance_plus_kept.jsonl"), "--documents", str(documents),
               "--documents-share", str(args.documents_share), "--config", "small", "--steps", str(args.steps),
               "-o", str(args.out / "run"), "--no-resume", "--force", "-q"]
    print("textmine " + " ".join(command), flush=True)
    started = time.perf_counter()
    assert cli(command) == 0
    trained = {"command": "textmine " + " ".join(command), "kept_pairs": len(kept),
               "train_seconds": round(time.perf_counter() - started, 1)}
    (args.out / "result.json").write_text(json.dumps(trained), encoding="utf-8")
    subprocess.run([sys.executable, str(Path(__file__).resolve().parent / "bench_qa.py"), "--documents",
                    str(args.documents), "--steps", str(args.steps), "--config", "small", "--n-docs", "60",
                    "--n-test", "500", "--threads", str(args.threads), "--reuse", str(args.out / "run"),
                    "--out", str(args.out)], check=True)


if __name__ == "__main__":
    main()
