"""Designs: which points of the factor space a sweep visits.

- ``grid``: every combination of the factors' levels (ranges and distributions give
  ``n`` levels each, 5 by default), the first factor varying slowest;
- ``lhs``: ``n`` points of a Latin hypercube (SciPy's ``qmc.LatinHypercube``);
- ``sobol``: Saltelli's sample for Sobol' indices from SALib, ``n * (factors + 2)``
  points, in SALib's row order (what :func:`SALib.analyze.sobol.analyze` expects).

Unit coordinates become values through :meth:`Factor.from_unit`, so categorical
factors take part in LHS and Sobol' designs as equal-width bins of [0, 1).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from armsim.experiments.factors import DEFAULT_STEPS, Factor

DESIGNS = ("grid", "lhs", "sobol")
DEFAULT_N = {"lhs": 64, "sobol": 256}


class DesignError(ValueError):
    """A design that cannot be built from the given factors and options."""


@dataclass(frozen=True)
class Design:
    """The points of a sweep: ``columns[path][p]`` is the value of factor ``path`` at
    point ``p``; ``unit`` ``(points, factors)`` the unit coordinates (LHS, Sobol')."""

    kind: str
    factors: tuple[Factor, ...]
    columns: dict[str, list[Any]]
    n: int | None
    seed: int
    unit: np.ndarray | None = field(default=None, compare=False)

    @property
    def size(self) -> int:
        return len(next(iter(self.columns.values()))) if self.columns else 1

    @property
    def paths(self) -> list[str]:
        return [f.path for f in self.factors]

    def point(self, p: int) -> dict[str, Any]:
        """The overrides of point ``p``."""
        return {path: values[p] for path, values in self.columns.items()}

    def describe(self) -> dict[str, Any]:
        """A JSON-able record (provenance; what --resume compares)."""
        return {"design": self.kind, "n": self.n, "seed": self.seed, "points": self.size,
                "factors": [f.describe() for f in self.factors]}


def make_design(factors: Sequence[Factor], kind: str = "grid", n: int | None = None,
                seed: int = 0) -> Design:
    """The points of design ``kind`` over ``factors`` (see the module docstring)."""
    factors = tuple(factors)
    paths = [f.path for f in factors]
    if len(set(paths)) != len(paths):
        twice = sorted({p for p in paths if paths.count(p) > 1})
        raise DesignError(f"a path is varied twice: {', '.join(twice)}")
    if kind not in DESIGNS:
        raise DesignError(f"design is one of {', '.join(DESIGNS)}, got {kind!r}")
    if n is not None and (isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1):
        raise DesignError(f"n must be a whole number of at least 1, got {n!r}")
    if kind == "grid":
        return _grid(factors, n, seed)
    if not factors:
        raise DesignError(f"a {kind} design needs at least one factor (--param)")
    n = int(n or DEFAULT_N[kind])
    unit = _lhs(len(factors), n, seed) if kind == "lhs" else _saltelli(len(factors), n, seed)
    columns = {f.path: f.from_unit(unit[:, d]) for d, f in enumerate(factors)}
    return Design(kind, factors, columns, n, seed, unit)


def design_size(factors: Sequence[Factor], kind: str = "grid", n: int | None = None) -> int:
    """How many points design ``kind`` has, counted before any is made (a grid of
    10^8 levels is refused by its size, not by running out of memory). An ``n`` that
    is not a positive whole number counts as none (:func:`make_design` refuses it)."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        n = None
    if kind == "grid":
        return math.prod(len(f.values) if f.values is not None
                         else (f.steps or n or DEFAULT_STEPS) for f in factors)
    n = int(n or DEFAULT_N.get(kind, 1))
    return n * (len(factors) + 2) if kind == "sobol" else n


def _grid(factors: tuple[Factor, ...], n: int | None, seed: int) -> Design:
    levels = [f.levels(n) for f in factors]
    combos = list(itertools.product(*levels))
    columns = {f.path: [c[d] for c in combos] for d, f in enumerate(factors)}
    return Design("grid", factors, columns, n, seed)


def _lhs(dims: int, n: int, seed: int) -> np.ndarray:
    from scipy.stats import qmc

    return qmc.LatinHypercube(d=dims, rng=np.random.default_rng(seed)).random(n)


def _saltelli(dims: int, n: int, seed: int) -> np.ndarray:
    if n & (n - 1):
        below = 1 << (n.bit_length() - 1)
        raise DesignError(f"a Sobol' design needs n a power of 2 (e.g. 256), got {n}: "
                          f"try {below} or {2 * below}")
    from SALib.sample import sobol

    problem = unit_problem(dims)
    return sobol.sample(problem, n, calc_second_order=False, seed=seed)


def unit_problem(dims: int, names: Sequence[str] | None = None) -> dict[str, Any]:
    """SALib's problem over the unit cube: armsim maps [0, 1] to values itself."""
    return {"num_vars": dims, "names": list(names or [f"x{d}" for d in range(dims)]),
            "bounds": [[0.0, 1.0]] * dims}
