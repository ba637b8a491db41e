"""Rubinstein's alternating offers: the subgame-perfect equilibrium, two players, one issue.

With a finite number of talk rounds it is found by backward induction (the last
proposer takes the whole range; a proposer at round t offers the responder exactly
delta_responder times what the responder would get as proposer at t + 1); with
``horizon: infinite`` the first proposer i takes ``(1 - d_j) / (1 - d_i * d_j)``. The
responder accepts at once. Shares are fractions of the issue's range, measured from
the responder's ideal.
"""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np

from armsim.core import offers as of
from armsim.scenario.values import Model
from armsim.strategies.base import NegotiationStrategy


class RubinsteinParams(Model):
    type: Literal["rubinstein"]
    horizon: Literal["finite", "infinite"] = "finite"


class Rubinstein(NegotiationStrategy):
    name = "rubinstein"
    rank = 8
    description = "Rubinstein's subgame-perfect alternating offers (two players, one issue)"
    words = "Rubinstein's alternating offers"
    Params: ClassVar[type[Model]] = RubinsteinParams
    accepts_at_once = True

    def offer(self, spec, params, talk, session, k, p, window):
        order = spec.order[session]
        j = order[(k + 1) % len(order)]
        rounds = int(spec.session_rounds[session])
        share = of.rubinstein_share(k, rounds, params.patience[:, p], params.patience[:, j],
                                    self.config.horizon == "infinite")
        ideal = spec.limit(params, "ideal")
        x = ideal[..., j, :] + share[:, None] * (ideal[..., p, :] - ideal[..., j, :])
        return np.clip(x, *window)

    def stands_by(self, u, reservation):
        return True
