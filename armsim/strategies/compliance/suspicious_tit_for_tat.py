"""Suspicious tit for tat: defect first, then copy what was detected."""

from armsim.strategies.base import ComplianceStrategy
from armsim.strategies.compliance._simple import name_only


class SuspiciousTitForTat(ComplianceStrategy):
    name = "suspicious_tit_for_tat"
    rank = 5
    description = "cheats first, then copies what was detected"
    words = "cheating first, then copying what was detected (suspicious tit for tat)"
    axelrod = "SuspiciousTitForTat"
    Params = name_only(name, __name__)

    def defects(self, view):
        return view.first | view.memory.seen_last
