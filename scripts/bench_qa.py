"""Benchmark QA generation on the insurance QA data (passage -> question), CPU.

1. Training speed of the ``small`` config (steps/s, batch 16, passage <= 128 + question <= 32 tokens):
   median over the training log's 10-step windows.
2. A small random-init model trained for at most ``--minutes`` wall minutes on the train split, scored
   with char BLEU-4 / ROUGE-L on the first ``--n-test`` questions of the test split, beside the
   retrieval baseline (question of the nearest training passage by char TF-IDF).

Usage: python scripts/bench_qa.py --minutes 18 --n-test 300 --out .bench/qa [--config mini --max-passage 64]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import torch

from textmine.qa import QAGenerator, RetrievalBaseline, insurance_examples, score_questions
from textmine.qa.run import question_predictions


MINI = dict(hidden_size=128, num_hidden_layers=2, num_attention_heads=2, intermediate_size=512)


def steps_per_second(metrics_path: Path) -> list[float]:
    if not metrics_path.is_file():
        return []
    rows = [json.loads(line) for line in metrics_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [r for r in rows if "loss" in r and "seconds" in r]
    return [(b["step"] - a["step"]) / (b["seconds"] - a["seconds"]) for a, b in zip(rows, rows[1:])
            if b["seconds"] > a["seconds"] and b["step"] > a["step"]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=18.0)
    parser.add_argument("--n-test", type=int, default=300)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--out", default=".bench/qa")
    parser.add_argument("--config", default="small", help="small, or mini (hidden 128, 2 layers) for short budgets")
    parser.add_argument("--max-passage", type=int, default=128)
    parser.add_argument("--calibration-steps", type=int, default=10)
    args = parser.parse_args()
    torch.set_num_threads(2)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    config = MINI if args.config == "mini" else args.config
    train = insurance_examples("train", max_len=args.max_passage)
    test = insurance_examples("test", max_len=args.max_passage, limit=args.n_test)
    print(f"train examples {len(train)}, test examples {len(test)}", flush=True)

    calib = QAGenerator(config, steps=args.calibration_steps, batch_size=args.batch_size, seed=0,
                        max_passage=args.max_passage)
    started = time.perf_counter()
    calib.fit(train, out / "calibration", resume=False)
    rate = steps_per_second(out / "calibration" / "metrics.jsonl")
    per_step = (time.perf_counter() - started) / args.calibration_steps
    steps = max(50, int(args.minutes * 60 / per_step * 0.9))
    print(f"calibration: {per_step:.3f} s/step (incl. build+save) -> {steps} steps", flush=True)

    gen = QAGenerator(config, max_passage=args.max_passage, steps=steps, batch_size=args.batch_size, lr=5e-4, warmup=0.05, ema_decay=0.99,
                      seed=0, progress=False)
    started = time.perf_counter()
    gen.fit(train, out / "run", resume=False)
    train_seconds = time.perf_counter() - started
    rates = steps_per_second(out / "run" / "metrics.jsonl")
    print(f"trained {steps} steps in {train_seconds:.0f} s; median steps/s {statistics.median(rates):.3f}", flush=True)

    started = time.perf_counter()
    predictions = question_predictions(gen, test)
    decode_seconds = time.perf_counter() - started
    refs = [e.question for e in test]
    model_scores = score_questions(predictions, refs)
    started = time.perf_counter()
    baseline = RetrievalBaseline().fit(train)
    base_pred = baseline.predict([e.passage for e in test])
    base_seconds = time.perf_counter() - started
    base_scores = score_questions(base_pred, refs)
    result = {"config": args.config, "max_passage": args.max_passage, "train_examples": len(train), "test_examples": len(test), "batch_size": args.batch_size,
              "steps": steps, "train_seconds": round(train_seconds, 1),
              "steps_per_s_median": round(statistics.median(rates), 3),
              "steps_per_s_windows": [round(r, 3) for r in rates],
              "calibration_steps_per_s": [round(r, 3) for r in rate],
              "decode_seconds_per_question": round(decode_seconds / len(test), 4),
              "model": model_scores, "retrieval": base_scores, "retrieval_seconds": round(base_seconds, 2),
              "samples": [{"passage": e.passage[:60], "reference": e.question, "model": p, "retrieval": b}
                          for e, p, b in list(zip(test, predictions, base_pred))[:8]]}
    (out / "result.json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k not in ("samples", "steps_per_s_windows")},
                     ensure_ascii=False), flush=True)
    for s in result["samples"]:
        print(s, flush=True)


if __name__ == "__main__":
    main()
