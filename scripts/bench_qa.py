"""Benchmark QA generation on the insurance QA data (passage -> question), CPU.

1. Training speed of a config (steps/s, batch 16, passage <= 128 + question <= 32 tokens) with the
   whole 21,128-token Chinese BERT vocabulary, with the training data's own tokens, and with those and
   the copy head (the default): median over the training log's 10-step windows of a short run each.
2. A random-init model (corpus vocabulary, copy head unless ``--no-copy``) trained for at most
   ``--minutes`` wall minutes on the train split, scored with char BLEU-4 / ROUGE-L on the first ``--n-test`` questions of the test split
   (beam search ranked by mean log-probability, the default, and by total log-probability), beside
   the retrieval baseline (question of the nearest training passage by char TF-IDF).

3. With ``--documents N`` instead (issue 14): questions grounded in a held-out domain. ``textmine qa
   train --data insurance:train --documents FILE`` on N People's Daily paragraphs, for ``--steps``
   steps; then pairs for ``--n-docs`` other paragraphs of the same month (none of the N), unfiltered
   and through the default filter, scored by the share of questions with a content word of their
   passage (:func:`textmine.qa.grounding.mentions_passage`), of distinct questions, of round-trip
   answerable pairs, and the insurance held-out BLEU-4 / ROUGE-L beside the retrieval baseline.

Usage: python scripts/bench_qa.py --minutes 28 --n-test 2000 --out .bench/qa [--config small --device cuda]
       python scripts/bench_qa.py --documents 3000 --steps 1100 --n-docs 60 --n-test 500 --out .bench/qa_grounded
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import torch

from textmine.qa import QAGenerator, RetrievalBaseline, insurance_examples, score_questions
from textmine.qa.grounding import answerable, mentions_passage, overlap
from textmine.qa.run import question_predictions


def steps_per_second(metrics_path: Path) -> list[float]:
    """Steps/s of each logged window of a training run (from its metrics.jsonl)."""
    rows = [json.loads(line) for line in metrics_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [r for r in rows if "loss" in r and "seconds" in r]
    return [(b["step"] - a["step"]) / (b["seconds"] - a["seconds"]) for a, b in zip(rows, rows[1:])
            if b["seconds"] > a["seconds"] and b["step"] > a["step"]]


def peoples_daily_split(n_train: int, n_eval: int) -> tuple[list[str], list[str]]:
    """Paragraphs of 60-300 characters: ``n_eval`` spread evenly over the month for generation, and
    the first ``n_train`` of the others for training (no paragraph in both)."""
    from textmine.corpus import datasets

    docs = list(dict.fromkeys(d for d in datasets.peoples_daily_text() if 60 <= len(d) <= 300))
    step = max(len(docs) // n_eval, 1)
    held_out = docs[step // 2:: step][:n_eval]
    chosen = set(held_out)
    return [d for d in docs if d not in chosen][:n_train], held_out


def pair_figures(pairs: list[dict], n_docs: int) -> dict:
    """The issue's measures over generated pairs."""
    n = max(len(pairs), 1)
    return {"pairs": len(pairs), "documents_with_pairs": len({p["doc"] for p in pairs}), "of_documents": n_docs,
            "mentions_passage": round(sum(mentions_passage(p["question"], p["passage"]) for p in pairs) / n, 3),
            "distinct_questions": round(len({p["question"] for p in pairs}) / n, 3),
            "round_trip_answerable": round(sum(answerable(p["passage"], p["question"], p["answer"]) for p in pairs) / n, 3),
            "answer_in_question": round(sum(bool(p["answer"]) and p["answer"] in p["question"] for p in pairs) / n, 3)}


def grounded(args: argparse.Namespace, out: Path) -> None:
    """Part 3 of the module docstring."""
    from textmine.cli import main as cli

    train_docs, eval_docs = peoples_daily_split(args.documents, args.n_docs)
    docs_file = out / "documents.txt"
    docs_file.write_text("".join(d + "\n" for d in train_docs), encoding="utf-8")
    run = out / "run"
    command = ["qa", "train", "--data", "insurance:train", "--config", args.config, "--steps", str(args.steps),
               "-o", str(run), "--no-resume", "--force", "-q"]
    if args.documents:
        command[4:4] = ["--documents", str(docs_file), "--documents-share", str(args.documents_share),
                        "--mlm-share", str(args.mlm_share)]
    if args.reuse:                     # a run an earlier invocation trained; its result.json says how
        run, earlier = args.reuse, json.loads((args.reuse.parent / "result.json").read_text(encoding="utf-8"))
        command, train_seconds = earlier["command"].split()[1:], earlier["train_seconds"]
    else:
        print("textmine " + " ".join(command), flush=True)
        started = time.perf_counter()
        assert cli(command) == 0
        train_seconds = time.perf_counter() - started
    gen = QAGenerator.load(run, device=args.device)
    gen.answers = args.answers
    result = {"command": "textmine " + " ".join(command), "train_documents": len(train_docs),
              "eval_documents": len(eval_docs), "train_seconds": round(train_seconds, 1), "answers": args.answers,
              "manifest_counts": json.loads((run / "manifest.json").read_text(encoding="utf-8"))["counts"]}
    raw = list(gen.generate_many(eval_docs, n_pairs=args.pairs, min_overlap=0.0, round_trip=False))
    result["unfiltered"] = pair_figures(raw, len(eval_docs))
    result["threshold_sweep"] = {str(t): pair_figures([p for p in raw if overlap(p["question"], p["passage"]) >= t],
                                                      len(eval_docs)) for t in (0.25, 0.5, 0.75, 1.0)}
    started = time.perf_counter()
    kept = list(gen.generate_many(eval_docs, n_pairs=args.pairs, min_overlap=args.min_overlap, round_trip=True))
    result["filtered"] = {**pair_figures(kept, len(eval_docs)), "min_overlap": args.min_overlap, "round_trip": True,
                          "seconds": round(time.perf_counter() - started, 1)}
    test = insurance_examples("test", max_len=gen.max_passage, limit=args.n_test)
    train = insurance_examples("train", max_len=gen.max_passage)
    refs = [e.question for e in test]
    result["insurance_test"] = {
        "model": score_questions(question_predictions(gen, test), refs),
        "retrieval baseline": score_questions(RetrievalBaseline().fit(train).predict([e.passage for e in test]), refs)}
    result["samples"] = [{k: p[k] for k in ("passage", "answer", "question")} for p in kept[:: max(len(kept) // 20, 1)][:20]]
    (out / "result.json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "samples"}, ensure_ascii=False, indent=1), flush=True)
    for sample in result["samples"]:
        print(sample, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=28.0)
    parser.add_argument("--n-test", type=int, default=2000)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--out", default=".bench/qa")
    parser.add_argument("--config", default="small", choices=["tiny", "small", "base"])
    parser.add_argument("--max-passage", type=int, default=128)
    parser.add_argument("--calibration-steps", type=int, default=60)
    parser.add_argument("--device", help="cpu (default here), cuda, ...")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--no-copy", action="store_true", help="train without the copy head")
    parser.add_argument("--documents", type=int, help="part 3: this many People's Daily paragraphs for --documents "
                                                      "(0: insurance only, for comparison)")
    parser.add_argument("--documents-share", type=float, default=0.5)
    parser.add_argument("--mlm-share", type=float, default=0.0, help="part 3: qa train --mlm-share")
    parser.add_argument("--steps", type=int, default=1100, help="part 3: training steps")
    parser.add_argument("--n-docs", type=int, default=60, help="part 3: held-out paragraphs to generate for")
    parser.add_argument("--pairs", type=int, default=3, help="part 3: pairs per paragraph")
    parser.add_argument("--min-overlap", type=float, default=0.5, help="part 3: the filter's threshold")
    parser.add_argument("--answers", default="any", choices=["any", "tagged"], help="part 3: qa generate --answers")
    parser.add_argument("--reuse", type=Path, help="part 3: generate with this run folder (OUT/run of an earlier "
                                                   "invocation) instead of training again")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.documents is not None:
        return grounded(args, out)
    train = insurance_examples("train", max_len=args.max_passage)
    test = insurance_examples("test", max_len=args.max_passage, limit=args.n_test)
    print(f"train examples {len(train)}, test examples {len(test)}", flush=True)
    common = dict(max_passage=args.max_passage, batch_size=args.batch_size, seed=0, device=args.device)

    speed = {}
    for name, vocab, copy in (("full", None, False), ("corpus", "corpus", False), ("corpus+copy", "corpus", True)):
        calib = QAGenerator(args.config, vocab=vocab, copy=copy, steps=args.calibration_steps, **common)
        calib.fit(train, out / f"calibration-{name}", resume=False)
        rates = steps_per_second(out / f"calibration-{name}" / "metrics.jsonl")
        speed[name] = {"vocab_size": len(calib.model_.tokenizer), "steps_per_s_median": round(statistics.median(rates), 3)}
        print(f"{name}: {speed[name]}", flush=True)
    rate = speed["corpus" if args.no_copy else "corpus+copy"]["steps_per_s_median"]
    steps = max(50, int(args.minutes * 60 * rate * 0.92))

    gen = QAGenerator(args.config, copy=not args.no_copy, steps=steps, lr=5e-4, warmup=0.05, ema_decay=0.995, **common)
    started = time.perf_counter()
    gen.fit(train, out / "run", resume=False)
    train_seconds = time.perf_counter() - started
    rates = steps_per_second(out / "run" / "metrics.jsonl")
    print(f"trained {steps} steps in {train_seconds:.0f} s; median steps/s {statistics.median(rates):.3f}", flush=True)

    refs = [e.question for e in test]
    systems, decode_seconds, predictions = {}, {}, {}
    for name, penalty in (("beam, mean log-prob", 1.0), ("beam, total log-prob", 0.0)):
        gen.length_penalty = penalty
        started = time.perf_counter()
        predictions[name] = question_predictions(gen, test)
        decode_seconds[name] = round((time.perf_counter() - started) / len(test), 4)
        systems[name] = score_questions(predictions[name], refs)
        print(name, systems[name], flush=True)
    started = time.perf_counter()
    base_pred = RetrievalBaseline().fit(train).predict([e.passage for e in test])
    base_seconds = time.perf_counter() - started
    systems["retrieval baseline"] = score_questions(base_pred, refs)
    result = {"config": args.config, "copy": not args.no_copy, "device": str(gen.model_.bert.device),
              "max_passage": args.max_passage, "train_examples": len(train), "test_examples": len(test), "batch_size": args.batch_size,
              "training_speed": speed, "steps": steps, "train_seconds": round(train_seconds, 1),
              "steps_per_s_median": round(statistics.median(rates), 3),
              "decode_seconds_per_question": decode_seconds, "retrieval_seconds": round(base_seconds, 2),
              "scores": systems,
              "samples": [{"passage": e.passage[:60], "reference": e.question, "model": p, "retrieval": b}
                          for e, p, b in list(zip(test, predictions["beam, mean log-prob"], base_pred))[:8]]}
    (out / "result.json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "samples"}, ensure_ascii=False), flush=True)
    for s in result["samples"]:
        print(s, flush=True)


if __name__ == "__main__":
    main()
