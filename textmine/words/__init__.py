"""New words and domain terms from raw text (ALGORITHMS.md §1-2).

::

    from textmine.corpus import open_corpus
    from textmine.words import discover_words
    words = discover_words(open_corpus("data/sanguo_sample.txt"))
    words[0]   # WordRecord(word='玄德', freq=..., pmi=..., left_entropy=..., right_entropy=..., score=...)
"""

from textmine.words.contrast import TermContraster, TermRecord, contrast_terms, write_terms_tsv
from textmine.words.expand import expand_seeds
from textmine.words.finder import PRESETS, WordFinder, WordRecord, discover_words
from textmine.words.ngrams import NgramCounts, count_ngrams

__all__ = ["PRESETS", "NgramCounts", "TermContraster", "TermRecord", "WordFinder", "WordRecord", "contrast_terms",
           "count_ngrams", "discover_words", "expand_seeds", "write_terms_tsv"]
