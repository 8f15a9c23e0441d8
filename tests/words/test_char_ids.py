import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from textmine.words import _kernels
from textmine.words._jit import K
from textmine.words.encode import CharIndex


def test_ids_follow_first_appearance_and_persist_across_shards():
    index = CharIndex()
    assert index.encode("天下,大势 天").tolist() == [1, 2, 0, 3, 4, 0, 1]
    assert index.encode("势下合").tolist() == [4, 2, 5]
    assert index.chars == ["", "天", "下", "大", "势", "合"]
    assert index.lookup("合久天a").tolist() == [5, 0, 1, 0] and len(index) == 6  # lookup assigns nothing


def test_characters_past_the_capacity_become_separators():
    index = CharIndex(capacity=3)
    assert index.encode("天下大势天").tolist() == [1, 2, 3, 0, 1]
    assert index.encode("势分").tolist() == [0, 0]
    assert index.overflow == 2 and index.id("势") == 0


@settings(deadline=None)  # the first call may compile the kernel
@given(st.lists(st.integers(0, 3), max_size=60))
def test_separator_runs_count_characters_up_to_the_next_separator(values):
    ids = np.array(values, dtype=np.uint16)
    expected = [next((j - i for j in range(i, len(values)) if values[j] == 0), len(values) - i)
                for i in range(len(values))]
    assert K.separator_runs(ids).tolist() == _kernels.separator_runs(ids).tolist() == expected
