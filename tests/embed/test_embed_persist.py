import json

import numpy as np
import pytest
from safetensors.numpy import save_file

from textmine.embed import JoSE, MinEntropy, Word2Vec, load_model
from textmine.errors import InputError, NotFittedError

SMALL = dict(dim=16, epochs=2, workers=1, seed=3, progress=False)
MODELS = [(JoSE, dict(engine="numba")), (MinEntropy, {}), (MinEntropy, dict(vectors="shared")),
          (MinEntropy, dict(mode="pmi")), (Word2Vec, {})]


@pytest.fixture(scope="module")
def halves(char_docs):
    """Two disjoint stretches of the sample; the second brings words the first lacks."""
    return char_docs[:120], char_docs[120:240]


@pytest.mark.parametrize("cls, extra", MODELS, ids=["jose", "minent", "minent-shared", "minent-pmi", "word2vec"])
def test_saved_model_comes_back_identical_and_continues_as_the_original(cls, extra, halves, tmp_path):
    first, more = halves
    model = cls(**SMALL, **extra).fit(first)
    model.save(tmp_path / "m")
    loaded = load_model(tmp_path / "m")
    assert type(loaded) is cls and loaded.saved_params() == model.saved_params()
    assert loaded.wv.index_to_key == model.wv.index_to_key
    np.testing.assert_array_equal(loaded.wv.vectors, model.wv.vectors)
    assert loaded.most_similar("曹", topn=5) == model.most_similar("曹", topn=5)
    before = len(model.wv)
    for m in (model, loaded):
        m.partial_fit(more)
    assert len(loaded.wv) == len(model.wv) > before           # new words joined
    assert loaded.wv.index_to_key == model.wv.index_to_key
    np.testing.assert_array_equal(loaded.wv.vectors, model.wv.vectors)
    assert loaded.trainings_ == model.trainings_ == 2


def test_jose_round_trip_keeps_documents_and_inference(halves, tmp_path):
    first, more = halves
    model = JoSE(engine="numba", **SMALL).fit(first)
    cls_loaded = JoSE.load(model.save(tmp_path / "m"))
    np.testing.assert_array_equal(cls_loaded.doc_vectors_, model.doc_vectors_)
    np.testing.assert_array_equal(cls_loaded.context_vectors_, model.context_vectors_)
    assert cls_loaded.loss_history_ == model.loss_history_
    np.testing.assert_array_equal(cls_loaded.infer_vectors(more[:5], seed=4), model.infer_vectors(more[:5], seed=4))
    old_docs = model.doc_vectors_.copy()
    model.partial_fit(more)
    assert len(model.doc_vectors_) == len(first) + len(more)
    np.testing.assert_array_equal(model.doc_vectors_[:len(first)], old_docs)   # earlier documents keep theirs
    np.testing.assert_allclose(np.linalg.norm(model.word_vectors_, axis=1), 1, atol=1e-4)


def test_batch_inference_does_not_depend_on_the_batch(halves):
    first, more = halves
    model = JoSE(engine="numba", **SMALL).fit(first)
    batch = model.infer_vectors(more[:6], seed=2)
    np.testing.assert_array_equal(batch[3], model.infer_vector(more[3], seed=2))
    np.testing.assert_array_equal(model.infer_vectors(more[3:6], seed=2), batch[3:6])
    with pytest.raises(InputError, match="str"):
        model.infer_vectors("曹操")
    with pytest.raises(InputError, match="epochs"):
        model.infer_vectors(more[:2], epochs=0)


def test_saving_replaces_an_older_model_whole(halves, tmp_path):
    first, _ = halves
    MinEntropy(**SMALL).fit(first).save(tmp_path / "m")
    model = MinEntropy(**{**SMALL, "dim": 8, "vectors": "shared"}).fit(first)
    model.save(tmp_path / "m")
    assert sorted(p.name for p in (tmp_path / "m").iterdir()) == ["arrays.safetensors", "textmine.json", "vocab.json"]
    assert load_model(tmp_path / "m").wv.vector_size == 8
    assert [p.name for p in tmp_path.iterdir()] == ["m"]                # no temporary left beside it


def test_broken_folders_get_clear_errors(halves, tmp_path):
    first, _ = halves
    with pytest.raises(InputError, match="does not exist"):
        load_model(tmp_path / "none")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no textmine.json"):
        load_model(tmp_path / "empty")
    folder = MinEntropy(**SMALL).fit(first).save(tmp_path / "m")
    with pytest.raises(InputError, match="holds a MinEntropy model, not a JoSE"):
        JoSE.load(folder)
    config = json.loads((folder / "textmine.json").read_text(encoding="utf-8"))
    (folder / "textmine.json").write_text(json.dumps({**config, "format_version": 99}), encoding="utf-8")
    with pytest.raises(InputError, match="format version 99"):
        load_model(folder)
    (folder / "textmine.json").write_text(json.dumps(config), encoding="utf-8")
    save_file({"vectors": np.zeros((3, 16), np.float32)}, str(folder / "arrays.safetensors"))
    with pytest.raises(InputError, match="array vectors: expected float32 of"):
        load_model(folder)
    (folder / "vocab.json").unlink()
    with pytest.raises(InputError, match="incomplete"):
        load_model(folder)
    with pytest.raises(NotFittedError):
        JoSE().save(tmp_path / "x")
    assert not (tmp_path / "x").exists()
