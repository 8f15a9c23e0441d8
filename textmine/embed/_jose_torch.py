"""JoSE's vectorised PyTorch engine: the same hinges and spherical steps, a batch at a time.

Runs on CUDA when present (where batches of tens of thousands of pairs keep the GPU busy) and on
the CPU otherwise. Pairs are built per epoch with numpy (dynamic window and subsampling as in the
CPU kernel), shuffled, and cut into batches; every active hinge contributes the C code's tangent
steps, summed per row with ``index_add_``, and touched rows are put back on the sphere.
"""

from __future__ import annotations

import numpy as np

__all__ = ["TorchEngine"]


def _epoch_pairs(ids, offsets, keep, window, rng):
    """(context word, centre word) pairs and the kept (centre word, its document) of one epoch."""
    kept = rng.random(len(ids)) < keep[ids]
    doc = np.repeat(np.arange(len(offsets) - 1), np.diff(offsets))[kept]
    words = ids[kept]
    reach = window - rng.integers(0, window, size=len(words))   # dynamic window, as in word2vec
    ctx, centre = [], []
    for shift in range(1, window + 1):
        for lo, hi in ((slice(shift, None), slice(None, -shift)), (slice(None, -shift), slice(shift, None))):
            same = (doc[lo] == doc[hi]) & (reach[lo] >= shift)
            ctx.append(words[hi][same])
            centre.append(words[lo][same])
    return np.concatenate(ctx), np.concatenate(centre), words, doc


class TorchEngine:
    """Holds W (words), C (contexts), D (documents) as tensors on one device and trains them."""

    def __init__(self, W, C, D, table, device, batch_size: int = 8192, seed: int = 0):
        import torch

        self.torch = torch
        self.device = torch.device(device)
        self.W, self.C, self.D = (torch.from_numpy(x).to(self.device) for x in (W, C, D))
        self.table = torch.from_numpy(table.astype(np.int64)).to(self.device)
        self.batch_size = batch_size
        self.generator = torch.Generator(device=self.device).manual_seed(seed)

    def _negatives(self, n: int, k: int):
        slots = self.torch.randint(0, len(self.table), (n, k), generator=self.generator, device=self.device)
        return self.table[slots]

    def _hinges(self, U, pos, V, anchor, negative, margin, lr):
        """Vectorised version of the kernel's hinge step for a batch; returns (loss sum, hinges)."""
        torch = self.torch
        neg = self._negatives(len(pos), negative)
        u, v, un = U[pos], V[anchor], U[neg]                       # [B,d], [B,d], [B,k,d]
        f = (u * v).sum(-1, keepdim=True)                          # [B,1]
        h = (un * v.unsqueeze(1)).sum(-1)                          # [B,k]
        active = ((f - h) < margin) & (neg != anchor.unsqueeze(1) if V is self.C else neg != pos.unsqueeze(1))
        a = active.to(u.dtype)
        gu = lr * ((1 - f) * a.sum(1, keepdim=True)) * (v - f * u)
        gn = lr * (2 * h * a).unsqueeze(-1) * (h.unsqueeze(-1) * un - v.unsqueeze(1))
        gv = lr * (((1 - (f - h)) * a).unsqueeze(-1) * (u.unsqueeze(1) - f.unsqueeze(-1) * v.unsqueeze(1)
                                                     + h.unsqueeze(-1) * v.unsqueeze(1) - un)).sum(1)
        U.index_add_(0, pos, gu)
        U.index_add_(0, neg.reshape(-1), gn.reshape(-1, U.shape[1]))
        V.index_add_(0, anchor, gv)
        for M, rows in ((U, torch.cat([pos, neg.reshape(-1)])), (V, anchor)):
            rows = torch.unique(rows)
            M[rows] = torch.nn.functional.normalize(M[rows], dim=1)
        loss = ((margin - (f - h)) * a).sum()
        return float(loss), int(a.numel())

    def train_epoch(self, ids, offsets, keep, window, negative, margin, lr0, lr_floor, done_before,
                    total_work, rng, doc_weight: float = 1.0) -> tuple[float, int]:
        torch = self.torch
        ctx, centre, words, doc = _epoch_pairs(ids, offsets, keep, window, rng)
        order = rng.permutation(len(ctx))
        dorder = rng.permutation(len(words))
        n_batches = max(1, -(-len(ctx) // self.batch_size))
        dbatch = -(-len(words) // n_batches)
        loss, pairs = 0.0, 0
        for b in range(n_batches):
            progress = (done_before + (b / n_batches) * len(ids)) / total_work
            lr = lr0 * max(lr_floor, 1.0 - progress)
            sel = order[b * self.batch_size:(b + 1) * self.batch_size]
            if len(sel):
                pos = torch.from_numpy(ctx[sel].astype(np.int64)).to(self.device)
                anc = torch.from_numpy(centre[sel].astype(np.int64)).to(self.device)
                l_, n_ = self._hinges(self.W, pos, self.C, anc, negative, margin, lr)
                loss, pairs = loss + l_, pairs + n_
            dsel = dorder[b * dbatch:(b + 1) * dbatch]
            if len(dsel) and doc_weight:
                pos = torch.from_numpy(words[dsel].astype(np.int64)).to(self.device)
                anc = torch.from_numpy(doc[dsel].astype(np.int64)).to(self.device)
                l_, n_ = self._hinges(self.W, pos, self.D, anc, negative, margin, lr * doc_weight)
                loss, pairs = loss + l_, pairs + n_
        return loss, pairs

    def arrays(self):
        return tuple(x.detach().cpu().numpy() for x in (self.W, self.C, self.D))
