"""Deadlock: talks in which nobody moves are named, broken by the strategies, or ended.

A talk round *moves* when the proposer's offer differs from its own previous offer of
the session (by more than ``TOL`` of an issue's range, on some open issue), or when
what some participant would accept (its threshold, :func:`armsim.core.talks.thresholds`)
differs from the round before. After ``deadlock_rounds`` talk rounds of a session in
a row that do not move (by default one full rotation: each participant has repeated
itself), a deadlock is *declared*: each participant's strategy may break it
(:meth:`~armsim.strategies.base.NegotiationStrategy.break_deadlock`: tit for tat's
restart gesture, GRIT's renewed steps); if none does, nothing can change any more and
the session *ends* as a recorded deadlock: its remaining rounds have no talks.

Nothing here draws a random number, and a run that never stalls is untouched, so
results change only where a session used to loop without moving.
Shapes: n runs, A actors, P participants, I issues.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from armsim.core.offers import EPS as TOL
from armsim.core.spec import Params, Spec


@dataclass
class Stall:
    """A session's deadlock bookkeeping for n runs; made afresh at each session's start.

    ``last_offer`` ``(n, A + 1, I)``: each proposer's latest offer this session (the
    last slot the mediator's; nan: none yet); ``threshold`` ``(n, P, I)``: what each
    participant would accept in the latest round; ``still`` ``(n,)``: talk rounds in a
    row that did not move; ``breaks`` ``(n, A)``: deadlocks each actor broke this
    session; ``ended`` ``(n,)``: the session ended as a deadlock.
    """

    last_offer: np.ndarray
    threshold: np.ndarray | None
    still: np.ndarray
    breaks: np.ndarray
    ended: np.ndarray

    @classmethod
    def fresh(cls, n: int, A: int, I: int) -> "Stall":
        return cls(np.full((n, A + 1, I), np.nan), None, np.zeros(n, np.int64),
                   np.zeros((n, A), np.int64), np.zeros(n, bool))


@dataclass
class Declared:
    """A deadlock declared in a talk round: where ``declared`` ``(n,)``, which of the
    participants ``who`` ``(P,)`` broke it ``(n, P)``, and where the session ``ended``
    ``(n,)`` because none could; ``rounds`` still rounds it took; the participants'
    aspirations ``before`` and ``after`` ``(n, P, I)``, for ``armsim explain``."""

    declared: np.ndarray
    who: np.ndarray
    broke: np.ndarray
    ended: np.ndarray
    rounds: int
    before: np.ndarray | None = None
    after: np.ndarray | None = None


def moved(spec: Spec, stall: Stall, proposer: int, offer: np.ndarray, open_: np.ndarray,
          threshold: np.ndarray) -> np.ndarray:
    """Whether the round moved, ``(n,)`` (see the module's docstring); remembers the
    offer and the thresholds for the next round."""
    before = stall.last_offer[:, proposer]
    with np.errstate(invalid="ignore"):
        offer_moved = ~(np.abs(offer - before) <= TOL * spec.span) & open_      # nan: moved
        if stall.threshold is None or stall.threshold.shape != threshold.shape:
            asks_moved = np.ones(len(offer), bool)
        else:
            same = (threshold == stall.threshold) | (np.abs(threshold - stall.threshold) <= TOL)
            asks_moved = (~same & open_[:, None, :]).any(axis=(1, 2))
    stall.last_offer[:, proposer] = np.where(open_, offer, before)
    stall.threshold = np.array(threshold, copy=True)
    return offer_moved.any(axis=1) | asks_moved


def observe(spec: Spec, params: Params, talk, stall: Stall, session: int, k: int,
            proposer: int, offer: np.ndarray, open_: np.ndarray, who: np.ndarray,
            threshold: np.ndarray) -> Declared | None:
    """Count a talk round that did not move; at ``deadlock_rounds`` of them in a row,
    declare a deadlock and let the participants' strategies break it (or end the
    session). Returns what was declared, or None."""
    active = open_.any(axis=1) & ~stall.ended
    step = moved(spec, stall, proposer, offer, open_, threshold)
    stall.still = np.where(active, np.where(step, 0, stall.still + 1), stall.still)
    rounds = int(spec.session_deadlock[session])
    declared = active & (stall.still >= rounds)
    if not declared.any():
        return None
    n = len(declared)
    broke = np.zeros((n, len(who)), bool)
    before = talk.aspiration[:, who].copy()
    if not spec.mediated[session]:
        total = int(spec.session_rounds[session])
        for j, a in enumerate(who):
            done = spec.negotiators[a].break_deadlock(talk, params, int(a), k, total,
                                                      declared, stall.breaks[:, a])
            broke[:, j] = declared & done
            stall.breaks[:, a] += broke[:, j]
    ended = declared & ~broke.any(axis=1)
    stall.ended |= ended
    stall.still = np.where(declared, 0, stall.still)
    return Declared(declared, who, broke, ended, rounds, before,
                    talk.aspiration[:, who].copy())
