"""VAE fixtures: real insurance questions and a tiny model (8-d latent, 32-wide) trained in seconds."""

import pytest

from textmine.corpus.datasets import insurance_questions
from textmine.vae import TextVAE

TINY = dict(latent=8, embed=16, hidden=32, steps=40, batch_size=16, eval_every=20, iw_samples=4, seed=1)


@pytest.fixture(autouse=True)
def _tiny_models_on_one_thread(one_thread):
    """Every VAE test uses ``one_thread`` (tests/conftest.py)."""


@pytest.fixture(scope="session")
def tiny() -> dict:
    """Hyper-parameters of a model small enough to train in a test."""
    return dict(TINY)


@pytest.fixture(scope="session")
def questions() -> list[str]:
    return [q["question"] for q in insurance_questions("train")[:400]]


@pytest.fixture(scope="session")
def held_out() -> list[str]:
    return [q["question"] for q in insurance_questions("test")[:40]]


@pytest.fixture(scope="session")
def trained(tmp_path_factory, questions) -> TextVAE:
    return TextVAE("bn", **TINY).fit(questions, out_dir=tmp_path_factory.mktemp("run") / "vae")
