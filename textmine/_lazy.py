"""Lazy package exports: a package's public names are imported when first used.

Importing any module of a package (``textmine.qa.cli``) runs the package's ``__init__`` first;
eager imports there would make every ``textmine`` command, even ``--help``, pay for torch and
transformers. PEP 562's module ``__getattr__`` defers each name to its first use instead, and
``from textmine.qa import QAGenerator`` works as before.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Callable, Mapping, Sequence

__all__ = ["callable_package", "lazy_exports"]


def lazy_exports(package: str, exports: Mapping[str, Sequence[str]]
                 ) -> tuple[Callable[[str], object], Callable[[], list[str]], list[str]]:
    """``__getattr__``, ``__dir__`` and ``__all__`` for ``package``, from module -> exported names."""
    where = {name: module for module, names in exports.items() for name in names}

    def __getattr__(name: str):
        if name not in where:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(where[name]), name)
        setattr(sys.modules[package], name, value)  # later lookups skip this function
        return value

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | set(where))

    return __getattr__, __dir__, list(where)


def callable_package(package: str, job: str) -> None:
    """Make ``package`` callable as the function ``job`` ("module:name").

    ``textmine.words(texts)`` is a function of :mod:`textmine.api`, but importing the package
    ``textmine.words`` sets the attribute ``words`` of ``textmine`` to the package; a package that
    calls through to the function keeps ``textmine.words(texts)`` working either way.
    """
    module, name = job.split(":")

    class CallablePackage(types.ModuleType):
        def __call__(self, *args, **kwargs):
            return getattr(importlib.import_module(module), name)(*args, **kwargs)

    CallablePackage.__call__.__doc__ = f"The same as {module}.{name}."
    sys.modules[package].__class__ = CallablePackage
