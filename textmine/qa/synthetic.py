"""Synthetic cloze-style training pairs from unlabelled documents (issue 14).

A model trained only on insurance questions asks insurance questions of any passage. Pairs made
from the user's own documents teach it the opposite habit, without labels: the answer is a span of a
sentence (a person, place or organisation as jieba's POS tagger marks it, a number or date, or else
a noun), and the question is that sentence's clause with the span replaced by a fitting question
word (刘备字玄德 -> 谁字玄德？), so the question copies the passage's own words around the answer.
:func:`mix_examples` then sets what share of training the synthetic pairs take;
:func:`masked_lm_pieces` gives the same documents' text for masked-LM rows.
"""

from __future__ import annotations

import itertools
import re
from typing import Iterable, Iterator, Sequence

import numpy as np

from textmine.errors import InputError
from textmine.qa.data import QAExample, passage_pieces

__all__ = ["QUESTION_WORDS", "cloze_examples", "cloze_questions", "mix_examples", "tagged_spans"]

# jieba POS tag -> the question word that replaces a span of it; entities are preferred as answers
QUESTION_WORDS = {"nr": "谁", "nrfg": "谁", "nrt": "谁", "ns": "哪里", "nt": "哪个机构"}
_TERMS = ("n", "nz", "l")              # nouns and set phrases, asked with 什么 (verbal nouns give 什么了)
_DATES = "年月日号"
_CLAUSE = re.compile(r"[^,，;；:：。！？!?…]+")        # clauses: a question asks about one
_ENTITY_WEIGHT = 3.0                                  # an entity is this much likelier an answer than a noun


def _spans(words: Sequence[tuple[str, str]]) -> Iterator[tuple[int, int, str, float]]:
    """(start, end, question word, weight) of each candidate answer in a clause's (word, flag) list;
    runs of number words (1999 年 12 月) form one span."""
    position, i = 0, 0
    while i < len(words):
        word, flag = words[i]
        if flag == "m":
            j, text = i, ""
            while j < len(words) and words[j][1] == "m":
                text += words[j][0]
                j += 1
            if any(ch.isdigit() for ch in text):
                yield position, position + len(text), "什么时候" if text[-1] in _DATES else "多少", _ENTITY_WEIGHT
            position, i = position + len(text), j
            continue
        if flag in QUESTION_WORDS and len(word) > 1:
            yield position, position + len(word), QUESTION_WORDS[flag], _ENTITY_WEIGHT
        elif flag in _TERMS and len(word) > 1:
            yield position, position + len(word), "什么", 1.0
        position, i = position + len(word), i + 1


def tagged_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every candidate answer in ``text``, as the cloze pairs choose them: the spans a
    question about ``text`` should be answered with."""
    return [(start, end) for start, end, _, _ in _spans(_tagged(text))]


def _tagged(text: str) -> list[tuple[str, str]]:
    """``text`` as jieba's (word, part-of-speech flag) pairs."""
    import jieba.posseg

    return [(pair.word, pair.flag) for pair in jieba.posseg.lcut(text)]


def cloze_questions(text: str, *, max_answer: int = 16, max_question: int = 32) -> list[tuple[str, str, float]]:
    """Every (answer, question, weight) the clauses of ``text`` offer: for each candidate span, its
    clause with the span replaced by the question word, ending in ？. A clause needs a verb outside
    the span, as a question needs a predicate: news datelines (据新华社拉萨1月4日电), headings and
    lists give none, which would otherwise teach the model one stock question per domain."""
    out = []
    for match in _CLAUSE.finditer(text):
        clause = match.group().strip()
        words = _tagged(clause)
        verbs = [position for position, (_, flag) in zip(_positions(words), words) if flag.startswith("v")]
        for start, end, asked, weight in _spans(words):
            question = clause[:start] + asked + clause[end:] + "？"
            if (end - start <= max_answer and len(clause) - (end - start) >= 4 and len(question) <= max_question
                    and any(not start <= v < end for v in verbs)):
                out.append((clause[start:end], question, weight))
    return out


def _positions(words: Sequence[tuple[str, str]]) -> list[int]:
    return list(itertools.accumulate((len(word) for word, _ in words[:-1]), initial=0))


def cloze_examples(documents: Iterable[str], *, max_len: int = 128, max_answer: int = 16, max_question: int = 32,
                   seed: int = 0) -> list[QAExample]:
    """One cloze pair per clause of ``documents`` that has a candidate answer (see the module
    docstring), drawn by weight (an entity or number three times as often as a noun); the passage is
    the clause's piece (:func:`~textmine.qa.data.passage_pieces`). Holds the pairs in memory (one pass
    over the documents; jieba POS tagging runs at ~50k characters/s)."""
    if isinstance(documents, str):
        raise InputError("documents is a single string; expected an iterable of documents (e.g. a list)")
    rng = np.random.default_rng(seed)
    out = []
    for document in documents:
        for piece in passage_pieces(document, max_len):
            for match in _CLAUSE.finditer(piece):
                candidates = cloze_questions(match.group(), max_answer=max_answer, max_question=max_question)
                if candidates:
                    weights = np.array([weight for *_, weight in candidates])
                    answer, question, _ = candidates[rng.choice(len(candidates), p=weights / weights.sum())]
                    out.append(QAExample(piece, answer, question))
    return out


def mix_examples(labelled: Sequence, synthetic: Sequence, share: float, seed: int = 0,
                 option: str = "documents_share") -> list:
    """``labelled`` plus synthetic items drawn (without replacement while they last) so that they are
    ``share`` of the result: the trainer samples examples uniformly, so this is their share of steps.
    ``option`` names the share in errors."""
    if not 0 < share < 1:
        raise InputError(f"{option}={share}; expected a share of the training examples between 0 and 1")
    if not synthetic:
        raise InputError("no synthetic pairs to mix in; the documents have no sentence to ask about")
    wanted = round(share / (1 - share) * len(labelled))
    rng = np.random.default_rng(seed)
    drawn = np.concatenate([rng.permutation(len(synthetic)) for _ in range(-(-wanted // len(synthetic)))])[:wanted]
    return [*labelled, *(synthetic[i] for i in drawn)]


def masked_lm_pieces(documents: Iterable[str], max_len: int = 128) -> list[str]:
    """The documents cut into passage pieces, the texts of masked-LM training rows."""
    if isinstance(documents, str):
        raise InputError("documents is a single string; expected an iterable of documents (e.g. a list)")
    return [piece for document in documents for piece in passage_pieces(document, max_len) if piece.strip()]
