"""``textmine vae train|evaluate|encode|sample|reconstruct|interpolate|similar``: the text VAE.

``train``, ``evaluate`` and ``encode`` write files, so they run their stage (:mod:`textmine.vae.stage`)
and leave a manifest; the others print sentences, one per line.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from textmine.cli import add_common_options, add_corpus_options, add_device_option, corpus_options, run_stage_command
from textmine.cli.options import add_stage_options


def _model_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", required=True, help="run folder written by `textmine vae train`")
    add_device_option(parser)


def _decode_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--beam", type=int, default=0, help="beam width; 0 = greedy (default)")


def _stage_command(parser: argparse.ArgumentParser, stage: str, run, **options) -> None:
    """A subcommand that runs ``stage`` on INPUTs: its options from the stage's declaration."""
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="sentences: files or folders ('-' for stdin)")
    params = add_stage_options(parser, stage, help={"split": _SPLIT, "model": _MODEL}, **options)
    add_corpus_options(parser)
    add_common_options(parser)
    parser.set_defaults(run=run, params=params)


def _finish(parser: argparse.ArgumentParser, run) -> None:
    add_common_options(parser, stage=False)
    parser.set_defaults(run=run)


_SPLIT = "cut each document into sentences at punctuation (default: a sentence per document)"
_MODEL = "run folder written by `textmine vae train`"


def _vae_parser(parser: argparse.ArgumentParser) -> None:
    parser.description = ("Train a sentence VAE whose batch-normalised posterior keeps its KL from vanishing; "
                          "encode, sample, interpolate, evaluate.")
    sub = parser.add_subparsers(dest="vae_command", required=True)

    train = sub.add_parser("train", help="train a text VAE on sentences")
    train.add_argument("-o", "--output", required=True, help="run folder (model/, checkpoint/, metrics.jsonl)")
    _stage_command(train, "vae_train", _train)

    ev = sub.add_parser("evaluate", help="iw_nll, ppl, KL, MI, active units on held-out sentences")
    ev.add_argument("--json", help="write every measure here as JSON")
    ev.add_argument("--png", help="write a dashboard here (KL per dimension, active units, training curves)")
    _stage_command(ev, "vae_evaluate", _evaluate, required=("model",))

    enc = sub.add_parser("encode", help="posterior means as vectors that `textmine cluster` reads")
    enc.add_argument("-o", "--output", required=True,
                     help="vector file keyed by line number: .vec (word2vec text), .bin, or .npy (+ .keys)")
    _stage_command(enc, "vae", _encode, required=("model",))

    sample = sub.add_parser("sample", help="sentences decoded from the prior")
    _model_options(sample)
    sample.add_argument("-n", type=int, default=10, help="how many (default %(default)s)")
    _decode_options(sample)
    _finish(sample, _sample)

    rec = sub.add_parser("reconstruct", help="each sentence decoded from its own code")
    _model_options(rec)
    rec.add_argument("sentences", nargs="+", metavar="SENTENCE")
    _decode_options(rec)
    _finish(rec, _reconstruct)

    inter = sub.add_parser("interpolate", help="sentences along the line from A's code to B's")
    _model_options(inter)
    inter.add_argument("a", metavar="A")
    inter.add_argument("b", metavar="B")
    inter.add_argument("--steps", type=int, default=8, help="points, both ends included (default %(default)s)")
    _decode_options(inter)
    _finish(inter, _interpolate)

    sim = sub.add_parser("similar", help="sentences decoded from codes around a sentence's posterior")
    _model_options(sim)
    sim.add_argument("sentence", metavar="SENTENCE")
    sim.add_argument("-n", type=int, default=5, help="how many (default %(default)s)")
    sim.add_argument("--radius", type=float, default=1.0, help="posterior standard deviations (default %(default)s)")
    _decode_options(sim)
    _finish(sim, _similar)


def _train(args: argparse.Namespace) -> int:
    run_stage_command(args, "vae_train", args.params(args), out_dir=args.output,
                      corpus=corpus_options(args.inputs, args))
    print(f"run folder: {args.output}")
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    params = args.params(args)
    if not (args.json or args.png):
        from textmine.corpus import open_corpus
        from textmine.vae import TextVAE
        from textmine.vae.metrics import summary_line
        from textmine.vae.report import iter_keyed_sentences

        vae = TextVAE.load(params["model"], device=params["device"])
        options = corpus_options(args.inputs, args)
        sentences = [s for _, s in iter_keyed_sentences(open_corpus(options.pop("paths"), **options),
                                                        split=params["split"], max_len=vae.max_len)]
        print(summary_line(vae.evaluate(sentences, iw_samples=params["iw_samples"], seed=args.seed)))
        return 0
    files = {name: path for name, path in (("vae_metrics", args.json), ("vae_dashboard", args.png)) if path}
    first = next(iter(files))                                               # the manifest goes beside it
    run_stage_command(args, "vae_evaluate", params, corpus=corpus_options(args.inputs, args), files=files,
                      output=(first, files.pop(first)))
    return 0


def _encode(args: argparse.Namespace) -> int:
    params = args.params(args)
    output = Path(args.output)
    files = {"vector_keys": output.with_suffix(".keys")} if output.suffix == ".npy" else {}
    run_stage_command(args, "vae", params, corpus=corpus_options(args.inputs, args), files=files,
                      output=("vectors", args.output))
    return 0


def _load(args: argparse.Namespace):
    from textmine.vae import TextVAE

    vae = TextVAE.load(args.model, device=args.device)
    return vae, dict(method="beam" if args.beam else "greedy", beam_size=max(args.beam, 1))


def _sample(args: argparse.Namespace) -> int:
    vae, decoding = _load(args)
    print("\n".join(vae.sample(args.n, seed=args.seed, **decoding)))
    return 0


def _reconstruct(args: argparse.Namespace) -> int:
    vae, decoding = _load(args)
    print("\n".join(vae.reconstruct(args.sentences, **decoding)))
    return 0


def _interpolate(args: argparse.Namespace) -> int:
    vae, decoding = _load(args)
    print("\n".join(vae.interpolate(args.a, args.b, args.steps, **decoding)))
    return 0


def _similar(args: argparse.Namespace) -> int:
    vae, decoding = _load(args)
    print("\n".join(vae.similar(args.sentence, args.n, radius=args.radius, seed=args.seed, **decoding)))
    return 0


COMMANDS = {"vae": ("text VAE: sentence codes, sampling, interpolation (BN-VAE)", _vae_parser)}
