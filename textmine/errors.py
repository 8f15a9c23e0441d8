"""The exceptions textmine raises on purpose.

::

    TextmineError               anything textmine reports to a user
     ├── InputError             a file, field or parameter is wrong (says which, and what was expected)
     ├── OutputError            an output cannot be written: no space, no permission, a folder not ours
     ├── NotFittedError         an estimator was used before ``fit``
     └── MissingDependencyError an optional package is absent (says the pip line)

The CLI prints any of these as one line and exits non-zero; everything else is a bug.
"""

__all__ = ["InputError", "MissingDependencyError", "NotFittedError", "OutputError", "TextmineError"]


class TextmineError(Exception):
    """Base class of every error textmine raises deliberately."""


class InputError(TextmineError, ValueError):
    """Bad input: a missing, empty, binary or undecodable file, a wrong schema, an absurd parameter."""


class OutputError(TextmineError):
    """An output cannot be written where it was asked for; the message names the output, not a temporary."""


class NotFittedError(TextmineError, AttributeError):
    """An estimator was queried before ``fit`` was called."""


class MissingDependencyError(TextmineError, ImportError):
    """An optional dependency is not installed; the message carries the install line."""


def require(module: str, pip_line: str):
    """Import an optional module, or raise MissingDependencyError naming ``pip_line``."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingDependencyError(
            f"{module} is not installed; install it with: pip install {pip_line}"
        ) from exc
