"""Compiled inner loops of n-gram counting (numba, GIL released so tables count in parallel)."""

from __future__ import annotations

import numpy as np
from numba import njit

PLAIN, LEFT, RIGHT = 0, 1, 2


@njit(nogil=True, cache=True)
def window_keys(ids, avail, n, bits, kind, slot):
    """Packed keys of every n-gram (kind PLAIN) or (n-gram, neighbour) pair (LEFT / RIGHT).

    ``avail[i]`` is the run of non-separator characters starting at i, so a window is taken only
    when it does not cross a separator; a pair needs the neighbour inside the run too.
    """
    length = len(ids)
    need = n if kind == PLAIN else n + 1
    first = 1 if kind == LEFT else 0
    smask = np.uint64((1 << slot) - 1)
    out = np.empty(length, np.uint64)
    m = 0
    for i in range(length):
        if avail[i] < need:
            continue
        key = np.uint64(0)
        for j in range(first, first + n):
            key = (key << np.uint64(bits)) | np.uint64(ids[i + j])
        if kind == LEFT:
            key = (key << np.uint64(slot)) | (np.uint64(ids[i]) & smask)
        elif kind == RIGHT:
            key = (key << np.uint64(slot)) | (np.uint64(ids[i + n]) & smask)
        out[m] = key
        m += 1
    return out[:m]


@njit(nogil=True, cache=True)
def run_lengths(sorted_keys):
    """Distinct keys of a sorted array and their multiplicities."""
    length = len(sorted_keys)
    keys = np.empty(length, np.uint64)
    counts = np.empty(length, np.int64)
    m = -1
    for i in range(length):
        if m < 0 or sorted_keys[i] != keys[m]:
            m += 1
            keys[m] = sorted_keys[i]
            counts[m] = 1
        else:
            counts[m] += 1
    return keys[:m + 1], counts[:m + 1]


@njit(nogil=True, cache=True)
def merge_tables(a_keys, a_counts, b_keys, b_counts):
    """Union of two sorted (key, count) tables, adding counts of shared keys."""
    keys = np.empty(len(a_keys) + len(b_keys), np.uint64)
    counts = np.empty(len(a_keys) + len(b_keys), np.int64)
    i = j = m = 0
    while i < len(a_keys) or j < len(b_keys):
        if j == len(b_keys) or (i < len(a_keys) and a_keys[i] < b_keys[j]):
            keys[m] = a_keys[i]
            counts[m] = a_counts[i]
            i += 1
        elif i == len(a_keys) or b_keys[j] < a_keys[i]:
            keys[m] = b_keys[j]
            counts[m] = b_counts[j]
            j += 1
        else:
            keys[m] = a_keys[i]
            counts[m] = a_counts[i] + b_counts[j]
            i += 1
            j += 1
        m += 1
    return keys[:m], counts[:m]


# -- open-addressing hash map: uint64 key -> (count, first position, length) ----------------------
EMPTY = np.uint64(0xFFFFFFFFFFFFFFFF)
_TOP = np.uint64(0x8000000000000000)
TAG_SHIFT = 56  # packed n-gram keys use at most 52 bits; the length tag sits above them


@njit(inline="always")
def _slot(key, mask):
    return (key * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(20) & mask


def new_map(capacity: int = 1 << 16):
    """Arrays of an empty map: keys, counts, first positions, lengths (capacity a power of two)."""
    return (np.full(capacity, EMPTY, np.uint64), np.zeros(capacity, np.int64),
            np.zeros(capacity, np.int64), np.zeros(capacity, np.int32))


@njit(nogil=True, cache=True)
def map_find(keys, key):
    mask = np.uint64(len(keys) - 1)
    i = _slot(key, mask)
    while keys[i] != EMPTY:
        if keys[i] == key:
            return np.int64(i)
        i = (i + np.uint64(1)) & mask
    return np.int64(-1)


@njit(nogil=True, cache=True)
def _map_add(keys, counts, firsts, lengths, key, count, first, length):
    mask = np.uint64(len(keys) - 1)
    i = _slot(key, mask)
    while keys[i] != EMPTY and keys[i] != key:
        i = (i + np.uint64(1)) & mask
    if keys[i] == EMPTY:
        keys[i] = key
        firsts[i] = first
        lengths[i] = length
        counts[i] = count
        return 1
    counts[i] += count
    return 0


@njit(nogil=True, cache=True)
def map_grow(keys, counts, firsts, lengths):
    size = len(keys) * 2
    new_keys = np.full(size, EMPTY, np.uint64)
    new_counts = np.zeros(size, np.int64)
    new_firsts = np.zeros(size, np.int64)
    new_lengths = np.zeros(size, np.int32)
    for i in range(len(keys)):
        if keys[i] != EMPTY:
            _map_add(new_keys, new_counts, new_firsts, new_lengths, keys[i], counts[i], firsts[i], lengths[i])
    return new_keys, new_counts, new_firsts, new_lengths


@njit(nogil=True, cache=True)
def set_from(keys_in):
    """A map holding ``keys_in`` (used as a set), at most half full."""
    size = 1 << 10
    while size < 2 * len(keys_in):
        size *= 2
    keys = np.full(size, EMPTY, np.uint64)
    counts = np.zeros(size, np.int64)
    firsts = np.zeros(size, np.int64)
    lengths = np.zeros(size, np.int32)
    for k in keys_in:
        _map_add(keys, counts, firsts, lengths, k, 1, 0, 0)
    return keys


@njit(nogil=True, cache=True)
def tag(key, n):
    """A packed n-gram key made unique across lengths (keys use at most 52 bits)."""
    return key | (np.uint64(n) << np.uint64(TAG_SHIFT))


@njit(nogil=True, cache=True)
def chunk_shard(ids, avail, kept, bits, max_n, keys, counts, firsts, lengths, offset, used):
    """Cut a shard into chunks and count them in the map (keys, counts, firsts, lengths).

    A boundary between two characters is joined when a kept n-gram (2 <= n <= max_n, looked up
    in the ``kept`` set of tagged keys) spans it; a chunk is a maximal run of joined characters.
    Chunks of up to max_n characters are keyed by their tagged packed key, longer ones by a 64-bit
    hash with the top bit set. Returns the (possibly grown) map arrays and its number of keys.
    """
    length = len(ids)
    reach = -1
    start = -1
    for i in range(length):
        if ids[i] == 0:
            continue
        if start < 0:
            start = i
        for n in range(2, min(max_n, avail[i]) + 1):
            key = np.uint64(0)
            for j in range(n):
                key = (key << np.uint64(bits)) | np.uint64(ids[i + j])
            if map_find(kept, tag(key, n)) >= 0 and i + n - 1 > reach:
                reach = i + n - 1
        if reach > i:
            continue
        size = i - start + 1
        if size <= max_n:
            key = np.uint64(0)
            for j in range(start, i + 1):
                key = (key << np.uint64(bits)) | np.uint64(ids[j])
            key = tag(key, size)
        else:
            key = np.uint64(1469598103934665603)
            for j in range(start, i + 1):
                key = (key ^ np.uint64(ids[j])) * np.uint64(1099511628211)
            key = key | _TOP
        used += _map_add(keys, counts, firsts, lengths, key, 1, offset + start, size)
        if 2 * used > len(keys):
            keys, counts, firsts, lengths = map_grow(keys, counts, firsts, lengths)
        start = -1
    return keys, counts, firsts, lengths, used
