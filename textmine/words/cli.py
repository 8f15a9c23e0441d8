"""``textmine words INPUT... -o OUT.tsv`` and ``textmine terms DOMAIN... -o OUT.tsv``.

Both run their stage (:mod:`textmine.words.stage`); the manifest is written beside the output as
``OUT.tsv.manifest.json``. The options are the stages' declared parameters
(:mod:`textmine.cli.options`): the WordFinder's and TermContraster's arguments, with their defaults.
"""

from __future__ import annotations

import argparse
from typing import Callable

from textmine.cli import add_common_options, add_corpus_options, corpus_options, run_stage_command, stage_defaults
from textmine.cli.options import add_stage_options


def add_finder_options(parser: argparse.ArgumentParser, *, exclude=()) -> Callable[[argparse.Namespace], dict]:
    """The WordFinder's parameters as options in a group of their own; unset ones take the preset's
    values (shown for the default preset). Returns ``params(args)``."""
    from textmine.words import PRESETS

    preset = PRESETS[stage_defaults("words")["preset"]]
    unset = {name: f"the preset's; default preset: {_shown(value)}" for name, value in preset.items()}
    return add_stage_options(parser.add_argument_group("discovery"), "words", exclude=exclude, unset=unset)


def _shown(value) -> str:
    return ",".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)


def finder_params(args: argparse.Namespace) -> dict:
    """The finder options that differ from the WordFinder's defaults (unset ones are left to the preset)."""
    defaults = stage_defaults("words")
    return {k: v for k, v in args.finder_params(args).items() if v is not None and v != defaults.get(k)}


def _words_parser(parser: argparse.ArgumentParser) -> None:
    parser.description = "Discover new words from character n-gram statistics; write them best first as TSV."
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="files, folders, or - for stdin")
    parser.add_argument("-o", "--output", required=True, help="output TSV (word, freq, pmi, entropies, score)")
    parser.add_argument("--userdict", help="also write a jieba user dictionary here")
    parser.add_argument("--finder", help="also save the fitted finder in this folder (for `terms --finder`)")
    params = add_finder_options(parser)
    add_corpus_options(parser)
    add_common_options(parser)
    parser.set_defaults(run=_run_words, finder_params=params)


def _terms_parser(parser: argparse.ArgumentParser) -> None:
    parser.description = ("Discover words in the domain corpus and rank those that are markedly more frequent "
                          "there than in general language.")
    parser.add_argument("inputs", nargs="+", metavar="DOMAIN", help="domain corpus files or folders, or -")
    parser.add_argument("-o", "--output", required=True, help="output TSV with every score")
    parser.add_argument("--finder", dest="fitted_finder",
                        help="a folder saved by `words --finder` on the same corpus: reuse it instead of counting again")
    params = add_stage_options(parser, "terms", exclude=("finder",), help={
        "general": "a general corpus path, a frequency list ('word count' lines), or jieba (default)",
        "seeds": "file of seed terms, one a line: expand them with word2vec instead"})
    finder = add_finder_options(parser, exclude=("top", "show"))     # the words the terms are chosen from
    add_corpus_options(parser)
    add_common_options(parser)
    parser.set_defaults(run=_run_terms, params=params, finder_params=finder)


def _run_words(args: argparse.Namespace) -> int:
    files = {}
    if args.userdict:
        files["userdict"] = args.userdict
    if args.finder:
        files["finder"] = args.finder
    params = {**finder_params(args), "top": args.top, "show": args.show}
    run_stage_command(args, "words", params, corpus=corpus_options(args.inputs, args), files=files,
                      output=("lexicon", args.output))
    return 0


def _run_terms(args: argparse.Namespace) -> int:
    params = {**args.params(args), "finder": finder_params(args) or None}
    artifacts = {"finder": args.fitted_finder} if args.fitted_finder else None
    run_stage_command(args, "terms", params, corpus=corpus_options(args.inputs, args), artifacts=artifacts,
                      output=("terms", args.output))
    return 0


COMMANDS = {"words": ("discover new words in raw text", _words_parser),
            "terms": ("domain terms: a domain corpus against a general reference", _terms_parser)}
