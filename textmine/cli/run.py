"""``textmine run PIPELINE.toml [INPUTS...] [-o OUT_DIR] [--set STAGE.KEY=VALUE ...]``: run a
pipeline file stage by stage, on its own corpus or on the inputs given."""

from __future__ import annotations

import argparse

from textmine.cli import add_common_options, add_corpus_options, corpus_options


def _run_parser(parser: argparse.ArgumentParser) -> None:
    parser.description = ("Run every stage of a TOML pipeline file; stages whose outputs are up to date are skipped. "
                          "INPUTS (read with the options below) replace the file's [corpus], -o its out_dir, "
                          "and --set any stage parameter, so a ready pipeline runs on your text unedited.")
    parser.add_argument("pipeline", help="pipeline TOML file")
    parser.add_argument("inputs", nargs="*", metavar="INPUTS", help="files or folders to run on instead of [corpus]")
    parser.add_argument("-o", "--out-dir", help="folder for the stages' outputs instead of the file's out_dir")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="STAGE.KEY=VALUE",
                        help="set one stage parameter (VALUE in TOML: 50, 0.5, true, \"text\"); repeatable")
    add_corpus_options(parser)
    add_common_options(parser)
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    from textmine.pipeline import run_pipeline

    def report(stage: str, summary: str) -> None:
        print(f"== {stage} ==\n{summary.rstrip()}\n")

    corpus = corpus_options(args.inputs, args) if args.inputs else None
    artifacts = run_pipeline(args.pipeline, corpus=corpus, out_dir=args.out_dir, overrides=args.overrides,
                             seed=args.seed, progress=not args.quiet, force=args.force, report=report)
    for name, path in artifacts.items():
        print(f"{name}: {path}")
    return 0


COMMANDS = {"run": ("run a pipeline file (see pipelines/demo.toml)", _run_parser)}
