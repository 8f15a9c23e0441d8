import numpy as np
import pytest

from textmine.embed import cooccurrence_matrix, count_cooccurrences, encode_corpus
from textmine.errors import InputError


def brute_force(docs, vocab, window, harmonic):
    M = np.zeros((len(vocab), len(vocab)))
    for doc in docs:
        ids = [vocab.index(t) for t in doc if t in vocab]
        for p in range(len(ids)):
            for q in range(p + 1, min(len(ids), p + window + 1)):
                w = 1 / (q - p) if harmonic else 1
                M[ids[p], ids[q]] += w
                M[ids[q], ids[p]] += w
    return M


@pytest.mark.parametrize("weighting", ["none", "harmonic"])
def test_counts_match_brute_force(small_docs, weighting):
    docs = small_docs[:40]
    enc = encode_corpus(docs, min_count=3)
    X = cooccurrence_matrix(enc, window=3, weighting=weighting, chunk_tokens=2000)
    expected = brute_force(docs, enc.vocab, 3, weighting == "harmonic")
    np.testing.assert_allclose(X.toarray(), expected, rtol=1e-5)
    assert abs(X - X.T).max() < 1e-3       # symmetric up to float32 summation order


def test_streaming_equals_in_memory(small_docs):
    docs = small_docs[:60]
    enc = encode_corpus(docs, min_count=2)
    streamed = count_cooccurrences(docs, enc.vocab, window=4, chunk_tokens=5000)
    whole = cooccurrence_matrix(enc, window=4, chunk_tokens=10**6)
    np.testing.assert_allclose(streamed.toarray(), whole.toarray(), rtol=1e-5)


def test_dynamic_window_counts_fewer_pairs(small_docs):
    enc = encode_corpus(small_docs[:40], min_count=2)
    fixed = cooccurrence_matrix(enc, window=5, weighting="none").sum()
    dynamic = cooccurrence_matrix(enc, window=5, weighting="none", dynamic=True).sum()
    assert 0.45 * fixed < dynamic < 0.8 * fixed     # expectation is (w+1)/(2w) = 0.6 of the pairs


@pytest.mark.parametrize("kwargs", [dict(window=0), dict(window=10_000), dict(weighting="gaussian")])
def test_bad_parameters(small_docs, kwargs):
    enc = encode_corpus(small_docs[:5], min_count=1)
    with pytest.raises(InputError):
        cooccurrence_matrix(enc, **kwargs)


def test_word2vec_weighting_is_the_expected_skip_gram_pair_count():
    """Simulate word2vec's epochs (drop tokens, then a random window per centre) and average."""
    rng = np.random.default_rng(0)
    docs = [list(rng.choice(list("aabbbcdefg"), size=30)) for _ in range(20)]
    enc = encode_corpus(docs, min_count=1)
    keep = np.linspace(0.3, 1.0, len(enc.vocab))
    window, runs = 3, 3000
    simulated = np.zeros((len(enc.vocab), len(enc.vocab)))
    for _ in range(runs):
        for d in range(enc.n_docs):
            ids = enc.ids[enc.offsets[d]:enc.offsets[d + 1]]
            ids = ids[rng.random(len(ids)) < keep[ids]]
            for p, centre in enumerate(ids):
                reach = rng.integers(1, window + 1)
                for q in range(max(0, p - reach), min(len(ids), p + reach + 1)):
                    if q != p:
                        simulated[centre, ids[q]] += 1
    expected = cooccurrence_matrix(enc, window=window, weighting="word2vec", keep=keep).toarray()
    np.testing.assert_allclose(expected, simulated / runs, rtol=0.05, atol=0.05)
    with pytest.raises(InputError, match="keep"):
        cooccurrence_matrix(enc, weighting="word2vec")
