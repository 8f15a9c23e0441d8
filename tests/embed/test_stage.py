import json

import pytest
from gensim.models import KeyedVectors

from textmine.cli import main
from textmine.embed.stage import train_vectors
from textmine.errors import InputError


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
    result = train_vectors(sample_lines[:200], tmp_path, method="minent", dim=16, epochs=2, tokenizer="chars",
                           progress=False, binary=True)
    assert result.outputs == {"vectors": "words.bin"}
    assert KeyedVectors.load_word2vec_format(str(tmp_path / "words.bin"), binary=True).vector_size == 16
    assert result.summary


def test_unknown_method_and_empty_corpus(tmp_path):
    with pytest.raises(InputError, match="method"):
        train_vectors(["a b"], tmp_path, method="glove")
    with pytest.raises(InputError, match="empty"):
        train_vectors(["   ", ""], tmp_path, tokenizer="whitespace", progress=False)
    assert not list(tmp_path.iterdir())
