"""Compiled row-wise top-k selection above a threshold (numba, rows in parallel)."""

from __future__ import annotations

import numpy as np
from numba import njit, prange


@njit(parallel=True, cache=True)
def top_k_above(sims, k, min_sim):
    """For each row, the columns of its ``k`` largest values >= ``min_sim``, best first.

    A bounded min-heap per row: most values fail the first comparison, so a row costs one pass.
    Missing entries are -1 / -inf.
    """
    rows, cols = sims.shape
    neighbours = np.full((rows, k), -1, np.int64)
    similarity = np.full((rows, k), -np.inf, np.float32)
    for r in prange(rows):
        heap_val = np.full(k, -np.inf, np.float32)
        heap_idx = np.full(k, -1, np.int64)
        size = 0
        for c in range(cols):
            v = sims[r, c]
            if v < min_sim or (size == k and v <= heap_val[0]):
                continue
            if size < k:
                i = size
                size += 1
            else:
                i = 0
                # sift down from the root after replacing the minimum
                while True:
                    left = 2 * i + 1
                    if left >= k:
                        break
                    child = left
                    if left + 1 < k and heap_val[left + 1] < heap_val[left]:
                        child = left + 1
                    if heap_val[child] >= v:
                        break
                    heap_val[i] = heap_val[child]
                    heap_idx[i] = heap_idx[child]
                    i = child
                heap_val[i] = v
                heap_idx[i] = c
                continue
            # sift up the new leaf
            while i > 0:
                parent = (i - 1) // 2
                if heap_val[parent] <= v:
                    break
                heap_val[i] = heap_val[parent]
                heap_idx[i] = heap_idx[parent]
                i = parent
            heap_val[i] = v
            heap_idx[i] = c
        order = np.argsort(-heap_val[:size], kind="mergesort")
        for j in range(size):
            neighbours[r, j] = heap_idx[order[j]]
            similarity[r, j] = heap_val[order[j]]
    return neighbours, similarity
