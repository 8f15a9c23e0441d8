"""Linking fixtures: a tiny hand-made KB, and a real slice of the el-poets bed (docs/data.md#el-poets).

The slice lives in tests/data/el-poets-slice/. It was cut once from the full bed: every 10th training text (464),
every 4th dev text (100) and only the KB entities (136) those texts' names can refer to, so a linker trains in about
a second while the data stay real: Tang and Song poets sharing a name, told apart by their poems.
"""

from pathlib import Path

import pytest

from linking_samples import TINY_KB, TINY_TEXTS, mention_at, write_jsonl
from textmine.linking import EntityLinker, KnowledgeBase, load_texts

EL_POETS_SLICE = Path(__file__).resolve().parents[1] / "data" / "el-poets-slice"

@pytest.fixture
def tiny_kb_path(tmp_path):
    return write_jsonl(tmp_path / "kb.jsonl", TINY_KB)


@pytest.fixture
def tiny_texts_path(tmp_path):
    records = [{"text_id": f"t{i}", "text": text, "mention_data": [mention_at(text, n, k) for n, k in mentions]}
               for i, (text, mentions) in enumerate(TINY_TEXTS)]
    return write_jsonl(tmp_path / "texts.jsonl", records)


@pytest.fixture(scope="session")
def poets():
    """(kb path, train path, dev path) of the el-poets slice."""
    return tuple(EL_POETS_SLICE / f"{name}.jsonl" for name in ("kb", "train", "dev"))


@pytest.fixture(scope="session")
def poets_data(poets):
    kb, train, dev = poets
    return KnowledgeBase.load(kb), load_texts(train), load_texts(dev)


@pytest.fixture(scope="session")
def fast_linker(poets_data):
    kb, train, dev = poets_data
    return EntityLinker(seed=0).fit(kb, train, dev)
