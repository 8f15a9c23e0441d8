"""JoSE's compiled CPU engine: lock-free (Hogwild) multi-threaded Riemannian SGD on the sphere.

The update rules are those of the public C code (yumeng5/Spherical-Text-Embedding, src/jose.c):
two hinges, max(0, m - u.v + u'.v) for a word u in the window of a centre word v and
max(0, m - u.d + u'.d) for the centre word in its document d, each point moved along its tangent
gradient with the cosine-distance factor and put back on the sphere. Threads share the matrices
without locks, as word2vec does: collisions are rare and harmless at this sparsity.
``fastmath`` lets LLVM vectorise the dot products, which the C build (-O3, no -ffast-math) does not.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

__all__ = ["train_epoch", "fold_in_documents"]

_A = np.uint64(25214903917)
_C = np.uint64(11)


@njit(cache=True, fastmath=True, inline="always")
def _dot(a, i, b, j, dim):
    s = np.float32(0.0)
    for c in range(dim):
        s += a[i, c] * b[j, c]
    return s


@njit(cache=True, fastmath=True, inline="always")
def _renormalize(a, i, dim):
    s = np.float32(0.0)
    for c in range(dim):
        s += a[i, c] * a[i, c]
    inv = np.float32(1.0) / np.sqrt(s)
    for c in range(dim):
        a[i, c] *= inv


@njit(cache=True, fastmath=True, inline="always")
def _hinge_step(U, pos, neg, V, anchor, margin, lr, buf, train_u):
    """One hinge max(0, m - u.v + u'.v) with u=U[pos], u'=U[neg], v=V[anchor]; returns the loss."""
    dim = U.shape[1]
    f = _dot(U, pos, V, anchor, dim)
    h = _dot(U, neg, V, anchor, dim)
    if f - h >= margin:
        return np.float32(0.0)
    for c in range(dim):
        buf[c] = U[pos, c] - f * V[anchor, c] + h * V[anchor, c] - U[neg, c]
    if train_u:
        step = lr * (np.float32(1.0) - f)
        for c in range(dim):
            U[pos, c] += step * (V[anchor, c] - f * U[pos, c])
        _renormalize(U, pos, dim)
        step = lr * np.float32(2.0) * h
        for c in range(dim):
            U[neg, c] += step * (h * U[neg, c] - V[anchor, c])
        _renormalize(U, neg, dim)
    step = lr * (np.float32(1.0) - (f - h))
    for c in range(dim):
        V[anchor, c] += step * buf[c]
    _renormalize(V, anchor, dim)
    return margin - (f - h)


@njit(cache=True, fastmath=True, parallel=True)
def train_epoch(ids, offsets, bounds, W, C, D, table, keep, window, negative, margin, lr0, lr_floor,
                done_before, total_work, seeds, max_len, losses, pairs, doc_weight):
    """One pass over the corpus; thread t takes documents bounds[t]:bounds[t+1].

    The document hinge steps with ``doc_weight`` times the learning rate (1: the C code; 0: no
    document term, the words alone).

    The learning rate decays linearly with the words processed by all threads (estimated as
    this thread's count times the thread count, since the shares are equal), down to lr0*lr_floor.
    """
    n_threads = len(bounds) - 1
    dim = W.shape[1]
    tsize = np.uint64(len(table))
    win = np.uint64(window)
    m = np.float32(margin)
    dlr = np.float32(doc_weight)
    for t in prange(n_threads):
        rng = np.uint64(seeds[t])
        buf = np.empty(dim, np.float32)
        sen = np.empty(max_len, np.int32)
        local = 0
        loss = 0.0
        count = 0
        for d in range(bounds[t], bounds[t + 1]):
            start = offsets[d]
            end = offsets[d + 1]
            progress = (done_before + local * n_threads) / total_work
            lr = np.float32(lr0 * max(lr_floor, 1.0 - progress))
            length = 0
            for k in range(start, end):
                w = ids[k]
                rng = rng * _A + _C
                if keep[w] < np.float32(rng & np.uint64(0xFFFF)) / np.float32(65536.0):
                    continue
                sen[length] = w
                length += 1
            local += end - start
            for p in range(length):
                word = sen[p]
                rng = rng * _A + _C
                b = np.int64(rng % win)
                for a in range(b, 2 * window + 1 - b):
                    if a == window:
                        continue
                    c = p - window + a
                    if c < 0 or c >= length:
                        continue
                    last = sen[c]
                    for _ in range(negative):
                        rng = rng * _A + _C
                        target = table[np.int64((rng >> np.uint64(16)) % tsize)]
                        if target == word:
                            continue
                        loss += _hinge_step(W, last, target, C, word, m, lr, buf, True)
                        count += 1
                if doc_weight == 0.0:
                    continue
                for _ in range(negative):
                    rng = rng * _A + _C
                    target = table[np.int64((rng >> np.uint64(16)) % tsize)]
                    if target == word:
                        continue
                    loss += _hinge_step(W, word, target, D, d, m, lr * dlr, buf, True)
                    count += 1
        losses[t] = loss
        pairs[t] = count


@njit(cache=True, fastmath=True, inline="always")
def _fold_in(ids, W, D, row, table, keep, negative, margin, lr0, epochs, rng, buf):
    """Move D[row] alone (W frozen) through ``epochs`` subsampled passes over the document's words."""
    tsize = np.uint64(len(table))
    m = np.float32(margin)
    total = max(1, epochs * len(ids))
    step = 0
    for _ in range(epochs):
        for k in range(len(ids)):
            lr = np.float32(lr0 * max(1e-4, 1.0 - step / total))
            step += 1
            word = ids[k]
            rng = rng * _A + _C
            if keep[word] < np.float32(rng & np.uint64(0xFFFF)) / np.float32(65536.0):
                continue
            for _ in range(negative):
                rng = rng * _A + _C
                target = table[np.int64((rng >> np.uint64(16)) % tsize)]
                if target == word:
                    continue
                _hinge_step(W, word, target, D, row, m, lr, buf, False)


@njit(cache=True, fastmath=True, parallel=True)
def fold_in_documents(ids, offsets, W, D, table, keep, negative, margin, lr0, epochs, seeds):
    """Fold documents in with the word vectors W frozen: row d of D moves alone (threads over documents).

    Used twice: for unseen documents (inference) and, after joint training, for every training
    document again, since training visits a document once an epoch while its words keep moving
    and its vector trails behind them. ``seeds[d]`` starts document d's generator.
    """
    for d in prange(len(offsets) - 1):
        buf = np.empty(W.shape[1], np.float32)
        _fold_in(ids[offsets[d]:offsets[d + 1]], W, D, d, table, keep, negative, margin, lr0, epochs,
                 np.uint64(seeds[d]), buf)
