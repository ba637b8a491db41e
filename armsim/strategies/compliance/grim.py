"""Grim trigger (axelrod's Grudger): comply until the first detected defection."""

from armsim.strategies.base import ComplianceStrategy
from armsim.strategies.compliance._simple import name_only


class Grim(ComplianceStrategy):
    name = "grim"
    rank = 3
    description = "complies until the first detected defection, then never again"
    words = "complying until the first detected defection, then never again (grim)"
    axelrod = "Grudger"
    Params = name_only(name, __name__)

    def defects(self, view):
        return view.memory.seen_ever
