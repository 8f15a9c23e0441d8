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


def count_chunks(counts: NgramCounts, shards: Iterable[np.ndarray], kept: dict[int, np.ndarray],
                 min_count: int, *, threads: int = 2) -> dict[str, int]:
    """Chunk strings with their counts: every single character, and longer chunks seen
    ``min_count`` times. ``shards`` (the encoded ids that counting spooled) is read twice when
    some long chunk is kept: once to cut, once to decode the long chunks."""
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
        long_keys, first = np.unique(long_keys, return_index=True)
        return long_keys, starts[first] + offset, sizes[first]

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
    if long_wanted.any():
        words.update(_decode_long(counts, shards, longs, keys[long_wanted], chunk_counts[long_wanted]))
    return words


def _decode_long(counts: NgramCounts, shards: Iterable[np.ndarray], longs, keys, chunk_counts) -> dict[str, int]:
    """The text of the kept long chunks, each decoded at its first occurrence."""
    all_keys, all_starts, all_sizes = (np.concatenate(column) for column in zip(*longs))
    unique, first = np.unique(all_keys, return_index=True)
    at = np.searchsorted(unique, keys)
    starts, sizes = all_starts[first[at]], all_sizes[first[at]]
    order = np.argsort(starts, kind="stable")
    words: dict[str, int] = {}
    offset, i = 0, 0
    for ids in shards:
        end = offset + len(ids)
        while i < len(order) and starts[order[i]] < end:
            j = order[i]
            at_shard = int(starts[j] - offset)
            word = counts.index.decode(ids[at_shard:at_shard + int(sizes[j])].tolist())
            words[word] = words.get(word, 0) + int(chunk_counts[j])
            i += 1
        offset = end
        if i == len(order):
            break
    return words
