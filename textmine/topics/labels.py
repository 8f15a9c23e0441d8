"""What a topic and a document are about, by term contrast rather than by raw frequency.

A topic's terms are the words markedly more frequent in its documents than in the rest of the
corpus: signed log-likelihood G2 (the terms stage's statistic, :mod:`textmine.words.contrast`),
kept at p < 0.001 (G2 >= 10.83), ranked by G2, with the log2 ratio beside it. This is the c-TF-IDF
idea done with a significance test, so a word common everywhere never labels a topic. A
document's keywords are its own words ranked the same way against the whole corpus. Function
words (pronouns, particles, question words: closed classes of jieba's tagged dictionary, as the
terms stage learns them) are left out of both: 吗 and 我 mark a style of question, not a topic. A
topic's label is its first terms of two or more characters: a single character is often a verb
(走 "flee", 诛 "execute") and, where it is a name said short (操 for 曹操), the label reads better
without it; the terms list keeps them.
"""

from __future__ import annotations

import numpy as np
from functools import lru_cache

from scipy import sparse

from textmine.topics.represent import count_matrix
from textmine.words.contrast import log_likelihood, log_ratio

__all__ = ["describe_topics", "document_keywords"]

G2_P001 = 10.83     # chi-square with one degree of freedom at p = 0.001
LABEL_TERMS = 3
REPRESENTATIVES = 3


@lru_cache(maxsize=1)
def _reference():
    from textmine.words.reference import load_reference

    return load_reference("jieba")


def _word_counts(tokens: list[list[str]]) -> tuple[list[str], sparse.csr_matrix]:
    """Counts of the content words (function words dropped, see the module docstring)."""
    reference = _reference()
    vocabulary = sorted(w for w in {w for doc in tokens for w in doc} if not reference.is_closed_class(w))
    return vocabulary, count_matrix(tokens, {w: i for i, w in enumerate(vocabulary)})


def describe_topics(tokens: list[list[str]], labels: np.ndarray, scores: np.ndarray, top_terms: int) -> list[dict]:
    """One dict per topic: topic, size, label (its first terms), terms [[term, G2, log2 ratio]],
    representative documents (highest scores first), docs (all its documents)."""
    vocabulary, counts = _word_counts(tokens)
    k = int(labels.max()) + 1
    member = sparse.csr_matrix((np.ones(len(labels)), (labels, np.arange(len(labels)))), shape=(k, len(labels)))
    in_topic = np.asarray((member @ counts).todense())
    total = np.asarray(counts.sum(axis=0)).ravel()
    topics = []
    for t in range(k):
        a, b = in_topic[t], total - in_topic[t]
        c, d = max(a.sum(), 1.0), max(b.sum(), 1.0)
        g2 = log_likelihood(a, b, c, d)
        order = [i for i in np.argsort(-g2, kind="stable")[:top_terms] if g2[i] >= G2_P001 and a[i] > 0]
        ratio = log_ratio(a, b, c, d)
        terms = [[vocabulary[i], round(float(g2[i]), 1), round(float(ratio[i]), 2)] for i in order]
        docs = np.flatnonzero(labels == t)
        best = docs[np.argsort(-scores[docs], kind="stable")]
        topics.append({"topic": t, "size": int(len(docs)),
                       "label": _label(terms) or f"topic {t}",
                       "terms": terms, "representatives": best[:REPRESENTATIVES].tolist(), "docs": best.tolist()})
    return topics


def _label(terms: list[list]) -> str:
    """The first LABEL_TERMS terms of two or more characters, single characters after them where
    there are too few (see the module docstring)."""
    words = [term for term, _, _ in terms]
    return "/".join(([w for w in words if len(w) > 1] + [w for w in words if len(w) == 1])[:LABEL_TERMS])


def document_keywords(tokens: list[list[str]], top: int = 5) -> list[list[str]]:
    """Each document's words ranked by signed G2 of their count in it against the rest of the
    corpus (what ``jieba.analyse.extract_tags`` gives by TF-IDF); only words more frequent there."""
    vocabulary, counts = _word_counts(tokens)
    total = np.asarray(counts.sum(axis=0)).ravel()
    lengths = np.asarray(counts.sum(axis=1)).ravel()
    grand = float(total.sum())
    rows = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
    a = counts.data
    c = lengths[rows]
    g2 = log_likelihood(a, total[counts.indices] - a, c, np.maximum(grand - c, 1.0))
    keywords = []
    for r in range(counts.shape[0]):
        span = slice(counts.indptr[r], counts.indptr[r + 1])
        order = np.argsort(-g2[span], kind="stable")[:top]
        keywords.append([vocabulary[counts.indices[span][i]] for i in order if g2[span][i] > 0])
    return keywords
