"""The geometry of a two-party bargain: the Pareto frontier and the Nash bargaining point.

Plain NumPy, no matplotlib: the "negotiation dance" figure draws what these return.
Utilities are MODEL.md's package utilities (``armsim.core.offers``), computed over the
open issues of an agenda, for two actors 0 and 1.

Why the frontier is exact here: on each issue an actor's utility falls linearly with
the distance from its ideal, so every efficient level lies between the two actors'
best levels within the red lines, ``c0`` and ``c1``. Moving an issue from ``c1`` to
``c0`` trades a fixed amount of actor 1's utility for a fixed amount of actor 0's,
the set of efficient deals is a sum of segments, and its frontier is the polyline
that concedes issues one by one to actor 0 in order of actor 1's cost per unit of
actor 0's gain (the ratio of their weights). The same greedy order is the
fractional-knapsack rule the offers in ``armsim.core.offers`` follow.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from armsim.core.offers import issue_utility, package_utility

EPS = 1e-12


@dataclass(frozen=True)
class Frontier:
    """Vertices of a Pareto frontier, from actor 1's best deal to actor 0's.

    ``levels`` ``(m, I)``: the deal at each vertex; ``utility`` ``(m, 2)``: the two
    actors' package utilities there. Between two vertices one issue moves and both
    utilities change linearly, so the straight segments are the frontier.
    """

    levels: np.ndarray
    utility: np.ndarray


@dataclass(frozen=True)
class NashPoint:
    """The deal that maximises ``(U0 - r0) * (U1 - r1)`` on the frontier."""

    levels: np.ndarray     # (I,)
    utility: np.ndarray    # (2,)
    product: float


def utilities(levels: np.ndarray, ideal: np.ndarray, weight: np.ndarray, lo: np.ndarray,
              hi: np.ndarray, open_: np.ndarray | None = None,
              side: np.ndarray | None = None) -> np.ndarray:
    """Package utilities ``(m, A)`` of the deals ``levels`` ``(m, I)`` for actors with
    ``ideal`` and ``weight`` ``(A, I)``, over the issues in ``open_`` ``(I,)`` (all if None);
    ``side`` ``(A, I)`` their one-sided preferences (None: symmetric)."""
    levels = np.atleast_2d(np.asarray(levels, dtype=float))
    m, n_issues = levels.shape
    weight = np.asarray(weight, dtype=float)
    mask = np.ones(n_issues, bool) if open_ is None else np.asarray(open_, bool)
    span = np.asarray(hi, dtype=float) - np.asarray(lo, dtype=float)
    w = np.broadcast_to(weight, (m, *weight.shape))
    u = issue_utility(levels, np.asarray(ideal, dtype=float), span, w, side)
    return package_utility(u, w, np.broadcast_to(mask, (m, n_issues)))


def pareto_frontier(ideal: np.ndarray, weight: np.ndarray, lo: np.ndarray, hi: np.ndarray,
                    open_: np.ndarray | None = None, window_lo: np.ndarray | None = None,
                    window_hi: np.ndarray | None = None,
                    side: np.ndarray | None = None) -> Frontier:
    """The Pareto frontier of two actors' package utilities over an agenda.

    ``ideal``, ``weight`` ``(2, I)``; ``lo``, ``hi`` ``(I,)`` the issues' ranges;
    ``open_`` ``(I,)`` the agenda (all issues if None); ``window_lo``/``window_hi``
    ``(I,)`` the levels every participant's red lines allow (the whole range if None).
    Issues off the agenda, or whose window is empty (no common level: they cannot be
    agreed), stay at the status quo ``hi``. ``side`` ``(2, I)``: one-sided preferences
    (None: symmetric); an actor's best levels are then an interval, and its best level
    here is the end of that interval nearest the other's (the segment between the two
    is where both utilities change linearly, so the argument above still holds).
    """
    ideal = np.asarray(ideal, dtype=float)
    weight = np.asarray(weight, dtype=float)
    lo, hi = np.asarray(lo, dtype=float), np.asarray(hi, dtype=float)
    n_issues = lo.size
    mask = np.ones(n_issues, bool) if open_ is None else np.asarray(open_, bool)
    w_lo = lo if window_lo is None else np.maximum(lo, np.asarray(window_lo, dtype=float))
    w_hi = hi if window_hi is None else np.minimum(hi, np.asarray(window_hi, dtype=float))
    agreeable = mask & (w_lo <= w_hi)
    best0, best1 = _best_levels(ideal, lo, hi, w_lo, w_hi, side)
    cares0 = weight[0] > 0
    cares1 = weight[1] > 0
    # where actor 1 is the only one who cares, its best level is free; where actor 0
    # is, actor 0's; where neither, the status quo; where both, the issue can move
    start = np.where(agreeable & cares1, best1, np.where(agreeable & cares0, best0, hi))
    movable = agreeable & cares0 & cares1 & (np.abs(best0 - best1) > EPS)
    ratio = np.where(movable, weight[1] / np.where(cares0, weight[0], 1.0), np.inf)
    order = [i for i in np.argsort(ratio, kind="stable") if movable[i]]
    vertices = [start.copy()]
    for i in order:
        nxt = vertices[-1].copy()
        nxt[i] = best0[i]
        vertices.append(nxt)
    levels = np.array(vertices)
    return Frontier(levels, utilities(levels, ideal, weight, lo, hi, mask, side))


def _best_levels(ideal: np.ndarray, lo: np.ndarray, hi: np.ndarray, w_lo: np.ndarray,
                 w_hi: np.ndarray, side: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Each actor's best level within the window ``(I,)``: its ideal; with a one-sided
    preference, the point of its interval of best levels nearest the other's."""
    if side is None:
        return np.clip(ideal[0], w_lo, w_hi), np.clip(ideal[1], w_lo, w_hi)
    side = np.asarray(side)
    low = np.clip(np.where(side < 0, lo, ideal), w_lo, w_hi)      # (2, I)
    high = np.clip(np.where(side > 0, hi, ideal), w_lo, w_hi)
    best0 = np.clip(np.clip(low[0], low[1], high[1]), low[0], high[0])
    best1 = np.clip(np.clip(low[1], low[0], high[0]), low[1], high[1])
    return best0, best1


def nash_point(frontier: Frontier, reservation: np.ndarray) -> NashPoint | None:
    """The Nash bargaining solution on ``frontier`` for reservations ``(2,)``.

    On each segment the product of the gains is a concave quadratic (one gain rises
    as the other falls), so its maximum is at an end or where its derivative is zero.
    None when no deal gives both actors more than their reservation.
    """
    r = np.asarray(reservation, dtype=float)
    points, levels = frontier.utility, frontier.levels
    best: NashPoint | None = None
    segments = max(len(points) - 1, 1)
    for j in range(segments):
        k = min(j + 1, len(points) - 1)
        a, d = points[j] - r, points[k] - points[j]
        candidates = [0.0, 1.0]
        curvature = 2.0 * d[0] * d[1]
        if abs(curvature) > EPS:
            candidates.append(float(np.clip(-(a[0] * d[1] + a[1] * d[0]) / curvature, 0, 1)))
        for t in candidates:
            gain = a + t * d
            if (gain > 0).all() and (best is None or gain.prod() > best.product):
                best = NashPoint(levels[j] + t * (levels[k] - levels[j]), r + gain,
                                 float(gain.prod()))
    return best
