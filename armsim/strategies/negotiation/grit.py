"""GRIT: Osgood's Graduated Reciprocation in Tension-reduction.

Announced unilateral concessions of ``step`` (in its own utility) at each of its
offers, kept up while the others reciprocate: after ``wait`` of its own offers with no
improvement from the others, it concedes only as they do (as tit for tat, times
``reciprocity``). Its first offer is always a step.

Deadlock (docs/model.md 7.19): when nobody has moved for the session's
``deadlock_rounds``, it renews its initiative once per session: its count of
unanswered proposals starts again, so its announced steps resume at its next
proposals while fewer than ``wait`` of them go unanswered (unless it is already at its
reservation, where it has nothing left to give).
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

import numpy as np
from pydantic import Field

from armsim.core.offers import EPS as TOL
from armsim.scenario.values import Count, Model, Nonnegative, Number, bounded
from armsim.strategies.base import NegotiationStrategy
from armsim.strategies.negotiation.tit_for_tat import lower_aspiration, received_gain


class GritParams(Model):
    type: Literal["grit"]
    step: Annotated[Number, bounded(0, 1)] = 0.05
    wait: Annotated[Count, Field(ge=1)] = 2
    reciprocity: Nonnegative = 1.0


class Grit(NegotiationStrategy):
    name = "grit"
    rank = 6
    description = "unilateral steps kept up while the others reciprocate, then tit for tat"
    words = "small unilateral steps, kept up while the others reciprocate (GRIT)"
    Params: ClassVar[type[Model]] = GritParams
    drawn = {"step": None, "reciprocity": None}
    #: own proposals since the others last reciprocated
    memory = {"idle": np.int64}
    compiled_as = "grit"

    breaks_deadlock_with = "a renewed initiative: its unilateral steps resume"

    def break_deadlock(self, talk, params, a, k, rounds, stuck, broken):
        room = (talk.aspiration[:, a] > params.reservation[:, a, None] + TOL).any(axis=1)
        moves = stuck & (broken == 0) & room
        idle = talk.memory["idle"]
        idle[:, a] = np.where(moves[:, None], 0, idle[:, a])
        return moves

    def concede(self, talk, params, p):
        delta = received_gain(talk, p)
        reciprocal = params.negotiation["reciprocity"][:, p, None] * delta
        idle = talk.memory["idle"]
        seen = np.isfinite(talk.prev_received[:, p])
        idle[:, p] = np.where(delta > TOL, 0, np.where(seen, idle[:, p] + 1, 0))
        first = ~np.isfinite(talk.last_received[:, p]) & (talk.aspiration[:, p] >= 1.0)
        step = params.negotiation["step"][:, p, None]
        move = np.where(idle[:, p] < self.config.wait, step, reciprocal)
        move = np.where(first, step, move)
        lower_aspiration(talk, params, p, move)
