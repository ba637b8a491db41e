"""Tit for tat in the talks: concession for concession (reciprocal concession).

It opens at its ideal less an opening gesture (its aspiration ``1 - opening``), then,
before each of its offers, concedes as much (in its own utility) as the other side's
latest offer improved on the one before for it, times ``reciprocity``; never below
its reservation. As a responder it accepts what meets its aspiration.

Deadlock (docs/model.md 7.19): when nobody has moved for the session's
``deadlock_rounds``, it makes one restart gesture per session, a unilateral concession
of its ``opening`` (its aspiration falls by it, never below its reservation), so that
the other side may answer; a second deadlock in the same session it leaves unbroken.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

import numpy as np

from armsim.core.offers import EPS as TOL
from armsim.scenario.values import Model, Nonnegative, Number, bounded
from armsim.strategies.base import NegotiationStrategy


class TitForTatParams(Model):
    type: Literal["tit_for_tat"]
    reciprocity: Nonnegative = 1.0
    opening: Annotated[Number, bounded(0, 1)] = 0.05


def received_gain(talk, p: int) -> np.ndarray:
    """How much the others' latest offer improved on the one before for p, ``(n, I)``
    (0 where it did not, or where p has not seen two offers yet)."""
    delta = talk.last_received[:, p] - talk.prev_received[:, p]
    return np.where(np.isfinite(delta), np.maximum(delta, 0.0), 0.0)


def lower_aspiration(talk, params, p: int, move: np.ndarray) -> None:
    """p asks ``move`` less than before, never below its reservation (in place)."""
    floor = params.reservation[:, p, None]
    talk.aspiration[:, p] = np.maximum(talk.aspiration[:, p] - move, floor)


class TitForTat(NegotiationStrategy):
    name = "tit_for_tat"
    rank = 5
    description = "opens near its ideal, then concedes as much as the other side conceded"
    words = "concession for concession (tit for tat)"
    Params: ClassVar[type[Model]] = TitForTatParams
    drawn = {"reciprocity": None, "opening": None}
    compiled_as = "tit_for_tat"

    def open(self, talk, params, a):
        talk.aspiration[:, a, :] = 1.0 - params.negotiation["opening"][:, a, None]

    breaks_deadlock_with = "a restart gesture, a concession of its opening size"

    def concede(self, talk, params, p):
        move = params.negotiation["reciprocity"][:, p, None] * received_gain(talk, p)
        lower_aspiration(talk, params, p, move)

    def break_deadlock(self, talk, params, a, k, rounds, stuck, broken):
        return unilateral_step(talk, params, a, stuck & (broken == 0),
                               params.negotiation["opening"][:, a, None])


def unilateral_step(talk, params, a: int, where: np.ndarray, size: np.ndarray) -> np.ndarray:
    """Actor a lowers its aspiration by ``size`` ``(n, 1)`` in the runs ``where`` ``(n,)``
    (never below its reservation); returns where it did move, ``(n,)``."""
    before = talk.aspiration[:, a].copy()
    lower_aspiration(talk, params, a, np.where(where[:, None], size, 0.0))
    return where & (talk.aspiration[:, a] < before - TOL).any(axis=1)
