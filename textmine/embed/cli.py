"""``textmine embed``, ``textmine embed infer``, ``textmine neighbors``, ``textmine evaluate-vectors``:
train, fold new documents in, query, score vectors."""

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


def _embed_parser(parser: argparse.ArgumentParser) -> None:
    from textmine.embed.methods import METHODS

    defaults = stage_defaults("embed")
    parser.description = ("Train JoSE, minimum-entropy or word2vec vectors; write DIR/words.vec (DIR/docs.vec for "
                          "JoSE), the model as DIR/model/ and DIR/manifest.json. `textmine embed infer --model DIR "
                          "DOCS... -o docs.vec` folds new documents into a saved JoSE model "
                          "(see `textmine embed infer --help`).")
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
    parser.add_argument("--scheduler", help="minent: where co-occurrences are counted: local (default), processes "
                                            "(--workers Dask processes here) or tcp://HOST:PORT; needs textmine[dask]")
    parser.add_argument("--spill-dir", help="minent with --scheduler: folder for the workers' partial counts")
    add_corpus_options(parser)
    add_common_options(parser)
    parser.set_defaults(run=_run_embed)
    _add_infer(parser)


def _neighbors_parser(parser: argparse.ArgumentParser) -> None:
    parser.description = ("Print the nearest words (cosine) of each WORD. A model folder answers with its own "
                          "similarity (minent: second-order).")
    parser.add_argument("vectors", help="word2vec text (.vec) or binary (.bin) file, or a model folder "
                                        "(an embed stage's output folder or its model/)")
    parser.add_argument("words", nargs="+", metavar="WORD")
    parser.add_argument("-n", "--topn", type=int, default=10)
    add_common_options(parser, stage=False)
    parser.set_defaults(run=_run_neighbors)


def _evaluate_parser(parser: argparse.ArgumentParser) -> None:
    parser.description = "Cilin synonym AUC and P@10, WordSim353/SimLex Spearman as JSON."
    parser.add_argument("vectors", help="word2vec text (.vec) or binary (.bin) file")
    add_common_options(parser, stage=False)
    parser.set_defaults(run=_run_evaluate)


def _add_infer(embed: argparse.ArgumentParser) -> None:
    """``textmine embed infer``: a sub-command beside ``embed INPUT...``, which stays as it was.

    argparse cannot give a command both positional inputs and sub-commands, so the embed parser
    hands the arguments to the infer parser when the first one is the word ``infer`` (a corpus
    file of that name is read as ./infer).
    """
    defaults = stage_defaults("embed_infer")
    parser = argparse.ArgumentParser(prog=f"{embed.prog} infer",
                                     description="Fold new documents into a saved JoSE model (its word vectors "
                                                 "frozen) and write their vectors, one per non-empty document "
                                                 "keyed by its position, plus FILE.manifest.json.")
    parser.add_argument("inputs", nargs="+", metavar="DOCS", help="files, folders, or - for stdin")
    parser.add_argument("--model", required=True, help="an embed output folder or its model/ (JoSE)")
    parser.add_argument("-o", "--output", required=True, help="document vector file (.vec text, .bin binary)")
    parser.add_argument("--epochs", type=int, default=defaults["epochs"],
                        help="fold-in passes over each document (default %(default)s)")
    parser.add_argument("--lr", type=float, default=defaults["lr"], help="learning rate (default: the model's)")
    parser.add_argument("--workers", type=int, default=defaults["workers"], help="CPU threads (default: all)")
    parser.add_argument("--tokenizer", default=defaults["tokenizer"], choices=["jieba", "chars", "whitespace"],
                        help="default: the one the model was trained with")
    parser.add_argument("--userdict", help="jieba user dictionary (default: the model's own copy)")
    add_corpus_options(parser)
    add_common_options(parser)
    parser.set_defaults(run=_run_infer, command="embed infer")
    parse_embed = embed.parse_known_args

    def parse_known_args(args=None, namespace=None):
        if args and args[0] == "infer":
            return parser.parse_known_args(args[1:], namespace)
        return parse_embed(args, namespace)

    embed.parse_known_args = parse_known_args


def _run_infer(args: argparse.Namespace) -> int:
    from textmine.embed.persist import model_folder

    params = dict(model=str(model_folder(args.model)), tokenizer=args.tokenizer, userdict=args.userdict,
                  epochs=args.epochs, lr=args.lr, workers=args.workers, binary=args.output.endswith(".bin"))
    run_stage_command(args, "embed_infer", params, corpus=corpus_options(args.inputs, args),
                      output=("doc_vectors", args.output))
    return 0


def _run_embed(args: argparse.Namespace) -> int:
    params = dict(method=args.method, dim=args.dim, window=args.window, min_count=args.min_count,
                  epochs=args.epochs, lr=args.lr, negative=args.negative, tokenizer=args.tokenizer,
                  userdict=args.userdict, workers=args.workers, binary=args.binary, scheduler=args.scheduler,
                  spill_dir=args.spill_dir)
    done = run_stage_command(args, "embed", params, out_dir=args.out_dir, corpus=corpus_options(args.inputs, args))
    for name, path in done.outputs.items():
        print(f"{name}: {path}")
    return 0


def _run_neighbors(args: argparse.Namespace) -> int:
    from pathlib import Path

    from textmine.embed import load_model, load_vectors
    from textmine.errors import InputError

    if args.topn < 1:
        raise InputError(f"-n must be at least 1, got {args.topn}")
    if Path(args.vectors).is_dir():
        model = load_model(args.vectors)
        known, most_similar = model.wv.key_to_index, model.most_similar
    else:
        kv = load_vectors(args.vectors)
        known, most_similar = kv.key_to_index, kv.most_similar
    missing = [w for w in args.words if w not in known]
    if missing:
        raise InputError(f"not in {args.vectors}: {' '.join(missing)}")
    for word in args.words:
        print(f"{word}\t" + " ".join(f"{w}:{s:.3f}" for w, s in most_similar(word, topn=args.topn)))
    return 0


def _run_evaluate(args: argparse.Namespace) -> int:
    from textmine.embed import load_vectors
    from textmine.embed.evaluate import evaluate_vectors

    print(json.dumps(evaluate_vectors(load_vectors(args.vectors), seed=args.seed), indent=2))
    return 0


COMMANDS = {"embed": ("train word (and document) vectors; `embed infer`: new documents", _embed_parser),
            "neighbors": ("nearest words of a vector file or a saved model", _neighbors_parser),
            "evaluate-vectors": ("score a vector file (Cilin, WordSim353, SimLex)", _evaluate_parser)}
