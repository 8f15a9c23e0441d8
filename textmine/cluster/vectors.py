"""Reading items to cluster: word2vec-format files or arrays, checked and cleaned with a report.

Rows that cannot be placed on the unit sphere (NaN, infinite or all-zero vectors) are dropped
and named in the report rather than failing the run: a few broken rows are common in vectors
written by other tools, and silently keeping them would poison every cosine they touch. Both the
rows dropped and a ``top`` limit that cuts the file are logged as warnings with their counts.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from typing import Collection

import numpy as np

from textmine.errors import InputError

__all__ = ["Items", "load_items", "as_items"]

log = logging.getLogger(__name__)

_DROPPED = {"non-finite": "with NaN or infinite values", "zero": "all zero", "duplicate": "repeating an earlier name"}


@dataclass
class Items:
    """Unit-normalised float32 vectors with their names, and what was dropped on the way.

    ``rows``: each item's row in what was read, after ``only`` chose some (so that ``rows[-1] + 1``
    rows give these items), ``read``: how many rows there were before a ``top`` limit cut them."""

    names: list[str]
    vectors: np.ndarray
    dropped: dict[str, list[str]] = field(default_factory=dict)
    rows: np.ndarray | None = None
    read: int | None = None

    def __len__(self) -> int:
        return len(self.names)


def as_items(names, vectors, top: int | None = None, *, only: Collection[str] | None = None,
             source: str = "vectors") -> Items:
    """Check, keep the names in ``only`` (when given), truncate to the first ``top`` items, drop
    unusable rows and normalise; a cut and dropped rows are logged as warnings (``source`` names
    the input in them)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    names = [str(n) for n in names]
    if vectors.ndim != 2 or len(names) != len(vectors):
        raise InputError(f"expected one vector per name: {len(names)} names, array of shape {vectors.shape}")
    if only is not None:
        chosen = [i for i, name in enumerate(names) if name in only]
        log.info("%s: %d of %d vectors are among the %d words asked for", source, len(chosen), len(names), len(only))
        names, vectors = [names[i] for i in chosen], vectors[chosen]
    read = len(names)
    if top is not None:
        if top < 2:
            raise InputError(f"top must be at least 2 items, got {top}")
        if top < read:
            log.warning("%s: clustering the first %d of %d vectors, as --top-words (top_words) %d asks; %d left out",
                        source, top, read, top, read - top)
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
    if dropped:
        log.warning("%s: dropped %d of %d vectors: %s", source, int((~keep).sum()), len(names),
                    "; ".join(f"{len(v)} {_DROPPED[k]} (e.g. {', '.join(v[:3])})" for k, v in dropped.items()))
    if keep.sum() < 2:
        raise InputError(f"fewer than 2 usable vectors out of {len(names)} (dropped: "
                         f"{ {k: len(v) for k, v in dropped.items()} })")
    kept = vectors[keep] / norms[keep, None]
    return Items([n for n, k in zip(names, keep) if k], np.ascontiguousarray(kept, dtype=np.float32), dropped,
                 np.flatnonzero(keep), read)


def load_items(path: str | os.PathLike, top: int | None = None, *, only: Collection[str] | None = None) -> Items:
    """Read a word2vec text or binary file (through :func:`textmine.corpus.read_vectors`) into
    checked, normalised Items; repeated names are reported, not silently merged."""
    from textmine.corpus.vectors import read_vectors

    return as_items(*read_vectors(path), top=top, only=only, source=str(path))
