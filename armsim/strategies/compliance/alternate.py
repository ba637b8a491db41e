"""Alternate (axelrod's Alternator): comply, defect, comply, ..."""

from typing import Literal

from armsim.scenario.values import Model
from armsim.strategies.base import ComplianceStrategy


class AlternateParams(Model):
    type: Literal["alternate"]


class Alternate(ComplianceStrategy):
    name = "alternate"
    compiled_as = "alternate"
    rank = 6
    description = "alternates between complying and cheating, complying first"
    words = "alternating between complying and cheating (alternate)"
    axelrod = "Alternator"
    Params = AlternateParams

    def defects(self, view):
        return ~view.first & ~view.memory.own_last
