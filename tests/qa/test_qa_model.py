import shutil

import pytest
import torch

from textmine.errors import InputError, NotFittedError
from textmine.corpus import make_tokenizer
from textmine.qa import QAExample, QAGenerator
from textmine.qa.data import word_bounds
from tiny_data import UNFILTERED

LONG = "刘备字玄德，涿郡涿县人。" * 3 + "关羽字云长，河东解良人。" * 4


@pytest.fixture(scope="module")
def gen(trained_run):
    return QAGenerator.load(trained_run)


def test_constrained_answers_are_substrings_of_the_passage(gen, examples):
    passages = [e.passage for e in examples[:2]] + ["曹操 ABC abc 孙权赤壁。", "刘备与关羽，张飞。"]
    for seed in range(2):
        gen.seed = seed
        for passage in passages:
            pairs = gen.generate(passage, n_pairs=3)
            assert pairs, passage
            for pair in pairs:
                assert pair["answer"] and pair["answer"] in passage and pair["answer"] in pair["passage"]
                assert isinstance(pair["score"], float) and pair["score"] <= 0
            assert len({p["question"] for p in pairs}) == len(pairs)     # a question asked once, with its best answer
            assert [p["score"] for p in pairs] == sorted((p["score"] for p in pairs), reverse=True)


def test_passages_longer_than_the_model_are_cut_not_fatal(gen):
    assert len(LONG) > 2 * gen.max_passage
    pairs = gen.generate(LONG, n_pairs=2)
    assert 1 <= len(pairs) <= 2
    assert all(len(p["passage"]) <= gen.max_passage and p["passage"] in LONG and p["answer"] in p["passage"]
               for p in pairs)


def test_generation_is_reproducible_after_load(gen, trained_run, examples):
    first, again = QAGenerator.load(trained_run), QAGenerator.load(trained_run)
    assert first.generate(examples[0].passage, 2) == again.generate(examples[0].passage, 2)
    question, score = again.question(examples[0].passage, examples[0].answer)
    assert isinstance(question, str) and score < 0


def test_default_vocabulary_is_the_training_characters(examples, tmp_path):
    gen = QAGenerator("tiny", **UNFILTERED, steps=1, batch_size=2, max_passage=32, max_question=12, max_answer=8)
    gen.fit(examples, tmp_path / "run")
    chars = {ch for e in examples for ch in e.passage + e.answer + e.question}
    assert len(gen.model_.tokenizer) == 5 + len(chars)
    assert gen.model_.tokenizer.unk_token_id not in gen._source(examples[0].passage)
    assert QAGenerator.load(tmp_path / "run").model_.bert.config.vocab_size == 5 + len(chars)


def test_a_model_trained_without_answers_writes_questions_only(examples, tmp_path):
    no_answers = [QAExample(e.passage, "", e.question) for e in examples]
    QAGenerator("tiny", **UNFILTERED, steps=2, batch_size=2, max_passage=32, max_question=12, max_answer=8).fit(
        no_answers, tmp_path / "run")
    gen = QAGenerator.load(tmp_path / "run")
    assert not gen.with_answers_
    pairs = gen.generate(examples[0].passage, n_pairs=3)
    assert len(pairs) == 3 and all(p["answer"] == "" for p in pairs)
    assert len({p["question"] for p in pairs}) == 3


def test_bad_inputs(gen, tmp_path):
    for passage in ("", "   \n"):
        with pytest.raises(InputError, match="passage is empty"):
            gen.generate(passage)
    with pytest.raises(InputError, match="n_pairs"):
        gen.generate("刘备", n_pairs=0)
    with pytest.raises(NotFittedError):
        QAGenerator().generate("刘备")
    with pytest.raises(InputError, match="does not exist"):
        QAGenerator.load(tmp_path / "nowhere")
    with pytest.raises(InputError, match="no training examples"):
        QAGenerator("tiny").fit([], tmp_path / "run")


def test_unconstrained_generation_runs(gen, examples):
    gen.constrain = False
    try:
        assert all(p["answer"] for p in gen.generate(examples[1].passage, n_pairs=2))
    finally:
        gen.constrain = True


def _state(model):
    return {k: v.clone() for k, v in model.state_dict().items()}


def _same(a, b):
    return a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)


def test_a_dev_set_makes_the_generator_use_its_best_weights(examples, tmp_path):
    from textmine.neural import Seq2Seq

    # dev targets are the training ones reversed: the dev loss falls while the model learns which
    # characters to write, and rises once it learns their order, so the best weights are not the last
    dev = [QAExample(e.passage, e.answer[::-1], e.question[::-1]) for e in examples]
    gen = QAGenerator("tiny", **UNFILTERED, steps=20, batch_size=4, lr=3e-3, max_passage=32, max_question=12, max_answer=8,
                      seed=1).fit(examples, tmp_path / "run", dev=dev)
    assert gen.weights_ == "best" and gen.train_result_.best_step < 20
    best, last = _state(Seq2Seq.load(tmp_path / "run" / "best")), _state(Seq2Seq.load(tmp_path / "run" / "model"))
    assert not _same(best, last)
    assert _same(_state(gen.model_), best)
    assert _same(_state(QAGenerator.load(tmp_path / "run").model_), best)
    shutil.rmtree(tmp_path / "run" / "best")
    with pytest.raises(InputError, match="no best/ folder"):
        QAGenerator.load(tmp_path / "run")


def test_without_a_dev_set_the_last_weights_are_used(trained_run):
    from textmine.neural import Seq2Seq

    gen = QAGenerator.load(trained_run)
    assert gen.weights_ == "model" and not (trained_run / "best").exists()
    assert _same(_state(gen.model_), _state(Seq2Seq.load(trained_run / "model")))


@pytest.fixture
def lexicon(tmp_path):
    path = tmp_path / "userdict.txt"
    path.write_text("河东解良 10 ns\n涿郡涿县 10 ns\n", encoding="utf-8")
    return path


def test_a_lexicon_keeps_answers_to_whole_words(gen, examples, lexicon):
    passage = examples[1].passage                                  # 关羽字云长，河东解良人。...
    ids, offsets = gen._encode(passage)
    plain = gen._answer_trie(passage, ids, offsets)
    gen.lexicon = lexicon
    try:
        words = gen._answer_trie(passage, ids, offsets)
        assert gen._encode("河东解良")[0] in words and gen._encode("河东解良人")[0] in words
        for cut in ("东解", "解良人", "河东解"):                    # substrings that cut the new word
            assert gen._encode(cut)[0] in plain and gen._encode(cut)[0] not in words
        for seed in range(3):
            gen.seed = seed
            for example in examples:
                starts, ends = word_bounds(example.passage, make_tokenizer("jieba", userdict=lexicon))
                for pair in gen.generate(example.passage, n_pairs=3):
                    answer, piece = pair["answer"], pair["passage"]
                    occurrences = [i for i in range(len(piece)) if piece.startswith(answer, i)]
                    assert any(i in starts and i + len(answer) in ends for i in occurrences), pair
        gen.lexicon = lexicon.parent / "missing.txt"
        with pytest.raises(InputError, match="does not exist"):
            gen.generate(examples[0].passage)
    finally:
        gen.lexicon, gen.seed = None, 0


def test_tagged_answers_are_the_names_numbers_and_nouns_of_the_passage(gen, examples, tmp_path):
    from textmine.qa.synthetic import tagged_spans

    gen.answers = "tagged"
    try:
        for seed in range(3):
            gen.seed = seed
            for example in examples:
                spans = {example.passage[s:e] for s, e in tagged_spans(example.passage)}
                pairs = gen.generate(example.passage, n_pairs=3)
                assert pairs and all(pair["answer"] in spans for pair in pairs), (spans, pairs)
        gen.save(tmp_path / "run")
        assert QAGenerator.load(tmp_path / "run").answers == "tagged"
    finally:
        gen.answers, gen.seed = "any", 0
    with pytest.raises(InputError, match="answers='names'; expected one of any, tagged"):
        QAGenerator("tiny", answers="names")


def test_one_default_for_the_generation_filters(trained_run):
    """Python and ``qa generate`` filter alike: the class's defaults are what the command applies,
    and a call's settings change that call only, checked there."""
    assert QAGenerator.filter_defaults() == {"constrain": True, "min_overlap": 0.5, "round_trip": True, "answers": "any"}
    gen = QAGenerator.load(trained_run)
    loose = gen.with_settings(min_overlap=0.0, round_trip=False)
    assert (loose.min_overlap, loose.round_trip) == (0.0, False) and loose.model_ is gen.model_
    assert gen.with_settings() is gen
    with pytest.raises(InputError, match=r"min_overlap \(--min-overlap\) must be a share from 0 to 1, got 5"):
        gen.generate("关羽字云长，河东解良人。", min_overlap=5)
    with pytest.raises(InputError, match="answers='names'"):
        list(gen.generate_many(["关羽字云长。"], answers="names"))
