"""Two strategies for armsim, each one class: what a strategy module of armsim looks like.

- ``verify_then_trust`` (compliance): Reagan's "trust, but verify" taken the other way
  round. It answers a detected defection with one (as tit for tat does) and otherwise
  complies only while its trust in every counterpart bound with it has reached
  ``threshold``.
- ``fixed_concession`` (negotiation): asks, every round, for its ideal less a fixed share
  ``give`` of its utility, and accepts any offer worth at least that much to it.

Scenario files name them once this package is installed (``pip install .``)::

    compliance: {type: verify_then_trust, threshold: 0.4}
    strategy: {type: fixed_concession, give: 0.3}
"""

from __future__ import annotations

from typing import Annotated, Literal

import numpy as np

from armsim.core.arrays import any_last
from armsim.scenario.values import Model, Number, Probability, bounded
from armsim.strategies import ComplianceStrategy, NegotiationStrategy


class VerifyThenTrustParams(Model):
    type: Literal["verify_then_trust"]
    threshold: Probability = 0.3


class VerifyThenTrust(ComplianceStrategy):
    name = "verify_then_trust"
    description = "answers a detected defection; complies only while trust has reached a threshold"
    words = "complying only once verification has earned its trust (verify then trust)"
    Params = VerifyThenTrustParams
    drawn = {"threshold": None}          # a number or a distribution, drawn once per run

    def defects(self, view):
        """``(n, A)``: True where it defects; the compliance round keeps its own actors."""
        low = view.trust < view.params["threshold"][:, :, None]          # (n, A, A)
        return view.memory.seen_last | any_last(view.pairs & low)


class FixedConcessionParams(Model):
    type: Literal["fixed_concession"]
    give: Annotated[Number, bounded(0, 1)] = 0.25


class FixedConcession(NegotiationStrategy):
    name = "fixed_concession"
    description = "asks for its ideal less a fixed share of its utility, every round"
    words = "conceding a fixed share from the start (fixed concession)"
    Params = FixedConcessionParams
    drawn = {"give": None}

    def ask(self, talk, params, p, k, rounds):
        n, _, I = talk.aspiration.shape
        return np.broadcast_to(1.0 - params.negotiation["give"][:, p, None], (n, I))

    def threshold(self, talk, params, a, k, rounds):
        return 1.0 - params.negotiation["give"][:, a, None]
