"""One folder format for every model textmine saves, so that each model does not invent its own.

A saved model is a folder that can be read without textmine and cannot run code when loaded::

    textmine.json        {"format": "textmine.model", "format_version": 1, "textmine_version": ...,
                          "class": "JoSE" | "EntityLinker" | ..., "params": constructor arguments,
                          "state": learned scalars (JSON), "meta": what the caller added}
    arrays.safetensors   numpy arrays (exact dtypes; no pickle), when the model has any
    weights.safetensors  torch tensors (a network's state dict), when the model has any
    ...                  the kind's own plain files (a vocabulary, a BERT folder, sub-models)

``params`` come from the ``__init__`` signature, so no list of names can drift from it. The
run-time choices ``device`` and ``progress`` are not saved: ``load`` takes them (and any other
parameter) as keyword overrides. :meth:`Saved.save` builds the folder beside its target and
renames it into place (:func:`textmine.atomic.atomic_folder`): a crash keeps the old one, and a
folder textmine did not write is refused. A folder of another kind, or one in an older layout, is
a one-line :class:`InputError` naming both.
"""

from __future__ import annotations

import contextlib
import inspect
import json
import os
from pathlib import Path
from typing import Any, Callable

import numpy as np

from textmine import __version__
from textmine.atomic import atomic_folder, write_json
from textmine.errors import InputError
from textmine.manifest import stage_of

__all__ = ["CONFIG", "FORMAT", "FORMAT_VERSION", "Saved", "model_folder", "own_cpu_copy", "read_arrays",
           "read_config", "read_tensors", "write_arrays", "write_config", "write_model"]

FORMAT = "textmine.model"
FORMAT_VERSION = 1
CONFIG = "textmine.json"
ARRAYS, WEIGHTS = "arrays.safetensors", "weights.safetensors"
RUNTIME = ("device", "progress")                 # how to run a model, not what it is: never saved

# the config files of the layouts before this format, and the kind each held
_OLD_LAYOUTS = {"config.json": "an embedding model (or a BERT folder)", "qa.json": "a QA run",
                "linking.json": "an entity-linking run", "vae.json": "a text VAE", "cross.json": "a cross-encoder",
                "spans.json": "a span model", "finder.json": "a word finder"}


def model_folder(path: str | os.PathLike, kind: str = "textmine") -> Path:
    """The saved model at ``path``: the folder itself, or the ``model/`` a stage wrote into it."""
    path = Path(path)
    for folder in (path, path / "model"):
        if (folder / CONFIG).is_file():
            return folder
    raise InputError(f"{path} is not a saved {kind} model: {_what_it_is(path)}")


def _what_it_is(path: Path) -> str:
    if not path.exists():
        return "it does not exist"
    if not path.is_dir():
        return "it is a file, not a folder"
    for folder in (path, path / "model"):
        old = [name for name in _OLD_LAYOUTS if (folder / name).is_file()]
        if old:
            return (f"it holds {_OLD_LAYOUTS[old[0]]} in an older layout ({old[0]}, not {CONFIG}); "
                    "train it again with this textmine (docs/model-folders.md)")
    stage = stage_of(path)
    other = f"it holds the output of the {stage!r} stage" if stage else f"it has no {CONFIG}"
    return f"{other}; give a folder written by a model's save() or by its training stage"


def read_config(path: str | os.PathLike, kind: str | None = None) -> dict:
    """The checked config of the model at ``path`` (see :func:`model_folder`), with its ``folder``;
    ``kind`` (a class name), when given, must be the class that saved it."""
    folder = model_folder(path, kind or "textmine")
    try:
        config = json.loads((folder / CONFIG).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"{folder / CONFIG} is not readable JSON: {exc}") from exc
    if not isinstance(config, dict) or config.get("format") != FORMAT:
        raise InputError(f"{folder / CONFIG} is not a textmine model config (no format {FORMAT!r})")
    if config.get("format_version") != FORMAT_VERSION:
        raise InputError(f"{folder}: model format version {config.get('format_version')!r}; this textmine "
                         f"({__version__}) reads version {FORMAT_VERSION}")
    if kind is not None and config.get("class") != kind:
        raise InputError(f"{folder} holds a {config.get('class')} model, not a {kind}")
    return {**config, "folder": str(folder)}


def write_config(folder: str | os.PathLike, kind: str, params: dict, state: dict | None = None,
                 meta: dict | None = None) -> None:
    """Write ``textmine.json`` into ``folder`` (atomically, as one file)."""
    write_json(Path(folder) / CONFIG, {"format": FORMAT, "format_version": FORMAT_VERSION,
                                       "textmine_version": __version__, "class": kind, "params": params,
                                       "state": state or {}, "meta": meta or {}})


def write_model(folder: str | os.PathLike, kind: str, params: dict, *, meta: dict | None = None,
                parts: Callable[[Path], tuple[dict, dict]] | None = None) -> Path:
    """Write a whole model folder atomically: ``parts(tmp)`` writes the kind's own files and returns
    (JSON-able state, arrays by name: numpy arrays or torch tensors, to the safetensors files);
    the config goes last."""
    folder = Path(folder)
    with atomic_folder(folder) as tmp:
        state, arrays = parts(tmp) if parts is not None else ({}, {})
        _write_tensors(tmp, arrays)
        write_config(tmp, kind, params, state, meta)
    return folder


def own_cpu_copy(tensor):
    """``tensor`` on the CPU in memory of its own: safetensors refuses tensors that share memory,
    as tied weights do (a BERT's word embeddings and its output layer)."""
    return tensor.detach().to("cpu", copy=True).contiguous()


def _write_tensors(folder: Path, arrays: dict) -> None:
    numeric = {k: v for k, v in arrays.items() if isinstance(v, np.ndarray)}
    tensors = {k: own_cpu_copy(v) for k, v in arrays.items() if not isinstance(v, np.ndarray)}
    if numeric:
        write_arrays(folder / ARRAYS, numeric)
    if tensors:
        from safetensors.torch import save_file

        save_file(tensors, str(folder / WEIGHTS))


def write_arrays(path: str | os.PathLike, arrays: dict) -> None:
    """numpy arrays by name into one safetensors file (what a model part keeps beside its JSON)."""
    from safetensors.numpy import save_file

    save_file({k: np.ascontiguousarray(v) for k, v in arrays.items()}, str(path))


def read_arrays(path: str | os.PathLike) -> dict:
    """The numpy arrays of one safetensors file; a damaged file is one line, never a traceback."""
    from safetensors.numpy import load_file

    with _damaged(path):
        return load_file(str(path))


def read_tensors(folder: str | os.PathLike) -> dict:
    """The arrays (numpy) and weights (torch, on the CPU) of a model folder, by name."""
    folder = Path(folder)
    found: dict[str, Any] = read_arrays(folder / ARRAYS) if (folder / ARRAYS).is_file() else {}
    if (folder / WEIGHTS).is_file():
        from safetensors.torch import load_file

        with _damaged(folder / WEIGHTS):
            found.update(load_file(str(folder / WEIGHTS)))
    return found


@contextlib.contextmanager
def _damaged(path: Path | str):
    """safetensors' own error (and a truncated or unreadable file) as one line naming the file."""
    from safetensors import SafetensorError

    try:
        yield
    except (OSError, ValueError, RuntimeError, SafetensorError) as exc:
        raise InputError(f"{path}: damaged array file: {exc}") from exc


def _jsonable(value):
    """A parameter as JSON keeps it: paths as strings, tuples as lists."""
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, np.generic):
        return value.item()
    return value


class Saved:
    """``save(folder, meta=None)`` / ``cls.load(folder, **overrides)`` for every textmine model.

    A model says what it learned through two hooks: :meth:`_save_parts` writes its own files into
    the new folder and returns (JSON-able state, arrays by name); :meth:`_load_parts` puts them
    back on a fresh instance built from the saved constructor arguments.
    """

    def get_params(self) -> dict[str, Any]:
        """The constructor's arguments (scikit-learn's ``get_params``)."""
        return {name: getattr(self, name) for name in inspect.signature(type(self)).parameters}

    def saved_params(self) -> dict[str, Any]:
        """The constructor's arguments as saved: JSON-able, without the run-time ``device``/``progress``."""
        return {k: _jsonable(v) for k, v in self.get_params().items() if k not in RUNTIME}

    def _save_parts(self, folder: Path) -> tuple[dict, dict]:
        return {}, {}

    def _load_parts(self, folder: Path, state: dict, arrays: dict) -> None:
        pass

    def save(self, folder: str | os.PathLike, *, meta: dict | None = None) -> Path:
        """Write the fitted model to ``folder`` (replaced whole if textmine wrote it); ``meta``
        (JSON-able) is kept in the config for the caller."""
        return write_model(folder, type(self).__name__, self.saved_params(), meta=meta, parts=self._save_parts)

    @classmethod
    def load(cls, folder: str | os.PathLike, **overrides):
        """A fitted model from a folder written by :meth:`save` (or a stage folder holding it in
        ``model/``); ``overrides`` replace saved parameters (``device="cuda"``)."""
        return cls.from_config(read_config(folder, cls.__name__), **overrides)

    @classmethod
    def from_config(cls, config: dict, **overrides):
        """The model a checked config (:func:`read_config`) describes, with its parts loaded."""
        folder = Path(config["folder"])
        signature = inspect.signature(cls).parameters
        params = {**config.get("params", {}), **overrides}
        for name, value in params.items():                      # JSON keeps tuples as lists
            if name in signature and isinstance(signature[name].default, tuple) and isinstance(value, list):
                params[name] = tuple(value)
        try:
            model = cls(**params)
        except TypeError as exc:
            raise InputError(f"{folder / CONFIG}: parameters do not fit {cls.__name__}: {exc}") from exc
        try:
            model._load_parts(folder, config.get("state", {}), read_tensors(folder))
        except InputError:
            raise
        except (KeyError, OSError, ValueError) as exc:
            raise InputError(f"{folder}: the saved {cls.__name__} is incomplete or damaged ({exc!r})") from exc
        return model
