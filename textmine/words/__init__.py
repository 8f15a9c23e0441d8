"""New words and domain terms from raw text (docs/algorithms/words.md).

::

    from textmine.corpus import open_corpus
    from textmine.words import discover_words
    words = discover_words(open_corpus("data/sanguo_sample.txt"))
    words[0]   # WordRecord(word='玄德', freq=..., pmi=..., left_entropy=..., right_entropy=..., score=...)
"""

from textmine._lazy import callable_package, lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "textmine.words.contrast": ("TermContraster", "TermRecord", "contrast_terms", "content_words", "write_terms_tsv"),
    "textmine.words.expand": ("expand_seeds",),
    "textmine.words.finder": ("PRESETS", "WordFinder", "WordRecord", "discover_words"),
    "textmine.words.ngrams": ("NgramCounts", "count_ngrams"),
})
callable_package(__name__, "textmine.api:words")  # textmine.words(...) calls the job
