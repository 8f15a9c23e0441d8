"""The Trainer under ``torchrun --nproc-per-node 2`` (gloo, CPU): the same loss curve and weights
as one process at the same global batch, and a killed run resumes to the uninterrupted result.

The model (tests/neural/torchrun_worker.py) is a float64 regression whose 23 examples in batches
of 5 over 2 ranks give uneven slices (3 + 2) and a short last batch (2 + 1), with grad_accum=2,
EMA and dev evaluation, so every part of the sharding and weighting is exercised.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from textmine.neural import load_checkpoint
from textmine.persist import read_tensors

sys.path.insert(0, str(Path(__file__).parent))
import torchrun_worker  # noqa: E402

WORKER = Path(__file__).parent / "torchrun_worker.py"


# Seen once in CI on torch 2.13 (1 run in 6): a gloo rank aborting in C++ with this message, the
# process group's worker threads torn down as the process exits (pytorch/pytorch PR 179291 describes
# the race). A run that ends so is launched once more (it resumes from its checkpoint); a second
# abort fails the test.
GLOO_EXIT_ABORT = "terminate called without an active exception"


def _torchrun(out, *args):
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    for name in ("RANK", "WORLD_SIZE", "LOCAL_RANK", "MASTER_ADDR", "MASTER_PORT"):
        env.pop(name, None)
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc-per-node", "2",
           str(WORKER), str(out), *map(str, args)]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    if done.returncode != 0 and GLOO_EXIT_ABORT in done.stderr and not args:
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    return done


def _log(folder):
    return [json.loads(ln) for ln in (folder / "metrics.jsonl").read_text(encoding="utf-8").splitlines()]


def _losses(rows):
    return [(r["step"], r["loss"], r["mae"]) for r in rows if "eval" not in r]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("torchrun")
    whole = _torchrun(root / "whole")
    assert whole.returncode == 0, whole.stderr[-3000:]
    return root


def test_two_processes_reproduce_the_single_process_run(runs, tmp_path):
    single = torchrun_worker.train(tmp_path)
    two = runs / "whole"
    assert [s for s, _, _ in _losses(_log(two))] == list(range(1, 9))
    for (s1, l1, m1), (s2, l2, m2) in zip(_losses(_log(tmp_path)), _losses(_log(two))):
        assert s1 == s2 and l1 == pytest.approx(l2, rel=1e-12) and m1 == pytest.approx(m2, rel=1e-12)
    evals = [(r["step"], r["eval"]["loss"]) for r in _log(two) if "eval" in r]
    assert [s for s, _ in evals] == [3, 6, 8]
    assert [v for _, v in evals] == pytest.approx([r["eval"]["loss"] for r in _log(tmp_path) if "eval" in r],
                                                  rel=1e-12)
    ranks = [json.loads((two / f"result-{r}.json").read_text(encoding="utf-8")) for r in (0, 1)]
    assert ranks[0] == ranks[1]                                       # every rank returns the global losses
    assert ranks[0]["losses"] == pytest.approx(single.losses, rel=1e-12)
    a, b = read_tensors(two / "model"), read_tensors(tmp_path / "model")
    assert all(torch.allclose(a[k], b[k], rtol=0, atol=1e-12) for k in a)


def test_killed_run_resumes_under_torchrun_to_the_uninterrupted_result(runs, tmp_path):
    killed = _torchrun(tmp_path, 15)                                   # rank 1 dies in step 8, after the step-6 checkpoint
    assert killed.returncode != 0
    assert load_checkpoint(tmp_path / "checkpoint")["step"] == 6
    resumed = _torchrun(tmp_path)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert json.loads((tmp_path / "result-1.json").read_text(encoding="utf-8"))["losses"] == pytest.approx(
        [l for _, l, _ in _losses(_log(runs / "whole"))][-2:], rel=1e-12)
    untimed = [[{k: v for k, v in r.items() if k != "seconds"} for r in _log(f)] for f in (runs / "whole", tmp_path)]
    assert untimed[0] == untimed[1]                                    # the log is cut back to step 6, then redone
    a, b = read_tensors(runs / "whole" / "model"), read_tensors(tmp_path / "model")
    assert all(torch.equal(a[k], b[k]) for k in a)
