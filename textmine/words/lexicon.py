"""From counted chunks to a ranked lexicon: filters, minimum-entropy pruning, scores, files."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from typing import Iterable

import numpy as np

from textmine.atomic import atomic_open
from textmine.words.ngrams import NgramCounts

__all__ = ["WordRecord", "build_records", "segment_cost", "write_words_tsv", "write_userdict"]


@dataclass(frozen=True)
class WordRecord:
    """One discovered word with the statistics that ranked it."""

    word: str
    freq: int
    pmi: float
    left_entropy: float
    right_entropy: float
    score: float
    kind: str = "word"  # "word", "long" (longer than max_n) or "phrase" (made of 2+ words); see build_records


def segment_cost(word: str, lexicon: dict[str, int], log_total: float, max_len: int) -> tuple[float, list[str]]:
    """Best log-probability of ``word`` as a sequence of lexicon pieces, and the pieces.

    Unknown single characters count as seen once (as in jieba), so every word can be segmented.
    """
    size = len(word)
    best = [0.0] + [-math.inf] * size
    back = [0] * (size + 1)
    get, log = lexicon.get, math.log  # this runs once per lexicon word: keep the inner loop lean
    for end in range(1, size + 1):
        for start in range(max(0, end - max_len), end):
            count = get(word[start:end], 1 if end - start == 1 else 0)
            if count:
                score = best[start] + log(count) - log_total
                if score > best[end]:
                    best[end] = score
                    back[end] = start
    pieces, end = [], size
    while end > 0:
        pieces.append(word[back[end]:end])
        end = back[end]
    return best[size], pieces[::-1]


def _remove_redundant(lexicon: dict[str, int], nats_per_char: float = 1.0,
                      long_nats_per_char: float | None = None) -> dict[str, tuple[float, list[str]]]:
    """nlp_zero's rule, longest words first: drop w when keeping it saves less than
    ``nats_per_char`` x (len(w) - 1) nats per occurrence over the rest's best segmentation;
    words of 3 or more characters are held to ``long_nats_per_char`` per extra character instead
    where it is given (a compound such as 土壤污染 saves fewer nats per character than a pair of
    characters that only make sense together).

    Returns the gain (nats per occurrence) of every surviving multi-character word and its best
    split into the shorter words; with ``nats_per_char=-inf`` nothing is dropped.
    """
    log_total = math.log(sum(lexicon.values()))
    max_len = max(map(len, lexicon))
    gains: dict[str, tuple[float, list[str]]] = {}
    for word in sorted((w for w in lexicon if len(w) > 1), key=lambda w: (-len(w), w)):
        count = lexicon.pop(word)
        cost, pieces = segment_cost(word, lexicon, log_total, max_len)
        gain = math.log(count) - log_total - cost
        per_char = nats_per_char if len(word) == 2 or long_nats_per_char is None else long_nats_per_char
        if gain < per_char * (len(word) - 1):
            for piece in pieces:
                lexicon[piece] = lexicon.get(piece, 0) + count
        else:
            lexicon[word] = count
            gains[word] = gain, pieces
    return gains


def _grams(word: str, top: int) -> list[str]:
    """The n-grams a word's statistics come from: the word itself, or its max_n-windows."""
    return [word] if len(word) <= top else [word[i:i + top] for i in range(len(word) - top + 1)]


def _by_length(grams: Iterable[str]) -> dict[int, list[str]]:
    """Distinct n-grams grouped by length, each group sorted."""
    groups: dict[int, set[str]] = {}
    for gram in grams:
        groups.setdefault(len(gram), set()).add(gram)
    return {n: sorted(group) for n, group in groups.items()}


def _ngram_stats(counts: NgramCounts, grams: list[str]):
    """Cohesion and boundary entropies of n-grams all of one length (len <= max_n)."""
    n = len(grams[0])
    keys = counts.pack_all(grams)
    freq = np.maximum(counts.lookup(n, keys), 1)
    pmi = counts.cohesion(n, keys, freq) if n > 1 else np.zeros(len(grams))
    left, right = counts.entropies(n, keys, freq)
    return pmi, left, right


def _word_stats(counts: NgramCounts, words: list[str]) -> dict[str, tuple[float, float, float]]:
    """(pmi, left entropy, right entropy) per word; longer words use their edge max_n-grams and
    the least cohesive max_n-window."""
    top = counts.max_n
    table: dict[str, tuple[float, float, float]] = {}
    for grams in _by_length(g for w in words for g in _grams(w, top)).values():
        pmi, left, right = _ngram_stats(counts, grams)
        table.update(zip(grams, zip(pmi.tolist(), left.tolist(), right.tolist())))
    stats = {}
    for w in words:
        windows = [table[g] for g in _grams(w, top)]
        stats[w] = (min(x[0] for x in windows), windows[0][1], windows[-1][2])
    return stats


def _strict_words(counts: NgramCounts, words: list[str], kept: dict[int, np.ndarray],
                  stats: dict[str, tuple[float, float, float]], chunks: dict[str, int], params: dict) -> list[str]:
    """The words of 3..max_n characters that are kept n-grams, or that stand alone as chunks
    (``chunks``: their counts) in ``min_alone`` of their occurrences, and the longer ones
    whose every max_n-window is ``long_pmi`` cohesive (their least cohesion is in ``stats``; at the
    max_n-grams' own threshold that is word-discovery's rule, every window kept); pairs pass."""
    top, alone = counts.max_n, params["min_alone"]
    ok = {}
    for n, grams in _by_length(w for w in words if 2 < len(w) <= top).items():
        keys = counts.pack_all(grams)
        passed = np.isin(keys, kept[n])
        if alone:
            passed |= np.array([chunks[w] for w in grams]) >= alone * counts.lookup(n, keys)
        ok.update(zip(grams, passed.tolist()))
    return [w for w in words if len(w) <= 2 or (ok[w] if len(w) <= top else stats[w][0] >= params["long_pmi"])]


def _kind(word: str, pieces: list[str], weakest: float, max_n: int, kept_pmi: float) -> str:
    """"phrase" when the word's best split holds two or more words of 2+ characters and, if it is
    longer than max_n, one of its max_n-windows is less cohesive than a kept max_n-gram (words
    joined at a weaker joint: 中华人民共和国, 金融危机; 印度尼西亚 = 印度 + 尼西亚 is cohesive
    throughout); otherwise "long" when it is longer than max_n, else "word"."""
    joined = sum(len(piece) > 1 for piece in pieces) > 1 and (len(word) <= max_n or weakest < kept_pmi)
    if joined:
        return "phrase"
    return "long" if len(word) > max_n else "word"


def _standalone_characters(counts: NgramCounts, chunks: dict[str, int]) -> dict[str, int]:
    """How often each character stands alone as a chunk; a character that never does counts 1
    (as jieba counts an unknown character), so every character of the corpus is in the lexicon.

    Standalone counts, not unigram counts, are what makes a lexicon segment well: with every
    occurrence of a character counted, jieba splits words into characters (BENCHMARKS.md).
    """
    single = dict.fromkeys((counts.index.chars[i] for i in counts.keys[1].tolist()), 1)
    single.update((w, c) for w, c in chunks.items() if len(w) == 1)
    return single


def build_records(counts: NgramCounts, chunks: dict[str, int], kept: dict[int, np.ndarray], params: dict,
                  neighbours: dict[str, int]):
    """Filter the chunks into a lexicon and rank its multi-character words. ``neighbours``: how
    many different characters each chunk longer than max_n is seen beside on its poorer side.

    Returns (records best first, lexicon word -> count including single characters).
    """
    longest = params["max_len"] or math.inf
    multi = [w for w, c in chunks.items() if 1 < len(w) <= longest and c >= params["min_count"]]
    stats = _word_stats(counts, multi) if multi else {}
    if params["strict"]:
        multi = _strict_words(counts, multi, kept, stats, chunks, params)
    floor, least, top = params["min_entropy"], params["min_neighbours"], counts.max_n
    multi = [w for w in multi if min(stats[w][1], stats[w][2]) >= floor
             and (least == 1 or len(w) <= top or neighbours[w] >= least)]
    lexicon = _standalone_characters(counts, chunks)
    lexicon.update((w, chunks[w]) for w in multi)
    off = not params["redundancy"]
    gains = _remove_redundant(lexicon, -math.inf if off else params["redundancy"],
                              None if off else params["long_redundancy"])
    records = [WordRecord(w, lexicon[w], round(stats[w][0], 4), round(stats[w][1], 4), round(stats[w][2], 4),
                          round(lexicon[w] * gain, 2), _kind(w, pieces, stats[w][0], top, params["min_pmi"][-1]))
               for w, (gain, pieces) in gains.items() if w in stats]
    records.sort(key=lambda r: (-r.score, r.word))
    return records, lexicon


def write_words_tsv(records, path: str | os.PathLike) -> None:
    """Words best first with every statistic, as a TSV with a header line, written atomically."""
    with atomic_open(path) as handle:
        handle.write("word\tfreq\tpmi\tleft_entropy\tright_entropy\tscore\tkind\n")
        for r in records:
            handle.write(f"{r.word}\t{r.freq}\t{r.pmi}\t{r.left_entropy}\t{r.right_entropy}\t{r.score}\t{r.kind}\n")


def write_userdict(lexicon: dict[str, int], path: str | os.PathLike, singles: bool = False) -> None:
    """A jieba dictionary, "word freq" per line, most frequent first, written atomically."""
    with atomic_open(path) as handle:
        for word, count in sorted(lexicon.items(), key=lambda kv: (-kv[1], kv[0])):
            if count > 0 and (singles or len(word) > 1):
                handle.write(f"{word} {count}\n")
