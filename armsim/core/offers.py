"""Utilities, aspirations and offers: the pure functions of a negotiator's mind.

Shapes: n runs, A actors, I issues. Levels ``x`` are ``(n, I)``; ideals ``(A, I)``;
weights ``(n, A, I)``; an agenda mask of open issues is ``(n, I)``.
"""

from __future__ import annotations

import numpy as np

from armsim.core.arrays import power, sum_last

EPS = 1e-9


def issue_utility(x: np.ndarray, ideal: np.ndarray, span: np.ndarray,
                  weight: np.ndarray, side: np.ndarray | None = None) -> np.ndarray:
    """u[n, a, i] = 1 - |x_i - ideal_ai| / span_i, or 1 where actor a has no weight on i;
    with one-sided preferences ``side`` ``(A, I)`` only the shortfall counts
    (:func:`one_sided`)."""
    return utility_where(x, ideal, span, weight > 0, side)


def one_sided(deviation: np.ndarray, side: np.ndarray) -> np.ndarray:
    """The part of ``deviation = level - ideal`` that costs an actor utility, in place.

    ``side`` (broadcast against ``deviation``, e.g. ``(A, I)`` against ``(n, A, I)``):
    0, a symmetric preference, all of it counts; +1 (``one_sided: more``), a level above
    the ideal costs nothing (more room is never worse), so positive deviations are 0;
    -1 (``less``), negative ones are. So ``1 - |one_sided(x - ideal)| / span`` is 1 at
    and beyond the ideal on the actor's free side and falls linearly on the other.
    """
    np.copyto(deviation, 0.0, where=np.sign(deviation) == side)
    return deviation


def utility_where(x: np.ndarray, ideal: np.ndarray, span: np.ndarray, cares: np.ndarray,
                  side: np.ndarray | None = None) -> np.ndarray:
    """:func:`issue_utility` given where the weights are positive, ``cares`` ``(n, A, I)``
    (``x`` may have a run axis of 1 when every run offers the same)."""
    u = x[:, None, :] - (ideal[None] if ideal.ndim == 2 else ideal)   # ideal (A, I) or (n, A, I)
    if side is not None:
        one_sided(u, side)
    np.abs(u, out=u)
    u /= span
    np.subtract(1.0, u, out=u)
    if u.shape != cares.shape:           # one row of levels for every run
        return np.where(cares, u, 1.0)
    np.copyto(u, 1.0, where=~cares)
    return u


def package_utility(u: np.ndarray, weight: np.ndarray, open_: np.ndarray) -> np.ndarray:
    """U[n, a] = sum_i w_ai u_ai / sum_i w_ai over the open issues; 1 if no weight there."""
    w = weight * open_[:, None, :]
    total = sum_last(w)
    return np.where(total > 0, sum_last(w * u) / np.where(total > 0, total, 1.0), 1.0)


def aspiration(tau: np.ndarray | float, reservation: np.ndarray,
               exponent: np.ndarray) -> np.ndarray:
    """Faratin et al.'s time-dependent aspiration 1 - (1 - r) * tau ** (1 / e)."""
    return 1.0 - (1.0 - reservation) * power(tau, 1.0 / exponent)


def session_tau(k: int, rounds: int) -> float:
    """Share of a session's rounds elapsed at its round k: 0 at the first, 1 at the last."""
    return 0.0 if rounds <= 1 else min(1.0, k / (rounds - 1))


def start_and_target(p: int, others: np.ndarray, ideal: np.ndarray, weight: np.ndarray,
                     open_: np.ndarray, f_lo: np.ndarray, f_hi: np.ndarray
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Where proposer p starts (its ideal, within all red lines) and what the others want.

    ``others`` is an (A,) mask. Returns start and target ``(n, I)`` and the others'
    gain per unit of concession ``(n, I)`` (normalised weights over the open issues).
    """
    start = np.broadcast_to(np.clip(ideal[..., p, :], f_lo, f_hi), open_.shape)
    mass = np.zeros_like(open_, dtype=float)
    pull = np.zeros_like(open_, dtype=float)
    for o in np.flatnonzero(others):        # a few actors: a loop beats (n, O, I) arrays
        share = weight[:, o, :] * open_
        total = sum_last(share)
        share /= np.where(total > 0, total, 1.0)[:, None]
        mass += share
        share *= ideal[..., o, :]
        pull += share
    mean = pull / np.where(mass > 0, mass, 1.0)
    target = np.where(mass > 0, np.clip(mean, f_lo, f_hi), start)
    return start, target, mass


def free_moves(start: np.ndarray, target: np.ndarray, side: np.ndarray) -> np.ndarray:
    """Where moving from ``start`` toward ``target`` ``(n, I)`` costs the proposer nothing:
    toward its free side, with ``side`` ``(I,)`` its one-sided preferences (start is its
    ideal within the window, so beyond it on that side lies only what it values as
    much), ``(n, I)`` bool."""
    return side * np.sign(target - start) > 0


def issue_offer(start: np.ndarray, target: np.ndarray, u_start: np.ndarray,
                level: np.ndarray, span: np.ndarray, cares: np.ndarray,
                free: np.ndarray | None = None) -> np.ndarray:
    """Issue by issue: move from start toward target until the own utility is ``level``.

    All arguments ``(n, I)`` except ``span`` ``(I,)``; ``cares`` is where the proposer's
    weight is positive (an indifferent proposer concedes the whole way), ``free`` where
    the move costs it nothing (:func:`free_moves`; it concedes the whole way too).
    """
    toward = target - start
    gap = np.abs(toward)
    distance = u_start - level
    distance *= span
    np.clip(distance, 0.0, gap, out=distance)
    np.copyto(distance, gap, where=~cares)
    if free is not None:
        np.copyto(distance, gap, where=free)
    np.sign(toward, out=toward)
    toward *= distance
    toward += start
    return toward


def package_offer(start: np.ndarray, target: np.ndarray, need: np.ndarray,
                  own_weight: np.ndarray, gain: np.ndarray, span: np.ndarray,
                  open_: np.ndarray, free: np.ndarray | None = None) -> np.ndarray:
    """A package: concede first where the own loss per unit is smallest per unit of gain.

    ``need`` ``(n,)`` is the utility the proposer gives up; ``own_weight`` ``(n, I)`` its
    weights; ``free`` ``(n, I)`` where a move costs it nothing (:func:`free_moves`). A
    fractional knapsack: issues sorted by cost/gain, conceded fully in that order until
    ``need`` is spent, the last one partly; free issues cost 0 and are conceded fully.
    """
    w = np.ascontiguousarray(own_weight * open_)   # C order: the sum rounds as it always has
    total = w.sum(axis=1, keepdims=True)
    cost = np.where(total > 0, w / np.where(total > 0, total, 1.0), 0.0) / span  # per unit
    if free is not None:
        cost = np.where(free, 0.0, cost)
    gap = np.abs(target - start) * open_
    ratio = np.where(gain > 0, cost / np.where(gain > 0, gain, 1.0), np.inf)
    ratio = np.where(open_, ratio, np.inf)
    order = np.argsort(ratio, axis=1, kind="stable")
    full = np.take_along_axis(cost * gap, order, axis=1)
    spent_before = np.cumsum(full, axis=1) - full
    amount = np.clip(need[:, None] - spent_before, 0.0, full)
    c = np.take_along_axis(cost, order, axis=1)
    g = np.take_along_axis(gap, order, axis=1)
    moved = np.where(c > 0, amount / np.where(c > 0, c, 1.0), g)
    distance = np.empty_like(moved)
    np.put_along_axis(distance, order, moved, axis=1)
    distance = np.minimum(distance, gap)
    return start + np.sign(target - start) * distance


def rubinstein_share(k: int, rounds: int, proposer_delta: np.ndarray,
                     responder_delta: np.ndarray, infinite: bool) -> np.ndarray:
    """The proposer's subgame-perfect share at round k of ``rounds`` alternating offers.

    Finite horizon, by backward induction: the last proposer takes everything, and
    P_m = 1 - delta_(responder at m) * P_(m+1). With two players alternating, the
    responder at round m is the proposer at m+1. Infinite horizon: the stationary
    share (1 - delta_j) / (1 - delta_i * delta_j).
    """
    if infinite:
        return (1.0 - responder_delta) / (1.0 - proposer_delta * responder_delta)
    share = np.ones_like(proposer_delta)
    # walk back from the last round; deltas alternate with the proposer's parity
    for m in range(rounds - 2, k - 1, -1):
        responder_is_first = (m - k) % 2 == 0
        delta = responder_delta if responder_is_first else proposer_delta
        share = 1.0 - delta * share
    return share


def nash_bargaining(ideal: np.ndarray, span: np.ndarray, weight: np.ndarray,
                    reservation: np.ndarray, open_: np.ndarray, f_lo: np.ndarray,
                    f_hi: np.ndarray, package: bool, *, sweeps: int = 40,
                    steps: int = 60, side: np.ndarray | None = None,
                    whole: np.ndarray | None = None) -> np.ndarray:
    """Levels maximising the product of utility gains over reservations, within red lines.

    ``ideal`` ``(P, I)``, ``weight`` ``(n, P, I)``, ``reservation`` ``(n, P)`` for the P
    participants; ``side`` ``(P, I)`` their one-sided preferences (None: symmetric);
    ``whole`` ``(I,)`` the issues whose levels are whole numbers (None: none). The log
    of the Nash product is concave in each level, so each issue is solved by bisection
    on its derivative; a package by coordinate ascent over issues (exact for one issue,
    and for issue-by-issue sessions); then each whole-number issue takes the better of
    the two whole levels around it (:func:`whole_nash`).
    """
    n, I = open_.shape
    # C order: the sums over participants and issues round as they always have
    weight, reservation = np.ascontiguousarray(weight), np.ascontiguousarray(reservation)
    open_ = np.ascontiguousarray(open_)
    x = np.broadcast_to((f_lo + f_hi) / 2.0, (n, I)).copy()
    for _ in range(sweeps if package and I > 1 else 1):
        for i in range(I):
            lo = np.broadcast_to(f_lo[..., i], (n,)).copy()
            hi = np.broadcast_to(f_hi[..., i], (n,)).copy()
            for _ in range(steps):
                mid = (lo + hi) / 2.0
                x[:, i] = mid
                slope = _log_nash_slope(x, i, ideal, span, weight, reservation, open_, package,
                                        side)
                up = slope > 0
                lo = np.where(up, mid, lo)
                hi = np.where(up, hi, mid)
            x[:, i] = (lo + hi) / 2.0
    if whole is not None and whole.any():
        x = whole_nash(x, ideal, span, weight, reservation, open_, f_lo, f_hi, package,
                       side, whole)
    return x


def whole_ceil(x: np.ndarray | float) -> np.ndarray:
    """The least whole level at or above ``x`` (within EPS): ``ceil(x - EPS)``, its zero
    always +0.0 (the ceiling of a number in (-1, 0] is -0.0, which runs.csv would write
    '-0'; + 0.0 turns it into 0.0 and leaves every other number as it is)."""
    return np.ceil(np.asarray(x, dtype=float) - EPS) + 0.0


def whole_floor(x: np.ndarray | float) -> np.ndarray:
    """The greatest whole level at or below ``x`` (within EPS): ``floor(x + EPS)``."""
    return np.floor(np.asarray(x, dtype=float) + EPS)


def whole_nash(x: np.ndarray, ideal: np.ndarray, span: np.ndarray, weight: np.ndarray,
               reservation: np.ndarray, open_: np.ndarray, f_lo: np.ndarray,
               f_hi: np.ndarray, package: bool, side: np.ndarray | None,
               whole: np.ndarray) -> np.ndarray:
    """The Nash solution ``x`` ``(n, I)`` with each whole-number issue (``whole`` ``(I,)``)
    at the whole level, below or above it (within the window), whose log Nash product is
    the larger (the lower on a tie). The product is concave in each level, so for one
    issue, and issue by issue, this is the best whole level; in a package the issues
    are rounded one after another in issue order, each given those before it."""
    x = x.copy()
    low = whole_ceil(f_lo)
    high = whole_floor(f_hi)
    for i in np.flatnonzero(whole):
        options = []
        for level in (whole_floor(x[:, i]), whole_ceil(x[:, i])):
            trial = x.copy()
            trial[:, i] = np.clip(level, low[..., i], high[..., i])
            options.append((trial[:, i], _log_nash(trial, i, ideal, span, weight,
                                                   reservation, open_, package, side)))
        (down, value_down), (up, value_up) = options
        x[:, i] = np.where(value_up > value_down, up, down)
    return x


def _log_nash(x: np.ndarray, i: int, ideal: np.ndarray, span: np.ndarray,
              weight: np.ndarray, reservation: np.ndarray, open_: np.ndarray,
              package: bool, side: np.ndarray | None) -> np.ndarray:
    """The objective the mediator maximises ``(n,)``: sum_a log(U_a(x) - r_a) over the
    package, or issue i's own sum over those who care about it (gains floored as in
    :func:`_log_nash_slope`)."""
    u = issue_utility(x, ideal, span, weight, side)            # (n, P, I)
    if package:
        gain = package_utility(u, weight, open_) - reservation
        counts = np.ones_like(gain, dtype=bool)
    else:
        gain = u[:, :, i] - reservation
        counts = weight[:, :, i] > 0
    return np.where(counts, np.log(np.maximum(gain, 1e-12)), 0.0).sum(axis=1)


def whole_offer(x: np.ndarray, start: np.ndarray, low: np.ndarray, high: np.ndarray,
                whole: np.ndarray) -> np.ndarray:
    """An offer ``x`` ``(n, I)`` on whole-number issues (``whole`` ``(I,)``): rounded toward
    the proposer's ``start`` (its ideal within the window, a whole level), so that it
    concedes whole units only and never more than its strategy gives (23.94 launchers
    conceded from 0 becomes 23, from 100 becomes 24), then kept within the window's
    whole levels ``[ceil(low), floor(high)]`` (``low``, ``high`` ``(I,)`` or ``(n, I)``),
    which never crosses a red line. Other issues are left as they are."""
    rounded = np.where(x > start, whole_floor(x), whole_ceil(x))
    rounded = np.clip(rounded, whole_ceil(low), whole_floor(high))
    return np.where(whole, rounded, x)


def _log_nash_slope(x: np.ndarray, i: int, ideal: np.ndarray, span: np.ndarray,
                    weight: np.ndarray, reservation: np.ndarray, open_: np.ndarray,
                    package: bool, side: np.ndarray | None = None) -> np.ndarray:
    """d/dx_i of sum_a log(U_a(x) - r_a) (gains floored at a tiny positive number)."""
    u = issue_utility(x, ideal, span, weight, side)           # (n, P, I)
    if package:
        w = weight * open_[:, None, :]
        total = w.sum(axis=2)
        share = np.where(total > 0, w[:, :, i] / np.where(total > 0, total, 1.0), 0.0)
        gain = package_utility(u, weight, open_) - reservation
    else:
        share = (weight[:, :, i] > 0).astype(float)
        gain = u[:, :, i] - reservation
    deviation = x[:, None, i] - ideal[..., i]                  # (n, P)
    if side is not None:
        one_sided(deviation, side[:, i])
    direction = -np.sign(deviation) / span[i]
    return (share * direction / np.maximum(gain, 1e-12)).sum(axis=1)
