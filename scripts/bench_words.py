"""Benchmark: textmine's word finder beside nlp_zero 0.1.6 on the ~10M-character mix.

The mix is the insurance answer passages, People's Daily (raw text) and 三国演义, cycled to
10M characters, written once to .bench/mix10m.txt. Every system runs in its own subprocess on
that file (reading included), so wall time and peak RSS are its own; each is repeated and the
median reported. Lexicon quality uses the standard protocol: segment People's Daily raw text
with jieba using only the discovered lexicon (HMM off) and score word P/R/F1 against the gold.

    python scripts/bench_words.py                 # 10M mix, 3 repeats, all systems
    python scripts/bench_words.py --scale 10      # memory check: the mix repeated to 100M chars
"""

from __future__ import annotations

import argparse
import itertools
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / ".bench"
SYSTEMS = ["ours:default", "ours:word_discovery", "ours:nlp_zero", "nlp_zero"]


def build_mix(chars: int, path: Path) -> Path:
    from textmine.corpus import datasets

    if path.exists():
        return path
    docs = [*datasets.insurance_passages(), *datasets.peoples_daily_text(), *datasets.sanguo()]
    path.parent.mkdir(parents=True, exist_ok=True)
    total = 0
    with open(path, "w", encoding="utf-8") as handle:
        for doc in itertools.cycle(docs):
            handle.write(doc + "\n")
            total += len(doc)
            if total >= chars:
                break
    return path


def run_ours(preset: str, source: Path, userdict: Path) -> int:
    from textmine.corpus import open_corpus
    from textmine.words import WordFinder

    finder = WordFinder(preset).fit(open_corpus(source))
    finder.to_userdict(userdict, singles=True)
    return finder.counts_.n_chars


def run_nlp_zero(source: Path, userdict: Path) -> int:
    import collections
    import collections.abc

    collections.Iterable = collections.abc.Iterable  # nlp_zero 0.1.6 predates Python 3.10
    from nlp_zero import Word_Finder

    class Texts:
        def __iter__(self):
            with open(source, encoding="utf-8") as handle:
                for line in handle:
                    yield line.strip()

    finder = Word_Finder(min_proba=1e-7, min_pmi=1)
    finder.train(Texts())
    finder.find(Texts())
    with open(userdict, "w", encoding="utf-8") as handle:
        for word, count in sorted(finder.words.items(), key=lambda kv: -kv[1]):
            handle.write(f"{word} {count}\n")
    return sum(finder.chars.values())


def child(system: str, source: Path, userdict: Path) -> None:
    """Run one system in this process and print its figures as JSON."""
    chars = sum(len(line) - 1 for line in open(source, encoding="utf-8"))
    started = time.perf_counter()
    if system == "nlp_zero":
        run_nlp_zero(source, userdict)
    else:
        run_ours(system.split(":")[1], source, userdict)
    wall = time.perf_counter() - started
    print(json.dumps({"system": system, "wall": wall, "chars": chars,
                      "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def segmentation_f1(userdict: Path) -> tuple[float, float, float]:
    """People's Daily word P/R/F1 with jieba using only ``userdict`` (HMM off)."""
    from textmine.corpus import JiebaTokenizer, datasets

    tokenizer = JiebaTokenizer(userdict, replace=True, hmm=False)
    hit = predicted = gold_total = 0
    for text, gold in zip(datasets.peoples_daily_text(), datasets.peoples_daily_gold()):
        spans = [set(), set()]
        for side, words in enumerate((tokenizer(text), gold)):
            start = 0
            for word in words:
                spans[side].add((start, start + len(word)))
                start += len(word)
        hit += len(spans[0] & spans[1])
        predicted += len(spans[0])
        gold_total += len(spans[1])
    precision, recall = hit / predicted, hit / gold_total
    return precision, recall, 2 * precision * recall / (precision + recall)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--scale", type=int, default=1, help="repeat the 10M mix this many times")
    parser.add_argument("--systems", default=",".join(SYSTEMS))
    parser.add_argument("--no-quality", action="store_true", help="skip the segmentation F1")
    parser.add_argument("--child", nargs=3, metavar=("SYSTEM", "SOURCE", "USERDICT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), Path(args.child[2]))
        return
    source = build_mix(10_000_000, BENCH / "mix10m.txt")
    if args.scale > 1:
        scaled = BENCH / f"mix{10 * args.scale}m.txt"
        if not scaled.exists():
            text = source.read_text(encoding="utf-8")
            with open(scaled, "w", encoding="utf-8") as handle:
                for _ in range(args.scale):
                    handle.write(text)
        source = scaled
    out = Path(tempfile.mkdtemp(prefix="bench-words-"))
    rows = []
    for system in args.systems.split(","):
        userdict = out / f"{system.replace(':', '_')}.txt"
        runs = []
        for _ in range(args.repeats):
            result = subprocess.run([sys.executable, __file__, "--child", system, str(source), str(userdict)],
                                    check=True, capture_output=True, text=True)
            runs.append(json.loads(result.stdout.strip().splitlines()[-1]))
        wall = statistics.median(r["wall"] for r in runs)
        row = {"system": system, "chars": runs[0]["chars"], "wall_s": round(wall, 2),
               "walls": [round(r["wall"], 2) for r in runs],
               "mchars_per_s": round(runs[0]["chars"] / wall / 1e6, 3),
               "peak_rss_mb": round(max(r["rss_mb"] for r in runs)),
               "words": sum(1 for _ in open(userdict, encoding="utf-8"))}
        if not args.no_quality:
            row["P"], row["R"], row["F1"] = (round(x, 4) for x in segmentation_f1(userdict))
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    base = next((r for r in rows if r["system"] == "nlp_zero"), None)
    if base:
        for row in rows:
            print(f"{row['system']:22s} speed x{row['mchars_per_s'] / base['mchars_per_s']:.2f} vs nlp_zero")


if __name__ == "__main__":
    main()
