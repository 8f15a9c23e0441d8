"""QA fixtures: a vocabulary of the sample's characters and a tiny generator trained a few steps."""

import json

import pytest

from textmine.qa import QAExample, QAGenerator
from tiny_data import UNFILTERED

PASSAGES = [
    ("刘备字玄德，涿郡涿县人。汉景帝子中山靖王刘胜之后。", "涿郡涿县", "刘备是哪里人？"),
    ("关羽字云长，河东解良人。身长九尺，髯长二尺。", "河东解良", "关羽是哪里人？"),
    ("张飞字翼德，涿郡人也。与刘备、关羽桃园结义。", "桃园", "张飞与刘备在哪里结义？"),
    ("诸葛亮字孔明，号卧龙。刘备三顾茅庐请他出山。", "卧龙", "诸葛亮号什么？"),
]


@pytest.fixture(scope="session")
def qa_vocab(tmp_path_factory):
    chars = dict.fromkeys("".join(p + a + q for p, a, q in PASSAGES) + "ABCabc0123曹操孙权赤壁")
    path = tmp_path_factory.mktemp("vocab") / "vocab.txt"
    path.write_text("".join(t + "\n" for t in ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *chars]), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def examples():
    return [QAExample(p, a, q) for p, a, q in PASSAGES]


@pytest.fixture(scope="session")
def trained_run(tmp_path_factory, qa_vocab, examples):
    run = tmp_path_factory.mktemp("run") / "qa"
    QAGenerator("tiny", **UNFILTERED, vocab=qa_vocab, steps=4, batch_size=4, max_passage=32, max_question=12,
                max_answer=8, seed=1).fit(examples, run)
    return run


@pytest.fixture
def jsonl_file(tmp_path):
    path = tmp_path / "train.jsonl"
    path.write_text("".join(json.dumps(dict(zip(("passage", "answer", "question"), row)), ensure_ascii=False) + "\n"
                            for row in PASSAGES), encoding="utf-8")
    return path
