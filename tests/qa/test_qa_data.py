import json

import pytest

from textmine.errors import InputError
from textmine.qa import (cut_passage, insurance_examples, load_examples, passage_pieces, read_examples,
                         read_span_jsonl, read_squad, write_examples)

DATA = __import__("pathlib").Path(__file__).parent / "data"
TEXT = "刘备字玄德，涿郡涿县人。汉景帝子中山靖王刘胜之后。刘备少孤，与母贩履织席为业。家住楼桑村。"


def test_passage_pieces_end_at_sentences_and_fit():
    pieces = passage_pieces(TEXT, 26)
    assert "".join(pieces) == TEXT
    assert all(len(p) <= 26 for p in pieces)
    assert pieces[0] == "刘备字玄德，涿郡涿县人。汉景帝子中山靖王刘胜之后。"
    assert all(p.endswith("。") for p in pieces)


def test_cut_passage_keeps_only_pieces_with_the_answer():
    assert cut_passage(TEXT, "贩履", 26) == ["刘备少孤，与母贩履织席为业。家住楼桑村。"]
    assert cut_passage(TEXT, "", 26) == ["刘备字玄德，涿郡涿县人。汉景帝子中山靖王刘胜之后。"]
    assert cut_passage(TEXT, "不在", 26) == []


def test_read_examples_round_trip(tmp_path, jsonl_file):
    examples = read_examples(jsonl_file)
    assert len(examples) == 4 and examples[0].answer == "涿郡涿县"
    assert write_examples(examples, tmp_path / "out.jsonl") == 4
    assert read_examples(tmp_path / "out.jsonl") == examples


@pytest.mark.parametrize("record, message", [
    ({"passage": "刘备字玄德。", "answer": "玄德"}, "line 2: field 'question'"),
    ({"passage": "   ", "answer": "", "question": "问？"}, "line 2: field 'passage' is empty"),
    ({"passage": "刘备字玄德。", "answer": "云长", "question": "问？"}, "line 2: field 'answer'"),
    ({"passage": 3, "answer": "", "question": "问？"}, "line 2: field 'passage' is missing or not a string"),
])
def test_read_examples_bad_lines_name_file_line_and_field(tmp_path, record, message):
    path = tmp_path / "bad.jsonl"
    good = {"passage": "关羽字云长。", "answer": "云长", "question": "关羽字什么？"}
    path.write_text(json.dumps(good, ensure_ascii=False) + "\n" + json.dumps(record, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    with pytest.raises(InputError, match=message) as info:
        read_examples(path)
    assert str(path) in str(info.value)


def test_read_examples_not_json_and_missing_file(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text("{not json\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 1: not valid JSON"):
        read_examples(path)
    with pytest.raises(InputError, match="does not exist"):
        read_examples(tmp_path / "missing.jsonl")


def test_read_squad_uses_answer_spans_and_skips_absent_answers():
    examples = read_squad(DATA / "squad_tiny.json", max_len=26)
    assert [(e.answer, e.question) for e in examples] == [("玄德", "刘备字什么？"), ("中山靖王刘胜", "刘备是谁之后？")]
    assert all(e.answer in e.passage and len(e.passage) <= 26 for e in examples)


def test_read_squad_without_data_field(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"paragraphs": []}', encoding="utf-8")
    with pytest.raises(InputError, match="field 'data' is missing"):
        read_squad(path)


def test_read_span_jsonl_finds_the_passage_holding_the_answer():
    examples = read_span_jsonl(DATA / "webqa_tiny.jsonl")
    assert [(e.passage, e.answer) for e in examples] == [("关羽字云长，河东解良人。", "云长"), ("诸葛亮字孔明，号卧龙。", "卧龙")]


def test_load_examples_detects_formats(jsonl_file):
    assert load_examples(DATA / "squad_tiny.json")[0].answer == "玄德"
    assert load_examples(DATA / "webqa_tiny.jsonl")[0].answer == "云长"
    assert load_examples(jsonl_file)[0].answer == "涿郡涿县"
    with pytest.raises(InputError, match="format='xml'"):
        load_examples(jsonl_file, format="xml")


def test_insurance_examples_are_passage_to_question():
    examples = insurance_examples("train", max_len=64, limit=20)
    assert len(examples) == 20
    assert all(e.answer == "" and 0 < len(e.passage) <= 64 and e.question for e in examples)
    assert examples[0].question == "法律要求残疾保险吗?"
