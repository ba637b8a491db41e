"""Always comply (axelrod's Cooperator)."""

from typing import Literal

import numpy as np

from armsim.scenario.values import Model
from armsim.strategies.base import ComplianceStrategy


class AlwaysComplyParams(Model):
    type: Literal["always_comply"]


class AlwaysComply(ComplianceStrategy):
    name = "always_comply"
    compiled_as = "always_comply"
    rank = 0
    description = "keeps every commitment"
    words = "keeping every commitment (always comply)"
    axelrod = "Cooperator"
    Params = AlwaysComplyParams

    def defects(self, view):
        return np.zeros_like(view.memory.seen_last)
