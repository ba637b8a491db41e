"""The scenario language: YAML files to typed, validated, immutable scenarios.

This is the only part of armsim that reads YAML. Start with :func:`load_scenario`.
"""

from armsim.scenario.loader import load_scenario, validate_file, validate_text
from armsim.scenario.problems import Problem, ScenarioError
from armsim.scenario.schema import Scenario

__all__ = ["Problem", "Scenario", "ScenarioError", "load_scenario", "validate_file",
           "validate_text"]
