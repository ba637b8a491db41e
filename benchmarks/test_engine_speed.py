"""Runs per second of the NumPy engine on the article scenario, at batch sizes 10^2..10^6.

`make bench` runs these; README.md reports the numbers with the machine they ran on.
Each benchmark records runs per second (and peak memory for 10^6 runs) in `extra_info`,
so `--benchmark-json` keeps them beside the timings.
"""

from __future__ import annotations

import resource

import numpy as np
import pytest

from armsim.batch import run_batch, run_chunk


def _runs_per_second(benchmark, runs: int) -> None:
    benchmark.extra_info["runs_per_second"] = round(runs / benchmark.stats.stats.mean)


@pytest.mark.parametrize("runs", [100, 1_000, 10_000])
def test_one_core(benchmark, geneva, runs):
    out = benchmark.pedantic(run_batch, args=(geneva, runs), kwargs={"workers": 1},
                             rounds=3, iterations=1, warmup_rounds=1)
    assert len(out["agreement"]) == runs
    _runs_per_second(benchmark, runs)


@pytest.mark.parametrize("runs", [100_000])
def test_two_cores(benchmark, geneva, runs):
    out = benchmark.pedantic(run_batch, args=(geneva, runs),
                             kwargs={"workers": 2, "chunk": 16_384}, rounds=3, iterations=1)
    assert len(out["agreement"]) == runs
    _runs_per_second(benchmark, runs)


def test_a_million_runs(benchmark, geneva):
    """10^6 runs on two cores; peak resident memory of this process and its workers."""
    runs = 1_000_000
    out = benchmark.pedantic(run_batch, args=(geneva, runs),
                             kwargs={"workers": 2, "chunk": 16_384}, rounds=1, iterations=1)
    assert len(out["agreement"]) == runs
    _runs_per_second(benchmark, runs)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    benchmark.extra_info["peak_rss_mib_main"] = round(own)
    benchmark.extra_info["peak_rss_mib_worker"] = round(workers)
    assert own + 2 * workers < 2048


def test_one_chunk(benchmark, geneva):
    """One chunk of 16,384 runs in this process: the kernel alone."""
    runs = np.arange(16_384)
    benchmark.pedantic(run_chunk, args=(geneva, runs), rounds=3, iterations=1,
                       warmup_rounds=1)
    _runs_per_second(benchmark, runs.size)
