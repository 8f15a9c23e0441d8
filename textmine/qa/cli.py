"""``textmine qa train|generate|evaluate``: question-answer pair generation."""

from __future__ import annotations

import argparse


from textmine.cli import (add_common_options, add_corpus_options, add_device_option, corpus_options, run_stage_command,
                          stage_defaults)

_DATA_HELP = ("training data: JSON lines {passage, answer, question}, WebQA/SogouQA-like JSON lines, "
              "SQuAD-like .json, or insurance:train / insurance:test (the packaged insurance QA data)")


def _qa_parser(parser: argparse.ArgumentParser) -> None:
    from textmine.qa.model import ANSWERS                               # loaded by stage_defaults already

    parser.description = "Train a question generator, generate QA pairs, evaluate."
    sub = parser.add_subparsers(dest="qa_command", required=True)
    defaults, generate_defaults = stage_defaults("qa_train"), stage_defaults("qa")

    train = sub.add_parser("train", help="train a QA generator")
    train.add_argument("--data", required=True, help=_DATA_HELP)
    train.add_argument("--format", default="auto", choices=["auto", "textmine", "span", "squad", "insurance"])
    train.add_argument("--documents", nargs="+", metavar="DOCS",
                       help="text files or folders of the domain to ask about (unlabelled, a document per line): "
                            "cloze pairs made from them join the training data")
    train.add_argument("--documents-share", type=float, default=defaults["documents_share"],
                       help="share of training examples made from --documents (default %(default)s)")
    train.add_argument("--mlm-share", type=float, default=defaults["mlm_share"],
                       help="share of training rows that are masked-LM rows over the --documents text "
                            "(continued pre-training on it; default %(default)s: none)")
    start = train.add_mutually_exclusive_group()
    start.add_argument("--model", help="local Hugging Face BERT folder to start from (offline)")
    start.add_argument("--config", default=defaults["config"], choices=["tiny", "small", "base"],
                       help="random-weight architecture when no --model is given (default %(default)s)")
    train.add_argument("--vocab", default=defaults["vocab"],
                       help="vocabulary of a random-weight model: corpus (the Chinese BERT tokens the data "
                            "uses; default, trains faster), full (all 21,128), or a vocab.txt path")
    train.add_argument("--no-copy", action="store_true", help="no copy head (pointer over the passage's tokens)")
    train.add_argument("-o", "--output", required=True, help="run folder (model, checkpoints, metrics)")
    train.add_argument("--steps", type=int, default=defaults["steps"], help="default %(default)s")
    train.add_argument("--batch-size", type=int, default=defaults["batch_size"], help="default %(default)s")
    train.add_argument("--lr", type=float, default=defaults["lr"], help="default %(default)s")
    train.add_argument("--max-passage", type=int, default=defaults["max_passage"], help="default %(default)s")
    add_device_option(train)
    train.add_argument("--no-resume", action="store_true", help="start over even if a checkpoint exists")
    add_common_options(train)
    train.set_defaults(run=_train)

    gen = sub.add_parser("generate", help="write QA pairs for documents as JSON lines")
    gen.add_argument("inputs", nargs="+", help="documents: files or folders ('-' for stdin)")
    gen.add_argument("--model", required=True, help="run folder written by `textmine qa train`")
    gen.add_argument("-o", "--output", required=True, help="output JSON lines (written atomically)")
    gen.add_argument("--pairs", type=int, default=generate_defaults["pairs"],
                     help="pairs per document (default %(default)s)")
    gen.add_argument("--no-constraint", action="store_true", help="let answers leave the passage")
    gen.add_argument("--min-overlap", type=float, default=generate_defaults["min_overlap"],
                     help="drop a pair whose question has less than this share of its content words in its "
                          "passage; 0 keeps all (default %(default)s)")
    gen.add_argument("--no-round-trip", action="store_true",
                     help="keep pairs whose answer is not in the passage sentence nearest the question")
    gen.add_argument("--answers", default=generate_defaults["answers"], choices=ANSWERS,
                     help="answers: any run of the passage, or only its names, numbers and nouns as jieba's "
                          "tagger marks them (default %(default)s)")
    gen.add_argument("--batch-size", type=int, default=generate_defaults["batch_size"],
                     help="documents decoded together: the same pairs, faster (default %(default)s)")
    add_device_option(gen)
    add_corpus_options(gen)
    add_common_options(gen)
    gen.set_defaults(run=_generate)

    ev = sub.add_parser("evaluate", help="char BLEU-4 / ROUGE-L on held-out data, beside a retrieval baseline")
    ev.add_argument("--model", required=True, help="run folder written by `textmine qa train`")
    ev.add_argument("--data", required=True, help="held-out data (" + _DATA_HELP + ")")
    ev.add_argument("--train-data", help="training data for the retrieval baseline")
    ev.add_argument("--format", default="auto", choices=["auto", "textmine", "span", "squad", "insurance"])
    ev.add_argument("--limit", type=int, help="score only the first N examples")
    add_device_option(ev)
    add_common_options(ev, stage=False)
    ev.set_defaults(run=_evaluate)


def _train(args: argparse.Namespace) -> int:
    params = dict(data=args.data, format=args.format, documents=args.documents,
                  documents_share=args.documents_share, mlm_share=args.mlm_share, config=args.config,
                  bert_dir=args.model,
                  vocab=None if args.vocab == "full" else args.vocab, copy=not args.no_copy,
                  max_passage=args.max_passage, steps=args.steps, batch_size=args.batch_size, lr=args.lr,
                  device=args.device, resume=not args.no_resume)
    run_stage_command(args, "qa_train", params, out_dir=args.output)
    print(f"run folder: {args.output}")
    return 0


def _generate(args: argparse.Namespace) -> int:
    params = dict(model=args.model, pairs=args.pairs, constrain=not args.no_constraint,
                  min_overlap=args.min_overlap, round_trip=not args.no_round_trip, answers=args.answers,
                  device=args.device, batch_size=args.batch_size)
    run_stage_command(args, "qa", params, corpus=corpus_options(args.inputs, args), output=("qa_pairs", args.output))
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
