from __future__ import annotations

import pytest
from experiments_helpers import GRID, GRID_RUNS, GRID_SEED, SCENARIO

from armsim.experiments import sweep


@pytest.fixture(scope="session")
def grid_sweep():
    """:data:`GRID` (12 points) x 24 runs, in this process, in chunks of 7 rows (so
    chunks straddle points and groups)."""
    return sweep(SCENARIO, GRID, runs=GRID_RUNS, seed=GRID_SEED, workers=1, chunk=7)
