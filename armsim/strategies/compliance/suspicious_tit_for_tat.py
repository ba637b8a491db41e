"""Suspicious tit for tat: defect first, then copy what was detected."""

from typing import Literal

from armsim.scenario.values import Model
from armsim.strategies.base import ComplianceStrategy


class SuspiciousTitForTatParams(Model):
    type: Literal["suspicious_tit_for_tat"]


class SuspiciousTitForTat(ComplianceStrategy):
    name = "suspicious_tit_for_tat"
    compiled_as = "suspicious_tit_for_tat"
    rank = 5
    description = "cheats first, then copies what was detected"
    words = "cheating first, then copying what was detected (suspicious tit for tat)"
    axelrod = "SuspiciousTitForTat"
    Params = SuspiciousTitForTatParams

    def defects(self, view):
        return view.first | view.memory.seen_last
