"""Reliability fixtures: a tiny trained QA model and entity linker, and small file systems to fill."""

import subprocess

import pytest

from reliability_data import KB, PASSAGES, TEXTS, write_jsonl

@pytest.fixture(scope="session")
def qa_run(tmp_path_factory):
    """A QA run folder with a tiny model trained a few steps: enough for generate's mechanics."""
    from textmine.qa import QAExample, QAGenerator

    run = tmp_path_factory.mktemp("qa") / "run"
    QAGenerator("tiny", vocab="corpus", steps=4, batch_size=4, max_passage=32, max_question=12, max_answer=8,
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


@pytest.fixture
def small_disk(tmp_path):
    """A folder on a 64 KiB tmpfs (a full disk, made small); skipped where mounting is not allowed."""
    folder = tmp_path / "small"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    yield folder
    subprocess.run(["umount", str(folder)], check=True)


@pytest.fixture
def read_only_disk(tmp_path):
    """A folder on a read-only tmpfs (permission denied even to root); skipped where mounting is not allowed."""
    folder = tmp_path / "ro"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    yield folder
    subprocess.run(["umount", str(folder)], check=True)
