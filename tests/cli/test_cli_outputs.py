"""What a command leaves behind: files others can read, and nothing on stderr under -q."""

import os
import stat
import subprocess
import sys

import numpy as np
import pytest

from textmine.cli import main


@pytest.fixture(params=[0o022, 0o027])
def umask(request):
    old = os.umask(request.param)
    yield request.param
    os.umask(old)


def _mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_outputs_follow_the_umask(tmp_path, sample_path, umask, qa_pair_file):
    from textmine.embed import save_vectors, to_keyed_vectors

    assert main(["words", str(sample_path), "-o", str(tmp_path / "w.tsv"), "--userdict", str(tmp_path / "u.txt"),
                 "-q"]) == 0
    rng = np.random.default_rng(0)
    vectors = save_vectors(to_keyed_vectors([f"w{i}" for i in range(40)], rng.normal(size=(40, 4))), tmp_path / "v.vec")
    assert main(["cluster", str(vectors), "-o", str(tmp_path / "k"), "--k", "5", "--min-sim", "0.1", "-q"]) == 0
    assert main(["qa", "train", "--data", str(qa_pair_file), "--config", "tiny", "-o", str(tmp_path / "run"), "--steps", "1",
                 "--batch-size", "1", "--max-passage", "16", "-q"]) == 0
    files = 0o666 & ~umask
    for name in ("w.tsv", "u.txt", "w.tsv.manifest.json", "v.vec", "k/clusters.html", "k/clusters.png",
                 "run/textmine.json", "run/model/config.json"):
        assert _mode(tmp_path / name) == files, name
    assert _mode(tmp_path / "run" / "model") == 0o777 & ~umask


def test_an_overwritten_output_keeps_its_mode(tmp_path, sample_path):
    out = tmp_path / "w.tsv"
    out.write_text("old\n", encoding="utf-8")
    out.chmod(0o664)
    assert main(["words", str(sample_path), "-o", str(out), "-q"]) == 0
    assert _mode(out) == 0o664 and out.read_text(encoding="utf-8").startswith("word\t")


def test_quiet_means_nothing_on_stderr(tmp_path, sample_path):
    command = [sys.executable, "-m", "textmine", "embed", str(sample_path), "-o", str(tmp_path / "e"),
               "--tokenizer", "jieba", "--dim", "8", "--epochs", "1", "--workers", "1", "-q"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0 and done.stderr == ""
    assert "vectors:" in done.stdout


def test_terms_says_why_nothing_was_kept(tmp_path, sample_lines, capsys):
    corpus = tmp_path / "one.txt"
    corpus.write_text("".join(sample_lines[:40]) + "\n", encoding="utf-8")  # one long document
    assert main(["terms", str(corpus), "-o", str(tmp_path / "t.tsv"), "-q"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("0 terms") and "at least 2 documents" in out


@pytest.mark.parametrize("argv", [["--help"], ["words", "--help"], ["cluster", "--help"]])
def test_commands_without_a_model_start_without_torch(argv):
    """Each subcommand builds only its own options, and packages load their code on first use."""
    code = ("import sys\nfrom textmine.cli import main\ntry:\n    main(%r)\nexcept SystemExit:\n    pass\n"
            "print('torch' in sys.modules)" % argv)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.stdout.strip().splitlines()[-1] == "False"
