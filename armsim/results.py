"""One Results object for a batch: summary with intervals, tables, arrays, files.

Rates (agreement, collapse, crisis) carry Wilson score 95% intervals; means carry
normal-approximation 95% intervals (mean +- 1.96 sd / sqrt(n)) over the runs where
the output is defined (NaN means undefined, e.g. no agreement on an issue).
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from armsim.files import atomic_write, atomic_write_with
from armsim.runs_file import read_runs, slices, write_runs

Z95 = 1.959963984540054
RATES = ("agreement", "collapsed", "crisis", "deadlock")
PLOT_KINDS = ("outcomes", "tension", "forces", "dance")
FIGURE_RUNS = 200   # runs whose trajectories armsim.run keeps for the figures
TRACE_DIMS = {"forces": ("actor", "force"), "trust": ("actor", "counterpart"),
              "offer": ("issue",), "action": ("actor",), "in_force": ("issue",),
              "ceiling": ("issue", "actor")}


def wilson(successes: Any, n: Any, z: float = Z95) -> tuple[Any, Any, Any]:
    """The rate and its Wilson score interval (Wilson 1927); scalars or arrays."""
    successes, n = np.asarray(successes, dtype=float), np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = successes / n
        denom = 1 + z * z / n
        centre = (p + z * z / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    low, high = np.maximum(0.0, centre - half), np.minimum(1.0, centre + half)
    # no success (or no failure) puts that end exactly at 0 (or 1); the subtraction
    # above leaves rounding dust such as 1.7e-18 there
    low, high = np.where(successes == 0, 0.0, low), np.where(successes == n, 1.0, high)
    if p.ndim == 0:
        return float(p), float(low), float(high)
    return p, low, high


def mean_interval(values: np.ndarray, z: float = Z95) -> dict[str, float]:
    v = values[np.isfinite(values)]
    if v.size == 0:
        return {"mean": math.nan, "low": math.nan, "high": math.nan, "n": 0}
    m = float(v.mean())
    half = z * float(v.std(ddof=1)) / math.sqrt(v.size) if v.size > 1 else math.nan
    return {"mean": m, "low": m - half, "high": m + half, "n": int(v.size)}


@dataclass
class Results:
    """Per-run outputs of a batch (``outputs[name]`` has shape ``(runs,)``).

    ``trajectories`` (every run's, if recorded) and ``figure_traces`` (those of the
    first runs only, rows ``0 .. m - 1``) are keyed as the engine records them:
    ``tension`` ``(runs, T)``, ``forces`` ``(runs, T, A, K)``, ``offer`` ``(runs, T, I)``...
    The figures draw from these and from ``scenario`` (names, units, the sessions),
    never simulating a run again.
    """

    outputs: dict[str, np.ndarray]
    runs: np.ndarray
    scenario_name: str
    seed: int
    meta: dict[str, Any] = field(default_factory=dict)
    trajectories: dict[str, np.ndarray] = field(default_factory=dict)
    names: dict[str, list[str]] = field(default_factory=dict)  # actor, force, issue
    # the Scenario that was run (overrides and seed applied), if known: the figures'
    # labels, units and sessions
    scenario: Any = field(default=None, repr=False, compare=False)
    figure_traces: dict[str, np.ndarray] = field(default_factory=dict, repr=False,
                                                 compare=False)

    def __len__(self) -> int:
        return int(self.runs.size)

    def rate(self, name: str) -> dict[str, float]:
        values = np.asarray(self.outputs[name], dtype=bool)
        p, low, high = wilson(int(values.sum()), values.size)
        return {"rate": p, "low": low, "high": high, "n": int(values.size)}

    def summary(self) -> dict[str, Any]:
        """Rates with Wilson intervals, means with intervals; plain JSON-able data."""
        out: dict[str, Any] = {"scenario": self.scenario_name, "seed": self.seed,
                               "runs": len(self), **self.meta}
        out["rates"] = {name: self.rate(name) for name in RATES}
        out["means"] = {name: mean_interval(np.asarray(v, dtype=float))
                        for name, v in self.outputs.items()
                        if name not in RATES and not name.endswith("_round")}
        for name in ("agreement_round", "crisis_round", "deadlock_round"):
            v = np.asarray(self.outputs[name], dtype=float)
            out["means"][name] = mean_interval(np.where(v >= 0, v, np.nan))
        return out

    def to_dataframe(self):
        """One row per run: a ``run`` column, then the outputs of MODEL.md section 5."""
        import pandas as pd

        return pd.DataFrame({"run": self.runs, **self.outputs})

    def to_xarray(self):
        """An ``xarray.Dataset``: per-run outputs over ``run``; trajectories, if recorded,
        over ``run``, ``round`` and ``actor``, ``force``, ``issue`` or ``counterpart``."""
        import xarray as xr

        data = {name: ("run", np.asarray(v)) for name, v in self.outputs.items()}
        for name, value in self.trajectories.items():
            data[name] = (("run", "round", *TRACE_DIMS.get(name, ())), value)
        coords: dict[str, Any] = {"run": self.runs}
        if self.trajectories:
            coords["round"] = np.arange(next(iter(self.trajectories.values())).shape[1])
            for dim, key in (("actor", "actor"), ("counterpart", "actor"), ("force", "force"),
                             ("issue", "issue")):
                if key in self.names:
                    coords[dim] = self.names[key]
        return xr.Dataset(data, coords=coords,
                          attrs={"scenario": self.scenario_name, "seed": self.seed,
                                 **{k: str(v) for k, v in self.meta.items()}})

    def plot(self, kind: str = "outcomes", ax=None):
        """A matplotlib figure: ``kind`` is one of :data:`PLOT_KINDS` (see :mod:`armsim.plot`)."""
        from armsim import plot

        if kind not in PLOT_KINDS:
            raise ValueError(f"no plot kind {kind!r}: choose one of {', '.join(PLOT_KINDS)}")
        return plot.outcomes(self, ax=ax) if kind == "outcomes" else getattr(plot, kind)(self)

    def write(self, folder: str | os.PathLike[str], format: str = "csv") -> list[Path]:
        """``runs.csv`` (or ``runs.parquet``), ``trajectories.nc`` (if recorded) and
        ``summary.json`` into ``folder``, each written atomically; see :meth:`write_each`."""
        return list(self.write_each(folder, format))

    @classmethod
    def read_runs(cls, path: str | os.PathLike[str]):
        """The runs table a folder (or its runs.csv or runs.parquet) holds, as a
        ``pandas.DataFrame``; see :func:`armsim.runs_file.read_runs`."""
        return read_runs(path)

    def write_each(self, folder: str | os.PathLike[str], format: str = "csv",
                   written: Any = None) -> Iterator[Path]:
        """Write the files one by one, yielding each path once it is complete.

        The runs table (``format``: ``"csv"`` or ``"parquet"``) is formatted and written
        :data:`~armsim.runs_file.PART_ROWS` rows at a time, so that only one part's text
        is in memory beside the outputs (:mod:`armsim.runs_file`). ``written``: a
        :class:`~armsim.runs_file.RunsWriter` for ``folder`` that was given every run
        already (``armsim.run(on_part=writer.write)``): it is closed instead.

        An earlier ``summary.json`` in ``folder`` is removed first and the new one is
        written last: if writing stops part way (Ctrl-C), the folder holds no summary
        that disagrees with the ``runs.csv`` beside it.
        """
        folder = Path(folder)
        summary = json.dumps(_finite(self.summary()), indent=2, default=_json_default)
        (folder / "summary.json").unlink(missing_ok=True)
        other = "runs.csv" if format == "parquet" else "runs.parquet"
        (folder / other).unlink(missing_ok=True)   # an earlier batch's, in the other format
        if written is None:
            yield write_runs(folder, slices({"run": self.runs, **self.outputs}), format)
        else:
            if written.rows != len(self) or written.format != format:
                written.abort()
                raise ValueError(f"the writer holds {written.rows} runs as {written.format}"
                                 f", these results {len(self)} as {format}")
            yield written.close()
        if self.trajectories:
            yield self._write_trajectories(folder)
        atomic_write(folder / "summary.json", summary + "\n")
        yield folder / "summary.json"

    def _write_trajectories(self, folder: Path) -> Path:
        """``trajectories.nc`` (netCDF 3, readable by xarray, netCDF4 and R's ncdf4)."""
        path = folder / "trajectories.nc"
        # (a zero-length dimension would read as netCDF 3's unlimited one: leave it out)
        data = self.to_xarray()[[k for k, v in self.trajectories.items() if v.size]]
        data = data.drop_dims([d for d, n in data.sizes.items() if n == 0])
        for name in data.data_vars:  # netCDF 3 has no booleans or 64-bit integers
            if data[name].dtype == bool or data[name].dtype.kind in "iu":
                data[name] = data[name].astype(np.int32)
        data = data.assign_coords(run=data["run"].astype(np.int32),
                                  round=data["round"].astype(np.int32))
        return atomic_write_with(path, lambda tmp: data.to_netcdf(tmp, engine="scipy"))


def _finite(value: Any) -> Any:
    """JSON has no NaN: undefined numbers become null."""
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (float, np.floating)) and not math.isfinite(value):
        return None
    return value


def _json_default(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    return str(value)
