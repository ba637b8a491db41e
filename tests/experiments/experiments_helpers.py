"""Helpers shared by the experiments tests: the scenario, the CLI, small sweeps.

Most tests use the Geneva scenario without Russia's linkage, where agreements
happen, crises are neither certain nor impossible, and force noise and several
strategies are in play.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
from helpers import SCENARIOS

SCENARIO = SCENARIOS / "geneva_2022_no_linkage.yaml"

# A grid that crosses the three kinds of factor the plan treats differently: a
# number drawn per run (shares a batch), a strategy (changes the structure) and the
# noise, whose 0 and non-0 values differ in the structure (noisy_forces) and yet
# share a batch.
GRID = {
    "actors.russia.reservation": [0.3, 0.6],
    "actors.russia.strategy.type": ["boulware", "linear", "tit_for_tat"],
    "environment.noise": [0.0, 0.5],
}
GRID_RUNS, GRID_SEED = 24, 5


def wait_for_children(process: subprocess.Popen, count: int, timeout: float = 90) -> list:
    """The child processes (psutil) of ``process`` once it has ``count`` of them: its
    local workers, started."""
    import time

    import psutil

    deadline = time.monotonic() + timeout
    while len(children := psutil.Process(process.pid).children()) < count:
        assert process.poll() is None, "the command ended before its workers started"
        assert time.monotonic() < deadline, "the workers did not start in time"
        time.sleep(0.01)
    return children


def ctrl_c_in_a_terminal(process: subprocess.Popen) -> tuple[int, str]:
    """Ctrl-C as a terminal sends it, to the whole process group of ``process`` (started
    with ``start_new_session=True``): its exit code and standard error, with neither
    a traceback nor a KeyboardInterrupt; the process is never left running."""
    import signal

    try:
        os.killpg(process.pid, signal.SIGINT)
        code = process.wait(timeout=120)
        err = process.stderr.read()
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.stderr.close()
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    return code, err


def point_overrides(dataset: Any, p: int, paths: list[str]) -> dict[str, Any]:
    """The values of the factors ``paths`` at point ``p`` of a sweep, as overrides."""
    return {path: dataset[path].values[p].item() for path in paths}


def assert_same_outputs(expected: dict[str, np.ndarray], dataset: Any, p: int) -> None:
    """Every per-run output of ``expected`` equals point ``p`` of the sweep bit for bit
    (dtype and NaN positions included), and the sweep has no other outputs."""
    names = {k for k, v in dataset.data_vars.items() if v.dims == ("point", "run")}
    assert names == set(expected)
    for name, value in expected.items():
        got = dataset[name].values[p]
        assert got.dtype == value.dtype, name
        assert np.array_equal(got, value, equal_nan=True), f"point {p}: {name} differs"


def chunk_files(folder: Path) -> list[Path]:
    """The chunk files of a sweep store (temporary files left by a kill excluded)."""
    return sorted(p for p in (folder / "chunks").glob("*.nc") if p.stem.isdigit())
