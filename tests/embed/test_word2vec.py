import pytest

from textmine.embed import Word2Vec
from textmine.embed.word2vec import average_vectors
from textmine.errors import InputError, NotFittedError


def test_baseline_trains_and_averages(small_docs):
    model = Word2Vec(dim=16, epochs=2, workers=1, progress=False).fit(small_docs)
    assert model.wv.vector_size == 16 and model.words_per_second_ > 0
    docs = average_vectors(model.wv, small_docs[:3] + [["没有的词"]])
    assert docs.shape == (4, 16) and not docs[3].any()


def test_errors(small_docs):
    with pytest.raises(InputError, match="empty"):
        Word2Vec(progress=False).fit([[]])
    with pytest.raises(InputError, match="min_count"):
        Word2Vec(min_count=10**8, progress=False).fit(small_docs)
    with pytest.raises(InputError, match="window"):
        Word2Vec(window=-1).fit(small_docs)
    with pytest.raises(NotFittedError):
        Word2Vec().wv
