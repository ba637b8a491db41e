"""The hardliner: asks for its ideal and accepts nothing less."""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np

from armsim.core.offers import EPS as TOL
from armsim.scenario.values import Model
from armsim.strategies.base import NegotiationStrategy


class HardlinerParams(Model):
    type: Literal["hardliner"]


class Hardliner(NegotiationStrategy):
    name = "hardliner"
    rank = 7
    description = "asks for its ideal and accepts nothing less"
    words = "its ideal and nothing less (hardliner)"
    Params: ClassVar[type[Model]] = HardlinerParams
    compiled_as = "hardliner"

    def ask(self, talk, params, p, k, rounds):
        n, _, I = talk.aspiration.shape
        return np.ones((n, I), order="F")

    def threshold(self, talk, params, a, k, rounds):
        return np.float64(1.0 - TOL)
