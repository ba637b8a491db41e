"""Tit for two tats: retaliate only after two detected defections in a row."""

from typing import Literal

from armsim.scenario.values import Model
from armsim.strategies.base import ComplianceStrategy


class TitForTwoTatsParams(Model):
    type: Literal["tit_for_two_tats"]


class TitForTwoTats(ComplianceStrategy):
    name = "tit_for_two_tats"
    compiled_as = "tit_for_two_tats"
    rank = 4
    description = "retaliates only after two detected defections in a row"
    words = "retaliating only after two detected defections in a row (tit for two tats)"
    axelrod = "TitFor2Tats"
    Params = TitForTwoTatsParams

    def defects(self, view):
        m = view.memory
        return m.seen_last & m.seen_before & (m.turns >= 2)
