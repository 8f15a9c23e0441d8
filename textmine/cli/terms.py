"""``textmine terms DOMAIN... --general REF -o OUT.tsv``: domain terms against a general reference."""

from __future__ import annotations

import argparse

from textmine.cli import add_common_options, add_corpus_options, corpus_from_args
from textmine.cli.words import add_finder_options, finder_params


def register(subparsers) -> None:
    parser = subparsers.add_parser("terms", help="domain terms: a domain corpus against a general reference",
                                   description="Discover words in the domain corpus and rank those that are "
                                               "markedly more frequent there than in general language.")
    parser.add_argument("inputs", nargs="+", metavar="DOMAIN", help="domain corpus files or folders, or -")
    parser.add_argument("--general", default="jieba",
                        help="a general corpus path, a frequency list ('word count' lines), or jieba (default)")
    parser.add_argument("-o", "--output", required=True, help="output TSV with every score")
    parser.add_argument("--seeds", help="file of seed terms, one a line: expand them with word2vec instead")
    parser.add_argument("--min-log-ratio", type=float, default=2.0, help="least log2 frequency ratio (default 2)")
    parser.add_argument("--min-g2", type=float, default=10.83, help="least log-likelihood G2 (default 10.83)")
    parser.add_argument("--min-doc-freq", type=int, default=2, help="least number of documents (default 2)")
    add_finder_options(parser)
    add_corpus_options(parser)
    add_common_options(parser)
    parser.set_defaults(run=_run)


def _read_seeds(path: str) -> list[str]:
    from textmine.corpus import open_corpus

    return [line.strip() for line in open_corpus(path) if line.strip()]


def _run(args: argparse.Namespace) -> int:
    from textmine.words.contrast import TermContraster, write_terms_tsv

    seeds = _read_seeds(args.seeds) if args.seeds else None
    contraster = TermContraster(args.general, finder={k: v for k, v in finder_params(args).items() if v is not None},
                                min_g2=args.min_g2, min_log_ratio=args.min_log_ratio,
                                min_doc_freq=args.min_doc_freq, seed=args.seed, progress=not args.quiet)
    contraster.fit(corpus_from_args(args.inputs, args), seeds=seeds)
    write_terms_tsv(contraster.terms_, args.output)
    kept = contraster.kept_terms_
    print(f"{len(kept)} terms of {len(contraster.terms_)} candidates -> {args.output}")
    for record in kept[:10]:
        print(f"  {record.term}\t{record.domain_freq}\tG2={record.g2}\tlog2ratio={record.log_ratio}")
    return 0
