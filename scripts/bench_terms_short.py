"""Terms on short documents: the insurance questions (train split, one question a document) or
People's Daily cut into one sentence a document.

Prints the corpus size, how many candidates are kept, how many each test demoted, and the top 50
kept terms (docs/benchmarks/terms.md shows them before and after each change).

    python scripts/bench_terms_short.py insq
    python scripts/bench_terms_short.py pd
"""

from __future__ import annotations

import argparse
import collections
import re
import time

from textmine.corpus import datasets
from textmine.words import TermContraster


def pd_sentences() -> list[str]:
    """People's Daily, January 1998, one sentence (up to 。！？；) a document, in their order."""
    return [sentence for doc in datasets.peoples_daily_text()
            for sentence in re.split(r"(?<=[。！？；])", doc) if sentence.strip()]


def insurance_questions() -> list[str]:
    return [q["question"] for q in datasets.insurance_questions("train")]


CORPORA = {"insq": insurance_questions, "pd": pd_sentences}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", choices=sorted(CORPORA))
    parser.add_argument("--top", type=int, default=50)
    args = parser.parse_args()
    documents = CORPORA[args.corpus]()
    print(f"{args.corpus}: {len(documents):,} documents, {sum(map(len, documents)):,} characters")
    started = time.perf_counter()
    contraster = TermContraster("jieba").fit(documents)
    print(f"kept {len(contraster.kept_terms_):,} of {len(contraster.terms_):,} candidates "
          f"({time.perf_counter() - started:.1f} s)")
    demoted = collections.Counter(test for t in contraster.terms_ for test in t.demoted.split(",") if test)
    print("demoted by: " + ", ".join(f"{test} {count:,}" for test, count in demoted.most_common()))
    print(" ".join(t.term for t in contraster.kept_terms_[:args.top]))


if __name__ == "__main__":
    main()
