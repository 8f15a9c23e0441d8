"""Trainer: kill-and-resume reproduces the loss curve, EMA, early stopping, atomic checkpoints."""

import json

import pytest
import torch
from safetensors.torch import load_file

from textmine.errors import InputError, OutputError
from textmine.neural import CHECKPOINT_FORMAT, EMA, Seq2Seq, Trainer, load_checkpoint, save_checkpoint

TEXTS = [("三国演义是中国古典四大名著之一", "罗贯中"), ("刘备关羽张飞桃园结义", "刘备"), ("曹操孙权赤壁", "赤壁"),
         ("诸葛亮是谁", "诸葛亮"), ("作者是罗贯中", "作者"), ("关羽张飞", "张飞")]


def _data(model):
    return [(model.source_ids(p, 32), model.target_ids(a, 8) + model.target_ids("谁", 4)) for p, a in TEXTS * 2]


def _losses(folder):
    rows = [json.loads(ln) for ln in (folder / "metrics.jsonl").read_text(encoding="utf-8").splitlines()]
    return [(r["step"], r["loss"]) for r in rows if "loss" in r and "eval" not in r]


class Crash(RuntimeError):
    pass


def _trainer(out, **kw):
    base = dict(max_steps=8, batch_size=4, lr=1e-3, warmup=2, eval_every=3, ema_decay=0.9, progress=False, seed=5)
    base.update(kw)
    return Trainer(out, **base)


def test_killed_and_resumed_run_reproduces_loss_curve(tiny_vocab, tmp_path):
    whole = Seq2Seq.build("tiny", tiny_vocab, max_positions=64, seed=1)       # dropout is on: RNG must be restored
    data = _data(whole)
    _trainer(tmp_path / "whole", grad_accum=2).fit(whole, data, whole.collate, dev_data=data[:4])

    part = Seq2Seq.build("tiny", tiny_vocab, max_positions=64, seed=1)
    calls = {"n": 0}

    def crashing_collate(items):
        calls["n"] += 1
        if calls["n"] == 15:                                                    # in step 8, after the step-6 checkpoint
            raise Crash("killed")
        return part.collate(items)

    with pytest.raises(Crash):
        _trainer(tmp_path / "part", grad_accum=2).fit(part, data, crashing_collate, dev_data=data[:4])
    assert load_checkpoint(tmp_path / "part" / "checkpoint")["step"] == 6
    fresh = Seq2Seq.build("tiny", tiny_vocab, max_positions=64, seed=99)      # weights come from the checkpoint
    result = _trainer(tmp_path / "part", grad_accum=2).fit(fresh, data, fresh.collate, dev_data=data[:4])
    assert result.steps == 8 and len(result.losses) == 2

    a, b = _losses(tmp_path / "whole"), _losses(tmp_path / "part")
    assert [s for s, _ in a] == [s for s, _ in b] == list(range(1, 9))
    assert [l for _, l in b] == pytest.approx([l for _, l in a], rel=1e-5, abs=1e-6)
    for p, q in zip(whole.parameters(), fresh.parameters()):
        assert torch.allclose(p, q, atol=1e-5)


def test_ema_averages_and_ends_in_the_model(tiny_vocab, tmp_path):
    lin = torch.nn.Linear(2, 1)
    ema = EMA(lin, decay=0.5)
    start = lin.weight.detach().clone()
    with torch.no_grad():
        lin.weight.add_(1.0)
    ema.update(lin)                                                             # d = min(0.5, 2/11)
    d = 2 / 11
    assert torch.allclose(ema.shadow["weight"], d * start + (1 - d) * (start + 1))
    ema.swap(lin)
    assert torch.allclose(lin.weight, d * start + (1 - d) * (start + 1))

    model = Seq2Seq.build("tiny", tiny_vocab, max_positions=64, seed=1)
    result = _trainer(tmp_path, max_steps=4, eval_every=4).fit(model, _data(model), model.collate)
    state = load_checkpoint(tmp_path / "checkpoint")
    for name, p in model.named_parameters():                                    # final model holds the EMA weights
        assert torch.equal(p.detach(), state["ema"]["shadow"][name])
    assert Seq2Seq.load(result.files["model"]) is not None


def test_early_stopping_after_patience(tiny_vocab, tmp_path):
    model = Seq2Seq.build("tiny", tiny_vocab, max_positions=64, seed=1)
    scores = iter([0.5, 0.4, 0.45, 0.3, 0.2, 0.1])                               # best at first eval (mode max)
    result = _trainer(tmp_path, max_steps=50, eval_every=1, patience=2, metric="acc", mode="max").fit(
        model, _data(model), model.collate, evaluate=lambda m: {"acc": next(scores)})
    assert result.stopped_early and result.steps == 3
    assert result.best == 0.5 and result.best_step == 1
    assert (tmp_path / "best" / "config.json").is_file()


def test_checkpoint_is_atomic(tmp_path):
    path = tmp_path / "checkpoint"
    save_checkpoint(path, {"step": 1, "w": torch.ones(1000)})
    with pytest.raises(TypeError, match="not JSON serializable"):               # fails after the tensors are written
        save_checkpoint(path, {"step": 2, "w": torch.zeros(1000), "bad": object()})
    assert load_checkpoint(path)["step"] == 1 and torch.equal(load_checkpoint(path)["w"], torch.ones(1000))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["checkpoint"]


def test_checkpoint_never_replaces_a_folder_textmine_did_not_write(tmp_path):
    (tmp_path / "checkpoint").mkdir()
    (tmp_path / "checkpoint" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputError, match="textmine did not write it"):
        save_checkpoint(tmp_path / "checkpoint", {"step": 1})
    assert sorted(p.name for p in (tmp_path / "checkpoint").iterdir()) == ["notes.txt"]


def test_bad_parameters_and_empty_data(tiny_model, tmp_path):
    with pytest.raises(InputError, match="batch_size"):
        Trainer(tmp_path, batch_size=0)
    with pytest.raises(InputError, match="schedule"):
        Trainer(tmp_path, schedule="step")
    with pytest.raises(InputError, match="empty"):
        Trainer(tmp_path, progress=False).fit(tiny_model, [], tiny_model.collate)


class TwoHeads(torch.nn.Module):
    """A regression with two named loss terms, like a VAE's reconstruction and KL."""

    def __init__(self):
        super().__init__()
        torch.manual_seed(0)
        self.lin = torch.nn.Linear(3, 1)

    def hparams(self):
        return {"kind": "two-heads", "inputs": 3}

    def training_step(self, batch):
        x, y = batch
        fit = ((self.lin(x).squeeze(1) - y) ** 2).mean()
        shrink = 0.1 * (self.lin.weight ** 2).sum()
        return {"loss": fit + shrink, "fit": fit, "shrink": shrink}


def _regression(n=40):
    gen = torch.Generator().manual_seed(1)
    x = torch.randn(n, 3, generator=gen)
    return [(x[i], float(x[i] @ torch.tensor([1.0, -2.0, 0.5]))) for i in range(n)]


def _stack(items):
    return torch.stack([x for x, _ in items]), torch.tensor([y for _, y in items])


def test_named_losses_are_optimised_logged_and_returned(tmp_path):
    data = _regression()
    result = _trainer(tmp_path, max_steps=6, eval_every=3, lr=0.05).fit(TwoHeads(), data, _stack, dev_data=data[:8])
    assert set(result.terms) == {"loss", "fit", "shrink"} and result.losses == result.terms["loss"]
    for total, fit, shrink in zip(result.terms["loss"], result.terms["fit"], result.terms["shrink"]):
        assert total == pytest.approx(fit + shrink, rel=1e-6)
    assert result.losses[-1] < result.losses[0]                                 # "loss" is what gets optimised
    rows = [json.loads(ln) for ln in (tmp_path / "metrics.jsonl").read_text(encoding="utf-8").splitlines()]
    train_rows = [r for r in rows if "eval" not in r]
    assert [r["fit"] for r in train_rows] == pytest.approx(result.terms["fit"])
    assert {"loss", "fit", "shrink"} <= set(next(r for r in rows if "eval" in r)["eval"])


def test_a_dict_without_loss_is_refused(tmp_path):
    class NoLoss(TwoHeads):
        def training_step(self, batch):
            return {"fit": super().training_step(batch)["fit"]}

    with pytest.raises(InputError, match="'loss'"):
        _trainer(tmp_path).fit(NoLoss(), _regression(), _stack)


def test_checkpoint_keeps_hyper_parameters_and_refuses_another_format(tmp_path):
    _trainer(tmp_path, max_steps=3).fit(TwoHeads(), _regression(), _stack)
    state = load_checkpoint(tmp_path / "checkpoint")
    assert state["format"] == CHECKPOINT_FORMAT
    assert state["trainer"]["batch_size"] == 4 and state["trainer"]["seed"] == 5
    assert state["model_hparams"] == {"kind": "two-heads", "inputs": 3}
    state["format"] = CHECKPOINT_FORMAT + 1
    save_checkpoint(tmp_path / "checkpoint", state)
    with pytest.raises(InputError, match="format version"):
        _trainer(tmp_path, max_steps=6).fit(TwoHeads(), _regression(), _stack)
    assert _trainer(tmp_path, max_steps=2).fit(TwoHeads(), _regression(), _stack, resume=False).steps == 2


def test_a_checkpoint_is_one_json_and_one_safetensors_file(tmp_path):
    _trainer(tmp_path, max_steps=3).fit(TwoHeads(), _regression(), _stack)
    folder = tmp_path / "checkpoint"
    assert sorted(p.name for p in folder.iterdir()) == ["state.json", "tensors.safetensors"]
    state = json.loads((folder / "state.json").read_text(encoding="utf-8"))["state"]
    assert state["step"] == 3 and state["rng_numpy"]["bit_generator"] == "MT19937"
    assert len(state["rng_numpy"]["state"]["key"]) == 624
    tensors = load_file(str(folder / "tensors.safetensors"))
    assert {"model.lin.weight", "optimizer.state.0.exp_avg", "ema.shadow.lin.bias", "rng_torch"} <= set(tensors)
    assert tensors["rng_torch"].dtype == torch.uint8
    assert sorted(p.name for p in (tmp_path / "model").iterdir()) == ["textmine.json", "weights.safetensors"]


@pytest.mark.parametrize("damage", ["truncated tensors", "truncated json", "missing part", "wrong shape"])
def test_a_damaged_checkpoint_is_one_line_and_can_be_skipped(tmp_path, damage):
    _trainer(tmp_path, max_steps=3).fit(TwoHeads(), _regression(), _stack)
    folder = tmp_path / "checkpoint"
    if damage.startswith("truncated"):
        path = folder / ("tensors.safetensors" if damage == "truncated tensors" else "state.json")
        path.write_bytes(path.read_bytes()[:100])
    else:
        state = load_checkpoint(folder)
        if damage == "missing part":
            del state["scheduler"]
        else:
            state["model"]["lin.weight"] = torch.zeros(2, 5)
        save_checkpoint(folder, state)
    with pytest.raises(InputError, match="checkpoint .* (is damaged|does not fit this model)") as caught:
        _trainer(tmp_path, max_steps=6).fit(TwoHeads(), _regression(), _stack)
    assert "\n" not in str(caught.value) and "--no-resume" in str(caught.value)
    assert _trainer(tmp_path, max_steps=2).fit(TwoHeads(), _regression(), _stack, resume=False).steps == 2


def test_a_run_that_fails_before_writing_leaves_no_folder(tmp_path):
    class Failing(TwoHeads):
        def training_step(self, batch):
            raise Crash("bad batch")

    with pytest.raises(Crash):
        _trainer(tmp_path / "run").fit(Failing(), _regression(), _stack)
    assert not (tmp_path / "run").exists()
    (tmp_path / "kept").mkdir()
    with pytest.raises(Crash):
        _trainer(tmp_path / "kept").fit(Failing(), _regression(), _stack)
    assert (tmp_path / "kept").is_dir()
