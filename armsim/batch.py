"""Batches: runs in memory-bounded chunks, on one core or several, with progress.

Run r of seed s is computed from (s, r) alone, so a batch's result does not depend
on the chunk size, the number of workers or the order chunks finish in. The chunks
go through the chunk runner that sweeps use (:mod:`armsim.runner`: its default chunk
size, its local processes, executors and Dask).

A batch keeps every run's outputs in memory, so :func:`check_size` refuses one that
cannot fit: more than :data:`MAX_RUNS` runs, outputs (about 8 bytes per output per
run) needing more than half the memory available, or trajectories
(rounds x runs x the values of a round, 8 bytes each) beyond
:data:`MAX_TRAJECTORY_BYTES` or a quarter of the memory available; above
:data:`WARN_TRAJECTORY_BYTES` it warns.
"""

from __future__ import annotations

import atexit
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from armsim import __version__
from armsim.compile import build_spec, draw_params
from armsim.core.engine import simulate
from armsim.core.spec import Spec
from armsim.runner import Chunks, default_chunk, in_order, run_chunks
from armsim.scenario import Scenario

MAX_RUNS = 100_000_000
#: the key of a chunk's runs.csv text in its outputs (a 0-d bytes array), where asked
CSV_TEXT = "runs.csv text"
MAX_TRAJECTORY_BYTES = 4 * 10**9
WARN_TRAJECTORY_BYTES = 250 * 10**6


def run_chunk(scenario: Scenario, runs: np.ndarray, trajectories: bool = False
              ) -> dict[str, np.ndarray]:
    """Simulate the runs with the given indices; outputs keyed as in MODEL.md 5."""
    spec = build_spec(scenario)
    params = draw_params(scenario, spec, runs)
    return simulate(spec, params, runs, trajectories=trajectories)


@dataclass(frozen=True)
class BatchJob:
    """A batch as the chunk runner's job: ``evaluate(start, stop)`` runs those runs.

    Trajectories are recorded for every run (``trajectories``) or for the runs below
    ``traced`` only (the few the figures draw, in a chunk of their own); those of the
    other runs are never made.
    """

    scenario: Scenario
    trajectories: bool = False
    traced: int = 0
    version: str = __version__
    #: also give each chunk's rows as runs.csv text (:data:`CSV_TEXT`), formatted where
    #: the chunk ran: a batch on several processes formats its table on all of them
    text: bool = False
    #: the scenario's structure (:func:`armsim.compile.build_spec`), made if not given
    spec: Spec | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.spec is None:
            object.__setattr__(self, "spec", build_spec(self.scenario))

    def working_bytes(self, rows: int) -> int:
        """About the memory a chunk of ``rows`` runs works in (Spec.working_bytes): the
        chunk runner warms that much heap in a new worker (:func:`armsim.runner.warm_heap`)."""
        return self.spec.working_bytes(rows)

    def evaluate(self, start: int, stop: int) -> dict[str, np.ndarray]:
        runs = np.arange(start, stop, dtype=np.int64)
        record = self.trajectories or stop <= self.traced
        params = draw_params(self.scenario, self.spec, runs)
        out = simulate(self.spec, params, runs, trajectories=record)
        if self.text:
            from armsim.runs_file import csv_bytes

            rows = {"run": runs, **{k: v for k, v in out.items() if not k.startswith("trace.")}}
            out[CSV_TEXT] = np.array(csv_bytes(rows, header=False))
        return out


def chunks(start: int, stop: int, size: int) -> Iterator[np.ndarray]:
    """The run indices of each chunk, one chunk at a time."""
    for lo, hi in Chunks(start, stop, size):
        yield np.arange(lo, hi, dtype=np.int64)


def iter_batch(scenario: Scenario, runs: int, *, start: int = 0, chunk: int | None = None,
               workers: int | None = None, executor: Any = None, trajectories: bool = False,
               traced: int = 0, spec: Spec | None = None, text: bool = False
               ) -> Iterator[dict[str, np.ndarray]]:
    """Yield the outputs of runs ``start .. start + runs - 1`` chunk by chunk, in order.

    ``chunk`` defaults to :func:`armsim.runner.default_chunk` (two chunks per worker,
    1,024 to 16,384 runs each). Work goes to ``executor`` if given (see
    :func:`armsim.runner.run_chunks`), else to ``workers`` local processes (every core
    by default; a batch of one chunk runs in this process). With ``traced``, the runs
    below ``start + traced`` make a chunk of their own and keep their trajectories.
    ``text``: each chunk's outputs also hold its rows as runs.csv text (:data:`CSV_TEXT`).
    """
    size = chunk or default_chunk(runs, workers)
    first = traced if traced and not trajectories else None
    parts = Chunks(start, start + runs, size, first)
    job = BatchJob(scenario, trajectories, start + traced if first else 0, spec=spec, text=text)
    yield from in_order(run_chunks(job, parts, executor=executor, workers=workers))


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


# -- what a batch needs ---------------------------------------------------------------

class BatchTooLarge(ValueError):
    """A batch that cannot be held in memory (or written) here."""


def outputs_per_run(spec: Spec) -> int:
    """How many per-run outputs (MODEL.md 5) a run of ``spec`` has: agreement,
    agreement_round, collapsed, crisis, crisis_round, deadlock, deadlock_round,
    final_tension, mean_tension,
    ``agreed.<issue>``, ``utility``, ``compliance_rate`` and ``compliance_payoff`` per
    actor (and ``bluff_called``, ``belief_error`` where red lines are private),
    ``final_force`` per force an actor holds, and ``expired`` where some issue has a
    term."""
    per_actor = 5 if spec.private else 3
    expired = 1 if spec.duration.any() else 0
    return (9 + expired + len(spec.issues) + per_actor * len(spec.actors)
            + len(spec.held_actor))


def values_per_round(spec: Spec) -> int:
    """How many numbers a run's trajectories hold per round: tension, the proposer,
    forces (A x K), trust (A x A), offers and agreements in force (I each), the actors'
    actions (A), and where some issue has a phased reduction the ceilings (I x A)."""
    A, K, I = len(spec.actors), len(spec.forces), len(spec.issues)
    ceilings = I * A if spec.phase_after.size else 0
    return 2 + A * K + A * A + 2 * I + A + ceilings


def output_bytes(spec: Spec, runs: int) -> int:
    """Memory for the per-run outputs of ``runs`` runs: 8 bytes per output per run."""
    return 8 * outputs_per_run(spec) * runs


def trajectory_bytes(spec: Spec, runs: int) -> int:
    """Memory for the trajectories of ``runs`` runs: rounds x runs x values per round,
    8 bytes each."""
    return 8 * spec.rounds * values_per_round(spec) * runs


def check_size(scenario: Scenario, runs: int, trajectories: bool = False,
               memory: int | None = None, spec: Spec | None = None) -> list[str]:
    """Refuse a batch that cannot fit (:class:`BatchTooLarge`, saying the bound and the
    estimate); return warnings for a legal but heavy one. ``memory``: bytes available
    (default: what the system says, see :func:`armsim.files.available_memory`)."""
    from armsim.files import available_memory, megabytes

    if runs > MAX_RUNS:
        raise BatchTooLarge(f"--runs {runs:,} is more than armsim run holds: at most "
                            f"{MAX_RUNS:,} runs in one batch, whose outputs stay in memory; "
                            "for more, run smaller batches (another --seed each), or "
                            "`armsim sweep`, which stores its runs chunk by chunk on disk")
    spec = build_spec(scenario) if spec is None else spec
    memory = available_memory() if memory is None else memory
    need = output_bytes(spec, runs)
    if memory is not None and 2 * need > memory:
        raise BatchTooLarge(f"--runs {runs:,}: the outputs would need about "
                            f"{megabytes(2 * need)} of memory ({outputs_per_run(spec)} "
                            f"outputs of 8 bytes per run, twice over while they are "
                            f"gathered), and {megabytes(memory)} is available: run fewer, "
                            "or `armsim sweep`, which stores its runs on disk")
    if not trajectories:
        return []
    size = trajectory_bytes(spec, runs)
    what = (f"--trajectories for {runs:,} runs needs about {megabytes(size)} "
            f"({spec.rounds} rounds x {values_per_round(spec)} values per round x 8 bytes "
            "per run)")
    # gathering the chunks and writing trajectories.nc peak at about 2.7 times the size
    limit = MAX_TRAJECTORY_BYTES if memory is None else min(MAX_TRAJECTORY_BYTES, memory // 4)
    if size > limit:
        raise BatchTooLarge(f"{what}, more than the {megabytes(limit)} armsim allows here: "
                            f"record fewer runs (at most {limit // (size // runs):,}), or "
                            "drop --trajectories (the figures keep the trajectories of "
                            "the first runs anyway)")
    if size > WARN_TRAJECTORY_BYTES:
        return [f"{what}, in memory and in trajectories.nc"]
    return []


CSV_BYTES = 24          # at most, per value of runs.csv (17 significant digits and more)
FIGURE_BYTES = 2 * 10**6  # the four figures, at most


_CLAIMED: list[Any] = []   # the folder lock of this process's armsim run, if any


def claim_out_folder(text: str | None, folder: Path, scenario: Scenario, runs: int,
                     trajectories: bool = False) -> list[str]:
    """For ``armsim run``, before any run: refuse a batch that cannot fit
    (:func:`check_size`), an empty ``--out`` (``text``), a folder that cannot be
    written (tried by making a file there), a disk without room for the results, and
    a folder another armsim command is writing to; then lock ``folder`` for this
    process. Raises ``ValueError`` with the message a person reads; returns warnings.

    The lock is released at exit (or by the next claim of this process), and the lock
    file removed, with the folders this call made if they are still empty (nothing was
    written)."""
    from armsim.files import FolderError, FolderLock, busy_message, free_bytes, megabytes

    notes = check_size(scenario, runs, trajectories)
    if text is not None and not text.strip():
        raise FolderError("--out is empty: it would write the results into the current "
                          "folder; give a folder (--out . for this one)")
    release_out_folder()
    made = _writable(folder)
    spec = build_spec(scenario)
    need = CSV_BYTES * outputs_per_run(spec) * runs + FIGURE_BYTES
    need += trajectory_bytes(spec, runs) if trajectories else 0
    free = free_bytes(folder)
    try:
        if free is not None and free < need:
            raise FolderError(f"--out {folder}: the results need up to {megabytes(need)} "
                              f"and only {megabytes(free)} is free there: free some space, "
                              "or choose another folder")
        lock = FolderLock(folder, remove=True).acquire(busy_message(folder))
    except BaseException:
        _remove_empty(made)
        raise
    _CLAIMED.append((lock, made))
    return notes


def _writable(folder: Path) -> list[Path]:
    """Make ``folder`` and try a file in it; the folders made, innermost first."""
    from armsim.files import FolderError, check_writable

    made = [p for p in (folder, *folder.parents) if not p.exists()]
    try:
        check_writable(folder)
    except FolderError as exc:
        _remove_empty(made)
        raise FolderError(f"--out {folder}: cannot write the results there ({exc}); "
                          "choose another folder") from None
    return made


def _remove_empty(folders: list[Path]) -> None:
    for made in folders:
        try:
            made.rmdir()
        except OSError:        # not empty (results were written), or already gone
            return


@atexit.register
def release_out_folder() -> None:
    """Release the folder :func:`claim_out_folder` locked (also done at exit): the lock
    file goes, and the folders it made if nothing was written into them."""
    while _CLAIMED:
        lock, made = _CLAIMED.pop()
        lock.release()
        _remove_empty(made)
