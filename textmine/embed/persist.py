"""Fitted embedding models in the one textmine model folder (:mod:`textmine.persist`)::

    textmine.json        class (JoSE, MinEntropy, Word2Vec), params, state (loss history, timings,
                         training calls), meta (what the caller added: the tokenizer)
    vocab.json           {"words": [...], "counts": [...]}: row i of every word array is words[i]
    arrays.safetensors   one float32 array per learned matrix (word vectors, context vectors, ...)

Arrays are exact float32 (word2vec text would round); the vocabulary is JSON because a token may
hold a tab.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from textmine.atomic import write_json
from textmine.corpus import Vocab
from textmine.errors import InputError
from textmine.persist import Saved

__all__ = ["SavedModel"]

VOCAB = "vocab.json"


class SavedModel(Saved):
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

    def _learned(self) -> tuple[Vocab, dict[str, np.ndarray], dict[str, Any]]:
        raise NotImplementedError

    def _restore(self, vocab: Vocab, arrays: dict[str, np.ndarray], state: dict[str, Any]) -> None:
        raise NotImplementedError

    def _save_parts(self, folder: Path) -> tuple[dict, dict]:
        self._check_fitted()
        vocab, arrays, state = self._learned()
        write_json(folder / VOCAB, {"words": vocab.words, "counts": [int(c) for c in vocab.counts]})
        return state, arrays

    def _load_parts(self, folder: Path, state: dict, arrays: dict) -> None:
        cls = type(self)
        raw = json.loads((folder / VOCAB).read_text(encoding="utf-8"))
        words, counts = raw["words"], raw["counts"]
        if len(words) != len(counts) or len(set(words)) != len(words):
            raise InputError(f"{folder / VOCAB}: {len(words)} words, {len(counts)} counts, or repeated words")
        vocab = Vocab(dict(zip(words, counts)))
        if vocab.words != words:
            raise InputError(f"{folder / VOCAB}: words are not in descending order of count")
        missing = sorted(set(cls._word_arrays) - set(arrays))
        if missing:
            raise InputError(f"{folder}: the {cls.__name__} model lacks the arrays {', '.join(missing)}")
        for name, array in arrays.items():
            rows = len(array) if name in cls._doc_arrays else len(words)
            if array.ndim != 2 or len(array) != rows or array.dtype != np.float32:
                raise InputError(f"{folder}: array {name}: expected float32 of {rows} rows, "
                                 f"got {array.dtype} of shape {array.shape}")
        missing = [name for name in cls._scalars if name not in state]
        if missing:
            raise InputError(f"{folder}: the saved state lacks {', '.join(missing)}")
        for name in cls._scalars:
            setattr(self, name, state[name])
        self._restore(vocab, arrays, state)
