"""Tit for tat: comply first, then do what the counterparts were detected doing."""

from armsim.strategies.base import ComplianceStrategy
from armsim.strategies.compliance._simple import name_only


class TitForTat(ComplianceStrategy):
    name = "tit_for_tat"
    rank = 2
    description = "complies first, then answers a detected defection with one"
    words = "complying, but answering a detected defection with one (tit for tat)"
    axelrod = "TitForTat"
    Params = name_only(name, __name__)

    def defects(self, view):
        return view.memory.seen_last & ~view.first
