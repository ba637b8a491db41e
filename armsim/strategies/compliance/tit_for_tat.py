"""Tit for tat: comply first, then do what the counterparts were detected doing."""

from typing import Literal

from armsim.scenario.values import Model
from armsim.strategies.base import ComplianceStrategy


class TitForTatParams(Model):
    type: Literal["tit_for_tat"]


class TitForTat(ComplianceStrategy):
    name = "tit_for_tat"
    compiled_as = "tit_for_tat"
    rank = 2
    description = "complies first, then answers a detected defection with one"
    words = "complying, but answering a detected defection with one (tit for tat)"
    axelrod = "TitForTat"
    Params = TitForTatParams

    def defects(self, view):
        return view.memory.seen_last & ~view.first
