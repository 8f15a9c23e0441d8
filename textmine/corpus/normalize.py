"""Text normalisation and sentence splitting shared by every stage.

NFKC folds full-width Latin letters, digits and punctuation to half-width (``１２月`` -> ``12月``)
so that counts are not split between two spellings of one string; control characters become
spaces and runs of whitespace collapse to one space.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Iterator

from textmine.errors import InputError, require

__all__ = ["normalize_text", "iter_sentences", "SENTENCE_END", "CLAUSE_END"]

SENTENCE_END = "。！？；!?;…"
CLAUSE_END = "，、：,:"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")
_SPACES = re.compile(r"[ \t\u3000\xa0]+")
# A sentence ends after one of SENTENCE_END (closing quotes stay with it), or after a '.' that is
# followed by whitespace or the end, so that "3.5" and "www.a.com" stay whole.
_SENTENCE = re.compile(r"(?:[^%s.]|\.(?!\s|$))*(?:[%s]+[”’」』)）\"']*|\.|$)" % (SENTENCE_END, SENTENCE_END))
_CLAUSE = re.compile(r"[^%s]*(?:[%s]+|$)" % (CLAUSE_END, CLAUSE_END))


@lru_cache(maxsize=1)
def _t2s_converter():
    opencc = require("opencc", "opencc")
    return opencc.OpenCC("t2s")


def normalize_text(text: str, *, t2s: bool = False) -> str:
    """NFKC, control characters to spaces, whitespace runs to one space, stripped.

    ``t2s=True`` converts traditional to simplified characters with opencc (an optional extra).
    """
    text = unicodedata.normalize("NFKC", text)
    text = _CONTROL.sub(" ", text)
    text = _SPACES.sub(" ", text).strip()
    if t2s:
        text = _t2s_converter().convert(text)
    return text


def iter_sentences(text: str, max_len: int = 200) -> Iterator[str]:
    """Split ``text`` into sentences at Chinese and Western punctuation, each at most ``max_len`` chars.

    Sentences end at 。！？；!?;… and at line ends (the punctuation stays with its sentence); a sentence
    longer than ``max_len`` is cut at clause punctuation (，、：,:), and a clause still too long is cut
    every ``max_len`` characters. Whitespace around pieces is dropped; no other character is lost.
    """
    if max_len < 1:
        raise InputError(f"max_len must be a positive number of characters, got {max_len}")
    for match in (m for line in text.splitlines() for m in _SENTENCE.finditer(line)):
        sentence = match.group().strip()
        if not sentence:
            continue
        if len(sentence) <= max_len:
            yield sentence
            continue
        for clause in _pack(_CLAUSE.findall(sentence), max_len):
            for start in range(0, len(clause), max_len):
                piece = clause[start:start + max_len].strip()
                if piece:
                    yield piece


def _pack(clauses: list[str], max_len: int) -> Iterator[str]:
    """Join consecutive clauses greedily while the result fits in ``max_len``."""
    current = ""
    for clause in clauses:
        if current and len(current) + len(clause) > max_len:
            yield current
            current = ""
        current += clause
    if current:
        yield current
