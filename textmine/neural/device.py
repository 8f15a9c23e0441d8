"""Device choice, mixed precision and seeding for the neural code.

The device order is CUDA, then Apple MPS, then CPU, because that is fastest-first on every machine
textmine meets; a user or test can force one with ``choose_device("cpu")`` or the
``TEXTMINE_DEVICE`` environment variable. Randomness goes through explicit generators so that two
models trained in one process do not disturb each other; the one exception is dropout, which
PyTorch draws from the global generator, so :func:`seed_torch` sets it (and says so).
"""

from __future__ import annotations

import contextlib
import logging
import os

import numpy as np
import torch

from textmine.errors import InputError

__all__ = ["choose_device", "autocast", "make_generator", "numpy_rng", "seed_torch"]

log = logging.getLogger(__name__)

_KNOWN = ("cuda", "mps", "cpu")


def choose_device(preference: str | torch.device | None = None) -> torch.device:
    """Return the device to compute on.

    Parameters
    ----------
    preference : str, torch.device or None
        ``None`` or ``"auto"``: CUDA if available, else MPS, else CPU (``TEXTMINE_DEVICE`` overrides
        the automatic choice). ``"cuda"``, ``"cuda:1"``, ``"mps"``, ``"cpu"``: that device, checked.

    Raises
    ------
    InputError
        The requested device is unknown or not available on this machine.
    """
    if isinstance(preference, torch.device):
        return preference
    if preference in (None, "auto"):
        preference = os.environ.get("TEXTMINE_DEVICE") or None
    if preference is None:
        if torch.cuda.is_available():
            return torch.device("cuda")
        if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    kind = str(preference).split(":")[0]
    if kind not in _KNOWN:
        raise InputError(f"device {preference!r} is unknown; expected one of auto, cuda, cuda:N, mps, cpu")
    if kind == "cuda" and not torch.cuda.is_available():
        raise InputError(f"device {preference!r} was requested but CUDA is not available here")
    if kind == "mps" and not (getattr(torch.backends, "mps", None) and torch.backends.mps.is_available()):
        raise InputError(f"device {preference!r} was requested but MPS is not available here")
    return torch.device(preference)


def autocast(device: torch.device | str):
    """bfloat16 autocast on CUDA (about 2x faster matmuls, no loss scaling needed); a no-op elsewhere.

    CPU bf16 autocast is slower than float32 on most CPUs, and MPS bf16 support is patchy, so only
    CUDA gets it.
    """
    device = torch.device(device)
    if device.type == "cuda":
        return torch.autocast("cuda", dtype=torch.bfloat16)
    return contextlib.nullcontext()


def make_generator(seed: int, device: torch.device | str = "cpu") -> torch.Generator:
    """A fresh torch generator seeded with ``seed`` (global RNG untouched)."""
    gen = torch.Generator(device=torch.device(device))
    gen.manual_seed(int(seed))
    return gen


def numpy_rng(seed: int | tuple[int, ...] | list[int]) -> np.random.Generator:
    """A numpy generator; a tuple seed such as ``(seed, epoch)`` gives independent reproducible streams."""
    return np.random.default_rng(list(seed) if isinstance(seed, (tuple, list)) else int(seed))


def seed_torch(seed: int) -> None:
    """Seed torch's GLOBAL generators (CPU and CUDA).

    This mutates global state on purpose: dropout and weight initialisation in ``torch.nn`` draw from
    the global generator and accept no generator argument. The trainer calls it once at the start of
    a run and saves/restores the global state in checkpoints so resumed runs replay the same dropout.
    """
    torch.manual_seed(int(seed))
