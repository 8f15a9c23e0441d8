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


def naive_entropies(runs, word):
    """Left and right neighbour entropies of ``word``, each boundary occurrence a distinct neighbour."""
    sides = [collections.Counter(), collections.Counter()]
    boundary = itertools.count()
    n = len(word)
    for run in runs:
        for i in range(len(run) - n + 1):
            if run[i:i + n] == word:
                sides[0][run[i - 1] if i > 0 else next(boundary)] += 1
                sides[1][run[i + n] if i + n < len(run) else next(boundary)] += 1
    c = sum(sides[0].values())
    return [-sum(v / c * math.log(v / c) for v in side.values()) for side in sides]


def test_entropy_and_cohesion_match_definitions(sample_lines):
    counts = count_ngrams(sample_lines, 4)
    bigrams, runs = naive(sample_lines, 2)
    unigrams = naive(sample_lines, 1)[0]
    total = sum(unigrams.values())
    fourgrams = [w for w, _ in naive(sample_lines, 4)[0].most_common(3)]
    for word in ["玄德", "曹操", "丞相", "不可", *fourgrams]:
        c = naive(sample_lines, len(word))[0][word]
        key = counts.pack_all([word])
        left, right = counts.entropies(len(word), key, np.array([c]))
        assert [left[0], right[0]] == pytest.approx(naive_entropies(runs, word))
    for word in ["玄德", "曹操"]:
        c = bigrams[word]
        pmi = counts.cohesion(2, counts.pack_all([word]), np.array([c]))[0]
        assert pmi == pytest.approx(math.log(total * c / (unigrams[word[0]] * unigrams[word[1]])))


def test_max_n_neighbours_are_counted_for_frequent_n_grams_only(sample_lines):
    exact = count_ngrams(sample_lines, 4)
    spool = []
    frequent = count_ngrams(sample_lines, 4, spool=spool, context_min_count=None)
    with pytest.raises(InputError, match="count_contexts"):
        frequent.entropies(4, exact.keys[4][:3], exact.counts[4][:3])
    frequent.count_contexts(spool, min_count=5)
    is_frequent = exact.counts[4] >= 5
    assert 0 < is_frequent.sum() < len(is_frequent)
    for side_exact, side_frequent in zip(exact.entropies(4, exact.keys[4], exact.counts[4]),
                                         frequent.entropies(4, exact.keys[4], exact.counts[4])):
        assert np.array_equal(side_exact[is_frequent], side_frequent[is_frequent])
        assert np.isnan(side_frequent[~is_frequent]).all()


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


def test_progress_bar_over_files_has_a_total_and_ends_there(tmp_path, sample_lines, capsys):
    from textmine.corpus import open_corpus

    path = tmp_path / "sample.txt"
    path.write_text("\n".join(sample_lines * 3), encoding="utf-8")
    count_ngrams(open_corpus(path), 2, shard_chars=5_000, progress=True)
    final = capsys.readouterr().err.replace("\r", "\n").strip().splitlines()[-1]
    done, total = re.search(r"\| (\S+)/(\S+) \[", final).groups()
    assert final.startswith("counting n-grams: 100%") and done == total and final.endswith("B/s]")
