"""gensim Word2Vec behind the textmine estimator interface: the baseline every method is judged against."""

from __future__ import annotations

import logging
import time
from typing import Iterable

import numpy as np

from textmine.embed.encode import check_tokens
from textmine.embed.jose import check_common
from textmine.errors import InputError, NotFittedError

__all__ = ["Word2Vec"]

log = logging.getLogger(__name__)


class Word2Vec:
    """Skip-gram with negative sampling (gensim), with the parameters named as elsewhere in textmine.

    Attributes: ``model_`` (the gensim model), ``wv``, ``train_seconds_``, ``words_per_second_``.
    """

    def __init__(self, dim: int = 100, window: int = 5, min_count: int = 5, epochs: int = 5, negative: int = 5,
                 sample: float = 1e-3, sg: int = 1, workers: int = 2, seed: int = 0, progress: bool = True):
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

    def fit(self, token_lists: Iterable[list[str]]) -> "Word2Vec":
        """Build the vocabulary (one pass), then train ``epochs`` passes."""
        from gensim.models import Word2Vec as GensimWord2Vec

        check_common(self.dim, self.window, self.epochs, self.min_count, self.workers)
        check_tokens(token_lists)
        model = GensimWord2Vec(vector_size=self.dim, window=self.window, min_count=self.min_count, sg=self.sg,
                               negative=self.negative, sample=self.sample, workers=self.workers, seed=self.seed)
        model.build_vocab(token_lists)
        if model.corpus_total_words == 0:
            raise InputError("the corpus is empty: no tokens were read (check the input files and the tokenizer)")
        if len(model.wv) == 0:
            raise InputError(f"no word occurs at least min_count={self.min_count} times; lower min_count")
        start = time.perf_counter()
        model.train(token_lists, total_examples=model.corpus_count, epochs=self.epochs)
        self.train_seconds_ = time.perf_counter() - start
        self.words_per_second_ = model.corpus_total_words * self.epochs / max(self.train_seconds_, 1e-9)
        self.model_ = model
        return self

    @property
    def wv(self):
        if not hasattr(self, "model_"):
            raise NotFittedError("this Word2Vec model is not trained yet; call fit(token_lists) first")
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
