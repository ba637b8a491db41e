"""Deadlock: talks in which nobody moves are named, broken by the strategies, or ended.

A talk round *moves* when the proposer's offer differs from its own previous offer of
the session (by more than ``TOL`` of an issue's range, on some open issue), or when
what some participant would accept (its threshold, :func:`armsim.core.talks.thresholds`)
differs from the round before (on any issue). After ``deadlock_rounds`` talk rounds of a session in
a row that do not move (by default one full rotation: each participant has repeated
itself), a deadlock is *declared*: each participant's strategy may break it
(:meth:`~armsim.strategies.base.NegotiationStrategy.break_deadlock`: tit for tat's
restart gesture, GRIT's renewed steps); if none does, nothing can change any more and
the session *ends* as a recorded deadlock: its remaining rounds have no talks.

The first rotation of a session always moves (each proposer's first offer), so rounds
are counted after it, and not at all in a session too short for a deadlock
(``rounds < participants + deadlock_rounds``; a mediated table: ``1 + deadlock_rounds``).
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

    ``offers``: each proposer's latest offer this session, ``(n, I)`` (nan off the open
    agenda; -1 the mediator); ``threshold`` ``(n, P, I)``: what each
    participant would accept in the latest round; ``still`` ``(n,)``: talk rounds in a
    row that did not move; ``breaks`` ``(n, A)``: deadlocks each actor broke this
    session; ``ended`` ``(n,)``: the session ended as a deadlock.
    """

    offers: dict[int, np.ndarray]
    threshold: np.ndarray | None
    still: np.ndarray
    breaks: np.ndarray
    ended: np.ndarray

    @classmethod
    def fresh(cls, n: int, A: int, I: int) -> "Stall":
        return cls({}, None, np.zeros(n, np.int64), np.zeros((n, A), np.int64),
                   np.zeros(n, bool))


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
    offer and the thresholds (references: the talks make new arrays each round) for
    the next round. The thresholds are compared only where the offer did not move."""
    before = stall.offers.get(proposer)     # None: its first offer of the session (an
    with np.errstate(invalid="ignore"):    # issue reopened after it let its turns pass)
        step = (~(np.abs(offer - before) <= TOL * spec.span) & open_).any(axis=1) \
            if before is not None else np.ones(len(offer), bool)               # nan: moved
        previous = stall.threshold
        if previous is None or previous.shape != threshold.shape:
            step[:] = True
        elif not step.all():
            # thresholds are recomputed from the same numbers when nothing moved, so an
            # exact comparison is the right one (-inf, accepting at once, equals itself)
            step |= np.not_equal(threshold, previous).any(axis=(1, 2))
    stall.offers[proposer] = offer
    stall.threshold = threshold
    return step


def observe(spec: Spec, params: Params, talk, stall: Stall, session: int, k: int,
            proposer: int, offer: np.ndarray, open_: np.ndarray, who: np.ndarray,
            threshold: np.ndarray) -> Declared | None:
    """Count a talk round that did not move; at ``deadlock_rounds`` of them in a row,
    declare a deadlock and let the participants' strategies break it (or end the
    session). Returns what was declared, or None."""
    rounds = int(spec.session_deadlock[session])
    # the first rotation moves (each proposer's first offer of the session; a mediator
    # has one), so counting starts after it, and only where a deadlock can still come
    first = 1 if spec.mediated[session] else len(who)
    if int(spec.session_rounds[session]) < first + rounds:
        return None
    if k < first:
        stall.offers[proposer], stall.threshold = offer, threshold
        return None
    active = open_.any(axis=1)            # (the runs whose session ended have none open)
    step = moved(spec, stall, proposer, offer, open_, threshold)
    stall.still += active
    stall.still[step] = 0
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
