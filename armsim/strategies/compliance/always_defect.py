"""Always defect (axelrod's Defector)."""

import numpy as np

from armsim.strategies.base import ComplianceStrategy
from armsim.strategies.compliance._simple import name_only


class AlwaysDefect(ComplianceStrategy):
    name = "always_defect"
    rank = 1
    description = "cheats every time"
    words = "cheating every time (always defect)"
    axelrod = "Defector"
    Params = name_only(name, __name__)

    def defects(self, view):
        return np.ones_like(view.memory.seen_last)
