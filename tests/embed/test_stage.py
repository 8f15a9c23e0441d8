import json

import pytest
from gensim.models import KeyedVectors

from textmine.cli import main
from textmine.errors import InputError
from textmine.stage import run_stage


def _embed(tmp_path, lines, **params):
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return run_stage("embed", params, out_dir=tmp_path / "out", corpus={"paths": [str(corpus)]}, progress=False)


def test_cli_embed_neighbors_and_evaluate(tmp_path, sample_path, capsys):
    out = tmp_path / "vec"
    assert main(["embed", "--method", "jose", str(sample_path), "-o", str(out), "--tokenizer", "chars",
                 "--dim", "16", "--epochs", "2", "--workers", "1", "-q"]) == 0
    words = KeyedVectors.load_word2vec_format(str(out / "words.vec"))
    docs = KeyedVectors.load_word2vec_format(str(out / "docs.vec"))
    assert "曹" in words.key_to_index and len(docs) > 100
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["stage"] == "embed" and manifest["outputs"] == {"vectors": "words.vec", "doc_vectors": "docs.vec"}
    capsys.readouterr()
    assert main(["neighbors", str(out / "words.vec"), "曹", "-n", "3"]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith("曹\t") and line.count(":") == 3
    assert main(["neighbors", str(out / "words.vec"), "不存在的词"]) == 2
    assert main(["evaluate-vectors", str(out / "words.vec"), "-q"]) == 0
    assert "wordsim353_spearman" in capsys.readouterr().out


def test_minent_stage_writes_only_word_vectors(tmp_path, sample_lines):
    done = _embed(tmp_path, sample_lines[:200], method="minent", dim=16, epochs=2, tokenizer="chars", binary=True)
    assert done.result.outputs == {"vectors": "words.bin"}
    assert KeyedVectors.load_word2vec_format(str(tmp_path / "out" / "words.bin"), binary=True).vector_size == 16
    assert done.result.summary


def test_unknown_method_foreign_parameter_and_empty_corpus(tmp_path):
    with pytest.raises(InputError, match="method"):
        _embed(tmp_path, ["a b"], method="glove")
    with pytest.raises(InputError, match="margin: not parameters of the word2vec method"):
        _embed(tmp_path, ["a b"], method="word2vec", margin=0.2)
    (tmp_path / "corpus.txt").unlink()
    (tmp_path / "blank.txt").write_text("   \n\n", encoding="utf-8")
    with pytest.raises(InputError, match="empty"):
        run_stage("embed", {"tokenizer": "whitespace"}, out_dir=tmp_path / "out",
                  corpus={"paths": [str(tmp_path / "blank.txt")]}, progress=False)
    assert not list((tmp_path / "out").iterdir())


def test_cli_refuses_zero_workers_for_every_method(tmp_path, sample_path, capsys):
    for method in ("jose", "minent", "word2vec"):
        assert main(["embed", str(sample_path), "-o", str(tmp_path / method), "--method", method,
                     "--workers", "0", "-q"]) == 2
        assert "workers must be a positive number" in capsys.readouterr().err
