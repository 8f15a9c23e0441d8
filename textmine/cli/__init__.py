"""The ``textmine`` command: one subcommand per stage, each a thin layer over one library call.

Every module in this package that defines ``register(subparsers)`` contributes subcommands;
a subcommand sets ``run=callable(args) -> int`` with ``set_defaults``. Library errors
(``TextmineError``) are printed as one line with exit status 2.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import sys

from textmine import __version__
from textmine.errors import TextmineError

__all__ = ["add_common_options", "add_corpus_options", "build_parser", "corpus_from_args", "main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="textmine",
        description="Unsupervised Chinese text mining: new words, domain terms, embeddings, clusters, QA pairs.",
    )
    parser.add_argument("--version", action="version", version=f"textmine {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "register"):
            module.register(subparsers)
    return parser


def add_common_options(parser: argparse.ArgumentParser) -> None:
    """Options every stage subcommand shares."""
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bars, warnings only")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")


def add_corpus_options(parser: argparse.ArgumentParser) -> None:
    """How to read the INPUT paths (the keyword arguments of textmine.corpus.open_corpus)."""
    group = parser.add_argument_group("reading the input")
    group.add_argument("--format", default="auto", choices=["auto", "text", "jsonl", "csv", "tsv"],
                       help="input format (default: by extension)")
    group.add_argument("--field", help="JSON lines: the field holding the text")
    group.add_argument("--column", help="CSV/TSV: the column (header name or 0-based index) holding the text")
    group.add_argument("--doc", default="line", choices=["line", "file"],
                       help="a document per line (default) or per file")
    group.add_argument("--glob", default="**/*", help="files to take from folders (default **/*)")
    group.add_argument("--encoding", help="force an encoding instead of detecting UTF-8 / GB18030")
    group.add_argument("--t2s", action="store_true", help="convert traditional to simplified (needs opencc)")


def corpus_from_args(paths, args: argparse.Namespace):
    """Open ``paths`` as a Corpus with the options of add_corpus_options."""
    from textmine.corpus import open_corpus

    return open_corpus(paths, format=args.format, field=args.field, column=args.column, glob=args.glob,
                       encoding=args.encoding, doc=args.doc, t2s=args.t2s)


def _configure_logging(quiet: bool) -> None:
    logging.basicConfig(
        level=logging.WARNING if quiet else logging.INFO,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 1
    _configure_logging(getattr(args, "quiet", False))
    try:
        from tqdm.contrib.logging import logging_redirect_tqdm

        with logging_redirect_tqdm():
            return int(args.run(args) or 0)
    except TextmineError as exc:
        print(f"textmine {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"textmine {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
