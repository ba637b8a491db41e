"""Alternate (axelrod's Alternator): comply, defect, comply, ..."""

from armsim.strategies.base import ComplianceStrategy
from armsim.strategies.compliance._simple import name_only


class Alternate(ComplianceStrategy):
    name = "alternate"
    rank = 6
    description = "alternates between complying and cheating, complying first"
    words = "alternating between complying and cheating (alternate)"
    axelrod = "Alternator"
    Params = name_only(name, __name__)

    def defects(self, view):
        return ~view.first & ~view.memory.own_last
