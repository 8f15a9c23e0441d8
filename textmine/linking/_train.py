"""The one way the linking models (span model, cross-encoder) are built and trained."""

from __future__ import annotations

from typing import Callable, Sequence

import torch

from textmine.neural import Trainer, TrainResult


def seeded(build: Callable[[], torch.nn.Module], seed: int) -> torch.nn.Module:
    """``build()`` with its initial weights drawn from ``seed``; the global generator is left alone."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return build()


def train(model: torch.nn.Module, items: Sequence, collate: Callable, out_dir, *, steps: int, batch_size: int,
          lr: float, seed: int, device: str | None, progress: bool) -> TrainResult:
    """Train ``model`` (``training_step(batch) -> loss``) with the textmine Trainer: short warm-up, no
    EMA (the runs are short), one checkpoint at the end; leaves the model in eval mode."""
    trainer = Trainer(out_dir, max_steps=steps, batch_size=batch_size, lr=lr, warmup=0.05, ema_decay=None,
                      eval_every=steps, seed=seed, device=device, progress=progress, log_every=50)
    result = trainer.fit(model, items, collate, resume=False)
    model.eval()
    return result
