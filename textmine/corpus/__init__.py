"""The one way in for text: readers, decoding, normalisation, splitting, tokenizers and Vocab.

Every stage reads through this package. A corpus is a re-iterable stream of documents::

    from textmine.corpus import open_corpus, tokenize
    corpus = open_corpus("data/sanguo_sample.txt")          # one document per line
    for tokens in tokenize(corpus, "jieba"):
        ...
"""

from textmine.corpus.normalize import iter_sentences, normalize_text
from textmine.corpus.readers import FORMATS, Corpus, as_corpus, iter_json_records, open_corpus
from textmine.corpus.tokenizers import (
    TOKENIZERS,
    CharTokenizer,
    JiebaTokenizer,
    WhitespaceTokenizer,
    make_tokenizer,
    tokenize,
)
from textmine.corpus.vectors import load_vectors, read_vectors, save_vectors, to_keyed_vectors
from textmine.corpus.vocab import Vocab

__all__ = ["CharTokenizer", "Corpus", "FORMATS", "JiebaTokenizer", "TOKENIZERS", "Vocab", "WhitespaceTokenizer",
           "as_corpus", "iter_json_records", "iter_sentences", "load_vectors", "make_tokenizer", "normalize_text",
           "open_corpus", "read_vectors", "save_vectors", "to_keyed_vectors", "tokenize"]
