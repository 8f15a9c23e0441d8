"""Sentences to token ids and back: the text VAE's vocabulary, with cut and unknown tokens counted.

A VAE reads one sentence per document. Sentences longer than ``max_len`` tokens are cut (the model
has no use for a tail it never learnt to end) and tokens outside the vocabulary become ``<unk>``;
both are counted and reported, never silently dropped. Ids 0-3 are the specials below, then the
vocabulary's tokens, most frequent first (:class:`textmine.corpus.Vocab` order).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from textmine.corpus import Vocab, as_corpus, make_tokenizer
from textmine.errors import InputError

__all__ = ["SPECIALS", "PAD", "UNK", "BOS", "EOS", "Codec", "Encoded"]

log = logging.getLogger(__name__)

SPECIALS = ("<pad>", "<unk>", "<s>", "</s>")
PAD, UNK, BOS, EOS = range(4)
TOKENIZERS = ("chars", "jieba")


@dataclass
class Encoded:
    """Id lists of the sentences that had tokens, their indexes in the input, and what was fixed."""

    ids: list[list[int]]
    index: list[int]
    counts: dict[str, int] = field(default_factory=dict)


class Codec:
    """Tokenizer + vocabulary + length limit: ``encode`` texts to id lists, ``decode`` ids to text.

    Parameters
    ----------
    tokens : sequence of str
        Every token, specials first (``SPECIALS``).
    tokenizer : {"chars", "jieba"}
        Characters (the default: no segmentation errors, a small vocabulary) or jieba words.
    max_len : int
        Most tokens per sentence (the end token not counted).
    userdict : path or None
        A jieba user lexicon (e.g. from ``textmine words --userdict``).
    """

    def __init__(self, tokens: Sequence[str], tokenizer: str = "chars", max_len: int = 64, userdict=None):
        if tuple(tokens[:4]) != SPECIALS:
            raise InputError(f"the token list must start with {SPECIALS}, got {tuple(tokens[:4])}")
        self.tokens, self.tokenizer, self.max_len, self.userdict = list(tokens), tokenizer, max_len, userdict
        self._ids = {t: i for i, t in enumerate(self.tokens)}
        self._split = make_tokenizer(tokenizer, userdict)

    @classmethod
    def build(cls, texts: Iterable[str], *, tokenizer: str = "chars", max_len: int = 64, min_count: int = 1,
              max_size: int | None = None, userdict=None) -> "Codec":
        """The vocabulary of ``texts`` (one pass); tokens seen fewer than ``min_count`` times become ``<unk>``."""
        if tokenizer not in TOKENIZERS:
            raise InputError(f"tokenizer={tokenizer!r}; expected one of {', '.join(TOKENIZERS)}")
        split = make_tokenizer(tokenizer, userdict)
        vocab = Vocab.build((split(t) for t in as_corpus(texts, name="texts")), min_count=min_count,
                            max_size=max_size)
        return cls([*SPECIALS, *(w for w in vocab.words if w not in SPECIALS)], tokenizer, max_len, userdict)

    def __len__(self) -> int:
        return len(self.tokens)

    def encode(self, texts: Iterable[str]) -> Encoded:
        """Id lists (without ``<s>``/``</s>``); empty sentences are skipped, long ones cut, both counted."""
        out = Encoded([], [], {"sentences": 0, "empty": 0, "cut": 0, "tokens": 0, "unknown": 0})
        counts = out.counts
        for i, text in enumerate(as_corpus(texts, name="texts")):
            pieces = self._split(text)
            counts["sentences"] += 1
            if not pieces:
                counts["empty"] += 1
                continue
            if len(pieces) > self.max_len:
                counts["cut"] += 1
                pieces = pieces[: self.max_len]
            ids = [self._ids.get(p, UNK) for p in pieces]
            counts["tokens"] += len(ids)
            counts["unknown"] += sum(1 for x in ids if x == UNK)
            out.ids.append(ids)
            out.index.append(i)
        if counts["cut"]:
            log.warning("%d of %d sentences are longer than max_len=%d tokens and were cut", counts["cut"],
                        counts["sentences"], self.max_len)
        if counts["unknown"]:
            log.info("%d of %d tokens are not in the vocabulary (<unk>)", counts["unknown"], counts["tokens"])
        return out

    def encode_one(self, text: str) -> list[int]:
        """The ids of one sentence; InputError when it has no tokens."""
        if not isinstance(text, str):
            raise InputError(f"expected a sentence (str), got {type(text).__name__}")
        enc = self.encode([text])
        if not enc.ids:
            raise InputError(f"sentence {text!r} has no tokens; expected some text")
        return enc.ids[0]

    def decode(self, ids: Sequence[int]) -> str:
        """Tokens joined without spaces (Chinese), stopping at ``</s>``; specials other than ``<unk>`` dropped."""
        out = []
        for i in ids:
            if i == EOS:
                break
            if i > EOS or i == UNK:
                out.append(self.tokens[i])
        return "".join(out)
