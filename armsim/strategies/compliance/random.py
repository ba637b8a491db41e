"""Random: comply with probability ``p`` (axelrod's Random)."""

from typing import Literal

from armsim.scenario.values import Model, Probability
from armsim.strategies.base import ComplianceStrategy


class RandomParams(Model):
    type: Literal["random"]
    p: Probability = 0.5


class Random(ComplianceStrategy):
    name = "random"
    compiled_as = "random"
    rank = 7
    description = "complies with probability p"
    words = "complying at random (random)"
    axelrod = "Random"
    Params = RandomParams
    drawn = {"p": None}
    stochastic = True

    def defects(self, view):
        return view.u >= view.params["p"]
