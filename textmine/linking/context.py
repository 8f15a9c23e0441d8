"""Bag-of-character-n-gram scorers of a mention's context against what the KB and training say.

Three cosines in one TF-IDF space (character 1-2-grams, which need no segmentation and survive the
classical Chinese of the poets' test bed):

- ``description``: the text against the entity's ``predicate：object`` lines (docs/algorithms/linking.md, (b));
- ``context``: the text against the sum of the contexts the entity was linked from in training (c),
  a Rocchio centroid; plus ``has_context`` saying whether there were any;
- ``attributes``: the text against the contexts of *all* entities sharing one of the candidate's short
  attribute values (a type, or a ``predicate：object`` with a short object such as 朝代：唐), minus
  its cosine to all training contexts, summed over the candidate's values (a value every entity
  holds adds nothing). This backs (c) off to the KB's structure, so an entity never
  linked in training is still told apart by what its kind of entity is written about.

A training mention is scored leave-one-out (its own context is taken out of every sum it is in),
so the combiner learns from features that look like those of new texts. All sums are sparse; the
cosine with a sum minus one unit vector comes from dot products alone.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Sequence

import numpy as np
import scipy.sparse as sp

from textmine.atomic import atomic_dir_file, atomic_open
from textmine.errors import InputError
from textmine.linking.kb import KnowledgeBase
from textmine.persist import read_arrays, write_arrays

__all__ = ["ContextScorer", "PLACEHOLDER"]

#: Stands for the mention itself inside its context window (the name is the same for every candidate).
PLACEHOLDER = "◆"
_VOCAB, _ARRAYS = "context_vocab.json", "context.safetensors"


class _Lookup:
    """Random access into a CSR matrix by (row, column) through one sorted key array: dot products
    of short context rows with long sums cost a binary search per context n-gram, and no row copy."""

    def __init__(self, matrix: sp.csr_matrix):
        matrix = matrix.tocsr()
        matrix.sort_indices()
        self.n_cols = matrix.shape[1]
        rows = np.repeat(np.arange(matrix.shape[0], dtype=np.int64), np.diff(matrix.indptr))
        self.keys = rows * self.n_cols + matrix.indices
        self.values = matrix.data.astype(np.float64)

    def dots(self, X: sp.csr_matrix, x_rows: np.ndarray, m_rows: np.ndarray) -> np.ndarray:
        """``X[x_rows[k]] . M[m_rows[k]]`` for every k."""
        Xp = X[x_rows]
        pair = np.repeat(np.arange(len(x_rows)), np.diff(Xp.indptr))
        query = np.asarray(m_rows, np.int64)[pair] * self.n_cols + Xp.indices
        pos = np.minimum(np.searchsorted(self.keys, query), max(len(self.keys) - 1, 0))
        hit = self.keys[pos] == query if len(self.keys) else np.zeros(len(query), bool)
        contrib = np.where(hit, Xp.data * self.values[pos] if len(self.keys) else 0.0, 0.0)
        return np.bincount(pair, contrib, minlength=len(x_rows))


class ContextScorer:
    """TF-IDF cosines of mention contexts with descriptions, entity centroids and attribute profiles.

    Parameters
    ----------
    ngram : (int, int)
        Character n-gram range.
    window : int
        Characters taken on each side of the mention.
    min_df : int
        n-grams seen in fewer training contexts and descriptions are dropped (bounds the vocabulary).
    max_value_len : int
        Attribute objects up to this many characters are attribute values (longer ones are prose).
    """

    def __init__(self, *, ngram: tuple[int, int] = (1, 2), window: int = 64, min_df: int = 2,
                 max_value_len: int = 8):
        self.ngram, self.window, self.min_df, self.max_value_len = ngram, window, min_df, max_value_len

    def window_of(self, text: str, offset: int, length: int) -> str:
        """The context of a mention: ``window`` characters either side, the mention replaced."""
        return (text[max(offset - self.window, 0): offset] + PLACEHOLDER
                + text[offset + length: offset + length + self.window])

    def _values(self, kb: KnowledgeBase) -> list[list[str]]:
        return [[f"类型：{t}" for t in entity.types]
                + [f"{p}：{o}" for p, o in entity.data if len(o) <= self.max_value_len] for entity in kb]

    def fit(self, kb: KnowledgeBase, windows: Sequence[str], entities: Sequence[int]) -> "ContextScorer":
        """Learn the space from training contexts ``windows`` linked to KB positions ``entities``
        (one per window) and the KB's descriptions. Holds the KB's description vectors in memory."""
        if self.window < 1 or self.min_df < 1:
            raise InputError(f"window={self.window} and min_df={self.min_df} must be positive")
        descriptions = [entity.description for entity in kb]
        vectorizer = _tfidf()(analyzer="char", ngram_range=tuple(self.ngram), min_df=self.min_df,
                                     sublinear_tf=True, dtype=np.float32)
        vectorizer.fit([*windows, *descriptions])
        self.vocabulary_, self.idf_ = vectorizer.vocabulary_, vectorizer.idf_
        self.descriptions_ = vectorizer.transform(descriptions).tocsr()
        entities = np.asarray(entities, np.int64)
        X = (vectorizer.transform(windows).tocsr() if len(windows)
             else sp.csr_matrix((0, len(self.idf_)), dtype=np.float32))
        # each linked entity's context sum, and how many contexts it has
        self.context_count_ = np.bincount(entities, minlength=len(kb)).astype(np.int32)
        self.context_sum_ = (_onehot(entities, len(kb)) @ X).tocsr()
        # each attribute value's sum over the contexts of all entities holding it
        values = self._values(kb)
        self.value_names_ = sorted({v for e in np.unique(entities) for v in values[e]})
        value_id = {v: i for i, v in enumerate(self.value_names_)}
        held = [[value_id[v] for v in vals if v in value_id] for vals in values]
        self.value_ptr_ = np.cumsum([0, *map(len, held)]).astype(np.int64)
        self.value_ids_ = np.array([v for vals in held for v in vals], np.int64)
        pair = np.repeat(np.arange(len(entities)), self._n_values(entities))
        self.value_sum_ = (_onehot(self._gather_values(entities), len(self.value_names_), pair, len(entities))
                           @ X).tocsr()
        self.total_sum_ = sp.csr_matrix(X.sum(axis=0, dtype=np.float32))
        self._prepare()
        return self

    def _n_values(self, entities: np.ndarray) -> np.ndarray:
        return self.value_ptr_[entities + 1] - self.value_ptr_[entities]

    def _gather_values(self, entities: np.ndarray) -> np.ndarray:
        """The value ids of each entity in turn, concatenated."""
        counts = self._n_values(entities)
        starts = np.repeat(self.value_ptr_[entities] - np.cumsum(np.r_[0, counts[:-1]]), counts)
        return self.value_ids_[starts + np.arange(counts.sum())] if counts.sum() else np.zeros(0, np.int64)

    def _prepare(self) -> None:
        vectorizer = _tfidf()(analyzer="char", ngram_range=tuple(self.ngram), sublinear_tf=True,
                                     dtype=np.float32, vocabulary=self.vocabulary_)
        vectorizer.idf_ = self.idf_
        self._vectorizer = vectorizer
        self._descriptions = _Lookup(self.descriptions_)
        self._contexts, self._values_lookup = _Lookup(self.context_sum_), _Lookup(self.value_sum_)
        self._total = _Lookup(self.total_sum_)
        self._context_sq = _squares(self.context_sum_)
        self._value_sq = _squares(self.value_sum_)
        self._total_sq = float(_squares(self.total_sum_)[0])
        self._value_keys = np.repeat(np.arange(len(self.value_ptr_) - 1), np.diff(self.value_ptr_)) \
            * max(len(self.value_names_), 1) + self.value_ids_

    def transform(self, windows: Sequence[str]) -> sp.csr_matrix:
        """L2-normalised TF-IDF rows of the context windows."""
        if not len(windows):
            return sp.csr_matrix((0, len(self.idf_)), dtype=np.float32)
        return self._vectorizer.transform(windows).tocsr()

    @staticmethod
    def _cosine(dot: np.ndarray, sq: np.ndarray, held: np.ndarray) -> np.ndarray:
        """cos(x, S - held * x) for unit x, from x.S and |S|^2; 0 where nothing is left of S."""
        rest = sq - 2 * held * dot + held
        return np.where(rest > 1e-6, (dot - held) / np.sqrt(np.maximum(rest, 1e-6)), 0.0)

    def scores(self, X: sp.csr_matrix, rows: np.ndarray, entities: np.ndarray,
               gold: np.ndarray | None = None, hidden: np.ndarray | None = None) -> dict[str, np.ndarray]:
        """Feature columns for candidate pairs: context ``X[rows[k]]`` against KB entity ``entities[k]``.

        ``gold[k]`` is the KB position that context was linked to in training (-1 for a new text): it
        is left out of every sum it belongs to. ``hidden[k]`` makes the pair's entity look as if it
        had no training contexts at all (its attribute profiles still hold them).
        """
        rows, entities = np.asarray(rows, np.int64), np.asarray(entities, np.int64)
        n = len(rows)
        gold = np.full(n, -1, np.int64) if gold is None else np.asarray(gold, np.int64)
        own = (gold == entities).astype(np.float64)
        description = self._descriptions.dots(X, rows, entities)
        context = self._cosine(self._contexts.dots(X, rows, entities), self._context_sq[entities], own)
        has_context = (self.context_count_[entities] - own) > 0
        if hidden is not None:
            context, has_context = np.where(hidden, 0.0, context), has_context & ~hidden
        total = self._cosine(self._total.dots(X, rows, np.zeros(n, np.int64)), np.full(n, self._total_sq),
                             (gold >= 0).astype(np.float64))
        # every (pair, attribute value of its entity): the value's profile against the whole
        pair = np.repeat(np.arange(n), self._n_values(entities))
        values = self._gather_values(entities)
        inside = np.isin(np.maximum(gold[pair], 0) * max(len(self.value_names_), 1) + values, self._value_keys) \
            & (gold[pair] >= 0)
        lift = self._cosine(self._values_lookup.dots(X, rows[pair], values), self._value_sq[values],
                            inside.astype(np.float64)) - total[pair]
        attributes = np.bincount(pair, lift, minlength=n)
        return {"description": description, "context": context, "has_context": has_context.astype(np.float64),
                "attributes": attributes}

    # ------------------------------------------------------------------ persistence
    def save(self, folder: str | os.PathLike) -> None:
        folder = Path(folder)
        with atomic_open(folder / _VOCAB) as handle:
            json.dump({"settings": {"ngram": list(self.ngram), "window": self.window, "min_df": self.min_df,
                                    "max_value_len": self.max_value_len},
                       "vocabulary": {k: int(v) for k, v in self.vocabulary_.items()},
                       "value_names": self.value_names_}, handle, ensure_ascii=False)
        arrays = {"idf": self.idf_, "context_count": self.context_count_, "value_ptr": self.value_ptr_,
                  "value_ids": self.value_ids_}
        for name in ("descriptions", "context_sum", "value_sum", "total_sum"):
            matrix = getattr(self, name + "_")
            arrays.update({f"{name}_data": matrix.data, f"{name}_indices": matrix.indices,
                           f"{name}_indptr": matrix.indptr, f"{name}_shape": np.array(matrix.shape)})
        with atomic_dir_file(folder / _ARRAYS) as tmp:
            write_arrays(tmp, arrays)

    @classmethod
    def load(cls, folder: str | os.PathLike) -> "ContextScorer":
        folder = Path(folder)
        if (folder / "context.npz").is_file():
            raise InputError(f"context folder {folder} is in an older layout (context.npz); train the linker again")
        meta = json.loads((folder / _VOCAB).read_text(encoding="utf-8"))
        scorer = cls(**{**meta["settings"], "ngram": tuple(meta["settings"]["ngram"])})
        scorer.vocabulary_, scorer.value_names_ = meta["vocabulary"], meta["value_names"]
        arrays = read_arrays(folder / _ARRAYS)
        scorer.idf_, scorer.context_count_ = arrays["idf"], arrays["context_count"]
        scorer.value_ptr_, scorer.value_ids_ = arrays["value_ptr"], arrays["value_ids"]
        for name in ("descriptions", "context_sum", "value_sum", "total_sum"):
            setattr(scorer, name + "_", sp.csr_matrix(
                (arrays[f"{name}_data"], arrays[f"{name}_indices"], arrays[f"{name}_indptr"]),
                shape=tuple(int(n) for n in arrays[f"{name}_shape"])))
        scorer._prepare()
        return scorer


def _tfidf():
    """scikit-learn's TfidfVectorizer, imported on first use (so `textmine link --help` stays quick)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer


def _onehot(rows: np.ndarray, n_rows: int, cols: np.ndarray | None = None, n_cols: int | None = None) -> sp.csr_matrix:
    """A 0/1 matrix with ones at (rows[k], cols[k]) (cols defaults to 0, 1, 2, ...)."""
    cols = np.arange(len(rows)) if cols is None else cols
    return sp.csr_matrix((np.ones(len(rows), np.float32), (rows, cols)),
                         shape=(n_rows, len(rows) if n_cols is None else n_cols))


def _squares(matrix: sp.csr_matrix) -> np.ndarray:
    return np.asarray(matrix.multiply(matrix).sum(axis=1), np.float64).ravel()
