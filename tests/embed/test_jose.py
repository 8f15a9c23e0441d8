import numpy as np
import pytest

from textmine.embed import JoSE, SphericalKMeans
from textmine.errors import InputError, NotFittedError


@pytest.fixture(scope="module")
def model(char_docs):
    return JoSE(dim=32, epochs=4, workers=2, engine="numba", seed=3, progress=False).fit(char_docs)


def test_all_vectors_stay_on_the_sphere(model):
    for M in (model.word_vectors_, model.context_vectors_, model.doc_vectors_):
        np.testing.assert_allclose(np.linalg.norm(M, axis=1), 1, atol=1e-4)


def test_loss_goes_down_and_vectors_are_gensim_keyed_vectors(model, char_docs):
    # at the C code's margin the mean hinge falls epoch by epoch; at the default 0.3 it need not
    # (the wider margin keeps pairs in training as the vectors gather), so that is checked here
    c_model = JoSE(dim=32, epochs=4, workers=2, engine="numba", seed=3, margin=0.15, negative=2,
                   progress=False).fit(char_docs[:300])
    assert c_model.loss_history_[-1] < 0.95 * c_model.loss_history_[0]
    assert len(model.dv) == len(char_docs)
    neighbours = [w for w, _ in model.wv.most_similar("曹", topn=20)]
    assert neighbours and "曹" not in neighbours


def test_document_vectors_lie_near_their_own_words(model, char_docs):
    """A document's vector is closer to the mean of its own words than to another document's."""
    wv = model.wv
    own = [np.mean([wv[t] for t in doc if t in wv.key_to_index], axis=0) for doc in char_docs[:50]]
    sims = model.doc_vectors_[:50] @ np.array(own).T
    assert (sims.argmax(axis=1) == np.arange(50)).mean() > 0.5


def test_inference_is_deterministic_under_a_seed(model, char_docs):
    doc = char_docs[7]
    a, b = model.infer_vector(doc, seed=11), model.infer_vector(doc, seed=11)
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, model.infer_vector(doc, seed=12))
    assert abs(np.linalg.norm(a) - 1) < 1e-4
    # the folded-in vector lands near the trained vector of the same document
    assert model.doc_vectors_[7] @ a > np.median(model.doc_vectors_ @ a)


def test_one_worker_is_reproducible(small_docs):
    runs = [JoSE(dim=16, epochs=2, workers=1, engine="numba", seed=5, progress=False).fit(small_docs) for _ in range(2)]
    np.testing.assert_array_equal(runs[0].word_vectors_, runs[1].word_vectors_)


def test_torch_engine_has_the_same_loss_trajectory_shape(small_docs):
    docs = small_docs[:60]
    kw = dict(dim=16, epochs=4, seed=1, progress=False, min_count=3)
    cpu = JoSE(engine="numba", workers=1, **kw).fit(docs).loss_history_
    vec = JoSE(engine="torch", batch_size=4096, **kw).fit(docs).loss_history_
    for curve in (cpu, vec):
        assert curve[1] < curve[0] and curve[-1] < 0.9 * curve[0]
    shape_cpu = np.array(cpu) / cpu[0]
    shape_vec = np.array(vec) / vec[0]
    assert np.corrcoef(shape_cpu, shape_vec)[0, 1] > 0.9
    assert abs(shape_cpu[-1] - shape_vec[-1]) < 0.25


@pytest.mark.parametrize("kwargs, match", [
    (dict(dim=0), "dim"), (dict(dim=100_000), "dim"), (dict(window=0), "window"),
    (dict(window=5000), "window"), (dict(min_count=10**9), "min_count"), (dict(engine="gpu"), "engine"),
    (dict(negative=0), "negative"), (dict(workers=0), "workers"), (dict(workers=-2), "workers"),
])
def test_absurd_parameters_get_clear_errors(small_docs, kwargs, match):
    with pytest.raises(InputError, match=match):
        JoSE(progress=False, **kwargs).fit(small_docs)


def test_empty_corpus_and_unfitted_use(tmp_path):
    with pytest.raises(InputError, match="empty"):
        JoSE(progress=False).fit([[], []])
    with pytest.raises(NotFittedError, match="fit"):
        JoSE().wv


def test_spherical_kmeans_separates_two_caps():
    rng = np.random.default_rng(0)
    a = rng.normal([5, 0, 0], 1, size=(40, 3))
    b = rng.normal([0, 5, 0], 1, size=(40, 3))
    labels = SphericalKMeans(n_clusters=2, seed=0).fit_predict(np.vstack([a, b]))
    assert len(set(labels[:40])) == 1 and len(set(labels[40:])) == 1 and labels[0] != labels[-1]
