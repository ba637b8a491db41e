"""The scenario language: YAML files to typed, validated, immutable scenarios.

This is the only part of armsim that reads YAML. Start with :func:`load_scenario`.
Names load on first use, so that :mod:`armsim.scenario.values` (the value types that
strategies declare their parameters with) imports nothing else.
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY = {
    "load_scenario": "armsim.scenario.loader", "validate_file": "armsim.scenario.loader",
    "validate_text": "armsim.scenario.loader", "Problem": "armsim.scenario.problems",
    "ScenarioError": "armsim.scenario.problems", "Scenario": "armsim.scenario.schema",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'armsim.scenario' has no attribute {name!r}")


__all__ = ["Problem", "Scenario", "ScenarioError", "load_scenario", "validate_file",
           "validate_text"]
