"""Tokenizers: characters, jieba (with a discovered lexicon), and pre-segmented text.

Each tokenizer is a callable ``text -> list[str]`` with no whitespace tokens. Jieba runs on a
private ``jieba.Tokenizer`` so that a user lexicon never leaks into the global ``jieba`` state
other code in the process relies on.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Callable, Iterable, Iterator

from textmine.errors import InputError

__all__ = ["CharTokenizer", "JiebaTokenizer", "WhitespaceTokenizer", "make_tokenizer", "tokenize",
           "TOKENIZERS"]

log = logging.getLogger(__name__)


class CharTokenizer:
    """Every non-space character is a token."""

    def __call__(self, text: str) -> list[str]:
        return [ch for ch in text if not ch.isspace()]


class WhitespaceTokenizer:
    """Text already segmented with spaces (for example the output of another segmenter)."""

    def __call__(self, text: str) -> list[str]:
        return text.split()


class JiebaTokenizer:
    """jieba segmentation, optionally with a user lexicon.

    Parameters
    ----------
    userdict : a jieba user dictionary ("word [freq [pos]]" per line), such as the one
        ``textmine words --userdict`` writes.
    replace : if True the user lexicon *replaces* jieba's dictionary instead of augmenting it (the
        standard way to judge a discovered lexicon on its own).
    hmm : jieba's HMM guesses for unknown words; off when judging a lexicon.
    """

    def __init__(self, userdict: str | os.PathLike | None = None, replace: bool = False, hmm: bool = True):
        self.userdict = userdict
        self.replace = replace
        self.hmm = hmm
        self._jieba = None

    def _load(self):
        import jieba

        # jieba logs its dictionary loading at DEBUG through a stderr handler of its own, whatever the
        # application's logging says; hand its messages to the logging configuration instead
        jieba.default_logger.removeHandler(jieba.log_console)
        jieba.default_logger.setLevel(logging.NOTSET)
        if self.userdict is not None and not Path(self.userdict).is_file():
            raise InputError(f"user dictionary {self.userdict} does not exist")
        if self.replace:
            if self.userdict is None:
                raise InputError("replace=True needs a userdict to replace jieba's dictionary with")
            tokenizer = jieba.Tokenizer(dictionary=str(self.userdict))
        else:
            tokenizer = jieba.Tokenizer()
            if self.userdict is not None:
                tokenizer.load_userdict(str(self.userdict))
        tokenizer.initialize()
        return tokenizer

    def __call__(self, text: str) -> list[str]:
        if self._jieba is None:
            self._jieba = self._load()
        return [w for w in self._jieba.lcut(text, HMM=self.hmm) if not w.isspace()]


TOKENIZERS = ("jieba", "chars", "whitespace")


def make_tokenizer(name: str, userdict: str | os.PathLike | None = None, **options) -> Callable[[str], list[str]]:
    """A tokenizer by name: "jieba" (optionally with ``userdict``), "chars" or "whitespace"."""
    if name == "jieba":
        return JiebaTokenizer(userdict=userdict, **options)
    if userdict is not None:
        raise InputError(f"a user dictionary only applies to the jieba tokenizer, not {name!r}")
    if name == "chars":
        return CharTokenizer()
    if name == "whitespace":
        return WhitespaceTokenizer()
    raise InputError(f"unknown tokenizer {name!r}; expected one of {', '.join(TOKENIZERS)}")


class _Tokenized:
    """A re-iterable view of a corpus as token lists."""

    def __init__(self, corpus: Iterable[str], tokenizer: Callable[[str], list[str]]):
        self.corpus = corpus
        self.tokenizer = tokenizer

    def __iter__(self) -> Iterator[list[str]]:
        for document in self.corpus:
            tokens = self.tokenizer(document)
            if tokens:
                yield tokens


def tokenize(corpus: Iterable[str], tokenizer: Callable[[str], list[str]] | str = "jieba") -> Iterable[list[str]]:
    """The corpus as a re-iterable stream of token lists (empty documents dropped)."""
    from textmine.corpus.readers import as_corpus

    if isinstance(tokenizer, str):
        tokenizer = make_tokenizer(tokenizer)
    return _Tokenized(as_corpus(corpus), tokenizer)
