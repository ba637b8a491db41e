"""armsim: agent-based simulation of reciprocal arms-control negotiations.

Heavy modules load on first use, so ``import armsim`` and ``armsim --help`` are quick.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_LAZY = {
    "load_scenario": ("armsim.scenario", "load_scenario"),
    "Scenario": ("armsim.scenario", "Scenario"),
    "ScenarioError": ("armsim.scenario", "ScenarioError"),
    "run": ("armsim.api", "run"),
    "Results": ("armsim.results", "Results"),
    "read_runs": ("armsim.runs_file", "read_runs"),
    "sweep": ("armsim.experiments.sweep", "sweep"),
    "sensitivity": ("armsim.experiments.sensitivity", "sensitivity"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attribute = _LAZY[name]
        return getattr(importlib.import_module(module), attribute)
    raise AttributeError(f"module 'armsim' has no attribute {name!r}")


__all__ = ["__version__", *_LAZY]
