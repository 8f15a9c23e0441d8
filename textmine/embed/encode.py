"""Turn a stream of token lists into one int32 id array: the input every embedding kernel reads.

The compiled kernels (numba) cannot walk Python lists, so the corpus is encoded once into a flat
``int32`` array of word ids plus document offsets. This holds the whole corpus in memory at
4 bytes a token (24 MB for the 6M-token benchmark mix); the co-occurrence counter, which must
stream, encodes chunk by chunk instead (see :mod:`textmine.embed.cooccur`).
"""

from __future__ import annotations

import logging
from array import array
from dataclasses import dataclass
from typing import Iterable

import numpy as np
from tqdm.auto import tqdm

from textmine.corpus import Vocab
from textmine.errors import InputError

__all__ = ["Encoded", "encode_corpus", "encode_more", "check_tokens", "encode_with_vocab"]

log = logging.getLogger(__name__)


@dataclass
class Encoded:
    """A corpus as ids: ``ids[offsets[d]:offsets[d+1]]`` are the kept words of document ``d``."""

    vocab: Vocab
    ids: np.ndarray       # int32, words below min_count removed (windows span them, as in word2vec)
    offsets: np.ndarray   # int64, len = documents + 1
    raw_words: int        # tokens before min_count pruning: the "words" of words/s

    @property
    def n_docs(self) -> int:
        return len(self.offsets) - 1


def check_tokens(token_lists, *, name: str = "token_lists") -> None:
    """Refuse a bare str, a one-shot iterator, or documents that are not lists of str."""
    if isinstance(token_lists, str):
        raise InputError(f"{name} is a single str; pass a list of token lists or textmine.corpus.tokenize(...)")
    if iter(token_lists) is token_lists:
        raise InputError(f"{name} is a one-shot iterator; pass a list of token lists or "
                         "textmine.corpus.tokenize(corpus, tokenizer), which can be read again")


def encode_corpus(token_lists: Iterable[list[str]], *, min_count: int = 5, max_vocab: int | None = None,
                  keep_empty: bool = False, progress: bool = False) -> Encoded:
    """Count and encode in ONE pass (tokenizing with jieba is the slow part, so it is done once).

    Every distinct token gets a provisional id while reading; afterwards words below ``min_count``
    are dropped and the rest renumbered by descending count (the :class:`~textmine.corpus.Vocab`
    order). ``keep_empty`` keeps documents left without words so that document ids stay aligned
    with the input (JoSE's document vectors, evaluation labels). ``progress`` shows a bar over the
    documents, since this pass (and jieba inside it) is often the longest silent stretch.
    """
    if min_count < 1:
        raise InputError(f"min_count must be at least 1, got {min_count}")
    provisional, counts, flat, offsets = _count(token_lists, progress)
    kept = {w: counts[i] for w, i in provisional.items() if counts[i] >= min_count}
    if max_vocab is not None and len(kept) > max_vocab:
        kept = dict(sorted(kept.items(), key=lambda kv: (-kv[1], kv[0]))[:max_vocab])
    if not kept:
        raise InputError(f"no word occurs at least min_count={min_count} times in {len(flat)} tokens "
                         f"({len(provisional)} distinct); lower min_count")
    return _encoded(Vocab(kept), provisional, flat, offsets, keep_empty)


def grow_rows(M: np.ndarray, old_to_new: np.ndarray, fresh: np.ndarray) -> np.ndarray:
    """``M``'s rows (one per word of the old vocabulary) moved to their new ids (from
    :func:`encode_more`) in ``fresh``, whose other rows, the new words', keep their initial values."""
    fresh[old_to_new] = M
    return fresh


def encode_more(token_lists: Iterable[list[str]], vocab: Vocab, *, min_count: int = 5, keep_empty: bool = False,
                progress: bool = False) -> tuple[Encoded, np.ndarray]:
    """Encode more text for continued training, as gensim's ``build_vocab(update=True)`` does.

    Words of ``vocab`` stay (their counts grow by the new ones); an unseen word joins when the new
    text holds it ``min_count`` times. The merged vocabulary is in count order again, so rows move:
    the second value maps each old id to its new one.
    """
    provisional, counts, flat, offsets = _count(token_lists, progress)
    merged = {w: c for w, c in zip(vocab.words, vocab.counts)}
    for w, i in provisional.items():
        if w in merged:
            merged[w] += counts[i]
        elif counts[i] >= min_count:
            merged[w] = counts[i]
    new_vocab = Vocab(merged)
    old_to_new = np.array([new_vocab.index(w) for w in vocab.words], dtype=np.int64)
    return _encoded(new_vocab, provisional, flat, offsets, keep_empty), old_to_new


def _count(token_lists, progress: bool):
    """Provisional ids (first-seen order), their counts, the flat id stream and document offsets."""
    check_tokens(token_lists)
    provisional: dict[str, int] = {}
    counts = array("q")
    flat = array("i")
    offsets = array("q", [0])
    for tokens in tqdm(token_lists, desc="reading and tokenizing", unit=" docs", disable=not progress):
        if isinstance(tokens, str):
            raise InputError("each document must be a list of tokens, got a str; tokenize the corpus first")
        for token in tokens:
            i = provisional.get(token)
            if i is None:
                i = provisional[token] = len(counts)
                counts.append(0)
            counts[i] += 1
            flat.append(i)
        offsets.append(len(flat))
    if len(flat) == 0:
        raise InputError("the corpus is empty: no tokens were read (check the input files and the tokenizer)")
    return provisional, counts, flat, offsets


def _encoded(vocab: Vocab, provisional: dict[str, int], flat, offsets, keep_empty: bool) -> Encoded:
    """Renumber the provisional stream into ``vocab``'s ids, dropping words it lacks."""
    remap = np.full(len(provisional), -1, dtype=np.int32)
    for w, i in provisional.items():
        if w in vocab:
            remap[i] = vocab.index(w)
    raw = np.frombuffer(flat, dtype=np.int32)
    mapped = remap[raw]
    keep = mapped >= 0
    ids = mapped[keep]
    cum = np.concatenate([[0], np.cumsum(keep, dtype=np.int64)])
    new_offsets = cum[np.frombuffer(offsets, dtype=np.int64)]
    if not keep_empty:
        new_offsets = np.unique(new_offsets)
    log.info("encoded %d tokens (%d kept) in %d documents; vocabulary %d", len(raw), len(ids),
             len(new_offsets) - 1, len(vocab))
    return Encoded(vocab, np.ascontiguousarray(ids), np.ascontiguousarray(new_offsets, dtype=np.int64), len(raw))


def encode_with_vocab(tokens: list[str], vocab: Vocab) -> np.ndarray:
    """Ids of the in-vocabulary tokens of one document (unknown words are skipped)."""
    return np.array([vocab.index(t) for t in tokens if t in vocab], dtype=np.int32)
