"""TextVAE: the estimator users call: fit, encode, sample, reconstruct, interpolate, similar, evaluate.

Training goes through the one :class:`textmine.neural.Trainer` (checkpoints, resume after a kill,
metrics.jsonl with the reconstruction and KL terms); decoding through
:func:`textmine.neural.generate` with a :class:`~textmine.vae.model.VAEStepper`, so greedy, beam
and sampling are the same code the QA stage uses. Sentences are held in memory as id lists
(a few bytes per token): a VAE trains for many epochs over them.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import torch

from textmine.errors import InputError, NotFittedError
from textmine.neural import Trainer, choose_device, generate, make_generator
from textmine.persist import Saved
from textmine.vae.data import TOKENIZERS, Codec, Encoded
from textmine.vae.metrics import evaluate_net
from textmine.vae.model import POSTERIORS, TOKENS, Z_INPUTS, VAENet, VAEStepper

__all__ = ["TextVAE"]

log = logging.getLogger(__name__)


class TextVAE(Saved):
    """A sentence VAE whose batch-normalised posterior keeps the KL from vanishing (docs/algorithms/vae.md).

    Parameters
    ----------
    posterior : {"bn", "tau", "plain", "none"}
        ``bn`` (BN-VAE, KL >= latent gamma^2 / 2), ``tau`` (Su's, KL >= -latent/2 log(1 - tau) >=
        latent tau / 2), ``plain`` (the standard VAE, which collapses), ``none`` (an LSTM language
        model, the NLL reference).
    latent : int
        Size of z (32, as in BN-VAE).
    gamma : float
        ``bn``'s fixed scale of the normalised mean, in (0, 2]; BN-VAE uses 0.5-0.7.
    tau : float
        ``tau``'s share of the prior's variance kept by the mean, in (0, 1).
    kl_schedule : {"constant", "cyclical"}
        KL weight 1, or Fu et al.'s cyclical annealing over ``cycles`` cycles (a baseline).
    free_bits : float
        Nats per dimension below which the KL is not pushed down (Kingma et al. 2016; 0 = off).
    encoder : {"gru", "lstm"}
    embed, hidden : int
        Token embedding and RNN sizes (encoder and decoder alike).
    z_input : {"every_step", "initial"}
        Where the decoder gets z: its initial state and every step's input (He et al. 2019's
        decoder), or the initial state only.
    dropout, word_dropout : float
        Dropout before the output layer; share of decoder inputs replaced by ``<unk>`` in training.
    tokenizer : {"chars", "jieba"}
    userdict : path or None
        jieba user lexicon (e.g. discovered words).
    max_len : int
        Longest sentence in tokens; longer ones are cut (and counted, with a warning).
    min_count : int
        Rarer tokens become ``<unk>``.
    steps, batch_size, lr, eval_every : training (see :class:`textmine.neural.Trainer`).
    iw_samples : int
        Importance samples for ``iw_nll`` in :meth:`evaluate` (100 by default, the field's choice).
    seed : int
    device : str or None
    progress : bool
    """

    def __init__(self, posterior: str = "bn", latent: int = 32, *, gamma: float = 0.5, tau: float = 0.5,
                 kl_schedule: str = "constant", cycles: int = 4, free_bits: float = 0.0, encoder: str = "gru",
                 z_input: str = "every_step", embed: int = 128, hidden: int = 256, dropout: float = 0.2,
                 word_dropout: float = 0.0,
                 tokenizer: str = "chars", userdict: str | os.PathLike | None = None, max_len: int = 64,
                 min_count: int = 1, steps: int = 3000, batch_size: int = 32, lr: float = 1e-3,
                 eval_every: int = 500, iw_samples: int = 100, seed: int = 0, device: str | None = None,
                 progress: bool = False):
        self.posterior, self.latent, self.gamma, self.tau = posterior, latent, gamma, tau
        self.kl_schedule, self.cycles, self.free_bits, self.encoder = kl_schedule, cycles, free_bits, encoder
        self.z_input = z_input
        self.embed, self.hidden, self.dropout, self.word_dropout = embed, hidden, dropout, word_dropout
        self.tokenizer, self.userdict, self.max_len, self.min_count = tokenizer, userdict, max_len, min_count
        self.steps, self.batch_size, self.lr, self.eval_every = steps, batch_size, lr, eval_every
        self.iw_samples, self.seed, self.device, self.progress = iw_samples, seed, device, progress

    def _check_params(self) -> None:
        if self.posterior not in POSTERIORS:
            raise InputError(f"posterior={self.posterior!r}; expected one of {', '.join(POSTERIORS)}")
        if not (isinstance(self.latent, int) and 1 <= self.latent <= 4096):
            raise InputError(f"latent={self.latent!r}; expected a latent size from 1 to 4096 (32 is usual)")
        if not 0 < self.gamma <= 2:
            raise InputError(f"gamma={self.gamma}; expected 0 < gamma <= 2 (BN-VAE uses 0.5-0.7): the KL "
                             "floor is latent * gamma^2 / 2")
        if not 0 < self.tau < 1:
            raise InputError(f"tau={self.tau}; expected 0 < tau < 1 (Su uses 0.5)")
        if self.kl_schedule not in ("constant", "cyclical"):
            raise InputError(f"kl_schedule={self.kl_schedule!r}; expected 'constant' or 'cyclical'")
        if self.encoder not in ("gru", "lstm"):
            raise InputError(f"encoder={self.encoder!r}; expected 'gru' or 'lstm'")
        if self.z_input not in Z_INPUTS:
            raise InputError(f"z_input={self.z_input!r}; expected one of {', '.join(Z_INPUTS)}")
        if self.tokenizer not in TOKENIZERS:
            raise InputError(f"tokenizer={self.tokenizer!r}; expected one of {', '.join(TOKENIZERS)}")
        for name in ("embed", "hidden", "max_len", "steps", "cycles", "iw_samples", "eval_every"):
            if not (isinstance(getattr(self, name), int) and getattr(self, name) >= 1):
                raise InputError(f"{name}={getattr(self, name)!r}; expected a positive integer")
        if self.batch_size < 2:
            raise InputError(f"batch_size={self.batch_size}; batch norm needs at least 2 sentences per batch")
        for name in ("dropout", "word_dropout"):
            if not 0 <= getattr(self, name) < 1:
                raise InputError(f"{name}={getattr(self, name)}; expected a rate in [0, 1)")
        if self.free_bits < 0:
            raise InputError(f"free_bits={self.free_bits}; expected 0 (off) or a positive number of nats")

    # ---------------------------------------------------------------- training
    def fit(self, corpus: Iterable[str], dev: Iterable[str] | None = None, *,
            out_dir: str | os.PathLike | None = None, resume: bool = True) -> "TextVAE":
        """Train on the sentences of ``corpus`` (one per document); ``dev`` sentences are evaluated
        (mean loss terms) every ``eval_every`` steps. ``out_dir`` keeps the checkpoint, metrics.jsonl
        and ``model/``, and lets an interrupted run resume; ``None`` trains in a temporary folder.

        Sets ``codec_``, ``net_``, ``counts_`` (sentences, empty, cut, tokens, unknown) and ``train_result_``.
        """
        self._check_params()
        self.codec_ = Codec.build(corpus, tokenizer=self.tokenizer, max_len=self.max_len, min_count=self.min_count,
                                  userdict=self.userdict)
        encoded = self.codec_.encode(corpus)
        self.counts_ = encoded.counts
        if len(encoded.ids) < 2:
            raise InputError(f"the corpus has {len(encoded.ids)} non-empty sentences; a VAE needs at least 2 "
                             "(batch norm and batches need several)")
        with torch.random.fork_rng(devices=[]):                             # seeded weights, global RNG untouched
            torch.manual_seed(self.seed)
            self.net_ = VAENet(self.saved_params(), self.codec_.tokens)
        dev_ids = self.codec_.encode(dev).ids if dev is not None else None
        with tempfile.TemporaryDirectory(prefix="textmine-vae-") as tmp:
            trainer = Trainer(out_dir if out_dir is not None else tmp, max_steps=self.steps,
                              batch_size=self.batch_size, lr=self.lr, weight_decay=0.0, warmup=0.02, clip=5.0,
                              ema_decay=None, eval_every=self.eval_every, log_every=10, seed=self.seed,
                              device=self.device, progress=self.progress)
            self.train_result_ = trainer.fit(self.net_, encoded.ids, self._collate, dev_data=dev_ids or None,
                                             resume=resume)
        self.net_.eval()
        return self

    def _collate(self, items):
        """Batches keep at least 2 sentences (batch norm): a lone last one borrows the first."""
        return self.net_.collate(items if len(items) > 1 else [*items, *items])

    # ---------------------------------------------------------------- persistence
    def save(self, folder: str | os.PathLike, *, meta: dict | None = None) -> Path:
        """Write ``textmine.json``, ``tokens.txt`` and ``weights.safetensors`` into ``folder``, whole
        (the network writes them: the Trainer saves it the same way as ``model/`` and ``best/``)."""
        self._check()
        return self.net_.save(folder, meta)

    def _load_parts(self, folder: Path, state: dict, arrays: dict) -> None:
        tokens = (folder / TOKENS).read_text(encoding="utf-8").split("\n")[:-1]
        net = VAENet(self.saved_params(), tokens)
        net.load_state_dict(arrays)
        self.net_ = net.to(choose_device(self.device)).eval()
        self.codec_ = Codec(net.tokens, self.tokenizer, self.max_len, self.userdict)

    def _check(self) -> None:
        if not hasattr(self, "net_"):
            raise NotFittedError("TextVAE is not trained; call fit() or TextVAE.load(folder) first")

    # ---------------------------------------------------------------- codes
    def _encode_ids(self, ids: Sequence[Sequence[int]]) -> tuple[torch.Tensor, torch.Tensor]:
        mus, logvars = [], []
        with torch.no_grad():
            for start in range(0, len(ids), 256):
                batch = self.net_.collate(ids[start: start + 256])
                mu, logvar = self.net_.encode(batch["ids"].to(self.net_.device), batch["lengths"].to(self.net_.device))
                mus.append(mu.cpu())
                logvars.append(logvar.cpu())
        return torch.cat(mus), torch.cat(logvars)

    def encode_texts(self, texts: Iterable[str]) -> tuple[np.ndarray, Encoded]:
        """Posterior means ``[n, latent]`` of the non-empty sentences, and which they were (with counts)."""
        self._check()
        encoded = self.codec_.encode(texts)
        if not encoded.ids:
            raise InputError("no sentence has any token; expected some text to encode")
        return self._encode_ids(encoded.ids)[0].numpy(), encoded

    def encode(self, texts: Iterable[str]) -> np.ndarray:
        """Posterior means E_q[z|x], one row per text (in eval mode: running batch-norm statistics).

        Raises InputError if a text is empty: its row would have no meaning.
        """
        means, encoded = self.encode_texts(texts)
        if encoded.counts["empty"]:
            raise InputError(f"{encoded.counts['empty']} texts are empty; remove them (encode_texts skips them)")
        return means

    def _decode(self, z: torch.Tensor | None, method: str, beam_size: int) -> str:
        hyps = generate(VAEStepper(self.net_, z), method=method, max_len=self.max_len, beam_size=beam_size)
        return self.codec_.decode(hyps[0].tokens)

    def _method(self, method: str) -> str:
        if method not in ("greedy", "beam"):
            raise InputError(f"method={method!r}; expected 'greedy' or 'beam'")
        return method

    def sample(self, n: int, *, seed: int | None = None, method: str = "greedy", beam_size: int = 4) -> list[str]:
        """``n`` sentences decoded from z ~ N(0, I) (from the LM itself, sampled, for ``posterior='none'``)."""
        self._check()
        if n < 1:
            raise InputError(f"n={n}; expected at least one sentence")
        gen = make_generator(self.seed if seed is None else seed)
        if not self.net_.latent:
            hyps = [generate(VAEStepper(self.net_, None), method="sample", max_len=self.max_len, generator=gen)[0]
                    for _ in range(n)]
            return [self.codec_.decode(h.tokens) for h in hyps]
        z = torch.randn((n, self.net_.latent), generator=gen)
        return [self._decode(row, self._method(method), beam_size) for row in z]

    def reconstruct(self, texts: Sequence[str], *, method: str = "greedy", beam_size: int = 4) -> list[str]:
        """Each text decoded from its posterior mean."""
        self._check()
        return [self._decode(torch.from_numpy(row), self._method(method), beam_size) for row in self.encode(texts)]

    def interpolate(self, a: str, b: str, steps: int = 8, *, method: str = "greedy", beam_size: int = 4) -> list[str]:
        """Sentences decoded along the straight line from ``a``'s posterior mean to ``b``'s (both ends included)."""
        self._check()
        if steps < 2:
            raise InputError(f"steps={steps}; expected at least 2 (the two ends)")
        za, zb = (torch.from_numpy(m) for m in self.encode([a, b]))
        return [self._decode((1 - t) * za + t * zb, self._method(method), beam_size)
                for t in np.linspace(0.0, 1.0, steps)]

    def similar(self, sentence: str, n: int = 5, *, radius: float = 1.0, seed: int | None = None,
                method: str = "greedy", beam_size: int = 4, tries: int = 4) -> list[str]:
        """Up to ``n`` distinct sentences, other than ``sentence``'s own reconstruction, decoded from
        z = mu + radius * sigma * eps around its posterior (at most ``tries * n`` draws)."""
        self._check()
        if n < 1 or radius <= 0:
            raise InputError(f"n={n}, radius={radius}; expected n >= 1 and radius > 0")
        ids = [self.codec_.encode_one(sentence)]
        mu, logvar = self._encode_ids(ids)
        own = self._decode(mu[0], self._method(method), beam_size)
        gen = make_generator(self.seed if seed is None else seed)
        found: list[str] = []
        for _ in range(tries * n):
            z = mu[0] + radius * torch.exp(0.5 * logvar[0]) * torch.randn(mu.shape[1], generator=gen)
            text = self._decode(z, method, beam_size)
            if text and text != own and text != sentence and text not in found:
                found.append(text)
                if len(found) == n:
                    break
        return found

    # ---------------------------------------------------------------- measures
    def evaluate(self, corpus: Iterable[str], *, iw_samples: int | None = None, seed: int = 0) -> dict:
        """rec, kl (total, per dimension, and with batch statistics), nll (-ELBO), iw_nll, ppl, mi, au
        on held-out sentences; see :mod:`textmine.vae.metrics`. Adds the codec's counts."""
        self._check()
        encoded = self.codec_.encode(corpus)
        metrics = evaluate_net(self.net_, encoded.ids, iw_samples=iw_samples or self.iw_samples, seed=seed)
        return {**metrics, "posterior": self.posterior, "counts": encoded.counts}
