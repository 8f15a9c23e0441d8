import numpy as np
import pytest

from textmine.embed import encode_corpus
from textmine.errors import InputError


def test_ids_follow_vocab_order_and_drop_rare_words():
    enc = encode_corpus([["a", "b", "a"], ["c"], ["a", "b"]], min_count=2)
    assert enc.vocab.words == ["a", "b"]
    assert enc.ids.tolist() == [0, 1, 0, 0, 1]
    assert enc.offsets.tolist() == [0, 3, 5]          # the document left empty is dropped
    assert enc.raw_words == 6


def test_keep_empty_keeps_document_positions():
    enc = encode_corpus([["a", "a"], ["z"], ["a"]], min_count=2, keep_empty=True)
    assert enc.offsets.tolist() == [0, 2, 2, 3]
    assert enc.n_docs == 3


@pytest.mark.parametrize("bad, match", [
    ([], "empty"),
    ([[], []], "empty"),
    ("曹操", "single str"),
    (iter([["a"]]), "one-shot"),
    (["曹操 刘备"], "list of tokens"),
])
def test_bad_input_is_refused(bad, match):
    with pytest.raises(InputError, match=match):
        encode_corpus(bad, min_count=1)


def test_min_count_that_empties_the_vocabulary_says_so():
    with pytest.raises(InputError, match="min_count=5"):
        encode_corpus([["a", "b"]], min_count=5)


def test_ids_are_int32_for_the_kernels():
    enc = encode_corpus([list("abcabc")], min_count=1)
    assert enc.ids.dtype == np.int32 and enc.offsets.dtype == np.int64
