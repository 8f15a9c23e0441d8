"""Linking fixtures: a tiny hand-made KB, and a real slice of the el-poets bed (../shared/data).

The slice keeps every 10th training text (464) and every 4th dev text (100) and only the KB entities those texts' names
can refer to, so a linker trains in about a second while the data stay real: Tang and Song poets
sharing a name, told apart by their poems.
"""

import json
from pathlib import Path

import pytest

from linking_samples import TINY_KB, TINY_TEXTS, mention_at, write_jsonl
from textmine.linking import EntityLinker, KnowledgeBase, load_texts

EL_POETS = Path(__file__).resolve().parents[3] / "shared" / "data" / "el-poets"

@pytest.fixture
def tiny_kb_path(tmp_path):
    return write_jsonl(tmp_path / "kb.jsonl", TINY_KB)


@pytest.fixture
def tiny_texts_path(tmp_path):
    records = [{"text_id": f"t{i}", "text": text, "mention_data": [mention_at(text, n, k) for n, k in mentions]}
               for i, (text, mentions) in enumerate(TINY_TEXTS)]
    return write_jsonl(tmp_path / "texts.jsonl", records)


@pytest.fixture(scope="session")
def poets(tmp_path_factory):
    """(kb path, train path, dev path) of the el-poets slice."""
    if not EL_POETS.is_dir():
        pytest.skip(f"the el-poets test bed is not at {EL_POETS}")
    folder = tmp_path_factory.mktemp("el-poets")
    lines = {name: (EL_POETS / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
             for name in ("train", "dev")}
    train, dev = lines["train"][::10], lines["dev"][::4]
    names = {m["mention"] for line in train + dev for m in json.loads(line)["mention_data"]}
    kb = [line for line in (EL_POETS / "kb.jsonl").read_text(encoding="utf-8").splitlines()
          if {json.loads(line)["subject"], *json.loads(line)["alias"]} & names]
    paths = []
    for name, rows in (("kb", kb), ("train", train), ("dev", dev)):
        paths.append(folder / f"{name}.jsonl")
        paths[-1].write_text("\n".join(rows) + "\n", encoding="utf-8")
    return tuple(paths)


@pytest.fixture(scope="session")
def poets_data(poets):
    kb, train, dev = poets
    return KnowledgeBase.load(kb), load_texts(train), load_texts(dev)


@pytest.fixture(scope="session")
def fast_linker(poets_data):
    kb, train, dev = poets_data
    return EntityLinker(seed=0).fit(kb, train, dev)
