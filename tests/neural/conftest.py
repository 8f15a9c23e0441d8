"""Tiny BERT fixtures: a 60-token vocabulary and a 2-layer, 32-wide model build in milliseconds."""

import pytest

from textmine.neural import Seq2Seq

CHARS = "三国演义是中国古典四大名著之一作者罗贯中刘备关羽张飞曹操孙权诸葛亮赤壁桃园结义问谁何"


@pytest.fixture(autouse=True)
def _tiny_models_on_one_thread(one_thread):
    """Every neural test uses ``one_thread`` (tests/conftest.py)."""


@pytest.fixture(scope="session")
def tiny_vocab(tmp_path_factory):
    path = tmp_path_factory.mktemp("vocab") / "vocab.txt"
    tokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *dict.fromkeys(CHARS), "，", "。", "？"]
    path.write_text("".join(t + "\n" for t in tokens), encoding="utf-8")
    return path


@pytest.fixture
def tiny_model(tiny_vocab):
    return Seq2Seq.build("tiny", tiny_vocab, max_positions=128, seed=3)
