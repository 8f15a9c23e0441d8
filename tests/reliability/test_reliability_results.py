"""Issue 29: results that were silently wrong now refuse or warn, where a user meets them (the CLI).

Real components on parts of the bundled sample: jieba and the word finder, gensim word2vec
vectors of its characters, infomap. The "other corpus" is another part of the sample.
"""

import json
import shutil
import logging

import numpy as np
import pytest

from textmine.cli import main
from textmine.errors import InputError


@pytest.fixture(scope="module")
def parts(sample_lines, tmp_path_factory):
    """Two corpora cut from the sample: ``other`` (the first chapters) and ``small`` (later ones)."""
    folder = tmp_path_factory.mktemp("parts")
    other, small = folder / "other.txt", folder / "small.txt"
    other.write_text("\n".join(sample_lines[:200]) + "\n", encoding="utf-8")
    small.write_text("\n".join(sample_lines[300:450]) + "\n", encoding="utf-8")
    return other, small


@pytest.fixture(scope="module")
def finder(parts):
    """A finder saved by `words --finder` on the other corpus."""
    other, _ = parts
    folder = other.parent / "fit"
    assert main(["words", str(other), "-o", str(other.parent / "w.tsv"), "--finder", str(folder), "-q"]) == 0
    return folder


@pytest.fixture(scope="module")
def vectors(sample_path, tmp_path_factory):
    """Real word2vec vectors of the sample's characters, with the embed stage's folder around them."""
    out = tmp_path_factory.mktemp("embed") / "emb"
    assert main(["embed", str(sample_path), "-o", str(out), "--method", "word2vec", "--tokenizer", "chars",
                 "--min-count", "3", "--epochs", "1", "-q"]) == 0
    return out / "words.vec"


def _count(vec):
    return int(vec.read_text(encoding="utf-8").split(maxsplit=1)[0])


def _warnings(caplog):
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]


# 1. a finder counted on another corpus

def test_terms_refuses_a_finder_fitted_on_another_corpus(parts, finder, tmp_path, capsys):
    _, small = parts
    out = tmp_path / "t.tsv"
    assert main(["terms", str(small), "-o", str(out), "--finder", str(finder), "-q"]) == 2
    err = [line for line in capsys.readouterr().err.splitlines() if "error:" in line]
    assert len(err) == 1
    assert "counted another corpus (" in err[0] and "other.txt" in err[0] and "small.txt" in err[0]
    assert "--finder" in err[0] and not out.exists()


def test_the_same_corpus_elsewhere_is_accepted_and_an_old_finder_warns(parts, finder, tmp_path, caplog):
    other, _ = parts
    moved = tmp_path / "moved.txt"
    moved.write_bytes(other.read_bytes())                 # same text under another name: same counts
    assert main(["terms", str(moved), "-o", str(tmp_path / "t.tsv"), "--finder", str(finder), "-q"]) == 0
    assert not any("finder" in w for w in _warnings(caplog))
    old = tmp_path / "old"
    shutil.copytree(finder, old)
    meta = json.loads((finder / "textmine.json").read_text(encoding="utf-8"))
    assert meta["state"]["corpus"]["files"][0][0] == str(other) and meta["textmine_version"]
    meta["state"]["corpus"] = None                        # a finder fitted on an iterable records no corpus
    (old / "textmine.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    caplog.clear()
    assert main(["terms", str(other), "-o", str(tmp_path / "t2.tsv"), "--finder", str(old), "-q"]) == 0
    assert any("does not record which corpus it counted" in w for w in _warnings(caplog))


def test_a_finder_fitted_with_older_defaults_is_not_reused(parts, finder, tmp_path, caplog):
    """A finder saved before a default changed records what it was fitted with (pairs at 2.0 nats,
    no neighbour test); today's presets must not vouch for it: its words are not taken for the
    default's, the corpus is counted again, and a warning says why."""
    other, _ = parts
    old = tmp_path / "old"
    shutil.copytree(finder, old)
    meta = json.loads((finder / "textmine.json").read_text(encoding="utf-8"))
    resolved = meta["state"]["resolved"]
    assert resolved["min_pmi"] == [0.0, 1.5, 4.0, 6.0] and resolved["min_neighbours"] == 2
    resolved["min_pmi"] = [0.0, 2.0, 4.0, 6.0]
    del resolved["min_neighbours"]
    (old / "textmine.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    assert main(["terms", str(other), "-o", str(tmp_path / "reused.tsv"), "--finder", str(finder), "-q"]) == 0
    assert not any("older textmine" in w for w in _warnings(caplog))
    assert main(["terms", str(other), "-o", str(tmp_path / "t.tsv"), "--finder", str(old), "-q"]) == 0
    assert any("older textmine with other defaults" in w and str(old) in w for w in _warnings(caplog))
    assert (tmp_path / "t.tsv").read_bytes() == (tmp_path / "reused.tsv").read_bytes()
    from textmine.words import TermContraster, WordFinder

    with pytest.raises(InputError, match="older textmine with other defaults"):
        TermContraster().fit(other.read_text(encoding="utf-8").splitlines(), finder=WordFinder.load(old))


def test_terms_refuses_the_same_files_read_with_other_options(parts, finder, tmp_path, capsys):
    other, _ = parts
    assert main(["terms", str(other), "--doc", "file", "-o", str(tmp_path / "t.tsv"), "--finder", str(finder),
                 "-q"]) == 2
    err = capsys.readouterr().err
    assert "same files read with other options" in err and "doc 'line' there, 'file' here" in err


# 2. how many vectors are clustered

def test_cluster_takes_every_vector_by_default(vectors, tmp_path, capsys, caplog):
    from textmine.embed import read_vectors, save_vectors, to_keyed_vectors

    names, rows = read_vectors(vectors)                   # more than the 10,000 once kept silently:
    rows = rows[:, :16]
    rng = np.random.default_rng(0)                        # the real vectors and noisy copies of them
    copies = 1 + 10_000 // len(names)
    many = to_keyed_vectors([f"{n}#{c}" for c in range(copies + 1) for n in names],
                            np.vstack([rows] + [rows + 0.1 * rng.normal(size=rows.shape) for _ in range(copies)]))
    big = save_vectors(many, tmp_path / "big.vec")
    assert len(many) > 10_000
    assert main(["cluster", str(big), "-o", str(tmp_path / "c"), "--k", "5", "--trials", "1", "-q"]) == 0
    assert capsys.readouterr().out.startswith(f"{len(many)} items,")
    assert not any("left out" in w for w in _warnings(caplog))


def test_cluster_warns_with_both_counts_when_top_words_cuts(vectors, tmp_path, capsys, caplog):
    assert main(["cluster", str(vectors), "-o", str(tmp_path / "c"), "--top-words", "300", "--k", "5",
                 "--trials", "1", "-q"]) == 0
    assert capsys.readouterr().out.startswith("300 items,")
    total = _count(vectors)
    assert any(f"first 300 of {total} vectors" in w and f"{total - 300} left out" in w for w in _warnings(caplog))


def test_cluster_reports_nan_and_zero_rows_on_the_terminal(vectors, tmp_path, capsys, caplog):
    lines = vectors.read_text(encoding="utf-8").splitlines()
    dim = int(lines[0].split()[1])
    broken = lines[1].split()[0], lines[2].split()[0]
    lines[1] = broken[0] + " nan" + " 0.5" * (dim - 1)
    lines[2] = broken[1] + " 0" * dim
    bad = tmp_path / "bad.vec"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["cluster", str(bad), "-o", str(tmp_path / "c"), "--top-words", "200", "--k", "5",
                 "--trials", "1", "-q"]) == 0
    assert capsys.readouterr().out.startswith("198 items,")
    dropped = [w for w in _warnings(caplog) if "dropped 2 of 200 vectors" in w]
    assert dropped and "1 with NaN" in dropped[0] and "1 all zero" in dropped[0] and broken[0] in dropped[0]


# 3. a graph of another item set

def test_graph_of_another_top_words_names_the_option(vectors, tmp_path, capsys, caplog):
    first = tmp_path / "a"
    assert main(["cluster", str(vectors), "-o", str(first), "--top-words", "300", "--k", "5", "--trials", "1",
                 "-q"]) == 0
    graph = str(first / "graph.npz")
    capsys.readouterr()
    assert main(["cluster", str(vectors), "-o", str(tmp_path / "b"), "--graph", graph, "--top-words", "400",
                 "-q"]) == 2
    err = [line for line in capsys.readouterr().err.splitlines() if "error:" in line]
    assert len(err) == 1 and "pass --top-words 300" in err[0] and "links 300 items, not these 400" in err[0]
    # left unset, --top-words is the graph's own, as its k and min-sim are
    assert main(["cluster", str(vectors), "-o", str(tmp_path / "c"), "--graph", graph, "--trials", "2", "-q"]) == 0
    assert capsys.readouterr().out.startswith("300 items,")


def test_graph_saved_without_its_top_words_still_names_the_fix(vectors, tmp_path, capsys):
    from textmine.cluster import InfomapClusterer, load_items

    graph = tmp_path / "graph.npz"
    InfomapClusterer(k=5, trials=1).fit(load_items(vectors, top=250)).graph_.save(graph)
    assert main(["cluster", str(vectors), "-o", str(tmp_path / "b"), "--graph", str(graph), "-q"]) == 2
    assert "pass --top-words 250" in capsys.readouterr().err


# 4. a path of the wrong kind

def test_model_folder_or_embed_folder_given_as_vectors(vectors, tmp_path, capsys):
    assert main(["cluster", str(vectors.parent / "model"), "-o", str(tmp_path / "c"), "-q"]) == 2
    err = [line for line in capsys.readouterr().err.splitlines() if "error:" in line]
    assert len(err) == 1 and "is a saved embedding model folder, not a vector file" in err[0]
    assert str(vectors) in err[0]
    assert main(["cluster", str(vectors.parent), "-o", str(tmp_path / "c"), "-q"]) == 2
    assert "is an embed output folder, not a vector file" in capsys.readouterr().err


def test_vector_file_or_folder_given_as_graph(vectors, tmp_path, capsys):
    assert main(["cluster", str(vectors), "-o", str(tmp_path / "c"), "--graph", str(vectors), "-q"]) == 2
    err = [line for line in capsys.readouterr().err.splitlines() if "error:" in line]
    assert len(err) == 1 and "is a vector file (word2vec format), not a graph" in err[0] and "pickle" not in err[0]
    assert main(["cluster", str(vectors), "-o", str(tmp_path / "c"), "--graph", str(tmp_path), "-q"]) == 2
    assert "is a folder, not a graph file" in capsys.readouterr().err


# 5. absurd values

def test_cluster_k_above_the_items_is_clamped_with_a_warning(vectors, tmp_path, capsys, caplog):
    assert main(["cluster", str(vectors), "-o", str(tmp_path / "c"), "--top-words", "100", "--k", "100000000",
                 "--trials", "1", "--workers", "100000", "-q"]) == 0
    warned = _warnings(caplog)
    assert any("k 100000000 is not below the number of items (100)" in w and "using k 99" in w for w in warned)
    assert any("workers 100000 is more than the" in w for w in warned)
    from textmine.cluster.graph import KnnGraph

    assert KnnGraph.load(tmp_path / "c" / "graph.npz").params["k"] == 99


def test_knn_graph_warns_python_users_too(caplog):
    from textmine.cluster.graph import knn_graph

    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(20, 4)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    graph = knn_graph(vectors, k=10**8, min_sim=-1)
    assert graph.params["k"] == 19 and any("using k 19" in w for w in _warnings(caplog))


def test_words_threads_above_the_cores_are_capped_with_a_note(parts, tmp_path, caplog):
    _, small = parts
    out = tmp_path / "w.tsv"
    assert main(["words", str(small), "-o", str(out), "--threads", "100000", "-q"]) == 0
    assert any("threads 100000 is more than the" in w for w in _warnings(caplog))
    assert out.read_text(encoding="utf-8").count("\n") > 10


def test_min_count_no_word_can_reach_is_said(parts, tmp_path, capsys, caplog):
    _, small = parts
    assert main(["words", str(small), "-o", str(tmp_path / "w.tsv"), "--min-count", "1000000000000", "-q"]) == 0
    assert capsys.readouterr().out.startswith("0 words")
    said = [w for w in _warnings(caplog) if "min_count 1000000000000 is above the largest count" in w]
    assert said and "no word can pass" in said[0]
    caplog.clear()
    assert main(["terms", str(small), "-o", str(tmp_path / "t.tsv"), "--min-count", "1000000000000", "-q"]) == 2
    assert "no candidate words" in capsys.readouterr().err
    assert any("no word can pass" in w for w in _warnings(caplog))


def test_word_finder_says_it_to_python_users(sample_lines, caplog):
    from textmine.words import WordFinder

    finder = WordFinder(min_count=10**12, threads=100000).fit(sample_lines[:50])
    assert finder.words_ == []
    warned = _warnings(caplog)
    assert any("no word can pass" in w for w in warned) and any("threads 100000" in w for w in warned)


def test_embed_workers_above_the_cores_are_capped_and_min_count_refused(parts, tmp_path, capsys, caplog):
    _, small = parts
    out = tmp_path / "e"
    assert main(["embed", str(small), "-o", str(out), "--method", "word2vec", "--tokenizer", "chars",
                 "--epochs", "1", "--workers", "100000", "-q"]) == 0        # was: RuntimeError, no thread
    assert any("workers 100000 is more than the" in w for w in _warnings(caplog))
    assert (out / "words.vec").is_file()
    assert main(["embed", str(small), "-o", str(tmp_path / "e2"), "--method", "word2vec", "--tokenizer", "chars",
                 "--min-count", "1000000000000", "-q"]) == 2
    assert "min_count=1000000000000" in capsys.readouterr().err
