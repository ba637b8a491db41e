"""Time-dependent concession (Faratin, Sierra and Jennings 1998), and its three presets.

Aspiration ``alpha(tau) = 1 - (1 - r) * tau ** (1 / e)``, tau the share of the
session's rounds elapsed (0 at the first, 1 at the last): e < 1 concedes late
(Boulware), e = 1 at an even pace, e > 1 early (conceder). As a responder it
accepts what is worth at least what it would itself ask next.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

import numpy as np

from armsim.core import offers as of
from armsim.scenario.values import Model, Number, bounded
from armsim.strategies.base import NegotiationStrategy


class TimeDependentParams(Model):
    type: Literal["time_dependent"]
    exponent: Annotated[Number, bounded(0, lo_open=True)]


class TimeDependent(NegotiationStrategy):
    name = "time_dependent"
    rank = 4
    description = "concedes over the session's rounds by the aspiration 1 - (1 - r) tau^(1/e)"
    words = "conceding over time (time-dependent)"
    Params: ClassVar[type[Model]] = TimeDependentParams
    drawn = {"exponent": None}
    example = {"exponent": 2.0}
    #: the preset's concession exponent (None: the scenario gives ``exponent``)
    preset: ClassVar[float | None] = None
    compiled_as = "time_dependent"

    def draw(self, draw, prefix, context):
        if self.preset is not None:
            return {"exponent": np.full(context["n"], self.preset)}
        return super().draw(draw, prefix, context)

    def level(self, talk: Any, params: Any, a: int, tau: float) -> np.ndarray:
        """Actor a's aspiration at tau, ``(n,)``, worked out once a session."""
        return talk.remember(("time_dependent", int(a), tau), lambda: of.aspiration(
            tau, params.reservation[:, a], params.negotiation["exponent"][:, a]))

    def ask(self, talk, params, p, k, rounds):
        n, _, I = talk.aspiration.shape
        level = self.level(talk, params, p, of.session_tau(k, rounds))
        return np.broadcast_to(level[:, None], (n, I))

    def threshold(self, talk, params, a, k, rounds):
        tau_next = of.session_tau(k + 1, rounds) if rounds > 1 else 1.0
        return self.level(talk, params, a, tau_next)[:, None]


class BoulwareParams(Model):
    type: Literal["boulware"]


class Boulware(TimeDependent):
    name = "boulware"
    rank = 1
    description = "holds out and concedes late (time-dependent, e = 0.2)"
    words = "holding out, conceding late (Boulware)"
    Params = BoulwareParams
    preset = 0.2
    compiled_as = "time_dependent"
    example = {}


class LinearParams(Model):
    type: Literal["linear"]


class Linear(TimeDependent):
    name = "linear"
    rank = 2
    description = "concedes at an even pace (time-dependent, e = 1)"
    words = "conceding at an even pace (linear)"
    Params = LinearParams
    preset = 1.0
    compiled_as = "time_dependent"
    example = {}


class ConcederParams(Model):
    type: Literal["conceder"]


class Conceder(TimeDependent):
    name = "conceder"
    rank = 3
    description = "concedes early (time-dependent, e = 5)"
    words = "conceding early (conceder)"
    Params = ConcederParams
    preset = 5.0
    compiled_as = "time_dependent"
    example = {}
