"""The ``textmine`` command: one subcommand per stage, each a thin layer over one library call.

Subcommands come from the ``COMMANDS`` table (name -> (help, build(parser))) of the modules of
this package and of the ``cli`` module of each textmine package (``textmine/words/cli.py``), so a
new stage brings its own; only the subcommand being run is built. A build sets
``run=callable(args) -> int`` with ``set_defaults``, and one that makes outputs runs its stage
through :func:`run_stage_command`, so it writes a manifest and is skipped on an identical rerun. Library errors (``TextmineError``) are printed as one line
with exit status 2.
"""

from __future__ import annotations

import argparse
import errno
import importlib
import logging
import os
import pkgutil
import signal
import sys
import tempfile
import threading
from pathlib import Path

from textmine import __version__
from textmine.cli.options import add_options, parameter_docs
from textmine.errors import TextmineError

__all__ = ["add_common_options", "add_corpus_options", "add_device_option", "build_parser", "corpus_options", "main",
           "run_stage_command", "stage_defaults"]


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The ``textmine`` parser; with ``command``, only that subcommand gets its options.

    Building a subcommand's options reads its stage's defaults, which imports the stage's code
    (torch for some); a run needs only its own, so ``textmine words`` never imports torch.
    """
    parser = argparse.ArgumentParser(
        prog="textmine",
        description="Unsupervised Chinese text mining: new words, domain terms, embeddings, clusters, QA pairs, "
                    "entity links, a text VAE.",
    )
    parser.add_argument("--version", action="version", version=f"textmine {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _command_modules():
        for name, (help_text, build) in getattr(module, "COMMANDS", {}).items():
            sub = subparsers.add_parser(name, help=help_text, description=help_text)
            if command is None or command == name:
                build(sub)
    return parser


def _two_words_joined(argv: list[str]) -> list[str]:
    """``embed infer ...`` -> ``embed-infer ...``: a command beside one that takes positional inputs
    (argparse cannot give a command both inputs and sub-commands)."""
    if len(argv) >= 2 and f"{argv[0]}-{argv[1]}" in {n for m in _command_modules() for n in getattr(m, "COMMANDS", {})}:
        return [f"{argv[0]}-{argv[1]}", *argv[2:]]
    return argv


def _command_modules():
    """This package's modules and the ``cli`` module of each textmine package, found without
    importing the packages' code."""
    import textmine

    root = Path(textmine.__file__).parent
    names = [f"{__name__}.{m.name}" for m in pkgutil.iter_modules(__path__)]
    names += [f"textmine.{m.name}.cli" for m in pkgutil.iter_modules(textmine.__path__)
              if m.ispkg and m.name != "cli" and (root / m.name / "cli.py").is_file()]
    return [importlib.import_module(name) for name in sorted(names)]


def add_common_options(parser: argparse.ArgumentParser, *, stage: bool = True) -> None:
    """Options every subcommand shares; ``stage`` adds --force for those that write a manifest."""
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bars, warnings only")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    if stage:
        parser.add_argument("--force", action="store_true",
                            help="run even when the outputs are up to date, and replace output folders textmine "
                                 "did not write")


def add_device_option(parser: argparse.ArgumentParser) -> None:
    """``--device`` of the neural subcommands (see :func:`textmine.neural.choose_device`)."""
    parser.add_argument("--device", help="auto (default), cpu, cuda, cuda:N, mps")


def stage_defaults(name: str) -> dict:
    """The defaults of stage ``name``'s parameters: the one source the CLI's defaults come from."""
    from textmine.stage import get_stage

    return get_stage(name).defaults()


def run_stage_command(args: argparse.Namespace, name: str, params: dict, *, out_dir=None, corpus: dict | None = None,
                      artifacts: dict | None = None, files: dict | None = None, output: tuple[str, str] | None = None):
    """Run stage ``name`` for a subcommand and print its summary (or that it was up to date).

    ``output=(artifact, FILE)``: the command's ``-o FILE`` holds that artifact, and the manifest
    goes beside it as ``FILE.manifest.json`` (other single files in ``files``). A FILE that is a
    stream (``-``, a device, a FIFO) gets the bytes alone: no manifest, and the summary goes to stderr.
    """
    from textmine.atomic import is_stream
    from textmine.stage import run_stage

    if output is not None and is_stream(output[1]):
        with tempfile.TemporaryDirectory(prefix="textmine-") as scratch:
            files = {**(files or {}), output[0]: output[1]}
            done = run_stage(name, params, out_dir=scratch, corpus=corpus, artifacts=artifacts, files=files,
                             record=False, seed=args.seed, progress=not args.quiet, force=args.force)
        if done.result.summary:
            print(done.result.summary.rstrip(), file=sys.stderr)
        return done
    manifest = None
    if output is not None:
        artifact, path = output
        files = {**(files or {}), artifact: path}
        out_dir, manifest = Path(path).parent, Path(f"{path}.manifest.json")
    done = run_stage(name, params, out_dir=out_dir, corpus=corpus, artifacts=artifacts, files=files,
                     manifest=manifest, seed=args.seed, progress=not args.quiet, force=args.force)
    if done.skipped:
        print(f"{name}: up to date ({done.manifest}); --force runs it again")
    elif done.result.summary:
        print(done.result.summary.rstrip())
    if output is not None:
        print(f"{output[0]}: {done.outputs[output[0]]}")
    return done


def add_corpus_options(parser: argparse.ArgumentParser) -> None:
    """How to read the INPUT paths: an option for each keyword argument of
    textmine.corpus.open_corpus, the one schema of corpus options."""
    from textmine.corpus import open_corpus

    add_options(parser.add_argument_group("reading the input"), _corpus_parameters(), parameter_docs(open_corpus))


def corpus_options(paths, args: argparse.Namespace) -> dict:
    """``paths`` with the options of add_corpus_options: the keyword arguments of open_corpus."""
    return {"paths": list(paths), **{name: getattr(args, name) for name in _corpus_parameters()}}


def _corpus_parameters() -> dict:
    from textmine.corpus import open_corpus
    from textmine.hints import signature

    return {n: p for n, p in signature(open_corpus).parameters.items() if n != "paths"}


# dependencies whose INFO/DEBUG lines (gensim's per-pair OOV notes and temporary file names) would
# bury ours; their warnings still show
QUIET_LOGGERS = ("gensim", "numba", "transformers", "matplotlib", "PIL", "smart_open", "urllib3", "distributed")


def _configure_logging(quiet: bool) -> None:
    logging.basicConfig(
        level=logging.WARNING if quiet else logging.INFO,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    # Dask sets its loggers' levels from its config when imported, in every worker process too
    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "warning")


class Terminated(KeyboardInterrupt):
    """SIGTERM (``kill``, ``timeout``): unwound like Ctrl-C, so partial outputs are removed."""


def _terminate(signum, frame):
    raise Terminated()


def main(argv: list[str] | None = None) -> int:
    argv = _two_words_joined(sys.argv[1:] if argv is None else list(argv))
    parser = build_parser(next((a for a in argv if not a.startswith("-")), ""))  # "": none (top-level help)
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 1
    _configure_logging(getattr(args, "quiet", False))
    in_main_thread = threading.current_thread() is threading.main_thread()  # where a handler may be set
    previous = signal.signal(signal.SIGTERM, _terminate) if in_main_thread else None
    try:
        from tqdm.contrib.logging import logging_redirect_tqdm

        with logging_redirect_tqdm():
            return int(args.run(args) or 0)
    except TextmineError as exc:
        print(f"textmine {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # the reader went away (`| head -1`): stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:  # a file the user named cannot be written or read: one line, no traceback
        if exc.filename is None and exc.errno != errno.ENOSPC:
            raise
        where = f"{exc.filename}: " if exc.filename is not None else ""
        print(f"textmine {args.command}: error: {where}{(exc.strerror or str(exc)).lower()}", file=sys.stderr)
        return 2
    except Terminated:
        print(f"\ntextmine {args.command}: terminated", file=sys.stderr)
        return 128 + signal.SIGTERM
    except KeyboardInterrupt:
        print(f"\ntextmine {args.command}: interrupted", file=sys.stderr)
        return 130
    finally:
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
