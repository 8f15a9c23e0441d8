"""A pipeline where the VAE's sentence codes feed the cluster stage; a rerun is skipped."""

from pathlib import Path

from textmine.embed import read_vectors
from textmine.manifest import read_manifest
from textmine.pipeline import load_pipeline, run_pipeline

ROOT = Path(__file__).resolve().parents[2]


def test_sentence_codes_feed_the_cluster_stage(tmp_path, sample_path):
    lines = sample_path.read_text(encoding="utf-8").splitlines()[:40]
    corpus = tmp_path / "sample.txt"
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    pipeline = tmp_path / "vae.toml"
    pipeline.write_text(f"""out_dir = "out"
[corpus]
paths = ["{corpus.name}"]
[[stages]]
stage = "vae_train"
split = true
latent = 8
hidden = 32
embed = 16
steps = 20
batch_size = 16
[[stages]]
stage = "vae"
split = true
[[stages]]
stage = "cluster"
k = 5
min_sim = 0.0
""", encoding="utf-8")
    artifacts = run_pipeline(pipeline, progress=False)
    keys, vectors = read_vectors(artifacts["vectors"])
    assert vectors.shape[1] == 8 and len(keys) > 40 and all("." in k for k in keys)       # chapter.sentence
    assert artifacts["clusters"].is_file()
    assert read_manifest(tmp_path / "out" / "vae")["counts"]["sentences"] == len(keys)
    stamp = artifacts["vectors"].stat().st_mtime_ns
    run_pipeline(pipeline, progress=False)
    assert artifacts["vectors"].stat().st_mtime_ns == stamp                              # up to date: skipped


def test_the_shipped_pipeline_file_checks(tmp_path):
    spec = load_pipeline(ROOT / "pipelines" / "vae.toml")
    assert [t["stage"] for t in spec["stages"]] == ["vae_train", "vae", "cluster"]
