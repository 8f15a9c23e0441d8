"""``textmine qa train|generate|evaluate``: question-answer pair generation."""

from __future__ import annotations

import argparse
from typing import get_args

from textmine.cli import add_common_options, add_corpus_options, add_device_option, corpus_options, run_stage_command
from textmine.cli.options import add_stage_options

_DATA_HELP = ("training data: JSON lines {passage, answer, question}, WebQA/SogouQA-like JSON lines, "
              "SQuAD-like .json, or insurance:train / insurance:test (the packaged insurance QA data)")


def _qa_parser(parser: argparse.ArgumentParser) -> None:
    from textmine.qa.data import ExampleFormat
    from textmine.qa.model import FILTERS, QAGenerator                  # loaded by the stage's options anyway

    parser.description = "Train a question generator, generate QA pairs, evaluate."
    sub = parser.add_subparsers(dest="qa_command", required=True)

    train = sub.add_parser("train", help="train a QA generator")
    train.add_argument("-o", "--output", required=True, help="run folder (model, checkpoints, metrics)")
    params = add_stage_options(train, "qa_train", renames={"bert_dir": "--model", "documents": "--documents"},
                               hidden=FILTERS)                 # generation's settings: qa generate takes them
    add_common_options(train)
    train.set_defaults(run=_train, params=params)

    gen = sub.add_parser("generate", help="write QA pairs for documents as JSON lines")
    gen.add_argument("inputs", nargs="+", help="documents: files or folders ('-' for stdin)")
    gen.add_argument("-o", "--output", required=True, help="output JSON lines (written atomically)")
    params = add_stage_options(gen, "qa", renames={"constrain": "--constraint"},
                               unset={name: str(value) for name, value in QAGenerator.filter_defaults().items()})
    add_corpus_options(gen)
    add_common_options(gen)
    gen.set_defaults(run=_generate, params=params)

    ev = sub.add_parser("evaluate", help="char BLEU-4 / ROUGE-L on held-out data, beside a retrieval baseline")
    ev.add_argument("--model", required=True, help="run folder written by `textmine qa train`")
    ev.add_argument("--data", required=True, help="held-out data (" + _DATA_HELP + ")")
    ev.add_argument("--train-data", help="training data for the retrieval baseline")
    ev.add_argument("--format", default="auto", choices=get_args(ExampleFormat), help="how to read --data")
    ev.add_argument("--limit", type=int, help="score only the first N examples")
    add_device_option(ev)
    add_common_options(ev, stage=False)
    ev.set_defaults(run=_evaluate)


def _train(args: argparse.Namespace) -> int:
    run_stage_command(args, "qa_train", args.params(args), out_dir=args.output)
    print(f"run folder: {args.output}")
    return 0


def _generate(args: argparse.Namespace) -> int:
    run_stage_command(args, "qa", args.params(args), corpus=corpus_options(args.inputs, args),
                      output=("qa_pairs", args.output))
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from textmine.qa import QAGenerator, evaluate_run, load_examples

    gen = QAGenerator.load(args.model, device=args.device)
    test = load_examples(args.data, format=args.format, max_len=gen.max_passage)[: args.limit]
    train = load_examples(args.train_data, max_len=gen.max_passage) if args.train_data else None
    for name, scores in evaluate_run(gen, test, train).items():
        print(f"{name:10s} BLEU-4 {scores['bleu4']:6.2f}  ROUGE-L {scores['rouge_l']:6.2f}  (n={scores['n']})")
    return 0


COMMANDS = {"qa": ("generate question-answer pairs from documents (BERT UniLM)", _qa_parser)}
