"""Range checks of estimator settings, run before any work: each error names the setting (and its
CLI option), the range and the value, so qa and linking word them alike."""

from __future__ import annotations

import numbers

from textmine.errors import InputError

__all__ = ["check_int", "check_number", "check_share", "is_int", "is_number"]


def is_int(value) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def is_number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def check_int(name: str, value, low: int, high: int, unit: str) -> None:
    if not is_int(value) or not low <= value <= high:
        raise InputError(f"{name} must be a whole number of {unit} from {low} to {high}, got {value!r}")


def check_share(name: str, value) -> None:
    if not is_number(value) or not 0 <= value <= 1:
        raise InputError(f"{name} must be a share from 0 to 1, got {value!r}")


def check_number(name: str, value, low: float, high: float, *, open_low: bool = False,
                 open_high: bool = False) -> None:
    ok = is_number(value) and (low < value if open_low else low <= value) and (value < high if open_high else value <= high)
    if not ok:
        bounds = (f"{'above' if open_low else 'at least'} {low:g} and {'below' if open_high else 'at most'} {high:g}"
                  if open_low or open_high else f"from {low:g} to {high:g}")
        raise InputError(f"{name} must be a number {bounds}, got {value!r}")
