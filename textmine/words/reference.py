"""General-language references for domain-term contrast: a frequency list or a corpus.

The reference gives word frequencies in ordinary language. Besides keyness, it teaches the
contrast which characters act as function words: a character that mostly stands alone in the
reference (的, 了, 在, 您 ...) rather than inside longer words is a function affix, so a candidate
whose reference segmentation leaves such a character on its own (的规定 -> 的 | 规定) is a phrase
fragment, not a term. A reference that carries part-of-speech tags (jieba's dict.txt, a "word
count pos" list) also teaches which tags are closed classes: a tag whose words are on average far
more frequent than the reference's average word (conjunctions, prepositions, adverbs, pronouns,
measure words) holds function words, a tag with many rare words (nouns, verbs, names) holds content
words. Nothing here is a hand-written list.
"""

from __future__ import annotations

import math
import os
import re
from collections import Counter
from pathlib import Path

from textmine.corpus.decoding import open_text
from textmine.errors import InputError
from textmine.words.lexicon import segment_cost

__all__ = ["GeneralReference", "load_reference"]

_FREQ_LINE = re.compile(r"^\S+\s+\d+(\s+\S+)?\s*$")


class GeneralReference:
    """Word frequencies of general language, with the function affixes learned from them.

    Parameters
    ----------
    frequencies : word -> count.
    affix_share : a character is a function affix when at least this share of its occurrences
        are as a word on its own ...
    affix_min_freq : ... and it makes up at least this share of all tokens as a word on its own.
    head_size : the most frequent words of the reference (可能, 非常, 正在 ...); a candidate that
        opens with one of them is a phrase built on a common word, not a term.
    pos : word -> part-of-speech tag, when the reference has them (jieba's tags for "jieba").
    closed_ratio : a tag is a closed (function-word) class when its words average at least this
        many times the tokens of the reference's average word; in jieba's dictionary 8 separates
        adverbs (9.5x), conjunctions (23x) and prepositions (139x) from adjectives (2.8x), verbs
        (2.1x) and nouns (0.7x).
    """

    def __init__(self, frequencies: dict[str, int], affix_share: float = 0.3, affix_min_freq: float = 1e-4,
                 head_size: int = 300, pos: dict[str, str] | None = None, closed_ratio: float = 8.0):
        if not frequencies:
            raise InputError("the general reference has no words")
        self.frequencies = frequencies
        self.total = sum(frequencies.values())
        self.pos = pos or {}
        self.closed_tags, self.noun_tags = self._learn_tags(closed_ratio)
        self.affixes = self._learn_affixes(affix_share, affix_min_freq)
        self.head = set(sorted(frequencies, key=lambda w: (-frequencies[w], w))[:head_size])
        self._log_total = math.log(self.total)
        self._max_len = min(max(map(len, frequencies)), 8)

    def _learn_affixes(self, share: float, min_freq: float) -> set[str]:
        inside: Counter[str] = Counter()
        for word, count in self.frequencies.items():
            if len(word) > 1:
                inside.update(dict.fromkeys(set(word), count))
        return {ch for ch, count in self.frequencies.items()
                if len(ch) == 1 and count >= min_freq * self.total
                and count / (count + inside[ch]) >= share}

    def _learn_tags(self, closed_ratio: float) -> tuple[set[str], set[str]]:
        """Closed-class tags (frequent words per type), and the noun tags: the family (first
        letter) of the tag with the most words, which in every Chinese tag set is the nouns."""
        types: Counter[str] = Counter()
        tokens: Counter[str] = Counter()
        for word, tag in self.pos.items():
            types[tag] += 1
            tokens[tag] += self.frequencies.get(word, 0)
        if not types:
            return set(), set()
        mean = sum(tokens.values()) / sum(types.values())
        closed = {tag for tag in types if tokens[tag] / types[tag] >= closed_ratio * mean}
        family = types.most_common(1)[0][0][0]
        return closed, {tag for tag in types if tag.startswith(family) and tag not in closed}

    def is_closed_class(self, word: str) -> bool:
        """True when the reference tags ``word`` with a closed-class (function-word) tag."""
        return self.pos.get(word) in self.closed_tags

    def is_noun(self, word: str) -> bool:
        """True when the reference tags ``word`` as a noun (it heads noun phrases)."""
        return self.pos.get(word) in self.noun_tags

    def count(self, word: str) -> int:
        return self.frequencies.get(word, 0)

    def segment(self, text: str) -> list[str]:
        """The most probable split of ``text`` into reference words."""
        return segment_cost(text, self.frequencies, self._log_total, self._max_len)[1]

    def split(self, term: str) -> list[str]:
        """The most probable split of ``term`` into other reference words (never ``term`` itself)."""
        count = self.frequencies.pop(term, None)
        try:
            return self.segment(term)
        finally:
            if count is not None:
                self.frequencies[term] = count

    def is_fragment(self, term: str) -> bool:
        """True when ``term`` is no reference word and its split leaves a function affix alone."""
        return term not in self.frequencies and any(piece in self.affixes for piece in self.segment(term))


def _looks_like_frequency_list(path: Path) -> bool:
    with open_text(path) as handle:
        lines = [line for _, line in zip(range(20), handle) if line.strip()]
    return bool(lines) and all(_FREQ_LINE.match(line) for line in lines)


def _read_frequency_list(path: Path) -> GeneralReference:
    """A "word count [pos]" file; the tags, where every line has one, become the reference's POS."""
    frequencies: dict[str, int] = {}
    pos: dict[str, str] = {}
    untagged = False
    with open_text(path) as handle:
        lines = handle.read().splitlines()              # one read: a 349k-line list parses 3x faster so
    for number, line in enumerate(lines, 1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) < 2 or not parts[1].isdigit():
            raise InputError(f"{path}, line {number}: expected 'word count [pos]', got {line.strip()!r}")
        frequencies[parts[0]] = frequencies.get(parts[0], 0) + int(parts[1])
        if len(parts) > 2:
            pos.setdefault(parts[0], parts[2])
        else:
            untagged = True
    return GeneralReference(frequencies, pos=None if untagged else pos)


def load_reference(general, *, finder_params: dict | None = None, progress: bool = False) -> GeneralReference:
    """A GeneralReference from "jieba", a frequency-list file, a word->count dict, or a corpus.

    A file whose first lines read "word count [pos]" is a frequency list (with part-of-speech tags
    when every line has one, as jieba's dict.txt does); any other path (file or
    folder) is read as a corpus, and its word frequencies come from running the same word finder
    on it, so both sides of the contrast are counted the same way.
    """
    from textmine.corpus import open_corpus
    from textmine.corpus.datasets import jieba_dict_path
    from textmine.words.finder import WordFinder

    if isinstance(general, dict):
        return GeneralReference(general)
    if isinstance(general, str) and general == "jieba":
        return _read_frequency_list(jieba_dict_path())
    if isinstance(general, (str, os.PathLike)):
        path = Path(general)
        if not path.exists():
            raise InputError(f"general reference {path} does not exist; pass a corpus path, a "
                             "frequency list ('word count' lines) or 'jieba'")
        if path.is_file() and _looks_like_frequency_list(path):
            return _read_frequency_list(path)
        general = open_corpus(path)
    finder = WordFinder(**(finder_params or {}), progress=progress).fit(general)
    return GeneralReference(finder.lexicon_)
