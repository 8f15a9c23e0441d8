"""Vector files: gensim KeyedVectors in the word2vec text or binary format, written atomically.

KeyedVectors is what users already load (``KeyedVectors.load_word2vec_format``), so every method
returns one and every file this package writes is readable by gensim without textmine.
"""

from __future__ import annotations

import codecs
import logging
import os
from pathlib import Path
from typing import Sequence

import numpy as np

from textmine.atomic import atomic_dir_file
from textmine.errors import InputError
from textmine.persist import CONFIG

__all__ = ["MODEL_CONFIG", "to_keyed_vectors", "save_vectors", "load_vectors", "read_vectors"]

#: a folder holding a model config is named as a model, not a vector file, when given where vectors are expected
MODEL_CONFIG = CONFIG

log = logging.getLogger(__name__)


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


def read_vectors(path: str | os.PathLike, *, binary: bool | None = None) -> tuple[list[str], np.ndarray]:
    """The keys and rows of a word2vec text or binary file, in file order, duplicates included.

    Text files are parsed here, so a broken row is named by its line number; binary files go
    through gensim. ``binary`` None: by content (text is UTF-8 after its header line).
    """
    path = Path(path)
    if path.is_dir():
        raise InputError(_folder_not_vectors(path))
    if not path.is_file():
        raise InputError(f"vector file {path} does not exist")
    with open(path, "rb") as handle:
        head = handle.read(4096)
    if not head:
        raise InputError(f"vector file {path} is empty")
    if head.startswith(b"PK\x03\x04"):
        raise InputError(f"{path} is a .npz archive (a cluster run's graph.npz?), not a vector file: give a "
                         "word2vec text (.vec) or binary (.bin) file")
    if binary is None:
        body = head.split(b"\n", 1)[1] if b"\n" in head else b""
        try:
            codecs.getincrementaldecoder("utf-8")().decode(body, final=False)
            binary = False
        except UnicodeDecodeError:
            binary = True
    if not binary:
        return _read_text_format(path)
    from gensim.models import KeyedVectors

    try:
        kv = KeyedVectors.load_word2vec_format(str(path), binary=True)
    except (ValueError, UnicodeDecodeError, EOFError) as exc:
        raise InputError(f"{path} is not a word2vec binary vector file: {exc}") from exc
    return list(kv.index_to_key), kv.vectors


def _folder_not_vectors(path: Path) -> str:
    """What the folder ``path`` is (a saved model, an embed stage's output, another folder), and the
    vector file to give instead."""
    if (path / MODEL_CONFIG).is_file():
        what, files = "a saved embedding model folder", [path.parent / "words.vec", path.parent / "docs.vec",
                                                        path.parent / "words.bin", path.parent / "docs.bin"]
    elif (path / "model" / MODEL_CONFIG).is_file():
        what, files = "an embed output folder", [path / "words.vec", path / "docs.vec", path / "words.bin",
                                                 path / "docs.bin"]
    else:
        what, files = "a folder", sorted(p for p in path.iterdir() if p.suffix in (".vec", ".bin"))
    found = [str(f) for f in files if f.is_file()]
    hint = f"; e.g. {' or '.join(found[:2])}" if found else ""
    return f"{path} is {what}, not a vector file: give a word2vec text (.vec) or binary (.bin) file{hint}"


def _read_text_format(path: Path) -> tuple[list[str], np.ndarray]:
    from textmine.corpus.decoding import open_text

    with open_text(path) as handle:
        header = handle.readline().split()
        if len(header) != 2 or not all(x.isdigit() for x in header):
            raise InputError(f"{path} is not a word2vec text vector file: the first line must be "
                             f"'<count> <dimensions>', got {' '.join(header)!r}")
        count, dim = map(int, header)
        names, rows = [], []
        for number, line in enumerate(handle, 2):
            parts = line.rstrip("\n").rstrip(" ").split(" ")
            if not line.strip():
                continue
            if len(parts) != dim + 1:
                raise InputError(f"{path}, line {number}: expected a word and {dim} numbers, got {len(parts)} fields")
            try:
                rows.append(np.array(parts[1:], dtype=np.float32))
            except ValueError as exc:
                raise InputError(f"{path}, line {number}: {exc}") from exc
            names.append(parts[0])
    if len(names) != count:
        raise InputError(f"{path}: the header promises {count} vectors, the file holds {len(names)}")
    return names, np.vstack(rows) if rows else np.zeros((0, dim), np.float32)


def load_vectors(path: str | os.PathLike, *, binary: bool | None = None):
    """Read a word2vec text/binary file as KeyedVectors (a repeated key keeps its first row, with a
    warning); InputError names a missing or malformed file and line."""
    names, vectors = read_vectors(path, binary=binary)
    first: dict[str, int] = {}
    for i, name in enumerate(names):
        first.setdefault(name, i)
    if len(first) < len(names):
        log.warning("%s: %d repeated keys; each keeps its first vector", path, len(names) - len(first))
    return to_keyed_vectors(list(first), vectors[list(first.values())])
