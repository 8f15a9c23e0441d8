import pytest

from textmine.corpus import CharTokenizer, JiebaTokenizer, WhitespaceTokenizer, make_tokenizer, tokenize
from textmine.errors import InputError


def test_chars_and_whitespace():
    assert CharTokenizer()("刘备 关羽") == ["刘", "备", "关", "羽"]
    assert WhitespaceTokenizer()("刘备  关羽\t张飞") == ["刘备", "关羽", "张飞"]


def test_jieba_user_lexicon_augments(tmp_path):
    text = "玄德引兵出城"
    plain = JiebaTokenizer(hmm=False)(text)
    userdict = tmp_path / "u.txt"
    userdict.write_text("引兵出城 50\n", encoding="utf-8")
    assert "引兵出城" not in plain
    assert JiebaTokenizer(userdict, hmm=False)(text)[-1] == "引兵出城"
    # the user lexicon stays private to that tokenizer
    assert JiebaTokenizer(hmm=False)(text) == plain


def test_jieba_user_lexicon_replaces(tmp_path):
    userdict = tmp_path / "u.txt"
    userdict.write_text("玄德 10\n引 5\n兵 5\n出城 3\n", encoding="utf-8")
    assert JiebaTokenizer(userdict, replace=True, hmm=False)("玄德引兵出城") == ["玄德", "引", "兵", "出城"]


def test_jieba_errors(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        JiebaTokenizer(tmp_path / "none.txt")("天下")
    with pytest.raises(InputError, match="needs a userdict"):
        JiebaTokenizer(replace=True)("天下")


def test_make_tokenizer_and_tokenize():
    assert isinstance(make_tokenizer("chars"), CharTokenizer)
    with pytest.raises(InputError, match="unknown tokenizer"):
        make_tokenizer("bpe")
    with pytest.raises(InputError, match="only applies to the jieba"):
        make_tokenizer("chars", userdict="u.txt")
    docs = tokenize(["刘备 关羽", "   "], "whitespace")
    assert list(docs) == list(docs) == [["刘备", "关羽"]]
    with pytest.raises(InputError, match="single str"):
        tokenize("刘备", "chars")
