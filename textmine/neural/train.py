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
(``model.hparams()`` where the model has it), so a folder says how it was trained.
"""

from __future__ import annotations

import contextlib
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
from tqdm.auto import tqdm

from textmine.atomic import atomic_dir_file, atomic_open
from textmine.errors import InputError
from textmine.neural.device import autocast, choose_device, numpy_rng, seed_torch

__all__ = ["Trainer", "TrainResult", "EMA", "save_checkpoint", "load_checkpoint", "CHECKPOINT_FORMAT"]

log = logging.getLogger(__name__)

CHECKPOINT = "checkpoint.pt"
METRICS = "metrics.jsonl"
#: Version of the checkpoint layout; 1 was the unversioned layout before hyper-parameters were kept.
CHECKPOINT_FORMAT = 2


def save_checkpoint(path: str | os.PathLike, state: dict) -> None:
    """``torch.save`` to a temp file beside ``path``, then rename: a crash leaves the old file intact."""
    with atomic_dir_file(path) as tmp:
        torch.save(state, tmp)


def load_checkpoint(path: str | os.PathLike) -> dict:
    """Read a checkpoint written by :func:`save_checkpoint` (our own files, so full unpickling)."""
    return torch.load(path, map_location="cpu", weights_only=False)


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
    batches: list[np.ndarray] = field(default_factory=list)
    step: int = 0
    epoch: int = 0
    position: int = 0
    best: float | None = None
    best_step: int | None = None
    bad: int = 0
    stopped: bool = False


@contextlib.contextmanager
def _deferred_interrupt():
    """Ctrl-C during training lets the current step finish, so the checkpoint written before
    stopping holds a consistent state (weights, optimiser and data position of the same step)."""
    if threading.current_thread() is not threading.main_thread():
        yield lambda: False
        return
    hits: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda *_: hits.append(1))
    try:
        yield lambda: bool(hits)
    finally:
        signal.signal(signal.SIGINT, previous)


class Trainer:
    """Train any module with ``training_step(batch) -> loss`` (a scalar, or ``{"loss": ..., name: ...}``).

    Parameters
    ----------
    out_dir : path
        Receives ``checkpoint.pt``, ``metrics.jsonl``, ``best/`` (or ``best.pt``) and ``model/``
        (or ``model.pt``): models with a ``save(folder)`` method are saved with it.
    max_steps : int
        Optimiser updates in total (across resumes).
    batch_size, grad_accum : int
        Examples per micro-batch; micro-batches per update.
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
                 log_every: int = 1, seed: int = 0, device: str | None = None, progress: bool = True):
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
        if hasattr(model, "save"):
            model.save(self.out_dir / name)
            return str(self.out_dir / name)
        path = self.out_dir / f"{name}.pt"
        save_checkpoint(path, model.state_dict())
        return str(path)

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
        if not path.is_file():
            return
        lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
        kept = [ln for ln in lines if json.loads(ln).get("step", 0) <= step]
        with atomic_open(path) as handle:
            handle.write("".join(ln + "\n" for ln in kept))

    def _log(self, record: dict) -> None:
        with open(self.out_dir / METRICS, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")

    # ------------------------------------------------------------------ set-up and resume
    def _start(self, model: torch.nn.Module, n_train: int, resume: bool) -> _Run:
        """Optimiser, schedule and EMA for ``model``; restored from the checkpoint when resuming."""
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self._dev = choose_device(self.device)
        model.to(self._dev).train()
        opt = self._optimizer(model)
        warmup = int(self.warmup * self.max_steps) if isinstance(self.warmup, float) and self.warmup < 1 else int(self.warmup)
        sched = torch.optim.lr_scheduler.LambdaLR(opt, _schedule(self.schedule, max(warmup, 1), self.max_steps))
        run = _Run(model, opt, sched, EMA(model, self.ema_decay) if self.ema_decay else None)
        ckpt_path = self.out_dir / CHECKPOINT
        if resume and ckpt_path.is_file():
            self._restore(run, load_checkpoint(ckpt_path), ckpt_path)
        else:
            seed_torch(self.seed)
            random.seed(self.seed)
            self._truncate_log(0)
        run.batches = self._batches(n_train, run.epoch)
        return run

    def _restore(self, run: _Run, state: dict, path: Path) -> None:
        found = state.get("format", 1)
        if found != CHECKPOINT_FORMAT:
            raise InputError(f"checkpoint {path} has format version {found}, but this textmine reads version "
                             f"{CHECKPOINT_FORMAT}; delete it (or pass resume=False) to train from the start")
        changed = {k: (v, state["trainer"].get(k)) for k, v in self.hparams().items()
                   if k != "max_steps" and state["trainer"].get(k) != v}
        if changed:
            log.warning("resuming %s with changed settings (now, then): %s; the run will not match an "
                        "uninterrupted one", path, changed)
        run.model.load_state_dict(state["model"])
        run.opt.load_state_dict(state["optimizer"])
        run.sched.load_state_dict(state["scheduler"])
        if run.ema is not None and state.get("ema"):
            run.ema.load_state_dict(state["ema"])
        run.step, run.epoch, run.position = state["step"], state["epoch"], state["position"]
        run.best, run.best_step, run.bad = state["best"], state["best_step"], state["bad"]
        run.stopped = state.get("stopped", False)
        random.setstate(state["rng_python"])
        np.random.set_state(state["rng_numpy"])
        torch.random.set_rng_state(state["rng_torch"])
        if torch.cuda.is_available() and state.get("rng_cuda") is not None:
            torch.cuda.set_rng_state_all(state["rng_cuda"])
        self._truncate_log(run.step)
        log.info("resumed from %s at step %d", path, run.step)

    # ------------------------------------------------------------------ one update
    def _next_batch(self, run: _Run, train_data: Sequence[Any], collate: Callable[[list], Any]):
        if run.position >= len(run.batches):
            run.epoch, run.position = run.epoch + 1, 0
            run.batches = self._batches(len(train_data), run.epoch)
        batch = collate([train_data[int(i)] for i in run.batches[run.position]])
        run.position += 1
        return batch

    def _optimise(self, run: _Run, train_data: Sequence[Any], collate: Callable[[list], Any]) -> dict[str, float]:
        """One optimiser update over ``grad_accum`` micro-batches; the mean of each named loss."""
        run.opt.zero_grad(set_to_none=True)
        sums: dict[str, float] = {}
        for _ in range(self.grad_accum):
            batch = self._next_batch(run, train_data, collate)
            with autocast(self._dev):
                loss, named = _named_losses(run.model.training_step(batch))
            (loss / self.grad_accum).backward()
            for key, value in named.items():
                value = float(value.detach() if torch.is_tensor(value) else value)
                sums[key] = sums.get(key, 0.0) + value / self.grad_accum
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
        """Evaluate the averaged weights, keep the best model, and decide on early stopping."""
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

    def _checkpoint(self, run: _Run) -> None:
        model_hparams = run.model.hparams() if callable(getattr(run.model, "hparams", None)) else None
        save_checkpoint(self.out_dir / CHECKPOINT, {
            "format": CHECKPOINT_FORMAT, "trainer": self.hparams(), "model_hparams": model_hparams,
            "model": run.model.state_dict(), "optimizer": run.opt.state_dict(), "scheduler": run.sched.state_dict(),
            "ema": run.ema.state_dict() if run.ema is not None else None, "step": run.step, "epoch": run.epoch,
            "position": run.position, "best": run.best, "best_step": run.best_step, "bad": run.bad,
            "stopped": run.stopped, "rng_python": random.getstate(), "rng_numpy": np.random.get_state(),
            "rng_torch": torch.random.get_rng_state(),
            "rng_cuda": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else None})

    # ------------------------------------------------------------------ loop
    def fit(self, model: torch.nn.Module, train_data: Sequence[Any], collate: Callable[[list], Any], *,
            dev_data: Sequence[Any] | None = None, evaluate: Callable[[torch.nn.Module], dict] | None = None,
            resume: bool = True) -> TrainResult:
        """Train ``model`` on ``train_data`` (indexable; ``collate(list_of_items) -> batch``).

        Dev evaluation uses ``evaluate(model) -> {metric: value}`` if given, else the mean of every
        named ``training_step`` loss over ``dev_data``; with neither, no evaluation and no early
        stopping. ``resume=True`` continues from ``out_dir/checkpoint.pt`` when it exists. Afterwards
        the model holds the EMA (or last) weights; ``out_dir/best`` holds those of the best evaluation.

        Raises
        ------
        InputError
            ``train_data`` is empty, ``training_step`` returned a dict without ``"loss"``, or the
            checkpoint to resume has another format version.
        """
        if len(train_data) == 0:
            raise InputError("train_data is empty; expected at least one training example")
        run = self._start(model, len(train_data), resume)
        files = {"checkpoint": str(self.out_dir / CHECKPOINT), "metrics": str(self.out_dir / METRICS)}
        terms: dict[str, list[float]] = {}
        bar = tqdm(total=self.max_steps, initial=run.step, disable=not self.progress, desc="train", unit="step")
        started = time.perf_counter()
        with _deferred_interrupt() as interrupted:
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
                if interrupted():
                    self._checkpoint(run)
                    bar.close()
                    log.warning("interrupted: checkpoint at step %d in %s; run again to resume", run.step, self.out_dir)
                    raise KeyboardInterrupt
        bar.close()
        if run.ema is not None:
            run.ema.swap(model)
        files["model"] = self._save_model(model, "model")
        return TrainResult(run.step, run.best, run.best_step, run.stopped, terms.get("loss", []), files, terms)
