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


def engines_differ(text: str, runs: int = 3) -> list[str]:
    """The outputs and trajectories of runs 0..runs-1 where the batch engine (one batch)
    and the Mesa engine (one run at a time) differ, NaNs equal: none, run for run."""
    loaded = scenario(text)
    batch = run_chunk(loaded, np.arange(runs), trajectories=True)
    mesa = run_mesa(loaded, np.arange(runs), trajectories=True)
    assert set(batch) == set(mesa)
    return [k for k in batch
            if not np.array_equal(np.asarray(batch[k]), np.asarray(mesa[k]), equal_nan=True)]


def moves(out: dict, actor: int, run: int = 0) -> str:
    """An actor's compliance actions over rounds: C, D, or . when it did not play."""
    return "".join(".CD"[a + 1] for a in out["trace.action"][run, :, actor])
