import json

import pytest

from textmine.errors import InputError
from textmine.linking import Link, LinkedText, iter_texts, load_texts, write_texts

from linking_samples import write_jsonl


def test_offsets_as_strings_or_ints_and_nil(tmp_path):
    path = write_jsonl(tmp_path / "t.jsonl", [
        {"text_id": "a", "text": "李白与杜甫", "mention_data": [{"mention": "杜甫", "offset": 3, "kb_id": "p3"},
                                                              {"mention": "李白", "offset": "0", "kb_id": "NIL"}]}])
    [text] = load_texts(path)
    assert text.mentions == (Link("李白", 0, "NIL"), Link("杜甫", 3, "p3"))


def test_a_mention_that_does_not_match_its_text_is_named(tmp_path):
    path = write_jsonl(tmp_path / "t.jsonl", [
        {"text_id": "a", "text": "李白与杜甫", "mention_data": [{"mention": "杜甫", "offset": "3"}]},
        {"text_id": "b", "text": "李白与杜甫", "mention_data": [{"mention": "杜甫", "offset": "2"}]}])
    with pytest.raises(InputError, match=r"t.jsonl, line 2: mention '杜甫' at offset 2 does not match the text"):
        load_texts(path)


@pytest.mark.parametrize("record,message", [
    ({"text_id": "a"}, "no string field 'text'"),
    ({"text": "李白", "mention_data": [{"mention": "李白"}]}, "needs 'mention' and 'offset'"),
    ({"text": "李白", "mention_data": [{"mention": "李白", "offset": "x"}]}, "offset 'x' .* is not an integer"),
])
def test_bad_text_records_are_named(tmp_path, record, message):
    with pytest.raises(InputError, match=r"t.jsonl, line 1: .*" + message):
        load_texts(write_jsonl(tmp_path / "t.jsonl", [record]))


def test_plain_text_is_a_text_a_line_numbered_by_line(tmp_path):
    (tmp_path / "t.txt").write_text("李白醉酒\n\n杜甫忧国\n", encoding="utf-8")
    assert [(t.text_id, t.text) for t in iter_texts(tmp_path / "t.txt")] == [("1", "李白醉酒"), ("3", "杜甫忧国")]


def test_written_texts_read_back_the_same(tmp_path):
    texts = [LinkedText("a", "李白与杜甫", (Link("李白", 0, "p1", 0.9), Link("杜甫", 3, "NIL", 0.2)))]
    write_texts(texts, tmp_path / "out.jsonl")
    line = json.loads((tmp_path / "out.jsonl").read_text(encoding="utf-8"))
    assert line["mention_data"][0] == {"kb_id": "p1", "mention": "李白", "offset": "0", "score": 0.9}
    assert [m.kb_id for m in load_texts(tmp_path / "out.jsonl")[0].mentions] == ["p1", "NIL"]


def test_a_failed_write_leaves_no_file(tmp_path):
    def texts():
        yield LinkedText("a", "李白")
        raise InputError("the input broke half-way")

    with pytest.raises(InputError):
        write_texts(texts(), tmp_path / "out.jsonl")
    assert list(tmp_path.iterdir()) == []
