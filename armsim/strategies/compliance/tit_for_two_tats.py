"""Tit for two tats: retaliate only after two detected defections in a row."""

from armsim.strategies.base import ComplianceStrategy
from armsim.strategies.compliance._simple import name_only


class TitForTwoTats(ComplianceStrategy):
    name = "tit_for_two_tats"
    rank = 4
    description = "retaliates only after two detected defections in a row"
    words = "retaliating only after two detected defections in a row (tit for two tats)"
    axelrod = "TitFor2Tats"
    Params = name_only(name, __name__)

    def defects(self, view):
        m = view.memory
        return m.seen_last & m.seen_before & (m.turns >= 2)
