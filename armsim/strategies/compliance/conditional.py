"""Conditional: defect with a probability that rises with tension and falls with trust.

``P(defect) = logistic(bias + tension * theta - trust * trust_in)``, theta the round's
tension and trust_in the actor's mean trust in the counterparts bound with it (1 if
none).
"""

from typing import Literal

from armsim.core.compliance import mean_trust
from armsim.core.mathfn import logistic
from armsim.scenario.values import Model, Number
from armsim.strategies.base import ComplianceStrategy


class ConditionalParams(Model):
    """Defect with probability logistic(bias + tension * theta - trust * trust)."""

    type: Literal["conditional"]
    bias: Number = -2.0
    tension: Number = 4.0
    trust: Number = 4.0


class Conditional(ComplianceStrategy):
    name = "conditional"
    compiled_as = "conditional"
    rank = 9
    description = "defects more often when tension is high and trust low"
    words = "cheating more often when tension is high and trust low (conditional)"
    Params = ConditionalParams
    drawn = {"bias": None, "tension": None, "trust": None}
    stochastic = True

    def defects(self, view):
        par = view.params
        trust_in = mean_trust(view.trust, view.pairs)
        z = par["bias"] + par["tension"] * view.theta[:, None] - par["trust"] * trust_in
        return view.u < logistic(z)
