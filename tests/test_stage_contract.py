"""The stage contract: declarations found by package, CLI defaults from the one source, manifests
written and honoured by every subcommand, fingerprints limited to what a stage reads."""

import argparse
import inspect

import numpy as np
import pytest

from textmine.cli import build_parser, main
from textmine.manifest import read_manifest
from textmine.stage import get_stage, run_stage, stages


def _subparser(command: str, *rest: str) -> argparse.ArgumentParser:
    parser = build_parser()
    for name in (command, *rest):
        action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        parser = action.choices[name]
    return parser


def test_every_stage_is_declared_in_its_own_package():
    found = stages()
    assert {"words", "terms", "embed", "cluster", "qa_train", "qa"} <= set(found)
    for name, st in found.items():
        package = st.run.__module__.split(".")[1]
        assert st.run.__module__ == f"textmine.{package}.stage", name


# (stage, subcommand path, CLI dest -> stage parameter for flags whose name differs)
CLI_STAGES = [("words", ("words",), {}), ("terms", ("terms",), {}), ("embed", ("embed",), {}),
              ("cluster", ("cluster",), {}), ("qa_train", ("qa", "train"), {"model": "bert_dir"}),
              ("qa", ("qa", "generate"), {})]


@pytest.mark.parametrize("stage_name,command,renamed", CLI_STAGES)
def test_cli_defaults_are_the_stage_and_constructor_defaults(stage_name, command, renamed):
    st = get_stage(stage_name)
    defaults = st.defaults()
    parser = _subparser(*command)
    compared = 0
    for action in parser._actions:
        name = renamed.get(action.dest, action.dest)
        if name in defaults and action.default is not argparse.SUPPRESS and not action.required:
            assert action.default == defaults[name], f"{stage_name} --{action.dest}"
            compared += 1
    assert compared >= 2
    classes = st.estimators()
    for cls in classes:
        for name, param in inspect.signature(cls).parameters.items():
            if name in defaults and defaults[name] is not None:
                assert param.default == defaults[name], f"{cls.__name__}.{name}"


def test_words_help_shows_the_default_presets_values(capsys):
    from textmine.words import PRESETS

    with pytest.raises(SystemExit):
        main(["words", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert f"least count of a kept n-gram and of a word. (unset: the preset's; default preset: {PRESETS['default']['min_count']})" in text


def _vectors(path, n=60, dim=8, seed=0):
    from textmine.embed import save_vectors, to_keyed_vectors

    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(3, dim))
    rows = centres[np.arange(n) % 3] + 0.05 * rng.normal(size=(n, dim))
    save_vectors(to_keyed_vectors([f"w{i}" for i in range(n)], rows), path)
    return path


def _run_twice(argv, capsys):
    assert main(argv) == 0
    capsys.readouterr()
    assert main(argv) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("command", ["words", "terms", "embed", "cluster", "qa train", "qa generate"])
def test_every_stage_subcommand_writes_a_manifest_and_skips_an_identical_rerun(command, tmp_path, sample_lines,
                                                                                qa_pair_file, capsys):
    corpus = tmp_path / "c.txt"
    corpus.write_text("\n".join(sample_lines[:40]) + "\n", encoding="utf-8")
    argv = {
        "words": ["words", str(corpus), "-o", str(tmp_path / "w.tsv"), "-q"],
        "terms": ["terms", str(corpus), "-o", str(tmp_path / "t.tsv"), "-q"],
        "embed": ["embed", str(corpus), "-o", str(tmp_path / "e"), "--tokenizer", "chars", "--dim", "8",
                  "--epochs", "1", "--workers", "1", "-q"],
        "cluster": ["cluster", str(_vectors(tmp_path / "v.vec")), "-o", str(tmp_path / "k"), "--k", "5", "-q"],
        "qa train": ["qa", "train", "--data", str(qa_pair_file), "--config", "tiny", "-o", str(tmp_path / "run"),
                     "--steps", "2", "--batch-size", "2", "--max-passage", "24", "-q"],
        "qa generate": ["qa", "generate", str(corpus), "--model", str(tmp_path / "run"), "-o",
                        str(tmp_path / "qa.jsonl"), "--pairs", "1", "-q"],
    }[command]
    if command == "qa generate":
        assert main(argv[:0] + ["qa", "train", "--data", str(qa_pair_file), "--config", "tiny", "-o", str(tmp_path / "run"),
                                "--steps", "2", "--batch-size", "2", "--max-passage", "24", "-q"]) == 0
        corpus.write_text("关羽字云长，河东解良人。\n刘备字玄德。\n", encoding="utf-8")
    out = _run_twice(argv, capsys)
    assert "up to date" in out
    manifests = list(tmp_path.rglob("*manifest.json"))
    stage_name = {"qa train": "qa_train", "qa generate": "qa"}.get(command, command)
    assert any(read_manifest(m)["stage"] == stage_name for m in manifests)
    assert main(argv + ["--force"]) == 0 and "up to date" not in capsys.readouterr().out


def test_changed_input_reruns_a_subcommand(tmp_path, sample_lines, capsys):
    corpus = tmp_path / "c.txt"
    corpus.write_text("\n".join(sample_lines[:30]) + "\n", encoding="utf-8")
    argv = ["words", str(corpus), "-o", str(tmp_path / "w.tsv"), "-q"]
    _run_twice(argv, capsys)
    corpus.write_text("\n".join(sample_lines[:31]) + "\n", encoding="utf-8")
    assert main(argv) == 0 and "up to date" not in capsys.readouterr().out


def test_a_words_then_terms_pipeline_counts_the_corpus_once(tmp_path, sample_path, monkeypatch):
    import textmine.words.finder as finder_module

    calls = []
    real = finder_module.count_ngrams
    monkeypatch.setattr(finder_module, "count_ngrams", lambda *a, **k: calls.append(1) or real(*a, **k))
    corpus = {"paths": [str(sample_path)]}
    words = run_stage("words", {}, out_dir=tmp_path / "words", corpus=corpus, progress=False)
    terms = run_stage("terms", {}, out_dir=tmp_path / "terms", corpus=corpus, artifacts=words.outputs, progress=False)
    assert len(calls) == 1
    # the same as the terms stage alone, which counts anew with the same (default) settings
    alone = run_stage("terms", {}, out_dir=tmp_path / "alone", corpus=corpus, progress=False)
    assert len(calls) == 2
    assert terms.outputs["terms"].read_text(encoding="utf-8") == alone.outputs["terms"].read_text(encoding="utf-8")
    # terms settings of their own that differ from the words stage's: count anew
    run_stage("terms", {"finder": {"min_count": 9}}, out_dir=tmp_path / "other", corpus=corpus,
              artifacts=words.outputs, progress=False)
    assert len(calls) == 3


def test_saved_finder_round_trips(tmp_path, sample_lines):
    from textmine.words import WordFinder

    finder = WordFinder(min_count=4).fit(sample_lines[:120])
    loaded = WordFinder.load(finder.save(tmp_path / "f"))
    assert loaded.words_ == finder.words_ and loaded.lexicon_ == finder.lexicon_
    assert loaded.resolved_params() == finder.resolved_params() and loaded.get_params() == finder.get_params()
    for word in ("玄德", "曹", "天下"):
        assert loaded.counts_.count(word) == finder.counts_.count(word)


def test_a_stage_reruns_only_when_what_it_reads_changes(tmp_path, sample_path):
    pipeline = tmp_path / "p.toml"
    text = (f'out_dir = "out"\n[corpus]\npaths = ["{sample_path}"]\n'
            '[[stages]]\nstage = "words"\n[[stages]]\nstage = "terms"\nmin_g2 = {g2}\n'
            '[[stages]]\nstage = "embed"\ntokenizer = "chars"\ndim = 8\nepochs = 1\nworkers = 1\n'
            '[[stages]]\nstage = "cluster"\ntop_words = 200\nk = 10\n')
    from textmine.pipeline import run_pipeline

    ran = []
    pipeline.write_text(text.replace("{g2}", "10.83"), encoding="utf-8")
    run_pipeline(pipeline, progress=False, report=lambda name, summary: ran.append(name))
    assert ran == ["words", "terms", "embed", "cluster"]
    ran.clear()
    pipeline.write_text(text.replace("{g2}", "20.0"), encoding="utf-8")
    run_pipeline(pipeline, progress=False, report=lambda name, summary: ran.append(name))
    assert ran == ["terms"]  # embed reads the corpus (and a userdict only with jieba), cluster the vectors


def test_an_artifact_used_on_request_reaches_the_stage_only_when_asked_for():
    cluster = get_stage("cluster")
    assert cluster.reads("vectors", {}) and not cluster.reads("terms", {}) and not cluster.reads("lexicon", {})
    assert cluster.reads("terms", {"content_words": True}) and get_stage("topics").reads("userdict", {})


def test_a_list_of_files_is_resolved_checked_and_fingerprinted_file_by_file(tmp_path):
    from textmine.errors import InputError
    from textmine.pipeline import load_pipeline

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text("刘备字玄德。\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("曹操字孟德。\n", encoding="utf-8")
    pipeline = tmp_path / "p.toml"
    text = ('[corpus]\npaths = ["b.txt"]\n'
            '[[stages]]\nstage = "qa_train"\ndata = "insurance:train"\ndocuments = ["docs", "{second}"]\n')
    pipeline.write_text(text.replace("{second}", "b.txt"), encoding="utf-8")
    table = load_pipeline(pipeline)["stages"][0]
    assert table["documents"] == [str(tmp_path / "docs"), str(tmp_path / "b.txt")]
    assert get_stage("qa_train").named_files(table) == {"documents[0]": str(tmp_path / "docs"),
                                                        "documents[1]": str(tmp_path / "b.txt")}
    pipeline.write_text(text.replace("{second}", "missing.txt"), encoding="utf-8")
    with pytest.raises(InputError, match=r"documents\[1\] .*missing.txt does not exist"):
        load_pipeline(pipeline)


def test_progress_is_off_by_default_in_every_class_that_takes_it():
    """One default for one idea: a library call is quiet unless asked (as scikit-learn's
    ``verbose=0``); stages pass ``progress`` from their context, so the CLI shows bars unless --quiet."""
    from textmine.neural import Trainer
    from textmine.persist import Saved

    def subclasses(cls):
        return {cls, *(s for sub in cls.__subclasses__() for s in subclasses(sub))}

    classes = {cls for st in stages().values() for cls in st.estimators()} | subclasses(Saved) | {Trainer}
    taking = {cls.__name__: inspect.signature(cls).parameters["progress"].default for cls in classes
              if "progress" in inspect.signature(cls).parameters}
    assert {"JoSE", "MinEntropy", "Word2Vec", "WordFinder", "QAGenerator", "EntityLinker", "Trainer"} <= set(taking)
    assert set(taking.values()) == {False}, taking
