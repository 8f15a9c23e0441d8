"""``textmine embed``, ``textmine embed infer``, ``textmine neighbors``, ``textmine evaluate-vectors``:
train, fold new documents in, query, score vectors."""

from __future__ import annotations

import argparse
import json

from textmine.cli import add_common_options, add_corpus_options, corpus_options, run_stage_command
from textmine.cli.options import add_stage_options
from textmine.stage import get_stage


def _method_defaults() -> dict[str, str]:
    """What each parameter the methods default differently (or only some take) means when unset."""
    import inspect

    from textmine.embed.methods import METHODS

    shown = {}
    for name, param in get_stage("embed").parameters().items():
        owners = {m: inspect.signature(cls).parameters[name].default for m, cls in METHODS.items()
                  if name in inspect.signature(cls).parameters}
        if param.default is None and owners and any(v is not None for v in owners.values()):
            shown[name] = "the method's own: " + ", ".join(f"{m} {v}" for m, v in owners.items())
    return shown


def _embed_parser(parser: argparse.ArgumentParser) -> None:
    parser.description = ("Train JoSE, minimum-entropy or word2vec vectors; write DIR/words.vec (DIR/docs.vec for "
                          "JoSE), the model as DIR/model/ and DIR/manifest.json. `textmine embed infer --model DIR "
                          "DOCS... -o docs.vec` folds new documents into a saved JoSE model "
                          "(see `textmine embed infer --help`).")
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="files, folders, or - for stdin")
    parser.add_argument("-o", "--out-dir", required=True, help="output folder")
    params = add_stage_options(parser, "embed", unset=_method_defaults())
    add_corpus_options(parser)
    add_common_options(parser)
    parser.set_defaults(run=_run_embed, params=params)


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
    parser.description = ("Cilin synonym AUC and P@10, WordSim353/SimLex Spearman as JSON; with --pairs, Spearman "
                          "rho on your own graded word pairs and how many of them the vectors cover.")
    parser.add_argument("vectors", help="word2vec text (.vec) or binary (.bin) file")
    parser.add_argument("--pairs", metavar="FILE", help="graded word pairs, one 'word1<TAB>word2<TAB>score' a line")
    add_common_options(parser, stage=False)
    parser.set_defaults(run=_run_evaluate)


def _infer_parser(parser: argparse.ArgumentParser) -> None:
    """``textmine embed infer`` (also ``embed-infer``): fold new documents into a saved JoSE model."""
    parser.description = ("Fold new documents into a saved JoSE model (its word vectors frozen) and write their "
                          "vectors, one per non-empty document keyed by its position, plus FILE.manifest.json.")
    parser.add_argument("inputs", nargs="+", metavar="DOCS", help="files, folders, or - for stdin")
    parser.add_argument("-o", "--output", required=True, help="document vector file (.vec text, .bin binary)")
    params = add_stage_options(parser, "embed_infer", required=("model",), hidden=("binary",))  # -o .bin says
    add_corpus_options(parser)
    add_common_options(parser)
    parser.set_defaults(run=_run_infer, params=params)


def _run_infer(args: argparse.Namespace) -> int:
    from textmine.persist import model_folder

    params = {**args.params(args), "binary": args.output.endswith(".bin")}
    params["model"] = str(model_folder(params["model"], "embedding"))
    run_stage_command(args, "embed_infer", params, corpus=corpus_options(args.inputs, args),
                      output=("doc_vectors", args.output))
    return 0


def _run_embed(args: argparse.Namespace) -> int:
    done = run_stage_command(args, "embed", args.params(args), out_dir=args.out_dir, corpus=corpus_options(args.inputs, args))
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
    from textmine.embed.evaluate import evaluate_vectors, read_pairs

    pairs = read_pairs(args.pairs) if args.pairs else None     # a bad file fails before the vectors load
    print(json.dumps(evaluate_vectors(load_vectors(args.vectors), pairs=pairs, seed=args.seed), indent=2))
    return 0


COMMANDS = {"embed": ("train word (and document) vectors; `embed infer`: new documents", _embed_parser),
            "embed-infer": ("fold new documents into a saved JoSE model (also: embed infer)", _infer_parser),
            "neighbors": ("nearest words of a vector file or a saved model", _neighbors_parser),
            "evaluate-vectors": ("score a vector file (Cilin, WordSim353, SimLex, your graded pairs)", _evaluate_parser)}
