"""The word finder's counting passes as map-reduce on a Dask cluster (see :mod:`textmine.distributed`).

The corpus is cut into partitions (file ranges at line starts, :meth:`Corpus.partitions`) and
counted in three passes, each task writing its result to the spill folder:

1. every partition is read, cut into shards and encoded with a character index of its own; the
   shards' ids are spooled and the partition's characters returned in order of first sight;
2. the client joins those lists in partition order, which gives exactly the ids the in-process
   index gives (ids go by first sight in the whole corpus), and each partition maps its spooled
   ids onto them and counts its n-gram tables with the same kernels as :func:`count_ngrams`;
3. after the tables are merged (pairwise, in a tree), the neighbours of the frequent max_n-grams
   are counted the same way.

Integer counts merge exactly in any order, so the merged tables equal the in-process ones (unless
a table outgrows ``max_keys`` and is pruned, which both paths log). The chunking pass then reads
the spooled ids from the client, unchanged.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from textmine.atomic import atomic_dir_file
from textmine.distributed import merged_name, tree_reduce
from textmine.errors import InputError
from textmine.words import _kernels as K
from textmine.words.encode import CharIndex
from textmine.words.ngrams import NgramCounts, _Runs, context_tables, iter_shards, shard_tables

__all__ = ["DaskCounter"]

log = logging.getLogger(__name__)

_LOCAL_CAPACITY = 65535  # a partition's own index: uint16 ids, room for every CJK character it holds


def _save(path: str, tables: dict[str, tuple[np.ndarray, np.ndarray]], **scalars) -> str:
    arrays = {f"{name}.keys": keys for name, (keys, _) in tables.items()}
    arrays.update({f"{name}.counts": counts for name, (_, counts) in tables.items()})
    with atomic_dir_file(Path(path)) as tmp:
        np.savez(tmp, **arrays, **{k: np.array(v) for k, v in scalars.items()})
    return path


def _load(path: str) -> tuple[dict[str, tuple[np.ndarray, np.ndarray]], dict]:
    with np.load(path) as data:
        names = sorted({key.rsplit(".", 1)[0] for key in data.files if key.endswith(".keys")})
        tables = {name: (data[f"{name}.keys"], data[f"{name}.counts"]) for name in names}
        scalars = {key: data[key].item() for key in data.files if "." not in key}
    return tables, scalars


def _encode_partition(part, shard_chars: int, folder: str, number: int) -> tuple[str, list[str]]:
    """Spool one partition's shards as ids of its own index; return its characters in order of
    first sight and the spooled files."""
    index = CharIndex(capacity=_LOCAL_CAPACITY)
    paths = []
    for i, text in enumerate(iter_shards(part, shard_chars)):
        path = f"{folder}/p{number:05d}-{i:05d}.local.npy"
        with atomic_dir_file(Path(path)) as tmp:
            np.save(tmp, index.encode(text).astype(np.uint16))
        paths.append(path)
    if index.overflow:
        raise InputError(f"partition {number} holds more than {_LOCAL_CAPACITY} distinct CJK characters")
    return "".join(index.chars[1:]), paths


def _count_partition(local_paths: list[str], remap: np.ndarray, max_n: int, bits: int, max_keys: int,
                     out: str) -> str:
    """Map a partition's spooled ids onto the corpus-wide index (spooling them again, for the later
    passes) and count its n-gram tables of every order."""
    runs = {n: _Runs(f"{n}-gram", max_keys) for n in range(1, max_n + 1)}
    n_chars = 0
    for path in local_paths:
        ids = remap[np.load(path)]
        with atomic_dir_file(Path(_global_path(path))) as tmp:
            np.save(tmp, ids)
        tables, length = shard_tables(ids, max_n, bits)
        n_chars += length
        for n, table in tables.items():
            runs[n].add(*table)
    return _save(out, {str(n): r.table() for n, r in runs.items()}, n_chars=n_chars,
                 pruned=any(r.pruned for r in runs.values()))


def _count_partition_contexts(local_paths: list[str], members: np.ndarray, top: int, bits: int, slot: int,
                              max_keys: int, out: str) -> str:
    sides = {side: _Runs(f"{side} context-{top}", max_keys) for side in ("left", "right")}
    for path in local_paths:
        for runs, table in zip(sides.values(), context_tables(np.load(_global_path(path)), top, bits, slot, members)):
            runs.add(*table)
    return _save(out, {side: r.table() for side, r in sides.items()}, n_chars=0,
                 pruned=any(r.pruned for r in sides.values()))


def _merge(a: str, b: str, max_keys: int) -> str:
    """The tables of files ``a`` and ``b`` summed key by key (pruned past ``max_keys``, as in-process)."""
    (first, sa), (second, sb) = _load(a), _load(b)
    merged = {}
    for name in first:
        runs = _Runs(f"{name} table", max_keys)
        runs.add(*first[name])
        runs.add(*second[name])
        merged[name] = runs.table()
        sa["pruned"] = sa["pruned"] or runs.pruned
    out = merged_name(Path(a).parent, a, b)
    return _save(out, merged, n_chars=sa["n_chars"] + sb["n_chars"], pruned=sa["pruned"] or sb["pruned"])


def _global_path(local_path: str) -> str:
    return local_path.replace(".local.npy", ".ids.npy")


class DaskCounter:
    """The counting passes of :class:`WordFinder` on a Dask ``client``, spilling to ``folder``.

    ``count`` gives the same :class:`NgramCounts` as :func:`count_ngrams` (with
    ``context_min_count=None``), ``count_contexts`` the same neighbour tables as
    :meth:`NgramCounts.count_contexts`, and iterating yields the encoded shards in corpus order,
    for the chunking pass.
    """

    def __init__(self, client, folder: Path, *, max_n: int, shard_chars: int, max_keys: int,
                 partition_bytes: int = 32 << 20):
        self.client = client
        self.folder = folder
        self.max_n = max_n
        self.shard_chars = shard_chars
        self.max_keys = max_keys
        self.partition_bytes = partition_bytes
        self._local_paths: list[list[str]] = []

    def count(self, corpus) -> NgramCounts:
        if not hasattr(corpus, "partitions"):
            raise InputError("counting on a Dask cluster needs a corpus of files (open_corpus), not a list")
        parts = corpus.partitions(self.partition_bytes)
        log.info("counting %d partitions of about %d MB on %s", len(parts), self.partition_bytes >> 20,
                 self.client.scheduler.address)
        encoded = self.client.gather([self.client.submit(_encode_partition, part, self.shard_chars,
                                                         str(self.folder), i) for i, part in enumerate(parts)])
        bits = 13 if self.max_n == 4 else 16
        index = CharIndex(capacity=(1 << bits) - 1)
        # A partition's characters are distinct and in order of first sight, so encoding them in
        # partition order numbers them as the whole corpus read in one process would.
        remaps = [np.concatenate([[0], index.encode(chars)]).astype(np.uint16) for chars, _ in encoded]
        self._local_paths = [paths for _, paths in encoded]
        tables = [self.client.submit(_count_partition, paths, remap, self.max_n, bits, self.max_keys,
                                     str(self.folder / f"count-{i:05d}.npz"))
                  for i, (paths, remap) in enumerate(zip(self._local_paths, remaps))]
        merged, scalars = _load(tree_reduce(self.client, tables, _merge, self.max_keys).result())
        result = NgramCounts(max_n=self.max_n, bits=bits, index=index, n_chars=int(scalars["n_chars"]),
                             pruned=bool(scalars["pruned"]))
        for n in range(1, self.max_n + 1):
            result.keys[n], result.counts[n] = merged[str(n)]
        if result.n_chars == 0:
            raise InputError("the corpus holds no Chinese characters to count")
        if index.overflow:
            log.warning("%d rare characters beyond the first %d were treated as separators",
                        index.overflow, index.capacity)
        return result

    def count_contexts(self, counts: NgramCounts, min_count: int = 1) -> None:
        """Count the neighbours of the max_n-grams seen at least ``min_count`` times, into ``counts``."""
        top, slot = counts.max_n, counts.slot(counts.max_n)
        frequent = counts.keys[top][counts.counts[top] >= min_count]
        members = self.client.scatter(K.set_from(frequent) if min_count > 1 else np.zeros(0, np.uint64),
                                      broadcast=True)
        tables = [self.client.submit(_count_partition_contexts, paths, members, top, counts.bits, slot,
                                     self.max_keys, str(self.folder / f"context-{i:05d}.npz"))
                  for i, paths in enumerate(self._local_paths)]
        merged, scalars = _load(tree_reduce(self.client, tables, _merge, self.max_keys).result())
        counts.left[top], counts.right[top] = merged["left"], merged["right"]
        counts.pruned = counts.pruned or bool(scalars["pruned"])
        counts.context_min_count = min_count

    def __iter__(self):
        for paths in self._local_paths:
            for path in paths:
                yield np.load(_global_path(path), mmap_mode="r")
