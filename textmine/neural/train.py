"""One training loop for every textmine model (QA generation, entity linking, the text VAE).

A model only has to provide ``training_step(batch)``, returning either a scalar loss tensor or a
dict of named scalars whose ``"loss"`` entry is the one optimised (the others, e.g. a VAE's ``"rec"``
and ``"kl"``, are only logged). The :class:`Trainer` owns the optimiser (AdamW), gradient
accumulation, clipping, warm-up + linear/cosine decay, an exponential moving average (EMA) of the
weights used for evaluation and saving, evaluation every ``eval_every`` steps with early stopping,
a JSON-lines metrics log, and atomic, resumable checkpoints.

Resuming reproduces the uninterrupted run: the data order of epoch ``e`` is a permutation drawn from
``numpy_rng((seed, e))``, so the checkpoint only stores ``(epoch, batch)`` and skips to it; the
optimiser, scheduler, EMA and the python/numpy/torch RNG states (torch's global one drives dropout)
are restored, and log lines written after the checkpoint by the killed run are dropped. A
checkpoint also records its format version and the hyper-parameters of the Trainer and of the model
(``model.hparams()`` where the model has it), so a folder says how it was trained. Like a saved
model it is a folder of JSON and safetensors (:func:`save_checkpoint`), formats that cannot carry
code: a checkpoint someone placed in a run folder cannot run code when the run resumes, and the
pickled ``checkpoint.pt`` of an older textmine is refused unread.

Under ``torchrun --nproc-per-node N`` the same loop trains data-parallel (see
:mod:`textmine.neural.distributed`): ``batch_size`` stays the global batch, every rank draws the
same permutation and computes on its slice of each batch, DistributedDataParallel averages the
gradients, weighted so that they equal the one-process gradient of a per-example-mean loss, and the
logged losses are those of the whole batch. Rank 0 alone evaluates and writes checkpoints, logs
and models; each checkpoint keeps every rank's RNG state, so all ranks resume where they were.
"""

from __future__ import annotations

import contextlib
import gc
import json
import logging
import math
import os
import random
import signal
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

import numpy as np
import torch
from safetensors import SafetensorError
from safetensors.torch import load_file, save_file
from tqdm.auto import tqdm

from textmine import __version__
from textmine.atomic import atomic_folder, atomic_open, write_json
from textmine.errors import InputError
from textmine.manifest import CHECKPOINT_NAME
from textmine.neural.device import autocast, choose_device, numpy_rng, seed_torch
from textmine.neural.distributed import data_parallel, join
from textmine.persist import own_cpu_copy, write_model

__all__ = ["Trainer", "TrainResult", "EMA", "save_checkpoint", "load_checkpoint", "CHECKPOINT_FORMAT"]

log = logging.getLogger(__name__)

CHECKPOINT = CHECKPOINT_NAME
OLD_CHECKPOINT = "checkpoint.pt"                   # the pickled checkpoint of textmine before format 4
STATE, TENSORS = "state.json", "tensors.safetensors"
METRICS = "metrics.jsonl"
#: Version of the checkpoint layout: 1 was unversioned, 2 added the hyper-parameters, 3 kept numpy's
#: RNG state as plain data, 4 is a folder of JSON and safetensors instead of a torch pickle.
CHECKPOINT_FORMAT = 4
_TENSOR = "$tensor"                                # {"$tensor": name} in the JSON stands for a stored tensor


def save_checkpoint(path: str | os.PathLike, state: Mapping) -> None:
    """Write ``state`` (dicts, lists and tuples of tensors and plain data) as the folder ``path``:
    ``state.json`` holds the data with each tensor replaced by ``{"$tensor": name}``, and
    ``tensors.safetensors`` the tensors by those names (``model.lin.weight``,
    ``optimizer.state.0.exp_avg``). Neither format can carry code. The folder is built beside
    ``path`` and renamed into place, so a crash keeps the old checkpoint, and a folder textmine did
    not write is never replaced. JSON keeps dict keys as strings and tuples as lists."""
    tensors: dict[str, torch.Tensor] = {}
    data = _split(state, "", tensors)
    with atomic_folder(path) as tmp:
        save_file(tensors, str(tmp / TENSORS))
        write_json(tmp / STATE, {"textmine_version": __version__, "state": data})


def load_checkpoint(path: str | os.PathLike) -> dict:
    """The state :func:`save_checkpoint` wrote to ``path``, tensors on the CPU. Only JSON and
    safetensors are parsed, so a checkpoint someone put in a run folder cannot run code; a damaged
    or incomplete one is a one-line :class:`InputError`."""
    path = Path(path)
    try:
        data = json.loads((path / STATE).read_text(encoding="utf-8"))["state"]
        state = _join(data, load_file(str(path / TENSORS)))
        if not isinstance(state, dict):
            raise TypeError(f"its state is a {type(state).__name__}, not an object")
        return state
    except (OSError, ValueError, KeyError, TypeError, SafetensorError) as exc:
        raise InputError(f"checkpoint {path} is damaged or incomplete ({type(exc).__name__}: {exc}); delete it, "
                         "or pass --no-resume (resume=False), to train from the start") from None


def _split(value: Any, name: str, tensors: dict[str, torch.Tensor]) -> Any:
    """``value`` as JSON data; each tensor goes to ``tensors`` under its dotted path."""
    if torch.is_tensor(value):
        tensors[name] = own_cpu_copy(value)
        return {_TENSOR: name}
    prefix = f"{name}." if name else ""
    if isinstance(value, Mapping):
        return {str(k): _split(v, f"{prefix}{k}", tensors) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_split(v, f"{prefix}{i}", tensors) for i, v in enumerate(value)]
    return value


def _join(value: Any, tensors: Mapping[str, torch.Tensor]) -> Any:
    """The inverse of :func:`_split`: put the tensors back in place of their references."""
    if isinstance(value, dict):
        if set(value) == {_TENSOR}:
            return tensors[value[_TENSOR]]
        return {k: _join(v, tensors) for k, v in value.items()}
    if isinstance(value, list):
        return [_join(v, tensors) for v in value]
    return value


class EMA:
    """Exponential moving average of a model's floating-point parameters.

    ``decay`` ramps up as ``min(decay, (1 + n) / (10 + n))`` so early averages are not dominated by
    the random initial weights.
    """

    def __init__(self, model: torch.nn.Module, decay: float):
        self.decay, self.updates = decay, 0
        self.shadow = {n: p.detach().clone() for n, p in model.named_parameters() if p.dtype.is_floating_point}

    @torch.no_grad()
    def update(self, model: torch.nn.Module) -> None:
        self.updates += 1
        d = min(self.decay, (1 + self.updates) / (10 + self.updates))
        for name, p in model.named_parameters():
            if name in self.shadow:
                self.shadow[name].mul_(d).add_(p.detach(), alpha=1 - d)

    @torch.no_grad()
    def swap(self, model: torch.nn.Module) -> None:
        """Exchange the model's weights with the averaged ones (call twice to undo)."""
        for name, p in model.named_parameters():
            if name in self.shadow:
                tmp = p.detach().clone()
                p.copy_(self.shadow[name])
                self.shadow[name].copy_(tmp)

    def state_dict(self) -> dict:
        return {"decay": self.decay, "updates": self.updates, "shadow": self.shadow}

    def load_state_dict(self, state: dict) -> None:
        self.decay, self.updates = state["decay"], state["updates"]
        for name, value in state["shadow"].items():
            self.shadow[name].copy_(value)


@dataclass
class TrainResult:
    """What :meth:`Trainer.fit` did: ``steps`` done, ``best`` dev metric and its ``best_step``,
    whether it ``stopped_early``, the per-step optimised ``losses`` of this call, every named loss
    per step in ``terms`` (``terms["loss"] == losses``), and the output ``files``."""

    steps: int
    best: float | None
    best_step: int | None
    stopped_early: bool
    losses: list[float] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)
    terms: dict[str, list[float]] = field(default_factory=dict)


def _schedule(kind: str, warmup: int, total: int) -> Callable[[int], float]:
    def factor(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        frac = min(1.0, (step - warmup) / max(1, total - warmup))
        return 1.0 - frac if kind == "linear" else 0.5 * (1.0 + math.cos(math.pi * frac))
    return factor


def _named_losses(out: torch.Tensor | Mapping[str, Any]) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
    """Split what ``training_step`` returned into the loss to optimise and all named values."""
    if isinstance(out, Mapping):
        if "loss" not in out:
            raise InputError(f"training_step returned a dict with keys {sorted(out)}; it needs a 'loss' "
                             "entry (the value to optimise), the other entries are only logged")
        return out["loss"], dict(out)
    return out, {"loss": out}


@dataclass
class _Run:
    """The loop's state: everything a checkpoint keeps besides the trainer's own settings."""

    model: torch.nn.Module
    opt: torch.optim.Optimizer
    sched: torch.optim.lr_scheduler.LambdaLR
    ema: EMA | None
    ddp: torch.nn.Module | None = None                 # the DDP wrapper when several processes train
    batches: list[np.ndarray] = field(default_factory=list)
    step: int = 0
    epoch: int = 0
    position: int = 0
    best: float | None = None
    best_step: int | None = None
    bad: int = 0
    stopped: bool = False


@contextlib.contextmanager
def _deferred_interrupt(signals: Sequence[int] = (signal.SIGINT,)):
    """Ctrl-C during training lets the current step finish, so the checkpoint written before
    stopping holds a consistent state (weights, optimiser and data position of the same step).
    torchrun passes a Ctrl-C or a kill on to its workers as SIGINT or SIGTERM, so those defer both."""
    if threading.current_thread() is not threading.main_thread():
        yield lambda: False
        return
    hits: list[int] = []
    previous = {sig: signal.signal(sig, lambda *_: hits.append(1)) for sig in signals}
    try:
        yield lambda: bool(hits)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextlib.contextmanager
def _run_folder(folder: Path):
    """Make ``folder``; a run that fails before writing into it removes it again, while one that
    wrote a checkpoint keeps it, so that it can resume."""
    made = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    try:
        yield
    except BaseException:
        if made and not any(folder.iterdir()):
            with contextlib.suppress(OSError):                      # another rank may be writing into it
                folder.rmdir()
        raise


def _rng_state() -> dict:
    """The global RNG states as tensors and plain data (numpy's key array becomes a list)."""
    numpy_state = np.random.get_state(legacy=False)
    numpy_state["state"]["key"] = numpy_state["state"]["key"].tolist()
    return {"rng_python": random.getstate(), "rng_numpy": numpy_state,
            "rng_torch": torch.random.get_rng_state(),
            "rng_cuda": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else None}


def _set_rng_state(state: Mapping[str, Any]) -> None:
    version, internal, gauss = state["rng_python"]              # JSON gave lists; random wants tuples
    random.setstate((version, tuple(internal), gauss))
    np.random.set_state(state["rng_numpy"])
    torch.random.set_rng_state(state["rng_torch"])
    if torch.cuda.is_available() and state.get("rng_cuda") is not None:
        torch.cuda.set_rng_state_all(state["rng_cuda"])


class Trainer:
    """Train any module with ``training_step(batch) -> loss`` (a scalar, or ``{"loss": ..., name: ...}``).

    Parameters
    ----------
    out_dir : path
        Receives ``checkpoint/``, ``metrics.jsonl``, ``best/`` and ``model/``: models with a
        ``save(folder)`` method are saved with it, others as a model folder of their weights.
    max_steps : int
        Optimiser updates in total (across resumes).
    batch_size, grad_accum : int
        Examples per micro-batch; micro-batches per update. Under torchrun ``batch_size`` is the
        global micro-batch, split across the processes, so a run matches the one-process run.
    lr, weight_decay : float
        AdamW; no decay on biases and LayerNorm weights.
    warmup : int or float
        Warm-up updates (a float < 1 is a fraction of ``max_steps``), then ``schedule`` decay to 0.
    schedule : {"linear", "cosine"}
    clip : float or None
        Global gradient-norm clip.
    ema_decay : float or None
        EMA of the weights, used for evaluation, ``best`` and the final model; ``None`` turns it off.
    eval_every : int
        Evaluate (and checkpoint) every this many updates, and at the end.
    patience : int or None
        Stop after this many evaluations without improvement of ``metric``.
    metric, mode : str
        Key of the evaluation dict to watch, and "min" or "max".
    log_every : int
        Append the training losses (every named one) to ``metrics.jsonl`` every this many updates.
    seed : int
    device : str or None
        See :func:`textmine.neural.choose_device`.
    progress : bool
        Show a tqdm bar.
    """

    def __init__(self, out_dir, *, max_steps: int = 1000, batch_size: int = 32, grad_accum: int = 1,
                 lr: float = 5e-5, weight_decay: float = 0.01, warmup: int | float = 0.1,
                 schedule: str = "linear", clip: float | None = 1.0, ema_decay: float | None = 0.999,
                 eval_every: int = 200, patience: int | None = None, metric: str = "loss", mode: str = "min",
                 log_every: int = 1, seed: int = 0, device: str | None = None, progress: bool = False):
        self.out_dir, self.max_steps, self.batch_size, self.grad_accum = Path(out_dir), max_steps, batch_size, grad_accum
        self.lr, self.weight_decay, self.warmup, self.schedule, self.clip = lr, weight_decay, warmup, schedule, clip
        self.ema_decay, self.eval_every, self.patience, self.metric, self.mode = ema_decay, eval_every, patience, metric, mode
        self.log_every, self.seed, self.device, self.progress = log_every, seed, device, progress
        for name in ("max_steps", "batch_size", "grad_accum", "eval_every", "log_every"):
            if int(getattr(self, name)) < 1:
                raise InputError(f"{name}={getattr(self, name)} must be a positive integer")
        if schedule not in ("linear", "cosine"):
            raise InputError(f"schedule={schedule!r}; expected 'linear' or 'cosine'")
        if mode not in ("min", "max"):
            raise InputError(f"mode={mode!r}; expected 'min' or 'max'")

    _HPARAMS = ("max_steps", "batch_size", "grad_accum", "lr", "weight_decay", "warmup", "schedule", "clip",
                "ema_decay", "eval_every", "patience", "metric", "mode", "log_every", "seed")

    def hparams(self) -> dict:
        """The settings that shape a run (not where it runs or whether it shows a bar)."""
        return {name: getattr(self, name) for name in self._HPARAMS}

    # ------------------------------------------------------------------ pieces
    def _optimizer(self, model):
        decay, plain = [], []
        for name, p in model.named_parameters():
            if p.requires_grad:
                (plain if p.ndim < 2 or "LayerNorm" in name else decay).append(p)
        return torch.optim.AdamW([{"params": decay, "weight_decay": self.weight_decay},
                                  {"params": plain, "weight_decay": 0.0}], lr=self.lr)

    def _batches(self, n: int, epoch: int) -> list[np.ndarray]:
        order = numpy_rng((self.seed, epoch)).permutation(n)
        return [order[i: i + self.batch_size] for i in range(0, n, self.batch_size)]

    def _save_model(self, model, name: str) -> str:
        """Rank 0 writes; every rank gets the path. A module without ``save`` still gets the one
        model-folder format (:mod:`textmine.persist`): a config and its weights, no pickle."""
        folder = self.out_dir / name
        if self._world.is_main:
            if hasattr(model, "save"):
                model.save(folder)
            else:
                write_model(folder, type(model).__name__, {}, parts=lambda _: ({}, model.state_dict()))
        return str(folder)

    @torch.no_grad()
    def _evaluate(self, model, dev_data, collate, evaluate) -> dict[str, float]:
        """``evaluate(model)``, or the example-weighted mean of every named training loss over ``dev_data``."""
        model.eval()
        try:
            if evaluate is not None:
                return {k: float(v) for k, v in evaluate(model).items()}
            totals: dict[str, float] = {}
            for i in range(0, len(dev_data), self.batch_size):
                items = [dev_data[j] for j in range(i, min(i + self.batch_size, len(dev_data)))]
                with autocast(self._dev):
                    _, named = _named_losses(model.training_step(collate(items)))
                for key, value in named.items():
                    totals[key] = totals.get(key, 0.0) + float(value) * len(items)
            return {key: total / len(dev_data) for key, total in totals.items()}
        finally:
            model.train()

    def _truncate_log(self, step: int) -> None:
        """Drop log lines the killed run wrote after its last checkpoint (they will be redone)."""
        path = self.out_dir / METRICS
        if not self._world.is_main or not path.is_file():
            return
        lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
        kept = [ln for ln in lines if json.loads(ln).get("step", 0) <= step]
        with atomic_open(path) as handle:
            handle.write("".join(ln + "\n" for ln in kept))

    def _log(self, record: dict) -> None:
        if not self._world.is_main:
            return
        with open(self.out_dir / METRICS, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")

    # ------------------------------------------------------------------ set-up and resume
    def _start(self, model: torch.nn.Module, n_train: int, resume: bool) -> _Run:
        """Optimiser, schedule and EMA for ``model``; restored from the checkpoint when resuming."""
        self._world = join(choose_device(self.device))
        self._dev = self._world.device
        if self.batch_size < self._world.size:
            raise InputError(f"batch_size={self.batch_size} is the global batch, split across the "
                             f"{self._world.size} torchrun processes; it must be at least that many")
        model.to(self._dev).train()
        opt = self._optimizer(model)
        warmup = int(self.warmup * self.max_steps) if isinstance(self.warmup, float) and self.warmup < 1 else int(self.warmup)
        sched = torch.optim.lr_scheduler.LambdaLR(opt, _schedule(self.schedule, max(warmup, 1), self.max_steps))
        run = _Run(model, opt, sched, EMA(model, self.ema_decay) if self.ema_decay else None)
        ckpt_path = self.out_dir / CHECKPOINT
        if resume and not ckpt_path.exists() and (self.out_dir / OLD_CHECKPOINT).exists():
            raise InputError(f"checkpoint {self.out_dir / OLD_CHECKPOINT} is in the pickled format of textmine "
                             f"before checkpoint format {CHECKPOINT_FORMAT}, so it is not loaded; delete it, or "
                             "pass --no-resume (resume=False), to train from the start")
        if resume and ckpt_path.exists():
            self._restore(run, load_checkpoint(ckpt_path), ckpt_path)
        else:
            self._seed()
            self._truncate_log(0)
        if self._world.size > 1:
            run.ddp = data_parallel(model, self._world)
        run.batches = self._batches(n_train, run.epoch)
        return run

    @staticmethod
    def _release(run: _Run) -> None:
        """Free the DDP wrapper while the interpreter is whole: its reducer holds gloo's last work
        objects, and freed at interpreter shutdown instead they can abort the process after its
        outputs are written ("terminate called without an active exception", pytorch PR 179291)."""
        if run.ddp is not None:
            run.ddp = None
            gc.collect()

    def _seed(self) -> None:
        """Seed the global RNGs at the start of a run; each rank its own, for its own dropout."""
        seed_torch(self.seed + self._world.rank)
        random.seed(self.seed + self._world.rank)

    def _restore(self, run: _Run, state: dict, path: Path) -> None:
        """Put a loaded checkpoint back; one that does not fit the model or lacks a part (a damaged or
        crafted ``state.json``) is a one-line :class:`InputError`."""
        found = state.get("format", 1)
        if found != CHECKPOINT_FORMAT:
            raise InputError(f"checkpoint {path} has format version {found}, but this textmine reads version "
                             f"{CHECKPOINT_FORMAT}; delete it (or pass resume=False) to train from the start")
        try:
            self._put_back(run, state, path)
        except (LookupError, AttributeError, TypeError, ValueError, RuntimeError) as exc:
            reason = " ".join(str(exc).split())                     # load_state_dict's message spans lines
            raise InputError(f"checkpoint {path} does not fit this model or is damaged ({type(exc).__name__}: "
                             f"{reason}); delete it, or pass --no-resume (resume=False), to train from the start"
                             ) from None
        self._truncate_log(run.step)
        log.info("resumed from %s at step %d", path, run.step)

    def _put_back(self, run: _Run, state: dict, path: Path) -> None:
        changed = {k: (v, state["trainer"].get(k)) for k, v in self.hparams().items()
                   if k != "max_steps" and state["trainer"].get(k) != v}
        if changed:
            log.warning("resuming %s with changed settings (now, then): %s; the run will not match an "
                        "uninterrupted one", path, changed)
        run.model.load_state_dict(state["model"])
        optimizer = state["optimizer"]                             # JSON made the parameter numbers strings
        run.opt.load_state_dict({**optimizer, "state": {int(k): v for k, v in optimizer["state"].items()}})
        run.sched.load_state_dict(state["scheduler"])
        if run.ema is not None and state.get("ema"):
            run.ema.load_state_dict(state["ema"])
        run.step, run.epoch, run.position = state["step"], state["epoch"], state["position"]
        run.best, run.best_step, run.bad = state["best"], state["best_step"], state["bad"]
        run.stopped = state.get("stopped", False)
        rank, saved_by = self._world.rank, state.get("world_size", 1)
        if rank == 0:
            _set_rng_state(state)
        elif saved_by == self._world.size:
            _set_rng_state(state["rng_ranks"][rank - 1])
        else:
            self._seed()
        if saved_by != self._world.size and self._world.is_main:
            log.warning("resuming %s, written by %d processes, with %d: the data order is the same but the "
                        "dropout draws are not", path, saved_by, self._world.size)

    # ------------------------------------------------------------------ one update
    def _next_batch(self, run: _Run, train_data: Sequence[Any], collate: Callable[[list], Any]):
        """This rank's part of the next global batch, and its weight (see :meth:`World.shard`)."""
        if run.position >= len(run.batches):
            run.epoch, run.position = run.epoch + 1, 0
            run.batches = self._batches(len(train_data), run.epoch)
        indices, share = self._world.shard(run.batches[run.position])
        batch = collate([train_data[int(i)] for i in indices])
        run.position += 1
        return batch, share

    def _optimise(self, run: _Run, train_data: Sequence[Any], collate: Callable[[list], Any]) -> dict[str, float]:
        """One optimiser update over ``grad_accum`` micro-batches; the mean of each named loss.

        Under DDP, gradients are all-reduced only on the last micro-batch (``no_sync`` before it).
        """
        run.opt.zero_grad(set_to_none=True)
        sums: dict[str, float] = {}
        step = run.model.training_step if run.ddp is None else run.ddp
        for micro in range(self.grad_accum):
            batch, share = self._next_batch(run, train_data, collate)
            quiet = run.ddp is not None and micro < self.grad_accum - 1
            with run.ddp.no_sync() if quiet else contextlib.nullcontext():
                with autocast(self._dev):
                    loss, named = _named_losses(step(batch))
                (loss * share / self.grad_accum).backward()
            for key, value in named.items():
                value = float(value.detach() if torch.is_tensor(value) else value)
                sums[key] = sums.get(key, 0.0) + value * share / self.grad_accum
        sums = self._world.mean(sums)
        if self.clip:
            torch.nn.utils.clip_grad_norm_(run.model.parameters(), self.clip)
        run.opt.step()
        run.sched.step()
        if run.ema is not None:
            run.ema.update(run.model)
        run.step += 1
        return sums

    # ------------------------------------------------------------------ evaluation and checkpoints
    def _evaluate_and_track(self, run: _Run, dev_data, collate, evaluate, files: dict[str, str]) -> None:
        """Evaluate the averaged weights, keep the best model, and decide on early stopping.

        Rank 0 evaluates (``evaluate`` is any callable, so it cannot be split) while the others
        wait; they receive its verdict so all stop together.
        """
        if self._world.is_main:
            if run.ema is not None:
                run.ema.swap(run.model)
            try:
                metrics = self._evaluate(run.model, dev_data, collate, evaluate)
                value = metrics[self.metric]
                if run.best is None or (value < run.best if self.mode == "min" else value > run.best):
                    run.best, run.best_step, run.bad = value, run.step, 0
                    files["best"] = self._save_model(run.model, "best")
                else:
                    run.bad += 1
            finally:
                if run.ema is not None:
                    run.ema.swap(run.model)
            self._log({"step": run.step, "eval": metrics, "best": run.best, "best_step": run.best_step})
            run.stopped = self.patience is not None and run.bad >= self.patience
        run.best, run.best_step, run.bad, run.stopped, best = self._world.broadcast(
            (run.best, run.best_step, run.bad, run.stopped, files.get("best")))
        if best is not None:
            files["best"] = best

    def _checkpoint(self, run: _Run) -> None:
        """Rank 0 writes the state with every rank's RNG; the others wait until it is on disk."""
        rngs = self._world.gather(_rng_state())
        if self._world.is_main:
            model_hparams = run.model.hparams() if callable(getattr(run.model, "hparams", None)) else None
            save_checkpoint(self.out_dir / CHECKPOINT, {
                "format": CHECKPOINT_FORMAT, "trainer": self.hparams(), "model_hparams": model_hparams,
                "model": run.model.state_dict(), "optimizer": run.opt.state_dict(),
                "scheduler": run.sched.state_dict(), "ema": run.ema.state_dict() if run.ema is not None else None,
                "step": run.step, "epoch": run.epoch, "position": run.position, "best": run.best,
                "best_step": run.best_step, "bad": run.bad, "stopped": run.stopped, **rngs[0],
                "world_size": self._world.size, "rng_ranks": rngs[1:]})
        self._world.barrier()

    # ------------------------------------------------------------------ loop
    def fit(self, model: torch.nn.Module, train_data: Sequence[Any], collate: Callable[[list], Any], *,
            dev_data: Sequence[Any] | None = None, evaluate: Callable[[torch.nn.Module], dict] | None = None,
            resume: bool = True) -> TrainResult:
        """Train ``model`` on ``train_data`` (indexable; ``collate(list_of_items) -> batch``).

        Dev evaluation uses ``evaluate(model) -> {metric: value}`` if given, else the mean of every
        named ``training_step`` loss over ``dev_data``; with neither, no evaluation and no early
        stopping. ``resume=True`` continues from ``out_dir/checkpoint/`` when it exists. Afterwards
        the model holds the EMA (or last) weights; ``out_dir/best`` holds those of the best evaluation.

        Raises
        ------
        InputError
            ``train_data`` is empty, ``training_step`` returned a dict without ``"loss"``, or the
            checkpoint to resume has another format version (an old ``checkpoint.pt`` included), is
            damaged, or does not fit the model.
        """
        if len(train_data) == 0:
            raise InputError("train_data is empty; expected at least one training example")
        with _run_folder(self.out_dir):
            return self._fit(model, train_data, collate, dev_data, evaluate, resume)

    def _fit(self, model, train_data, collate, dev_data, evaluate, resume) -> TrainResult:
        run = self._start(model, len(train_data), resume)
        files = {"checkpoint": str(self.out_dir / CHECKPOINT), "metrics": str(self.out_dir / METRICS)}
        terms: dict[str, list[float]] = {}
        bar = tqdm(total=self.max_steps, initial=run.step, disable=not (self.progress and self._world.is_main),
                   desc="train", unit="step")
        started = time.perf_counter()
        signals = (signal.SIGINT,) if self._world.size == 1 else (signal.SIGINT, signal.SIGTERM)
        with _deferred_interrupt(signals) as interrupted:
            while run.step < self.max_steps and not run.stopped:
                named = self._optimise(run, train_data, collate)
                for key, value in named.items():
                    terms.setdefault(key, []).append(value)
                bar.update(1)
                bar.set_postfix(loss=f"{named['loss']:.4f}")
                if run.step % self.log_every == 0:
                    self._log({"step": run.step, "epoch": run.epoch, **named, "lr": run.sched.get_last_lr()[0],
                               "seconds": round(time.perf_counter() - started, 3)})
                if run.step % self.eval_every == 0 or run.step == self.max_steps:
                    if dev_data is not None or evaluate is not None:
                        self._evaluate_and_track(run, dev_data, collate, evaluate, files)
                    self._checkpoint(run)
                if self._world.any(interrupted()):
                    self._checkpoint(run)
                    bar.close()
                    log.warning("interrupted: checkpoint at step %d in %s; run again to resume", run.step, self.out_dir)
                    raise KeyboardInterrupt
        bar.close()
        self._release(run)
        if run.ema is not None:
            run.ema.swap(model)
        files["model"] = self._save_model(model, "model")
        self._world.barrier()                                           # the files exist for every rank
        return TrainResult(run.step, run.best, run.best_step, run.stopped, terms.get("loss", []), files, terms)
