"""Reductions over short trailing axes, written as loops over that axis.

NumPy reduces a short trailing axis (a handful of actors or issues) one row at a
time, which is several times slower than combining its slices with elementwise
operations. These helpers give the same results (sums add left to right, the same
order for every run), so a run's numbers never depend on its batch.
"""

from __future__ import annotations

import numpy as np


def sum_last(x: np.ndarray) -> np.ndarray:
    """``x.sum(axis=-1)`` for a short last axis, added left to right."""
    if x.shape[-1] == 0:
        return np.zeros(x.shape[:-1], dtype=np.result_type(x.dtype, np.int64)
                        if x.dtype == bool else x.dtype)
    out = x[..., 0].astype(np.int64 if x.dtype == bool else x.dtype, copy=True)
    for i in range(1, x.shape[-1]):
        out += x[..., i]
    return out


def all_last(x: np.ndarray) -> np.ndarray:
    """``x.all(axis=-1)`` for a boolean array with a short last axis."""
    out = _like_slice(x, True)
    for i in range(x.shape[-1]):
        out &= x[..., i]
    return out


def any_last(x: np.ndarray) -> np.ndarray:
    """``x.any(axis=-1)`` for a boolean array with a short last axis."""
    out = _like_slice(x, False)
    for i in range(x.shape[-1]):
        out |= x[..., i]
    return out


def _like_slice(x: np.ndarray, value: bool) -> np.ndarray:
    """A boolean array shaped and laid out in memory as ``x[..., 0]``, filled with value."""
    if x.shape[-1] == 0:
        return np.full(x.shape[:-1], value)
    return np.full_like(x[..., 0], value, dtype=bool)


def power(base: np.ndarray | float, exponent: np.ndarray) -> np.ndarray:
    """``np.power(base, exponent)`` computed by pow() element by element, whatever the sizes.

    Given a single exponent (one run alone, say), NumPy squares for 2 and takes the square
    root for 0.5, which differ from pow() in the last bit now and then; a batch of runs,
    whose exponents are arrays, always takes pow(). Two copies of a single exponent take
    pow()'s path too, so a run's numbers do not depend on its batch.
    """
    exponent = np.asarray(exponent)
    if exponent.size != 1:
        return np.power(base, exponent)
    pair = np.repeat(exponent.reshape(1), 2)
    out = np.power(np.asarray(base)[..., None], pair)[..., 0]
    return out.reshape(np.broadcast_shapes(np.shape(base), exponent.shape))


def runs_last(x: np.ndarray) -> np.ndarray:
    """``x`` (runs first) with the runs axis innermost in memory (Fortran order).

    Shapes and values do not change; NumPy then combines such arrays along whole
    rows of runs rather than along a short actor or issue axis, several times faster.
    """
    return np.asfortranarray(x)


def pairs_together(bound: np.ndarray, other: np.ndarray | None = None) -> np.ndarray:
    """``out[n, a, b]`` = any issue i with ``other[n, i, a]`` and ``bound[n, i, b]``.

    ``bound`` and ``other`` are ``(n, I, A)`` booleans (``other`` defaults to ``bound``).
    """
    other = bound if other is None else other
    n, I, A = bound.shape
    out = np.zeros((n, A, A), dtype=bool)
    for i in range(I):
        out |= other[:, i, :, None] & bound[:, i, None, :]
    return out
