import json

import pytest

from textmine.atomic import atomic_dir_file, atomic_open, write_json


def test_atomic_open_publishes_only_on_success(tmp_path):
    target = tmp_path / "out" / "words.tsv"
    with atomic_open(target) as handle:
        handle.write("玄德\t12\n")
        assert not target.exists()
    assert target.read_text(encoding="utf-8") == "玄德\t12\n"


def test_atomic_open_leaves_nothing_after_failure(tmp_path):
    target = tmp_path / "words.tsv"
    target.write_text("old result\n", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with atomic_open(target) as handle:
            handle.write("half")
            raise RuntimeError("crash mid-write")
    assert target.read_text(encoding="utf-8") == "old result\n"
    assert [p.name for p in tmp_path.iterdir()] == ["words.tsv"]


def test_atomic_dir_file_removes_temp_on_failure(tmp_path):
    target = tmp_path / "vectors.npy"
    with pytest.raises(ValueError):
        with atomic_dir_file(target) as tmp:
            tmp.write_bytes(b"partial")
            raise ValueError("boom")
    assert list(tmp_path.iterdir()) == []


def test_write_json_is_sorted_utf8(tmp_path):
    path = tmp_path / "m.json"
    write_json(path, {"b": 1, "a": "曹操"})
    text = path.read_text(encoding="utf-8")
    assert "曹操" in text and text.index('"a"') < text.index('"b"')
    assert json.loads(text) == {"a": "曹操", "b": 1}


def test_outputs_get_the_mode_a_plain_open_would_give(tmp_path):
    import os
    import stat

    old = os.umask(0o022)
    try:
        fresh, kept, array = tmp_path / "fresh.tsv", tmp_path / "kept.tsv", tmp_path / "a.npy"
        with atomic_open(fresh) as handle:
            handle.write("x\n")
        kept.write_text("old\n", encoding="utf-8")
        kept.chmod(0o664)
        with atomic_open(kept) as handle:
            handle.write("new\n")
        with atomic_dir_file(array) as tmp:
            tmp.write_bytes(b"\x93NUMPY")
        mode = lambda p: stat.S_IMODE(p.stat().st_mode)  # noqa: E731
        assert (mode(fresh), mode(kept), mode(array)) == (0o644, 0o664, 0o644)
    finally:
        os.umask(old)
