"""Scoring generated questions: character-level BLEU-4 and ROUGE-L, and a retrieval baseline.

Chinese has no spaces, and word segmentation would make the score depend on the segmenter, so both
metrics count characters (whitespace dropped). BLEU-4 is corpus-level (clipped n-gram precisions
pooled over all questions, geometric mean, brevity penalty: Papineni et al. 2002); ROUGE-L is the
mean over questions of the longest-common-subsequence F1. The retrieval baseline answers "what
would a system that writes no text at all score?": it returns the training question whose passage
is nearest by character TF-IDF cosine, so a generator's figures mean something beside it.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Sequence

import numpy as np

from textmine.errors import InputError, NotFittedError
from textmine.qa.data import QAExample

__all__ = ["char_bleu", "rouge_l", "mean_rouge_l", "RetrievalBaseline", "score_questions"]


def _chars(text: str) -> list[str]:
    return [ch for ch in text if not ch.isspace()]


def _check_pairs(hypotheses: Sequence[str], references: Sequence[str]) -> None:
    if len(hypotheses) != len(references):
        raise InputError(f"{len(hypotheses)} hypotheses but {len(references)} references; expected one each")
    if not hypotheses:
        raise InputError("no hypotheses to score; expected at least one")


def char_bleu(hypotheses: Sequence[str], references: Sequence[str], max_n: int = 4) -> float:
    """Corpus-level character BLEU-``max_n`` in [0, 1] (no smoothing: 0 if some order never matches)."""
    _check_pairs(hypotheses, references)
    matched, total = [0] * max_n, [0] * max_n
    hyp_len = ref_len = 0
    for hyp, ref in zip(hypotheses, references):
        h, r = _chars(hyp), _chars(ref)
        hyp_len, ref_len = hyp_len + len(h), ref_len + len(r)
        for n in range(1, max_n + 1):
            hc = Counter(tuple(h[i: i + n]) for i in range(len(h) - n + 1))
            rc = Counter(tuple(r[i: i + n]) for i in range(len(r) - n + 1))
            matched[n - 1] += sum(min(c, rc[g]) for g, c in hc.items())
            total[n - 1] += max(len(h) - n + 1, 0)
    if min(matched) == 0 or hyp_len == 0:
        return 0.0
    log_precision = sum(math.log(m / t) for m, t in zip(matched, total)) / max_n
    brevity = 1.0 if hyp_len > ref_len else math.exp(1 - ref_len / hyp_len)
    return brevity * math.exp(log_precision)


def rouge_l(hypothesis: str, reference: str) -> float:
    """Character ROUGE-L F1 of one question: 2PR/(P+R) with P, R = LCS / length."""
    h, r = _chars(hypothesis), _chars(reference)
    if not h or not r:
        return 0.0
    prev = [0] * (len(r) + 1)
    for ch in h:
        cur = [0]
        for j, rc in enumerate(r):
            cur.append(prev[j] + 1 if ch == rc else max(prev[j + 1], cur[j]))
        prev = cur
    lcs = prev[-1]
    if lcs == 0:
        return 0.0
    p, rec = lcs / len(h), lcs / len(r)
    return 2 * p * rec / (p + rec)


def mean_rouge_l(hypotheses: Sequence[str], references: Sequence[str]) -> float:
    """Mean :func:`rouge_l` over question pairs."""
    _check_pairs(hypotheses, references)
    return float(np.mean([rouge_l(h, r) for h, r in zip(hypotheses, references)]))


def score_questions(hypotheses: Sequence[str], references: Sequence[str]) -> dict[str, float]:
    """``{"bleu4": ..., "rouge_l": ..., "n": ...}`` with the metrics in percent (the usual scale)."""
    return {"bleu4": round(100 * char_bleu(hypotheses, references), 2),
            "rouge_l": round(100 * mean_rouge_l(hypotheses, references), 2), "n": len(hypotheses)}


class RetrievalBaseline:
    """Answer each passage with the question of the nearest training passage (char 1-2-gram TF-IDF).

    Parameters
    ----------
    ngram_range : tuple of int
        Character n-gram sizes of the TF-IDF features.
    use_answer : bool
        Append the answer to the passage text when both fitting and predicting.
    """

    def __init__(self, ngram_range: tuple[int, int] = (1, 2), use_answer: bool = True):
        self.ngram_range, self.use_answer = ngram_range, use_answer

    def _text(self, passage: str, answer: str) -> str:
        return f"{passage} {answer}" if self.use_answer and answer else passage

    def fit(self, examples: Sequence[QAExample]) -> "RetrievalBaseline":
        from sklearn.feature_extraction.text import TfidfVectorizer

        if not examples:
            raise InputError("no training examples for the retrieval baseline")
        self.vectorizer_ = TfidfVectorizer(analyzer="char", ngram_range=tuple(self.ngram_range), sublinear_tf=True)
        self.matrix_ = self.vectorizer_.fit_transform([self._text(e.passage, e.answer) for e in examples])
        self.questions_ = [e.question for e in examples]
        return self

    def predict(self, passages: Sequence[str], answers: Sequence[str] | None = None) -> list[str]:
        """The retrieved question for each passage (and answer)."""
        if not hasattr(self, "matrix_"):
            raise NotFittedError("RetrievalBaseline is not fitted; call fit(examples) first")
        answers = answers if answers is not None else [""] * len(passages)
        query = self.vectorizer_.transform([self._text(p, a) for p, a in zip(passages, answers)])
        nearest = np.asarray((query @ self.matrix_.T).argmax(axis=1)).ravel()
        return [self.questions_[i] for i in nearest]
