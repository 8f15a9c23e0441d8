import json
import shutil
from pathlib import Path

from textmine.cli import main
from textmine.manifest import read_manifest
from textmine.words import content_words

ROOT = Path(__file__).resolve().parent.parent


def test_demo_pipeline_runs_then_skips(tmp_path, capsys):
    shutil.copytree(ROOT / "pipelines", tmp_path / "pipelines")
    shutil.copytree(ROOT / "data", tmp_path / "data")
    pipeline = tmp_path / "pipelines" / "demo.toml"

    assert main(["run", str(pipeline), "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert "== words ==" in printed and "玄德" in printed and "== terms ==" in printed
    assert "== embed ==" in printed and "== cluster ==" in printed and "module 0" in printed
    assert "== topics ==" in printed and "8 topics (given)" in printed
    assert (tmp_path / "out" / "demo" / "topics" / "topics.html").is_file()
    cluster_dir = tmp_path / "out" / "demo" / "cluster"
    page = (cluster_dir / "clusters.html").read_text(encoding="utf-8")
    rows = (cluster_dir / "clusters.tsv").read_text(encoding="utf-8").splitlines()[1:]
    clustered = [row.split("\t")[0] for row in rows]
    central = clustered[0]
    # the terms stage's content words only: no particle, pronoun or punctuation
    assert set(clustered) <= content_words(tmp_path / "out" / "demo" / "terms" / "terms.tsv")
    assert not {"之", "与", "吾", "。", "，"} & set(clustered)
    assert "clusters.png" in page and f"<td>{central} " in page  # module 0's central member
    assert (cluster_dir / "clusters.png").read_bytes()[:4] == b"\x89PNG"

    words_dir = tmp_path / "out" / "demo" / "words"
    manifest = read_manifest(words_dir)
    assert manifest["stage"] == "words" and manifest["counts"]["words"] > 100
    assert (words_dir / "words.tsv").read_text(encoding="utf-8").startswith("word\tfreq")
    assert json.loads((tmp_path / "out" / "demo" / "terms" / "manifest.json").read_text())["outputs"] == \
        {"terms": "terms.tsv"}

    stamp = (words_dir / "words.tsv").stat().st_mtime_ns
    assert main(["run", str(pipeline), "--quiet"]) == 0
    assert "== words ==" not in capsys.readouterr().out  # up to date: skipped
    assert (words_dir / "words.tsv").stat().st_mtime_ns == stamp
