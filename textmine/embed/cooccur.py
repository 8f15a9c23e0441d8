"""Co-occurrence counts in a sliding window, into a sparse symmetric matrix, in bounded memory.

Shared by the vector methods that fit counts rather than a stream (minimum-entropy vectors in
both modes). A compiled kernel emits (row, col, weight) triples for a chunk of documents; each
chunk is summed into a scipy CSR matrix before the next is read, so memory is the triple buffer
(``chunk_tokens * window`` entries, 12 bytes each; three windows for the word2vec weighting)
plus the matrix itself.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np
import scipy.sparse as sp
from numba import njit

from textmine.atomic import atomic_dir_file
from textmine.corpus import Vocab
from textmine.distributed import in_order
from textmine.embed.encode import Encoded, check_tokens, encode_with_vocab
from textmine.errors import InputError

__all__ = ["count_cooccurrences", "cooccurrence_matrix", "WEIGHTINGS"]

log = logging.getLogger(__name__)

WEIGHTINGS = ("none", "harmonic", "word2vec")

_A = np.uint64(25214903917)
_C = np.uint64(11)


@njit(cache=True)
def _count_chunk(ids, offsets, window, harmonic, dynamic, seed, rows, cols, vals):
    """Emit (earlier, later) for every pair within ``window`` inside one document (the other order
    is added once at the end, which halves the triples to sort).

    ``harmonic`` weighs a pair at distance k by 1/k (GloVe); ``dynamic`` shrinks each centre's
    window uniformly at random as word2vec does, which in expectation weighs distance k by
    (window - k + 1) / window.
    """
    n = 0
    rng = np.uint64(seed)
    for d in range(len(offsets) - 1):
        start, end = offsets[d], offsets[d + 1]
        for p in range(start, end):
            reach = window
            if dynamic:
                rng = rng * _A + _C
                reach = window - np.int64(rng % np.uint64(window))
            for q in range(p + 1, min(end, p + reach + 1)):
                rows[n] = ids[p]
                cols[n] = ids[q]
                vals[n] = 1.0 / (q - p) if harmonic else 1.0
                n += 1
    return n


@njit(cache=True)
def _count_chunk_skipgram(ids, offsets, window, reach, keep, rows, cols, vals):
    """Emit every pair with the expected number of times one word2vec epoch trains on it.

    word2vec drops each token with probability 1 - keep before windowing, then gives every
    centre a window drawn uniformly from 1..``window``. So a pair at distance q - p with K tokens
    kept between them is trained on with probability keep_p keep_q (window - K) / window when
    K < window: subsampling widens the window over frequent words. ``dist[k]`` is the chance that
    k tokens between p and q survive; the scan stops when no chance of fewer than ``window`` is
    left, or at ``reach`` tokens.
    """
    n = 0
    dist = np.empty(window, np.float64)
    for d in range(len(offsets) - 1):
        start, end = offsets[d], offsets[d + 1]
        for p in range(start, end):
            kp = keep[ids[p]]
            dist[:] = 0.0
            dist[0] = 1.0
            for q in range(p + 1, min(end, p + reach + 1)):
                s = 0.0
                for k in range(window):
                    s += dist[k] * (window - k)
                rows[n] = ids[p]
                cols[n] = ids[q]
                vals[n] = kp * keep[ids[q]] * s / window
                n += 1
                kq = keep[ids[q]]
                alive = 0.0
                for k in range(window - 1, 0, -1):
                    dist[k] = dist[k] * (1.0 - kq) + dist[k - 1] * kq
                    alive += dist[k]
                dist[0] *= 1.0 - kq
                if alive + dist[0] < 1e-4:
                    break
    return n


def _check(window: int, weighting: str, chunk_tokens: int) -> None:
    if not isinstance(window, (int, np.integer)) or not 1 <= window <= 100:
        raise InputError(f"window must be an integer between 1 and 100, got {window!r}")
    if weighting not in WEIGHTINGS:
        raise InputError(f"weighting must be one of {WEIGHTINGS}, got {weighting!r}")
    if chunk_tokens < 1000:
        raise InputError(f"chunk_tokens must be at least 1000, got {chunk_tokens}")


def _span(window: int, weighting: str) -> int:
    """How far apart two counted tokens may be: the window, or for "word2vec" weighting (where
    subsampling lets the window stretch over dropped tokens) three windows."""
    return 3 * window if weighting == "word2vec" else window


@dataclass(frozen=True)
class _PairCounter:
    """Turns one chunk of documents into its (earlier, later) pair counts: a pure function of the
    chunk and its seed, so a chunk can be counted in this process or on a Dask worker alike."""

    size: int
    window: int
    weighting: str
    dynamic: bool
    keep: np.ndarray | None

    def __call__(self, ids: np.ndarray, offsets: np.ndarray, seed: int) -> sp.csr_matrix:
        cap = _span(self.window, self.weighting) * max(len(ids), 1)
        rows, cols, vals = np.empty(cap, np.int32), np.empty(cap, np.int32), np.empty(cap, np.float32)
        if self.weighting == "word2vec":
            n = _count_chunk_skipgram(ids, offsets, self.window, 3 * self.window, self.keep, rows, cols, vals)
        else:
            n = _count_chunk(ids, offsets, self.window, self.weighting == "harmonic", self.dynamic, seed,
                             rows, cols, vals)
        return sp.csr_matrix((vals[:n], (rows[:n], cols[:n])), shape=(self.size, self.size))


def _pair_counter(size: int, window: int, weighting: str, dynamic: bool, keep: np.ndarray | None) -> _PairCounter:
    if weighting == "word2vec" and (keep is None or len(keep) != size):
        raise InputError("weighting='word2vec' needs keep: the subsampling keep probability of each word")
    return _PairCounter(size, window, weighting, dynamic,
                        None if weighting != "word2vec" else np.asarray(keep, dtype=np.float64))


def _chunks(enc: Encoded, chunk_tokens: int, span: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(ids, document offsets) of about ``chunk_tokens`` tokens at a time, in corpus order; a
    document longer than a chunk comes in slices overlapping by ``span`` tokens."""
    first = 0
    while first < enc.n_docs:
        last = int(np.searchsorted(enc.offsets, enc.offsets[first] + chunk_tokens, side="right")) - 1
        last = min(max(last, first + 1), enc.n_docs)
        lo, hi = enc.offsets[first], enc.offsets[last]
        if hi - lo > chunk_tokens:
            cuts = np.arange(lo, hi, chunk_tokens)
            for a, b in zip(cuts, np.append(cuts[1:], hi)):
                yield enc.ids[max(lo, a - span):b], np.array([0, b - max(lo, a - span)], np.int64)
        else:
            yield enc.ids[lo:hi], enc.offsets[first:last + 1] - lo
        first = last


def _count_to_file(job: tuple) -> str:
    counter, ids, offsets, seed, path = job
    with atomic_dir_file(Path(path)) as tmp:
        sp.save_npz(tmp, counter(ids, offsets, seed), compressed=False)
    return path


def _chunk_matrices(counter: _PairCounter, chunks, seed: int, client, folder: Path | None) -> Iterator[sp.csr_matrix]:
    """Each chunk's pair counts in corpus order, chunk i with seed ``seed + i + 1``: counted here,
    or on the Dask ``client``'s workers (a few chunks ahead), which spill them to ``folder``."""
    if client is None:
        for i, (ids, offsets) in enumerate(chunks):
            yield counter(ids, offsets, seed + i + 1)
        return
    jobs = ((counter, ids, offsets, seed + i + 1, str(folder / f"pairs-{i:06d}.npz"))
            for i, (ids, offsets) in enumerate(chunks))
    ahead = 2 * len(client.scheduler_info()["workers"]) + 1
    for path in in_order(client, _count_to_file, jobs, ahead):
        yield sp.load_npz(path)
        os.unlink(path)


def cooccurrence_matrix(enc: Encoded, *, window: int = 5, weighting: str = "harmonic", dynamic: bool = False,
                        chunk_tokens: int = 500_000, seed: int = 0, keep: np.ndarray | None = None,
                        client=None, spill: Path | None = None) -> sp.csr_matrix:
    """Symmetric |V| x |V| counts of an already encoded corpus, a chunk of documents at a time.

    ``weighting="word2vec"`` gives each pair the expected number of times a word2vec epoch trains
    on it, with ``keep`` the subsampling keep probability of each word id (``dynamic`` is then
    part of the weighting and ignored). With a Dask ``client`` the chunks are counted on its
    workers (spilling to the folder ``spill``) and summed here in corpus order, so the float32
    sums are the in-process ones bit for bit.
    """
    _check(window, weighting, chunk_tokens)
    counter = _pair_counter(len(enc.vocab), window, weighting, dynamic, keep)
    chunks = _chunks(enc, chunk_tokens, _span(window, weighting))
    return _symmetric_sum(_chunk_matrices(counter, chunks, seed, client, spill), len(enc.vocab))


def _symmetric_sum(parts: Iterable[sp.csr_matrix], size: int) -> sp.csr_matrix:
    """The sum of the chunk matrices, in order, with both orders of every pair (the kernels emit
    each pair once, earlier word first)."""
    matrix = sp.csr_matrix((size, size), dtype=np.float32)
    for part in parts:
        matrix = matrix + part
    return (matrix + matrix.T).tocsr()


def count_cooccurrences(token_lists: Iterable[list[str]], vocab: Vocab, *, window: int = 5,
                        weighting: str = "harmonic", dynamic: bool = False, chunk_tokens: int = 500_000,
                        seed: int = 0, keep: np.ndarray | None = None) -> sp.csr_matrix:
    """Stream token lists (one pass) into symmetric co-occurrence counts over ``vocab``.

    Out-of-vocabulary tokens are dropped before windowing, as word2vec does. Documents longer
    than ``chunk_tokens`` are refused here; :func:`cooccurrence_matrix` slices them instead.
    """
    check_tokens(token_lists)
    _check(window, weighting, chunk_tokens)
    if len(vocab) == 0:
        raise InputError("the vocabulary is empty; build it with a lower min_count")
    counter = _pair_counter(len(vocab), window, weighting, dynamic, keep)
    return _symmetric_sum(_chunk_matrices(counter, _token_chunks(token_lists, vocab, chunk_tokens), seed, None, None),
                          len(vocab))


def _token_chunks(token_lists, vocab: Vocab, chunk_tokens: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    parts: list[np.ndarray] = []
    size = 0
    for tokens in token_lists:
        ids = encode_with_vocab(tokens, vocab)
        if len(ids) > chunk_tokens:
            raise InputError(f"a document has {len(ids)} tokens, more than chunk_tokens={chunk_tokens}")
        if size + len(ids) > chunk_tokens:
            yield np.concatenate(parts), np.cumsum([0] + [len(p) for p in parts]).astype(np.int64)
            parts, size = [], 0
        parts.append(ids)
        size += len(ids)
    if parts:
        yield np.concatenate(parts), np.cumsum([0] + [len(p) for p in parts]).astype(np.int64)
