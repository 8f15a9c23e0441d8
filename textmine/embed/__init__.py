"""Word and document embeddings: minimum-entropy ("library") vectors, JoSE, and a word2vec baseline.

::

    from textmine.corpus import open_corpus, tokenize
    from textmine.embed import JoSE, save_vectors
    tokens = tokenize(open_corpus("data/sanguo_sample.txt"), "jieba")
    model = JoSE(dim=100, epochs=10, seed=0).fit(tokens)
    model.wv.most_similar("曹操")          # gensim KeyedVectors
    save_vectors(model.wv, "words.vec")   # word2vec text format (".bin": binary)
"""

from textmine.embed.cooccur import cooccurrence_matrix, count_cooccurrences
from textmine.embed.encode import Encoded, encode_corpus
from textmine.embed.jose import JoSE
from textmine.embed.minent import MinEntropy, default_dim
from textmine.embed.skmeans import SphericalKMeans
from textmine.embed.vectors import load_vectors, read_vectors, save_vectors, to_keyed_vectors
from textmine.embed.word2vec import Word2Vec

__all__ = ["Encoded", "JoSE", "MinEntropy", "SphericalKMeans", "Word2Vec", "cooccurrence_matrix",
           "count_cooccurrences", "default_dim", "encode_corpus", "load_vectors", "read_vectors", "save_vectors",
           "to_keyed_vectors"]
