"""What the tool writes never destroys what a user has, and a failure leaves one line and nothing else.

Every case runs the command a user would type (``textmine.cli.main`` in process, or the installed
``textmine`` in a subprocess where a signal or the real stdout matters).
"""

import os
import signal
import stat
import subprocess
import time
from pathlib import Path

import pytest

from tiny_data import PASSAGES, write_jsonl
from textmine.atomic import is_stream
from textmine.cli import main
from command_line import TEXTMINE, one_line_error


def _textmine(*args, **kwargs):
    return subprocess.Popen([*TEXTMINE, *map(str, args)], **kwargs)


# ------------------------------------------------------------------------- streams and links

def test_output_to_a_character_device_is_written_through(tmp_path, sample_path):
    device = tmp_path / "null"
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))      # a copy of /dev/null
    except PermissionError:
        pytest.skip("mknod needs root")
    assert main(["words", str(sample_path), "-o", str(device), "-q"]) == 0
    assert stat.S_ISCHR(os.lstat(device).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null"]      # no manifest, no temporary beside it


def test_paths_under_dev_and_proc_are_streams_never_replaced():
    for path in ("-", "/dev/stdout", "/dev/null", "/proc/self/fd/1", "/dev/not-there"):
        assert is_stream(path), path
    assert not is_stream("out/w.tsv")


def test_output_to_a_fifo(tmp_path, sample_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    assert main(["words", str(sample_path), "-o", str(fifo), "-q"]) == 0
    lines = reader.communicate(timeout=60)[0].decode("utf-8").splitlines()
    assert lines[0].startswith("word\t") and len(lines) > 100
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def test_output_dash_is_stdout(tmp_path, sample_path):
    done = subprocess.run([*TEXTMINE, "words", str(sample_path), "-o", "-", "-q"],
                          cwd=tmp_path, capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.decode("utf-8").splitlines()
    assert lines[0].startswith("word\t") and "玄德" in lines[1]
    assert "words; best:" in done.stderr.decode("utf-8")             # the summary stays off the data
    assert list(tmp_path.iterdir()) == []                            # no file named "-", no manifest


def test_output_through_a_symlink_replaces_its_target(tmp_path, sample_path):
    (tmp_path / "real").mkdir()
    link = tmp_path / "link.tsv"
    link.symlink_to(tmp_path / "real" / "target.tsv")
    assert main(["words", str(sample_path), "-o", str(link), "-q"]) == 0
    assert link.is_symlink()
    assert (tmp_path / "real" / "target.tsv").read_text(encoding="utf-8").startswith("word\t")


# ------------------------------------------------------------------------- folders

def test_a_foreign_folder_is_refused_and_our_own_replaced(tmp_path, sample_path, capsys):
    finder = tmp_path / "d"
    finder.mkdir()
    (finder / "thesis.tex").write_text("years of work", encoding="utf-8")
    out = tmp_path / "w.tsv"
    assert main(["words", str(sample_path), "-o", str(out), "--finder", str(finder), "-q"]) == 2
    one_line_error(capsys, str(finder), "thesis.tex", "--force")
    assert (finder / "thesis.tex").read_text(encoding="utf-8") == "years of work"
    assert not out.exists()                                          # the command's outputs: all or none

    own = tmp_path / "own"
    assert main(["words", str(sample_path), "-o", str(out), "--finder", str(own), "-q"]) == 0
    assert main(["words", str(sample_path), "-o", str(out), "--finder", str(own), "--min-count", "6", "-q"]) == 0
    assert sorted(p.name for p in own.iterdir()) == ["arrays.safetensors", "textmine.json", "words.json"]

    assert main(["words", str(sample_path), "-o", str(out), "--finder", str(finder), "--force", "-q"]) == 0
    assert sorted(p.name for p in finder.iterdir()) == ["arrays.safetensors", "textmine.json", "words.json"]


def test_a_model_folder_not_ours_is_kept(tmp_path, sample_path, capsys):
    model = tmp_path / "emb" / "model"
    model.mkdir(parents=True)
    (model / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["embed", str(sample_path), "-o", str(tmp_path / "emb"), "--method", "word2vec", "--epochs", "1",
                 "-q"]) == 2
    one_line_error(capsys, str(model), "notes.txt")
    assert (model / "notes.txt").read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize("name", [".", "..", "../elsewhere", "/tmp/x", ""])
def test_a_pipeline_stage_writes_inside_out_dir(tmp_path, sample_path, capsys, name):
    pipeline = tmp_path / "p.toml"
    pipeline.write_text(f'out_dir = "out"\n[corpus]\npaths = ["{sample_path}"]\n'
                        f'[[stages]]\nstage = "words"\nname = "{name}"\n', encoding="utf-8")
    assert main(["run", str(pipeline), "-q"]) == 2
    one_line_error(capsys, "name must be a plain folder name inside out_dir")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.toml"]


# ------------------------------------------------------------------------- pipeline files

@pytest.mark.parametrize("corpus, stage_lines, expected", [
    ('paths = ["SAMPLE"]', 'stage = "words"\nmin_count = "five"',
     "stage 1 (words): min_count must be an integer (or unset), found 'five'"),
    ('paths = ["SAMPLE"]\nfromat = "text"', 'stage = "words"', "[corpus] has unknown keys ['fromat']"),
    ('paths = "SAMPLE"', 'stage = "words"', "paths must be a non-empty list"),
    ('paths = ["SAMPLE"]\ndoc = 3', 'stage = "words"', "[corpus]: doc must be one of 'line', 'file', found 3"),
    ('paths = ["SAMPLE"]', 'stage = "embed"\ndim = 50\nbinary = "yes"', "binary must be true or false"),
])
def test_pipeline_file_mistakes_are_one_line(tmp_path, sample_path, capsys, corpus, stage_lines, expected):
    pipeline = tmp_path / "p.toml"
    pipeline.write_text(f"[corpus]\n{corpus.replace('SAMPLE', str(sample_path))}\n[[stages]]\n{stage_lines}\n",
                        encoding="utf-8")
    assert main(["run", str(pipeline), "-q"]) == 2
    one_line_error(capsys, str(pipeline), expected)


def test_stages_as_a_list_of_names_is_one_line(tmp_path, sample_path, capsys):
    pipeline = tmp_path / "p.toml"
    pipeline.write_text(f'stages = ["words"]\n[corpus]\npaths = ["{sample_path}"]\n', encoding="utf-8")
    assert main(["run", str(pipeline), "-q"]) == 2
    one_line_error(capsys, "stage 1 is 'words', not a table")


# ------------------------------------------------------------------------- full disks and refusals

def _left(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.mark.parametrize("command", [
    ["words", "SAMPLE", "-o", "DISK/w.tsv", "--finder", "DISK/finder"],
    ["terms", "SAMPLE", "-o", "DISK/terms.tsv"],
    ["embed", "SAMPLE", "-o", "DISK/emb", "--method", "word2vec", "--epochs", "1"],
])
def test_a_full_disk_is_one_line_and_leaves_nothing(small_disk, sample_path, capsys, command):
    argv = [a.replace("SAMPLE", str(sample_path)).replace("DISK", str(small_disk)) for a in command]
    assert main([*argv, "-q"]) == 2
    one_line_error(capsys, str(small_disk), "no space left on device")
    assert _left(small_disk) == []


def test_a_full_disk_under_cluster(small_disk, tmp_path, sample_path, capsys):
    vectors = tmp_path / "v.vec"
    assert main(["embed", str(sample_path), "-o", str(tmp_path / "emb"), "--method", "word2vec", "--epochs", "1",
                 "-q"]) == 0
    vectors = tmp_path / "emb" / "words.vec"
    capsys.readouterr()
    assert main(["cluster", str(vectors), "-o", str(small_disk / "clusters"), "-q"]) == 2
    one_line_error(capsys, str(small_disk), "no space left on device")
    assert _left(small_disk) == []


def _fill(disk: Path, leave: int) -> None:
    """Fill ``disk`` up to ``leave`` free bytes, so an output of a few pairs no longer fits."""
    free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
    (disk / "filler").write_bytes(b"x" * max(free - leave, 0))


def test_a_full_disk_under_qa_generate_and_link_predict(small_disk, tmp_path, qa_run, link_run, capsys):
    _fill(small_disk, leave=4096)
    docs = tmp_path / "docs.txt"
    docs.write_text("".join(f"关羽字云长，河东解良人，第{i}回。身长九尺，髯长二尺。\n" for i in range(40)), encoding="utf-8")
    assert main(["qa", "generate", str(docs), "--model", str(qa_run), "-o", str(small_disk / "qa.jsonl"),
                 "--method", "model", "--min-overlap", "0", "--no-round-trip", "-q"]) == 2
    one_line_error(capsys, str(small_disk / "qa.jsonl"), "no space left on device")
    assert _left(small_disk) == ["filler"]
    texts = tmp_path / "texts.txt"
    texts.write_text("".join(f"玄德与云长同在涿郡起兵，第{i}回。\n" for i in range(300)), encoding="utf-8")
    assert main(["link", "predict", str(texts), "--model", str(link_run), "-o", str(small_disk / "links.jsonl"),
                 "-q"]) == 2
    one_line_error(capsys, str(small_disk / "links.jsonl"), "no space left on device")
    assert _left(small_disk) == ["filler"]


def test_outputs_and_manifest_appear_together(tmp_path, sample_path, capsys):
    out = tmp_path / "w.tsv"
    (tmp_path / "w.tsv.manifest.json").mkdir()                       # the manifest cannot be written
    assert main(["words", str(sample_path), "-o", str(out), "-q"]) == 2
    one_line_error(capsys, "w.tsv.manifest.json")
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.tsv.manifest.json"]


def test_a_read_only_place_names_the_output_not_a_temporary(read_only_disk, sample_path, capsys):
    out = read_only_disk / "w.tsv"
    assert main(["words", str(sample_path), "-o", str(out), "-q"]) == 2
    line = one_line_error(capsys, str(out), "read-only file system")
    assert ".tmp" not in line and ".partial" not in line


# ------------------------------------------------------------------------- signals and modes

def _wait_for(condition, seconds=120.0):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the command never got that far"
        time.sleep(0.1)


def test_sigterm_leaves_nothing_behind(tmp_path, sample_lines):
    """The corpus comes from a pipe that stays open, so the command is caught mid-run, its output
    folder made; SIGTERM (``kill``, ``timeout``) must clean up as Ctrl-C does."""
    out = tmp_path / "out"
    proc = _textmine("words", "-", "-o", out / "w.tsv", "--finder", out / "finder", "-q",
                     stdin=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path)
    proc.stdin.write("\n".join(sample_lines[:200]).encode("utf-8") + b"\n")
    proc.stdin.flush()
    _wait_for(out.exists)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signal.SIGTERM
    assert err.decode("utf-8").strip().endswith("terminated")
    assert not out.exists()


def test_sigterm_during_qa_generate_leaves_no_temporary(tmp_path, qa_run):
    out = tmp_path / "out"
    # the model alone streams its input; both (the default) reads it all first for its fluency model
    proc = _textmine("qa", "generate", "-", "--model", qa_run, "--method", "model", "-o", out / "qa.jsonl", "-q",
                     stdin=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path)
    proc.stdin.write("关羽字云长，河东解良人。身长九尺，髯长二尺。\n".encode("utf-8") * 3)
    proc.stdin.flush()
    _wait_for(lambda: any(p.name.endswith(".tmp") for p in out.glob(".*")) if out.exists() else False)
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=60)
    assert proc.returncode == 128 + signal.SIGTERM
    assert not out.exists()


def test_model_files_are_plain_under_umask_022(tmp_path):
    """Every file a training run writes is 0644 and every folder 0755, as ``open`` and ``mkdir``
    would leave them (safetensors alone used to leave model.safetensors 0600)."""
    data = write_jsonl(tmp_path / "train.jsonl", [dict(zip(("passage", "answer", "question"), row))
                                                   for row in PASSAGES])
    run = tmp_path / "run"
    done = subprocess.run([*TEXTMINE, "qa", "train", "--data", str(data), "-o", str(run),
                           "--config", "tiny", "--steps", "2", "--batch-size", "2", "--max-passage", "32", "-q"],
                          preexec_fn=lambda: os.umask(0o022), capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert (run / "model" / "model.safetensors").exists()
    modes = {str(p.relative_to(run)): stat.S_IMODE(p.stat().st_mode) for p in run.rglob("*")}
    assert {p: m for p, m in modes.items() if m != (0o755 if (run / p).is_dir() else 0o644)} == {}


def test_a_rerun_asking_for_an_output_elsewhere_is_not_up_to_date(tmp_path, sample_path):
    """An identical rerun is skipped only when every output it asks for is where it asks: a new
    --finder folder is written, not silently left out."""
    out = tmp_path / "w.tsv"
    assert main(["words", str(sample_path), "-o", str(out), "--finder", str(tmp_path / "fit"), "-q"]) == 0
    assert main(["words", str(sample_path), "-o", str(out), "--finder", str(tmp_path / "fit"), "-q"]) == 0
    assert main(["words", str(sample_path), "-o", str(out), "--finder", str(tmp_path / "other"), "-q"]) == 0
    assert (tmp_path / "other" / "textmine.json").exists()
