"""Cloze pairs from unlabelled documents, and their mixing into training (real jieba, tiny data)."""

import json

import pytest
import torch

from textmine.cli import main
from textmine.errors import InputError
from textmine.neural import Seq2Seq
from textmine.qa import QAExample, QAGenerator
from textmine.qa.synthetic import cloze_examples, cloze_questions, mix_examples
from tiny_data import UNFILTERED

NEWS = ["1998年北京举行了盛大的庆祝活动。江泽民主席在人民大会堂接见了外国代表团。",
        "他们种植了300棵树，绿化了整个村庄。"]


def test_cloze_questions_replace_the_answer_with_a_question_word_that_fits_its_kind():
    asked = {answer: question for answer, question, _ in cloze_questions(NEWS[0])}
    assert asked["1998年"] == "哪一年北京举行了盛大的庆祝活动？"                    # a year
    assert asked["北京"] == "1998年哪里举行了盛大的庆祝活动？"                       # a place (ns)
    assert asked["江泽民主席"] == "谁在人民大会堂接见了外国代表团？"                   # a person with the title
    assert asked["外国"] == "江泽民主席在人民大会堂接见了哪里的代表团？"               # a place inside a phrase
    assert dict((a, q) for a, q, _ in cloze_questions(NEWS[1]))["300棵"] == "他们种植了多少棵树？"   # a count


def test_cloze_examples_ask_about_their_own_passage():
    examples = cloze_examples(NEWS, max_len=24, seed=3)
    assert len(examples) >= 3
    for e in examples:
        assert e.answer and e.answer in e.passage and len(e.passage) <= 24
        assert e.question.endswith("？") and e.answer not in e.question
        clause = next(c for c in e.passage.replace("，", "。").split("。") if e.answer in c)
        assert any(e.question == clause.replace(e.answer, word, 1) + "？" for word in ("谁", "哪里", "哪个机构", "多少棵",
                                                                                     "哪一年", "什么", "哪里的"))
    assert cloze_examples(NEWS, max_len=24, seed=3) == examples                      # seeded
    with pytest.raises(InputError, match="single string"):
        cloze_examples(NEWS[0])


def test_mix_examples_gives_the_synthetic_pairs_their_share():
    labelled = [QAExample("保险条款。", "", "什么是保险？")] * 6
    synthetic = cloze_examples(NEWS, max_len=24)
    mixed = mix_examples(labelled, synthetic, 0.25, seed=0)
    assert mixed[:6] == labelled and len(mixed) == 8 and set(mixed[6:]) <= set(synthetic)
    assert len(mix_examples(labelled, synthetic, 0.75)) == 24                        # drawn again once used up
    with pytest.raises(InputError, match="between 0 and 1"):
        mix_examples(labelled, synthetic, 1.0)


def _train(tmp_path, qa_pair_file, *documents):
    return main(["qa", "train", "--data", str(qa_pair_file), "--documents", *map(str, documents), "--config", "tiny",
                 "-o", str(tmp_path / "run"), "--steps", "2", "--batch-size", "2", "--max-passage", "32", "-q"])


def test_documents_reach_training(tmp_path, qa_pair_file):
    docs = tmp_path / "news.txt"
    docs.write_text("\n".join(NEWS) + "\n", encoding="utf-8")
    assert _train(tmp_path, qa_pair_file, docs) == 0
    counts = json.loads((tmp_path / "run" / "manifest.json").read_text(encoding="utf-8"))["counts"]
    assert counts["labelled"] == 1 and counts["synthetic"] == 1                     # share 0.5 of 2 examples
    assert json.loads((tmp_path / "run" / "textmine.json").read_text(encoding="utf-8"))["state"]["with_answers"]
    vocab = set((tmp_path / "run" / "model" / "vocab.txt").read_text(encoding="utf-8").split())
    assert vocab & (set("".join(NEWS)) - set(qa_pair_file.read_text(encoding="utf-8")))   # the documents' characters


@pytest.mark.parametrize("content, message", [(None, "does not exist"), ("", "empty")])
def test_missing_or_empty_documents_give_one_line_and_no_model(tmp_path, qa_pair_file, capsys, content, message):
    docs = tmp_path / "news.txt"
    if content is not None:
        docs.write_text(content, encoding="utf-8")
    assert _train(tmp_path, qa_pair_file, docs) == 2
    err = capsys.readouterr().err.strip()
    assert str(docs) in err and message in err and len(err.splitlines()) == 1
    assert not (tmp_path / "run" / "model").exists() and not (tmp_path / "run" / "textmine.json").exists()


def _masked_batch(model, texts, seed=0):
    torch.manual_seed(seed)
    return model.collate([(model.source_ids(text, 64), []) for text in texts])


def test_masked_lm_rows_predict_some_of_their_own_tokens(qa_vocab, examples):
    model = Seq2Seq.build("tiny", qa_vocab)
    rows = [(model.source_ids(e.passage, 64), model.target_ids(e.question, 16)) for e in examples[:2]]
    source = model.source_ids(examples[2].passage, 64)
    state = torch.random.get_rng_state()
    plain = model.collate(rows)
    assert "mlm_labels" not in plain and torch.equal(torch.random.get_rng_state(), state)   # draws nothing
    batch = model.collate([*rows, (source, [])])
    labels = batch["mlm_labels"]
    assert (labels[:2] == -100).all() and (batch["segment_ids"][2] == 0).all()
    chosen = (labels[2] != -100).nonzero()[:, 0]
    assert len(chosen) >= 1 and chosen.min() >= 1 and chosen.max() <= len(source) - 2    # inside [CLS] ... [SEP]
    assert torch.equal(labels[2, chosen], torch.tensor(source)[chosen])
    untouched = labels[2, : len(source)] == -100
    assert torch.equal(batch["input_ids"][2, : len(source)][untouched], torch.tensor(source)[untouched])
    assert torch.isfinite(model.training_step(batch)) and torch.isfinite(model.training_step(_masked_batch(model, [
        examples[0].passage])))                                                 # a batch of masked-LM rows only


def test_masked_lm_rows_teach_the_documents_text(tmp_path, qa_vocab, examples):
    texts = [e.passage for e in examples]

    def masked_loss(masked_lm):
        gen = QAGenerator("tiny", **UNFILTERED, vocab=qa_vocab, steps=100, batch_size=8, lr=3e-3, max_passage=32, max_question=12,
                          max_answer=8, seed=1).fit(examples, tmp_path / str(len(masked_lm)), masked_lm=masked_lm)
        with torch.no_grad():
            return float(gen.model_.training_step(_masked_batch(gen.model_, texts * 4)))

    assert masked_loss(texts * 3) < 0.8 * masked_loss([])                     # 2.85 against 4.68 here


def test_mlm_share_reaches_training_and_needs_documents(tmp_path, qa_pair_file, capsys):
    docs = tmp_path / "news.txt"
    docs.write_text("\n".join(NEWS) + "\n", encoding="utf-8")
    assert _train(tmp_path, qa_pair_file, docs, "--documents-share", "0", "--mlm-share", "0.5") == 0
    counts = json.loads((tmp_path / "run" / "manifest.json").read_text(encoding="utf-8"))["counts"]
    assert counts["labelled"] == 1 and counts["synthetic"] == 0 and counts["masked_lm"] == 1
    vocab = set((tmp_path / "run" / "model" / "vocab.txt").read_text(encoding="utf-8").split())
    assert vocab & (set("".join(NEWS)) - set(qa_pair_file.read_text(encoding="utf-8")))   # the documents' characters
    assert main(["qa", "train", "--data", str(qa_pair_file), "--mlm-share", "0.5", "--config", "tiny",
                 "-o", str(tmp_path / "run2"), "--steps", "2", "-q"]) == 2
    assert "needs documents" in capsys.readouterr().err and not (tmp_path / "run2" / "textmine.json").exists()
    assert _train(tmp_path / "none", qa_pair_file, docs, "--documents-share", "0") == 2
    assert "both 0" in capsys.readouterr().err and not (tmp_path / "none" / "run" / "textmine.json").exists()
