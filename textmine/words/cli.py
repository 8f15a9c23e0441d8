"""``textmine words INPUT... -o OUT.tsv`` and ``textmine terms DOMAIN... -o OUT.tsv``.

Both run their stage (:mod:`textmine.words.stage`); the manifest is written beside the output as
``OUT.tsv.manifest.json``. Flags map onto the WordFinder's and TermContraster's arguments, whose
defaults they show.
"""

from __future__ import annotations

import argparse

from textmine.cli import add_common_options, add_corpus_options, corpus_options, run_stage_command, stage_defaults


def _floats(text: str) -> tuple[float, ...]:
    try:
        return tuple(float(x) for x in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated numbers, got {text!r}") from None


def add_finder_options(parser: argparse.ArgumentParser) -> None:
    """The WordFinder's parameters; unset ones take the preset's values (shown for the default preset)."""
    from textmine.words import PRESETS

    defaults = stage_defaults("words")
    preset = PRESETS[defaults["preset"]]
    group = parser.add_argument_group("discovery")
    group.add_argument("--preset", default=defaults["preset"], choices=sorted(PRESETS),
                       help=f"recipe: default (ours), word_discovery or nlp_zero (default {defaults['preset']})")
    group.add_argument("--max-n", type=int, help=f"longest n-gram counted, 1-4 (preset: {preset['max_n']})")
    group.add_argument("--min-count", type=int, help=f"least count of a word (preset: {preset['min_count']})")
    group.add_argument("--min-pmi", type=_floats,
                       help="cohesion thresholds per length (preset: " + ",".join(map(str, preset["min_pmi"])) + ")")
    group.add_argument("--min-entropy", type=float,
                       help=f"least left/right boundary entropy in nats (preset: {preset['min_entropy']})")
    group.add_argument("--redundancy", type=float,
                       help=f"nats a word must save per extra character (preset: {preset['redundancy']})")
    group.add_argument("--threads", type=int, default=defaults["threads"],
                       help="counting threads, or Dask worker processes with --scheduler processes "
                            f"(default {defaults['threads']})")
    group.add_argument("--scheduler", default=defaults["scheduler"],
                       help="where counting runs: local (this process), processes (Dask workers here) or "
                            "tcp://HOST:PORT (a Dask scheduler); all but local need textmine[dask] "
                            f"(default {defaults['scheduler']})")
    group.add_argument("--spill-dir", help="folder for a Dask run's partial tables (default: the temporary "
                                           "folder; workers on other machines must see it at the same path)")


def finder_params(args: argparse.Namespace) -> dict:
    """The finder flags that differ from the WordFinder's defaults (unset ones are left to the preset)."""
    defaults = stage_defaults("words")
    params = dict(preset=args.preset, max_n=args.max_n, min_count=args.min_count, min_pmi=args.min_pmi,
                  min_entropy=args.min_entropy, redundancy=args.redundancy, threads=args.threads,
                  scheduler=args.scheduler, spill_dir=args.spill_dir)
    return {k: v for k, v in params.items() if v is not None and v != defaults[k]}


def _words_parser(parser: argparse.ArgumentParser) -> None:
    parser.description = "Discover new words from character n-gram statistics; write them best first as TSV."
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="files, folders, or - for stdin")
    parser.add_argument("-o", "--output", required=True, help="output TSV (word, freq, pmi, entropies, score)")
    parser.add_argument("--userdict", help="also write a jieba user dictionary here")
    parser.add_argument("--finder", help="also save the fitted finder in this folder (for `terms --finder`)")
    parser.add_argument("--top", type=int, help="keep only the best N words in the TSV")
    add_finder_options(parser)
    add_corpus_options(parser)
    add_common_options(parser)
    parser.set_defaults(run=_run_words)


def _terms_parser(parser: argparse.ArgumentParser) -> None:
    defaults = stage_defaults("terms")
    parser.description = ("Discover words in the domain corpus and rank those that are markedly more frequent "
                          "there than in general language.")
    parser.add_argument("inputs", nargs="+", metavar="DOMAIN", help="domain corpus files or folders, or -")
    parser.add_argument("--general", default=defaults["general"],
                        help="a general corpus path, a frequency list ('word count' lines), or jieba (default)")
    parser.add_argument("-o", "--output", required=True, help="output TSV with every score")
    parser.add_argument("--seeds", help="file of seed terms, one a line: expand them with word2vec instead")
    parser.add_argument("--finder", dest="fitted_finder",
                        help="a folder saved by `words --finder` on the same corpus: reuse it instead of counting again")
    for name, text in [("min_log_ratio", "least log2 frequency ratio"), ("min_g2", "least log-likelihood G2"),
                       ("min_burstiness", "least index of dispersion over documents"),
                       ("min_clause_end", "least clause-ending rate, as a share of the median candidate's "
                                          "(0: keep function words)"),
                       ("ratio_cap", "log2 ratio counted at most this much in the ranking")]:
        parser.add_argument("--" + name.replace("_", "-"), type=float, default=defaults[name],
                            help=f"{text} (default {defaults[name]})")
    parser.add_argument("--min-doc-freq", type=int, default=defaults["min_doc_freq"],
                        help=f"least number of documents (default {defaults['min_doc_freq']})")
    add_finder_options(parser)
    add_corpus_options(parser)
    add_common_options(parser)
    parser.set_defaults(run=_run_terms)


def _run_words(args: argparse.Namespace) -> int:
    files = {}
    if args.userdict:
        files["userdict"] = args.userdict
    if args.finder:
        files["finder"] = args.finder
    params = {**finder_params(args), "top": args.top}
    run_stage_command(args, "words", params, corpus=corpus_options(args.inputs, args), files=files,
                      output=("lexicon", args.output))
    return 0


def _run_terms(args: argparse.Namespace) -> int:
    params = dict(general=args.general, seeds=args.seeds, min_log_ratio=args.min_log_ratio, min_g2=args.min_g2,
                  min_burstiness=args.min_burstiness, min_clause_end=args.min_clause_end, ratio_cap=args.ratio_cap,
                  min_doc_freq=args.min_doc_freq, finder=finder_params(args) or None)
    artifacts = {"finder": args.fitted_finder} if args.fitted_finder else None
    run_stage_command(args, "terms", params, corpus=corpus_options(args.inputs, args), artifacts=artifacts,
                      output=("terms", args.output))
    return 0


COMMANDS = {"words": ("discover new words in raw text", _words_parser),
            "terms": ("domain terms: a domain corpus against a general reference", _terms_parser)}
