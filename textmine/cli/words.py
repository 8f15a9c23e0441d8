"""``textmine words INPUT... -o OUT.tsv``: discover new words in raw text."""

from __future__ import annotations

import argparse

from textmine.cli import add_common_options, add_corpus_options, corpus_from_args


def _floats(text: str) -> tuple[float, ...]:
    try:
        return tuple(float(x) for x in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated numbers, got {text!r}") from None


def add_finder_options(parser: argparse.ArgumentParser) -> None:
    """The WordFinder's parameters; unset ones take the preset's values."""
    from textmine.words import PRESETS

    group = parser.add_argument_group("discovery")
    group.add_argument("--preset", default="default", choices=sorted(PRESETS),
                       help="recipe: default (ours), word_discovery or nlp_zero")
    group.add_argument("--max-n", type=int, help="longest n-gram counted, 1-4 (preset: 4)")
    group.add_argument("--min-count", type=int, help="least count of a word (preset: 8)")
    group.add_argument("--min-pmi", type=_floats, help="cohesion thresholds per length, e.g. 0,2,4,6")
    group.add_argument("--min-entropy", type=float, help="least left/right boundary entropy in nats")


def finder_params(args: argparse.Namespace) -> dict:
    return dict(preset=args.preset, max_n=args.max_n, min_count=args.min_count, min_pmi=args.min_pmi,
                min_entropy=args.min_entropy)


def register(subparsers) -> None:
    parser = subparsers.add_parser("words", help="discover new words in raw text",
                                   description="Discover new words from character n-gram statistics; "
                                               "write them best first as TSV.")
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="files, folders, or - for stdin")
    parser.add_argument("-o", "--output", required=True, help="output TSV (word, freq, pmi, entropies, score)")
    parser.add_argument("--userdict", help="also write a jieba user dictionary here")
    parser.add_argument("--top", type=int, help="keep only the best N words in the TSV")
    add_finder_options(parser)
    add_corpus_options(parser)
    add_common_options(parser)
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    from textmine.words import WordFinder

    corpus = corpus_from_args(args.inputs, args)
    finder = WordFinder(**finder_params(args), progress=not args.quiet).fit(corpus)
    finder.to_tsv(args.output, top=args.top)
    print(f"{len(finder.words_)} words -> {args.output}")
    if args.userdict:
        finder.to_userdict(args.userdict)
        print(f"jieba user dictionary -> {args.userdict}")
    for record in finder.words_[:10]:
        print(f"  {record.word}\t{record.freq}\t{record.score}")
    return 0
