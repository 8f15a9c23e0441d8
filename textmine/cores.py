"""How many CPU threads a run may take: the one rule the counting, embedding and neighbour-search
code share for a ``threads``/``workers`` argument."""

from __future__ import annotations

import logging
import os

__all__ = ["available_cores", "cap_threads"]

log = logging.getLogger(__name__)


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity where the system tells, else all)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def cap_threads(requested: int, name: str) -> int:
    """``requested``, or the available cores when it asks for more: more threads than cores only
    share them, and a number like 100000 cannot even be started. The cap is logged naming the
    option ``name``: as a warning, except for the default of 2 on a one-core machine."""
    cores = available_cores()
    if requested <= cores:
        return requested
    log.log(logging.INFO if requested <= 2 else logging.WARNING,
            "%s %d is more than the %d cores of this machine; using %d", name, requested, cores, cores)
    return cores
