"""General-language references for domain-term contrast: a frequency list or a corpus.

The reference gives word frequencies in ordinary language. Besides keyness, it teaches the
contrast which characters act as function words: a character that mostly stands alone in the
reference (的, 了, 在, 您 ...) rather than inside longer words is a function affix, so a candidate
whose reference segmentation leaves such a character on its own (的规定 -> 的 | 规定) is a phrase
fragment, not a term. Nothing here is a hand-written list.
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
    """

    def __init__(self, frequencies: dict[str, int], affix_share: float = 0.3, affix_min_freq: float = 1e-4,
                 head_size: int = 300):
        if not frequencies:
            raise InputError("the general reference has no words")
        self.frequencies = frequencies
        self.total = sum(frequencies.values())
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


def _read_frequency_list(path: Path) -> dict[str, int]:
    frequencies: dict[str, int] = {}
    with open_text(path) as handle:
        for number, line in enumerate(handle, 1):
            parts = line.split()
            if not parts:
                continue
            if len(parts) < 2 or not parts[1].isdigit():
                raise InputError(f"{path}, line {number}: expected 'word count [pos]', got {line.strip()!r}")
            frequencies[parts[0]] = frequencies.get(parts[0], 0) + int(parts[1])
    return frequencies


def load_reference(general, *, finder_params: dict | None = None, progress: bool = False) -> GeneralReference:
    """A GeneralReference from "jieba", a frequency-list file, a word->count dict, or a corpus.

    A file whose first lines read "word count [pos]" is a frequency list; any other path (file or
    folder) is read as a corpus, and its word frequencies come from running the same word finder
    on it, so both sides of the contrast are counted the same way.
    """
    from textmine.corpus import open_corpus
    from textmine.corpus.datasets import jieba_frequencies
    from textmine.words.finder import WordFinder

    if isinstance(general, dict):
        return GeneralReference(general)
    if isinstance(general, str) and general == "jieba":
        return GeneralReference(jieba_frequencies())
    if isinstance(general, (str, os.PathLike)):
        path = Path(general)
        if not path.exists():
            raise InputError(f"general reference {path} does not exist; pass a corpus path, a "
                             "frequency list ('word count' lines) or 'jieba'")
        if path.is_file() and _looks_like_frequency_list(path):
            return GeneralReference(_read_frequency_list(path))
        general = open_corpus(path)
    finder = WordFinder(**(finder_params or {}), progress=progress).fit(general)
    return GeneralReference(finder.lexicon_)
