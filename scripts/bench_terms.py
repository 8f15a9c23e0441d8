"""Domain terms of the insurance passages against jieba's frequencies: ours beside Su's ratio.

Both rankings score the same candidates (the words our finder discovers in the passages); Su's
anchor ranks them by the smoothed ratio alone, with no filters, as in ALGORITHMS.md §2. Prints
both top-N lists side by side as a markdown table, with timings.

    python scripts/bench_terms.py [--top 50]
"""

from __future__ import annotations

import argparse
import time

from textmine.corpus import datasets
from textmine.words import TermContraster


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--top", type=int, default=50)
    args = parser.parse_args()
    passages = datasets.insurance_passages()
    started = time.perf_counter()
    contraster = TermContraster("jieba").fit(passages)
    seconds = time.perf_counter() - started
    ours = contraster.kept_terms_[:args.top]
    su = sorted(contraster.terms_, key=lambda t: (-t.su_ratio, t.term))[:args.top]
    chars = sum(map(len, passages))
    print(f"{chars} characters, {len(contraster.terms_)} candidates, {len(contraster.kept_terms_)} kept terms, "
          f"{seconds:.1f} s (discovery, reference, scoring)\n")
    print("| # | ours | f_d | f_g | Su's ratio | f_d | f_g |")
    print("|---|---|---|---|---|---|---|")
    for rank, (a, b) in enumerate(zip(ours, su), 1):
        print(f"| {rank} | {a.term} | {a.domain_freq} | {a.general_freq} | {b.term} | {b.domain_freq} | "
              f"{b.general_freq} |")
    fragments = [t.term for t in su if contraster.reference_.is_fragment(t.term)]
    print(f"\nSu's top {args.top}: {len(fragments)} affix fragments by the learned rule: {', '.join(fragments)}")
    print(f"ours: {sum(t.fragment for t in ours)} fragments")


if __name__ == "__main__":
    main()
