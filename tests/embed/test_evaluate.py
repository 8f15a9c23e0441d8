import numpy as np
import pytest

from textmine.embed import to_keyed_vectors
from textmine.embed.evaluate import cilin_scores, cilin_synonyms, document_nmi, english_similarity
from textmine.errors import InputError


def test_cilin_groups_are_the_synonym_lines():
    groups = cilin_synonyms()
    assert len(groups) > 5000
    assert ["人", "士", "人物", "人士", "人氏", "人选"] in groups


def test_synonyms_with_equal_vectors_score_perfectly():
    rng = np.random.default_rng(0)
    groups = [[f"g{g}w{i}" for i in range(4)] for g in range(30)]
    keys = [w for group in groups for w in group]
    centres = rng.normal(size=(30, 16))
    vectors = np.repeat(centres, 4, axis=0) + rng.normal(scale=0.01, size=(120, 16))
    scores = cilin_scores(to_keyed_vectors(keys, vectors), groups=groups)
    assert scores["cilin_auc"] > 0.99 and scores["cilin_p10"] == 1.0
    shuffled = cilin_scores(to_keyed_vectors(keys, rng.normal(size=(120, 16))), groups=groups)
    assert 0.3 < shuffled["cilin_auc"] < 0.7


def test_too_few_covered_pairs_is_an_input_error():
    with pytest.raises(InputError, match="synonym pairs"):
        cilin_scores(to_keyed_vectors(["人", "士"], np.eye(2)))


def test_english_sets_report_coverage():
    scores = english_similarity(to_keyed_vectors(["tiger", "cat", "dog"], np.eye(3)))
    assert scores["wordsim353_oov_percent"] > 90


def test_document_nmi_of_separable_documents_is_one():
    rng = np.random.default_rng(1)
    labels = np.repeat(["a", "b", "c"], 20)
    X = np.repeat(np.eye(3) * 10, 20, axis=0) + rng.normal(size=(60, 3))
    assert document_nmi(X, labels) == pytest.approx(1.0)
    with pytest.raises(InputError, match="labels"):
        document_nmi(X, labels[:10])
