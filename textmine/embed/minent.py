"""Minimum-entropy ("library") word vectors and the PMI least-squares "simpler GloVe" (docs/algorithms/minent.md).

The library view: place each word at one position so that the expected cost of walking between
words that co-occur is least; normalised, that cost is the cross-entropy
-sum_ij p(i,j) log q(j|i) with q(j|i) proportional to exp(-f(v_i, v_j)). ``mode="entropy"`` trains
exactly that with negative sampling over pairs drawn from the co-occurrence matrix
(``kernel="dot"``: f = -<v_i, v_j>, the skip-gram case; ``kernel="distance"``: f = |v_i - v_j|^2,
the SNE case). ``mode="pmi"`` fits <v_i, v_j> to PMI_ij by weighted least squares with no biases.
``vectors="shared"`` keeps one position per word (the library); ``"separate"`` learns word and
context vectors and sums them.
"""

from __future__ import annotations

import logging
import math
import time
from typing import Iterable

import numpy as np

from textmine.distributed import dask_session
from textmine.embed._sampling import keep_probabilities, negative_table
from textmine.embed.cooccur import cooccurrence_matrix
from textmine.embed.encode import Encoded, encode_corpus, encode_more, grow_rows
from textmine.embed.jose import check_common, usable_workers
from textmine.embed.persist import SavedModel
from textmine.corpus.vectors import to_keyed_vectors
from textmine.errors import InputError, NotFittedError

__all__ = ["MinEntropy", "default_dim"]

log = logging.getLogger(__name__)


def default_dim(vocab_size: int) -> int:
    """The smallest n with n > 8.33 log N (kexue.fm/archives/7695): 96 for 100k words."""
    return max(8, math.floor(8.33 * math.log(max(vocab_size, 2))) + 1)


def _init(rng: np.random.Generator, rows: int, dim: int) -> np.ndarray:
    # an init of norm ~0.5, not word2vec's ~0: with shared vectors every gradient is
    # proportional to the other vector, so near-zero starting points barely move
    return (rng.standard_normal((rows, dim), dtype=np.float32) * (0.5 / math.sqrt(dim))).astype(np.float32)


class MinEntropy(SavedModel):
    """Minimum-entropy word vectors trained on co-occurrence counts.

    Parameters
    ----------
    dim : int or None
        Vector size; None picks :func:`default_dim` of the vocabulary size.
    window : int
        Context words on each side of a word.
    weighting : {"harmonic", "word2vec", "none"}
        How a co-occurrence is counted (:mod:`textmine.embed.cooccur`): by 1/distance, or as the
        expected number of times a skip-gram epoch trains on the pair, or each pair once ("none").
    dynamic : bool
        Draw each window's size at random, as word2vec does.
    mode : {"entropy", "pmi"}
        Negative sampling on the library objective, or least squares on the PMI.
    kernel : {"dot", "distance"}
        The similarity of the entropy mode.
    vectors : {"separate", "shared"}
        Word and context positions, summed for output; or one position per word.
    negative : int
        Noise words drawn for each pair (entropy mode), from unigram^0.75.
    draws : float
        Pairs drawn per epoch, as a share of the total co-occurrence weight (entropy mode).
    lr : float or None
        Initial learning rate; None means 0.025 (entropy, SGD) or 0.05 (pmi, AdaGrad as in GloVe).
    epochs : int
        Passes over the drawn pairs (entropy) or the non-zero counts (pmi).
    sample : float
        Subsampling threshold of frequent words in the pair draws (entropy mode), as word2vec's.
    x_max : float
        GloVe weighting f(x) = min(1, (x/x_max)^0.75) of the pmi mode.
    min_count : int
        Words seen fewer times are left out.
    max_vocab : int or None
        At most this many words are kept, the most frequent.
    workers : int or None
        Threads, or Dask worker processes with ``scheduler="processes"`` (None: every core).
    scheduler : str
        Where the co-occurrences are counted: "local", "processes" or "tcp://HOST:PORT"; the counts
        are the same (:mod:`textmine.distributed`).
    spill_dir : path or None
        Where Dask workers spill partial counts.

    Notes
    -----
    "harmonic" weighting scored as well as "word2vec" or better per pair drawn on the benchmark mix;
    "word2vec" with ``draws=1.0`` is skip-gram's amount of training. "separate" vectors scored 0.586
    Cilin AUC against 0.540 for "shared", and their sum beats the word vectors alone (0.586 vs
    0.523). Time grows with ``draws``: the default 0.75 costs about what nnz(X) draws cost with the
    earlier binary search (an alias table makes a draw cheaper); more draws score better at a cost
    in proportion (docs/benchmarks/embed.md).

    Attributes
    ----------
    vocab_, vectors_ (word positions), context_vectors_ (the same array when shared), metric_
    (the centred second-moment matrix that defines "most similar"), loss_history_ (every
    training call), trainings_ (calls of fit and partial_fit), train_seconds_, words_per_second_.

    ``save(folder)`` / ``MinEntropy.load(folder)`` keep all of it (:mod:`textmine.embed.persist`).
    """

    _scalars = SavedModel._scalars + ("loss_history_",)
    _word_arrays = ("vectors",)

    def __init__(self, dim: int | None = None, window: int = 5, weighting: str = "harmonic", dynamic: bool = False,
                 mode: str = "entropy", kernel: str = "dot", vectors: str = "separate", negative: int = 5,
                 draws: float = 0.75,
                 lr: float | None = None, epochs: int = 5, sample: float = 1e-3, x_max: float = 100.0, min_count: int = 5,
                 max_vocab: int | None = None, workers: int | None = None, scheduler: str = "local",
                 spill_dir: str | None = None, seed: int = 0, progress: bool = False):
        self.dim = dim
        self.window = window
        self.weighting = weighting
        self.dynamic = dynamic
        self.mode = mode
        self.kernel = kernel
        self.vectors = vectors
        self.negative = negative
        self.draws = draws
        self.lr = lr
        self.epochs = epochs
        self.sample = sample
        self.x_max = x_max
        self.min_count = min_count
        self.max_vocab = max_vocab
        self.workers = workers
        self.scheduler = scheduler
        self.spill_dir = spill_dir
        self.seed = seed
        self.progress = progress

    def _check(self) -> None:
        check_common(self.dim if self.dim is not None else 100, self.window, self.epochs, self.min_count, self.workers)
        if not isinstance(self.draws, (int, float)) or not 0 < self.draws <= 100:
            raise InputError(f"draws must be a share of the pairs above 0 (at most 100), got {self.draws!r}")
        for name, value, allowed in (("mode", self.mode, ("entropy", "pmi")), ("kernel", self.kernel, ("dot", "distance")),
                                     ("vectors", self.vectors, ("shared", "separate"))):
            if value not in allowed:
                raise InputError(f"{name} must be one of {allowed}, got {value!r}")

    def fit(self, token_lists: Iterable[list[str]] | Encoded) -> "MinEntropy":
        """Count co-occurrences (one pass over the text), then train on the counts."""
        self._check()
        enc = token_lists if isinstance(token_lists, Encoded) else encode_corpus(
            token_lists, min_count=self.min_count, max_vocab=self.max_vocab, progress=self.progress)
        size = len(enc.vocab)
        dim = self.dim or default_dim(size)
        rng = np.random.default_rng(self.seed)
        W = _init(rng, size, dim)
        C = W if self.vectors == "shared" else _init(rng, size, dim)
        self.loss_history_, self.trainings_ = [], 0
        self._train(enc, W, C, rng, self.epochs)
        return self

    def partial_fit(self, token_lists: Iterable[list[str]], *, epochs: int | None = None) -> "MinEntropy":
        """Continue training on the co-occurrences of more text (``epochs`` passes, default ``self.epochs``).

        Known words go on from their positions and their counts grow; a new word joins when the
        new text holds it ``min_count`` times. Only the new text's co-occurrences are drawn (the
        old counts are not kept), as gensim's continued training sees only the new sentences; the
        step size starts afresh (pmi mode: AdaGrad's sums restart). Reproducible under the seed.
        """
        self._check_fitted()
        self._check()
        epochs = self.epochs if epochs is None else epochs
        check_common(self.vectors_.shape[1], self.window, epochs, self.min_count, self.workers)
        enc, old_to_new = encode_more(token_lists, self.vocab_, min_count=self.min_count, progress=self.progress)
        rng = np.random.default_rng([self.seed, self.trainings_])
        W = grow_rows(self.vectors_, old_to_new, _init(rng, len(enc.vocab), self.vectors_.shape[1]))
        C = W if self.vectors == "shared" else grow_rows(self.context_vectors_, old_to_new,
                                                          _init(rng, len(enc.vocab), self.context_vectors_.shape[1]))
        self._train(enc, W, C, rng, epochs)
        return self

    def _train(self, enc: Encoded, W: np.ndarray, C: np.ndarray, rng: np.random.Generator, epochs: int) -> None:
        import numba
        from tqdm.auto import trange

        start = time.perf_counter()
        keep = keep_probabilities(np.asarray(enc.vocab.counts), self.sample)
        with dask_session(self.scheduler, workers=usable_workers(self.workers) or 2, spill_dir=self.spill_dir) as (client, spill):
            X = cooccurrence_matrix(enc, window=self.window, weighting=self.weighting, dynamic=self.dynamic,
                                    seed=self.seed + self.trainings_, keep=keep, client=client, spill=spill).tocoo()
        if X.nnz == 0:
            raise InputError("no two vocabulary words co-occur within the window; add text or lower min_count")
        threads = max(1, min(self.workers or numba.config.NUMBA_NUM_THREADS, numba.config.NUMBA_NUM_THREADS))
        numba.set_num_threads(threads)
        rows, cols = X.row.astype(np.int32), X.col.astype(np.int32)
        if self.mode == "entropy":
            from textmine.embed._minent_kernels import alias_table, train_pairs

            # word2vec's subsampling, applied to the pair distribution (the "word2vec" weighting
            # has it inside): without it pairs of function words dominate the draws and, with one
            # position per word, pull every word towards them
            weights = X.data.astype(np.float64)
            if self.weighting != "word2vec":
                weights *= keep[X.row] * keep[X.col]
            prob, alias = alias_table(weights)
            table = negative_table(np.asarray(enc.vocab.counts))
            # the distribution's total weight is, with the word2vec weighting, the number of
            # pairs one skip-gram epoch trains on; an epoch draws that many times self.draws
            draws = max(threads, int(round(self.draws * weights.sum())))
            total = float(epochs * draws)
            for epoch in trange(epochs, desc="minent", unit="epoch", disable=not self.progress):
                losses = np.zeros(threads)
                seeds = rng.integers(1, 2**62, size=threads, dtype=np.int64).astype(np.uint64)
                train_pairs(rows, cols, prob, alias, W, C, table, self.negative, self.lr or 0.025, 1e-4,
                            epoch * draws, total, draws, self.kernel == "distance", seeds, losses)
                self.loss_history_.append(float(losses.mean()))
        else:
            from textmine.embed._minent_kernels import train_pmi

            marg = np.asarray(X.sum(axis=1)).ravel()
            pmi = np.log(X.data * marg.sum() / (marg[X.row] * marg[X.col])).astype(np.float32)
            weight = np.minimum(1.0, (X.data / self.x_max) ** 0.75).astype(np.float32)
            GW = np.ones_like(W)
            GC = GW if self.vectors == "shared" else np.ones_like(W)
            for _ in trange(epochs, desc="minent", unit="epoch", disable=not self.progress):
                losses = np.zeros(threads)
                train_pmi(rows, cols, pmi, weight, rng.permutation(X.nnz), W, C, GW, GC, self.lr or 0.05, losses)
                self.loss_history_.append(float(losses.sum() / X.nnz))
        self.train_seconds_ = time.perf_counter() - start
        self.words_per_second_ = enc.raw_words * epochs / max(self.train_seconds_, 1e-9)
        self.vocab_, self.vectors_, self.context_vectors_ = enc.vocab, W, C
        self.metric_ = self._metric()
        self.trainings_ += 1

    def _check_fitted(self) -> None:
        if not hasattr(self, "vectors_"):
            raise NotFittedError("this MinEntropy model is not trained yet; call fit(token_lists) first")

    def _learned(self):
        arrays = {"vectors": self.vectors_}
        if self.vectors != "shared":
            arrays["context_vectors"] = self.context_vectors_
        state = {name: getattr(self, name) for name in self._scalars}
        return self.vocab_, arrays, state

    def _restore(self, vocab, arrays, state) -> None:
        self.vocab_, self.vectors_ = vocab, arrays["vectors"]
        self.context_vectors_ = self.vectors_ if self.vectors == "shared" else arrays["context_vectors"]
        self.metric_ = self._metric()

    def _positions(self) -> np.ndarray:
        return self.vectors_ if self.vectors == "shared" else self.vectors_ + self.context_vectors_

    def _metric(self, top: int = 10_000) -> np.ndarray:
        """Square root of the centred second moment of the most frequent words' positions.

        Cosine after multiplying by it is x^T G y / (|x|_G |y|_G): the second-order similarity.
        """
        V = self._positions()[:top].astype(np.float64)
        V = V - V.mean(axis=0)
        vals, vecs = np.linalg.eigh(V.T @ V / len(V))
        return ((vecs * np.sqrt(np.maximum(vals, 0))) @ vecs.T).astype(np.float32)

    @property
    def wv(self):
        """The word positions (summed word + context vectors when separate) as KeyedVectors."""
        self._check_fitted()
        return to_keyed_vectors(self.vocab_.words, self._positions())

    def most_similar(self, word: str, topn: int = 10) -> list[tuple[str, float]]:
        """Second-order neighbours: cosine in the metric of :meth:`_metric` (synonyms, co-hyponyms)."""
        self._check_fitted()
        return to_keyed_vectors(self.vocab_.words, self._positions() @ self.metric_).most_similar(word, topn=topn)

    def most_correlative(self, word: str, topn: int = 10) -> list[tuple[str, float]]:
        """First-order neighbours: the largest raw inner products <v_i, c_j>, about PMI (collocates)."""
        self._check_fitted()
        if word not in self.vocab_:
            raise InputError(f"{word!r} is not in the vocabulary")
        i = self.vocab_.index(word)
        scores = self.context_vectors_ @ self.vectors_[i]
        scores[i] = -np.inf
        best = np.argsort(-scores)[:topn]
        return [(self.vocab_.words[j], float(scores[j])) for j in best]
