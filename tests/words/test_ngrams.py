import collections
import itertools
import math
import re

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import pytest

from textmine.errors import InputError
from textmine.words import count_ngrams

HAN = re.compile(r"[\u4e00-\u9fff]+")


def naive(docs, n):
    runs = [run for doc in docs for run in HAN.findall(doc)]
    return collections.Counter(run[i:i + n] for run in runs for i in range(len(run) - n + 1)), runs


def as_dict(counts, n):
    return dict(zip(counts.unpack_all(n), counts.counts[n].tolist()))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="天下大势分久必合,。 a1", max_size=40), min_size=1, max_size=6))
def test_counts_are_exact_for_every_order(docs):
    if not any(HAN.search(d) for d in docs):
        return
    counts = count_ngrams(docs, 4, shard_chars=1000)
    for n in range(1, 5):
        assert as_dict(counts, n) == dict(naive(docs, n)[0])


def test_sharding_does_not_change_counts(sample_lines):
    whole = count_ngrams(sample_lines, 4)
    sharded = count_ngrams(sample_lines, 4, shard_chars=3000)
    for n in range(1, 5):
        assert np.array_equal(whole.keys[n], sharded.keys[n])
        assert np.array_equal(whole.counts[n], sharded.counts[n])
    assert whole.count("玄德") == sharded.count("玄德") == naive(sample_lines, 2)[0]["玄德"]


def test_entropy_and_cohesion_match_definitions(sample_lines):
    counts = count_ngrams(sample_lines, 4)
    bigrams, runs = naive(sample_lines, 2)
    unigrams = naive(sample_lines, 1)[0]
    total = sum(unigrams.values())
    for word in ["玄德", "曹操"]:
        lefts = collections.Counter()
        rights = collections.Counter()
        boundary = itertools.count()  # every boundary occurrence is a distinct neighbour
        for run in runs:
            for i in range(len(run) - 1):
                if run[i:i + 2] == word:
                    lefts[run[i - 1] if i > 0 else next(boundary)] += 1
                    rights[run[i + 2] if i + 2 < len(run) else next(boundary)] += 1
        c = bigrams[word]
        expected = [-sum(v / c * math.log(v / c) for v in side.values()) for side in (lefts, rights)]
        key = np.array([counts.pack(word)], dtype=np.uint64)
        left, right = counts.entropies(2, key, np.array([c]))
        assert left[0] == pytest.approx(expected[0]) and right[0] == pytest.approx(expected[1])
        pmi = counts.cohesion(2, key, np.array([c]))[0]
        assert pmi == pytest.approx(math.log(total * c / (unigrams[word[0]] * unigrams[word[1]])))


def test_pruning_bounds_the_tables(sample_lines):
    counts = count_ngrams(sample_lines, 4, shard_chars=5000, max_keys=4000)
    assert counts.pruned
    assert max(len(k) for k in counts.keys.values()) <= 4000
    assert counts.count("玄德") == count_ngrams(sample_lines, 4).count("玄德")


def test_bad_parameters_and_empty_text():
    with pytest.raises(InputError, match="max_n"):
        count_ngrams(["天下"], 6)
    for bad in (dict(shard_chars=10), dict(max_keys=5), dict(threads=0)):
        with pytest.raises(InputError, match=next(iter(bad))):
            count_ngrams(["天下"], 4, **bad)
    with pytest.raises(InputError, match="no Chinese characters"):
        count_ngrams(["hello world", "123"], 4)
