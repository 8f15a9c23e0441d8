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
    assert manifest["stage"] == "embed" and manifest["outputs"] == {"vectors": "words.vec", "doc_vectors": "docs.vec",
                                                                    "embed_model": "model"}
    capsys.readouterr()
    assert main(["neighbors", str(out / "words.vec"), "曹", "-n", "3"]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith("曹\t") and line.count(":") == 3
    assert main(["neighbors", str(out / "words.vec"), "不存在的词"]) == 2
    assert main(["evaluate-vectors", str(out / "words.vec"), "-q"]) == 0
    assert "wordsim353_spearman" in capsys.readouterr().out


def test_minent_stage_writes_only_word_vectors(tmp_path, sample_lines):
    done = _embed(tmp_path, sample_lines[:200], method="minent", dim=16, epochs=2, tokenizer="chars", binary=True)
    assert done.result.outputs == {"vectors": "words.bin", "embed_model": "model"}
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
    assert not (tmp_path / "out").exists()  # the folder the failed run made is gone


def test_cli_refuses_zero_workers_for_every_method(tmp_path, sample_path, capsys):
    for method in ("jose", "minent", "word2vec"):
        assert main(["embed", str(sample_path), "-o", str(tmp_path / method), "--method", method,
                     "--workers", "0", "-q"]) == 2
        assert "workers must be a positive number" in capsys.readouterr().err


def test_embed_infer_folds_new_documents_into_the_stage_model(tmp_path, sample_lines, capsys):
    import numpy as np

    from textmine.embed import JoSE

    lines = [line for line in sample_lines if line.strip()]
    train, new = tmp_path / "train.txt", tmp_path / "new.txt"
    train.write_text("\n".join(lines[:80]) + "\n", encoding="utf-8")
    new.write_text("\n".join(lines[80:90]) + "\n\n", encoding="utf-8")    # a blank line is skipped
    out = tmp_path / "e"
    assert main(["embed", str(train), "-o", str(out), "--tokenizer", "chars", "--dim", "16", "--epochs", "2",
                 "--workers", "1", "-q"]) == 0
    argv = ["embed", "infer", "--model", str(out), str(new), "-o", str(tmp_path / "new.vec"), "--seed", "3", "-q"]
    assert main(argv) == 0
    vectors = KeyedVectors.load_word2vec_format(str(tmp_path / "new.vec"))
    assert vectors.index_to_key == [str(i) for i in range(10)]
    model = JoSE.load(out / "model")
    docs = [[ch for ch in line if not ch.isspace()] for line in lines[80:90]]   # the model's tokenizer: chars
    np.testing.assert_allclose(vectors.vectors, model.infer_vectors(docs, seed=3), atol=1e-6)
    capsys.readouterr()
    assert main(argv) == 0 and "up to date" in capsys.readouterr().out
    assert main(["neighbors", str(out), "曹", "-n", "3"]) == 0
    assert capsys.readouterr().out.startswith("曹\t")
    minent = tmp_path / "m"
    assert main(["embed", str(train), "-o", str(minent), "--method", "minent", "--tokenizer", "chars", "--dim", "8",
                 "--epochs", "1", "--workers", "1", "-q"]) == 0
    capsys.readouterr()
    assert main(["embed", "infer", "--model", str(minent), str(new), "-o", str(tmp_path / "x.vec"), "-q"]) == 2
    assert "only JoSE models" in capsys.readouterr().err and not (tmp_path / "x.vec").exists()
    assert main(["embed", "infer", "--model", str(tmp_path), str(new), "-o", str(tmp_path / "x.vec"), "-q"]) == 2
    assert "not a saved embedding model" in capsys.readouterr().err


def test_embed_infer_in_a_pipeline_takes_the_embed_stage_model(tmp_path, sample_lines):
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("\n".join(sample_lines[:60]) + "\n", encoding="utf-8")
    first = run_stage("embed", {"tokenizer": "chars", "dim": 8, "epochs": 1, "workers": 1}, out_dir=tmp_path / "e",
                      corpus={"paths": [str(corpus)]}, progress=False)
    done = run_stage("embed_infer", {}, out_dir=tmp_path / "i", corpus={"paths": [str(corpus)]},
                     artifacts={"embed_model": first.outputs["embed_model"]}, progress=False)
    assert KeyedVectors.load_word2vec_format(str(done.outputs["doc_vectors"])).vector_size == 8
    with pytest.raises(InputError, match="needs a model"):
        run_stage("embed_infer", {}, out_dir=tmp_path / "j", corpus={"paths": [str(corpus)]}, progress=False)
