"""Private red lines and what actors believe of them (MODEL.md section 3).

Each actor has a *true* red line (``Spec.limit(params, "red_lo" / "red_hi")``), which it
never crosses, and a *stated* one (``"stated_lo" / "stated_hi"``, by default the true
one), which the others see. Each observer o holds, about each other actor b and issue
i, an interval belief on b's true min, ``[min_lo, min_hi]``, and on its true max,
``[max_lo, max_hi]`` (a prior from the scenario, by default the stated end as a point).

The rule (docs/model.md 7.18), applied after every talk round to every participant o
observing every other responder b on every issue i whose level x was on the table:

- b accepted x, or refused it for a reason other than its red line (its answer says
  which), so x lies inside b's true line: ``min_hi = min(min_hi, x)``,
  ``max_lo = max(max_lo, x)``;
- b refused x by its red line, below its min: ``min_lo = max(min_lo, x)``; above its
  max: ``max_hi = min(max_hi, x)``. Where the interval then does not reach beyond x (the
  prior was wrong), its other end opens to the issue's range: ``min_hi = hi_i`` or
  ``max_lo = lo_i``.

A proposer takes the middle of each belief interval as the other's red line (the median
of a uniform belief), so repeated refusals at the edge bisect toward the true line. With
point priors at the stated lines and no bluff, nothing here changes a run.

Shapes: n runs, A actors (observer, other), I issues.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from armsim.core import rules
from armsim.core.spec import Params, Spec

TOL = rules.TOL


@dataclass
class Beliefs:
    """Interval beliefs ``(n, A, A, I)`` [observer, other, issue] about true red lines, and
    what the runs showed: ``called`` ``(n, A, I)`` the round an actor accepted a level
    across its own stated line (its bluff called; -1: never), ``revealed`` ``(n, A, I)``
    the round it refused by its true line a level inside its stated one (-1: never)."""

    min_lo: np.ndarray
    min_hi: np.ndarray
    max_lo: np.ndarray
    max_hi: np.ndarray
    called: np.ndarray
    revealed: np.ndarray

    @classmethod
    def prior(cls, spec: Spec, params: Params, n: int) -> "Beliefs":
        """Every observer starts from the scenario's ``believed`` intervals, else from the
        stated line as a point."""
        A, I = spec.ideal.shape
        stated = (spec.limit(params, "stated_lo"), spec.limit(params, "stated_hi"))
        ends = []
        for e in range(4):
            point = np.broadcast_to(stated[e // 2], (n, A, I))
            given = spec.believed[..., e]
            ends.append(np.where(np.isnan(given), point, given))
        shape = (n, A, A, I)                          # the same prior for every observer
        copies = [np.array(np.broadcast_to(end[:, None], shape)) for end in ends]
        never = np.full((n, A, I), -1)
        return cls(*copies, never, never.copy())

    def edges(self, p: int) -> tuple[np.ndarray, np.ndarray]:
        """The red lines observer p takes the others to have: the middle of its belief
        intervals, low and high ``(n, A, I)``."""
        return ((self.min_lo[:, p] + self.min_hi[:, p]) / 2,
                (self.max_lo[:, p] + self.max_hi[:, p]) / 2)

    def error(self, spec: Spec, params: Params) -> np.ndarray:
        """How far each observer's beliefs are from the truth, ``(n, A)``: the mean over
        the other actors and the issues of (|mid min - true min| + |mid max - true max|)
        / span (0 for an observer alone)."""
        n, A, _, I = self.min_lo.shape
        true_lo = np.broadcast_to(spec.limit(params, "red_lo"), (n, A, I))[:, None]
        true_hi = np.broadcast_to(spec.limit(params, "red_hi"), (n, A, I))[:, None]
        gap = (np.abs((self.min_lo + self.min_hi) / 2 - true_lo)
               + np.abs((self.max_lo + self.max_hi) / 2 - true_hi)) / spec.span
        others = ~np.eye(A, dtype=bool)
        count = max((A - 1) * I, 1)
        return (gap * others[None, :, :, None]).sum(axis=(2, 3)) / count


def own_window(spec: Spec, params: Params, p: int) -> tuple[np.ndarray, np.ndarray]:
    """The levels proposer p offers within: its true line and, where stricter, its
    stated one (it keeps its word in its own offers), ``(I,)`` or ``(n, I)``."""
    true_lo, true_hi = spec.limit(params, "red_lo"), spec.limit(params, "red_hi")
    if not spec.private:
        return true_lo[..., p, :], true_hi[..., p, :]
    return (np.maximum(true_lo[..., p, :], spec.limit(params, "stated_lo")[..., p, :]),
            np.minimum(true_hi[..., p, :], spec.limit(params, "stated_hi")[..., p, :]))


def offer_window(spec: Spec, params: Params, beliefs: Beliefs | None, session: int,
                 p: int) -> tuple[np.ndarray, np.ndarray]:
    """The window proposer p believes every participant accepts: its own, met with what
    it takes the others' red lines to be, ``(I,)`` (constants) or ``(n, I)``. Without
    private information, the participants' common window."""
    who = spec.participants[session]
    if beliefs is None:
        return rules.common_window(spec.limit(params, "red_lo"), spec.limit(params, "red_hi"),
                                   who)
    low, high = own_window(spec, params, p)
    seen_lo, seen_hi = beliefs.edges(p)
    others = who.copy()
    others[p] = False
    if others.any():
        low = np.maximum(low, seen_lo[:, others].max(axis=1))
        high = np.minimum(high, seen_hi[:, others].min(axis=1))
    return low, high


def observe(spec: Spec, params: Params, beliefs: Beliefs, t: int, who: np.ndarray,
            proposer: int, offer: np.ndarray, open_: np.ndarray, likes: np.ndarray) -> None:
    """Every participant in ``who`` ``(P,)`` learns from the answers to ``offer`` ``(n, I)``
    (open where ``open_``) by the rule of this module; ``likes`` ``(n, P, I)`` records a
    called bluff (accepted across the stated line) and a revealed line."""
    n, A, _, I = beliefs.min_lo.shape
    x = np.where(open_, offer, np.nan)
    true_lo = np.broadcast_to(spec.limit(params, "red_lo"), (n, A, I))[:, who]
    true_hi = np.broadcast_to(spec.limit(params, "red_hi"), (n, A, I))[:, who]
    stated_lo = np.broadcast_to(spec.limit(params, "stated_lo"), (n, A, I))[:, who]
    stated_hi = np.broadcast_to(spec.limit(params, "stated_hi"), (n, A, I))[:, who]
    xs = x[:, None, :]
    below, above = xs < true_lo - TOL, xs > true_hi + TOL       # (n, P, I); nan: False
    inside = open_[:, None, :] & ~below & ~above
    outside_stated = (xs < stated_lo - TOL) | (xs > stated_hi + TOL)
    _first(beliefs.called, who, t, inside & likes & outside_stated)
    _first(beliefs.revealed, who, t, (below | above) & ~outside_stated)
    lo, hi = spec.lo, spec.hi
    for j, b in enumerate(who):
        if b == proposer:
            continue                          # its own offer says nothing of its line
        watchers = np.asarray(who)[np.asarray(who) != b]
        ins, bel, abv = inside[:, j, None], below[:, j, None], above[:, j, None]
        xb = x[:, None, :]
        for end, rule in (("min_hi", lambda v: np.where(ins, np.minimum(v, xb), v)),
                          ("max_lo", lambda v: np.where(ins, np.maximum(v, xb), v)),
                          ("min_lo", lambda v: np.where(bel, np.maximum(v, xb), v)),
                          ("max_hi", lambda v: np.where(abv, np.minimum(v, xb), v))):
            table = getattr(beliefs, end)
            table[:, watchers, b] = rule(table[:, watchers, b])
        # a refusal at x says the true min is above x: an interval that does not reach
        # above x (the prior was wrong) opens to the range's end
        mhi = beliefs.min_hi[:, watchers, b]
        beliefs.min_hi[:, watchers, b] = np.where(bel & (mhi <= xb + TOL), hi, mhi)
        xlo = beliefs.max_lo[:, watchers, b]
        beliefs.max_lo[:, watchers, b] = np.where(abv & (xlo >= xb - TOL), lo, xlo)


def _first(rounds: np.ndarray, who: np.ndarray, t: int, now: np.ndarray) -> None:
    """Record round t where ``now`` ``(n, P, I)`` and nothing was recorded yet."""
    seen = rounds[:, who]
    rounds[:, who] = np.where(now & (seen < 0), t, seen)
