"""The Python API for notebooks: ``armsim.run(scenario, runs=..., seed=...)``."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from concurrent.futures import Executor
from typing import Any

import numpy as np

from armsim import __version__
from armsim.batch import DEFAULT_CHUNK, concat, iter_batch
from armsim.results import Results
from armsim.scenario import Scenario, load_scenario


def run(scenario: Scenario | str | os.PathLike[str], *, runs: int | None = None,
        seed: int | None = None, overrides: Mapping[str, Any] | None = None,
        trajectories: bool = False, chunk: int = DEFAULT_CHUNK, workers: int | None = None,
        executor: Executor | None = None,
        progress: Callable[[int], None] | None = None) -> Results:
    """Run a batch of a scenario (a file or a loaded :class:`Scenario`).

    ``runs`` and ``seed`` default to the scenario's; ``overrides`` maps dotted paths
    to values, as ``--set`` does. If interrupted (Ctrl-C), the runs of the chunks
    already finished are returned, with ``meta["interrupted"] = True``.
    """
    loaded = load_scenario(scenario, overrides)
    if seed is not None:
        loaded = loaded.model_copy(update={"seed": int(seed)})
    n = loaded.runs if runs is None else int(runs)
    if n < 1:
        raise ValueError(f"runs must be at least 1, got {n}")
    parts: list[dict[str, np.ndarray]] = []
    interrupted = False
    try:
        for part in iter_batch(loaded, n, chunk=chunk, workers=workers, executor=executor,
                               trajectories=trajectories):
            parts.append(part)
            if progress:
                progress(len(part["agreement"]))
    except KeyboardInterrupt:
        interrupted = True
        if not parts:
            raise
    outputs = concat(parts)
    traces = {k.removeprefix("trace."): outputs.pop(k) for k in list(outputs)
              if k.startswith("trace.")}
    done = len(outputs["agreement"])
    meta = {"armsim_version": __version__, "scenario_file": loaded.path or "",
            "interrupted": interrupted}
    if interrupted:
        meta["requested_runs"] = n
    names = {"actor": list(loaded.actors), "force": list(loaded.forces),
             "issue": list(loaded.issues)}
    return Results(outputs, np.arange(done), loaded.name, loaded.seed, meta, traces, names)
