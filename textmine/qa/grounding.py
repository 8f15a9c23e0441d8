"""Is a generated question about its passage? Content words shared, and a round trip to the answer.

A question can be fluent and still about another domain (什么是全人寿保险？ of a news paragraph).
Two cheap checks catch that without a second model: the share of the question's content words
(jieba words of two or more characters, or numbers, other than the stock words every question
uses) that occur in the passage, and a round trip: the passage sentence that shares the most
content characters with the question must hold the answer, as an extractive reader would find it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from textmine.corpus import iter_sentences

__all__ = ["STOCK_WORDS", "content_words", "overlap", "mentions_passage", "answerable"]

# words any question may use whatever it asks about: interrogatives, auxiliaries, particles, and the
# question words of textmine.qa.synthetic
STOCK_WORDS = frozenset(
    "什么 如何 怎么 怎样 怎么样 为什么 为何 是否 可以 能否 能够 可能 应该 需要 是不是 有没有 吗 呢 吧 么 的 地 得 了 "
    "是 有 在 和 与 或 及 我 你 他 她 它 我们 你们 他们 这 那 这个 那个 哪 哪里 哪儿 哪个 哪些 哪个机构 哪支 哪所 谁 多少 几 "
    "什么时候 何时 多久 多长时间 会 要 能 对 从 被 把 给 一个 如果 还是 哪种 什么样".split())
_WORD = re.compile(r"\w")


@lru_cache(maxsize=1)
def _segment():
    from textmine.corpus import make_tokenizer

    return make_tokenizer("jieba")


def content_words(question: str) -> list[str]:
    """The question's jieba words that say what it is about: two or more characters or a number,
    and not a stock question word."""
    return [w for w in _segment()(question) if _WORD.search(w) and w not in STOCK_WORDS
            and (len(w) > 1 or w.isdigit())]


def overlap(question: str, passage: str) -> float:
    """Share of the question's content words that occur in ``passage`` (0 when it has none)."""
    words = content_words(question)
    return sum(w in passage for w in words) / len(words) if words else 0.0


def mentions_passage(question: str, passage: str) -> bool:
    """Whether some content word of the question occurs in ``passage`` (the issue's measure)."""
    return any(w in passage for w in content_words(question))


def answerable(passage: str, question: str, answer: str) -> bool:
    """Round trip: the sentence of ``passage`` sharing the most content characters with the question
    (the answer's own characters not counted) contains ``answer``. An empty answer passes."""
    if not answer:
        return True
    asked = {ch for w in content_words(question) for ch in w} - set(answer)
    sentences = list(iter_sentences(passage))
    if not asked or not sentences:
        return answer in passage
    best = max(sentences, key=lambda s: len(asked & set(s)))
    return answer in best
