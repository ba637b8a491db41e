"""Factors: the scenario paths a sweep varies, and the values each may take.

A factor is a dotted path (as ``--set`` takes it) with one of three kinds of values:

- **levels**: a list of values, numbers or not (``[0.5, 0.9]``, ``[tit_for_tat, grit]``,
  ``[1, 2, null]`` where null means none, as for ``environment.tolerance``);
  a level may itself be a list or mapping, for paths that take one: the linkage
  ``actors.russia.insists`` over ``[[], [nato_expansion]]``;
- **range**: ``low..high`` (optionally ``:steps`` for a grid), uniform between the bounds;
- **distribution**: a scenario distribution (``{dist: normal, mean: 0.9, sd: 0.02}``).

A design maps unit coordinates ``u`` in [0, 1) to values with :meth:`Factor.from_unit`
(levels by equal-width bins, ranges and distributions by their inverse CDF) and asks
for grid levels with :meth:`Factor.levels`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import yaml

DEFAULT_STEPS = 5
_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_RANGE = re.compile(rf"^\s*({_NUMBER})\s*\.\.\s*({_NUMBER})\s*(?::\s*(\d+))?\s*$")


# Scenario keys that say how to run it, not what it is: a sweep sets them itself.
RUN_SETTINGS = {
    "seed": "the seed is the sweep's own (--seed, seed= in Python): every point runs the same "
            "seeded runs, which is what makes points comparable; for other luck, run the "
            "sweep again with another --seed",
    "runs": "the number of runs is the sweep's own (--runs, runs= in Python), the same at "
            "every point",
}


class FactorError(ValueError):
    """A factor that cannot be used, with the path it was given for."""

    def __init__(self, path: str, message: str):
        super().__init__(f"--param {path}: {message}")
        self.path = path


@dataclass(frozen=True)
class Factor:
    """One varied path: ``values`` (levels), or ``low``/``high`` (range), or ``dist``."""

    path: str
    values: tuple[Any, ...] | None = None
    low: float | None = None
    high: float | None = None
    dist: Any = None
    steps: int | None = None

    @property
    def kind(self) -> str:
        return "levels" if self.values is not None else "range" if self.dist is None \
            else "distribution"

    @property
    def categorical(self) -> bool:
        """Levels that are not all numbers (strategies, names, booleans)."""
        return self.values is not None and not all(_is_number(v) for v in self.values)

    def levels(self, steps: int | None = None) -> list[Any]:
        """The values a grid takes: the levels, or ``steps`` evenly spread points.

        A range gives ``linspace(low, high, steps)``; a distribution its quantiles at
        ``(k + 0.5) / steps``.
        """
        if self.values is not None:
            return list(self.values)
        m = self.steps or steps or DEFAULT_STEPS
        if self.dist is None:
            return [float(v) for v in np.linspace(self.low, self.high, m)]
        return [float(v) for v in self.dist.ppf((np.arange(m) + 0.5) / m)]

    def from_unit(self, u: np.ndarray) -> list[Any]:
        """Values for unit coordinates ``u`` ``(n,)`` in [0, 1]."""
        u = np.clip(np.asarray(u, dtype=float), 0.0, 1.0)
        if self.values is not None:
            index = np.minimum((u * len(self.values)).astype(int), len(self.values) - 1)
            return [self.values[i] for i in index]
        if self.dist is None:
            return [float(v) for v in self.low + (self.high - self.low) * u]
        inner = np.clip(u, 1e-12, 1 - 1e-12)       # a normal's ppf(0) is -inf
        return [float(v) for v in self.dist.ppf(inner)]

    def describe(self) -> dict[str, Any]:
        """A JSON-able record of the factor (for provenance and --resume checks)."""
        if self.values is not None:
            return {"path": self.path, "levels": [_plain(v) for v in self.values]}
        if self.dist is None:
            return {"path": self.path, "low": self.low, "high": self.high, "steps": self.steps}
        return {"path": self.path,
                "distribution": self.dist.model_dump(by_alias=True, exclude_none=True)}


def factor(path: str, spec: Any) -> Factor:
    """A :class:`Factor` from Python: a list of levels, a distribution mapping
    (``{"dist": "uniform", "low": 0, "high": 1}``), a range mapping
    (``{"low": 0.2, "high": 0.9, "steps": 8}``) or a ``"0.2..0.9"`` string."""
    if not isinstance(path, str) or not path.strip():
        raise FactorError(str(path), "a factor needs a dotted path, e.g. environment.verification")
    path = _check_path(path.strip())
    if isinstance(spec, Factor):
        return spec
    if isinstance(spec, str):
        return parse_values(path, spec)
    if isinstance(spec, Mapping):
        return _from_mapping(path, dict(spec))
    if isinstance(spec, np.ndarray):
        spec = spec.tolist()
    if isinstance(spec, (Sequence, set, frozenset)) and not isinstance(spec, (str, bytes)):
        return _levels(path, list(spec))
    if _is_number(spec) or isinstance(spec, (bool, str)):
        return _levels(path, [spec])
    raise FactorError(path, f"cannot vary over {spec!r}: give a list of values, a "
                            "range like '0.2..0.9' or a distribution mapping")


def parse_param(text: str) -> Factor:
    """``PATH=VALUES`` from the command line, e.g. ``environment.verification=0.2..0.9:8``."""
    if "=" not in text:
        raise FactorError(text, "expected PATH=VALUES, e.g. environment.verification=0.2..0.9 "
                                "or actors.united_states.strategy=tit_for_tat,grit")
    path, _, raw = text.partition("=")
    path = path.strip()
    if not path:
        raise FactorError(text, "no path before '='")
    return parse_values(_check_path(path), raw)


def _check_path(path: str) -> str:
    if path in RUN_SETTINGS:
        raise FactorError(path, RUN_SETTINGS[path])
    return path


def parse_values(path: str, raw: str) -> Factor:
    """The VALUES part: ``low..high[:steps]``, ``a,b,c``, or YAML (a list or mapping)."""
    if not raw.strip():
        raise FactorError(path, "no values after '='")
    match = _RANGE.match(raw)
    if match:
        low, high, steps = match.groups()
        return _range(path, float(low), float(high), int(steps) if steps else None)
    if _looks_like_range(raw):
        raise FactorError(path, f"{raw.strip()!r} is not a range: write low..high or "
                                "low..high:steps with numbers, e.g. 0.2..0.9 or 0.2..0.9:8")
    try:
        value = yaml.safe_load(raw)
    except yaml.YAMLError:
        value = None
    if isinstance(value, (list, dict)):
        return factor(path, value)
    items = [_scalar(path, part) for part in raw.split(",")]
    return _levels(path, items)


def _looks_like_range(raw: str) -> bool:
    """``0.2..``, ``..0.9``, ``0.2..0.9:x``: a number on one side of ``..`` (a name such
    as a venue ``a..b`` may hold two dots)."""
    if ".." not in raw or raw.lstrip().startswith(("[", "{")):
        return False
    low, _, high = raw.partition("..")
    return any(re.fullmatch(rf"\s*{_NUMBER}\s*", side) for side in (low, high.partition(":")[0]))


def _scalar(path: str, text: str) -> Any:
    if not text.strip():
        raise FactorError(path, "an empty value between commas")
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise FactorError(path, f"{text.strip()!r} is not a value ({exc.problem})") from None
    if isinstance(value, (list, dict)):
        raise FactorError(path, f"{text.strip()!r} is not a single value")
    return value              # null (or ~) is a level: environment.tolerance=1,2,null


def _from_mapping(path: str, spec: dict[str, Any]) -> Factor:
    if "dist" in spec:
        from pydantic import TypeAdapter, ValidationError

        from armsim.scenario.distributions import Distribution

        try:
            dist = TypeAdapter(Distribution).validate_python(
                {k: v for k, v in spec.items() if k != "steps"})
        except ValidationError as exc:
            reason = "; ".join(e["msg"] for e in exc.errors())
            raise FactorError(path, f"not a distribution: {reason}") from None
        low, high = dist.support()
        return Factor(path, dist=dist, low=low, high=high, steps=spec.get("steps"))
    if set(spec) <= {"low", "high", "steps"} and {"low", "high"} <= set(spec):
        return _range(path, spec["low"], spec["high"], spec.get("steps"))
    raise FactorError(path, f"a mapping here is a distribution (with 'dist') or a range "
                            f"(low, high, steps), not {sorted(spec)}")


def _range(path: str, low: Any, high: Any, steps: Any) -> Factor:
    if not (_is_number(low) and _is_number(high)) or not math.isfinite(low + high):
        raise FactorError(path, f"a range needs two finite numbers, got {low!r}..{high!r}")
    if low == high:
        raise FactorError(path, f"a range low..high needs low < high, got {low}..{high}; to "
                                f"hold the value fixed give it as one level ({path}={low:g}) "
                                "or with --set")
    if not low < high:
        raise FactorError(path, f"a range low..high needs low < high, got {low}..{high}")
    if steps is not None and (not isinstance(steps, int) or steps < 2):
        raise FactorError(path, f"a range's steps must be a whole number >= 2, got {steps!r}")
    return Factor(path, low=float(low), high=float(high), steps=steps)


def _levels(path: str, values: list[Any]) -> Factor:
    if not values:
        raise FactorError(path, "an empty list of values")
    if len(set(map(repr, values))) != len(values):
        raise FactorError(path, f"a value is listed twice in {values}")
    return Factor(path, values=tuple(values))


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value
