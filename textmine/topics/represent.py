"""Documents as unit vectors: sublinear TF-IDF over jieba words, reduced by truncated SVD (LSA).

Measured against JoSE document vectors and raw TF-IDF on the insurance questions and the law
articles (docs/benchmarks/topics.md): LSA clusters best on both short and long texts, and a
fitted vocabulary, idf and projection are all a new document needs to land in the same space.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

__all__ = ["count_matrix", "tfidf", "unit_rows"]


def count_matrix(tokens: list[list[str]], index: dict[str, int]) -> sparse.csr_matrix:
    """Documents x vocabulary counts of the tokens ``index`` knows (the others are dropped)."""
    cols = [[index[t] for t in doc if t in index] for doc in tokens]
    indptr = np.cumsum([0] + [len(c) for c in cols])
    flat = np.fromiter((c for doc in cols for c in doc), dtype=np.int64, count=int(indptr[-1]))
    counts = sparse.csr_matrix((np.ones(len(flat), dtype=np.float64), flat, indptr), shape=(len(tokens), len(index)))
    counts.sum_duplicates()
    return counts


def tfidf(counts: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    """(1 + log tf) x idf, rows scaled to unit length; an empty row stays zero."""
    weights = counts.copy()
    weights.data = 1 + np.log(weights.data)
    weights = weights.multiply(idf[None, :]).tocsr()
    norms = np.sqrt(np.asarray(weights.multiply(weights).sum(axis=1))).ravel()
    return sparse.diags(1 / np.maximum(norms, 1e-12)) @ weights


def unit_rows(x: np.ndarray) -> np.ndarray:
    return (x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)).astype(np.float32)
