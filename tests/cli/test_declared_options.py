"""A parameter is written once, in its estimator: the CLI, the pipeline check and the manifest follow."""

import argparse
import inspect
import json

import pytest

from textmine.cli.options import add_stage_options, parameter_docs
from textmine.errors import InputError
from textmine.pipeline import load_pipeline
from textmine.stage import Stage, StageResult, run_stage, stages


class Echo:
    """A toy estimator.

    Parameters
    ----------
    times : int
        How often each document is repeated.
    mark : {"!", "?"}
        What ends the output.
    loud : bool
        Upper-case the output.
    """

    def __init__(self, times: int = 1, *, mark: str = "!", loud: bool = False, seed: int = 0):
        self.times, self.mark, self.loud = times, mark, loud


class EchoWithOneMore(Echo):
    """Echo after a developer added a parameter (and documented it, nothing else).

    Parameters
    ----------
    width : float
        A new setting.
    """

    def __init__(self, times: int = 1, *, mark: str = "!", loud: bool = False, width: float = 0.5, seed: int = 0):
        super().__init__(times, mark=mark, loud=loud, seed=seed)
        self.width = width


def _echo(ctx, *, first: int | None = None, **params):
    echo = EchoWithOneMore(**params, seed=ctx.seed)
    text = "".join(list(ctx.open_corpus())[:first]) * echo.times + echo.mark
    ctx.path("echoed", "echo.txt").write_text(text, encoding="utf-8")
    return StageResult(outputs={"echoed": "echo.txt"})


@pytest.fixture
def echo_stage(monkeypatch):
    monkeypatch.setitem(stages(), "echo", Stage("echo", _echo, makes=("echoed",), estimator=EchoWithOneMore))


def test_a_new_estimator_parameter_reaches_help_pipeline_check_and_manifest(echo_stage, tmp_path, sample_path):
    parser = argparse.ArgumentParser()
    params = add_stage_options(parser, "echo")
    shown = parser.format_help()
    assert "--width WIDTH" in shown and "A new setting. (default 0.5)" in shown
    assert "--mark {!,?}" in shown and "--loud" in shown and "--first FIRST" in shown

    args = parser.parse_args(["--width", "0.75", "--times", "2"])
    assert params(args) == {"first": None, "times": 2, "mark": "!", "loud": False, "width": 0.75}
    with pytest.raises(SystemExit):
        parser.parse_args(["--width", "wide"])

    pipeline = tmp_path / "p.toml"
    pipeline.write_text(f'[corpus]\npaths = ["{sample_path}"]\n[[stages]]\nstage = "echo"\nwidth = "wide"\n',
                        encoding="utf-8")
    with pytest.raises(InputError, match="stage 1 \\(echo\\): width must be a number, found 'wide'"):
        load_pipeline(pipeline)

    done = run_stage("echo", params(args), out_dir=tmp_path / "out", corpus={"paths": [str(sample_path)]})
    recorded = json.loads(done.manifest.read_text(encoding="utf-8"))["params"]
    assert recorded["width"] == 0.75 and recorded["times"] == 2


def test_numpydoc_entries_give_types_and_help():
    docs = parameter_docs(EchoWithOneMore, Echo)
    assert docs["width"] == ("float", "A new setting.")
    assert docs["mark"] == ('{"!", "?"}', "What ends the output.")
    assert docs["times"] == ("int", "How often each document is repeated.")


def test_every_parameter_of_every_stage_is_an_option_with_its_default():
    """Walk every stage: each parameter is on its command line (unless the command sets it or
    declares it hidden) under its own default; nothing is listed twice by hand."""
    from textmine.cli import build_parser
    from textmine.cli.options import DECLARED

    build_parser()                                                   # every command, as --help builds it
    for name, st in stages().items():
        assert name in DECLARED, f"stage {name} has no command built from its declaration"
        for parser, left_out in DECLARED[name]:
            options = {a.dest: a for a in parser._actions}
            for param, declared in st.parameters().items():
                if param in left_out:
                    continue
                assert param in options, f"{name}: {param} is not an option"
                default = declared.default
                expected = list(default) if isinstance(default, tuple) else default
                if default is inspect.Parameter.empty:
                    assert options[param].required, f"{name}: {param} has no default but is not required"
                elif not options[param].required:
                    assert options[param].default == expected, f"{name}: {param} defaults differently"


def _commands(parser: argparse.ArgumentParser, path=()):
    """(command path, parser) for every subcommand, nested ones included."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield (*path, name), sub
                yield from _commands(sub, (*path, name))


def test_every_corpus_option_comes_from_open_corpus_with_its_default():
    """One schema: each keyword of open_corpus is an option of every command that reads a corpus."""
    from textmine.cli import build_parser
    from textmine.corpus import open_corpus

    declared = {n: p.default for n, p in inspect.signature(open_corpus).parameters.items() if n != "paths"}
    readers = {" ".join(path): sub for path, sub in _commands(build_parser())
               if any(g.title == "reading the input" for g in sub._action_groups)}
    assert {"words", "terms", "embed", "embed-infer", "run", "qa generate", "link predict", "vae train"} <= set(readers)
    for command, sub in readers.items():
        options = {a.dest: a.default for g in sub._action_groups if g.title == "reading the input"
                   for a in g._group_actions}
        assert options == declared, command


def test_a_corpus_value_outside_the_declared_choices_is_one_line(tmp_path, sample_path, capsys):
    from textmine.cli import main

    pipeline = tmp_path / "p.toml"
    pipeline.write_text(f'[corpus]\npaths = ["{sample_path}"]\nformat = "txt"\n[[stages]]\nstage = "words"\n',
                        encoding="utf-8")
    assert main(["run", str(pipeline), "-q"]) == 2
    assert capsys.readouterr().err == (f"textmine run: error: {pipeline}: [corpus]: format must be one of 'auto', "
                                       "'text', 'jsonl', 'csv', 'tsv', found 'txt'\n")
    with pytest.raises(SystemExit):
        main(["words", str(sample_path), "-o", str(tmp_path / "w.tsv"), "--doc", "page"])
    assert "argument --doc: invalid choice: 'page'" in capsys.readouterr().err
