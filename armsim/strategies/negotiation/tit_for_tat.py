"""Tit for tat in the talks: concession for concession (reciprocal concession).

It opens at its ideal less an opening gesture (its aspiration ``1 - opening``), then,
before each of its offers, concedes as much (in its own utility) as the other side's
latest offer improved on the one before for it, times ``reciprocity``; never below
its reservation. As a responder it accepts what meets its aspiration.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

import numpy as np

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

    def open(self, talk, params, a):
        talk.aspiration[:, a, :] = 1.0 - params.negotiation["opening"][:, a, None]

    def concede(self, talk, params, p):
        move = params.negotiation["reciprocity"][:, p, None] * received_gain(talk, p)
        lower_aspiration(talk, params, p, move)
