"""Sobol' sensitivity indices of one output over chosen parameters (with SALib).

The design is Saltelli's sample (``n * (factors + 2)`` points, from SALib); the
engine runs the whole sample matrix as one sweep (per-run factors share batches);
each point's output is its rate or mean over ``runs`` runs; SALib's
``analyze.sobol`` gives first-order (S1) and total (ST) indices with bootstrap
confidence intervals.

With common random numbers (every point uses the same runs' random numbers), a
parameter that has no effect gives exactly the same output at the points that
differ only in it, so its total index is 0 and its interval contains 0.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from armsim.experiments.designs import DesignError, unit_problem
from armsim.experiments.plan import SweepError
from armsim.experiments.summary import point_statistic
from armsim.experiments.sweep import sweep
from armsim.scenario import Scenario


@dataclass(frozen=True)
class Sensitivity:
    """Sobol' indices of ``output``: ``indices`` has a row per parameter and columns
    S1, S1_conf, ST, ST_conf (half-widths of the ``conf_level`` intervals)."""

    output: str
    indices: Any                   # pandas.DataFrame
    dataset: Any                   # the sweep behind it (xarray.Dataset)
    y: np.ndarray                  # (points,) the output's rate or mean at each point
    conf_level: float

    def to_dataframe(self) -> Any:
        """The indices with their interval bounds (``S1_low`` ... ``ST_high``)."""
        table = self.indices.copy()
        for name in ("S1", "ST"):
            table[f"{name}_low"] = table[name] - table[f"{name}_conf"]
            table[f"{name}_high"] = table[name] + table[f"{name}_conf"]
        return table

    def plot(self, ax: Any = None) -> Any:
        """Bars of S1 and ST per parameter with their intervals; returns the Figure."""
        from armsim.plot.sweeps import sobol_bars

        return sobol_bars(self, ax=ax)

    def __str__(self) -> str:
        table = self.indices[["S1", "S1_conf", "ST", "ST_conf"]]
        return (f"Sobol' indices of {self.output} ({len(self.y)} points, "
                f"{int(self.conf_level * 100)}% intervals as +-):\n{table.round(3).to_string()}")


def sensitivity(scenario: Scenario | str | os.PathLike[str], params: Mapping[str, Any], *,
                output: str = "agreement", n: int = 256, runs: int = 200,
                seed: int | None = None, conf_level: float = 0.95,
                num_resamples: int = 1000, executor: Any = None, workers: int | None = None,
                chunk: int | None = None, overrides: Mapping[str, Any] | None = None,
                out: str | os.PathLike[str] | None = None, resume: bool = False,
                progress: Callable[[int], None] | None = None) -> Sensitivity:
    """Sobol' indices of ``output`` (its rate or mean over ``runs`` runs) over ``params``.

    ``params`` are factors as for :func:`armsim.sweep` (ranges, distributions or
    levels); ``n`` is Saltelli's base sample size (a power of 2). ``out`` and
    ``resume`` store the sweep's chunks as :func:`armsim.sweep` does.
    """
    if len(params) < 1:
        raise SweepError("sensitivity needs at least one parameter (--param)")
    if isinstance(n, (int, np.integer)) and not isinstance(n, bool) and n < 2:
        # one base sample: SALib's bootstrap resamples it to itself, intervals of +-0
        raise DesignError(f"sensitivity needs n of at least 2 (a power of 2), got {n}: "
                          "with one base sample the indices are meaningless and their "
                          "intervals a false +-0; 64 or more tells the factors apart")
    _check_output_name(scenario, overrides, output)
    data = sweep(scenario, params, design="sobol", n=n, runs=runs, seed=seed,
                 executor=executor, workers=workers, chunk=chunk, overrides=overrides,
                 out=out, resume=resume, progress=progress)
    y = point_statistic(data, output)
    if not np.isfinite(y).all():
        raise SweepError(f"{output} is undefined (NaN) in every run at some points, so its "
                         "Sobol' indices are too; choose an output defined in every run, "
                         "e.g. agreement, crisis or mean_tension")
    if np.ptp(y) == 0:
        others = " or ".join(o for o in ("agreement", "crisis", "mean_tension") if o != output)
        raise SweepError(f"{output} is {y[0]:g} at every point of the design: no parameter "
                         "changes it, so there is no variance to apportion; choose another "
                         f"--output (e.g. {others}) or wider ranges")
    return Sensitivity(output, analyse(list(params), y, data.attrs.get("seed", 0), conf_level,
                                       num_resamples), data, y, conf_level)


def _check_output_name(scenario: Any, overrides: Any, output: str) -> None:
    """Fail on a misspelt output before the sweep, not after it (one run names them all)."""
    from armsim.batch import run_chunk
    from armsim.experiments.summary import require_output
    from armsim.scenario import load_scenario

    require_output(output, list(run_chunk(load_scenario(scenario, overrides),
                                          np.zeros(1, np.int64))))


def analyse(names: list[str], y: np.ndarray, seed: int, conf_level: float = 0.95,
            num_resamples: int = 1000) -> Any:
    """SALib's first-order and total indices for outputs ``y`` of a Saltelli sample."""
    from SALib.analyze import sobol

    problem = unit_problem(len(names), names)
    result = sobol.analyze(problem, y, calc_second_order=False, conf_level=conf_level,
                           num_resamples=num_resamples, seed=seed)
    import pandas as pd

    table = pd.DataFrame({key: np.asarray(result[key], dtype=float)
                          for key in ("S1", "S1_conf", "ST", "ST_conf")},
                         index=pd.Index(names, name="parameter"))
    return table
