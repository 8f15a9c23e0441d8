import math

import pytest

from textmine.errors import InputError, NotFittedError
from textmine.qa import RetrievalBaseline, char_bleu, mean_rouge_l, rouge_l, score_questions


def test_bleu_identical_is_one_and_disjoint_is_zero():
    assert char_bleu(["刘备是哪里人"], ["刘备是哪里人"]) == pytest.approx(1.0)
    assert char_bleu(["甲乙丙丁"], ["子丑寅卯"]) == 0.0


def test_bleu_by_hand():
    # 1..4-gram precisions 4/5, 3/4, 2/3, 1/2; equal lengths -> no brevity penalty
    assert char_bleu(["ABCDE"], ["ABCDF"]) == pytest.approx((0.8 * 0.75 * (2 / 3) * 0.5) ** 0.25)
    # hypothesis shorter than reference: brevity penalty exp(1 - 6/5); the hyp's n-grams all match
    assert char_bleu(["ABCDE"], ["ABCDEF"]) == pytest.approx(math.exp(1 - 6 / 5))


def test_bleu_pools_counts_over_the_corpus():
    # pair 1 matches everything, pair 2 matches only "A"; counts are pooled before dividing
    hyps, refs = ["ABCD", "AX"], ["ABCD", "AY"]
    # 1-grams 5/6, 2-grams 3/4, 3-grams 2/2, 4-grams 1/1; lengths 6 vs 6
    assert char_bleu(hyps, refs) == pytest.approx((5 / 6 * 3 / 4 * 1 * 1) ** 0.25)


def test_rouge_l_by_hand():
    assert rouge_l("ABCDE", "ABCDF") == pytest.approx(0.8)
    assert rouge_l("ABC", "AXBYC") == pytest.approx(2 * 1 * 0.6 / 1.6)       # LCS 3: P 1, R 0.6
    assert rouge_l("", "AB") == 0.0 and rouge_l("刘 备", "刘备") == pytest.approx(1.0)
    assert mean_rouge_l(["ABCDE", "XY"], ["ABCDF", "XY"]) == pytest.approx(0.9)


def test_score_questions_percent_and_length_check():
    assert score_questions(["ABCDE"], ["ABCDE"]) == {"bleu4": 100.0, "rouge_l": 100.0, "n": 1}
    with pytest.raises(InputError, match="2 hypotheses but 1 references"):
        char_bleu(["A", "B"], ["A"])


def test_retrieval_baseline_returns_question_of_nearest_passage(examples):
    base = RetrievalBaseline().fit(examples)
    got = base.predict(["关羽字云长，是河东解良人", "诸葛亮号卧龙"], ["河东解良", ""])
    assert got == ["关羽是哪里人？", "诸葛亮号什么？"]
    with pytest.raises(NotFittedError):
        RetrievalBaseline().predict(["x"])
    with pytest.raises(InputError):
        RetrievalBaseline().fit([])
