"""A subcommand's options built from its stage's declaration, so a parameter is written once.

Each parameter of a stage (its own keyword arguments and its estimator's, see
:meth:`textmine.stage.Stage.parameters`) becomes an option: ``min_count`` -> ``--min-count``, its
type and choices from the annotation (or from a numpydoc ``{"a", "b"}`` type), its default from
the signature, its help from the ``Parameters`` section of the docstring that declares it. A bool
that defaults to True becomes ``--no-NAME``. A command lists only what differs: options under
another name (``renames``), parameters it sets itself (``exclude``) or keeps off the command line
(``hidden``), and help of its own.
"""

from __future__ import annotations

import argparse
import inspect
import json
import re
import typing
from typing import Any, Callable, Iterable, Literal, Mapping


__all__ = ["DECLARED", "add_options", "add_stage_options", "parameter_docs"]

#: stage -> (the options' parser, the parameters it leaves out) for each command built: what a test
#: walks to find every parameter of every stage on the command line
DECLARED: dict[str, list[tuple[argparse.ArgumentParser, frozenset[str]]]] = {}

_ENTRY = re.compile(r"^(\w+(?:\s*,\s*\w+)*)\s*:\s*(.*)$")
_CHOICES = re.compile(r"^\{(.*)\}")
_TYPE_WORDS = {"int", "float", "str", "bool", "path", "none", "or", "dict", "list", "tuple", "of", "sequence",
               "string", "number", "int,", "float,", "str,", "path,", "optional"}


def add_stage_options(parser: argparse.ArgumentParser, stage: str, *, renames: Mapping[str, str] | None = None,
                      exclude: Iterable[str] = (), hidden: Iterable[str] = (), required: Iterable[str] = (),
                      help: Mapping[str, str] | None = None,
                      unset: Mapping[str, str] | None = None) -> Callable[[argparse.Namespace], dict]:
    """Add an option for each parameter of ``stage``; return ``params(args)``, the stage's
    parameters as parsed (the dict :func:`textmine.cli.run_stage_command` takes).

    ``required`` makes options of parameters that default to None (a pipeline may fill them from
    an earlier stage) required on the command line; ``unset`` says, for a parameter that defaults
    to None, what it then means (another object's default), after its help."""
    from textmine.stage import get_stage

    st = get_stage(stage)
    left_out = set(exclude) | set(hidden)
    parameters = {name: p for name, p in st.parameters().items() if name not in left_out}
    add_options(parser, parameters, parameter_docs(st.run, *st.estimators()), renames=renames, required=required,
                help=help, unset=unset)
    DECLARED.setdefault(stage, []).append((parser, frozenset(left_out)))

    def params(args: argparse.Namespace) -> dict:
        return {name: getattr(args, name) for name in parameters}

    return params


def add_options(parser, parameters: Mapping[str, inspect.Parameter], docs: Mapping[str, tuple[str, str]], *,
                renames: Mapping[str, str] | None = None, required: Iterable[str] = (),
                help: Mapping[str, str] | None = None, unset: Mapping[str, str] | None = None) -> None:
    """One option per parameter (``dest`` its name), typed and defaulted by its declaration;
    ``docs`` is :func:`parameter_docs` of the objects that declare them."""
    renames, help, unset = dict(renames or {}), dict(help or {}), dict(unset or {})
    for name, param in parameters.items():
        negated = param.default is True                    # a bool on by default is turned off: --no-NAME
        flag = renames.get(name, ("--no-" if negated else "--") + name.replace("_", "-"))
        text = help.get(name, docs.get(name, ("", ""))[1])
        text = f"{text} (unset: {unset[name]})".strip() if name in unset else text
        text = f"turn off (on by default): {text}" if negated and text else text
        option = _option(param, text.replace("%", "%%"), docs.get(name, ("", ""))[0])
        if name in required:
            option.pop("default", None)
            option["required"] = True
        parser.add_argument(flag, dest=name, **option)


def _option(param: inspect.Parameter, text: str, doc_type: str) -> dict[str, Any]:
    """argparse keyword arguments for one parameter."""
    hint, default = _unwrap_optional(param.annotation), param.default
    required = default is inspect.Parameter.empty
    kwargs: dict[str, Any] = {"help": text}
    if hint is bool or isinstance(default, bool):
        if default is None:
            kwargs["action"] = argparse.BooleanOptionalAction
        else:
            kwargs["action"] = "store_false" if default else "store_true"
        kwargs["default"] = default
        return kwargs
    kwargs.update(_value_kind(hint, default, doc_type))
    if required:
        kwargs["required"] = True
    else:
        kwargs["default"] = list(default) if isinstance(default, tuple) else default
        if default is not None:
            kwargs["help"] = f"{text} (default {_shown(default)})".strip()
    return kwargs


def _value_kind(hint, default, doc_type: str) -> dict[str, Any]:
    """type, choices and nargs of a valued option."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is Literal:
        return {"type": type(args[0]), "choices": list(args)}
    if origin in (list, tuple) or origin is not None and origin.__name__ in ("Sequence", "Iterable"):
        item = _scalar(args[0] if args else str)
        if origin is tuple and args and args[-1] is not Ellipsis:
            return {"type": item, "nargs": len(args)}
        return {"type": _numbers(item) if item in (int, float) else item, "nargs": "+", "action": _Flatten}
    if hint is dict or origin is dict:
        return {"type": _json_table, "metavar": "JSON"}
    kind = _scalar(hint if hint is not inspect.Parameter.empty else type(default) if default is not None else str)
    choices = _CHOICES.match(doc_type.strip())
    if kind is str and choices:
        return {"type": str, "choices": [c.strip().strip("\"'") for c in choices.group(1).split(",")]}
    return {"type": kind}


def _scalar(hint) -> type:
    hint = _unwrap_optional(hint)
    return hint if hint in (int, float) else str


def _numbers(kind: type) -> Callable[[str], list]:
    """Numbers given apart or comma-separated (``--min-pmi 0 2 4 6`` or ``--min-pmi 0,2,4,6``)."""
    def parse(text: str) -> list:
        try:
            return [kind(x) for x in text.split(",") if x.strip()]
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {kind.__name__} numbers, got {text!r}") from None
    return parse


class _Flatten(argparse.Action):
    """Store the values of a list option as one flat list (comma-separated numbers included)."""

    def __call__(self, parser, namespace, values, option_string=None):
        setattr(namespace, self.dest, [v for value in values for v in (value if isinstance(value, list) else [value])])


def _unwrap_optional(hint):
    """``X | None`` -> X (None is every optional's "unset"); other unions stay."""
    args = typing.get_args(hint)
    if args and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return rest[0] if len(rest) == 1 else typing.Union[tuple(rest)]
    return hint


def _json_table(text: str) -> dict:
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected a JSON object, e.g. '{{\"epochs\": 2}}': {exc}") from exc
    if not isinstance(value, dict):
        raise argparse.ArgumentTypeError(f"expected a JSON object, got {text!r}")
    return value


def _shown(default) -> str:
    if isinstance(default, (list, tuple)):
        return " ".join(map(str, default))
    return str(default)


def parameter_docs(*objects) -> dict[str, tuple[str, str]]:
    """Parameter -> (type, description) from the numpydoc ``Parameters`` sections of the objects'
    docstrings (a class's own, its ``__init__``'s, then its bases'); an entry may name several
    parameters (``steps, batch_size : ...``) and put its description after the colon."""
    docs: dict[str, tuple[str, str]] = {}
    owners = [cls for obj in objects for cls in (inspect.getmro(obj)[:-1] if inspect.isclass(obj) else (obj,))]
    for obj in owners:
        for text in (obj.__doc__, getattr(getattr(obj, "__init__", None), "__doc__", None)):
            for names, kind, description in _entries(inspect.cleandoc(text or "")):
                for name in names:
                    docs.setdefault(name, (kind, description))
    return docs


def _entries(doc: str):
    lines = doc.splitlines()
    try:
        start = next(i for i, line in enumerate(lines) if line.strip() == "Parameters"
                     and i + 1 < len(lines) and set(lines[i + 1].strip()) == {"-"}) + 2
    except StopIteration:
        return
    entry: tuple[list[str], str, list[str]] | None = None
    for line in lines[start:]:
        if line.strip() and set(line.strip()) == {"-"}:
            break                                          # the next section's underline
        if line and not line[0].isspace():                 # a new entry, or the next section's title
            if entry:
                yield _finished(entry)
            found = _ENTRY.match(line)
            entry = ([n.strip() for n in found.group(1).split(",")], found.group(2), []) if found else None
        elif entry and line.strip():
            entry[2].append(line.strip())
    if entry:
        yield _finished(entry)


def _finished(entry: tuple[list[str], str, list[str]]) -> tuple[list[str], str, str]:
    """(names, type, description): the text after the colon is the type when it reads as one."""
    names, after, more = entry
    words = re.sub(r"\{.*?\}|\"[^\"]*\"|'[^']*'|[`(),|]", " ", after).lower().split()
    is_type = after.startswith("{") or (after and all(w in _TYPE_WORDS for w in words))
    kind, description = (after, more) if is_type else ("", [after, *more])
    text = " ".join(" ".join(description).split())
    text = re.sub(r":\w+:`~?([^`]+)`", r"\1", re.sub(r"``([^`]+)``", r"\1", text))     # reST markup -> plain
    return names, kind, text
