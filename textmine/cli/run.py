"""``textmine run PIPELINE.toml``: run a pipeline file stage by stage."""

from __future__ import annotations

import argparse

from textmine.cli import add_common_options


def _run_parser(parser: argparse.ArgumentParser) -> None:
    parser.description = "Run every stage of a TOML pipeline file; stages whose outputs are up to date are skipped."
    parser.add_argument("pipeline", help="pipeline TOML file")
    add_common_options(parser)
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    from textmine.pipeline import run_pipeline

    def report(stage: str, summary: str) -> None:
        print(f"== {stage} ==\n{summary.rstrip()}\n")

    artifacts = run_pipeline(args.pipeline, seed=args.seed, progress=not args.quiet,
                             force=args.force, report=report)
    for name, path in artifacts.items():
        print(f"{name}: {path}")
    return 0


COMMANDS = {"run": ("run a pipeline file (see pipelines/demo.toml)", _run_parser)}
