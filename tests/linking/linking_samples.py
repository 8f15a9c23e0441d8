"""Small linking data shared by the tests: a hand-made KB and texts (their fixtures are in conftest)."""

import json

TINY_KB = [
    {"subject_id": "p1", "subject": "李白", "alias": ["太白"], "type": ["诗人"],
     "data": [{"predicate": "朝代", "object": "唐"}, {"predicate": "简介", "object": "字太白，号青莲居士，好饮酒，游历名山"}]},
    {"subject_id": "p2", "subject": "李白", "alias": [], "type": ["画家"],
     "data": [{"predicate": "朝代", "object": "宋"}, {"predicate": "简介", "object": "宋代画家，善画山水花鸟"}]},
    {"subject_id": "p3", "subject": "杜甫", "alias": ["子美"], "type": ["诗人"],
     "data": [{"predicate": "朝代", "object": "唐"}, {"predicate": "简介", "object": "字子美，忧国忧民"}]},
    {"subject_id": "p4", "subject": "明月", "alias": [], "type": ["地名"], "data": []},
]


def mention_at(text, name, kb_id):
    """A CCKS mention_data item for the first ``name`` in ``text``."""
    return {"mention": name, "offset": str(text.index(name)), "kb_id": kb_id}


TINY_TEXTS = [
    ("李白举杯饮酒，醉卧明月下，作诗百篇。", [("李白", "p1")]),
    ("李白斗酒诗百篇，长安市上酒家眠。", [("李白", "p1")]),
    ("李白画山水花鸟，笔意清雅。", [("李白", "p2")]),
    ("宋人李白善画花鸟，山水亦佳。", [("李白", "p2")]),
    ("杜甫与李白同游，饮酒论诗。", [("杜甫", "p3"), ("李白", "p1")]),
    ("子美忧国，明月照人。", [("子美", "p3")]),
    ("太白醉后作诗，明月满楼。", [("太白", "p1")]),
    ("李白作山水画一幅。", [("李白", "p2")]),
]


def write_jsonl(path, records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path
