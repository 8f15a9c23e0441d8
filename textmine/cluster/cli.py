"""``textmine cluster VECTORS.vec -o DIR``: InfoMap clusters of word or document vectors."""

from __future__ import annotations

import argparse

from textmine.cli import add_common_options, run_stage_command
from textmine.cli.options import add_stage_options


def _cluster_parser(parser: argparse.ArgumentParser) -> None:
    parser.description = ("Build a kNN graph of the vectors and cluster it with InfoMap; write clusters.tsv, "
                          "hierarchy.json, clusters.png, clusters.html, graph.npz and manifest.json into DIR.")
    parser.add_argument("vectors", help="word2vec-format vector file (text or binary)")
    parser.add_argument("-o", "--out-dir", required=True, help="output folder")
    parser.add_argument("--terms", help="a terms stage's terms.tsv, for --content-words")
    params = add_stage_options(parser, "cluster")
    add_common_options(parser)
    parser.set_defaults(run=_run, params=params)


def _run(args: argparse.Namespace) -> int:
    done = run_stage_command(args, "cluster", args.params(args), out_dir=args.out_dir,
                             artifacts={"vectors": args.vectors, **({"terms": args.terms} if args.terms else {})})
    print(f"outputs in {args.out_dir}: {', '.join(p.name for p in done.outputs.values())}")
    return 0


COMMANDS = {"cluster": ("InfoMap clusters of word or document vectors", _cluster_parser)}
