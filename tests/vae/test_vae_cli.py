"""The vae subcommands end to end, in-process: train, encode (read by cluster), evaluate, decode."""

import json

import numpy as np
import pytest

from textmine.cli import main
from textmine.embed import read_vectors


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory, questions):
    root = tmp_path_factory.mktemp("vae-cli")
    (root / "train.txt").write_text("\n".join(questions) + "\n", encoding="utf-8")
    args = ["vae", "train", str(root / "train.txt"), "-o", str(root / "run"), "--latent", "8", "--hidden", "32",
            "--steps", "30", "--batch-size", "16", "--max-len", "40", "-q"]
    assert main(args) == 0
    return root


def test_train_writes_a_run_folder_with_a_manifest_and_skips_a_rerun(cli_run, capsys):
    run = cli_run / "run"
    assert (run / "model" / "textmine.json").is_file() and (run / "checkpoint" / "state.json").is_file()
    assert json.loads((run / "manifest.json").read_text(encoding="utf-8"))["stage"] == "vae_train"
    capsys.readouterr()
    assert main(["vae", "train", str(cli_run / "train.txt"), "-o", str(run), "--latent", "8", "--hidden", "32",
                 "--steps", "30", "--batch-size", "16", "--max-len", "40", "-q"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_encode_writes_vectors_keyed_by_line_that_cluster_reads(cli_run, held_out, tmp_path):
    docs = tmp_path / "docs.txt"
    docs.write_text("\n".join(held_out[:30]) + "\n", encoding="utf-8")
    out = tmp_path / "codes.vec"
    assert main(["vae", "encode", str(docs), "--model", str(cli_run / "run"), "-o", str(out), "-q"]) == 0
    keys, vectors = read_vectors(out)
    assert keys == [str(i) for i in range(30)] and vectors.shape == (30, 8)
    assert (tmp_path / "codes.vec.manifest.json").is_file()
    assert main(["cluster", str(out), "-o", str(tmp_path / "clusters"), "--k", "5", "--min-sim", "0", "-q"]) == 0
    assert (tmp_path / "clusters" / "clusters.tsv").is_file()
    npy = tmp_path / "codes.npy"
    assert main(["vae", "encode", str(docs), "--model", str(cli_run / "run"), "-o", str(npy), "-q"]) == 0
    assert np.allclose(np.load(npy), vectors, atol=1e-5)
    assert (tmp_path / "codes.keys").read_text(encoding="utf-8").split() == keys


def test_evaluate_writes_json_and_png(cli_run, held_out, tmp_path, capsys):
    docs = tmp_path / "held.txt"
    docs.write_text("\n".join(held_out) + "\n", encoding="utf-8")
    out, png = tmp_path / "m.json", tmp_path / "m.png"
    assert main(["vae", "evaluate", str(docs), "--model", str(cli_run / "run"), "--json", str(out), "--png", str(png),
                 "--iw-samples", "3", "-q"]) == 0
    metrics = json.loads(out.read_text(encoding="utf-8"))
    assert {"nll", "iw_nll", "kl", "mi", "au", "ppl", "latent"} <= set(metrics) and metrics["latent"] == 8
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    capsys.readouterr()
    assert main(["vae", "evaluate", str(docs), "--model", str(cli_run / "run"), "--iw-samples", "3", "-q"]) == 0
    assert "iw_nll" in capsys.readouterr().out


def test_decoding_commands_print_sentences_and_seeds_repeat(cli_run, held_out, capsys):
    model = ["--model", str(cli_run / "run"), "-q"]
    assert main(["vae", "sample", "-n", "3", "--seed", "4", *model]) == 0
    first = capsys.readouterr().out
    assert main(["vae", "sample", "-n", "3", "--seed", "4", *model]) == 0
    assert capsys.readouterr().out == first and len(first.splitlines()) == 3
    assert main(["vae", "interpolate", held_out[0], held_out[1], "--steps", "4", "--beam", "2", *model]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 4
    assert main(["vae", "similar", held_out[0], "-n", "2", "--radius", "2", *model]) == 0
    assert main(["vae", "reconstruct", held_out[0], *model]) == 0


def test_bad_inputs_exit_2_and_leave_no_output(cli_run, tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n", encoding="utf-8")
    assert main(["vae", "train", str(empty), "-o", str(tmp_path / "run"), "-q"]) == 2
    assert "error:" in capsys.readouterr().err
    assert not (tmp_path / "run" / "model").exists() and not (tmp_path / "run" / "manifest.json").exists()
    assert main(["vae", "train", str(cli_run / "train.txt"), "-o", str(tmp_path / "r2"), "--gamma", "9", "-q"]) == 2
    assert "gamma=9.0" in capsys.readouterr().err
    out = tmp_path / "codes.vec"
    assert main(["vae", "encode", str(cli_run / "train.txt"), "--model", str(cli_run), "-o", str(out), "-q"]) == 2
    assert "is not a saved TextVAE model" in capsys.readouterr().err and not out.exists()
