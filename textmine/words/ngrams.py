"""Exact character n-gram counts with boundary statistics, streamed over a corpus in shards.

Each n-gram of CJK characters is packed into one uint64 (``bits`` per character), so counting is
a vectorised sort of an integer array per order and shard, with no Python object per n-gram.
Shards are merged into sorted (key, count) tables; when a table outgrows ``max_keys`` its rarest
keys are pruned (the only approximation, logged when it happens).

Boundary entropy needs the neighbours of each n-gram. For n < max_n the right neighbours are read
off the (n+1)-gram table; the left neighbours and, for n = max_n, both sides are counted as
"context" tables keyed ``(n-gram << slot) | neighbour``. For max_n = 4 the neighbour slot has
64 - 4*bits bits, so when there are more distinct characters than the slot holds the rarest
neighbours share slots (a slight underestimate of the entropy of 4-grams; documented, and exact
whenever the corpus has fewer than 2**slot distinct characters).
"""

from __future__ import annotations

import logging
import math
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Iterable, Iterator

import numpy as np

from textmine.errors import InputError
from textmine.words._kernels import LEFT, PLAIN, RIGHT, merge_tables, run_lengths, window_keys
from textmine.words.encode import CharIndex, separator_runs

__all__ = ["NgramCounts", "count_ngrams", "iter_shards"]

log = logging.getLogger(__name__)

_U64 = np.uint64
_NOT_CJK = re.compile(r"[^\u3400-\u9fff\uf900-\ufaff]")


def _count_windows(ids, avail, n: int, bits: int, kind: int, slot: int):
    keys = window_keys(ids, avail, n, bits, kind, slot)
    keys.sort()
    return run_lengths(keys)


def _prune(keys, counts, max_keys: int, name: str):
    """Drop the rarest keys until at most 3/4 of ``max_keys`` remain."""
    target = (max_keys * 3) // 4
    threshold = np.partition(counts, len(counts) - target)[len(counts) - target]
    keep = counts > threshold
    log.warning("pruned %s table from %d to %d keys (counts <= %d dropped); raise max_keys for exact counts",
                name, len(keys), int(keep.sum()), threshold)
    return keys[keep], counts[keep]


@dataclass
class NgramCounts:
    """Merged n-gram tables: ``keys[n]``/``counts[n]`` for n = 1..max_n, plus context tables.

    ``left[n]`` holds (n-gram, left neighbour) pairs for every n; ``right[max_n]`` holds
    (max_n-gram, right neighbour) pairs (shorter n-grams use the (n+1)-gram table).
    """

    max_n: int
    bits: int
    index: CharIndex
    keys: dict[int, np.ndarray] = field(default_factory=dict)
    counts: dict[int, np.ndarray] = field(default_factory=dict)
    left: dict[int, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    right: dict[int, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    n_chars: int = 0
    pruned: bool = False

    # -- packing -----------------------------------------------------------------------------
    def slot(self, n: int) -> int:
        """Bits given to the neighbour in context keys of n-grams."""
        return self.bits if n < self.max_n else 64 - self.max_n * self.bits

    def pack(self, word: str) -> int | None:
        """The key of ``word``, or None if it has a character never seen as CJK text."""
        key = 0
        for ch in word:
            i = self.index.id(ch)
            if i == 0:
                return None
            key = (key << self.bits) | i
        return key

    def unpack(self, key: int, n: int) -> str:
        mask = (1 << self.bits) - 1
        return "".join(self.index.chars[(key >> ((n - 1 - j) * self.bits)) & mask] for j in range(n))

    def unpack_all(self, n: int) -> list[str]:
        """Every n-gram of table n as a string, in key order."""
        keys = self.keys[n]
        mask = _U64((1 << self.bits) - 1)
        columns = [((keys >> _U64((n - 1 - j) * self.bits)) & mask).astype(np.int64) for j in range(n)]
        chars = np.array(self.index.chars, dtype=object)
        out = chars[columns[0]]
        for col in columns[1:]:
            out = out + chars[col]
        return out.tolist()

    # -- queries -----------------------------------------------------------------------------
    def lookup(self, n: int, keys: np.ndarray) -> np.ndarray:
        """Counts of the given n-gram keys (0 for unseen)."""
        table = self.keys[n]
        at = np.minimum(np.searchsorted(table, keys), max(len(table) - 1, 0))
        found = (table[at] == keys) if len(table) else np.zeros(len(keys), dtype=bool)
        return np.where(found, self.counts[n][at] if len(table) else 0, 0)

    def count(self, word: str) -> int:
        """Exact count of ``word`` (len <= max_n) in the corpus."""
        if not 1 <= len(word) <= self.max_n:
            raise InputError(f"count() answers for 1 to {self.max_n} characters, got {word!r}")
        key = self.pack(word)
        return 0 if key is None else int(self.lookup(len(word), np.array([key], dtype=_U64))[0])

    def cohesion(self, n: int, keys: np.ndarray, counts: np.ndarray) -> np.ndarray:
        """min over split points of log(N c(w) / (c(a) c(b))) for the given n-grams (n >= 2)."""
        logn = math.log(max(self.n_chars, 1))
        best = np.full(len(keys), np.inf)
        for k in range(1, n):
            shift = _U64((n - k) * self.bits)
            left = self.lookup(k, keys >> shift)
            right = self.lookup(n - k, keys & ((_U64(1) << shift) - _U64(1)))
            np.minimum(best, logn + np.log(counts) - np.log(left) - np.log(right), out=best)
        return best

    def entropies(self, n: int, keys: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Left and right neighbour entropies (nats) of the given n-grams.

        Each occurrence at a text boundary counts as a distinct neighbour, so a word that often
        stands between punctuation scores high, as it should.
        """
        if n < self.max_n:
            right_table = (self.keys[n + 1], self.counts[n + 1])
        else:
            right_table = self.right[n]
        return (_context_entropy(keys, counts, *self.left[n], self.slot(n)),
                _context_entropy(keys, counts, *right_table, self.slot(n)))


def _context_entropy(keys, counts, ctx_keys, ctx_counts, slot: int) -> np.ndarray:
    """H = log C - sum_x c_x log c_x / C over the neighbours x of each key (boundaries distinct)."""
    owners = ctx_keys >> _U64(slot)
    weighted = np.concatenate(([0.0], np.cumsum(ctx_counts * np.log(ctx_counts))))
    lo = np.searchsorted(owners, keys, side="left")
    hi = np.searchsorted(owners, keys, side="right")
    total = counts.astype(np.float64)
    return np.maximum(np.log(total) - (weighted[hi] - weighted[lo]) / total, 0.0)


def _pieces(document: str, size: int) -> Iterator[str]:
    """``document`` in pieces of at most ``size`` characters, cut after a non-CJK character
    (punctuation, space) near the end of each piece when there is one, so that no word is cut."""
    start = 0
    while len(document) - start > size:
        window = document[start + size - min(size // 10, 1000):start + size]
        last = max((m.end() for m in _NOT_CJK.finditer(window)), default=None)
        end = start + size - len(window) + last if last else start + size
        yield document[start:end]
        start = end
    yield document[start:]


def iter_shards(corpus: Iterable[str], shard_chars: int) -> Iterator[str]:
    """Join documents into shards of about ``shard_chars`` characters, a newline between documents.

    A document longer than a shard is cut (at punctuation when possible, see ``_pieces``) with
    a newline inserted there, so memory stays bounded however long a line is.
    """
    buffer: list[str] = []
    size = 0
    for document in corpus:
        for piece in _pieces(document, shard_chars):
            buffer.append(piece)
            size += len(piece) + 1
            if size >= shard_chars:
                yield "\n".join(buffer) + "\n"
                buffer, size = [], 0
    if buffer:
        yield "\n".join(buffer) + "\n"


class _Counter:
    """Accumulates shard counts into NgramCounts, one table per thread task."""

    def __init__(self, max_n: int, max_keys: int, pool: ThreadPoolExecutor):
        bits = 13 if max_n == 4 else 16
        self.result = NgramCounts(max_n=max_n, bits=bits, index=CharIndex(capacity=(1 << bits) - 1))
        self.max_keys = max_keys
        self.pool = pool
        self.pruned = False

    def _tasks(self):
        """(table dict, n, window kind) for every table this counter keeps."""
        r = self.result
        for n in range(1, r.max_n + 1):
            yield r.counts, n, PLAIN
            yield r.left, n, LEFT
        yield r.right, r.max_n, RIGHT

    def _count_into(self, ids, avail, table: dict, n: int, kind: int) -> None:
        r = self.result
        keys, counts = _count_windows(ids, avail, n, r.bits, kind, r.slot(n))
        if kind == PLAIN:
            if n in r.keys:
                keys, counts = merge_tables(r.keys[n], r.counts[n], keys, counts)
            r.keys[n], r.counts[n] = self._bounded((keys, counts), f"{n}-gram")
        else:
            if n in table:
                keys, counts = merge_tables(*table[n], keys, counts)
            table[n] = self._bounded((keys, counts), f"context-{n}")

    def _bounded(self, table, name):
        if len(table[0]) <= self.max_keys:
            return table
        self.pruned = True
        return _prune(*table, self.max_keys, name)

    def add_shard(self, ids: np.ndarray) -> None:
        avail = separator_runs(ids)
        self.result.n_chars += int(np.count_nonzero(ids))
        jobs = [self.pool.submit(self._count_into, ids, avail, table, n, kind)
                for table, n, kind in self._tasks()]
        for job in jobs:
            job.result()


def count_ngrams(corpus: Iterable[str], max_n: int = 4, *, shard_chars: int = 4_000_000,
                 max_keys: int = 40_000_000, spool: list | None = None, threads: int = 2,
                 progress: bool = False) -> NgramCounts:
    """Count every CJK character n-gram (n = 1..max_n) of the corpus, with neighbour tables.

    One pass over the corpus. Memory: the current shard (about 60 bytes per character of
    ``shard_chars`` while sorting) plus the merged tables, each capped at ``max_keys`` keys
    (16 bytes a key). Tables are counted in parallel on ``threads`` threads. ``spool``, when a list, receives each shard's encoded ids (uint16) so a
    later pass need not read and decode the text again.
    """
    if not 1 <= max_n <= 4:
        raise InputError(f"max_n must be between 1 and 4 (longer words come from chunking), got {max_n}")
    if shard_chars < 1000:
        raise InputError(f"shard_chars must be at least 1000, got {shard_chars}")
    if max_keys < 1000:
        raise InputError(f"max_keys must be at least 1000, got {max_keys}")
    if threads < 1:
        raise InputError(f"threads must be at least 1, got {threads}")
    from tqdm import tqdm

    with ThreadPoolExecutor(max_workers=threads) as pool:
        counter = _Counter(max_n, max_keys, pool)
        bar = tqdm(total=None, unit="char", unit_scale=True, desc="counting n-grams", disable=not progress)
        for text in iter_shards(corpus, shard_chars):
            ids = counter.result.index.encode(text).astype(np.uint16)
            counter.add_shard(ids)
            if spool is not None:
                spool.append(ids)
            bar.update(len(text))
        bar.close()
    result = counter.result
    if result.n_chars == 0:
        raise InputError("the corpus holds no Chinese characters to count")
    if result.index.overflow:
        log.warning("%d rare characters beyond the first %d were treated as separators",
                    result.index.overflow, result.index.capacity)
    result.pruned = counter.pruned
    return result
