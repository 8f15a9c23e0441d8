"""Fitted embedding models saved to a folder and loaded back, with no pickle.

A saved model is a folder (the transformers ``save_pretrained`` convention: fixed names, sorted
JSON), so it can be read without textmine and cannot run code when loaded::

    config.json    {"format": "textmine.embed.model", "format_version": 1, "textmine_version": ...,
                    "class": "JoSE" | "MinEntropy" | "Word2Vec", "params": constructor arguments,
                    "state": learned scalars (loss history, timings, training calls, ...),
                    "arrays": names of the .npy files, "meta": what the caller added (tokenizer)}
    vocab.json     {"words": [...], "counts": [...]}: row i of every word array is words[i]
    NAME.npy       one float32 array per learned matrix (word vectors, context vectors, ...)

Arrays are plain ``.npy`` (exact float32, loadable with ``np.load(..., mmap_mode="r")``) rather
than word2vec text, which rounds; the vocabulary is JSON because a token may hold a tab. The
folder is written under a temporary name beside the target and renamed into place, so a crash
leaves the previous model (or nothing), never a half-written one.
"""

from __future__ import annotations

import inspect
import json
import os
from pathlib import Path
from typing import Any

import numpy as np

from textmine import __version__
from textmine.atomic import atomic_folder, write_json
from textmine.corpus import Vocab
from textmine.corpus.vectors import MODEL_CONFIG
from textmine.errors import InputError

__all__ = ["FORMAT", "FORMAT_VERSION", "SavedModel", "build_saved", "model_folder", "read_config"]

FORMAT = "textmine.embed.model"
FORMAT_VERSION = 1
CONFIG = MODEL_CONFIG
VOCAB = "vocab.json"


def model_folder(path: str | os.PathLike) -> Path:
    """The saved model at ``path``: the folder itself, or the ``model/`` an embed stage wrote into it."""
    path = Path(path)
    for folder in (path, path / "model"):
        if (folder / CONFIG).is_file():
            return folder
    if not path.exists():
        raise InputError(f"model folder {path} does not exist")
    raise InputError(f"{path} is not a saved embedding model: it must hold {CONFIG}, {VOCAB} and .npy arrays "
                     "(written by model.save(folder) or by the embed stage as OUT_DIR/model)")


def read_config(path: str | os.PathLike) -> dict:
    """The checked ``config.json`` of the model at ``path`` (see :func:`model_folder`)."""
    folder = model_folder(path)
    try:
        config = json.loads((folder / CONFIG).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"{folder / CONFIG} is not readable JSON: {exc}") from exc
    if not isinstance(config, dict) or config.get("format") != FORMAT:
        raise InputError(f"{folder / CONFIG} is not a textmine embedding model config (no format {FORMAT!r})")
    if config.get("format_version") != FORMAT_VERSION:
        raise InputError(f"{folder}: model format version {config.get('format_version')!r}; this textmine "
                         f"({__version__}) reads version {FORMAT_VERSION}")
    config["folder"] = str(folder)
    return config


class SavedModel:
    """``save(folder)`` / ``load(folder)`` for the embedding estimators.

    A subclass says what it learned through two hooks: :meth:`_learned` returns (vocab, arrays,
    JSON-able scalars) and :meth:`_restore` puts them back on a fresh instance built from the
    saved constructor arguments. ``_word_arrays`` names the arrays a saved model must hold;
    every array has one row per word except those in ``_doc_arrays``; the learned scalars named
    in ``_scalars`` are restored by the loader itself.
    """

    _word_arrays: tuple[str, ...] = ()
    _doc_arrays: tuple[str, ...] = ()
    _scalars: tuple[str, ...] = ("trainings_", "train_seconds_", "words_per_second_")

    def get_params(self) -> dict[str, Any]:
        """The constructor's arguments (scikit-learn's ``get_params``)."""
        return {name: getattr(self, name) for name in inspect.signature(type(self)).parameters}

    def _learned(self) -> tuple[Vocab, dict[str, np.ndarray], dict[str, Any]]:
        raise NotImplementedError

    def _restore(self, vocab: Vocab, arrays: dict[str, np.ndarray], state: dict[str, Any]) -> None:
        raise NotImplementedError

    def save(self, folder: str | os.PathLike, *, meta: dict | None = None) -> Path:
        """Write the fitted model to ``folder`` (replaced whole if it exists); ``meta`` (JSON-able)
        is kept in config.json for the caller, e.g. which tokenizer made the training text."""
        self._check_fitted()
        vocab, arrays, state = self._learned()
        folder = Path(folder)
        with atomic_folder(folder) as tmp:
            for name, array in arrays.items():
                np.save(tmp / f"{name}.npy", np.ascontiguousarray(array), allow_pickle=False)
            write_json(tmp / VOCAB, {"words": vocab.words, "counts": [int(c) for c in vocab.counts]})
            write_json(tmp / CONFIG, {"format": FORMAT, "format_version": FORMAT_VERSION,
                                      "textmine_version": __version__, "class": type(self).__name__,
                                      "params": self.get_params(), "state": state, "arrays": sorted(arrays),
                                      "meta": meta or {}})
        return folder

    @classmethod
    def load(cls, folder: str | os.PathLike):
        """A fitted model from a folder written by :meth:`save` (or an embed stage's output folder)."""
        config = read_config(folder)
        if config.get("class") != cls.__name__:
            raise InputError(f"{config['folder']} holds a {config.get('class')} model, not a {cls.__name__}; "
                             "load it with textmine.embed.load_model")
        return build_saved(cls, config)


def build_saved(cls, config: dict):
    folder = Path(config["folder"])
    try:
        raw = json.loads((folder / VOCAB).read_text(encoding="utf-8"))
        words, counts = raw["words"], raw["counts"]
        arrays = {name: np.load(folder / f"{name}.npy", allow_pickle=False) for name in config["arrays"]}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"{folder} is an incomplete or damaged model folder: {exc}") from exc
    if len(words) != len(counts) or len(set(words)) != len(words):
        raise InputError(f"{folder / VOCAB}: {len(words)} words, {len(counts)} counts, or repeated words")
    vocab = Vocab(dict(zip(words, counts)))
    if vocab.words != words:
        raise InputError(f"{folder / VOCAB}: words are not in descending order of count")
    missing = sorted(set(cls._word_arrays) - set(arrays))
    if missing:
        raise InputError(f"{folder}: the {cls.__name__} model lacks {', '.join(f'{m}.npy' for m in missing)}")
    for name, array in arrays.items():
        rows = len(array) if name in cls._doc_arrays else len(words)
        if array.ndim != 2 or len(array) != rows or array.dtype != np.float32:
            raise InputError(f"{folder / (name + '.npy')}: expected a float32 array of {rows} rows, "
                             f"got {array.dtype} of shape {array.shape}")
    try:
        model = cls(**config["params"])
    except TypeError as exc:
        raise InputError(f"{folder / CONFIG}: parameters do not fit {cls.__name__}: {exc}") from exc
    state = config.get("state", {})
    missing = [name for name in cls._scalars if name not in state]
    if missing:
        raise InputError(f"{folder / CONFIG}: the state lacks {', '.join(missing)}")
    for name in cls._scalars:
        setattr(model, name, state[name])
    try:
        model._restore(vocab, arrays, state)
    except KeyError as exc:
        raise InputError(f"{folder}: the saved {cls.__name__} lacks {exc} (an array or a state entry)") from exc
    return model
