"""Benchmarks reuse the real scenarios (run with `make bench`)."""

from pathlib import Path

import pytest

from armsim.scenario import load_scenario

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


@pytest.fixture(scope="session")
def geneva():
    return load_scenario(SCENARIOS / "geneva_2022.yaml")
