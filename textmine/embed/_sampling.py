"""Sampling tables shared by the compiled trainers: unigram^0.75 negatives and subsampling."""

from __future__ import annotations

import numpy as np

__all__ = ["negative_table", "keep_probabilities", "split_work"]


def negative_table(counts: np.ndarray, power: float = 0.75, size: int | None = None) -> np.ndarray:
    """A lookup table where word ``i`` fills a share ``c_i^power / sum c^power`` of the slots.

    A table lookup costs one random number and one load, which is why word2vec and JoSE use it
    instead of a binary search; the size grows with the vocabulary (100 slots a word, at least
    1M, at most 10M = 40 MB) so rare words still get slots.
    """
    counts = np.asarray(counts, dtype=np.float64)
    if size is None:
        size = int(min(10_000_000, max(1_000_000, 100 * len(counts))))
    weights = counts ** power
    edges = np.cumsum(weights) / weights.sum()
    slots = (np.arange(size, dtype=np.float64) + 0.5) / size
    return np.minimum(np.searchsorted(edges, slots), len(counts) - 1).astype(np.int32)


def keep_probabilities(counts: np.ndarray, sample: float) -> np.ndarray:
    """word2vec's subsampling: keep a word with probability (sqrt(c/(s T)) + 1) s T / c, capped at 1."""
    counts = np.asarray(counts, dtype=np.float64)
    if sample <= 0:
        return np.ones(len(counts), dtype=np.float32)
    threshold = sample * counts.sum()
    keep = (np.sqrt(counts / threshold) + 1) * threshold / counts
    return np.minimum(keep, 1.0).astype(np.float32)


def split_work(offsets: np.ndarray, parts: int) -> np.ndarray:
    """Document boundaries that give each thread about the same number of tokens."""
    targets = np.linspace(0, offsets[-1], parts + 1)
    bounds = np.searchsorted(offsets, targets).astype(np.int64)
    bounds[0], bounds[-1] = 0, len(offsets) - 1
    return np.maximum.accumulate(np.minimum(bounds, len(offsets) - 1))
