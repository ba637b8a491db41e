"""The Python API for notebooks: ``armsim.run(scenario, runs=..., seed=...)``."""

from __future__ import annotations

import numbers
import os
import signal
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Executor
from typing import Any, Literal

import numpy as np

from armsim import __version__
from armsim.batch import CSV_TEXT, check_size, concat, iter_batch
from armsim.compile import build_spec
from armsim.results import FIGURE_RUNS, Results
from armsim.scenario import Scenario, load_scenario


def run(scenario: Scenario | str | os.PathLike[str], *, runs: int | None = None,
        seed: int | None = None, overrides: Mapping[str, Any] | None = None,
        trajectories: bool = False, traced: int = FIGURE_RUNS, chunk: int | None = None,
        workers: int | None = None, executor: Executor | None = None,
        progress: Callable[[int], None] | None = None,
        engine: Literal["numpy", "mesa"] = "numpy", agent_class: Any = None,
        agent_classes: Mapping[str, Any] | None = None,
        on_part: Callable[[dict[str, np.ndarray]], None] | None = None,
        part_text: bool = False) -> Results:
    """Run a batch of a scenario (a file or a loaded :class:`Scenario`).

    ``runs`` and ``seed`` default to the scenario's; ``overrides`` maps dotted paths
    to values, as ``--set`` does. If interrupted (Ctrl-C), the runs of the chunks
    already finished are returned, with ``meta["interrupted"] = True``.

    The figures never simulate: the first ``traced`` runs (200 by default; 0 for none)
    keep their per-round trajectories, recorded by the same engine call that gives
    their outputs, in ``Results.figure_traces``; with ``trajectories`` every run keeps
    them (``Results.trajectories``). ``chunk``: runs per chunk (default: two chunks per
    worker, 1,024 to 16,384 runs each, see :mod:`armsim.runner`). A batch too large to
    hold in memory is refused (:class:`armsim.batch.BatchTooLarge`, see
    :func:`armsim.batch.check_size`). ``on_part`` is called with each part's rows
    (``{"run": (rows,), output: (rows,)...}``, the columns of ``to_dataframe()``) in
    order as it finishes, e.g. :meth:`armsim.runs_file.RunsWriter.write` to write
    runs.csv while the later runs are computed; the returned runs are those it was given.
    With ``part_text`` each part also holds its rows as runs.csv text under
    :data:`armsim.batch.CSV_TEXT`, formatted in the process that ran the chunk (the NumPy
    engine; the Mesa engine leaves it out), which :class:`~armsim.runs_file.RunsWriter`
    writes as it is.

    ``engine="mesa"`` runs each run in turn as an :class:`armsim.abm.ArmsControlModel`
    in this process (``chunk``, ``workers`` and ``executor`` do not apply); it gives the
    NumPy engine's numbers exactly, and can give actors custom agents: ``agent_class``
    for all, ``agent_classes`` per actor (classes or registered names).
    """
    loaded = load_scenario(scenario, overrides).with_seed(seed)
    n = loaded.runs if runs is None else runs
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
        raise ValueError(f"runs is a whole number, at least 1; got {n!r}")
    n = int(n)
    if isinstance(traced, bool) or not isinstance(traced, numbers.Integral) or traced < 0:
        raise ValueError(f"traced is a whole number, at least 0; got {traced!r}")
    spec = build_spec(loaded)
    check_size(loaded, n, trajectories, spec=spec)
    traced = 0 if trajectories else min(int(traced), n)
    batches = _engine_batches(loaded, n, engine, trajectories, agent_class, agent_classes,
                              traced=traced, chunk=chunk, workers=workers, executor=executor,
                              spec=spec, text=part_text and on_part is not None)
    parts: list[dict[str, np.ndarray]] = []
    interrupted = False
    done = 0
    try:
        for part in batches:
            size = len(part["agreement"])
            text = part.pop(CSV_TEXT, None)
            with _uninterrupted():   # a part is handed on and kept, or neither
                if on_part:
                    rows = {k: v for k, v in part.items() if not k.startswith("trace.")}
                    on_part({"run": np.arange(done, done + size), **rows,
                             **({CSV_TEXT: text} if text is not None else {})})
                parts.append(part)
            done += size
            if progress:
                progress(size)
    except KeyboardInterrupt:
        interrupted = True
        if not parts:
            raise
    traced_parts = [_pop_traces(part) for part in parts]
    outputs = concat(parts)
    traces = concat(traced_parts) if trajectories else {}
    kept = traced_parts[0] if traced and parts else {}
    done = len(outputs["agreement"])
    meta = {"armsim_version": __version__, "scenario_file": absolute_path(loaded.path),
            "engine": engine, "interrupted": interrupted}
    if interrupted:
        meta["requested_runs"] = n
    if agent_class is not None or agent_classes:
        meta["agents"] = _agent_names(loaded, agent_class, agent_classes or {})
    names = {"actor": list(loaded.actors), "force": list(loaded.forces),
             "issue": list(loaded.issues)}
    return Results(outputs, np.arange(done), loaded.name, loaded.seed, meta, traces, names,
                   scenario=loaded, figure_traces=kept)


class _uninterrupted:
    """Ctrl-C held back (blocked in this thread) until the block ends, where signals can
    be blocked: ``on_part`` and the list of parts then always agree on which runs
    finished. The signal is delivered, as a KeyboardInterrupt, when the block ends."""

    def __enter__(self) -> None:
        block = getattr(signal, "pthread_sigmask", None)
        self._old = block(signal.SIG_BLOCK, {signal.SIGINT}) if block else None

    def __exit__(self, *exc: Any) -> None:
        if self._old is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, self._old)


def _pop_traces(part: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Take the trajectories (``trace.<name>``) out of a part's outputs."""
    return {k.removeprefix("trace."): part.pop(k) for k in list(part) if k.startswith("trace.")}


def _engine_batches(scenario: Scenario, runs: int, engine: str, trajectories: bool,
                    agent_class: Any, agent_classes: Mapping[str, Any] | None, traced: int = 0,
                    spec: Any = None, text: bool = False, **batch: Any
                    ) -> Iterator[dict[str, np.ndarray]]:
    """The outputs of the runs, part by part, from the chosen engine; the first part
    holds the first ``traced`` runs with their trajectories."""
    if engine == "numpy":
        if agent_class is not None or agent_classes:
            raise ValueError("custom agents (agent_class, agent_classes) run on the Mesa "
                             "engine only: pass engine='mesa'")
        return iter_batch(scenario, runs, trajectories=trajectories, traced=traced, spec=spec,
                          text=text, **batch)
    if engine == "mesa":
        if batch.get("executor") is not None or (batch.get("workers") or 1) > 1:
            raise ValueError("the Mesa engine runs in this process: leave workers and "
                             "executor unset (or use engine='numpy')")
        from armsim.abm import StateAgent, iter_mesa

        agents = {"agent_class": agent_class or StateAgent, "agent_classes": agent_classes}
        if not traced:
            return iter_mesa(scenario, runs, trajectories=trajectories, **agents)
        return _mesa_traced(iter_mesa(scenario, traced, trajectories=True, **agents),
                            iter_mesa(scenario, runs - traced, start=traced, **agents))
    raise ValueError(f"engine is 'numpy' or 'mesa', got {engine!r}")


def _mesa_traced(first: Iterator[dict[str, np.ndarray]], rest: Iterator[dict[str, np.ndarray]]
                 ) -> Iterator[dict[str, np.ndarray]]:
    """The Mesa engine's traced runs as one part (as the NumPy engine's first chunk),
    then the others run by run."""
    yield concat(list(first))
    yield from rest


def _agent_names(scenario: Scenario, default: Any, chosen: Mapping[str, Any]) -> dict[str, str]:
    """Which agent each actor had on the Mesa engine, for the record (summary.json)."""
    def name(kind: Any) -> str:
        if kind is None or isinstance(kind, str):
            return kind or "StateAgent"
        return getattr(kind, "registered_as", None) or f"{kind.__module__}.{kind.__qualname__}"
    return {actor: name(chosen.get(actor, default)) for actor in scenario.actors}


def absolute_path(path: str | None) -> str:
    """Where the scenario was read from, absolute (for the record, from any folder)."""
    return os.path.abspath(path) if path and not path.startswith("<") else (path or "")
