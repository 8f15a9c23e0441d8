"""Counting on a Dask cluster: connecting to one, and merging partial tables in a tree.

``scheduler`` names where counting runs: ``"local"`` (in this process, the default),
``"processes"`` (a ``LocalCluster`` of worker processes on this machine) or a scheduler address
``"tcp://HOST:PORT"``. Dask does the scheduling, data movement and retries (a task whose worker
dies is run again elsewhere), so every task here is a pure function of its inputs that writes its
result atomically to a spill folder and returns only the file's path: partial tables move
between workers as files, never as Python objects. Workers on other machines must see the spill
folder at the same path (a shared file system).
"""

from __future__ import annotations

import collections
import contextlib
import hashlib
import os
import tempfile
from pathlib import Path
from typing import Callable, Iterable, Iterator

from textmine.errors import InputError, require

__all__ = ["SCHEDULERS", "check_scheduler", "dask_client", "dask_session", "in_order", "merged_name", "spill_folder", "tree_reduce"]

SCHEDULERS = ("local", "processes", "tcp://HOST:PORT")


def check_scheduler(scheduler: str) -> str:
    """``scheduler`` if it is one of SCHEDULERS' forms; an InputError naming them otherwise."""
    if scheduler in ("local", "processes") or (isinstance(scheduler, str) and scheduler.startswith("tcp://")):
        return scheduler
    raise InputError(f"scheduler must be local, processes or tcp://HOST:PORT, got {scheduler!r}")


@contextlib.contextmanager
def dask_client(scheduler: str, *, workers: int = 2) -> Iterator:
    """A ``distributed.Client`` for ``scheduler`` (None for "local"), closed on exit.

    "processes" starts ``workers`` single-threaded worker processes (counting kernels release
    the GIL, but one task a worker keeps each worker's memory to one partition at a time).
    """
    if check_scheduler(scheduler) == "local":
        yield None
        return
    distributed = require("distributed", "'textmine[dask]'")
    Client, KilledWorker, LocalCluster = distributed.Client, distributed.KilledWorker, distributed.LocalCluster
    if workers < 1:
        raise InputError(f"workers must be at least 1, got {workers}")
    with contextlib.ExitStack() as stack:
        if scheduler == "processes":
            cluster = stack.enter_context(LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                                       dashboard_address=":0"))
            address = cluster
        else:
            address = scheduler
        try:
            client = stack.enter_context(Client(address, timeout="5s"))
        except OSError as exc:
            raise InputError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
        try:
            yield client
        except KilledWorker as exc:  # Dask retried the task on other workers, and they died too
            raise InputError(f"Dask workers kept dying on one task ({exc}); too little memory per worker?") from None


@contextlib.contextmanager
def spill_folder(spill_dir: str | os.PathLike | None) -> Iterator[Path]:
    """A fresh folder for one run's partial tables, inside ``spill_dir`` (the system's temporary
    folder when None), removed with everything in it on exit."""
    if spill_dir is not None and not Path(spill_dir).is_dir():
        raise InputError(f"spill folder {spill_dir} does not exist")
    with tempfile.TemporaryDirectory(prefix="textmine-spill-", dir=spill_dir) as folder:
        yield Path(folder)


def in_order(executor, fn: Callable, items: Iterable, ahead: int) -> Iterator:
    """``fn`` over ``items`` on ``executor`` (a thread pool or a Dask client: anything with
    ``submit``), results in order, at most ``ahead`` items in flight, so memory stays bounded
    while the caller's thread produces the next item."""
    pending: collections.deque = collections.deque()
    for item in items:
        pending.append(executor.submit(fn, item))
        if len(pending) >= ahead:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


@contextlib.contextmanager
def dask_session(scheduler: str, *, workers: int = 2, spill_dir: str | os.PathLike | None = None) -> Iterator:
    """(client, spill folder) for ``scheduler``, both closed on exit; (None, None) for "local"."""
    if check_scheduler(scheduler) == "local":
        yield None, None
        return
    with dask_client(scheduler, workers=workers) as client, spill_folder(spill_dir) as folder:
        yield client, folder


def merged_name(folder: Path, a: str, b: str) -> str:
    """Where the merge of files ``a`` and ``b`` goes: named by its inputs, so a retried merge
    writes the same file."""
    return str(folder / (hashlib.sha1(f"{a}\n{b}".encode()).hexdigest()[:20] + ".npz"))


def tree_reduce(client, futures: list, merge: Callable, *args):
    """Merge ``futures`` (file paths) pairwise, level by level, into one future:
    ``merge(a, b, *args)`` must return the path of their merged table. Neighbours are merged,
    so the order of the partitions is kept."""
    if not futures:
        raise InputError("nothing to merge: the corpus gave no partitions")
    while len(futures) > 1:
        paired = [client.submit(merge, a, b, *args) for a, b in zip(futures[::2], futures[1::2])]
        futures = paired + futures[len(paired) * 2:]
    return futures[0]
