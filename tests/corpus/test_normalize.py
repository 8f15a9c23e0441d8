from hypothesis import given, settings
from hypothesis import strategies as st

import pytest

from textmine.corpus import iter_sentences, normalize_text
from textmine.corpus.normalize import CLAUSE_END, SENTENCE_END
from textmine.errors import InputError, MissingDependencyError


def test_full_width_folds_and_whitespace_collapses():
    assert normalize_text("　１２月３１日，ＡＢＣ\x07  你好\u200b ") == "12月31日,ABC 你好"


def test_t2s_without_opencc_names_the_install_line():
    try:
        import opencc  # noqa: F401
    except ImportError:
        with pytest.raises(MissingDependencyError, match="pip install opencc"):
            normalize_text("漢字", t2s=True)
    else:
        assert normalize_text("漢字", t2s=True) == "汉字"


def test_sentences_keep_punctuation_and_decimals():
    text = "他说:“走吧!”然后付了 3.5 元. Next one? 好"
    assert list(iter_sentences(text)) == ["他说:“走吧!”", "然后付了 3.5 元.", "Next one?", "好"]


def test_long_sentences_are_cut_at_clauses_then_hard():
    pieces = list(iter_sentences("甲乙丙,丁戊己,庚辛壬癸子丑寅卯。", max_len=7))
    assert pieces == ["甲乙丙,", "丁戊己,", "庚辛壬癸子丑寅", "卯。"]


def test_bad_max_len():
    with pytest.raises(InputError, match="max_len"):
        list(iter_sentences("天下", max_len=0))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="天下大势分久必合 ,.。!?;:、\n" + SENTENCE_END + CLAUSE_END, max_size=80),
       st.integers(min_value=1, max_value=12))
def test_splitting_loses_only_whitespace_and_respects_max_len(text, max_len):
    pieces = list(iter_sentences(text, max_len))
    assert all(0 < len(p) <= max_len for p in pieces)
    assert "".join(pieces).replace(" ", "") == "".join(text.split())
