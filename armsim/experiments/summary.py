"""Per-point summaries of a sweep: rates and means over the runs, with 95% intervals.

A true/false output (agreement, collapsed, crisis) becomes a rate with its Wilson
score interval; a number becomes its mean over the runs where it is defined (NaN
means undefined, e.g. the level of an issue never agreed) with a normal-approximation
interval, as ``armsim run`` reports them.
"""

from __future__ import annotations

import difflib
import warnings
from typing import Any

import numpy as np

from armsim.results import Z95, wilson


class OutputError(ValueError):
    """An output name a sweep does not have."""


def output_names(dataset: Any) -> list[str]:
    """The per-run outputs of a sweep (its variables over ``(point, run)``)."""
    return [k for k, v in dataset.data_vars.items() if v.dims == ("point", "run")]


def check_output(dataset: Any, output: str) -> None:
    require_output(output, output_names(dataset))


def require_output(output: str, names: list[str]) -> None:
    """Raise :class:`OutputError` (with a did-you-mean) if ``output`` is not in ``names``."""
    if output not in names:
        close = difflib.get_close_matches(output, names, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else f" (one of: {', '.join(names)})"
        raise OutputError(f"no output named '{output}'{hint}")


def point_statistic(dataset: Any, output: str) -> np.ndarray:
    """The output's rate or mean over the runs at each point, ``(points,)``."""
    check_output(dataset, output)
    values = np.asarray(dataset[output].values, dtype=float)
    defined = np.isfinite(values)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(defined, values, 0.0).sum(axis=1) / defined.sum(axis=1)


def summarise(dataset: Any, outputs: list[str] | None = None) -> Any:
    """A Dataset over ``point`` with, for each output, ``<output>`` (the rate or mean),
    ``<output>_low``, ``<output>_high`` (95% interval) and ``<output>_n`` (defined runs).

    ``outputs`` defaults to the three rates and the mean tension.
    """
    import xarray as xr

    outputs = outputs or [k for k in ("agreement", "collapsed", "crisis", "mean_tension")
                          if k in dataset]
    data: dict[str, Any] = {}
    for name in outputs:
        check_output(dataset, name)
        stat, low, high, count = _interval(dataset[name].values)
        for suffix, value in (("", stat), ("_low", low), ("_high", high), ("_n", count)):
            data[name + suffix] = ("point", value)
    coords = {k: v for k, v in dataset.coords.items() if "run" not in v.dims}
    return xr.Dataset(data, coords=coords, attrs=dict(dataset.attrs))


def _interval(values: np.ndarray) -> tuple[np.ndarray, ...]:
    if values.dtype == bool:
        count = np.full(values.shape[0], values.shape[1])
        rate, low, high = wilson(values.sum(axis=1), count)
        return rate, low, high, count
    values = values.astype(float)
    defined = np.isfinite(values)
    count = defined.sum(axis=1)
    x = np.where(defined, values, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = x.sum(axis=1) / count
        var = (np.where(defined, values - mean[:, None], 0.0) ** 2).sum(axis=1) / (count - 1)
        half = Z95 * np.sqrt(var / count)
    half = np.where(count > 1, half, np.nan)
    return mean, mean - half, mean + half, count


def pooled(dataset: Any, output: str, by: list[str]) -> Any:
    """The output's rate or mean with its 95% interval over the points that share the
    values of ``by`` (factor paths), as a DataFrame with a row per value.

    A lone point gets the interval of :func:`summarise` (``n`` its runs). Several
    points share their runs' random numbers (common random numbers), so their runs
    are not independent: the statistic is the mean over runs of each run's average
    over the points, with a normal interval over those ``n`` run averages.
    """
    import pandas as pd

    check_output(dataset, output)
    for path in by:
        if path not in dataset.coords:
            factors = [k for k, v in dataset.coords.items() if v.dims == ("point",)
                       and k != "point"]
            raise OutputError(f"'{path}' is not a factor of this sweep (factors: "
                              f"{', '.join(factors) or 'none'})")
    keys = pd.MultiIndex.from_arrays([dataset[p].values for p in by], names=by) if by else None
    rows = []
    groups = pd.Series(np.arange(dataset.sizes["point"]), index=keys).groupby(
        level=list(range(len(by))), sort=True) if by else [((), np.arange(dataset.sizes["point"]))]
    for key, points in groups:
        values = dataset[output].values[np.asarray(points)]
        if len(values) > 1:
            with np.errstate(invalid="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)   # runs undefined everywhere
                values = np.nanmean(values.astype(float), axis=0)
        stat, low, high, count = _interval(values.reshape(1, -1))
        key = key if isinstance(key, tuple) else (key,)
        rows.append({**dict(zip(by, key)), output: stat[0], "low": low[0], "high": high[0],
                     "n": int(count[0])})
    return pd.DataFrame(rows)
