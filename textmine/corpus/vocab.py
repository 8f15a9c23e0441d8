"""Vocabulary: token counts with ids, pruned by count and size, saved as TSV."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Iterable

from textmine.atomic import atomic_open
from textmine.corpus.decoding import open_text
from textmine.errors import InputError

__all__ = ["Vocab"]


class Vocab:
    """Words sorted by descending count (ties by the word), with ids 0..len-1 in that order.

    Build with :meth:`build`; ``min_count`` drops rare words, ``max_size`` keeps the most frequent.
    """

    def __init__(self, counts: dict[str, int]):
        ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        self.words: list[str] = [w for w, _ in ordered]
        self.counts: list[int] = [c for _, c in ordered]
        self._ids = {w: i for i, w in enumerate(self.words)}

    @classmethod
    def build(cls, token_lists: Iterable[list[str]], min_count: int = 1, max_size: int | None = None) -> "Vocab":
        """Count tokens in one pass; keep words seen at least ``min_count`` times, at most ``max_size``."""
        if min_count < 1:
            raise InputError(f"min_count must be at least 1, got {min_count}")
        if max_size is not None and max_size < 1:
            raise InputError(f"max_size must be positive, got {max_size}")
        counter: Counter[str] = Counter()
        for tokens in token_lists:
            counter.update(tokens)
        kept = {w: c for w, c in counter.items() if c >= min_count}
        if max_size is not None and len(kept) > max_size:
            kept = dict(sorted(kept.items(), key=lambda kv: (-kv[1], kv[0]))[:max_size])
        return cls(kept)

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word: str) -> bool:
        return word in self._ids

    def index(self, word: str) -> int:
        """The id of ``word``; KeyError if it is not in the vocabulary."""
        return self._ids[word]

    def count(self, word: str) -> int:
        """How often ``word`` was seen (0 if not in the vocabulary)."""
        i = self._ids.get(word)
        return 0 if i is None else self.counts[i]

    @property
    def total(self) -> int:
        return sum(self.counts)

    def save(self, path: str | os.PathLike) -> None:
        """Write "word<TAB>count" lines, most frequent first, atomically."""
        with atomic_open(path) as handle:
            for word, count in zip(self.words, self.counts):
                handle.write(f"{word}\t{count}\n")

    @classmethod
    def load(cls, path: str | os.PathLike) -> "Vocab":
        counts: dict[str, int] = {}
        with open_text(Path(path)) as handle:
            for number, line in enumerate(handle, 1):
                parts = line.rstrip("\n").split("\t")
                if len(parts) != 2 or not parts[1].isdigit():
                    raise InputError(f"{path}, line {number}: expected 'word<TAB>count', got {line.strip()!r}")
                counts[parts[0]] = int(parts[1])
        return cls(counts)
