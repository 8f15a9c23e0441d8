"""Word and document embeddings: minimum-entropy ("library") vectors, JoSE, and a word2vec baseline.

::

    from textmine.corpus import open_corpus, tokenize
    from textmine.embed import JoSE, save_vectors
    tokens = tokenize(open_corpus("data/sanguo_sample.txt"), "jieba")
    model = JoSE(dim=100, epochs=5, seed=0).fit(tokens)
    model.wv.most_similar("曹操")          # gensim KeyedVectors
    save_vectors(model.wv, "words.vec")   # word2vec text format (".bin": binary)
    model.save("model")                   # textmine.json + vocab.json + arrays.safetensors, no pickle
    JoSE.load("model").infer_vectors([["曹操", "引兵"]])   # or load_model("model"): any method
"""

from textmine._lazy import callable_package, lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "textmine.embed.cooccur": ("cooccurrence_matrix", "count_cooccurrences"),
    "textmine.embed.encode": ("Encoded", "encode_corpus"),
    "textmine.embed.jose": ("JoSE",),
    "textmine.embed.minent": ("MinEntropy", "default_dim"),
    "textmine.embed.methods": ("load_model", "make_model"),
    "textmine.embed.skmeans": ("SphericalKMeans",),
    "textmine.corpus.vectors": ("load_vectors", "read_vectors", "save_vectors", "to_keyed_vectors"),
    "textmine.embed.word2vec": ("Word2Vec",),
})
callable_package(__name__, "textmine.api:embed")  # textmine.embed(...) calls the job
