"""Vector files: gensim KeyedVectors in the word2vec text or binary format, written atomically.

KeyedVectors is what users already load (``KeyedVectors.load_word2vec_format``), so every method
returns one and every file this package writes is readable by gensim without textmine.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

import numpy as np

from textmine.atomic import atomic_dir_file
from textmine.errors import InputError

__all__ = ["to_keyed_vectors", "save_vectors", "load_vectors"]


def to_keyed_vectors(keys: Sequence[str], vectors: np.ndarray):
    """Wrap an array (one row per key) as gensim KeyedVectors."""
    from gensim.models import KeyedVectors

    vectors = np.asarray(vectors, dtype=np.float32)
    kv = KeyedVectors(vector_size=vectors.shape[1])
    kv.add_vectors(list(keys), vectors)
    # rank-like counts keep the file order when gensim writes it (and silence its warning)
    kv.allocate_vecattrs(["count"], [np.int64])
    kv.expandos["count"][:] = np.arange(len(keys), 0, -1)
    return kv


def _is_binary(path: Path, binary: bool | None) -> bool:
    return path.suffix == ".bin" if binary is None else binary


def save_vectors(kv, path: str | os.PathLike, *, binary: bool | None = None) -> Path:
    """Write ``kv`` in word2vec format (binary if ``binary`` or the name ends in .bin), atomically.

    Keys containing whitespace would break the format's "key v1 v2 ..." lines, so they are refused.
    """
    path = Path(path)
    bad = [k for k in kv.index_to_key if not str(k) or any(ch.isspace() for ch in str(k))]
    if bad:
        raise InputError(f"cannot write {path}: {len(bad)} keys are empty or contain whitespace, e.g. {bad[0]!r}")
    with atomic_dir_file(path) as tmp:
        kv.save_word2vec_format(str(tmp), binary=_is_binary(path, binary))
    return path


def load_vectors(path: str | os.PathLike, *, binary: bool | None = None):
    """Read a word2vec text/binary file as KeyedVectors; InputError names a missing or malformed file."""
    from gensim.models import KeyedVectors

    path = Path(path)
    if not path.is_file():
        raise InputError(f"vector file {path} does not exist")
    try:
        return KeyedVectors.load_word2vec_format(str(path), binary=_is_binary(path, binary))
    except (ValueError, UnicodeDecodeError, EOFError) as exc:
        raise InputError(f"{path} is not a word2vec {'binary' if _is_binary(path, binary) else 'text'} "
                         f"vector file: {exc}") from exc
