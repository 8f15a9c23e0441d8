"""Values checked against the type hints of a signature.

A pipeline file's values reach a stage's estimator as they are; checking them against the hints
the estimator declares refuses ``min_count = "five"`` by name before anything runs, instead of a
TypeError from deep inside the stage. Hints this module does not model pass: the estimator's own
checks still see the value.
"""

from __future__ import annotations

import collections.abc
import inspect
import os
import types
import typing
from pathlib import Path
from typing import Literal, Union

__all__ = ["accepts", "describe", "signature"]

_SEQUENCES = (list, tuple, collections.abc.Sequence, collections.abc.Iterable, collections.abc.Collection)
_MAPPINGS = (dict, collections.abc.Mapping)


def signature(obj) -> inspect.Signature:
    """``obj``'s signature with its annotations evaluated (``from __future__ import annotations``
    leaves strings); as written where a name cannot be resolved."""
    try:
        return inspect.signature(obj, eval_str=True)
    except (NameError, TypeError, AttributeError):
        return inspect.signature(obj)


def accepts(hint, value) -> bool:
    """Whether ``value`` fits ``hint`` (a bool is not a number; an int is a float)."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (Union, types.UnionType):
        return any(accepts(arg, value) for arg in args)
    if origin is Literal:
        return any(value == arg and type(value) is type(arg) for arg in args)
    if hint in (None, type(None)):
        return value is None
    if hint is bool:
        return isinstance(value, bool)
    if hint in (int, float):
        return isinstance(value, (int, float) if hint is float else int) and not isinstance(value, bool)
    if hint is str:
        return isinstance(value, str)
    if hint is Path or hint is os.PathLike:
        return isinstance(value, (str, os.PathLike))
    if hint in _SEQUENCES or origin in _SEQUENCES:
        return isinstance(value, (list, tuple)) and _items_fit(origin, args, value)
    if hint in _MAPPINGS or origin in _MAPPINGS:
        return isinstance(value, dict) and (len(args) != 2 or all(accepts(args[1], v) for v in value.values()))
    return True


def _items_fit(origin, args: tuple, value) -> bool:
    if origin is tuple and args and args[-1] is not Ellipsis:
        return len(value) == len(args) and all(accepts(a, v) for a, v in zip(args, value))
    return not args or all(accepts(args[0], item) for item in value)


def describe(hint) -> str:
    """``hint`` in words, for an error message."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (Union, types.UnionType):
        named = [describe(arg) for arg in args if arg is not type(None)]
        return " or ".join(named) + (" (or unset)" if type(None) in args else "")
    if origin is Literal:
        return "one of " + ", ".join(repr(arg) for arg in args)
    words = {bool: "true or false", int: "an integer", float: "a number", str: "a string", Path: "a path",
             os.PathLike: "a path"}
    if hint in words:
        return words[hint]
    if hint in _SEQUENCES or origin in _SEQUENCES:
        return f"a list of {_plural(args[0])}" if args else "a list"
    if hint in _MAPPINGS or origin in _MAPPINGS:
        return "a table"
    return getattr(hint, "__name__", str(hint))


def _plural(hint) -> str:
    text = describe(hint)
    for article in ("an ", "a "):
        if text.startswith(article):
            return text[len(article):] + "s"
    return text
