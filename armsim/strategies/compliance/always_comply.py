"""Always comply (axelrod's Cooperator)."""

import numpy as np

from armsim.strategies.base import ComplianceStrategy
from armsim.strategies.compliance._simple import name_only


class AlwaysComply(ComplianceStrategy):
    name = "always_comply"
    rank = 0
    description = "keeps every commitment"
    words = "keeping every commitment (always comply)"
    axelrod = "Cooperator"
    Params = name_only(name, __name__)

    def defects(self, view):
        return np.zeros_like(view.memory.seen_last)
