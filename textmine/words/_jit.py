"""The word-discovery kernels, compiled for large inputs and interpreted for small ones.

numba compiles a kernel on its first call in a fresh environment: the counting kernels together
take about ten seconds, and a first ``textmine words`` on a few thousand lines met all of them.
Run as plain Python, the same code (numba's ``py_func``, with the kernels it calls swapped for
their plain versions too) gets through a few tens of thousands of characters in well under a
second, so a call whose first argument is shorter than ``SMALL`` runs interpreted and compiles
nothing. Both give the same results (tests/words/test_jit.py).
"""

from __future__ import annotations

import types

import numpy as np
from numba.core.dispatcher import Dispatcher

from textmine.words import _kernels

SMALL = 50_000  # elements in a kernel's first argument from which the compiled version runs


def _plain(module) -> dict:
    """The module's namespace with every compiled kernel replaced by its Python function, bound
    to that namespace, so that the kernels it calls are plain too."""
    space = dict(vars(module))
    for name, value in vars(module).items():
        if isinstance(value, Dispatcher):
            func = value.py_func
            space[name] = types.FunctionType(func.__code__, space, name, func.__defaults__, func.__closure__)
    return space


def _by_size(compiled: Dispatcher, plain: types.FunctionType):
    def run(*args):
        if len(args[0]) >= SMALL:
            return compiled(*args)
        with np.errstate(over="ignore"):  # the hashes multiply modulo 2**64 on purpose
            return plain(*args)
    run.__doc__ = compiled.__doc__
    return run


def sized(module) -> types.SimpleNamespace:
    """The module's public names; each compiled kernel runs interpreted on small inputs."""
    plain = _plain(module)
    return types.SimpleNamespace(**{
        name: _by_size(value, plain[name]) if isinstance(value, Dispatcher) else value
        for name, value in vars(module).items() if not name.startswith("_")})


K = sized(_kernels)
