import logging

import textmine
from textmine import manifest
from textmine.manifest import fingerprint, is_fresh, read_manifest, write_manifest
from textmine.stage import Stage, StageResult, run_stage, stages


def test_fresh_only_for_same_params_inputs_and_outputs(tmp_path):
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("天下大势，分久必合\n", encoding="utf-8")
    out = tmp_path / "stage"
    (out).mkdir()
    (out / "words.tsv").write_text("x\n", encoding="utf-8")
    inputs = fingerprint([corpus])
    write_manifest(out, "words", {"max_n": 4, "seed": 0}, inputs, {"lexicon": "words.tsv"}, seconds=1.0)

    assert read_manifest(out)["outputs"] == {"lexicon": "words.tsv"}
    assert is_fresh(out, "words", {"max_n": 4, "seed": 0}, inputs)
    assert not is_fresh(out, "words", {"max_n": 5, "seed": 0}, inputs)
    assert not is_fresh(out, "terms", {"max_n": 4, "seed": 0}, inputs)

    corpus.write_text("合久必分\n", encoding="utf-8")
    assert not is_fresh(out, "words", {"max_n": 4, "seed": 0}, fingerprint([corpus]))

    (out / "words.tsv").unlink()
    assert not is_fresh(out, "words", {"max_n": 4, "seed": 0}, inputs)


def test_fingerprint_walks_folders(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "1.txt").write_text("一", encoding="utf-8")
    (tmp_path / "a" / "2.txt").write_text("二", encoding="utf-8")
    prints = fingerprint([tmp_path / "a"])
    assert len(prints) == 2 and len(set(prints.values())) == 2


def test_missing_manifest_is_not_fresh(tmp_path):
    assert read_manifest(tmp_path) is None
    assert not is_fresh(tmp_path, "words", {}, {})


class _Shout:
    def __init__(self, times: int = 1, seed: int = 0):
        self.times = times


class _ShoutTwice(_Shout):
    def __init__(self, times: int = 2, seed: int = 0):
        super().__init__(times, seed)


def _shout_stage(estimator) -> Stage:
    def run(ctx, **params):
        text = "".join(ctx.open_corpus())[:4] * estimator(**params).times
        ctx.path("shouted", "shout.txt").write_text(text, encoding="utf-8")
        return StageResult(outputs={"shouted": "shout.txt"})
    return Stage("shout", run, makes=("shouted",), estimator=estimator)


def test_a_result_made_with_other_defaults_or_by_another_version_is_made_again(tmp_path, sample_path, monkeypatch,
                                                                               caplog):
    """A parameter left out of a pipeline means "the default": an output made when the default was
    another, or by another textmine version, is not today's result, though its parameters match."""
    def run(estimator):
        monkeypatch.setitem(stages(), "shout", _shout_stage(estimator))
        return run_stage("shout", {}, out_dir=tmp_path / "out", corpus={"paths": [str(sample_path)]})

    assert not run(_Shout).skipped
    assert run(_Shout).skipped
    with caplog.at_level(logging.WARNING, logger="textmine.stage"):
        again = run(_ShoutTwice)
    assert not again.skipped and "the defaults of times have changed" in caplog.text
    assert (tmp_path / "out" / "shout.txt").read_text(encoding="utf-8") == sample_path.read_text(encoding="utf-8")[:4] * 2
    assert run(_ShoutTwice).skipped

    monkeypatch.setattr(manifest, "__version__", "99.0")
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="textmine.stage"):
        assert not run(_ShoutTwice).skipped
    assert f"textmine {textmine.__version__} made it, this is 99.0" in caplog.text
    assert read_manifest(tmp_path / "out")["textmine_version"] == "99.0"
