"""Training under torchrun: which process this is, and the few collectives the Trainer needs.

``torchrun --nproc-per-node N prog ...`` starts N copies of ``prog`` and tells each its place in
the environment (RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR/PORT). :func:`join` reads it, joins the
process group (NCCL when the device is CUDA, one GPU per process, ``cuda:LOCAL_RANK``; gloo on CPU)
and returns a :class:`World`. A plain ``python`` run has no such variables and is a world of one,
whose every method returns its input untouched, so single-process training is exactly what it was.
"""

from __future__ import annotations

import atexit
import os
from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np
import torch
import torch.distributed as dist

from textmine.errors import InputError

__all__ = ["World", "join", "data_parallel"]


@dataclass(frozen=True)
class World:
    """This process's ``rank`` among ``size`` training processes, and the ``device`` it computes on."""

    rank: int = 0
    size: int = 1
    device: torch.device = torch.device("cpu")

    @property
    def is_main(self) -> bool:
        """Rank 0 alone writes checkpoints, logs and models, and evaluates."""
        return self.rank == 0

    def shard(self, indices: np.ndarray) -> tuple[np.ndarray, float]:
        """This rank's contiguous slice of a global batch, and its weight ``n_rank * size / n_batch``.

        DDP averages gradients over ranks; weighting each rank's per-example-mean loss by its share
        makes that average the per-example mean over the whole batch, as one process would compute
        it, even when slices are uneven. A rank whose slice is empty (a short last batch) computes
        on the batch's first example with weight 0, because every rank must join each all-reduce.
        """
        if self.size == 1:
            return indices, 1.0
        part = np.array_split(indices, self.size)[self.rank]
        if len(part) == 0:
            return indices[:1], 0.0
        return part, len(part) * self.size / len(indices)

    def mean(self, values: Mapping[str, float]) -> dict[str, float]:
        """Each value averaged over the ranks (keys must be the same on every rank)."""
        if self.size == 1:
            return dict(values)
        keys = sorted(values)
        total = torch.tensor([values[k] for k in keys], dtype=torch.float64, device=self.device)
        dist.all_reduce(total)
        return {k: v / self.size for k, v in zip(keys, total.tolist())}

    def any(self, flag: bool) -> bool:
        """True on every rank when ``flag`` is true on any (so all ranks stop at the same step)."""
        if self.size == 1:
            return flag
        value = torch.tensor([float(flag)], device=self.device)
        dist.all_reduce(value)
        return bool(value.item())

    def broadcast(self, obj: Any) -> Any:
        """Rank 0's ``obj`` on every rank."""
        if self.size == 1:
            return obj
        box = [obj]
        dist.broadcast_object_list(box, src=0)
        return box[0]

    def gather(self, obj: Any) -> list:
        """Every rank's ``obj``, in rank order, on every rank."""
        if self.size == 1:
            return [obj]
        out: list = [None] * self.size
        dist.all_gather_object(out, obj)
        return out

    def barrier(self) -> None:
        if self.size > 1:
            dist.barrier()


def join(device: torch.device) -> World:
    """The :class:`World` of this process: one process, or its place under torchrun.

    Under torchrun the process group is started once per process (and closed at exit); a CUDA
    ``device`` becomes ``cuda:LOCAL_RANK``, the GPU torchrun gives this process.

    Raises
    ------
    InputError
        torchrun asks for several processes on a device they cannot share a process group on (MPS).
    """
    size = int(os.environ.get("WORLD_SIZE", "1"))
    if size == 1:
        return World(device=device)
    if device.type == "cuda":
        device = torch.device("cuda", int(os.environ.get("LOCAL_RANK", "0")))
        torch.cuda.set_device(device)
    elif device.type != "cpu":
        raise InputError(f"torchrun started {size} processes on device {device}; distributed training "
                         "runs on CUDA (nccl) or CPU (gloo): pass --device cuda or --device cpu")
    if not dist.is_initialized():
        dist.init_process_group("nccl" if device.type == "cuda" else "gloo")
        atexit.register(dist.destroy_process_group)
    return World(rank=dist.get_rank(), size=dist.get_world_size(), device=device)


class _TrainingStep(torch.nn.Module):
    """Makes ``model.training_step`` a module's ``forward``: DDP syncs gradients through hooks it
    arms in ``forward``, so the step must be called through the wrapper, not on the model."""

    def __init__(self, model: torch.nn.Module):
        super().__init__()
        self.model = model

    def forward(self, batch):
        return self.model.training_step(batch)


def data_parallel(model: torch.nn.Module, world: World) -> torch.nn.parallel.DistributedDataParallel:
    """``model`` under DistributedDataParallel; calling the result runs ``model.training_step``."""
    ids = [world.device.index] if world.device.type == "cuda" else None
    return torch.nn.parallel.DistributedDataParallel(_TrainingStep(model), device_ids=ids)
