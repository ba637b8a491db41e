"""Always defect (axelrod's Defector)."""

from typing import Literal

import numpy as np

from armsim.scenario.values import Model
from armsim.strategies.base import ComplianceStrategy


class AlwaysDefectParams(Model):
    type: Literal["always_defect"]


class AlwaysDefect(ComplianceStrategy):
    name = "always_defect"
    compiled_as = "always_defect"
    rank = 1
    description = "cheats every time"
    words = "cheating every time (always defect)"
    axelrod = "Defector"
    Params = AlwaysDefectParams

    def defects(self, view):
        return np.ones_like(view.memory.seen_last)
