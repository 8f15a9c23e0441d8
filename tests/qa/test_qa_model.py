import pytest

from textmine.errors import InputError, NotFittedError
from textmine.qa import QAExample, QAGenerator

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
            assert len({(p["answer"], p["question"]) for p in pairs}) == len(pairs)     # no duplicates
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
    gen = QAGenerator("tiny", steps=1, batch_size=2, max_passage=32, max_question=12, max_answer=8)
    gen.fit(examples, tmp_path / "run")
    chars = {ch for e in examples for ch in e.passage + e.answer + e.question}
    assert len(gen.model_.tokenizer) == 5 + len(chars)
    assert gen.model_.tokenizer.unk_token_id not in gen._source(examples[0].passage)
    assert QAGenerator.load(tmp_path / "run").model_.bert.config.vocab_size == 5 + len(chars)


def test_a_model_trained_without_answers_writes_questions_only(examples, tmp_path):
    no_answers = [QAExample(e.passage, "", e.question) for e in examples]
    QAGenerator("tiny", steps=2, batch_size=2, max_passage=32, max_question=12, max_answer=8).fit(
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
    with pytest.raises(InputError, match="no qa.json"):
        QAGenerator.load(tmp_path / "nowhere")
    with pytest.raises(InputError, match="no training examples"):
        QAGenerator("tiny").fit([], tmp_path / "run")


def test_unconstrained_generation_runs(gen, examples):
    gen.constrain = False
    try:
        assert all(p["answer"] for p in gen.generate(examples[1].passage, n_pairs=2))
    finally:
        gen.constrain = True
