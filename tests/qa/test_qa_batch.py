"""Batched generation gives the pairs of decoding one passage at a time, uncached, as before batching."""

import json

import pytest

from textmine.neural import Seq2SeqStepper, generate
from textmine.qa import QAExample, QAGenerator, generate_file
from textmine.qa.data import passage_pieces
from textmine.qa.model import _piece_generator
from tiny_data import UNFILTERED

PASSAGES = ["刘备字玄德，涿郡涿县人。汉景帝子中山靖王刘胜之后。",
            "关羽字云长，河东解良人。身长九尺，髯长二尺。" * 4,                    # cut into pieces
            "曹操 ABC abc 孙权赤壁。",
            "张飞字翼德，涿郡人也。与刘备、关羽桃园结义。诸葛亮字孔明，号卧龙。"]


def one_at_a_time(gen: QAGenerator, passage: str, n_pairs: int) -> list[dict]:
    """The generation loop before batching: each piece and each answer decoded alone, by full
    recomputation (no cache), each answer's question re-reading the whole passage; each piece draws
    from the generator of its rank (the first from the seed itself)."""
    model, pairs = gen.model_, {}
    for rank, piece in enumerate(passage_pieces(passage, gen.max_passage)):
        generator = _piece_generator(gen.seed, rank)
        ids, offsets = (part[: gen.max_passage] for part in gen._encode(piece))
        source = [model.cls_id, *ids, model.sep_id]

        def questions(answer_ids, n):
            stepper = Seq2SeqStepper(model, source, [*answer_ids, model.sep_id], use_cache=False)
            return generate(stepper, method="beam", max_len=gen.max_question, min_len=1, num_return=n,
                            beam_size=max(gen.beam_size, n), length_penalty=gen.length_penalty)

        if not gen.with_answers_:
            found = [("", q) for q in questions([], n_pairs)]
        else:
            answers = generate(Seq2SeqStepper(model, source, use_cache=False), method="sample", num_return=2 * n_pairs,
                               top_k=gen.top_k, max_len=gen.max_answer, min_len=1, generator=generator,
                               constraint=gen._answer_trie(piece, ids, offsets) if gen.constrain else None)
            found, seen = [], set()
            for hyp in answers:
                text = gen._answer_text(piece, ids, offsets, hyp.tokens)
                if text and text not in seen:
                    seen.add(text)
                    found += [(text, q, hyp.score) for q in questions(hyp.tokens, 1)]
        for text, q, *answer_score in found:
            pair = {"passage": piece, "answer": text, "question": gen._text(q.tokens),
                    "score": round(sum(answer_score) + q.score, 4)}
            key = pair["question"]                                  # a question asked twice keeps its best answer
            if key not in pairs or pairs[key]["score"] < pair["score"]:
                pairs[key] = pair
    return sorted(pairs.values(), key=lambda p: -p["score"])[:n_pairs]


def assert_same_pairs(batched: list[dict], alone: list[dict]) -> None:
    assert [(p["passage"], p["answer"], p["question"]) for p in batched] == \
        [(p["passage"], p["answer"], p["question"]) for p in alone]
    assert [p["score"] for p in batched] == pytest.approx([p["score"] for p in alone], abs=2e-4)   # float rounding


@pytest.fixture(scope="module")
def question_only(tmp_path_factory, qa_vocab, examples):
    run = tmp_path_factory.mktemp("run") / "questions"
    QAGenerator("tiny", **UNFILTERED, vocab=qa_vocab, steps=4, batch_size=4, max_passage=32, max_question=12, max_answer=8,
                seed=1).fit([QAExample(e.passage, "", e.question) for e in examples], run)
    return QAGenerator.load(run)


@pytest.mark.parametrize("seed", [0, 3])
def test_batched_pairs_are_those_of_one_passage_at_a_time(trained_run, question_only, seed):
    for gen in (QAGenerator.load(trained_run), question_only):
        gen.seed = seed
        alone = [one_at_a_time(gen, p, 3) for p in PASSAGES]
        assert all(alone) and any(len(p) > 1 for p in alone)
        by_doc = [[] for _ in PASSAGES]
        for pair in gen.generate_many(PASSAGES, n_pairs=3, batch_size=3):          # a batch and a remainder
            by_doc[pair.pop("doc")].append(pair)
        for batched, reference, passage in zip(by_doc, alone, PASSAGES):
            assert_same_pairs(batched, reference)
            assert_same_pairs(gen.generate(passage, 3), reference)


def test_unconstrained_batches_agree_too(trained_run):
    gen = QAGenerator.load(trained_run)
    gen.constrain = False
    by_doc = [[] for _ in PASSAGES]
    for pair in gen.generate_many(PASSAGES, n_pairs=2, batch_size=len(PASSAGES)):
        by_doc[pair.pop("doc")].append(pair)
    for batched, passage in zip(by_doc, PASSAGES):
        assert_same_pairs(batched, one_at_a_time(gen, passage, 2))


def test_generate_file_writes_the_same_pairs_whatever_the_batch(trained_run, tmp_path):
    gen = QAGenerator.load(trained_run)
    documents = [PASSAGES[0], "  ", *PASSAGES[1:]]
    rows = {}
    for batch_size in (1, 2, 16):
        out = tmp_path / f"qa{batch_size}.jsonl"
        counts = generate_file(documents, gen, out, n_pairs=2, batch_size=batch_size)
        assert counts["documents"] == len(PASSAGES) and counts["empty"] == 1
        rows[batch_size] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {r["doc"] for r in rows[1]} == {0, 2, 3, 4}                               # the blank line keeps its index
    for batch_size in (2, 16):
        assert [{k: r[k] for k in ("doc", "passage", "answer", "question")} for r in rows[batch_size]] == \
            [{k: r[k] for k in ("doc", "passage", "answer", "question")} for r in rows[1]]
