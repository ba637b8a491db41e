"""Runs per second of the Mesa engine beside the NumPy engine, on the article scenario.

The Mesa engine runs one run at a time (a model of n = 1, one Mesa step per round,
agents asked for every decision); the NumPy engine runs the same 20 runs as one
batch, and its one-core speed at 10,000 runs is the fair comparison for big batches.
Each benchmark records runs per second in ``extra_info``; the Mesa one adds the
NumPy numbers and the ratios, so ``--benchmark-json`` keeps them together.
"""

from __future__ import annotations

import time

import numpy as np

from armsim.abm import ArmsControlModel, run_mesa
from armsim.batch import run_batch, run_chunk

RUNS = 20
_SPEED: dict[str, float] = {}


def _best_rate(fn, runs: int, repeat: int = 3) -> float:
    """Runs per second of ``fn()`` at its fastest of ``repeat`` calls (after a warm-up)."""
    fn()
    best = min(_timed(fn) for _ in range(repeat))
    return runs / best


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def test_numpy_engine_same_runs(benchmark, geneva):
    runs = np.arange(RUNS)
    out = benchmark.pedantic(run_chunk, args=(geneva, runs), rounds=5, iterations=1,
                             warmup_rounds=1)
    assert len(out["agreement"]) == RUNS
    _SPEED["numpy"] = RUNS / benchmark.stats.stats.mean
    benchmark.extra_info["runs_per_second"] = round(_SPEED["numpy"])


def test_mesa_engine(benchmark, geneva):
    out = benchmark.pedantic(run_mesa, args=(geneva, RUNS), rounds=3, iterations=1,
                             warmup_rounds=1)
    assert len(out["agreement"]) == RUNS
    mesa = RUNS / benchmark.stats.stats.mean
    numpy = _SPEED.get("numpy") or _best_rate(lambda: run_chunk(geneva, np.arange(RUNS)), RUNS)
    big = _best_rate(lambda: run_batch(geneva, 10_000, workers=1), 10_000, repeat=1)
    benchmark.extra_info.update({
        "runs_per_second": round(mesa, 1),
        "numpy_same_runs_per_second": round(numpy),
        "numpy_10000_runs_per_second": round(big),
        "ratio_numpy_same_runs_to_mesa": round(numpy / mesa),
        "ratio_numpy_10000_to_mesa": round(big / mesa),
    })


def test_mesa_model_with_data_collection(benchmark, geneva):
    """One run as the classroom steps it: DataCollector on, every round recorded."""

    def one_run() -> None:
        model = ArmsControlModel(geneva, run=0)
        model.run_model()

    benchmark.pedantic(one_run, rounds=5, iterations=1, warmup_rounds=1)
    benchmark.extra_info["runs_per_second"] = round(1 / benchmark.stats.stats.mean, 1)
    benchmark.extra_info["rounds_per_second"] = round(66 / benchmark.stats.stats.mean)
