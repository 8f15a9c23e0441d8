"""Posteriors: the KL floors of bn and tau hold on batch statistics for any encoder output."""

import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from textmine.errors import InputError
from textmine.vae import TextVAE
from textmine.vae.model import Posterior, VAENet, VAEStepper, kl_per_dim, log_gaussian


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), scale=st.floats(0.01, 100.0), batch=st.integers(4, 64),
       gamma=st.floats(0.3, 1.0), tau=st.floats(0.1, 0.9))
def test_batch_kl_is_at_least_the_analytic_floor(seed, scale, batch, gamma, tau):
    torch.manual_seed(seed)
    h = torch.randn(batch, 16) * scale + torch.randn(16)
    latent = 8
    for kind, bound in (("bn", latent * gamma ** 2 / 2), ("tau", latent * tau / 2)):
        post = Posterior(kind, 16, latent, gamma=gamma, tau=tau).train()
        with torch.no_grad():
            post.theta.normal_() if kind == "tau" else post.shift.normal_()
            mu, logvar = post(h)
        assert float(kl_per_dim(mu, logvar).sum(1).mean()) >= bound * (1 - 1e-3)


def test_tau_batch_kl_sits_on_its_floor_when_sentences_share_a_spread():
    """Su's sum-to-one leaves KL = -1/2 sum log gamma_sigma^2 when every sigma is equal; a centred
    (signed) sigma would be 0 here and the KL unbounded."""
    post = Posterior("tau", 16, 8, tau=0.5).train()
    with torch.no_grad():
        post.spread.weight.zero_()
        post.theta.normal_()
        mu, logvar = post(torch.randn(32, 16) * 5)
    floor = -0.5 * float(torch.log(0.5 * torch.sigmoid(-post.theta.detach())).sum())
    assert float(kl_per_dim(mu, logvar).sum(1).mean()) == pytest.approx(floor, rel=1e-4)
    assert floor >= -8 / 2 * math.log(0.5) >= 8 * 0.5 / 2
    assert torch.allclose(logvar.exp().mean(0) + mu.pow(2).mean(0), torch.ones(8), atol=1e-4)


def test_tau_batch_kl_stays_close_to_its_floor_after_a_short_training(questions, held_out, tiny):
    """On batch statistics KL = -1/2 sum E[log sigma^2] >= -1/2 sum log gamma_sigma^2(theta) >= d tau / 2;
    with positive sigma the Jensen gap stays small, a centred sigma's (many |sigma| near 0) does not."""
    model = TextVAE("tau", **tiny).fit(questions)
    kl = model.evaluate(held_out)["kl_batch_stats"]
    theta = model.net_.posterior.theta.detach()
    floor = -0.5 * float(torch.log(0.5 * torch.sigmoid(-theta)).sum())
    assert 8 * 0.5 / 2 < floor * 0.999 <= kl <= 1.1 * floor


def test_plain_posterior_has_no_floor():
    post = Posterior("plain", 16, 8)
    with torch.no_grad():
        for p in post.parameters():
            p.zero_()
        mu, logvar = post(torch.randn(10, 16))
    assert float(kl_per_dim(mu, logvar).sum()) == 0.0


def test_eval_mode_uses_running_statistics_and_leaves_them_alone():
    post = Posterior("bn", 16, 8).train()
    h = torch.randn(32, 16) * 3 + 1
    for _ in range(200):
        post(h)
    before = post.mean_norm.running_mean.clone()
    post.eval()
    mu_eval, _ = post(h)
    mu_batch, _ = post(h, batch_stats=True)
    assert torch.equal(post.mean_norm.running_mean, before)
    assert torch.allclose(mu_eval, mu_batch, atol=0.05)                    # converged running stats ~ batch ones


def test_log_gaussian_matches_torch():
    mu, logvar, z = torch.randn(5, 3), torch.randn(5, 3), torch.randn(5, 3)
    expected = torch.distributions.Normal(mu, torch.exp(0.5 * logvar)).log_prob(z).sum(-1)
    assert torch.allclose(log_gaussian(z, mu, logvar), expected, atol=1e-5)
    assert torch.allclose(kl_per_dim(mu, logvar), torch.distributions.kl_divergence(
        torch.distributions.Normal(mu, torch.exp(0.5 * logvar)), torch.distributions.Normal(0.0, 1.0)), atol=1e-5)


def test_stepper_log_probs_equal_teacher_forcing(trained):
    net = trained.net_
    ids = trained.codec_.encode_one("人寿保险")
    z = torch.randn(net.latent)
    stepper = VAEStepper(net, z)
    total = 0.0
    for tok in [*ids, 3]:
        total += float(stepper.logprobs()[0, tok])
        stepper.advance(torch.tensor([0]), torch.tensor([tok]))
    batch = net.collate([ids])
    with torch.no_grad():
        forced = float(net.log_likelihood(batch["ids"], batch["lengths"], z[None])[0])
    assert math.isfinite(total) and total == pytest.approx(forced, abs=1e-4)


def test_z_as_initial_state_only_still_conditions_the_decoder(trained):
    net = VAENet({**trained.net_.settings, "z_input": "initial"}, trained.net_.tokens).eval()
    assert net.decoder.input_size == net.settings["embed"]
    ids = trained.codec_.encode_one("人寿保险")
    batch = net.collate([ids, ids])
    z = torch.randn(2, net.latent)
    with torch.no_grad():
        ll = net.log_likelihood(batch["ids"], batch["lengths"], z)
    assert ll[0] != ll[1]                                                    # same sentence, other z
    stepper, total = VAEStepper(net, z[0]), 0.0
    for tok in [*ids, 3]:
        total += float(stepper.logprobs()[0, tok])
        stepper.advance(torch.tensor([0]), torch.tensor([tok]))
    assert total == pytest.approx(float(ll[0]), abs=1e-4)


def test_decoding_refuses_training_mode(trained):
    net = VAENet(trained.net_.settings, trained.net_.tokens).train()
    with pytest.raises(InputError, match="eval mode"):
        VAEStepper(net, torch.zeros(net.latent))
