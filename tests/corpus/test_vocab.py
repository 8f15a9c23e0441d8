import pytest

from textmine.corpus import Vocab
from textmine.errors import InputError

DOCS = [["刘备", "关羽", "刘备"], ["张飞", "刘备", "关羽"], ["曹操"]]


def test_counts_order_and_ids():
    vocab = Vocab.build(DOCS)
    assert vocab.words == ["刘备", "关羽", "张飞", "曹操"]
    assert vocab.index("关羽") == 1 and vocab.count("刘备") == 3 and vocab.count("孙权") == 0
    assert len(vocab) == 4 and vocab.total == 7 and "曹操" in vocab


def test_min_count_and_max_size():
    assert Vocab.build(DOCS, min_count=2).words == ["刘备", "关羽"]
    assert Vocab.build(DOCS, max_size=1).words == ["刘备"]
    with pytest.raises(InputError, match="min_count"):
        Vocab.build(DOCS, min_count=0)
    with pytest.raises(InputError, match="max_size"):
        Vocab.build(DOCS, max_size=0)


def test_save_load_roundtrip_and_bad_file(tmp_path):
    vocab = Vocab.build(DOCS)
    vocab.save(tmp_path / "vocab.tsv")
    again = Vocab.load(tmp_path / "vocab.tsv")
    assert again.words == vocab.words and again.counts == vocab.counts
    (tmp_path / "bad.tsv").write_text("刘备\t3\n关羽 2\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.tsv, line 2"):
        Vocab.load(tmp_path / "bad.tsv")
