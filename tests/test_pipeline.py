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
