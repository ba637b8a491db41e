"""``armsim.sweep``: run a scenario over a design of parameter values.

The result is an :class:`xarray.Dataset` with dimensions ``point`` (the design's
points) and ``run``, every per-run output of MODEL.md section 5 as a variable, the
factors' values as coordinates along ``point``, and provenance in ``attrs``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import warnings
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from armsim import __version__
from armsim.api import absolute_path
from armsim.experiments.designs import Design, DesignError, design_size, make_design
from armsim.experiments.factors import factor
from armsim.experiments.plan import Plan, make_plan
from armsim.experiments.store import StoreWarning, SweepStore
from armsim.runner import Chunks, default_chunk, run_chunks
from armsim.scenario import Scenario, load_scenario

MAX_ROWS = 10**9    # points x runs of one sweep, at most (its Dataset is made in memory)


def sweep(scenario: Scenario | str | os.PathLike[str], params: Mapping[str, Any], *,
          design: str = "grid", n: int | None = None, runs: int = 1000,
          seed: int | None = None, executor: Any = None, workers: int | None = None,
          chunk: int | None = None, out: str | os.PathLike[str] | None = None,
          resume: bool = False, overrides: Mapping[str, Any] | None = None,
          progress: Callable[[int], None] | None = None) -> Any:
    """Run ``runs`` runs at every point of a design over ``params``.

    ``params`` maps dotted paths (as ``--set`` takes them) to a list of values
    (numbers, or strategies and other names: categorical), a range
    (``"0.2..0.9"`` or ``{"low": 0.2, "high": 0.9}``) or a distribution
    (``{"dist": "beta", "a": 2, "b": 5}``). ``design`` is ``"grid"`` (``n`` levels per
    range, 5 by default), ``"lhs"`` (``n`` points, 64 by default) or ``"sobol"``
    (Saltelli's ``n * (factors + 2)`` points, ``n`` a power of 2, 256 by default).
    ``seed`` defaults to the scenario's; ``overrides`` change the scenario first.

    ``executor``: see :func:`armsim.runner.run_chunks` (local
    processes by default; any ``concurrent.futures.Executor``; a
    ``dask.distributed.Client`` or scheduler address). ``out`` stores chunks as they
    finish (see :mod:`armsim.experiments.store`); with ``resume`` a stopped sweep
    continues there. ``progress`` is called with the number of runs of each chunk
    done (those found already stored first); if it has a ``total`` attribute, that is
    set to the sweep's runs in all before the first call.
    """
    if not isinstance(params, Mapping):
        raise TypeError("params maps dotted paths to values, e.g. "
                        "{'environment.verification': '0.3..0.9:4'}, not a "
                        f"{type(params).__name__}")
    runs = _whole("runs", runs, 1)
    chunk = None if chunk is None else _whole("chunk", chunk, 1)
    seed = None if seed is None else _whole("seed", seed, 0)
    base = load_scenario(scenario, overrides).with_seed(seed)
    factors = [factor(path, spec) for path, spec in params.items()]
    check_size(base, design_size(factors, design, n), runs)
    the_design = whole_numbers(base, make_design(factors, design, n, base.seed))
    plan = make_plan(base, the_design, int(runs))
    store = SweepStore(out) if out is not None else None
    old = store.manifest() if store and resume else None
    chunk = int(chunk or (old or {}).get("chunk") or default_chunk(plan.rows, workers))
    chunks = Chunks(0, plan.rows, chunk)
    manifest = describe(base, the_design, plan, chunk)
    if store:
        store.open(manifest, resume)
    parts: dict[int, dict[str, np.ndarray]] = {}
    todo: list[int] | None = None
    computed = False
    results = None
    try:
        done = _usable(store, chunks) if store else set()
        if hasattr(progress, "total"):
            progress.total = plan.rows
        if progress:
            progress(sum(chunks[i][1] - chunks[i][0] for i in done))
        todo = [i for i in range(len(chunks)) if i not in done]
        results = run_chunks(plan, chunks, todo, executor=executor, workers=workers)
        for i, outputs in results:
            if store:
                store.write_chunk(i, *chunks[i], outputs)
            else:
                parts[i] = outputs
            computed = True
            if progress:
                progress(chunks[i][1] - chunks[i][0])
        if store:
            parts = {i: store.read_chunk(i) for i in range(len(chunks))}
        dataset = assemble(parts, the_design, plan, manifest)
        if store:
            store.write_dataset(dataset)
    finally:
        if results is not None:
            results.close()     # now, not when collected: an interrupt ends the workers
        if store:
            # a store this sweep started and got no chunk into is removed again
            store.close(computed or todo == [])
    return dataset


def _usable(store: SweepStore, chunks: Chunks) -> set[int]:
    """The chunks the store holds that are whole and this sweep's (a damaged or foreign
    one is removed, with a :class:`StoreWarning`, and computed again)."""
    done, notes = store.check_chunks(chunks)
    for note in notes:
        warnings.warn(note, StoreWarning, stacklevel=3)
    return done


def check_size(base: Scenario, points: int, runs: int) -> None:
    """Refuse a design of more than :data:`MAX_ROWS` rows (points x runs), or whose
    Dataset (8 bytes per output per row) would need more than half the memory
    available, before anything is allocated."""
    from armsim.batch import output_bytes, outputs_per_run
    from armsim.compile import build_spec
    from armsim.files import available_memory, megabytes

    rows = points * runs
    what = f"the design has {points:,} points x {runs:,} runs = {rows:,} rows"
    if rows > MAX_ROWS:
        raise DesignError(f"{what}, more than a sweep holds ({MAX_ROWS:,} rows at most, its "
                          "Dataset is made in memory): give fewer levels or points (--n), "
                          "or fewer --runs")
    spec = build_spec(base)
    need, memory = 2 * output_bytes(spec, rows), available_memory()
    if memory is not None and need > memory:
        raise DesignError(f"{what}; its Dataset would need about {megabytes(need)} of memory "
                          f"({outputs_per_run(spec)} outputs of 8 bytes per row, twice over "
                          f"while it is assembled) and {megabytes(memory)} is available: "
                          "give fewer levels or points (--n), or fewer --runs")


def _whole(name: str, value: Any, minimum: int) -> int:
    """``value`` as an int, refusing anything but a whole number of at least ``minimum``
    (2.5 runs were 2, a seed of 1.5 was 1)."""
    whole = isinstance(value, (int, np.integer)) or (
        isinstance(value, (float, np.floating)) and float(value).is_integer())
    if isinstance(value, bool) or not whole or value < minimum:
        raise ValueError(f"{name} must be a whole number of at least {minimum}, got {value!r}")
    return int(value)


def whole_numbers(base: Scenario, design: Design) -> Design:
    """Round a range's or distribution's values to whole numbers where the scenario
    has a whole number (``sessions.0.rounds=4..12``), so every point is valid."""
    columns = dict(design.columns)
    for f in design.factors:
        if f.values is None and _whole_number_path(base, f.path):
            columns[f.path] = [int(round(v)) for v in columns[f.path]]
    return dataclasses.replace(design, columns=columns)


def _whole_number_path(base: Scenario, path: str) -> bool:
    """Whether the scenario holds a whole number at ``path``: by the value there, or,
    where it holds none (``environment.tolerance: null``), by the field's type."""
    from pydantic import BaseModel

    from armsim.scenario.overrides import split_path

    node: Any = base
    parent, last = None, None
    for part in split_path(path):
        parent, last = node, part
        if isinstance(node, BaseModel):
            node = getattr(node, part, None) if isinstance(part, str) else None
        elif isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            return False
    if node is not None:
        return isinstance(node, int) and not isinstance(node, bool)
    field = type(parent).model_fields.get(last) if isinstance(parent, BaseModel) else None
    return field is not None and _is_int_type(field.annotation)


def _is_int_type(annotation: Any) -> bool:
    """``int``, ``int | None`` or an Annotated int (the scenario's ``Count``)."""
    import types
    import typing

    if annotation is int:
        return True
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _is_int_type(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        return len(members) == 1 and _is_int_type(members[0])
    return False


def describe(base: Scenario, design: Design, plan: Plan, chunk: int) -> dict[str, Any]:
    """Provenance: what the sweep computes (and what ``--resume`` must find again)."""
    return {"armsim_version": __version__, "scenario": base.name,
            "scenario_file": absolute_path(base.path), "scenario_hash": scenario_hash(base),
            "seed": base.seed, "runs": plan.runs, "chunk": chunk, **design.describe()}


def scenario_hash(scenario: Scenario) -> str:
    """SHA-256 of the scenario's content (where it was read from aside)."""
    data = scenario.model_dump(mode="json", by_alias=True, exclude={"path"})
    text = json.dumps(data, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def assemble(parts: Mapping[int, dict[str, np.ndarray]], design: Design, plan: Plan,
             manifest: dict[str, Any]) -> Any:
    """The chunks' rows (point-major) as a Dataset ``(point, run)``."""
    import xarray as xr

    order = sorted(parts)
    shape = (plan.points, plan.runs)
    names = list(parts[order[0]]) if order else []
    data = {k: (("point", "run"), np.concatenate([parts[i][k] for i in order]).reshape(shape))
            for k in names}
    coords: dict[str, Any] = {"point": np.arange(plan.points), "run": np.arange(plan.runs)}
    for path, values in design.columns.items():
        coords[path] = ("point", _column(values))
    attrs = {k: (json.dumps(v) if isinstance(v, (list, dict)) else v)
             for k, v in manifest.items() if k != "chunk" and v is not None}
    return xr.Dataset(data, coords=coords, attrs=attrs)


def _column(values: list[Any]) -> np.ndarray:
    """A factor's values as a coordinate: numbers, or text (lists, mappings and null as
    JSON, so that ``--set PATH=<text>`` gives the value back)."""
    if all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in values):
        return np.asarray(values, dtype=np.int64)
    if all(isinstance(v, (int, float, np.number)) and not isinstance(v, bool) for v in values):
        return np.asarray(values, dtype=float)
    return np.asarray([json.dumps(v) if isinstance(v, (list, dict)) or v is None else str(v)
                       for v in values])
