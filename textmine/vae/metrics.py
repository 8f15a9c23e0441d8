"""The field's measures of a text VAE, all from one pass over held-out sentences (docs/algorithms/vae.md).

- ``rec``: reconstruction loss -E_q log p(x|z), one z per sentence, nats per sentence.
- ``kl`` and ``kl_dims``: KL(q(z|x) || N(0, I)) per sentence, in total and per dimension, with the
  eval-mode (running) batch-norm statistics; ``kl_batch_stats`` with each batch's own statistics,
  the quantity the BN floor bounds.
- ``nll``: the negative ELBO, ``rec + kl`` (an upper bound of -log p(x)).
- ``iw_nll``: the importance-weighted estimate -log (1/k) sum_k p(x, z_k) / q(z_k|x) with k samples
  (Burda et al. 2016), tighter than the ELBO; ``ppl`` = exp(sum iw_nll / tokens), counting the end
  token of each sentence.
- ``mi``: I(x; z) under q, the estimator of He et al. 2019 (aggregate posterior from the batch).
- ``au``: active units, dimensions whose Cov_x E_q[z] exceeds 0.01.

For the language model (no latent) ``nll = iw_nll = rec`` exactly and the latent measures are 0.
Cost: ``iw_samples`` decoder passes per sentence; memory bounded by ``rows`` decoder rows at a time.
"""

from __future__ import annotations

import math
from typing import Sequence

import torch

from textmine.errors import InputError
from textmine.neural import make_generator
from textmine.vae.model import VAENet, kl_per_dim, log_gaussian

__all__ = ["evaluate_net", "summary_line"]

AU_THRESHOLD = 0.01


def _batches(items: Sequence, size: int):
    for start in range(0, len(items), size):
        yield items[start: start + size]


def _mutual_information(mu: torch.Tensor, logvar: torch.Tensor, gen: torch.Generator) -> float:
    """He et al.'s estimate of I(x; z) on one batch: E log q(z|x) - E log q(z), q(z) ~ the batch mixture."""
    n, d = mu.shape
    neg_entropy = (-0.5 * d * math.log(2 * math.pi) - 0.5 * (1 + logvar).sum(-1)).mean()
    z = mu + torch.randn(mu.shape, generator=gen).to(mu.device) * torch.exp(0.5 * logvar)
    log_density = log_gaussian(z[:, None], mu[None], logvar[None])              # [n, n]
    log_qz = torch.logsumexp(log_density, dim=1) - math.log(n)
    return float(neg_entropy - log_qz.mean())


@torch.no_grad()
def evaluate_net(net: VAENet, sentences: Sequence[Sequence[int]], *, iw_samples: int = 100, batch_size: int = 64,
                 rows: int = 2048, seed: int = 0) -> dict:
    """Every measure above on ``sentences`` (id lists), in eval mode; JSON-able floats and lists."""
    if not sentences:
        raise InputError("no sentences to evaluate; expected at least one non-empty sentence")
    if iw_samples < 1:
        raise InputError(f"iw_samples={iw_samples}; expected at least 1 importance sample")
    was_training = net.training
    net.eval()
    gen = make_generator(seed)
    try:
        totals = {"rec": 0.0, "kl": 0.0, "kl_batch_stats": 0.0, "iw": 0.0, "mi": 0.0}
        tokens, mi_weight = 0, 0
        kl_dims, means = torch.zeros(max(net.latent, 1)), []
        for items in _batches(list(sentences), batch_size):
            batch = net.collate(items)
            ids, lengths = batch["ids"].to(net.device), batch["lengths"].to(net.device)
            tokens += int(lengths.sum()) + len(items)
            if not net.latent:
                ll = net.log_likelihood(ids, lengths, None)
                totals["rec"] -= float(ll.sum())
                totals["iw"] -= float(ll.sum())
                continue
            mu, logvar = net.encode(ids, lengths)
            noise = torch.randn((iw_samples, *mu.shape), generator=gen).to(mu.device)
            z = mu + noise * torch.exp(0.5 * logvar)                             # [k, B, d]
            totals["rec"] -= float(net.log_likelihood(ids, lengths, z[0]).sum())
            kl = kl_per_dim(mu, logvar)
            kl_dims += kl.sum(0).cpu()
            totals["kl"] += float(kl.sum())
            if len(items) > 1:
                totals["kl_batch_stats"] += float(kl_per_dim(*net.encode(ids, lengths, batch_stats=True)).sum())
                totals["mi"] += _mutual_information(mu, logvar, gen) * len(items)
                mi_weight += len(items)
            means.append(mu.cpu())
            totals["iw"] -= float(_iw_log_likelihood(net, ids, lengths, mu, logvar, z, rows).sum())
        n = len(sentences)
        mu_all = torch.cat(means) if means else torch.zeros(n, 0)
        variance = mu_all.var(0, unbiased=False) if len(mu_all) > 1 and net.latent else torch.zeros(mu_all.shape[1])
        iw_nll = totals["iw"] / n
        return {
            "sentences": n, "tokens": tokens, "latent": net.latent, "iw_samples": iw_samples if net.latent else 0,
            "rec": totals["rec"] / n, "kl": totals["kl"] / n, "nll": (totals["rec"] + totals["kl"]) / n,
            "kl_batch_stats": totals["kl_batch_stats"] / n if net.latent else 0.0,
            "kl_dims": [float(v) / n for v in kl_dims[: net.latent]],
            "iw_nll": iw_nll, "ppl": math.exp(totals["iw"] / tokens),
            "mi": totals["mi"] / mi_weight if mi_weight else 0.0,
            "au": int((variance > AU_THRESHOLD).sum()), "au_variance": [float(v) for v in variance],
        }
    finally:
        net.train(was_training)


def _iw_log_likelihood(net: VAENet, ids, lengths, mu, logvar, z, rows: int) -> torch.Tensor:
    """log (1/k) sum_k p(x|z_k) p(z_k) / q(z_k|x) per sentence, decoding at most ``rows`` rows at a time."""
    k, batch, _ = z.shape
    per_chunk = max(1, rows // batch)
    weights = []
    for start in range(0, k, per_chunk):
        zs = z[start: start + per_chunk]                                         # [c, B, d]
        c = zs.shape[0]
        ll = net.log_likelihood(ids.repeat(c, 1), lengths.repeat(c), zs.reshape(c * batch, -1)).view(c, batch)
        prior = log_gaussian(zs, torch.zeros_like(mu), torch.zeros_like(logvar))
        weights.append(ll + prior - log_gaussian(zs, mu, logvar))
    return torch.logsumexp(torch.cat(weights), dim=0) - math.log(k)


def summary_line(metrics: dict) -> str:
    """One line for people: the headline figures."""
    return (f"iw_nll {metrics['iw_nll']:.2f}  ppl {metrics['ppl']:.2f}  kl {metrics['kl']:.2f}  "
            f"mi {metrics['mi']:.2f}  au {metrics['au']}/{metrics['latent']}")

