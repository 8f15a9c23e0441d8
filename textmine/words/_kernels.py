"""Compiled inner loops of n-gram counting and chunking (numba; the GIL is released, so shards
count on several threads). Tables are sorted (key, count) arrays: sorting packed uint64 keys and
taking run lengths streams through memory, where a hash table that outgrows the cache would
miss it on nearly every probe."""

from __future__ import annotations

import numpy as np
from numba import njit

EMPTY = np.uint64(0xFFFFFFFFFFFFFFFF)
TOP = np.uint64(0x8000000000000000)
TAG_SHIFT = 56  # packed n-gram keys use at most 52 bits; the length tag sits above them


@njit(nogil=True, cache=True)
def padded_keys(ids, avail, max_n, bits):
    """One key per CJK character: the max_n-gram starting there, cut where its run of CJK
    characters ends and padded with the separator id 0.

    Sorted, these keys hold every order at once: the n-grams are the runs of equal n-character
    prefixes whose n-th character is not padding (see ``prefix_counts``).
    """
    out = np.empty(len(ids), np.uint64)
    m = 0
    for i in range(len(ids)):
        run = avail[i]
        if run == 0:
            continue
        key = np.uint64(0)
        for j in range(max_n):
            key = key << np.uint64(bits)
            if j < run:
                key |= np.uint64(ids[i + j])
        out[m] = key
        m += 1
    return out[:m]


@njit(nogil=True, cache=True)
def prefix_counts(sorted_keys, shift, last):
    """Distinct values of ``key >> shift`` over sorted keys, with their multiplicities, sized by a
    first pass. Values whose ``last`` bits are 0 are skipped: off sorted padded max_n-gram keys,
    shift (max_n - n) * bits and last (1 << bits) - 1 give the n-gram table (padding excluded)."""
    shift = np.uint64(shift)
    last = np.uint64(last)
    distinct = 0
    for i in range(len(sorted_keys)):
        key = sorted_keys[i] >> shift
        if (last == 0 or key & last != 0) and (distinct == 0 or key != sorted_keys[i - 1] >> shift):
            distinct += 1
    keys = np.empty(distinct, np.uint64)
    counts = np.empty(distinct, np.int64)
    m = -1
    for i in range(len(sorted_keys)):
        key = sorted_keys[i] >> shift
        if last != 0 and key & last == 0:
            continue
        if m >= 0 and keys[m] == key:
            counts[m] += 1
        else:
            m += 1
            keys[m] = key
            counts[m] = 1
    return keys, counts


@njit(nogil=True, cache=True)
def context_keys(ids, avail, n, bits, slot, members):
    """Keys ``(n-gram << slot) | neighbour`` of every n-gram with a left, and of every n-gram with
    a right, neighbour inside its run: one pass, for the n-grams in the set ``members`` (every
    n-gram when it is empty). Returns (left keys, right keys).

    A neighbour id wider than ``slot`` bits keeps its low bits (ngrams.py explains when).
    """
    smask = np.uint64((1 << slot) - 1)
    everything = len(members) == 0
    lefts = np.empty(len(ids), np.uint64)
    rights = np.empty(len(ids), np.uint64)
    m_left = m_right = 0
    for i in range(len(ids)):
        if avail[i] < n:
            continue
        key = np.uint64(0)
        for j in range(n):
            key = (key << np.uint64(bits)) | np.uint64(ids[i + j])
        if not everything and map_find(members, key) < 0:
            continue
        if i > 0 and ids[i - 1] != 0:
            lefts[m_left] = (key << np.uint64(slot)) | (np.uint64(ids[i - 1]) & smask)
            m_left += 1
        if avail[i] > n:
            rights[m_right] = (key << np.uint64(slot)) | (np.uint64(ids[i + n]) & smask)
            m_right += 1
    return lefts[:m_left], rights[:m_right]


@njit(nogil=True, cache=True)
def run_lengths(sorted_keys):
    """Distinct keys of a sorted array and their multiplicities."""
    return prefix_counts(sorted_keys, 0, 0)


@njit(nogil=True, cache=True)
def merge_tables(a_keys, a_counts, b_keys, b_counts):
    """Union of two sorted (key, count) tables, adding counts of shared keys. Sized by a first
    pass over the keys, so a merge holds no more than its inputs and its output."""
    shared = i = j = 0
    while i < len(a_keys) and j < len(b_keys):
        if a_keys[i] < b_keys[j]:
            i += 1
        elif b_keys[j] < a_keys[i]:
            j += 1
        else:
            shared += 1
            i += 1
            j += 1
    keys = np.empty(len(a_keys) + len(b_keys) - shared, np.uint64)
    counts = np.empty(len(keys), np.int64)
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
    return keys, counts


@njit(nogil=True, cache=True)
def _xlogx_sum(counts, lo, hi):
    total = 0.0
    for i in range(lo, hi):
        total += counts[i] * np.log(counts[i])
    return total


@njit(nogil=True, cache=True)
def owner_sums(ctx_keys, ctx_counts, slot, queries):
    """For each query n-gram, sum of c log c over its neighbours in a sorted context table whose
    keys are ``(owner << slot) | neighbour`` (a key's owner is its top bits)."""
    owners = ctx_keys >> np.uint64(slot)
    out = np.zeros(len(queries))
    for q in range(len(queries)):
        lo = np.searchsorted(owners, queries[q], side="left")
        hi = np.searchsorted(owners, queries[q], side="right")
        out[q] = _xlogx_sum(ctx_counts, lo, hi)
    return out


@njit(nogil=True, cache=True)
def suffix_sums(keys, counts, bits_n, sorted_queries):
    """For each sorted query n-gram w, sum of c log c over the (n+1)-grams xw of a table (the left
    neighbours of w): one pass over the table, each key's low ``bits_n`` bits looked up. A bit
    filter of the queries' hashes (128 KB, cache-resident) skips the search for most keys."""
    mask = np.uint64((1 << bits_n) - 1)
    out = np.zeros(len(sorted_queries))
    seen = np.zeros(1 << 14, np.uint64)
    for query in sorted_queries:
        h = _hash20(query)
        seen[h >> np.uint64(6)] |= np.uint64(1) << (h & np.uint64(63))
    for i in range(len(keys)):
        suffix = keys[i] & mask
        h = _hash20(suffix)
        if seen[h >> np.uint64(6)] & (np.uint64(1) << (h & np.uint64(63))) == 0:
            continue
        q = np.searchsorted(sorted_queries, suffix)
        if q < len(sorted_queries) and sorted_queries[q] == suffix:
            out[q] += counts[i] * np.log(counts[i])
    return out


@njit(inline="always")
def _hash20(key):
    return (key * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(44)


# -- a set of uint64 keys by open addressing (the kept n-grams the chunking pass looks up) ---------
@njit(inline="always")
def _slot(key, mask):
    return (key * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(20) & mask


@njit(nogil=True, cache=True)
def map_find(keys, key):
    """Slot of ``key`` in the set, or -1."""
    mask = np.uint64(len(keys) - 1)
    i = _slot(key, mask)
    while keys[i] != EMPTY:
        if keys[i] == key:
            return np.int64(i)
        i = (i + np.uint64(1)) & mask
    return np.int64(-1)


@njit(nogil=True, cache=True)
def set_from(keys_in):
    """A set (slot array) holding ``keys_in``, at most half full."""
    size = 1 << 10
    while size < 2 * len(keys_in):
        size *= 2
    keys = np.full(size, EMPTY, np.uint64)
    mask = np.uint64(size - 1)
    for key in keys_in:
        i = _slot(key, mask)
        while keys[i] != EMPTY and keys[i] != key:
            i = (i + np.uint64(1)) & mask
        keys[i] = key
    return keys


@njit(nogil=True, cache=True)
def tag(key, n):
    """A packed n-gram key made unique across lengths (keys use at most 52 bits)."""
    return key | (np.uint64(n) << np.uint64(TAG_SHIFT))


@njit(nogil=True, cache=True)
def chunk_keys(ids, avail, kept, bits, max_n):
    """Cut a shard into chunks: the key of every chunk, and (key, start, length) of the long ones.

    A boundary between two characters is joined when a kept n-gram (2 <= n <= max_n, looked up
    in the ``kept`` set of tagged keys) spans it; a chunk is a maximal run of joined characters.
    Chunks of up to max_n characters are keyed by their tagged packed key, longer ones by a 64-bit
    hash with the top bit set.
    """
    length = len(ids)
    keys = np.empty(length, np.uint64)
    most = length // (max_n + 1) + 1  # a long chunk spans more than max_n characters
    long_keys = np.empty(most, np.uint64)
    long_starts = np.empty(most, np.int64)
    long_sizes = np.empty(most, np.int32)
    m = n_long = 0
    reach = -1
    start = -1
    for i in range(length):
        if ids[i] == 0:
            continue
        if start < 0:
            start = i
        for n in range(min(max_n, avail[i]), 1, -1):
            if i + n - 1 <= reach:
                break
            key = np.uint64(0)
            for j in range(n):
                key = (key << np.uint64(bits)) | np.uint64(ids[i + j])
            if map_find(kept, tag(key, n)) >= 0:
                reach = i + n - 1
                break
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
            key = key | TOP
            long_keys[n_long] = key
            long_starts[n_long] = start
            long_sizes[n_long] = size
            n_long += 1
        keys[m] = key
        m += 1
        start = -1
    return keys[:m], long_keys[:n_long].copy(), long_starts[:n_long].copy(), long_sizes[:n_long].copy()


@njit(nogil=True, cache=True)
def assign_ids(points, table, cjk, next_id, room):
    """Ids of ``points`` from ``table``, giving the next ids to unseen CJK points in order of first
    appearance while ``room`` lasts; points past it stop counting as CJK (they become separators).
    Returns the ids, the newly numbered points and how many distinct points overflowed."""
    ids = np.empty(len(points), np.int32)
    fresh = np.empty(min(len(points), room), np.uint32)
    added = overflow = 0
    for i in range(len(points)):
        point = points[i]
        value = table[point]
        if value == 0 and cjk[point]:
            if added < room:
                value = next_id + added
                table[point] = value
                fresh[added] = point
                added += 1
            else:
                cjk[point] = False
                overflow += 1
        ids[i] = value
    return ids, fresh[:added], overflow


@njit(nogil=True, cache=True)
def separator_runs(ids):
    """For each position, how many non-separator characters start there before the next separator."""
    runs = np.empty(len(ids), np.int32)
    run = 0
    for i in range(len(ids) - 1, -1, -1):
        run = run + 1 if ids[i] != 0 else 0
        runs[i] = run
    return runs
