"""``textmine embed``, ``textmine neighbors``, ``textmine evaluate-vectors``: train, query, score vectors."""

from __future__ import annotations

import argparse
import json

from textmine.cli import add_common_options, add_corpus_options, corpus_options, run_stage_command, stage_defaults


def _method_defaults(name: str) -> str:
    """``name``'s default in each method, for parameters the methods default differently."""
    import inspect

    from textmine.embed.methods import METHODS

    return ", ".join(f"{m} {inspect.signature(cls).parameters[name].default}" for m, cls in METHODS.items()
                     if name in inspect.signature(cls).parameters)


def register(subparsers) -> None:
    from textmine.embed.methods import METHODS

    defaults = stage_defaults("embed")
    parser = subparsers.add_parser("embed", help="train word (and document) vectors",
                                   description="Train JoSE, minimum-entropy or word2vec vectors; write "
                                               "DIR/words.vec (DIR/docs.vec for JoSE) and DIR/manifest.json.")
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="files, folders, or - for stdin")
    parser.add_argument("-o", "--out-dir", required=True, help="output folder")
    parser.add_argument("--method", default=defaults["method"], choices=list(METHODS),
                        help="default %(default)s")
    for name, kind, text in [("dim", int, "dimensions"), ("epochs", int, "passes"), ("lr", float, "learning rate"),
                             ("negative", int, "negative samples"), ("workers", int, "CPU threads")]:
        parser.add_argument("--" + name, type=kind, default=defaults[name],
                            help=f"{text} (default: the method's: {_method_defaults(name)})")
    parser.add_argument("--window", type=int, default=defaults["window"], help="context window (default %(default)s)")
    parser.add_argument("--min-count", type=int, default=defaults["min_count"],
                        help="least count of a word (default %(default)s)")
    parser.add_argument("--tokenizer", default=defaults["tokenizer"], choices=["jieba", "chars", "whitespace"],
                        help="jieba, single characters, or whitespace for pre-segmented text (default %(default)s)")
    parser.add_argument("--userdict", help="jieba user dictionary, e.g. from `textmine words --userdict`")
    parser.add_argument("--binary", action="store_true", help="write binary word2vec files (.bin)")
    add_corpus_options(parser)
    add_common_options(parser)
    parser.set_defaults(run=_run_embed)

    parser = subparsers.add_parser("neighbors", help="nearest words of a vector file",
                                   description="Print the nearest words (cosine) of each WORD.")
    parser.add_argument("vectors", help="word2vec text (.vec) or binary (.bin) file")
    parser.add_argument("words", nargs="+", metavar="WORD")
    parser.add_argument("-n", "--topn", type=int, default=10)
    add_common_options(parser, stage=False)
    parser.set_defaults(run=_run_neighbors)

    parser = subparsers.add_parser("evaluate-vectors", help="score a vector file (Cilin, WordSim353, SimLex)",
                                   description="Cilin synonym AUC and P@10, WordSim353/SimLex Spearman as JSON.")
    parser.add_argument("vectors", help="word2vec text (.vec) or binary (.bin) file")
    add_common_options(parser, stage=False)
    parser.set_defaults(run=_run_evaluate)


def _run_embed(args: argparse.Namespace) -> int:
    params = dict(method=args.method, dim=args.dim, window=args.window, min_count=args.min_count,
                  epochs=args.epochs, lr=args.lr, negative=args.negative, tokenizer=args.tokenizer,
                  userdict=args.userdict, workers=args.workers, binary=args.binary)
    done = run_stage_command(args, "embed", params, out_dir=args.out_dir, corpus=corpus_options(args.inputs, args))
    for name, path in done.outputs.items():
        print(f"{name}: {path}")
    return 0


def _run_neighbors(args: argparse.Namespace) -> int:
    from textmine.embed import load_vectors
    from textmine.errors import InputError

    if args.topn < 1:
        raise InputError(f"-n must be at least 1, got {args.topn}")
    kv = load_vectors(args.vectors)
    missing = [w for w in args.words if w not in kv.key_to_index]
    if missing:
        raise InputError(f"not in {args.vectors}: {' '.join(missing)}")
    for word in args.words:
        print(f"{word}\t" + " ".join(f"{w}:{s:.3f}" for w, s in kv.most_similar(word, topn=args.topn)))
    return 0


def _run_evaluate(args: argparse.Namespace) -> int:
    from textmine.embed import load_vectors
    from textmine.embed.evaluate import evaluate_vectors

    print(json.dumps(evaluate_vectors(load_vectors(args.vectors), seed=args.seed), indent=2))
    return 0
