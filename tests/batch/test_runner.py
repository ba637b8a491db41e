"""The chunk runner that armsim run and sweeps share: its documented chunk-size policy,
chunks made on demand, and the same bits from every executor (its local workers under
Ctrl-C and kill -9: tests/experiments/test_sweep_faults.py)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

import armsim
from armsim.batch import BatchJob
from armsim.runner import Chunks, default_chunk, in_order, run_chunks

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "geneva_2022_no_linkage.yaml"


@pytest.mark.parametrize("rows, workers, size", [
    (1000, 2, 1024),          # never below 1,024
    (16_000, 2, 4000),        # two chunks per worker: 16,000 / 4
    (16_000, 4, 2000),
    (100_000, 2, 12_500),     # 7 chunks of at most 16,384 -> 8, a multiple of 2 workers
    (10**6, 2, 16_130),       # 62 chunks (61.04 -> 62, even): 10^6 / 62 = 16,129.03
    (10**7, 2, 16_340),       # 611 -> 612 chunks: 16,339.87
    (10**7, 3, 16_340),       # 611 -> 612 = 3 x 204 chunks: 16,339.87
])
def test_the_default_chunk_size_balances_the_workers_within_bounds(rows, workers, size):
    assert default_chunk(rows, workers) == size
    chunks = -(-rows // size)
    assert size <= 16_384 and (size >= 1024 or rows < 1024)
    assert chunks % workers == 0 or size == 1024


def test_chunks_are_made_on_demand():
    """10^12 rows in chunks of 4,096: a few numbers, not 10^12 indices."""
    parts = Chunks(0, 10**12, 4096)
    assert len(parts) == -(-10**12 // 4096)
    assert parts[0] == (0, 4096) and parts[-1] == (4096 * (len(parts) - 1), 10**12)
    odd = Chunks(0, 10**12 + 5, 4096)
    assert odd[-1] == (10**12, 10**12 + 5)
    traced = Chunks(10, 1010, 300, first=200)
    assert list(traced) == [(10, 210), (210, 510), (510, 810), (810, 1010)]


def test_chunks_come_back_in_order_whatever_order_they_finish_in():
    finished = [(2, {"x": np.array([2])}), (0, {"x": np.array([0])}), (1, {"x": np.array([1])})]
    assert [part["x"][0] for part in in_order(iter(finished))] == [0, 1, 2]


@pytest.fixture(scope="module")
def job():
    return BatchJob(armsim.load_scenario(SCENARIO).with_seed(3))


def gathered(results, count):
    parts = dict(results)
    assert sorted(parts) == list(range(count))
    return {k: np.concatenate([parts[i][k] for i in range(count)]) for k in parts[0]}


def test_every_executor_gives_the_same_bits(job):
    one = gathered(run_chunks(job, Chunks(0, 300, 300), workers=1), 1)
    parts = Chunks(0, 300, 37)
    with ThreadPoolExecutor(3) as pool:
        threads = gathered(run_chunks(job, parts, executor=pool), len(parts))
    processes = gathered(run_chunks(job, Chunks(0, 300, 64, first=100), workers=2), 5)
    for name, value in one.items():
        for other in (threads, processes):
            assert np.array_equal(value, other[name], equal_nan=True), name


def test_a_batch_with_figure_traces_gives_the_runs_of_one_without(job):
    """The chunk the figures' runs make of their own changes no number."""
    kept = armsim.run(SCENARIO, runs=1500, seed=3)
    plain = armsim.run(SCENARIO, runs=1500, seed=3, traced=0, workers=1, chunk=1500)
    assert kept.figure_traces and not plain.figure_traces
    for name, value in plain.outputs.items():
        assert np.array_equal(value, kept.outputs[name], equal_nan=True), name
