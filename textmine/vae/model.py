"""The text VAE network: RNN encoder, a posterior head chosen by name, an LSTM decoder fed z.

Posteriors (docs/algorithms/vae.md):

- ``plain``: mu and log-variance from linear maps, the standard Gaussian VAE. Its KL tends to 0
  ("posterior collapse"): the LSTM decoder models the text well enough without z.
- ``bn`` (BN-VAE, Zhu et al. 2020): batch norm on mu with a FIXED scale gamma and a learned shift
  beta. Over a batch, E[mu_d^2] = gamma^2 + beta_d^2, so the expected KL is at least d gamma^2 / 2.
- ``tau`` (Su, kexue.fm/archives/7381): affine-free batch norm on mu, scaled by gamma_mu =
  sqrt(tau + (1-tau) sigmoid(theta)), and a positive sigma whose batch second moment is fixed at
  gamma_sigma^2 = (1-tau) sigmoid(-theta) (theta learned per dimension): the variances are divided
  by their batch mean, in log space ``logvar - log mean exp(logvar)``. Then E[mu^2] + E[sigma^2] = 1
  matches the prior, and the batch KL per dimension is -1/2 E[log sigma^2] >= -1/2 log(1-tau) >=
  tau / 2 (Jensen), so KL >= d tau / 2. Centring sigma as batch norm does (signed sigma) would keep
  the sum-to-one but put many |sigma| near 0, where -log sigma^2 inflates the KL (BENCHMARKS.md:
  21.8 nats and iw_nll 45.9 before, 18.1 and 40.4 after, same run). theta starts at 0, where the
  floor is -d/2 log((1-tau)/2); Adam moves it about lr per step, so short runs need a higher lr.
- ``none``: no encoder and no z: the LSTM language model of the same size, the reference for NLL.

The floors hold for batch statistics, i.e. during training. In eval mode the norms use running
statistics (as they must, to encode one sentence at a time), so an evaluated KL can differ from
the training one; :func:`textmine.vae.evaluate` reports both.

The decoder gets z as its initial state (``c0 = W z``, ``h0 = tanh(c0)``) and, with ``z_input =
"every_step"``, also at every step (concatenated to the token embedding), as in He et al. 2019's
code that BN-VAE builds on.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Sequence

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence

from textmine.errors import InputError
from textmine.persist import write_model
from textmine.vae.data import BOS, EOS, PAD, UNK

__all__ = ["POSTERIORS", "Z_INPUTS", "Posterior", "VAENet", "VAEStepper", "kl_per_dim", "log_gaussian"]

POSTERIORS = ("plain", "bn", "tau", "none")
Z_INPUTS = ("every_step", "initial")  # where the decoder gets z: also every step's input, or its initial state only
TOKENS = "tokens.txt"
_LOG_2PI = math.log(2 * math.pi)


def kl_per_dim(mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """KL(N(mu, sigma^2) || N(0, 1)) for each row and dimension."""
    return 0.5 * (mu.pow(2) + logvar.exp() - logvar - 1)


def log_gaussian(z: torch.Tensor, mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """log N(z; mu, exp(logvar)), summed over the last dimension."""
    return -0.5 * (((z - mu) ** 2) / logvar.exp() + logvar + _LOG_2PI).sum(-1)


class _BatchNorm(nn.Module):
    """Feature-wise normalisation: batch statistics in training (kept as running ones), else running.

    Written out rather than ``nn.BatchNorm1d`` so that :meth:`forward` can use batch statistics in
    eval mode without touching the running ones (the training-mode KL that evaluation reports).
    """

    def __init__(self, dim: int, momentum: float = 0.1, eps: float = 1e-5):
        super().__init__()
        self.momentum, self.eps = momentum, eps
        self.register_buffer("running_mean", torch.zeros(dim))
        self.register_buffer("running_var", torch.ones(dim))

    def forward(self, x: torch.Tensor, batch_stats: bool | None = None) -> torch.Tensor:
        use_batch = self.training if batch_stats is None else batch_stats
        if not use_batch:
            return (x - self.running_mean) / torch.sqrt(self.running_var + self.eps)
        if x.shape[0] < 2:
            raise InputError("batch norm needs at least 2 sentences per batch in training")
        mean, var = x.mean(0), x.var(0, unbiased=False)
        if self.training:
            with torch.no_grad():
                n = x.shape[0]
                self.running_mean.lerp_(mean.detach().float(), self.momentum)
                self.running_var.lerp_(var.detach().float() * n / (n - 1), self.momentum)
        return (x - mean) / torch.sqrt(var + self.eps)


class _VarianceNorm(nn.Module):
    """Log-variances shifted so that the variances average 1: batch statistics in training (kept as
    running ones), else running; the positive counterpart of an affine-free batch norm on sigma."""

    def __init__(self, dim: int, momentum: float = 0.1):
        super().__init__()
        self.momentum = momentum
        self.register_buffer("running_log_mean", torch.zeros(dim))             # log E[sigma^2] before the shift

    def forward(self, logvar: torch.Tensor, batch_stats: bool | None = None) -> torch.Tensor:
        use_batch = self.training if batch_stats is None else batch_stats
        if not use_batch:
            return logvar - self.running_log_mean
        log_mean = torch.logsumexp(logvar, 0) - math.log(logvar.shape[0])
        if self.training:
            with torch.no_grad():
                self.running_log_mean.lerp_(log_mean.detach().float(), self.momentum)
        return logvar - log_mean


class Posterior(nn.Module):
    """q(z|x) from the encoder's summary ``h``: ``(mu, logvar)``, each ``[batch, latent]``."""

    def __init__(self, kind: str, hidden: int, latent: int, gamma: float = 0.5, tau: float = 0.5):
        super().__init__()
        self.kind, self.gamma, self.tau = kind, gamma, tau
        self.mean = nn.Linear(hidden, latent)
        self.spread = nn.Linear(hidden, latent)                             # log-variance
        if kind == "bn":
            self.mean_norm = _BatchNorm(latent)
            self.shift = nn.Parameter(torch.zeros(latent))                   # beta; the scale gamma is fixed
        elif kind == "tau":
            self.mean_norm, self.spread_norm = _BatchNorm(latent), _VarianceNorm(latent)
            self.theta = nn.Parameter(torch.zeros(latent))

    def forward(self, h: torch.Tensor, batch_stats: bool | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        mu, spread = self.mean(h).float(), self.spread(h).float()
        if self.kind == "bn":
            mu = self.gamma * self.mean_norm(mu, batch_stats) + self.shift
        elif self.kind == "tau":
            scale_mu = torch.sqrt(self.tau + (1 - self.tau) * torch.sigmoid(self.theta))
            log_var_scale = math.log(1 - self.tau) + nn.functional.logsigmoid(-self.theta)
            mu = scale_mu * self.mean_norm(mu, batch_stats)
            return mu, self.spread_norm(spread, batch_stats) + log_var_scale
        return mu, spread


class VAENet(nn.Module):
    """Encoder, posterior and decoder; ``training_step`` gives ``{"loss", "rec", "kl"}`` per sentence.

    ``settings`` are the :class:`~textmine.vae.TextVAE` parameters (saved with the weights, so a
    folder rebuilds the same network) and ``tokens`` the codec's token list.
    """

    def __init__(self, settings: dict, tokens: Sequence[str]):
        super().__init__()
        self.settings, self.tokens = dict(settings), list(tokens)
        s, vocab = self.settings, len(self.tokens)
        self.kind, self.latent = s["posterior"], 0 if s["posterior"] == "none" else s["latent"]
        if self.latent:
            rnn = nn.GRU if s["encoder"] == "gru" else nn.LSTM
            self.enc_embed = nn.Embedding(vocab, s["embed"], padding_idx=PAD)
            self.encoder = rnn(s["embed"], s["hidden"], batch_first=True)
            self.posterior = Posterior(self.kind, s["hidden"], self.latent, s["gamma"], s["tau"])
            self.init_state = nn.Linear(self.latent, s["hidden"])
        self.dec_embed = nn.Embedding(vocab, s["embed"], padding_idx=PAD)
        self.z_every_step = bool(self.latent) and s["z_input"] == "every_step"
        self.decoder = nn.LSTM(s["embed"] + (self.latent if self.z_every_step else 0), s["hidden"], batch_first=True)
        self.dropout = nn.Dropout(s["dropout"])
        self.out = nn.Linear(s["hidden"], vocab)
        self.register_buffer("updates", torch.zeros((), dtype=torch.long))   # drives KL annealing; checkpointed

    # ---------------------------------------------------------------- persistence
    def hparams(self) -> dict:
        return {"kind": "textmine-vae", **self.settings, "vocab": len(self.tokens)}

    def save(self, folder: str | os.PathLike, meta: dict | None = None) -> Path:
        """Write the network as a :class:`~textmine.vae.TextVAE` model folder (:mod:`textmine.persist`):
        its settings are that estimator's parameters, ``tokens.txt`` the codec's tokens (one a line)."""
        def parts(tmp: Path) -> tuple[dict, dict]:
            (tmp / TOKENS).write_text("".join(t + "\n" for t in self.tokens), encoding="utf-8")
            return {}, dict(self.state_dict())

        return write_model(folder, "TextVAE", self.settings, meta=meta, parts=parts)

    # ---------------------------------------------------------------- pieces
    @property
    def device(self) -> torch.device:
        return self.out.weight.device

    def collate(self, items: Sequence[Sequence[int]]) -> dict[str, torch.Tensor]:
        """Pad id lists into ``{"ids": [B, L], "lengths": [B]}`` (no ``<s>``/``</s>`` yet)."""
        lengths = torch.tensor([len(x) for x in items], dtype=torch.long)
        ids = torch.full((len(items), int(lengths.max())), PAD, dtype=torch.long)
        for i, x in enumerate(items):
            ids[i, : len(x)] = torch.as_tensor(list(x), dtype=torch.long)
        return {"ids": ids, "lengths": lengths}

    def encode(self, ids: torch.Tensor, lengths: torch.Tensor, batch_stats: bool | None = None):
        """``(mu, logvar)`` of q(z|x) for padded ``ids [B, L]``."""
        if not self.latent:
            raise InputError("posterior='none' is a language model; it has no latent code to encode into")
        packed = pack_padded_sequence(self.enc_embed(ids), lengths.cpu(), batch_first=True, enforce_sorted=False)
        _, state = self.encoder(packed)
        h = state[0] if isinstance(state, tuple) else state
        return self.posterior(h[-1], batch_stats)

    def initial_state(self, z: torch.Tensor | None, rows: int):
        """The decoder's ``(h0, c0)`` from ``z [rows, latent]`` (zeros for the language model)."""
        if z is None:
            zeros = torch.zeros(1, rows, self.decoder.hidden_size, device=self.device)
            return zeros, zeros
        c0 = self.init_state(z)[None]
        return torch.tanh(c0), c0

    def decode_step(self, tokens: torch.Tensor, z: torch.Tensor | None, state):
        """Log-probs ``[B, T, V]`` after ``tokens [B, T]`` from ``state``; returns the new state too."""
        x = self.dec_embed(tokens)
        if self.z_every_step:
            x = torch.cat([x, z[:, None].expand(-1, x.shape[1], -1)], dim=-1)
        h, state = self.decoder(x, state)
        return torch.log_softmax(self.out(self.dropout(h)).float(), dim=-1), state

    def log_likelihood(self, ids: torch.Tensor, lengths: torch.Tensor, z: torch.Tensor | None,
                       word_dropout: float = 0.0) -> torch.Tensor:
        """log p(x|z) of each sentence (its tokens and the end token), ``[B]``."""
        batch = ids.shape[0]
        bos = torch.full((batch, 1), BOS, dtype=torch.long, device=ids.device)
        inputs = torch.cat([bos, ids], dim=1)
        if word_dropout:
            drop = torch.rand(inputs.shape, device=ids.device) < word_dropout
            inputs = inputs.masked_fill(drop & (inputs != PAD) & (inputs != BOS), UNK)
        targets = torch.cat([ids, torch.full((batch, 1), PAD, dtype=torch.long, device=ids.device)], dim=1)
        targets[torch.arange(batch, device=ids.device), lengths] = EOS
        logp, _ = self.decode_step(inputs, z, self.initial_state(z, batch))
        token = logp.gather(-1, targets[..., None]).squeeze(-1)
        return (token * (targets != PAD)).sum(1)

    # ---------------------------------------------------------------- training
    def kl_weight(self) -> float:
        """beta: 1, or the cyclical schedule of Fu et al. 2019 (linear 0 -> 1 over the first half of
        each of ``cycles`` cycles, then 1), by training steps taken."""
        s = self.settings
        if s["kl_schedule"] != "cyclical":
            return 1.0
        period = max(s["steps"] / s["cycles"], 1.0)
        return min(1.0, (float(self.updates) % period) / (period * 0.5))

    def training_step(self, batch: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
        """Negative ELBO per sentence (KL weighted by beta, floored per dimension by free bits)."""
        ids, lengths = batch["ids"].to(self.device), batch["lengths"].to(self.device)
        if not self.latent:
            rec = -self.log_likelihood(ids, lengths, None, self.settings["word_dropout"] if self.training else 0.0)
            rec = rec.mean()
            return {"loss": rec, "rec": rec, "kl": torch.zeros((), device=self.device)}
        mu, logvar = self.encode(ids, lengths)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        word_dropout = self.settings["word_dropout"] if self.training else 0.0
        rec = -self.log_likelihood(ids, lengths, z, word_dropout).mean()
        kl_dims = kl_per_dim(mu, logvar).mean(0)
        kl = kl_dims.sum()
        penalty = kl_dims.clamp_min(self.settings["free_bits"]).sum() if self.settings["free_bits"] else kl
        beta = self.kl_weight()
        if self.training:
            self.updates += 1
        return {"loss": rec + beta * penalty, "rec": rec, "kl": kl}


class VAEStepper:
    """A :class:`textmine.neural.Stepper` that decodes from one latent code (or none, for the LM)."""

    room = None

    @torch.no_grad()
    def __init__(self, net: VAENet, z: torch.Tensor | None):
        if net.training:
            raise InputError("decode with the network in eval mode (net.eval()): dropout would make it random")
        self.net, self.end_id = net, EOS
        self.z = None if z is None else z.reshape(1, -1).to(net.device)
        self.state = net.initial_state(self.z, 1)
        self._step(torch.full((1,), BOS, dtype=torch.long, device=net.device))

    @torch.no_grad()
    def _step(self, tokens: torch.Tensor) -> None:
        logp, self.state = self.net.decode_step(tokens[:, None], self.z, self.state)
        self._logprobs = logp[:, -1]

    def logprobs(self) -> torch.Tensor:
        return self._logprobs

    def advance(self, rows: torch.Tensor, tokens: torch.Tensor) -> None:
        self.state = tuple(s[:, rows] for s in self.state)
        if self.z is not None:                                               # one code shared by every row
            self.z = self.z[:1].expand(len(rows), -1)
        self._step(tokens)
