"""Helpers for the tests of agreements as treaties write them (issue 13): an inline
scenario run on the batch engine, and the same runs on the Mesa engine.

Every expected value in these tests is worked out by hand in the test itself."""

from __future__ import annotations

import numpy as np
from helpers import scenario

from armsim.abm import run_mesa
from armsim.batch import run_chunk
from armsim.scenario import Scenario


def run(text: str | Scenario, runs: int = 1, *, trajectories: bool = True,
        overrides: dict | None = None) -> dict[str, np.ndarray]:
    """Runs 0 .. runs-1 of an inline scenario on the batch engine (trajectories too)."""
    loaded = scenario(text) if isinstance(text, str) else text
    if overrides:
        from armsim.scenario import load_scenario
        loaded = load_scenario(loaded, overrides)
    return run_chunk(loaded, np.arange(runs), trajectories=trajectories)


def both_engines(text: str, runs: int = 3) -> tuple[dict, dict]:
    """The batch engine's and the Mesa engine's outputs and trajectories of runs 0..runs-1."""
    loaded = scenario(text)
    return (run_chunk(loaded, np.arange(runs), trajectories=True),
            run_mesa(loaded, np.arange(runs), trajectories=True))


def moves(out: dict, actor: int, run: int = 0) -> str:
    """An actor's compliance actions over rounds: C, D, or . when it did not play."""
    return "".join(".CD"[a + 1] for a in out["trace.action"][run, :, actor])
