"""gensim Word2Vec behind the textmine estimator interface: the baseline every method is judged against."""

from __future__ import annotations

import logging
import time
from typing import Iterable

import numpy as np

from textmine.corpus import Vocab
from textmine.embed.encode import check_tokens
from textmine.embed.jose import check_common, usable_workers
from textmine.embed.persist import SavedModel
from textmine.errors import InputError, NotFittedError

__all__ = ["Word2Vec"]

log = logging.getLogger(__name__)


class Word2Vec(SavedModel):
    """Skip-gram with negative sampling (gensim), with the parameters named as elsewhere in textmine.

    Attributes: ``model_`` (the gensim model), ``wv``, ``trainings_``, ``train_seconds_``,
    ``words_per_second_``. ``save(folder)`` keeps the input and output weights (no gensim pickle,
    see :mod:`textmine.embed.persist`), so a loaded model goes on training with ``partial_fit``.
    """

    _word_arrays = ("vectors", "syn1neg")

    def __init__(self, dim: int = 100, window: int = 5, min_count: int = 5, epochs: int = 5, negative: int = 5,
                 sample: float = 1e-3, sg: int = 1, workers: int = 2, seed: int = 0, progress: bool = False):
        self.dim = dim
        self.window = window
        self.min_count = min_count
        self.epochs = epochs
        self.negative = negative
        self.sample = sample
        self.sg = sg
        self.workers = workers
        self.seed = seed
        self.progress = progress

    def _gensim(self):
        from gensim.models import Word2Vec as GensimWord2Vec

        check_common(self.dim, self.window, self.epochs, self.min_count, self.workers)
        if not isinstance(self.negative, (int, np.integer)) or not 1 <= self.negative <= 100:
            raise InputError(f"negative must be between 1 and 100, got {self.negative!r}")
        return GensimWord2Vec(vector_size=self.dim, window=self.window, min_count=self.min_count, sg=self.sg,
                              negative=self.negative, sample=self.sample, workers=usable_workers(self.workers),
                              seed=self.seed)

    def fit(self, token_lists: Iterable[list[str]]) -> "Word2Vec":
        """Build the vocabulary (one pass), then train ``epochs`` passes."""
        model = self._gensim()
        check_tokens(token_lists)
        model.build_vocab(token_lists)
        if model.corpus_total_words == 0:
            raise InputError("the corpus is empty: no tokens were read (check the input files and the tokenizer)")
        if len(model.wv) == 0:
            raise InputError(f"no word occurs at least min_count={self.min_count} times; lower min_count")
        self.model_, self.trainings_ = model, 0
        self._train(token_lists, self.epochs)
        return self

    def partial_fit(self, token_lists: Iterable[list[str]], *, epochs: int | None = None) -> "Word2Vec":
        """Continue training on more text (gensim's ``build_vocab(update=True)`` then ``train``):
        new words reaching ``min_count`` in it join, known words go on from their vectors."""
        self._check_fitted()
        epochs = self.epochs if epochs is None else epochs
        check_common(self.dim, self.window, epochs, self.min_count, self.workers)
        check_tokens(token_lists)
        self.model_.build_vocab(token_lists, update=True)
        self._train(token_lists, epochs)
        return self

    def _train(self, token_lists, epochs: int) -> None:
        # gensim draws each job's negative-sampling seed from model.random; deriving it from the
        # seed and the call count makes a reloaded model continue as the original would
        self.model_.random = np.random.RandomState([self.seed, self.trainings_])
        start = time.perf_counter()
        self.model_.train(token_lists, total_examples=self.model_.corpus_count, epochs=epochs)
        self.train_seconds_ = time.perf_counter() - start
        self.words_per_second_ = self.model_.corpus_total_words * epochs / max(self.train_seconds_, 1e-9)
        self.trainings_ += 1

    def _check_fitted(self) -> None:
        if not hasattr(self, "model_"):
            raise NotFittedError("this Word2Vec model is not trained yet; call fit(token_lists) first")

    def _learned(self):
        wv = self.model_.wv
        vocab = Vocab(dict(zip(wv.index_to_key, (int(c) for c in wv.expandos["count"]))))
        order = [wv.key_to_index[w] for w in vocab.words]
        arrays = {"vectors": wv.vectors[order], "syn1neg": self.model_.syn1neg[order]}
        # gensim orders ties by first sight, the Vocab by the word; negative draws follow gensim's
        # order, so it is kept to make a reloaded model continue exactly
        state = {**{name: getattr(self, name) for name in self._scalars}, "corpus_count": self.model_.corpus_count,
                 "corpus_total_words": self.model_.corpus_total_words,
                 "gensim_order": [vocab.index(w) for w in wv.index_to_key]}
        return vocab, arrays, state

    def _restore(self, vocab, arrays, state) -> None:
        model = self._gensim()
        # gensim puts the later-seen word of a tie first: feeding its order reversed restores it
        order = state["gensim_order"][::-1]
        model.build_vocab_from_freq({vocab.words[i]: vocab.counts[i] for i in order},
                                    corpus_count=state["corpus_count"])
        rows = [model.wv.key_to_index[w] for w in vocab.words]
        model.wv.vectors[rows] = arrays["vectors"]
        model.syn1neg[rows] = arrays["syn1neg"]
        model.corpus_total_words = state["corpus_total_words"]
        self.model_ = model

    @property
    def wv(self):
        self._check_fitted()
        return self.model_.wv

    def most_similar(self, word: str, topn: int = 10) -> list[tuple[str, float]]:
        return self.wv.most_similar(word, topn=topn)

    def doc_vectors(self, token_lists: Iterable[list[str]]) -> np.ndarray:
        """Averaged word vectors per document (the usual baseline for document vectors)."""
        return average_vectors(self.wv, token_lists)


def average_vectors(kv, token_lists: Iterable[list[str]]) -> np.ndarray:
    """Mean of the unit word vectors of each document's known words (zeros when none is known)."""
    out = []
    for tokens in token_lists:
        ids = [kv.key_to_index[t] for t in tokens if t in kv.key_to_index]
        out.append(kv.get_normed_vectors()[ids].mean(axis=0) if ids else np.zeros(kv.vector_size, np.float32))
    return np.asarray(out, dtype=np.float32)
