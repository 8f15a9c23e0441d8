"""Common mistakes at the command line: one line naming the problem, exit status 2, no output."""

import subprocess
import sys

import numpy as np
import pytest

from textmine.cli import main
from command_line import one_line_error


def test_output_that_is_a_folder(tmp_path, sample_path, capsys):
    (tmp_path / "out").mkdir()
    assert main(["words", str(sample_path), "-o", str(tmp_path / "out"), "-q"]) == 2
    one_line_error(capsys, str(tmp_path / "out"), "folder")
    assert list((tmp_path / "out").iterdir()) == []


def test_output_under_a_file_or_a_read_only_file_system(tmp_path, sample_path, capsys):
    (tmp_path / "plain").write_text("x", encoding="utf-8")
    assert main(["words", str(sample_path), "-o", str(tmp_path / "plain" / "w.tsv"), "-q"]) == 2
    one_line_error(capsys, str(tmp_path / "plain"))
    assert main(["words", str(sample_path), "-o", "/proc/w.tsv", "-q"]) == 2
    one_line_error(capsys, "/proc")


def test_unknown_encoding(tmp_path, sample_path, capsys):
    assert main(["words", str(sample_path), "-o", str(tmp_path / "w.tsv"), "--encoding", "bogus", "-q"]) == 2
    one_line_error(capsys, "unknown encoding 'bogus'")


def test_pipeline_with_a_missing_corpus(tmp_path, capsys):
    pipeline = tmp_path / "p.toml"
    pipeline.write_text('[corpus]\npaths = ["gone.txt"]\n[[stages]]\nstage = "words"\n', encoding="utf-8")
    assert main(["run", str(pipeline), "-q"]) == 2
    one_line_error(capsys, "gone.txt does not exist")


def test_all_outputs_of_a_command_or_none(tmp_path, sample_path, capsys):
    (tmp_path / "plain").write_text("x", encoding="utf-8")
    out = tmp_path / "ok.tsv"
    assert main(["words", str(sample_path), "-o", str(out), "--userdict", str(tmp_path / "plain" / "u.txt"), "-q"]) == 2
    one_line_error(capsys, "plain")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plain"]


def test_userdict_only_when_asked(tmp_path, sample_path):
    assert main(["words", str(sample_path), "-o", str(tmp_path / "w.tsv"), "-q"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.tsv", "w.tsv.manifest.json"]


@pytest.mark.parametrize("top", ["0", "-1"])
def test_top_below_one_is_refused(tmp_path, sample_path, capsys, top):
    assert main(["words", str(sample_path), "-o", str(tmp_path / "w.tsv"), "--top", top, "-q"]) == 2
    one_line_error(capsys, "top must be at least 1")


def test_printed_count_is_the_rows_written(tmp_path, sample_path, capsys):
    out = tmp_path / "w.tsv"
    assert main(["words", str(sample_path), "-o", str(out), "--top", "50", "-q"]) == 0
    assert capsys.readouterr().out.startswith("50 words;")
    assert len(out.read_text(encoding="utf-8").splitlines()) == 51


def test_neighbors_needs_a_positive_count(tmp_path, capsys):
    from textmine.embed import save_vectors, to_keyed_vectors

    path = save_vectors(to_keyed_vectors(["a", "b", "c"], np.eye(3)), tmp_path / "v.vec")
    for n in ("0", "-3"):
        assert main(["neighbors", str(path), "a", "-n", n]) == 2
        one_line_error(capsys, "-n must be at least 1")


def test_output_piped_into_head_stops_quietly(tmp_path):
    from textmine.embed import save_vectors, to_keyed_vectors

    words = [f"w{i}" for i in range(3000)]
    vectors = np.random.default_rng(0).normal(size=(3000, 4))
    path = save_vectors(to_keyed_vectors(words, vectors), tmp_path / "v.vec")
    command = [sys.executable, "-m", "textmine", "neighbors", str(path), *words, "-n", "200"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        process.stdout.readline()
        process.stdout.close()
        err = process.stderr.read().decode()
        assert process.wait() == 0 and err == ""
