import gzip
import json

import pytest

from textmine.errors import InputError
from textmine.linking import KnowledgeBase

from linking_samples import TINY_KB, write_jsonl


def test_ccks_kb_loads_names_types_and_descriptions(tiny_kb_path):
    kb = KnowledgeBase.load(tiny_kb_path)
    assert len(kb) == 4 and kb[kb.position("p1")].names == ("李白", "太白")
    assert kb[kb.position("p2")].description == "类型：画家\n朝代：宋\n简介：宋代画家，善画山水花鸟"
    assert "p4" in kb and "p9" not in kb


def test_gzipped_kb_is_the_same_kb(tiny_kb_path, tmp_path):
    packed = tmp_path / "kb.jsonl.gz"
    packed.write_bytes(gzip.compress(tiny_kb_path.read_bytes()))
    assert [e for e in KnowledgeBase.load(packed)] == [e for e in KnowledgeBase.load(tiny_kb_path)]


def test_tsv_kb_merges_the_names_of_one_id(tmp_path):
    path = tmp_path / "kb.tsv"
    path.write_text("李白\tp1\t唐代诗人\n太白\tp1\n杜甫\tp3\t唐代诗人，字子美\n", encoding="utf-8")
    kb = KnowledgeBase.load(path)
    assert len(kb) == 2 and kb[0].names == ("李白", "太白") and kb[1].description == "描述：唐代诗人，字子美"


def test_saved_kb_loads_back_equal(tiny_kb_path, tmp_path):
    kb = KnowledgeBase.load(tiny_kb_path)
    assert list(KnowledgeBase.load(kb.save(tmp_path / "copy.jsonl"))) == list(kb)


def test_sanguo_dictionary_is_a_kb():
    kb = KnowledgeBase.load("sanguo")
    liu_bei = kb[kb.position("刘备")]
    assert len(kb) > 4000 and "玄德" in liu_bei.names and liu_bei.types == ("人名",)


@pytest.mark.parametrize("records,message", [
    ([{"subject": "李白"}], r"kb.jsonl, line 1: no field 'subject_id'"),
    ([TINY_KB[0], {"subject_id": "p1", "subject": "李十二"}], r"line 2: duplicate subject_id 'p1'"),
    ([{"subject_id": "p1", "subject": "李白", "alias": [3]}], r"line 1: field 'alias' must be a list of strings"),
    ([{"subject_id": "p1", "subject": "李白", "data": "唐"}], r"line 1: field 'data' must be a list"),
])
def test_bad_kb_lines_are_named_by_file_and_line(tmp_path, records, message):
    with pytest.raises(InputError, match=message):
        KnowledgeBase.load(write_jsonl(tmp_path / "kb.jsonl", records))


def test_empty_kb_files_are_refused(tmp_path):
    (tmp_path / "empty.jsonl").write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="empty.jsonl is empty"):
        KnowledgeBase.load(tmp_path / "empty.jsonl")
    (tmp_path / "blank.jsonl").write_text("\n\n", encoding="utf-8")
    with pytest.raises(InputError, match="blank.jsonl holds no entities"):
        KnowledgeBase.load(tmp_path / "blank.jsonl")


def test_bad_tsv_line_is_named(tmp_path):
    (tmp_path / "kb.tsv").write_text("李白\tp1\n杜甫\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"kb.tsv, line 2: expected name<TAB>id"):
        KnowledgeBase.load(tmp_path / "kb.tsv")


def test_invalid_json_is_named(tmp_path):
    (tmp_path / "kb.jsonl").write_text(json.dumps(TINY_KB[0]) + "\n{oops\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"kb.jsonl, line 2: not valid JSON"):
        KnowledgeBase.load(tmp_path / "kb.jsonl")
