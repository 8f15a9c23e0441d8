"""The qa pipeline stage: pairs for every document from a trained run; the model path is checked and hashed."""

import json
import shutil

import pytest

from textmine.errors import InputError
from textmine.manifest import read_manifest
from textmine.pipeline import load_pipeline, run_pipeline

DOCS = "刘备字玄德，涿郡涿县人。汉景帝子中山靖王刘胜之后。\n\n关羽字云长，河东解良人。身长九尺。\n"


def _pipeline(folder, model="run"):
    (folder / "docs.txt").write_text(DOCS, encoding="utf-8")
    path = folder / "qa.toml"
    path.write_text(f'out_dir = "out"\n[corpus]\npaths = ["docs.txt"]\n[[stages]]\nstage = "qa"\n'
                    f'model = "{model}"\nmethod = "model"\npairs = 2\nmin_overlap = 0.0\nround_trip = false\n',
                    encoding="utf-8")
    return path


def test_qa_stage_writes_pairs_and_reruns_when_the_model_changes(trained_run, tmp_path):
    shutil.copytree(trained_run, tmp_path / "run")
    path = _pipeline(tmp_path)
    artifacts = run_pipeline(path, progress=False)
    rows = [json.loads(line) for line in artifacts["qa_pairs"].read_text(encoding="utf-8").splitlines()]
    assert {r["doc"] for r in rows} == {0, 1} and all(r["answer"] in r["passage"] for r in rows)
    assert read_manifest(tmp_path / "out" / "qa")["counts"]["documents"] == 2
    before = (tmp_path / "out" / "qa" / "manifest.json").stat().st_mtime_ns
    run_pipeline(path, progress=False)                                      # up to date: skipped
    assert (tmp_path / "out" / "qa" / "manifest.json").stat().st_mtime_ns == before
    (tmp_path / "run" / "textmine.json").write_text(
        (tmp_path / "run" / "textmine.json").read_text(encoding="utf-8").replace('"top_k": 5', '"top_k": 4'),
        encoding="utf-8")
    run_pipeline(path, progress=False)                                      # the model changed: rerun
    assert (tmp_path / "out" / "qa" / "manifest.json").stat().st_mtime_ns != before


def test_qa_stage_needs_an_existing_model_for_the_model_method(tmp_path):
    with pytest.raises(InputError, match=r"model .*nowhere does not exist"):
        load_pipeline(_pipeline(tmp_path, model="nowhere"))
    path = tmp_path / "qa.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('model = "nowhere"\n', ""), encoding="utf-8")
    with pytest.raises(InputError, match="method model needs a trained model"):
        run_pipeline(path, progress=False)
    assert not (tmp_path / "out" / "qa" / "qa.jsonl").exists()


def test_qa_stage_without_a_model_asks_from_the_clauses(tmp_path):
    path = _pipeline(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace('model = "run"\nmethod = "model"\n', ""),
                    encoding="utf-8")
    (tmp_path / "docs.txt").write_text("李宁集团在全国300多家专卖店推出了惠卖活动。\n", encoding="utf-8")
    rows = [json.loads(line) for line in run_pipeline(path, progress=False)["qa_pairs"].read_text(encoding="utf-8")
            .splitlines()]
    assert rows and all(r["passage"][r["start"]: r["end"]] == r["answer"] for r in rows)
    assert read_manifest(tmp_path / "out" / "qa")["counts"]["pairs"] == len(rows)
