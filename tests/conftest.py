import os
from pathlib import Path

import pytest

from tiny_data import KB, PASSAGES, TEXTS, UNFILTERED, write_jsonl

# infomap's OpenMP threads spin after a run and starve torch in the same process (a VAE trained 40x
# slower after one clustering); passive waiting avoids it. Read when OpenMP starts, so set it first.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sanguo_sample.txt"


@pytest.fixture(scope="session")
def sample_path() -> Path:
    return SAMPLE


@pytest.fixture
def browser(tmp_path):
    """A fresh headless chromium (tests/browser.py) for one test: about a second to start."""
    from browser import Browser

    opened = Browser(tmp_path / "profile")
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def sample_lines() -> list[str]:
    return SAMPLE.read_text(encoding="utf-8").splitlines()


@pytest.fixture
def one_thread():
    """Tiny torch models: extra threads only add contention on a busy 2-core machine (20x slower here)."""
    import torch                                                   # only the neural tests pay for the import

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="session")
def qa_pair_file(tmp_path_factory) -> Path:
    """Training data of one real-format QA pair: enough for the tiny model's mechanics."""
    import json

    path = tmp_path_factory.mktemp("qa_data") / "train.jsonl"
    path.write_text(json.dumps({"passage": "关羽字云长，河东解良人。", "answer": "云长", "question": "关羽字什么？"},
                               ensure_ascii=False) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def qa_run(tmp_path_factory):
    """A QA run folder with a tiny model trained a few steps: enough for generate's mechanics."""
    from textmine.qa import QAExample, QAGenerator

    run = tmp_path_factory.mktemp("qa") / "run"
    QAGenerator("tiny", **UNFILTERED, vocab="corpus", steps=4, batch_size=4, max_passage=32, max_question=12, max_answer=8,
                seed=1).fit([QAExample(*row) for row in PASSAGES], run)
    return run


@pytest.fixture(scope="session")
def link_run(tmp_path_factory):
    """A linker trained on a four-entity KB where one name has two meanings."""
    from textmine.cli import main

    folder = tmp_path_factory.mktemp("link")
    kb = write_jsonl(folder / "kb.jsonl", KB)
    data = write_jsonl(folder / "train.jsonl", [
        {"text_id": str(i), "text": text,
         "mention_data": [{"mention": name, "offset": str(text.index(name)), "kb_id": kb_id} for name, kb_id in names]}
        for i, (text, names) in enumerate(TEXTS)])
    assert main(["link", "train", "--kb", str(kb), "--data", str(data), "-o", str(folder / "run"), "-q"]) == 0
    return folder / "run"
