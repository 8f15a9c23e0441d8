"""Run folders of the training commands: a checkpoint placed in one cannot run code when the run
resumes (only JSON and safetensors are parsed; an old pickled ``checkpoint.pt`` is refused unread),
a genuine one still resumes, and a command that fails on its input leaves no run folder behind."""

import json
import logging
import os
import pickle

import pytest
import torch

from textmine.cli import main
from textmine.neural import CHECKPOINT_FORMAT, load_checkpoint, save_checkpoint

pytestmark = pytest.mark.usefixtures("one_thread")

QA_OPTIONS = ["--config", "tiny", "--steps", "2", "--batch-size", "2", "--max-passage", "32", "-q"]
VAE_OPTIONS = ["--latent", "4", "--hidden", "16", "--steps", "2", "--batch-size", "2", "--max-len", "20", "-q"]
PASSAGES = [("刘备字玄德，涿郡涿县人。", "涿郡涿县", "刘备是哪里人？"),
            ("关羽字云长，河东解良人。", "河东解良", "关羽是哪里人？")]
KB = [{"subject_id": "p1", "subject": "刘备", "alias": ["玄德"], "type": ["人物"], "data": []}]


class Payload:
    """Unpickling it runs a shell command that creates ``marker``."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return os.system, (f"touch {self.marker}",)


def _poison(folder, marker, writer):
    """An old-format ``checkpoint.pt`` (``torch.save`` or bare pickle) or a ``checkpoint/`` folder
    whose safetensors file or JSON carries the pickled payload instead of data."""
    folder.mkdir()
    payload = pickle.dumps(Payload(marker))
    if writer == "torch.save":
        torch.save({"format": CHECKPOINT_FORMAT, "step": 1, "model": Payload(marker)}, folder / "checkpoint.pt")
    elif writer == "pickle":
        (folder / "checkpoint.pt").write_bytes(payload)
    else:
        save_checkpoint(folder / "checkpoint", {"format": CHECKPOINT_FORMAT, "step": 1, "model": payload.hex()})
        path = folder / "checkpoint" / ("tensors.safetensors" if writer == "safetensors" else "state.json")
        path.write_bytes(payload)
    return folder / ("checkpoint.pt" if writer in ("torch.save", "pickle") else "checkpoint")


def write_jsonl(path, records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def _qa_data(folder):
    return write_jsonl(folder / "train.jsonl", [dict(zip(("passage", "answer", "question"), row)) for row in PASSAGES])


def _refused(capsys, checkpoint, marker, why):
    assert not marker.exists(), "the checkpoint's payload ran"
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert str(checkpoint) in err[0] and why in err[0] and "--no-resume" in err[0]


WHY = {"torch.save": "pickled format", "pickle": "pickled format", "safetensors": "is damaged",
       "json": "is damaged"}


@pytest.mark.parametrize("writer", list(WHY))
def test_qa_train_refuses_a_checkpoint_that_would_run_code(tmp_path, capsys, writer):
    run, marker = tmp_path / "run", tmp_path / "pwned"
    checkpoint = _poison(run, marker, writer)
    before = sorted(p.name for p in run.iterdir())
    assert main(["qa", "train", "--data", str(_qa_data(tmp_path)), "-o", str(run), *QA_OPTIONS]) == 2
    _refused(capsys, checkpoint, marker, WHY[writer])
    assert sorted(p.name for p in run.iterdir()) == before                 # the folder is left as it was


def test_vae_train_refuses_a_checkpoint_that_would_run_code(tmp_path, capsys):
    run, marker = tmp_path / "run", tmp_path / "pwned"
    checkpoint = _poison(run, marker, "torch.save")
    corpus = tmp_path / "sentences.txt"
    corpus.write_text("".join(p + "\n" for p, _, _ in PASSAGES), encoding="utf-8")
    assert main(["vae", "train", str(corpus), "-o", str(run), *VAE_OPTIONS]) == 2
    _refused(capsys, checkpoint, marker, "pickled format")


def test_a_genuine_checkpoint_still_resumes(tmp_path, caplog):
    data, run = _qa_data(tmp_path), tmp_path / "run"
    assert main(["qa", "train", "--data", str(data), "-o", str(run), *QA_OPTIONS]) == 0
    assert load_checkpoint(run / "checkpoint")["step"] == 2
    longer = [*QA_OPTIONS[:2], "--steps", "3", *QA_OPTIONS[4:]]
    with caplog.at_level(logging.INFO, logger="textmine.neural.train"):
        assert main(["qa", "train", "--data", str(data), "-o", str(run), *longer]) == 0
    assert f"resumed from {run / 'checkpoint'} at step 2" in caplog.text
    assert load_checkpoint(run / "checkpoint")["step"] == 3


def test_failed_qa_train_leaves_no_run_folder(tmp_path, capsys):
    bad = write_jsonl(tmp_path / "bad.jsonl", [{"passage": "关羽字云长。", "answer": "云长"}])   # no question
    for data in (tmp_path / "missing.jsonl", bad):
        assert main(["qa", "train", "--data", str(data), "-o", str(tmp_path / "run"), *QA_OPTIONS]) == 2
        assert str(data) in capsys.readouterr().err
        assert not (tmp_path / "run").exists()
    (tmp_path / "kept").mkdir()                                               # a folder that was there stays
    assert main(["qa", "train", "--data", str(bad), "-o", str(tmp_path / "kept"), *QA_OPTIONS]) == 2
    assert (tmp_path / "kept").is_dir() and not any((tmp_path / "kept").iterdir())


def test_failed_link_train_leaves_no_run_folder(tmp_path, capsys):
    kb = write_jsonl(tmp_path / "kb.jsonl", KB)
    bad = write_jsonl(tmp_path / "bad.jsonl", [{"text_id": "1", "mention_data": []}])      # no text
    for kb_file, data in ((tmp_path / "missing.jsonl", bad), (kb, tmp_path / "missing.jsonl"), (kb, bad)):
        assert main(["link", "train", "--kb", str(kb_file), "--data", str(data), "-o", str(tmp_path / "run"),
                     "-q"]) == 2
        assert "error" in capsys.readouterr().err
        assert not (tmp_path / "run").exists()
