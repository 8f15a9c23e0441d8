"""Rank candidate QA pairs: fluency, answer specificity, round trip (docs/algorithms/qa.md).

Over-generate-and-rank (Heilman and Smith, 2010) without a trained ranker: every candidate pair,
written from a clause or by a model, gets one score, and each passage keeps its best distinct ones.

- fluency: the mean log-probability per character, under a character trigram model trained on the
  documents, of the statement the question asks about (:func:`statement`). A
  statement copied from a well-formed clause scores high; one glued from a bad subject, a cut
  quotation or a model's babble scores low. Question words are not in news text, so the question
  itself would be judged by the one thing every candidate shares.
- specificity: how rare the answer's words are (jieba's dictionary frequencies: 问题 and 工作 say
  little, 内塔尼亚胡 much), and whether it is a name, a number or a date rather than a plain noun.
- as written: a statement that stands in the passage word for word (its subject the clause's own,
  nothing left out but asides in brackets) gets :data:`AS_WRITTEN`. One whose subject was borrowed from a clause before,
  or whose clause lost a word, is right less often: over 1,313 judged pairs, 54% of those were
  fluent, answerable and right against 78% of the rest.
- length: a question over :data:`READABLE` characters (a law's rule with its condition, a long news
  sentence) loses :data:`LONG`, so that it is asked only where its passage has nothing shorter to ask.
  Copied from the passage, it is as fluent per character as a short one, but harder to take in.
- round trip: a pair whose answer is not in the passage sentence its question points at is dropped
  (:func:`textmine.qa.grounding.answerable`), and so is a one-character answer that is not a
  whole word of its passage.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from typing import Iterable, Sequence

from textmine.errors import InputError, NotFittedError

__all__ = ["CharLM", "rank_pairs", "specificity"]

#: how much a kind of answer is worth asking about, on top of its rarity
KIND_WEIGHT = {"person": 1.0, "place": 1.0, "org": 1.0, "year": 1.0, "date": 0.9, "number": 0.9, "term": 0.5,
               "model": 0.5}

#: added to the score of a pair whose statement stands in the passage as written
AS_WRITTEN = 1.0
#: a question longer than READABLE characters loses LONG: it is asked only where a passage has no shorter one
READABLE, LONG = 48, 2.0
_ASIDE = re.compile(r"[(（][^()（）]*[)）]")     # an aside in brackets, which clause questions leave out


class CharLM:
    """Character n-gram language model, interpolated Witten-Bell (an unseen character gets 1 / (V + 1)).

    Parameters
    ----------
    order : int
        Characters of context plus one (3: trigrams).
    max_chars : int
        Read at most this many characters of the documents: the counts live in memory.
    """

    def __init__(self, order: int = 3, max_chars: int = 5_000_000):
        self.order, self.max_chars = order, max_chars

    def fit(self, documents: Iterable[str]) -> "CharLM":
        if isinstance(documents, str):
            raise InputError("documents is a single string; expected an iterable of documents (e.g. a list)")
        if not isinstance(self.order, int) or not 1 <= self.order <= 6:
            raise InputError(f"order must be a whole number of characters from 1 to 6, got {self.order!r}")
        counts, read = Counter(), 0
        for doc in documents:
            text = "\x02" * (self.order - 1) + doc[: self.max_chars - read]
            read += len(text) - self.order + 1
            for n in range(1, self.order + 1):
                counts.update(text[i: i + n] for i in range(len(text) - n + 1))
            if read >= self.max_chars:
                break
        history, kinds = Counter(), Counter()                 # c(h.), distinct continuations of h
        for gram, c in counts.items():
            history[gram[:-1]] += c
            kinds[gram[:-1]] += 1
        self.counts_, self.history_, self.kinds_ = counts, history, kinds
        self.vocab_ = kinds[""] + 1
        return self

    def logprob(self, text: str) -> float:
        """Mean natural-log probability per character of ``text`` (0.0 for an empty text)."""
        if not hasattr(self, "counts_"):
            raise NotFittedError("CharLM is not fitted; call fit(documents)")
        if not text:
            return 0.0
        padded = "\x02" * (self.order - 1) + text
        total = 0.0
        for i in range(self.order - 1, len(padded)):
            p = 1.0 / self.vocab_
            for n in range(self.order):                        # unigram up to the full context
                h = padded[i - n: i]
                seen = self.history_.get(h, 0)
                if seen:
                    k = self.kinds_[h]
                    p = (self.counts_.get(h + padded[i], 0) + k * p) / (seen + k)
            total += math.log(p)
        return total / len(text)


@lru_cache(maxsize=1)
def _frequencies() -> tuple[dict, float]:
    import jieba

    jieba.dt.check_initialized()
    return jieba.dt.FREQ, float(jieba.dt.total)


def specificity(answer: str, kind: str) -> float:
    """From 0 to about 2: the kind's weight (:data:`KIND_WEIGHT`) plus the answer's rarity, the
    mean over its jieba words of -log10 of their share of jieba's dictionary counts, over 8 (a word
    not in the dictionary counts as rare as one seen once)."""
    import jieba

    freq, total = _frequencies()
    words = [w for w in jieba.lcut(answer) if w.strip()]
    rarity = sum(-math.log10(max(freq.get(w, 0), 1) / total) for w in words) / max(len(words), 1) / 8
    return KIND_WEIGHT.get(kind, 0.5) + min(rarity, 1.0)


def _whole(pair: dict) -> bool:
    """Whether the answer is more than one character, or one character that jieba cuts as a word of
    its passage where it stands (a model may answer 江 of 长江, or 1 of 1997)."""
    if len(pair["answer"]) != 1:
        return True
    from textmine.qa.data import word_bounds
    from textmine.qa.grounding import _segment

    start = pair.get("start")
    if start is None:
        return False
    starts, ends = word_bounds(pair["passage"], _segment())
    return start in starts and start + 1 in ends


def statement(pair: dict) -> str:
    """The statement a pair's question asks about: the clause it was made from (``stated``), else its
    question word replaced by the answer (the question as it is when it keeps no question word),
    without the question mark."""
    if "stated" in pair:
        return pair["stated"]
    question = pair["question"].rstrip("？?")
    asked = pair.get("asked")
    if asked and asked in question:
        return question.replace(asked, pair["answer"], 1)
    return question


def _as_written(said: str, passage: str) -> bool:
    """Whether the statement ``said`` stands in ``passage`` word for word, the asides in brackets
    that a clause question leaves out (代理(经纪人)) left out of the passage too."""
    return said in passage or said in _ASIDE.sub("", passage)


def _in_situ(pair: dict) -> bool:
    """Whether a model's question is a passage clause with its answer replaced by the question word
    (its statement occurs in the passage), as every clause question is: a stock question
    (什么是租赁保险?) or a fragment reads worse than the clause pair it would replace."""
    said = statement(pair)
    return len(said) > len(pair["answer"]) + 3 and said in pair["passage"]


def rank_pairs(candidates: Sequence[dict], lm: CharLM, n_pairs: int) -> list[dict]:
    """The ``n_pairs`` best of ``candidates`` (dicts with passage, answer, question, kind and
    optionally asked, the question word, clause, where it came from, and stated, the clause it asks
    about) by fluency + specificity (+ :data:`AS_WRITTEN`), round trip checked; distinct questions
    and answers, one per clause before a clause gives a second. A candidate of kind "model" (a
    trained model's pair) is kept only when it scores at least as well as the passage's worst
    clause candidate (never in a passage with none), asks with a question word (else it has no
    statement to score), and its statement occurs in the passage (:func:`_in_situ`): a model
    trained on little data writes fluent-looking fragments and stock questions that the clauses
    would not. Each kept pair gets ``score``."""
    from textmine.qa.grounding import answerable

    scored = []
    for pair in candidates:
        if not answerable(pair["passage"], pair["question"], pair["answer"]) or not _whole(pair):
            continue
        said = statement(pair)
        score = (lm.logprob(said) + specificity(pair["answer"], pair.get("kind", "term"))
                 + AS_WRITTEN * _as_written(said, pair["passage"]) - LONG * (len(pair["question"]) > READABLE))
        scored.append((score, pair))
    # the passage's own clauses set the bar: a model's pair must score as well as its worst clause pair
    bar = min((score for score, pair in scored if pair.get("kind") != "model"), default=float("inf"))
    scored = [(score, pair) for score, pair in scored
              if pair.get("kind") != "model" or score >= bar and pair.get("asked") and _in_situ(pair)]
    scored.sort(key=lambda item: -item[0])
    kept, questions, answers, clauses = [], set(), set(), set()
    for second in (False, True):
        for score, pair in scored:
            clause = pair.get("clause")
            if (len(kept) >= n_pairs or pair["question"] in questions or pair["answer"] in answers
                    or not second and clause is not None and clause in clauses):
                continue
            kept.append({**pair, "score": round(score, 4)})
            questions.add(pair["question"])
            answers.add(pair["answer"])
            clauses.add(clause)
    return sorted(kept, key=lambda p: -p["score"])
