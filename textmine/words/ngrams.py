"""Exact character n-gram counts with boundary statistics, streamed over a corpus in shards.

Each n-gram of CJK characters is packed into one uint64 (``bits`` per character). A shard is
counted with one sort for all orders: every character gives the max_n-gram starting there, cut
where its run of CJK characters ends and padded with the separator id 0, so that in sorted order
the n-grams of each order are runs of equal n-character prefixes. Shard tables are kept as a
few sorted (key, count) runs of decreasing size (see ``_Runs``), so a key takes part in about
log2(shards) merges, not one per shard. When a table outgrows ``max_keys`` its rarest keys are
pruned (the only approximation, logged when it happens). The main thread reads and encodes the
next shard while worker threads count the ones before it.

Boundary entropy needs the neighbours of each n-gram. For n < max_n both sides are read off the
(n+1)-gram table. For n = max_n a second pass over the encoded shards counts "context" tables
keyed ``(n-gram << slot) | neighbour``, for the max_n-grams seen at least ``context_min_count``
times (the word finder needs no rarer ones, and they are most of the keys). For max_n = 4 the
neighbour slot has 64 - 4*bits bits, so when there are more distinct characters than the slot
holds the rarest neighbours share slots (a slight underestimate of the entropy of 4-grams;
documented, and exact whenever the corpus has fewer than 2**slot distinct characters).
"""

from __future__ import annotations

import logging
import math
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Iterable, Iterator

import numpy as np

from textmine.distributed import in_order
from textmine.errors import InputError
from textmine.words import _kernels as C
from textmine.words._jit import SMALL, K
from textmine.words.encode import CharIndex

__all__ = ["NgramCounts", "context_tables", "count_ngrams", "iter_shards", "shard_tables"]

log = logging.getLogger(__name__)

_U64 = np.uint64
_NOT_CJK = re.compile(r"[^\u3400-\u9fff\uf900-\ufaff]")


def _prune(keys, counts, max_keys: int, name: str):
    """Drop the rarest keys until at most 3/4 of ``max_keys`` remain."""
    target = (max_keys * 3) // 4
    threshold = np.partition(counts, len(counts) - target)[len(counts) - target]
    keep = counts > threshold
    log.warning("pruned %s table from %d to %d keys (counts <= %d dropped); raise max_keys for exact counts",
                name, len(keys), int(keep.sum()), threshold)
    return keys[keep], counts[keep]


class _Runs:
    """One table as a few sorted (key, count) runs, each less than half the size of the one
    before: a new run merges with the last one while it holds at least half as many keys. So a
    key takes part in about log2(shards) merges, not one per shard, and the runs hold at most
    twice the keys of the largest (shards of real text share many keys, so runs overlap).
    Bounded: past ``max_keys`` keys in all, the runs are merged and pruned."""

    def __init__(self, name: str, max_keys: int):
        self.name = name
        self.max_keys = max_keys
        self.runs: list[tuple[np.ndarray, np.ndarray]] = []
        self.pruned = False

    def add(self, keys: np.ndarray, counts: np.ndarray) -> None:
        self.runs.append((keys, counts))
        while len(self.runs) > 1 and 2 * len(self.runs[-1][0]) >= len(self.runs[-2][0]):
            self._merge_last_two()
        if sum(len(k) for k, _ in self.runs) > self.max_keys:
            self.runs = [self.table()]

    def _merge_last_two(self) -> None:
        newer = self.runs.pop()
        self.runs.append(K.merge_tables(*self.runs.pop(), *newer))

    def table(self) -> tuple[np.ndarray, np.ndarray]:
        """All runs merged into one table (pruned if it holds more than ``max_keys`` keys)."""
        while len(self.runs) > 1:
            self._merge_last_two()
        keys, counts = self.runs[0] if self.runs else (np.zeros(0, _U64), np.zeros(0, np.int64))
        if len(keys) > self.max_keys:
            self.pruned = True
            keys, counts = _prune(keys, counts, self.max_keys, self.name)
        self.runs = [(keys, counts)]
        return keys, counts


@dataclass
class NgramCounts:
    """Merged n-gram tables: ``keys[n]``/``counts[n]`` for n = 1..max_n, plus context tables.

    ``left[max_n]``/``right[max_n]`` hold (max_n-gram, neighbour) pairs of the max_n-grams seen
    at least ``context_min_count`` times (None: not counted); shorter n-grams use the
    (n+1)-gram table for both sides.
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
    context_min_count: int | None = None

    # -- packing -----------------------------------------------------------------------------
    def slot(self, n: int) -> int:
        """Bits given to the neighbour in context keys of n-grams."""
        return self.bits if n < self.max_n else 64 - self.max_n * self.bits

    def pack(self, word: str) -> int | None:
        """The key of ``word``, or None if it has a character never seen as CJK text."""
        return int(self.pack_all([word])[0]) or None

    def pack_all(self, grams: list[str]) -> np.ndarray:
        """Keys of n-grams all of one length (0 for one with a character never seen as CJK text)."""
        ids = self.index.lookup("".join(grams)).reshape(len(grams), -1).astype(_U64)
        keys = np.zeros(len(grams), _U64)
        for column in ids.T:
            keys = (keys << _U64(self.bits)) | column
        keys[(ids == 0).any(axis=1)] = 0
        return keys

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
        stands between punctuation scores high, as it should. A max_n-gram seen fewer than
        ``context_min_count`` times has no counted neighbours and gets NaN.
        """
        keys = np.ascontiguousarray(keys, dtype=_U64)
        total = np.asarray(counts, dtype=np.float64)
        if n < self.max_n:
            longer, longer_counts = self.keys[n + 1], self.counts[n + 1]
            queries, where = np.unique(keys, return_inverse=True)
            left = K.suffix_sums(longer, longer_counts, n * self.bits, queries)[where]
            right = K.owner_sums(longer, longer_counts, self.bits, keys)
        else:
            if self.context_min_count is None:
                raise InputError(f"the {n}-gram neighbours were not counted; call count_contexts() first")
            left = K.owner_sums(*self.left[n], self.slot(n), keys)
            right = K.owner_sums(*self.right[n], self.slot(n), keys)
        entropy = [np.maximum(np.log(total) - side / total, 0.0) for side in (left, right)]
        if n == self.max_n:
            for side in entropy:
                side[total < self.context_min_count] = np.nan
        return entropy[0], entropy[1]

    def count_contexts(self, shards: Iterable[np.ndarray], min_count: int = 1, *, threads: int = 2,
                       max_keys: int = 40_000_000) -> None:
        """Count the neighbours of the max_n-grams seen at least ``min_count`` times (one pass
        over the encoded shards, ``threads`` shards at a time); ``entropies(max_n)`` needs them."""
        top, slot = self.max_n, self.slot(self.max_n)
        frequent = self.keys[top][self.counts[top] >= min_count]
        members = K.set_from(frequent) if min_count > 1 else np.zeros(0, _U64)
        sides = [_Runs(f"{side} context-{top}", max_keys) for side in ("left", "right")]
        lock = threading.Lock()

        def count(ids):
            for runs, table in zip(sides, context_tables(ids, top, self.bits, slot, members)):
                with lock:
                    runs.add(*table)

        with ThreadPoolExecutor(max_workers=threads) as pool:
            for _ in in_order(pool, count, shards, threads + 1):
                pass
        self.left[top], self.right[top] = sides[0].table(), sides[1].table()
        self.pruned = self.pruned or any(runs.pruned for runs in sides)
        self.context_min_count = min_count


def shard_tables(ids: np.ndarray, max_n: int, bits: int) -> tuple[dict[int, tuple[np.ndarray, np.ndarray]], int]:
    """The (key, count) table of every order 1..max_n of one encoded shard, and its length."""
    keys = K.padded_keys(ids, K.separator_runs(ids), max_n, bits)
    keys.sort()
    return {n: K.prefix_counts(keys, (max_n - n) * bits, (1 << bits) - 1) for n in range(1, max_n + 1)}, len(keys)


def context_tables(ids: np.ndarray, top: int, bits: int, slot: int, members: np.ndarray):
    """The left and right (n-gram, neighbour) tables of one encoded shard, for the ``top``-grams
    in the set ``members`` (all of them when it is empty)."""
    ids = np.ascontiguousarray(ids)
    tables = []
    for keys in K.context_keys(ids, K.separator_runs(ids), top, bits, slot, members):
        keys.sort()
        tables.append(K.run_lengths(keys))
    return tables


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




def _load_kernels() -> None:
    """Call every compiled kernel once on tiny inputs of the types the passes use. The first call
    in a process sets numba up and loads its cache (about half a second); done on a worker while
    the main thread reads the first shard, that time is hidden. Only for inputs large enough to
    run compiled (see _jit.py)."""
    ids, avail = np.array([1, 2, 0], np.uint16), np.array([2, 1, 0], np.int32)
    ids.setflags(write=False)
    keys, counts = np.array([1], _U64), np.array([1], np.int64)
    points = np.frombuffer("天".encode("utf-32-le"), np.uint32)  # read-only, as CharIndex.encode passes them
    C.assign_ids(points, np.zeros(0x110000, np.int32), np.ones(0x110000, bool), 1, 1)
    C.separator_runs(ids)
    C.prefix_counts(C.padded_keys(ids, avail, 2, 13), 13, (1 << 13) - 1)
    C.merge_tables(*C.run_lengths(keys), keys, counts)
    C.context_keys(ids, avail, 1, 13, 12, C.set_from(keys))
    C.chunk_keys(ids, avail, C.set_from(keys), 13, 2)
    C.owner_sums(keys, counts, 12, keys)
    C.suffix_sums(keys, counts, 13, keys)


class _Counter:
    """Counts encoded shards into the n-gram tables of every order (see the module docstring)."""

    def __init__(self, max_n: int, max_keys: int):
        bits = 13 if max_n == 4 else 16
        self.result = NgramCounts(max_n=max_n, bits=bits, index=CharIndex(capacity=(1 << bits) - 1))
        self.tables = {n: _Runs(f"{n}-gram", max_keys) for n in range(1, max_n + 1)}
        self._lock = threading.Lock()

    def add_shard(self, ids: np.ndarray) -> None:
        r = self.result
        tables, n_chars = shard_tables(ids, r.max_n, r.bits)
        with self._lock:
            r.n_chars += n_chars
            for n, table in tables.items():
                self.tables[n].add(*table)

    def finish(self, pool: ThreadPoolExecutor) -> NgramCounts:
        r = self.result
        for n, table in zip(self.tables, pool.map(_Runs.table, self.tables.values())):
            r.keys[n], r.counts[n] = table
        r.pruned = any(runs.pruned for runs in self.tables.values())
        return r


def count_ngrams(corpus: Iterable[str], max_n: int = 4, *, shard_chars: int = 4_000_000,
                 max_keys: int = 40_000_000, spool: list | None = None, threads: int = 2,
                 context_min_count: int | None = 1, progress: bool = False) -> NgramCounts:
    """Count every CJK character n-gram (n = 1..max_n) of the corpus, with neighbour tables.

    One pass over the corpus. Memory: a few shards in flight (about 40 bytes per character of
    ``shard_chars`` each) plus the merged tables, each capped at ``max_keys`` keys (16 bytes a
    key). ``spool``, when a list (or any object with ``append`` that iterates again), receives
    each shard's encoded ids (uint16) so a later pass need not read and decode the text again;
    without one they are kept in memory (2 bytes a character) for the context pass.
    ``context_min_count``: count the neighbours of the max_n-grams seen that often (1: all);
    None leaves it to a later ``count_contexts`` call, when the threshold is known only then.
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

    counter = _Counter(max_n, max_keys)
    index = counter.result.index
    spool = [] if spool is None else spool
    # Over files the bar runs in bytes read of their size on disk, so it has a total and an ETA.
    total = getattr(corpus, "nbytes", None)
    bar = tqdm(total=total, unit="B" if total else "char", unit_scale=True, desc="counting n-grams",
               disable=not progress)

    def encoded():
        for number, text in enumerate(iter_shards(corpus, shard_chars)):
            if number == 0 and total is None and len(text) >= SMALL:
                pool.submit(_load_kernels)
            ids = index.encode(text).astype(np.uint16)
            ids.setflags(write=False)  # as the spooled shards read back: one compiled version
            spool.append(ids)
            bar.update(corpus.bytes_read() - bar.n if total else len(text))
            yield ids

    with ThreadPoolExecutor(max_workers=threads) as pool:
        if total is not None and total >= 3 * SMALL:  # bytes: about SMALL Chinese characters
            pool.submit(_load_kernels)
        for _ in in_order(pool, counter.add_shard, encoded(), threads):
            pass
        bar.close()
        result = counter.finish(pool)
    if result.n_chars == 0:
        raise InputError("the corpus holds no Chinese characters to count")
    if index.overflow:
        log.warning("%d rare characters beyond the first %d were treated as separators",
                    index.overflow, index.capacity)
    if context_min_count is not None:
        result.count_contexts(spool, context_min_count, threads=threads, max_keys=max_keys)
    return result
