"""Compiled trainers of the minimum-entropy vectors (Hogwild over threads, like the JoSE kernel)."""

from __future__ import annotations

import numpy as np
from numba import njit, prange

__all__ = ["alias_table", "train_pairs", "train_pmi"]

_A = np.uint64(25214903917)
_C = np.uint64(11)


@njit(cache=True, fastmath=True, inline="always")
def _sgd_pair(W, i, C, j, label, lr, distance, buf):
    """One logistic step on log sigma(+-s); s = <w,c> or s = 1 - |w-c|^2 (the distance kernel)."""
    dim = W.shape[1]
    s = np.float32(0.0)
    if distance:
        for k in range(dim):
            diff = W[i, k] - C[j, k]
            s += diff * diff
        s = np.float32(1.0) - s
    else:
        for k in range(dim):
            s += W[i, k] * C[j, k]
    s = min(max(s, np.float32(-10.0)), np.float32(10.0))
    sig = np.float32(1.0) / (np.float32(1.0) + np.exp(-s))
    g = lr * (label - sig)
    if distance:
        for k in range(dim):
            diff = W[i, k] - C[j, k]
            buf[k] += -2 * g * diff
            C[j, k] += 2 * g * diff
    else:
        for k in range(dim):
            buf[k] += g * C[j, k]
            C[j, k] += g * W[i, k]
    return -np.log(max(sig if label > 0 else 1 - sig, np.float32(1e-7)))


@njit(cache=True)
def alias_table(weights):
    """Walker's alias table (Vose's construction) of non-negative ``weights``: one draw then costs
    one random number and two loads, where a binary search over the cumulative sums costs ~log2(n)
    cache misses (most of the time of a draw over millions of pairs)."""
    n = len(weights)
    prob = weights * (n / weights.sum())
    alias = np.arange(n).astype(np.int32)
    small = np.empty(n, np.int64)
    large = np.empty(n, np.int64)
    ns = 0
    nl = 0
    for i in range(n):
        if prob[i] < 1.0:
            small[ns] = i
            ns += 1
        else:
            large[nl] = i
            nl += 1
    while ns > 0 and nl > 0:
        ns -= 1
        s = small[ns]
        g = large[nl - 1]
        alias[s] = g
        prob[g] = prob[g] + prob[s] - 1.0
        if prob[g] < 1.0:
            nl -= 1
            small[ns] = g
            ns += 1
    for i in range(nl):
        prob[large[i]] = 1.0
    for i in range(ns):          # left over only by rounding
        prob[small[i]] = 1.0
    return prob.astype(np.float32), alias


@njit(cache=True, fastmath=True, parallel=True)
def train_pairs(rows, cols, prob, alias, W, C, table, negative, lr0, lr_floor, done_before, total, samples,
                distance, seeds, losses):
    """Draw ``samples`` co-occurrence pairs (i, j) with probability X_ij / sum X, k negatives each.

    This is the library cross-entropy -sum p(i,j) log q(j|i) with the partition function replaced
    by negative sampling. With shared vectors C is W itself: one position per word. Pairs come
    from the alias table (``prob``, ``alias``) of the weights.
    """
    n_threads = len(seeds)
    per = samples // n_threads
    dim = W.shape[1]
    tsize = np.uint64(len(table))
    size = len(prob)
    for t in prange(n_threads):
        rng = np.uint64(seeds[t])
        buf = np.empty(dim, np.float32)
        loss = 0.0
        for n in range(per):
            lr = np.float32(lr0 * max(lr_floor, 1.0 - (done_before + n * n_threads) / total))
            rng = rng * _A + _C
            r = (np.float64(rng >> np.uint64(11)) / 9007199254740992.0) * size
            e = min(np.int64(r), size - 1)
            if np.float32(r - e) >= prob[e]:
                e = alias[e]
            i = rows[e]
            j = cols[e]
            buf[:] = 0
            loss += _sgd_pair(W, i, C, j, np.float32(1.0), lr, distance, buf)
            for _ in range(negative):
                rng = rng * _A + _C
                k = table[np.int64((rng >> np.uint64(16)) % tsize)]
                if k == j:
                    continue
                loss += _sgd_pair(W, i, C, k, np.float32(0.0), lr, distance, buf)
            for k in range(dim):
                W[i, k] += buf[k]
        losses[t] = loss / max(1, per)


@njit(cache=True, fastmath=True, parallel=True)
def train_pmi(rows, cols, pmi, weight, order, W, C, GW, GC, lr, losses):
    """One AdaGrad pass of 1/2 sum f(X_ij) (<w_i, c_j> - PMI_ij)^2 over the non-zeros in ``order``."""
    n_threads = len(losses)
    dim = W.shape[1]
    per = (len(order) + n_threads - 1) // n_threads
    for t in prange(n_threads):
        loss = 0.0
        for n in range(t * per, min(len(order), (t + 1) * per)):
            e = order[n]
            i = rows[e]
            j = cols[e]
            s = np.float32(0.0)
            for k in range(dim):
                s += W[i, k] * C[j, k]
            diff = s - pmi[e]
            g = weight[e] * diff
            loss += 0.5 * g * diff
            for k in range(dim):
                gw = g * C[j, k]
                gc = g * W[i, k]
                W[i, k] -= lr * gw / np.sqrt(GW[i, k])
                C[j, k] -= lr * gc / np.sqrt(GC[j, k])
                GW[i, k] += gw * gw
                GC[j, k] += gc * gc
        losses[t] = loss
