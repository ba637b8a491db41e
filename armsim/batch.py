"""Batches: runs in memory-bounded chunks, on one core or several, with progress.

Run r of seed s is computed from (s, r) alone, so a batch's result does not depend
on the chunk size, the number of workers or the order chunks finish in.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import Any

import numpy as np

from armsim.compile import build_spec, draw_params
from armsim.core.engine import simulate
from armsim.scenario import Scenario

DEFAULT_CHUNK = 4096


def run_chunk(scenario: Scenario, runs: np.ndarray, trajectories: bool = False
              ) -> dict[str, np.ndarray]:
    """Simulate the runs with the given indices; outputs keyed as in MODEL.md 5."""
    spec = build_spec(scenario)
    params = draw_params(scenario, spec, runs)
    return simulate(spec, params, runs, trajectories=trajectories)


_WORKER: dict[str, Any] = {}


def _start_worker(scenario: Scenario) -> None:
    """Pool initialiser: each worker process receives the scenario once."""
    _WORKER["scenario"] = scenario
    _WORKER["spec"] = build_spec(scenario)


def _worker_chunk(start: int, stop: int, trajectories: bool) -> dict[str, np.ndarray]:
    scenario, spec = _WORKER["scenario"], _WORKER["spec"]
    runs = np.arange(start, stop, dtype=np.int64)
    return simulate(spec, draw_params(scenario, spec, runs), runs, trajectories=trajectories)


def chunks(start: int, stop: int, size: int) -> Iterator[np.ndarray]:
    for lo in range(start, stop, size):
        yield np.arange(lo, min(lo + size, stop), dtype=np.int64)


def _workers(workers: int | None, runs: int, chunk: int) -> int:
    if workers is not None:
        return max(1, workers)
    return 1 if runs <= 2 * chunk else max(1, min(os.cpu_count() or 1, 8))


def iter_batch(scenario: Scenario, runs: int, *, start: int = 0, chunk: int = DEFAULT_CHUNK,
               workers: int | None = None, executor: Executor | None = None,
               trajectories: bool = False) -> Iterator[dict[str, np.ndarray]]:
    """Yield the outputs of runs ``start .. start + runs - 1`` chunk by chunk, in order.

    Work goes to ``executor`` if given, else to a process pool of ``workers``
    (default: all cores for large batches, in-process for small ones).
    """
    parts = list(chunks(start, start + runs, chunk))
    n_workers = _workers(workers, runs, chunk)
    if executor is None and n_workers == 1:
        for part in parts:
            yield run_chunk(scenario, part, trajectories)
        return
    if executor is not None:
        futures = [executor.submit(run_chunk, scenario, part, trajectories) for part in parts]
        for future in futures:
            yield future.result()
        return
    pool = ProcessPoolExecutor(max_workers=n_workers, initializer=_start_worker,
                               initargs=(scenario,))
    try:
        futures = [pool.submit(_worker_chunk, int(part[0]), int(part[-1]) + 1, trajectories)
                   for part in parts]
        for future in futures:
            yield future.result()
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def run_batch(scenario: Scenario, runs: int, *, progress: Callable[[int], None] | None = None,
              **options: Any) -> dict[str, np.ndarray]:
    """All outputs of a batch at once (see :func:`iter_batch` for the options)."""
    results = []
    for part in iter_batch(scenario, runs, **options):
        results.append(part)
        if progress:
            progress(len(next(iter(part.values()))))
    return concat(results)


def concat(results: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    if not results:
        return {}
    return {key: np.concatenate([r[key] for r in results]) for key in results[0]}

