"""Runs per second of ``armsim.sweep`` on the article scenario, 2,000 runs per point.

A whole sweep is timed: loading the scenario, planning the design (validating its
points, grouping them by structure), running the chunks and assembling the Dataset
in memory (no ``out=`` store). The four cases:

- one process, a grid of 8 points whose factors are per-run numbers: one batch kernel;
- two local worker processes, 32 such points (4 chunks of 16,384 rows);
- a two-worker Dask LocalCluster (``armsim.experiments.local_cluster(2)``, started once
  for the module), the same 32 points;
- one process, 8 points of which a categorical factor (Russia's negotiation strategy)
  makes two groups, each its own kernel: compare with the first case.

Each benchmark records ``runs_per_second`` (points x runs / mean time), ``points`` and
``groups`` in ``extra_info``. The file takes about a minute on two idle cores.
"""

from __future__ import annotations

import pytest

from armsim.experiments import factor, local_cluster, make_design
from armsim.experiments.plan import make_plan
from armsim.experiments.sweep import sweep

RUNS = 2_000
NUMERIC_8 = {"environment.verification": "0.3..0.9:4", "actors.russia.patience": [0.9, 0.98]}
NUMERIC_32 = {"environment.verification": "0.3..0.9:8", "actors.russia.patience": "0.85..0.99:4"}
GROUPED_8 = {"environment.verification": "0.3..0.9:4",
             "actors.russia.strategy": ["boulware", "conceder"]}


@pytest.fixture(scope="module")
def dask_client():
    client = local_cluster(2)
    yield client
    cluster = client.cluster
    client.close()
    cluster.close()


def _timed_sweep(benchmark, scenario, params, rounds: int = 3, **options):
    data = benchmark.pedantic(sweep, args=(scenario, params), kwargs={"runs": RUNS, **options},
                              rounds=rounds, iterations=1, warmup_rounds=1)
    rows = data.sizes["point"] * data.sizes["run"]
    plan = make_plan(scenario, make_design([factor(p, v) for p, v in params.items()]), RUNS)
    assert data.sizes["run"] == RUNS and plan.points == data.sizes["point"]
    benchmark.extra_info["runs_per_second"] = round(rows / benchmark.stats.stats.mean)
    benchmark.extra_info["points"] = plan.points
    benchmark.extra_info["groups"] = len(plan.groups)
    return plan


def test_one_process_one_kernel(benchmark, geneva):
    plan = _timed_sweep(benchmark, geneva, NUMERIC_8, workers=1)
    assert (plan.points, len(plan.groups)) == (8, 1)


def test_two_local_processes(benchmark, geneva):
    plan = _timed_sweep(benchmark, geneva, NUMERIC_32, workers=2)
    assert (plan.points, len(plan.groups)) == (32, 1)


def test_dask_local_cluster(benchmark, geneva, dask_client):
    plan = _timed_sweep(benchmark, geneva, NUMERIC_32, executor=dask_client)
    assert (plan.points, len(plan.groups)) == (32, 1)


def test_categorical_groups(benchmark, geneva):
    plan = _timed_sweep(benchmark, geneva, GROUPED_8, workers=1)
    assert (plan.points, len(plan.groups)) == (8, 2)
