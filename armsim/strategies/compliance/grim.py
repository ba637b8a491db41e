"""Grim trigger (axelrod's Grudger): comply until the first detected defection."""

from typing import Literal

from armsim.scenario.values import Model
from armsim.strategies.base import ComplianceStrategy


class GrimParams(Model):
    type: Literal["grim"]


class Grim(ComplianceStrategy):
    name = "grim"
    compiled_as = "grim"
    rank = 3
    description = "complies until the first detected defection, then never again"
    words = "complying until the first detected defection, then never again (grim)"
    axelrod = "Grudger"
    Params = GrimParams

    def defects(self, view):
        return view.memory.seen_ever
