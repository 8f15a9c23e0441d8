"""A tiny float64 regression trained by the Trainer; run as a script under torchrun by the tests.

``python torchrun_worker.py OUT [KILL_AT]``: rank 1 SIGKILLs itself at its KILL_AT-th collate (a
crash: torchrun then stops rank 0 too); running again without KILL_AT resumes from the checkpoint.
"""

import json
import os
import signal
import sys

import numpy as np
import torch

from textmine.neural import Trainer

SETTINGS = dict(max_steps=8, batch_size=5, grad_accum=2, lr=0.05, warmup=2, eval_every=3, ema_decay=0.9,
                progress=False, seed=3, device="cpu")
N_TRAIN = 23                                          # 23 = 4 * 5 + 3: every epoch ends in a short batch


class Regressor(torch.nn.Module):
    def __init__(self):
        super().__init__()
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(0)
            self.net = torch.nn.Sequential(torch.nn.Linear(4, 16), torch.nn.Tanh(), torch.nn.Linear(16, 1)).double()

    def training_step(self, batch):
        x, y = batch
        err = self.net(x).squeeze(-1) - y
        return {"loss": (err ** 2).mean(), "mae": err.abs().mean()}


def data():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(N_TRAIN + 6, 4))
    y = np.sin(x.sum(1))
    return [(torch.from_numpy(a), torch.tensor(b)) for a, b in zip(x, y)]


def collate(items):
    return torch.stack([x for x, _ in items]), torch.stack([y for _, y in items])


def train(out, kill_at=None):
    """Train into ``out``; returns the TrainResult (every rank writes its losses to result-RANK.json)."""
    items, calls = data(), [0]
    rank = int(os.environ.get("RANK", "0"))

    def counting_collate(batch):
        calls[0] += 1
        if calls[0] == kill_at and rank == 1:
            os.kill(os.getpid(), signal.SIGKILL)
        return collate(batch)

    model = Regressor()
    result = Trainer(out, **SETTINGS).fit(model, items[:N_TRAIN], counting_collate, dev_data=items[N_TRAIN:])
    with open(os.path.join(out, f"result-{rank}.json"), "w", encoding="utf-8") as handle:
        json.dump({"losses": result.losses, "terms": result.terms, "best_step": result.best_step}, handle)
    return result


if __name__ == "__main__":
    train(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else None)
