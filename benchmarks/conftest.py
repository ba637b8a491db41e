"""Benchmarks reuse the real scenarios (run with `make bench`).

The host's own speed moves from day to day on a shared virtual machine (the same code has
measured 1.5 to 2 times slower on the same 2-core VM a few hours apart), so every benchmark
records ``host_speed``: the best of five timings of a fixed pure-Python loop and of a fixed
NumPy kernel, measured once per session. Compare numbers measured at similar host speeds,
or set them beside the reference timings below.
"""

import time
from pathlib import Path

import numpy as np
import pytest

from armsim.scenario import load_scenario

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


@pytest.fixture(scope="session")
def geneva():
    return load_scenario(SCENARIOS / "geneva_2022.yaml")


def _best(work, times: int = 5) -> float:
    best = float("inf")
    for _ in range(times):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def _python_loop() -> None:
    total = 0
    for i in range(10**6):
        total += i


_NUMBERS = np.linspace(-5.0, 5.0, 10**6)


def _numpy_kernel() -> None:
    np.exp(_NUMBERS).sum()


@pytest.fixture(scope="session")
def host_speed() -> dict:
    """Milliseconds for 10^6 additions in a Python loop and for exp and a sum over 10^6
    float64 in NumPy, best of five, on this host now."""
    return {"python_loop_ms": round(_best(_python_loop) * 1e3, 1),
            "numpy_exp_ms": round(_best(_numpy_kernel) * 1e3, 2)}


@pytest.fixture(autouse=True)
def _record_host_speed(request, host_speed):
    if "benchmark" in request.fixturenames:
        request.getfixturevalue("benchmark").extra_info["host_speed"] = host_speed
