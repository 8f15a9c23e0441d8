import json
from pathlib import Path

import pytest

from textmine.errors import InputError
from textmine.manifest import read_manifest
from textmine.pipeline import load_pipeline, run_pipeline

ROOT = Path(__file__).resolve().parents[2]


def _pipeline(folder, stages):
    (folder / "docs.txt").write_text("李白饮酒作诗，明月满楼。\n\n子美忧国。\n", encoding="utf-8")
    path = folder / "link.toml"
    path.write_text(f'out_dir = "out"\n[corpus]\npaths = ["docs.txt"]\n{stages}', encoding="utf-8")
    return path


def test_link_train_then_link_in_a_pipeline(tmp_path, tiny_kb_path, tiny_texts_path):
    path = _pipeline(tmp_path, f'[[stages]]\nstage = "link_train"\nkb = "{tiny_kb_path.name}"\n'
                               f'data = "{tiny_texts_path.name}"\nmin_df = 1\n[[stages]]\nstage = "link"\n')
    artifacts = run_pipeline(path, progress=False)
    rows = [json.loads(line) for line in artifacts["links"].read_text(encoding="utf-8").splitlines()]
    assert [r["text_id"] for r in rows] == ["1", "3"]
    assert [(m["mention"], m["kb_id"]) for m in rows[1]["mention_data"]] == [("子美", "p3")]
    assert read_manifest(tmp_path / "out" / "link")["counts"]["texts"] == 2
    before = (tmp_path / "out" / "link" / "manifest.json").stat().st_mtime_ns
    run_pipeline(path, progress=False)                                      # up to date: skipped
    assert (tmp_path / "out" / "link" / "manifest.json").stat().st_mtime_ns == before


def test_link_with_a_kb_alone(tmp_path, tiny_kb_path):
    path = _pipeline(tmp_path, f'[[stages]]\nstage = "link"\nkb = "{tiny_kb_path.name}"\n')
    rows = [json.loads(line) for line in run_pipeline(path, progress=False)["links"].read_text(encoding="utf-8")
            .splitlines()]
    assert [m["kb_id"] for m in rows[0]["mention_data"]] == ["p1", "p4"]


def test_link_needs_a_model_or_a_kb(tmp_path):
    with pytest.raises(InputError, match="needs model="):
        run_pipeline(_pipeline(tmp_path, '[[stages]]\nstage = "link"\n'), progress=False)
    with pytest.raises(InputError, match=r"model .*nowhere does not exist"):
        load_pipeline(_pipeline(tmp_path, '[[stages]]\nstage = "link"\nmodel = "nowhere"\n'))


def test_the_shipped_link_pipeline_is_valid():
    spec = load_pipeline(ROOT / "pipelines" / "link.toml")
    assert [s["stage"] for s in spec["stages"]] == ["link_train", "link"]


def test_the_link_stage_links_a_chunk_at_a_time_as_it_would_link_the_whole(poets, poets_data, tmp_path, monkeypatch):
    """A corpus is read, linked and written a chunk of texts at a time, so memory holds one chunk:
    the links are those of linking every text in one call, in the same order."""
    from textmine.linking import EntityLinker, stage as link_stage
    from textmine.stage import run_stage

    kb, train, dev = poets_data
    run = tmp_path / "run"
    EntityLinker(seed=3).fit(kb, train).save(run)
    whole = EntityLinker.load(run).link_texts(dev)
    monkeypatch.setattr(link_stage, "CHUNK_TEXTS", 7)                      # 100 texts: 15 chunks
    done = run_stage("link", {"model": str(run)}, out_dir=tmp_path / "out", corpus={"paths": [str(poets[2])]},
                     progress=False)
    rows = [json.loads(line) for line in done.outputs["links"].read_text(encoding="utf-8").splitlines()]
    assert rows == [text.to_json() for text in whole]
    mentions = sum(len(text.mentions) for text in whole)
    assert done.result.counts == {"texts": 100, "mentions": mentions,
                                  "links": sum(m.kb_id != "NIL" for text in whole for m in text.mentions)}
