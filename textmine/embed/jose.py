"""JoSE: joint spherical embedding of words, contexts and documents (docs/algorithms/jose.md).

Every vector lives on the unit sphere, so similarity is the cosine the model was trained on and
document vectors are directly comparable with word vectors. Two engines share this class:
``"numba"`` (the fast multi-threaded CPU kernel) and ``"torch"`` (vectorised; CUDA when present).
"""

from __future__ import annotations

import logging
import time
from typing import Iterable

import numpy as np

from textmine.cores import available_cores, cap_threads
from textmine.embed._sampling import keep_probabilities, negative_table, split_work
from textmine.embed.encode import Encoded, encode_corpus, encode_more, encode_with_vocab, grow_rows
from textmine.embed.persist import SavedModel
from textmine.corpus.vectors import to_keyed_vectors
from textmine.errors import InputError, NotFittedError

__all__ = ["JoSE", "check_common", "usable_workers"]

log = logging.getLogger(__name__)


def check_common(dim: int, window: int, epochs: int, min_count: int, workers: int | None = None) -> None:
    """Refuse absurd sizes before any work starts (shared by every embedding method); ``workers``
    above this machine's cores gets a warning that the cores are used (see :func:`usable_workers`)."""
    if workers is not None and (not isinstance(workers, (int, np.integer)) or workers < 1):
        raise InputError(f"workers must be a positive number of threads (or unset for all cores), got {workers!r}")
    if workers is not None:
        cap_threads(workers, "workers")
    if not isinstance(dim, (int, np.integer)) or not 1 <= dim <= 4096:
        raise InputError(f"dim must be an integer between 1 and 4096, got {dim!r}")
    if not isinstance(window, (int, np.integer)) or not 1 <= window <= 100:
        raise InputError(f"window must be an integer between 1 and 100, got {window!r}")
    if not isinstance(epochs, (int, np.integer)) or not 1 <= epochs <= 10_000:
        raise InputError(f"epochs must be a positive integer, got {epochs!r}")
    if not isinstance(min_count, (int, np.integer)) or min_count < 1:
        raise InputError(f"min_count must be a positive integer, got {min_count!r}")


def usable_workers(workers: int | None) -> int | None:
    """``workers`` capped to the available cores (None stays None: the library's own default)."""
    return None if workers is None else max(1, min(workers, available_cores()))


def _onto_sphere(*arrays: np.ndarray) -> None:
    """Put every row back on the unit sphere, in place. The kernels renormalise each row they
    update, but with several workers two threads can write one row at once (Hogwild), and the row
    one of them leaves is a few 1e-4 off unit length."""
    for M in arrays:
        M /= np.maximum(np.linalg.norm(M, axis=1, keepdims=True), 1e-12)


def _sphere(rng: np.random.Generator, rows: int, dim: int) -> np.ndarray:
    x = rng.standard_normal((rows, dim), dtype=np.float32)
    _onto_sphere(x)
    return x


class JoSE(SavedModel):
    """Spherical word, context and document embeddings.

    Parameters
    ----------
    dim, window, negative, margin, lr, epochs, sample, min_count
        100, 5, 3, 0.3, 0.04, 5, 1e-3, 5: the C code's, except margin (0.15 there), negative
        (2 there) and epochs (10 there). On the 10M-character benchmark mix, margin 0.3 with 3
        negatives raised wordsim-240 Spearman from 0.373 to 0.455 and Cilin AUC from 0.661 to
        0.707, above gensim skip-gram (0.377); 10 epochs instead of 5 scored no better on
        wordsim-240 (0.459 vs 0.476) or THUOCL NMI (0.324 vs 0.333) at 1.8x the CPU time, which
        would put JoSE past gensim's time (docs/benchmarks/embed.md). The learning rate decays
        linearly to ``lr * 1e-4`` over all epochs.
    workers : CPU threads of the numba engine (default: all cores).
    engine : "numba", "torch" or "auto" (torch when the device is a GPU, numba otherwise).
    device : the torch engine's device, chosen by :func:`textmine.neural.choose_device` (None: auto).
    batch_size : pairs per step of the torch engine.
    doc_epochs : after training, fold every document in again this many passes with the word
        vectors frozen (compiled CPU kernel, after either engine; 0 = the C code's behaviour). Joint training visits a
        document once an epoch while its words move on, so its vector lags; on the insurance
        passages this raises document-clustering NMI (BENCHMARKS.md).
    doc_weight : the document hinge's step as a share of the word hinge's (1: the C code; 0: no
        document term during training, only the fold-in after it).
    seed : initial vectors, subsampling, windows and negatives all derive from it. With one
        worker the numba engine is fully reproducible; with several, Hogwild races are not.

    Attributes
    ----------
    vocab_, word_vectors_, context_vectors_, doc_vectors_, loss_history_ (mean hinge loss per
    epoch, over every training call), trainings_ (calls of fit and partial_fit), train_seconds_,
    words_per_second_ (raw tokens x epochs / training time, of the last call).

    ``save(folder)`` / ``JoSE.load(folder)`` keep all of it (:mod:`textmine.embed.persist`), so a
    loaded model infers document vectors, answers queries and goes on training.
    """

    _scalars = SavedModel._scalars + ("loss_history_",)
    _word_arrays = ("word_vectors", "context_vectors")
    _doc_arrays = ("doc_vectors",)

    def __init__(self, dim: int = 100, window: int = 5, negative: int = 3, margin: float = 0.3,
                 lr: float = 0.04, epochs: int = 5, sample: float = 1e-3, min_count: int = 5,
                 max_vocab: int | None = None, workers: int | None = None, engine: str = "auto",
                 batch_size: int = 8192, doc_epochs: int = 3, doc_weight: float = 1.0, device: str | None = None,
                 seed: int = 0, progress: bool = False):
        self.dim = dim
        self.window = window
        self.negative = negative
        self.margin = margin
        self.lr = lr
        self.epochs = epochs
        self.sample = sample
        self.min_count = min_count
        self.max_vocab = max_vocab
        self.workers = workers
        self.engine = engine
        self.batch_size = batch_size
        self.doc_epochs = doc_epochs
        self.doc_weight = doc_weight
        self.device = device
        self.seed = seed
        self.progress = progress

    def _engine(self) -> str:
        if self.engine not in ("auto", "numba", "torch"):
            raise InputError(f"engine must be 'auto', 'numba' or 'torch', got {self.engine!r}")
        if self.engine != "auto":
            return self.engine
        from textmine.neural.device import choose_device

        return "torch" if choose_device(self.device).type == "cuda" else "numba"

    def _check_params(self) -> str:
        check_common(self.dim, self.window, self.epochs, self.min_count, self.workers)
        if not 1 <= self.negative <= 100:
            raise InputError(f"negative must be between 1 and 100, got {self.negative}")
        if not 0 < self.margin <= 2 or not 0 < self.lr <= 1:
            raise InputError(f"margin must be in (0, 2] and lr in (0, 1], got {self.margin}, {self.lr}")
        if not isinstance(self.doc_weight, (int, float)) or not 0 <= self.doc_weight <= 10:
            raise InputError(f"doc_weight must be a number in [0, 10], got {self.doc_weight!r}")
        return self._engine()

    def fit(self, token_lists: Iterable[list[str]] | Encoded) -> "JoSE":
        """Train on a re-iterable stream of token lists, one document each (or an :class:`Encoded`).

        One pass reads and encodes the corpus (held in memory as int32 ids, 4 bytes a token); the
        matrices take 4 * dim * (2 * vocabulary + documents) bytes. Time is linear in tokens x epochs.
        """
        engine = self._check_params()
        enc = token_lists if isinstance(token_lists, Encoded) else encode_corpus(
            token_lists, min_count=self.min_count, max_vocab=self.max_vocab, keep_empty=True, progress=self.progress)
        if len(enc.vocab) < 2:
            raise InputError(f"the vocabulary has {len(enc.vocab)} word(s) after min_count={self.min_count}; "
                             "JoSE needs at least 2 to draw negatives: lower min_count or add text")
        rng = np.random.default_rng(self.seed)
        C = _sphere(rng, len(enc.vocab), self.dim)
        W = _sphere(rng, len(enc.vocab), self.dim)
        D = _sphere(rng, enc.n_docs, self.dim)
        self.loss_history_, self.trainings_ = [], 0
        self.doc_vectors_ = self._train(enc, W, C, D, rng, engine, self.epochs)
        return self

    def partial_fit(self, token_lists: Iterable[list[str]], *, epochs: int | None = None) -> "JoSE":
        """Continue training on more documents (``epochs`` passes, default ``self.epochs``).

        Known words go on from their vectors and their counts grow; a new word joins when the new
        text holds it ``min_count`` times (gensim's ``build_vocab(update=True)``). The new
        documents' vectors are appended to ``doc_vectors_``; earlier documents keep theirs. The
        learning rate decays from ``lr`` again over these passes. Reproducible under the seed, so a
        saved and reloaded model continues exactly as the original would (with one worker).
        """
        self._check_fitted()
        engine = self._check_params()
        epochs = self.epochs if epochs is None else epochs
        check_common(self.dim, self.window, epochs, self.min_count)
        enc, old_to_new = encode_more(token_lists, self.vocab_, min_count=self.min_count, keep_empty=True,
                                      progress=self.progress)
        rng = np.random.default_rng([self.seed, self.trainings_])
        W, C = (grow_rows(M, old_to_new, _sphere(rng, len(enc.vocab), M.shape[1]))
                for M in (self.word_vectors_, self.context_vectors_))
        D = self._train(enc, W, C, _sphere(rng, enc.n_docs, self.dim), rng, engine, epochs)
        self.doc_vectors_ = np.vstack([self.doc_vectors_, D])
        return self

    def _train(self, enc: Encoded, W, C, D, rng, engine: str, epochs: int) -> np.ndarray:
        """Train W, C, D on ``enc`` in place of the learned word arrays; return the trained D."""
        counts = np.asarray(enc.vocab.counts, dtype=np.float64)
        table = negative_table(counts)
        keep = keep_probabilities(counts, self.sample)
        total = float(epochs * len(enc.ids))
        start = time.perf_counter()
        if engine == "numba":
            W, C, D = self._fit_numba(enc, W, C, D, table, keep, total, rng, epochs)
        else:
            W, C, D = self._fit_torch(enc, W, C, D, table, keep, total, rng, epochs)
        if self.doc_epochs:
            seeds = np.uint64(self.seed + 7) + np.arange(enc.n_docs, dtype=np.uint64) * np.uint64(2654435761)
            self._fold_in(enc.ids, enc.offsets, W, D, table, keep, self.lr, self.doc_epochs, seeds)
        _onto_sphere(W, C, D)
        self.train_seconds_ = time.perf_counter() - start
        self.words_per_second_ = enc.raw_words * epochs / max(self.train_seconds_, 1e-9)
        self.vocab_, self.word_vectors_, self.context_vectors_ = enc.vocab, W, C
        self.table_, self.keep_ = table, keep
        self.trainings_ += 1
        log.info("JoSE (%s): %d words, %d documents, %.0f words/s", engine, len(counts), enc.n_docs,
                 self.words_per_second_)
        return D

    def _fold_in(self, ids, offsets, W, D, table, keep, lr, epochs, seeds) -> None:
        import numba

        from textmine.embed._jose_numba import fold_in_documents

        numba.set_num_threads(max(1, min(self.workers or numba.config.NUMBA_NUM_THREADS,
                                         numba.config.NUMBA_NUM_THREADS)))
        fold_in_documents(ids, offsets, W, D, table, keep, self.negative, self.margin, lr, epochs, seeds)

    def _epochs(self, epochs: int):
        from tqdm.auto import trange

        return trange(epochs, desc="JoSE", unit="epoch", disable=not self.progress)

    def _fit_numba(self, enc, W, C, D, table, keep, total, rng, epochs):
        import numba

        from textmine.embed._jose_numba import train_epoch

        threads = min(self.workers or numba.config.NUMBA_NUM_THREADS, numba.config.NUMBA_NUM_THREADS)
        numba.set_num_threads(max(1, min(threads, numba.config.NUMBA_NUM_THREADS)))
        bounds = split_work(enc.offsets, threads)
        max_len = int(np.diff(enc.offsets).max(initial=1))
        losses, pairs = np.zeros(threads), np.zeros(threads, dtype=np.int64)
        for epoch in self._epochs(epochs):
            seeds = rng.integers(1, 2**62, size=threads, dtype=np.int64).astype(np.uint64)
            train_epoch(enc.ids, enc.offsets, bounds, W, C, D, table, keep, self.window, self.negative,
                        self.margin, self.lr, 1e-4, epoch * len(enc.ids), total, seeds, max_len, losses, pairs,
                        float(self.doc_weight))
            self.loss_history_.append(float(losses.sum() / max(1, pairs.sum())))
        return W, C, D

    def _fit_torch(self, enc, W, C, D, table, keep, total, rng, epochs):
        from textmine.embed._jose_torch import TorchEngine
        from textmine.neural.device import choose_device

        engine = TorchEngine(W, C, D, table, device=choose_device(self.device), batch_size=self.batch_size,
                             seed=self.seed)
        for epoch in self._epochs(epochs):
            loss, pairs = engine.train_epoch(enc.ids, enc.offsets, keep, self.window, self.negative, self.margin,
                                             self.lr, 1e-4, epoch * len(enc.ids), total, rng, self.doc_weight)
            self.loss_history_.append(loss / max(1, pairs))
        return engine.arrays()

    def _check_fitted(self) -> None:
        if not hasattr(self, "word_vectors_"):
            raise NotFittedError("this JoSE model is not trained yet; call fit(token_lists) first")

    def _learned(self):
        arrays = {"word_vectors": self.word_vectors_, "context_vectors": self.context_vectors_,
                  "doc_vectors": self.doc_vectors_}
        state = {name: getattr(self, name) for name in self._scalars}
        return self.vocab_, arrays, state

    def _restore(self, vocab, arrays, state) -> None:
        self.vocab_ = vocab
        self.word_vectors_, self.context_vectors_ = arrays["word_vectors"], arrays["context_vectors"]
        self.doc_vectors_ = arrays["doc_vectors"]
        counts = np.asarray(vocab.counts, dtype=np.float64)
        self.table_, self.keep_ = negative_table(counts), keep_probabilities(counts, self.sample)

    @property
    def wv(self):
        """Word vectors as gensim KeyedVectors (unit length)."""
        self._check_fitted()
        return to_keyed_vectors(self.vocab_.words, self.word_vectors_)

    @property
    def dv(self):
        """Document vectors as KeyedVectors keyed by the document's position ("0", "1", ...)."""
        self._check_fitted()
        return to_keyed_vectors([str(i) for i in range(len(self.doc_vectors_))], self.doc_vectors_)

    def infer_vector(self, tokens: list[str], *, epochs: int = 20, lr: float | None = None,
                     seed: int = 0) -> np.ndarray:
        """Fold a new document in: optimise its vector with word vectors frozen (deterministic per seed).

        Unknown words are skipped; a document with no known word gets the seed's random point.
        """
        if isinstance(tokens, str):
            raise InputError("infer_vector expects a list of tokens, got a str; tokenize it first")
        return self.infer_vectors([tokens], epochs=epochs, lr=lr, seed=seed)[0]

    def infer_vectors(self, token_lists: Iterable[list[str]], *, epochs: int = 20, lr: float | None = None,
                      seed: int = 0) -> np.ndarray:
        """:meth:`infer_vector` for many documents at once (one row each, threads over documents).

        Every document starts from the same seeded point with the same generator, so its vector
        does not depend on which other documents are in the batch. One pass over ``token_lists``.
        """
        self._check_fitted()
        if isinstance(token_lists, str):
            raise InputError("infer_vectors expects token lists, got a str; tokenize the documents first")
        if not isinstance(epochs, (int, np.integer)) or epochs < 1:
            raise InputError(f"epochs must be a positive integer, got {epochs!r}")
        docs = []
        for tokens in token_lists:
            if isinstance(tokens, str):
                raise InputError("each document must be a list of tokens, got a str; tokenize it first")
            docs.append(encode_with_vocab(tokens, self.vocab_))
        offsets = np.concatenate([[0], np.cumsum([len(d) for d in docs], dtype=np.int64)]).astype(np.int64)
        ids = np.concatenate(docs).astype(np.int32) if docs else np.zeros(0, np.int32)
        D = np.repeat(_sphere(np.random.default_rng(seed), 1, self.dim), len(docs), axis=0)
        seeds = np.full(len(docs), seed + 1, dtype=np.uint64)
        self._fold_in(ids, offsets, self.word_vectors_, D, self.table_, self.keep_,
                      lr if lr is not None else self.lr, epochs, seeds)
        return D

    def most_similar(self, word: str, topn: int = 10) -> list[tuple[str, float]]:
        """Nearest words by cosine."""
        return self.wv.most_similar(word, topn=topn)
