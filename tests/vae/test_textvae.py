"""TextVAE: measures, seeded sampling, save/load, interpolation, similar sentences, resume, bad input."""

import json

import numpy as np
import pytest
import torch

from textmine.errors import InputError, NotFittedError
from textmine.vae import TextVAE, VAENet


def test_fit_logs_both_loss_terms_and_evaluate_reports_the_field_measures(trained, held_out):
    assert set(trained.train_result_.terms) == {"loss", "rec", "kl"}
    assert trained.counts_["sentences"] == 400 and trained.counts_["cut"] == 0
    m = trained.evaluate(held_out)
    for key in ("nll", "iw_nll", "kl", "mi", "au", "ppl", "latent", "rec", "kl_dims", "kl_batch_stats"):
        assert key in m
    assert m["latent"] == 8 and len(m["kl_dims"]) == 8 and 0 <= m["au"] <= 8
    assert m["nll"] == pytest.approx(m["rec"] + m["kl"])
    assert m["iw_nll"] <= m["nll"] + 1.0                                      # k samples tighten the bound
    assert m["kl_batch_stats"] >= 8 * 0.5 ** 2 / 2 * 0.999                  # the BN floor (batch statistics)
    assert m["ppl"] == pytest.approx(np.exp(m["iw_nll"] * m["sentences"] / m["tokens"]))
    json.dumps(m)


def test_language_model_measures_are_exact(questions, held_out, tiny):
    lm = TextVAE("none", **tiny).fit(questions)
    m = lm.evaluate(held_out)
    assert m["iw_nll"] == pytest.approx(m["nll"]) and m["nll"] == pytest.approx(m["rec"])
    assert m["kl"] == 0 and m["au"] == 0 and m["latent"] == 0
    with pytest.raises(InputError, match="language model"):
        lm.encode(held_out[:2])
    assert lm.sample(2, seed=3) == lm.sample(2, seed=3)


def test_sampling_with_a_seed_is_reproducible(trained):
    a = trained.sample(4, seed=7)
    assert a == trained.sample(4, seed=7) and len(a) == 4
    assert a != trained.sample(4, seed=8)
    assert trained.sample(2, seed=7, method="beam") == trained.sample(2, seed=7, method="beam")


def test_save_and_load_give_identical_codes(trained, held_out, tmp_path):
    trained.save(tmp_path / "m")
    loaded = TextVAE.load(tmp_path / "m")
    assert np.array_equal(loaded.encode(held_out), trained.encode(held_out))
    assert loaded.sample(3, seed=1) == trained.sample(3, seed=1)
    assert (loaded.posterior, loaded.latent, loaded.gamma, loaded.hidden) == ("bn", 8, 0.5, 32)
    run = TextVAE.load(trained.train_result_.files["model"].rsplit("/", 1)[0])     # a run folder works too
    assert np.array_equal(run.encode(held_out[:3]), trained.encode(held_out[:3]))


def test_interpolation_runs_from_one_sentence_to_the_other(trained, held_out):
    a, b = held_out[0], held_out[1]
    path = trained.interpolate(a, b, steps=5)
    assert len(path) == 5
    assert path[0] == trained.reconstruct([a])[0] and path[-1] == trained.reconstruct([b])[0]
    with pytest.raises(InputError, match="steps"):
        trained.interpolate(a, b, steps=1)


def test_similar_gives_distinct_sentences_other_than_the_reconstruction(trained, held_out):
    own = trained.reconstruct([held_out[2]])[0]
    found = trained.similar(held_out[2], n=3, radius=2.0, seed=0)
    assert found and len(set(found)) == len(found) and own not in found
    assert found == trained.similar(held_out[2], n=3, radius=2.0, seed=0)


def test_training_resumes_after_a_kill(questions, tmp_path, monkeypatch, tiny):
    whole = TextVAE("tau", **{**tiny, "steps": 12, "eval_every": 4}).fit(questions, out_dir=tmp_path / "whole")
    calls = {"n": 0}
    real = VAENet.collate

    def crashing(self, items):
        calls["n"] += 1
        if calls["n"] == 11:                                                   # in step 11, after the step-8 checkpoint
            raise KeyboardInterrupt
        return real(self, items)

    monkeypatch.setattr(VAENet, "collate", crashing)
    with pytest.raises(KeyboardInterrupt):
        TextVAE("tau", **{**tiny, "steps": 12, "eval_every": 4}).fit(questions, out_dir=tmp_path / "part")
    monkeypatch.setattr(VAENet, "collate", real)
    resumed = TextVAE("tau", **{**tiny, "steps": 12, "eval_every": 4}).fit(questions, out_dir=tmp_path / "part")
    assert resumed.train_result_.steps == 12 and len(resumed.train_result_.losses) == 4
    assert resumed.train_result_.terms["kl"] == pytest.approx(whole.train_result_.terms["kl"][8:], rel=1e-5)
    for p, q in zip(whole.net_.state_dict().values(), resumed.net_.state_dict().values()):
        assert torch.allclose(p.float(), q.float(), atol=1e-6)


@pytest.mark.parametrize("params, match", [
    (dict(latent=0), "latent"), (dict(latent=100_000), "latent"), (dict(gamma=0.0), "gamma"),
    (dict(gamma=50.0), "gamma"), (dict(tau=1.0), "tau"), (dict(posterior="vq"), "posterior"),
    (dict(batch_size=1), "batch"), (dict(free_bits=-1.0), "free_bits"), (dict(encoder="cnn"), "encoder"),
])
def test_absurd_parameters_are_refused(questions, params, match, tmp_path, tiny):
    with pytest.raises(InputError, match=match):
        TextVAE(**{**tiny, **params}).fit(questions, out_dir=tmp_path / "run")
    assert not (tmp_path / "run").exists()                                    # refused before anything is written


def test_empty_corpus_and_unfitted_use(tmp_path, tiny):
    with pytest.raises(InputError, match="non-empty sentences"):
        TextVAE(**tiny).fit(["", "  "], out_dir=tmp_path / "run")
    assert not (tmp_path / "run").exists()
    with pytest.raises(NotFittedError, match="fit"):
        TextVAE().sample(2)


def test_a_model_folder_of_another_stage_is_refused(tmp_path):
    other = tmp_path / "words"
    other.mkdir()
    (other / "manifest.json").write_text(json.dumps({"stage": "words"}), encoding="utf-8")
    with pytest.raises(InputError, match="output of the 'words' stage"):
        TextVAE.load(other)
    with pytest.raises(InputError, match="does not exist"):
        TextVAE.load(tmp_path / "nowhere")
