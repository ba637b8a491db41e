"""Red lines and refusals: the rules that several parts of armsim ask, written once.

An actor's red line on an issue leaves it a *window* of acceptable levels; the
participants of a session share the *common window* (where every red line holds);
an offer is *inside the red lines* of an actor within a tolerance; and a responder
refuses for one of the :class:`Refusal` reasons. The talks, the scenario checks,
``armsim show``, ``armsim explain``, the dance figure and the classroom page all call
these functions. Plain numbers or arrays in, so this module needs no scenario.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np

from armsim.core.offers import EPS as TOL
from armsim.core.offers import whole_ceil, whole_floor


class Refusal(IntEnum):
    """Why a participant did not accept an issue of an offer (0: it accepted)."""

    ACCEPTED = 0
    RED_LINE = 1     # the offer crosses its red line
    BELOW = 2        # worth less to it than what it would itself ask (or its reservation)
    LINKAGE = 3      # an issue it insists on is not agreed


def red_line_window(lo: float, hi: float, red_min: float | None = None,
                    red_max: float | None = None, non_negotiable: bool = False
                    ) -> tuple[float, float]:
    """The levels of an issue of range ``[lo, hi]`` that a red line ``{min, max}`` accepts
    (``non_negotiable``: the status quo hi alone). Empty when low > high."""
    if non_negotiable:
        return hi, hi
    low = lo if red_min is None else max(lo, red_min)
    high = hi if red_max is None else min(hi, red_max)
    return low, high


def common_window(red_lo: np.ndarray, red_hi: np.ndarray, who: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Levels within the red lines of every actor in ``who`` (a mask or indices):
    ``red_lo``, ``red_hi`` ``(A, I)`` -> low and high ``(I,)`` (per run, ``(n, A, I)`` ->
    ``(n, I)``); an issue with low > high has no common level. With nobody, the whole of
    each window given."""
    lo, hi = np.asarray(red_lo)[..., who, :], np.asarray(red_hi)[..., who, :]
    if not lo.shape[-2]:
        return (np.min(red_lo, axis=-2, initial=-np.inf),
                np.max(red_hi, axis=-2, initial=np.inf))
    return lo.max(axis=-2), hi.min(axis=-2)


def whole_window(low: np.ndarray, high: np.ndarray, whole: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray]:
    """A window of levels ``[low, high]`` (``(I,)`` or ``(n, I)``) narrowed, on the issues
    whose levels are whole numbers (``whole`` ``(I,)``), to its whole levels:
    ``[ceil(low), floor(high)]`` (empty when it holds none). The same arrays where no
    issue is whole."""
    if not whole.any():
        return low, high
    return (np.where(whole, whole_ceil(low), low),
            np.where(whole, whole_floor(high), high))


def has_common_level(low: np.ndarray | float, high: np.ndarray | float) -> np.ndarray | bool:
    """Whether a window ``[low, high]`` holds a level (within the tolerance)."""
    return np.asarray(low) <= np.asarray(high) + TOL


def inside_red_lines(x: np.ndarray, red_lo: np.ndarray, red_hi: np.ndarray) -> np.ndarray:
    """Whether levels ``x`` ``(n, I)`` lie inside each of P actors' red lines ``(P, I)``
    (or per run, ``(n, P, I)``):
    ``(n, P, I)``, within the tolerance."""
    red_lo, red_hi = (line[None] if line.ndim == 2 else line for line in (red_lo, red_hi))
    return (x[:, None, :] >= red_lo - TOL) & (x[:, None, :] <= red_hi + TOL)


def refusals(inside: np.ndarray, likes: np.ndarray, linked: np.ndarray) -> np.ndarray:
    """The :class:`Refusal` of each participant and issue: a red line first, then too
    little, then linkage; ``ACCEPTED`` where none applies. Arrays of one shape."""
    return np.where(~inside, Refusal.RED_LINE,
                    np.where(~likes, Refusal.BELOW,
                             np.where(linked, Refusal.ACCEPTED, Refusal.LINKAGE)))
