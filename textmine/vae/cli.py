"""``textmine vae train|evaluate|encode|sample|reconstruct|interpolate|similar``: the text VAE.

``train``, ``evaluate`` and ``encode`` write files, so they run their stage (:mod:`textmine.vae.stage`)
and leave a manifest; the others print sentences, one per line.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from textmine.cli import (add_common_options, add_corpus_options, add_device_option, corpus_options, run_stage_command,
                          stage_defaults)


def _model_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", required=True, help="run folder written by `textmine vae train`")
    add_device_option(parser)


def _decode_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--beam", type=int, default=0, help="beam width; 0 = greedy (default)")


def _finish(parser: argparse.ArgumentParser, run, *, reads_corpus: bool) -> None:
    """The options every subcommand shares (and the corpus ones where it reads INPUTs); its action."""
    if reads_corpus:
        parser.add_argument("--split", action="store_true",
                            help="cut each document into sentences at punctuation (default: a sentence per document)")
        add_corpus_options(parser)
    add_common_options(parser, stage=reads_corpus)
    parser.set_defaults(run=run)


def _vae_parser(parser: argparse.ArgumentParser) -> None:
    parser.description = ("Train a sentence VAE whose batch-normalised posterior keeps its KL from vanishing; "
                          "encode, sample, interpolate, evaluate.")
    sub = parser.add_subparsers(dest="vae_command", required=True)
    d = stage_defaults("vae_train")

    train = sub.add_parser("train", help="train a text VAE on sentences")
    train.add_argument("inputs", nargs="+", metavar="INPUT", help="sentences: files or folders ('-' for stdin)")
    train.add_argument("-o", "--output", required=True, help="run folder (model/, checkpoint.pt, metrics.jsonl)")
    train.add_argument("--posterior", default=d["posterior"], choices=["plain", "bn", "tau", "none"],
                       help="bn (BN-VAE), tau (Su's), plain (collapses), none (LSTM LM) (default %(default)s)")
    train.add_argument("--latent", type=int, default=d["latent"], help="latent size (default %(default)s)")
    train.add_argument("--gamma", type=float, default=d["gamma"], help="bn: fixed scale (default %(default)s)")
    train.add_argument("--tau", type=float, default=d["tau"], help="tau: share of the mean (default %(default)s)")
    train.add_argument("--kl-schedule", default=d["kl_schedule"], choices=["constant", "cyclical"],
                       help="KL weight (default %(default)s)")
    train.add_argument("--free-bits", type=float, default=d["free_bits"],
                       help="nats per dimension not pushed down; 0 = off (default %(default)s)")
    train.add_argument("--encoder", default=d["encoder"], choices=["gru", "lstm"], help="default %(default)s")
    train.add_argument("--hidden", type=int, default=d["hidden"], help="RNN size (default %(default)s)")
    train.add_argument("--z-input", default=d["z_input"], choices=["every_step", "initial"],
                       help="decoder gets z as its initial state and every step's input, or the initial state "
                            "only (default %(default)s)")
    train.add_argument("--word-dropout", type=float, default=d["word_dropout"], help="default %(default)s")
    train.add_argument("--tokenizer", default=d["tokenizer"], choices=["chars", "jieba"], help="default %(default)s")
    train.add_argument("--userdict", help="jieba user lexicon (e.g. from `textmine words --userdict`)")
    train.add_argument("--max-len", type=int, default=d["max_len"],
                       help="longest sentence in tokens; longer ones are cut and counted (default %(default)s)")
    train.add_argument("--steps", type=int, default=d["steps"], help="default %(default)s")
    train.add_argument("--batch-size", type=int, default=d["batch_size"], help="default %(default)s")
    train.add_argument("--lr", type=float, default=d["lr"], help="default %(default)s")
    train.add_argument("--dev", help="held-out sentences evaluated during training")
    add_device_option(train)
    train.add_argument("--no-resume", action="store_true", help="start over even if a checkpoint exists")
    _finish(train, _train, reads_corpus=True)

    ev = sub.add_parser("evaluate", help="iw_nll, ppl, KL, MI, active units on held-out sentences")
    ev.add_argument("inputs", nargs="+", metavar="INPUT", help="held-out sentences")
    _model_options(ev)
    ev.add_argument("--json", help="write every measure here as JSON")
    ev.add_argument("--png", help="write a dashboard here (KL per dimension, active units, training curves)")
    ev.add_argument("--iw-samples", type=int, help="importance samples for iw_nll (default: the model's, 100)")
    _finish(ev, _evaluate, reads_corpus=True)

    enc = sub.add_parser("encode", help="posterior means as vectors that `textmine cluster` reads")
    enc.add_argument("inputs", nargs="+", metavar="INPUT", help="sentences: files or folders ('-' for stdin)")
    _model_options(enc)
    enc.add_argument("-o", "--output", required=True,
                     help="vector file keyed by line number: .vec (word2vec text), .bin, or .npy (+ .keys)")
    _finish(enc, _encode, reads_corpus=True)

    sample = sub.add_parser("sample", help="sentences decoded from the prior")
    _model_options(sample)
    sample.add_argument("-n", type=int, default=10, help="how many (default %(default)s)")
    _decode_options(sample)
    _finish(sample, _sample, reads_corpus=False)

    rec = sub.add_parser("reconstruct", help="each sentence decoded from its own code")
    _model_options(rec)
    rec.add_argument("sentences", nargs="+", metavar="SENTENCE")
    _decode_options(rec)
    _finish(rec, _reconstruct, reads_corpus=False)

    inter = sub.add_parser("interpolate", help="sentences along the line from A's code to B's")
    _model_options(inter)
    inter.add_argument("a", metavar="A")
    inter.add_argument("b", metavar="B")
    inter.add_argument("--steps", type=int, default=8, help="points, both ends included (default %(default)s)")
    _decode_options(inter)
    _finish(inter, _interpolate, reads_corpus=False)

    sim = sub.add_parser("similar", help="sentences decoded from codes around a sentence's posterior")
    _model_options(sim)
    sim.add_argument("sentence", metavar="SENTENCE")
    sim.add_argument("-n", type=int, default=5, help="how many (default %(default)s)")
    sim.add_argument("--radius", type=float, default=1.0, help="posterior standard deviations (default %(default)s)")
    _decode_options(sim)
    _finish(sim, _similar, reads_corpus=False)


def _train(args: argparse.Namespace) -> int:
    params = dict(posterior=args.posterior, latent=args.latent, gamma=args.gamma, tau=args.tau,
                  kl_schedule=args.kl_schedule, free_bits=args.free_bits, encoder=args.encoder, hidden=args.hidden,
                  z_input=args.z_input, word_dropout=args.word_dropout, tokenizer=args.tokenizer,
                  userdict=args.userdict,
                  max_len=args.max_len, steps=args.steps, batch_size=args.batch_size, lr=args.lr, dev=args.dev,
                  device=args.device, split=args.split, resume=not args.no_resume)
    run_stage_command(args, "vae_train", params, out_dir=args.output, corpus=corpus_options(args.inputs, args))
    print(f"run folder: {args.output}")
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    if not (args.json or args.png):
        from textmine.corpus import open_corpus
        from textmine.vae import TextVAE
        from textmine.vae.metrics import summary_line
        from textmine.vae.report import iter_keyed_sentences

        vae = TextVAE.load(args.model, device=args.device)
        options = corpus_options(args.inputs, args)
        sentences = [s for _, s in iter_keyed_sentences(open_corpus(options.pop("paths"), **options),
                                                        split=args.split, max_len=vae.max_len)]
        print(summary_line(vae.evaluate(sentences, iw_samples=args.iw_samples, seed=args.seed)))
        return 0
    files = {name: path for name, path in (("vae_metrics", args.json), ("vae_dashboard", args.png)) if path}
    first = next(iter(files))                                               # the manifest goes beside it
    params = dict(model=args.model, split=args.split, iw_samples=args.iw_samples, device=args.device)
    run_stage_command(args, "vae_evaluate", params, corpus=corpus_options(args.inputs, args), files=files,
                      output=(first, files.pop(first)))
    return 0


def _encode(args: argparse.Namespace) -> int:
    params = dict(model=args.model, split=args.split, device=args.device)
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
