"""The grounding filter: content words shared with the passage, and the round trip to the answer."""

import pytest

from textmine.errors import InputError
from textmine.qa import QAGenerator
from textmine.qa.grounding import answerable, content_words, mentions_passage, overlap

PASSAGE = "1998年北京举行了盛大的庆祝活动。江泽民主席在人民大会堂接见了外国代表团。"


def test_content_words_leave_out_stock_question_words():
    assert content_words("什么是全人寿保险？") == ["人寿保险"]
    assert content_words("如何？") == [] and content_words("是否可以吗？") == []
    assert content_words("1998年哪里举行了庆祝活动？") == ["1998", "举行", "庆祝", "活动"]


def test_overlap_tells_a_grounded_question_from_one_about_another_domain():
    grounded, elsewhere = "谁在人民大会堂接见了外国代表团？", "什么是全人寿保险？"
    assert overlap(grounded, PASSAGE) == 1.0 and mentions_passage(grounded, PASSAGE)
    assert overlap(elsewhere, PASSAGE) == 0.0 and not mentions_passage(elsewhere, PASSAGE)
    assert overlap("如何？", PASSAGE) == 0.0                      # nothing to be about


def test_round_trip_finds_the_answer_in_the_sentence_the_question_is_about():
    question = "谁主席在人民大会堂接见了外国代表团？"
    assert answerable(PASSAGE, question, "江泽民")
    assert not answerable(PASSAGE, question, "1998年")         # in the passage, but not where the question points
    assert answerable(PASSAGE, "什么是保险？", "")


def test_the_generator_keeps_only_pairs_that_pass_the_filter(trained_run):
    passages = ["刘备字玄德，涿郡涿县人。汉景帝子中山靖王刘胜之后。", "关羽字云长，河东解良人。身长九尺，髯长二尺。"]
    gen = QAGenerator.load(trained_run)
    every = list(gen.generate_many(passages, n_pairs=3))
    gen.min_overlap, gen.round_trip = 0.5, True
    kept = list(gen.generate_many(passages, n_pairs=3))
    assert all(overlap(p["question"], p["passage"]) >= 0.5 and answerable(p["passage"], p["question"], p["answer"])
               for p in kept)
    passing = [p for p in every if overlap(p["question"], p["passage"]) >= 0.5
               and answerable(p["passage"], p["question"], p["answer"])]
    assert all(p in kept for p in passing)          # the filter drops pairs, never the ones that pass it
    assert every
    gen.min_overlap = 1.01                           # a share: no question can share more than all its words
    with pytest.raises(InputError, match=r"min_overlap \(--min-overlap\) must be a share from 0 to 1, got 1.01"):
        list(gen.generate_many(passages, n_pairs=3))
