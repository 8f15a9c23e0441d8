"""Reading items to cluster: word2vec-format files or arrays, checked and cleaned with a report.

Rows that cannot be placed on the unit sphere (NaN, infinite or all-zero vectors) are dropped
and named in the report rather than failing the run: a few broken rows are common in vectors
written by other tools, and silently keeping them would poison every cosine they touch.
"""

from __future__ import annotations

import codecs
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from textmine.corpus.decoding import open_text
from textmine.errors import InputError

__all__ = ["Items", "load_vectors", "as_items"]


@dataclass
class Items:
    """Unit-normalised float32 vectors with their names, and what was dropped on the way."""

    names: list[str]
    vectors: np.ndarray
    dropped: dict[str, list[str]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.names)


def as_items(names, vectors, top: int | None = None) -> Items:
    """Check, truncate to the first ``top`` items, drop unusable rows and normalise."""
    vectors = np.asarray(vectors, dtype=np.float32)
    names = [str(n) for n in names]
    if vectors.ndim != 2 or len(names) != len(vectors):
        raise InputError(f"expected one vector per name: {len(names)} names, array of shape {vectors.shape}")
    if top is not None:
        if top < 2:
            raise InputError(f"top must be at least 2 items, got {top}")
        names, vectors = names[:top], vectors[:top]
    dropped: dict[str, list[str]] = {}
    finite = np.isfinite(vectors).all(axis=1)
    norms = np.linalg.norm(np.where(finite[:, None], vectors, 0), axis=1)
    zero = finite & (norms == 0)
    if (~finite).any():
        dropped["non-finite"] = [n for n, bad in zip(names, ~finite) if bad]
    if zero.any():
        dropped["zero"] = [n for n, bad in zip(names, zero) if bad]
    seen: set[str] = set()
    duplicate = np.zeros(len(names), dtype=bool)
    for i, name in enumerate(names):
        duplicate[i] = name in seen
        seen.add(name)
    if duplicate.any():
        dropped["duplicate"] = [n for n, bad in zip(names, duplicate) if bad]
    keep = finite & ~zero & ~duplicate
    if keep.sum() < 2:
        raise InputError(f"fewer than 2 usable vectors out of {len(names)} (dropped: "
                         f"{ {k: len(v) for k, v in dropped.items()} })")
    kept = vectors[keep] / norms[keep, None]
    return Items([n for n, k in zip(names, keep) if k], np.ascontiguousarray(kept, dtype=np.float32), dropped)


def _read_text_format(path: Path) -> tuple[list[str], np.ndarray]:
    with open_text(path) as handle:
        header = handle.readline().split()
        if len(header) != 2 or not all(x.isdigit() for x in header):
            raise InputError(f"{path}: the first line must be '<count> <dimensions>' (word2vec format), "
                             f"got {' '.join(header)!r}")
        count, dim = map(int, header)
        names, rows = [], []
        for number, line in enumerate(handle, 2):
            parts = line.rstrip("\n").split(" ")
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


def load_vectors(path: str | os.PathLike, top: int | None = None) -> Items:
    """Read a word2vec text or binary file (as written by gensim) into checked, normalised Items.

    Text files are parsed here so that duplicate names and broken rows are reported instead of
    silently merged; binary files go through gensim's reader.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"vector file {path} does not exist")
    with open(path, "rb") as handle:
        head = handle.read(4096)
    if not head:
        raise InputError(f"vector file {path} is empty")
    body = head.split(b"\n", 1)[1] if b"\n" in head else b""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(body, final=False)
        names, vectors = _read_text_format(path)
    except UnicodeDecodeError:
        from gensim.models import KeyedVectors

        try:
            kv = KeyedVectors.load_word2vec_format(str(path), binary=True)
        except (ValueError, EOFError) as exc:
            raise InputError(f"{path} is neither a word2vec text nor binary file: {exc}") from exc
        names, vectors = list(kv.index_to_key), kv.vectors
    return as_items(names, vectors, top=top)
