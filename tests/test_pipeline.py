import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from textmine.cli import main
from textmine.errors import InputError
from textmine.pipeline import load_pipeline
from textmine.stage import Stage, StageResult, stages


def _write(tmp_path, text):
    path = tmp_path / "p.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_pipeline_file(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        load_pipeline(tmp_path / "none.toml")


@pytest.mark.parametrize("text,message", [
    ("[corpus\n", "not valid TOML"),
    ('[[stages]]\nstage = "words"\n', r"\[corpus\]"),
    ('[corpus]\npaths = ["c.txt"]\n', "at least one"),
    ('[corpus]\npaths = ["c.txt"]\n[[stages]]\nstage = "summarise"\n', "'summarise'.*known stages"),
    ('[corpus]\npaths = ["c.txt"]\n[[stages]]\nstage = "words"\nmax_gram = 4\n', "max_gram"),
    ('[corpus]\npaths = ["c.txt"]\n[[stages]]\nstage = "qa"\nanswers = "Tagged"\n',
     r"stage 1 \(qa\): answers must be one of 'any', 'tagged' \(or unset\), found 'Tagged'"),
])
def test_bad_pipeline_files_are_refused_before_running(tmp_path, text, message):
    with pytest.raises(InputError, match=message):
        load_pipeline(_write(tmp_path, text))


def test_stage_needing_missing_artifact_is_refused(tmp_path, monkeypatch):
    # a stage that consumes the lexicon, declared before any stage that makes one
    monkeypatch.setitem(stages(), "segment", Stage("segment", lambda ctx: StageResult({}), needs=("lexicon",)))
    path = _write(tmp_path, '[corpus]\npaths = ["c.txt"]\n[[stages]]\nstage = "segment"\n'
                            '[[stages]]\nstage = "words"\n')
    with pytest.raises(InputError, match=r"stage 1 \(segment\) needs \['lexicon'\]"):
        load_pipeline(path)


def test_cli_reports_pipeline_errors_in_one_line(tmp_path, capsys):
    assert main(["run", str(tmp_path / "none.toml"), "--quiet"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "does not exist" in err[0]


DEMO = Path(__file__).resolve().parent.parent / "pipelines" / "demo.toml"


def test_the_demo_runs_on_another_corpus_with_one_change(tmp_path, sample_lines, capsys):
    """``textmine run pipelines/demo.toml my.txt -o out --set embed.dim=50``: the ready pipeline on
    a user's own text, unedited; what was given is what the manifests record."""
    mine = tmp_path / "my.txt"
    mine.write_text("\n".join(sample_lines[:60]) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(DEMO), str(mine), "-o", str(out), "--set", "embed.dim=50", "-q"]) == 0
    embed = json.loads((out / "embed" / "manifest.json").read_text(encoding="utf-8"))
    assert embed["params"]["dim"] == 50 and embed["params"]["min_count"] == 3      # the file's other values stay
    words = json.loads((out / "words" / "manifest.json").read_text(encoding="utf-8"))
    assert list(words["inputs"]) == [str(mine)]
    assert sorted(p.name for p in out.iterdir()) == ["cluster", "embed", "terms", "topics", "words"]
    assert "== cluster ==" in capsys.readouterr().out


@pytest.mark.parametrize("override, message", [
    ("embed.dimm=50", "stage embed has no parameter 'dimm'; its parameters: batch_size, binary"),
    ("embedding.dim=50", "has no stage 'embedding'; its stages: words, topics, terms, embed, cluster"),
    ("dim=50", "write STAGE.KEY=VALUE"),
    ("words.min_count=five", "min_count must be an integer"),
])
def test_a_wrong_set_is_one_line(tmp_path, capsys, override, message):
    assert main(["run", str(DEMO), "-o", str(tmp_path / "out"), "--set", override, "-q"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0], err
    assert not (tmp_path / "out").exists()


def test_a_stage_from_another_package_joins_through_its_entry_point(tmp_path, sample_path):
    """A package installed beside textmine (here: a module and its dist-info, as pip lays them out)
    adds a stage through the ``textmine.stages`` entry point group; a pipeline file then uses it."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "shout_stage.py").write_text(
        "from textmine.stage import StageResult, stage\n\n\n"
        "@stage('shout', makes=('shouted',))\n"
        "def run_shout(ctx, *, times: int = 1):\n"
        "    text = ''.join(ctx.open_corpus())[:10] * times\n"
        "    ctx.path('shouted', 'shout.txt').write_text(text + '!', encoding='utf-8')\n"
        "    return StageResult(outputs={'shouted': 'shout.txt'}, summary=text)\n", encoding="utf-8")
    info = site / "shout_stage-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: shout-stage\nVersion: 0.1\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[textmine.stages]\nshout = shout_stage\n", encoding="utf-8")
    pipeline = _write(tmp_path, f'out_dir = "out"\n[corpus]\npaths = ["{sample_path}"]\n'
                                '[[stages]]\nstage = "shout"\ntimes = 2\n')
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-c", "import sys; from textmine.cli import main; sys.exit(main())",
                           "run", str(pipeline), "-q"], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    shouted = (tmp_path / "out" / "shout" / "shout.txt").read_text(encoding="utf-8")
    assert shouted == sample_path.read_text(encoding="utf-8")[:10] * 2 + "!"
    assert json.loads((tmp_path / "out" / "shout" / "manifest.json").read_text(encoding="utf-8"))["params"] == \
        {"times": 2, "seed": 0}
    pipeline.write_text(pipeline.read_text(encoding="utf-8").replace("times = 2", 'times = "two"'), encoding="utf-8")
    refused = subprocess.run([sys.executable, "-c", "import sys; from textmine.cli import main; sys.exit(main())",
                              "run", str(pipeline), "-q"], env=env, capture_output=True, text=True, timeout=300)
    assert refused.returncode == 2 and "times must be an integer, found 'two'" in refused.stderr
