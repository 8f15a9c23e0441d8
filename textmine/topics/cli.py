"""``textmine topics INPUTS... -o DIR [--k N]``: documents into labelled topics."""

from __future__ import annotations

import argparse

from textmine.cli import add_common_options, add_corpus_options, corpus_options, run_stage_command
from textmine.cli.options import add_stage_options


def _topics_parser(parser: argparse.ArgumentParser) -> None:
    parser.description = ("Group documents into topics labelled by their distinctive words; write doc_topics.tsv, "
                          "topics.tsv, topics.json, topics.html, model/ and manifest.json into DIR. Without --k the number "
                          "of topics is chosen from the data.")
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="files, folders, or - for stdin")
    parser.add_argument("-o", "--out-dir", required=True, help="output folder")
    params = add_stage_options(parser, "topics")
    add_corpus_options(parser)
    add_common_options(parser)
    parser.set_defaults(run=_run, params=params)


def _run(args: argparse.Namespace) -> int:
    done = run_stage_command(args, "topics", args.params(args), out_dir=args.out_dir,
                             corpus=corpus_options(args.inputs, args))
    print(f"outputs in {args.out_dir}: {', '.join(p.name for p in done.outputs.values())}")
    return 0


COMMANDS = {"topics": ("documents into labelled topics, the number chosen from the data or given", _topics_parser)}
