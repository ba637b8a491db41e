"""Generous tit for tat: tit for tat that forgives a detected defection with probability p.

Without ``p`` it takes axelrod's default generosity for the payoffs,
``min(1 - (T - R) / (R - S), (R - P) / (T - P))``.
"""

from typing import Literal

import numpy as np

from armsim.scenario.values import Model, Probability
from armsim.strategies.base import ComplianceStrategy


class GenerousTitForTatParams(Model):
    type: Literal["generous_tit_for_tat"]
    p: Probability | None = None  # None: axelrod's default from the payoffs


def generosity(R: float, S: float, T: float, P: float) -> float:  # noqa: N803
    """Axelrod's default generosity for generous tit for tat,
    ``min(1 - (T - R) / (R - S), (R - P) / (T - P))``; NaN where R = S or T = P
    (the scenario checks say why)."""
    if R == S or T == P:
        return float("nan")
    return min(1 - (T - R) / (R - S), (R - P) / (T - P))


class GenerousTitForTat(ComplianceStrategy):
    name = "generous_tit_for_tat"
    compiled_as = "generous_tit_for_tat"
    rank = 8
    description = "tit for tat that forgives a detected defection with probability p"
    words = "answering detected defections, but often forgiving (generous tit for tat)"
    axelrod = "GTFT"
    Params = GenerousTitForTatParams
    drawn = {"p": None}
    stochastic = True

    def draw(self, draw, prefix, context):
        out = super().draw(draw, prefix, context)
        if "p" not in out:
            pay = context["payoffs"]
            p = generosity(*pay)
            if not 0 <= p <= 1:
                R, S, T, P = pay
                raise ValueError(
                    "generous_tit_for_tat without p needs payoffs for which axelrod's "
                    "default min(1 - (T-R)/(R-S), (R-P)/(T-P)) is a probability; with "
                    f"R {R:g}, S {S:g}, T {T:g}, P {P:g} it is not: give the actor "
                    "compliance {type: generous_tit_for_tat, p: 0.1} or prisoner's "
                    "dilemma payoffs")
            out["p"] = np.full(context["n"], p)
        return out

    def defects(self, view):
        return ~view.first & view.memory.seen_last & (view.u >= view.params["p"])
