"""The chunk runner that armsim run and sweeps share: its documented chunk-size policy,
chunks made on demand, and the same bits from every executor (its local workers under
Ctrl-C and kill -9: tests/experiments/test_sweep_faults.py)."""

from __future__ import annotations

import platform
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from helpers import SECOND_BLOCK, FaultsOfASecondBlock

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


# -- glibc keeps the memory a worker's chunk frees (armsim.runner.keep_freed_memory) ---

@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's mallopt")
def test_a_worker_reuses_the_memory_its_chunks_free():
    """With glibc's defaults a fresh process hands a freed 16 MiB block back to the
    system and faults the next one in again (the control, in a fresh interpreter: 4,096
    faults of 4 KiB pages, about 500 where NumPy's blocks get 2 MiB pages); armsim's
    workers keep it, so touching a second block faults at most a few pages."""
    import subprocess
    import sys

    count = SECOND_BLOCK // 8
    control = subprocess.run(
        [sys.executable, "-c", f"import numpy as np, resource; np.ones({count}); "
         "b = resource.getrusage(resource.RUSAGE_SELF).ru_minflt; "
         f"np.ones({count}); print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - b)"],
        capture_output=True, text=True, check=True)
    assert int(control.stdout) >= 200
    faults = gathered(run_chunks(FaultsOfASecondBlock(), Chunks(0, 4096, 1024), workers=2), 4)
    assert faults["faults"].max() < 50


class _FaultsOfAFirstChunk(BatchJob):
    """A batch job that also counts the page faults of its chunks."""

    def evaluate(self, start: int, stop: int) -> dict[str, np.ndarray]:
        import resource

        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        out = super().evaluate(start, stop)
        faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before
        return {"faults": np.full(stop - start, faults), "agreement": out["agreement"]}


class _Unwarmed(_FaultsOfAFirstChunk):
    """The same job, saying nothing of the memory its chunks work in."""

    def working_bytes(self, rows: int) -> int:
        return 0


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's mallopt")
def test_a_new_worker_faults_its_first_chunks_memory_in_beforehand():
    """Before its first chunk a worker touches the memory the job says a chunk works in
    (BatchJob.working_bytes), so the chunk itself faults few pages in: against the same
    job in workers that do not warm their memory, the first chunk faults at least a
    quarter of that memory's 4 KiB pages fewer: about all of them (20,900 against 1,000)
    forked from a fresh interpreter, about half (19,700 against 9,400) from a long test
    session, whose heap is fragmented, and whose pages a worker shares until it writes
    to them count too."""
    scenario = armsim.load_scenario(SCENARIO).with_seed(3)
    rows = 16_000
    warm, cold = _FaultsOfAFirstChunk(scenario), _Unwarmed(scenario)
    pages = warm.working_bytes(rows) / 4096
    assert pages > 20_000          # 8 x 16,000 x (60 + 400 + 128 + 100) bytes: 21,500
    faults = [gathered(run_chunks(job, Chunks(0, 2 * rows, rows), workers=2), 2)["faults"]
              for job in (cold, warm)]
    assert faults[0].max() - faults[1].max() > pages / 4
