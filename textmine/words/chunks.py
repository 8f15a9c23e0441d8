"""Chunking: cut the text wherever no kept n-gram joins two characters, and count the pieces.

This is how the finder meets words longer than max_n (docs/algorithms/words.md#new-word-discovery, word-discovery's
pre-segmentation). Each encoded shard is cut on a worker thread; its chunk keys are sorted and
run-length counted like the n-grams (:mod:`textmine.words.ngrams`), and the shard tables merged
the same way. A chunk longer than max_n is keyed by a 64-bit hash, and its text is decoded from
its first occurrence only when it is frequent enough to be kept.
"""

from __future__ import annotations

import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Iterable

import numpy as np

from textmine.words._jit import K
from textmine.distributed import in_order
from textmine.words.ngrams import NgramCounts, _Runs

__all__ = ["count_chunks"]


def count_chunks(counts: NgramCounts, shards: Iterable[np.ndarray], kept: dict[int, np.ndarray], min_count: int,
                 *, threads: int = 2, neighbours: bool = False) -> tuple[dict[str, int], dict[str, int]]:
    """Chunk strings with their counts: every single character, and longer chunks seen
    ``min_count`` times; with ``neighbours``, also how many different characters each of those
    longer than max_n is seen beside on its poorer side (see :func:`_neighbours`; else the second
    dict is empty). ``shards`` (the encoded ids that counting spooled) is read twice when some long
    chunk is kept: once to cut, once to decode the long chunks."""
    tagged = [keys | np.uint64(n << K.TAG_SHIFT) for n, keys in kept.items()]
    kept_set = K.set_from(np.concatenate(tagged) if tagged else np.zeros(0, np.uint64))
    table = _Runs("chunk", sys.maxsize)
    lock = threading.Lock()

    def cut(item):
        offset, ids = item
        ids = np.ascontiguousarray(ids)
        keys, long_keys, starts, sizes = K.chunk_keys(ids, K.separator_runs(ids), kept_set, counts.bits, counts.max_n)
        keys.sort()
        shard_table = K.run_lengths(keys)
        with lock:
            table.add(*shard_table)
        sides = (long_keys, *_beside(ids, starts, starts + sizes)) if neighbours else None
        firsts, first = np.unique(long_keys, return_index=True)
        return firsts, starts[first] + offset, sizes[first], sides

    def numbered():
        offset = 0
        for ids in shards:
            yield offset, ids
            offset += len(ids)

    with ThreadPoolExecutor(max_workers=threads) as pool:
        longs = list(in_order(pool, cut, numbered(), threads + 1))
    keys, chunk_counts = table.table()
    lengths = (keys >> np.uint64(K.TAG_SHIFT)).astype(np.int64)
    wanted = (lengths == 1) | (chunk_counts >= min_count)
    packed = wanted & (keys < K.TOP)
    payload = keys[packed] & np.uint64((1 << K.TAG_SHIFT) - 1)
    words = {counts.unpack(key, n): c
             for key, n, c in zip(payload.tolist(), lengths[packed].tolist(), chunk_counts[packed].tolist())}
    long_wanted = wanted & (keys >= K.TOP)
    beside: dict[str, int] = {}
    if long_wanted.any():
        counted = dict(zip(keys[long_wanted].tolist(), chunk_counts[long_wanted].tolist()))
        sides = _neighbours(keys[long_wanted], *(np.concatenate(c) for c in zip(*(item[3] for item in longs)))) \
            if neighbours else {}
        for key, word in _decode_long(counts, shards, longs, keys[long_wanted]):
            words[word] = words.get(word, 0) + counted[key]         # two hashes of one text (never seen) add up
            if neighbours:
                beside[word] = max(beside.get(word, 0), sides[key])
    return words, beside


def _beside(ids: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The ids just before ``starts`` and at ``ends`` (0, the separator, past the shard's edges)."""
    left = np.where(starts > 0, ids[np.maximum(starts - 1, 0)], 0)
    right = np.where(ends < len(ids), ids[np.minimum(ends, len(ids) - 1)], 0)
    return left, right


def _neighbours(wanted: np.ndarray, keys: np.ndarray, left: np.ndarray, right: np.ndarray) -> dict[int, int]:
    """For each ``wanted`` long chunk key, the number of different characters seen beside it on
    its poorer side, over all its occurrences (``keys``, with the ids ``left`` and ``right`` of
    them). A separator (id 0: punctuation, a line end, a shard's edge) counts as a new neighbour
    each time, as the n-gram entropies count a text boundary: a chunk always followed by one
    character (中华民族共同 | 体) is a piece of a longer unit."""
    wanted = np.sort(wanted)
    at = np.minimum(np.searchsorted(wanted, keys), len(wanted) - 1)
    mine = wanted[at] == keys
    group = at[mine]
    poorer = None
    for side in (left[mine].astype(np.int64), right[mine].astype(np.int64)):
        seen = side != 0
        width = int(side.max()) + 1 if len(side) else 1
        pairs = np.unique(group[seen] * width + side[seen])
        distinct = np.bincount(pairs // width, minlength=len(wanted)) + np.bincount(group[~seen], minlength=len(wanted))
        poorer = distinct if poorer is None else np.minimum(poorer, distinct)
    return dict(zip(wanted.tolist(), poorer.tolist()))


def _decode_long(counts: NgramCounts, shards: Iterable[np.ndarray], longs, keys) -> list[tuple[int, str]]:
    """(key, text) of the kept long chunks, each decoded at its first occurrence."""
    all_keys, all_starts, all_sizes = (np.concatenate(column) for column in zip(*(item[:3] for item in longs)))
    unique, first = np.unique(all_keys, return_index=True)
    at = np.searchsorted(unique, keys)
    starts, sizes = all_starts[first[at]], all_sizes[first[at]]
    order = np.argsort(starts, kind="stable")
    texts: list[tuple[int, str]] = []
    offset, i = 0, 0
    for ids in shards:
        end = offset + len(ids)
        while i < len(order) and starts[order[i]] < end:
            j = order[i]
            at_shard = int(starts[j] - offset)
            texts.append((int(keys[j]), counts.index.decode(ids[at_shard:at_shard + int(sizes[j])].tolist())))
            i += 1
        offset = end
        if i == len(order):
            break
    return texts
