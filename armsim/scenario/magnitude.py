"""How large a number a scenario may hold, and how to speak of one that is larger.

Every number in a scenario, whole or not, lies in [-MAX_MAGNITUDE, MAX_MAGNITUDE]; only
the seed (a 64-bit key) and the counts with their own bounds (rounds) are checked
otherwise. The bound keeps every quantity a run computes finite: the largest product is
three scenario numbers and a sum over the actors (``dt * reaction * threat``, below
``1e45`` times the number of actors), the largest sum a payoff added up over at most a
million rounds, both far from the ``1.8e308`` where floating point ends; an issue's span
``hi - lo`` is at most ``2e15``. Whole numbers below it are exact as floats (``2**53`` is
about ``9e15``) and fit a 64-bit integer.
"""

from __future__ import annotations

import math
from typing import Any

MAX_MAGNITUDE = 10**15
BOUND = "1e15"  # MAX_MAGNITUDE as people write it in a scenario
_LONG = 10**21  # whole numbers from here on are told by their count of digits


def describe_number(value: int | float) -> str:
    """``1e+308``, ``42``, or ``a whole number of 401 digits`` (never 401 digits)."""
    if isinstance(value, int) and abs(value) >= _LONG:
        if value.bit_length() > 14_000:  # beyond what str() converts (4300 digits)
            return "a whole number of more than 4,000 digits"
        return f"a whole number of {len(str(abs(value))):,} digits"
    return f"{value:g}" if isinstance(value, float) else str(value)


def within(value: Any) -> bool:
    """Whether ``value`` is a finite number no larger in size than MAX_MAGNITUDE."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    if isinstance(value, int):
        return abs(value) <= MAX_MAGNITUDE
    return math.isfinite(value) and abs(value) <= MAX_MAGNITUDE


def real(value: Any) -> Any:
    """``value`` if it is a number a scenario may hold; else a ValueError saying why.

    Text and booleans are refused (a quoted number is text), so are infinities and NaN,
    and numbers beyond MAX_MAGNITUDE. Other types are left to the caller.
    """
    if isinstance(value, (bool, str)):
        raise ValueError(f"expected a number, got {type(value).__name__} {value!r}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"expected a finite number, got {value}")
    if isinstance(value, (int, float)) and not within(value):
        raise ValueError(too_large(value))
    return value


def too_large(value: int | float) -> str:
    return (f"{describe_number(value)} is too large: a number in a scenario lies between "
            f"-{BOUND} and {BOUND}, which keeps everything a run computes finite")
