import numpy as np
import pytest

from textmine.embed import MinEntropy, default_dim
from textmine.errors import InputError


def test_default_dimension_rule():
    assert default_dim(100_000) == 96          # n > 8.33 log N, the example of docs/algorithms/minent.md
    assert default_dim(1000) < default_dim(100_000)


@pytest.mark.parametrize("kwargs", [dict(vectors="shared"), dict(kernel="distance"), dict(),
                                    dict(mode="pmi", vectors="shared"), dict(mode="pmi"), dict(weighting="word2vec")])
def test_every_mode_learns(char_docs, kwargs):
    model = MinEntropy(dim=24, epochs=4, workers=2, progress=False, **kwargs).fit(char_docs)
    assert model.loss_history_[-1] < model.loss_history_[0]
    assert model.wv.vectors.shape == (len(model.vocab_), 24)
    assert np.isfinite(model.wv.vectors).all()
    if kwargs.get("vectors") == "shared":
        assert model.context_vectors_ is model.vectors_      # one position per word


def test_first_and_second_order_queries(char_docs):
    model = MinEntropy(dim=32, epochs=4, workers=2, progress=False).fit(char_docs)
    correlative = model.most_correlative("曹", topn=5)
    similar = model.most_similar("曹", topn=5)
    assert len(correlative) == len(similar) == 5
    assert all(w != "曹" for w, _ in correlative + similar)
    scores = [s for _, s in correlative]
    assert scores == sorted(scores, reverse=True)
    with pytest.raises(InputError, match="not in the vocabulary"):
        model.most_correlative("zzz")


@pytest.mark.parametrize("kwargs", [dict(mode="svd"), dict(kernel="cosine"), dict(window=0), dict(dim=-3),
                                    dict(draws=0)])
def test_bad_parameters(char_docs, kwargs):
    with pytest.raises(InputError):
        MinEntropy(progress=False, **kwargs).fit(char_docs[:5])


def test_min_count_that_empties_the_vocabulary(char_docs):
    with pytest.raises(InputError, match="min_count"):
        MinEntropy(min_count=10**8, progress=False).fit(char_docs[:5])
