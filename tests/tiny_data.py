"""Small real-format data several test folders share: QA pairs, a knowledge base and linked texts
(their fixtures, qa_run and link_run, are in conftest)."""

import json

PASSAGES = [
    ("刘备字玄德，涿郡涿县人。汉景帝子中山靖王刘胜之后。", "涿郡涿县", "刘备是哪里人？"),
    ("关羽字云长，河东解良人。身长九尺，髯长二尺。", "河东解良", "关羽是哪里人？"),
    ("张飞字翼德，涿郡人也。与刘备、关羽桃园结义。", "桃园", "张飞与刘备在哪里结义？"),
]
KB = [
    {"subject_id": "p1", "subject": "刘备", "alias": ["玄德"], "type": ["人物"],
     "data": [{"predicate": "简介", "object": "字玄德，涿郡涿县人，蜀汉开国皇帝"}]},
    {"subject_id": "p2", "subject": "关羽", "alias": ["云长"], "type": ["人物"],
     "data": [{"predicate": "简介", "object": "字云长，河东解良人，蜀汉名将"}]},
    {"subject_id": "p3", "subject": "涿郡", "alias": [], "type": ["地名"], "data": []},
    {"subject_id": "p4", "subject": "云长", "alias": [], "type": ["地名"],
     "data": [{"predicate": "简介", "object": "山名，云雾缭绕，多松柏"}]},
]
# text, (name, KB id) of its mentions: 云长 is a man in most, a mountain in some
TEXTS = [
    ("玄德与云长同在涿郡起兵。", [("玄德", "p1"), ("云长", "p2")]),
    ("刘备字玄德，关羽字云长。", [("刘备", "p1"), ("关羽", "p2")]),
    ("云长温酒斩华雄，玄德大喜。", [("云长", "p2"), ("玄德", "p1")]),
    ("登云长，云雾缭绕，松柏满山。", [("云长", "p4")]),
    ("云长山上多松柏，云雾终日不散。", [("云长", "p4")]),
]


def write_jsonl(path, records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path

# A model trained a few steps asks noise: tests of the generation mechanics keep every pair.
UNFILTERED = {"min_overlap": 0.0, "round_trip": False}
