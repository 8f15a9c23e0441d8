"""``import textmine`` then one call per job, on real text, as the CLI would do it."""

import subprocess
import sys

import pytest

import textmine
from textmine.errors import InputError
from tiny_data import KB, write_jsonl


def test_import_textmine_loads_none_of_the_heavy_packages():
    """The jobs are imported when first called: a bare ``import textmine`` stays fast."""
    code = "import sys, textmine; print(sorted(m for m in ('numpy', 'torch', 'jieba', 'gensim') if m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "[]\n"


def test_words_and_terms_from_a_list_and_from_a_path(sample_lines, sample_path):
    found = textmine.words(sample_lines)
    assert [r.word for r in found[:2]] == ["玄德", "吕布"]
    assert [r.word for r in textmine.words(sample_path)[:2]] == ["玄德", "吕布"]
    frequent = textmine.words(str(sample_path), min_count=50)            # the estimator's parameters pass through
    assert 0 < len(frequent) < len(found) and min(r.freq for r in frequent) >= 50
    kept = textmine.terms(sample_lines)
    assert kept and all(t.kept for t in kept) and "李傕" in [t.term for t in kept[:20]]


def test_embed_then_cluster(sample_lines):
    model = textmine.embed(sample_lines, method="word2vec", epochs=1, seed=0)
    assert "玄德" in model.wv.key_to_index
    modules = textmine.cluster(model)
    assert sum(map(len, modules)) == len(model.wv)                   # every vector is clustered
    assert len(modules) > 1 and len(modules[0]) >= len(modules[-1])


def test_link_with_a_knowledge_base_alone(tmp_path):
    kb = write_jsonl(tmp_path / "kb.jsonl", KB)
    links = textmine.link(["刘备字玄德，关羽与之同在涿郡。", "无名之辈。"], kb=kb)
    assert len(links) == 2 and links[1] == []
    assert {(l.mention, l.kb_id) for l in links[0]} >= {("刘备", "p1"), ("关羽", "p2")}


def test_generate_qa_from_a_trained_run(qa_run):
    pairs = textmine.generate_qa(["关羽字云长，河东解良人。身长九尺，髯长二尺。"], model=qa_run, pairs=2,
                                 method="model", min_overlap=0.0, round_trip=False)
    assert 1 <= len(pairs) <= 2 and all(p["doc"] == 0 and p["answer"] in p["passage"] for p in pairs)


def test_generate_qa_without_a_model_asks_from_the_clauses():
    pairs = textmine.generate_qa(["无关的一句话。", "李宁集团在全国300多家专卖店推出了惠卖活动。"], pairs=2)
    assert pairs and {p["doc"] for p in pairs} == {1}
    assert all(p["passage"][p["start"]: p["end"]] == p["answer"] and p["question"].endswith("？") for p in pairs)


def test_a_string_that_is_neither_texts_nor_a_path_is_refused():
    with pytest.raises(InputError, match="list of texts or the path"):
        textmine.words("刘备字玄德")
