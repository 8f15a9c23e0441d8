import numpy as np
import pytest
from gensim.models import KeyedVectors

from textmine.embed import load_vectors, save_vectors, to_keyed_vectors
from textmine.errors import InputError


@pytest.mark.parametrize("name", ["w.vec", "w.bin"])
def test_files_round_trip_through_gensim(tmp_path, name):
    kv = to_keyed_vectors(["曹操", "刘备", "关羽"], np.arange(12, dtype=np.float32).reshape(3, 4))
    path = save_vectors(kv, tmp_path / name)
    loaded = KeyedVectors.load_word2vec_format(str(path), binary=name.endswith(".bin"))
    assert loaded.index_to_key == ["曹操", "刘备", "关羽"]
    np.testing.assert_allclose(loaded["刘备"], [4, 5, 6, 7], rtol=1e-6)
    assert load_vectors(path).index_to_key == loaded.index_to_key
    assert [p.name for p in tmp_path.iterdir()] == [name]      # no temporary left behind


def test_keys_with_spaces_are_refused(tmp_path):
    kv = to_keyed_vectors(["a b", "c"], np.ones((2, 2)))
    with pytest.raises(InputError, match="whitespace"):
        save_vectors(kv, tmp_path / "x.vec")
    assert not (tmp_path / "x.vec").exists()


def test_missing_and_malformed_files(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        load_vectors(tmp_path / "none.vec")
    bad = tmp_path / "bad.vec"
    bad.write_text("not a header\n1 2 3\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a word2vec"):
        load_vectors(bad)
