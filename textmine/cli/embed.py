"""``textmine embed``, ``textmine neighbors``, ``textmine evaluate-vectors``: train, query, score vectors."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from textmine.cli import add_common_options, add_corpus_options, corpus_from_args


def register(subparsers) -> None:
    parser = subparsers.add_parser("embed", help="train word (and document) vectors",
                                   description="Train JoSE, minimum-entropy or word2vec vectors; write "
                                               "DIR/words.vec (DIR/docs.vec for JoSE) and DIR/manifest.json.")
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="files, folders, or - for stdin")
    parser.add_argument("-o", "--out-dir", required=True, help="output folder")
    parser.add_argument("--method", default="jose", choices=["jose", "minent", "word2vec"])
    parser.add_argument("--dim", type=int, default=100, help="dimensions (default 100)")
    parser.add_argument("--window", type=int, default=5, help="context window (default 5)")
    parser.add_argument("--min-count", type=int, default=5, help="least count of a word (default 5)")
    parser.add_argument("--epochs", type=int, help="passes (default: JoSE 10, others 5)")
    parser.add_argument("--tokenizer", default="jieba", choices=["jieba", "chars", "whitespace"],
                        help="jieba, single characters, or whitespace for pre-segmented text")
    parser.add_argument("--userdict", help="jieba user dictionary, e.g. from `textmine words --userdict`")
    parser.add_argument("--workers", type=int, help="CPU threads (default: all)")
    parser.add_argument("--binary", action="store_true", help="write binary word2vec files (.bin)")
    add_corpus_options(parser)
    add_common_options(parser)
    parser.set_defaults(run=_run_embed)

    parser = subparsers.add_parser("neighbors", help="nearest words of a vector file",
                                   description="Print the nearest words (cosine) of each WORD.")
    parser.add_argument("vectors", help="word2vec text (.vec) or binary (.bin) file")
    parser.add_argument("words", nargs="+", metavar="WORD")
    parser.add_argument("-n", "--topn", type=int, default=10)
    add_common_options(parser)
    parser.set_defaults(run=_run_neighbors)

    parser = subparsers.add_parser("evaluate-vectors", help="score a vector file (Cilin, WordSim353, SimLex)",
                                   description="Cilin synonym AUC and P@10, WordSim353/SimLex Spearman as JSON.")
    parser.add_argument("vectors", help="word2vec text (.vec) or binary (.bin) file")
    add_common_options(parser)
    parser.set_defaults(run=_run_evaluate)


def _run_embed(args: argparse.Namespace) -> int:
    from textmine.embed.stage import train_vectors
    from textmine.manifest import fingerprint, write_manifest

    start = time.perf_counter()
    corpus = corpus_from_args(args.inputs, args)
    params = dict(method=args.method, dim=args.dim, window=args.window, min_count=args.min_count,
                  epochs=args.epochs, tokenizer=args.tokenizer, userdict=args.userdict, workers=args.workers,
                  seed=args.seed, binary=args.binary)
    result = train_vectors(corpus, args.out_dir, progress=not args.quiet, **params)
    inputs = [p for p in args.inputs if p != "-"] + ([args.userdict] if args.userdict else [])
    write_manifest(args.out_dir, "embed", params, fingerprint(inputs), result.outputs, result.counts,
                   result.metrics, time.perf_counter() - start)
    for name, file in result.outputs.items():
        print(f"{name}: {Path(args.out_dir) / file}")
    print(result.summary)
    return 0


def _run_neighbors(args: argparse.Namespace) -> int:
    from textmine.embed import load_vectors
    from textmine.errors import InputError

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
