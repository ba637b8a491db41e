"""From a design to batches the engine can run: the plan of a sweep.

The engine runs one :class:`~armsim.core.spec.Spec` (the structure of a scenario)
over many runs, each with its own :class:`~armsim.core.spec.Params`. A factor that
``draw_params`` reads per run (a patience, a verification rate) can take a different
value in every row of one batch; any other factor (a strategy, a red line, a session's
rounds) changes the structure, so its points form groups of their own. Rows are the
pairs (point, run), point-major: row ``p * runs + r`` is run ``r`` of point ``p``.

Run ``r`` of point ``p`` uses the random numbers of run ``r`` of the sweep's seed,
whatever the point (common random numbers): it is exactly run ``r`` of
``armsim run --set <point's values> --seed <seed>``, and differences between points
are differences of parameters, not of luck.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from armsim import __version__
from armsim.compile import build_spec, draw_params, drawn_paths
from armsim.core.engine import simulate
from armsim.core.spec import Spec
from armsim.experiments.designs import Design
from armsim.scenario import Scenario, ScenarioError, load_scenario


class SweepError(ValueError):
    """A sweep that cannot run: a bad path or value, named as on the command line."""


@dataclass(frozen=True)
class Group:
    """Points sharing one structure: ``scenario`` is the first point's, validated."""

    scenario: Scenario
    spec: Spec
    per_run: tuple[str, ...]       # factor paths passed to draw_params per row
    points: np.ndarray             # (points in group,) int


@dataclass(frozen=True)
class Plan:
    """Everything a worker needs to run rows ``start:stop`` of a sweep."""

    groups: tuple[Group, ...]
    group_of: np.ndarray           # (points,) int: the group of each point
    values: dict[str, np.ndarray]  # per-run factor path -> (points,) float
    points: int
    runs: int
    version: str = __version__     # the armsim that planned it; workers must match

    @property
    def rows(self) -> int:
        return self.points * self.runs

    def working_bytes(self, rows: int) -> int:
        """About the memory a chunk of ``rows`` rows works in: its largest group's
        (Spec.working_bytes), which a new worker warms before its first chunk
        (:func:`armsim.runner.warm_heap`)."""
        return max((g.spec.working_bytes(rows) for g in self.groups), default=0)

    def evaluate(self, start: int, stop: int) -> dict[str, np.ndarray]:
        """Per-run outputs (MODEL.md 5) of rows ``start:stop``, each ``(stop - start,)``.

        Executors call it through :func:`armsim.runner.evaluate`, which first checks
        that the worker's armsim is the ``version`` that made the plan."""
        rows = np.arange(start, stop, dtype=np.int64)
        point, run = rows // self.runs, rows % self.runs
        out: dict[str, np.ndarray] = {}
        for g, group in enumerate(self.groups):
            mine = self.group_of[point] == g
            if not mine.any():
                continue
            runs = run[mine]
            fixed = {path: self.values[path][point[mine]] for path in group.per_run}
            params = draw_params(group.scenario, group.spec, runs, fixed)
            for name, value in simulate(group.spec, params, runs).items():
                if name not in out:
                    out[name] = np.empty(len(rows), dtype=value.dtype)
                out[name][mine] = value
        return out


def make_plan(base: Scenario, design: Design, runs: int) -> Plan:
    """Group the design's points by structure and check every point's values.

    Every group's first point is validated in full, and each per-run factor at its
    smallest and largest value in the group (the scenario's checks on per-run
    numbers are bounds, so the extremes stand for the values between).
    """
    check_levels(base, design)
    numeric = [f.path for f in design.factors if not f.categorical]
    structural = {f.path for f in design.factors if f.categorical}
    groups: list[Group] = []
    pending = [(np.arange(design.size), frozenset(structural))]
    while pending:
        points, fixed_paths = pending.pop(0)
        for subset in _split(design, points, sorted(fixed_paths)):
            group, more = _group(base, design, subset, numeric, fixed_paths)
            if more:
                pending.append((subset, fixed_paths | more))
            else:
                groups.append(group)
    groups.sort(key=lambda g: int(g.points[0]))
    group_of = np.empty(design.size, dtype=np.int64)
    for g, group in enumerate(groups):
        group_of[group.points] = g
    values = {p: np.asarray(design.columns[p], dtype=float) for p in numeric}
    return Plan(tuple(groups), group_of, values, design.size, runs)


def _split(design: Design, points: np.ndarray, paths: list[str]) -> Iterable[np.ndarray]:
    """The points, split by their values of ``paths``, in order of first appearance."""
    buckets: dict[tuple, list[int]] = defaultdict(list)
    for p in points:
        buckets[tuple(repr(design.columns[path][p]) for path in paths)].append(int(p))
    return [np.array(b, dtype=np.int64) for b in buckets.values()]


def _group(base: Scenario, design: Design, points: np.ndarray, numeric: list[str],
           structural: frozenset[str]) -> tuple[Group | None, frozenset[str]]:
    """The group of ``points`` (same values of ``structural``), or the numeric paths
    that turn out to change the structure (and must split the points further)."""
    first = int(points[0])
    scenario = _load(base, design.point(first), first)
    drawn = drawn_paths(scenario)
    candidates = [p for p in numeric if p not in structural]
    not_drawn = frozenset(p for p in candidates if p not in drawn)
    if not_drawn:
        return None, not_drawn
    spec, noisy = build_spec(scenario), False
    for path in candidates:
        column = np.asarray(design.columns[path], dtype=float)[points]
        for p in (int(points[np.argmin(column)]), int(points[np.argmax(column)])):
            other = build_spec(_load(base, {**design.point(first), path: design.columns[path][p]},
                                     p))
            if not same_structure(spec, other):
                return None, frozenset({path})
            noisy |= other.noisy_forces
    if noisy and not spec.noisy_forces:
        # noise 0 in some rows and not in others: the shocks are drawn and scaled by 0
        spec = dataclasses.replace(spec, noisy_forces=True)
    return Group(scenario, spec, tuple(candidates), points), frozenset()


# the constants a run may replace with its own draws (Spec.limit): ideals and red lines
PER_RUN_LIMITS = frozenset({"ideal", "red_lo", "red_hi", "stated_lo", "stated_hi"})


def same_structure(a: Spec, b: Spec) -> bool:
    """Whether two specs run the same kernel (``noisy_forces`` aside: noise 0 adds 0;
    ideals and red lines aside: a run reads its own where they differ)."""
    for f in dataclasses.fields(Spec):
        if not f.init or f.name == "noisy_forces" or f.name in PER_RUN_LIMITS:
            continue
        x, y = getattr(a, f.name), getattr(b, f.name)
        if f.name == "eras":          # (round, spec, trust it sets) of each new government
            if len(x) != len(y) or not all(
                    rx == ry and np.array_equal(mx, my) and same_structure(sx, sy)
                    for (rx, sx, mx), (ry, sy, my) in zip(x, y)):
                return False
            continue
        if isinstance(x, np.ndarray):
            if x.shape != y.shape or not np.array_equal(x, y, equal_nan=x.dtype.kind == "f"):
                return False
        elif x != y:
            return False
    return True


def check_levels(base: Scenario, design: Design) -> None:
    """Each factor's values one by one, so an error names the path and the value."""
    for f in design.factors:
        tried = f.values if f.values is not None else (f.low, f.high)
        for value in tried:
            if isinstance(value, float) and not np.isfinite(value):
                continue
            try:
                load_scenario(base, {f.path: value})
            except ScenarioError as exc:
                shown = "null" if value is None else value
                text = _explain(exc, f"--param {f.path}={shown}", f.path)
                held = _held(base, f.path)
                if isinstance(held, (list, dict)) and not isinstance(value, (list, dict)):
                    example = "[[], [a, b]]" if isinstance(held, list) else "[{a: 1}, {a: 2}]"
                    kind = "list" if isinstance(held, list) else "mapping"
                    text += (f"\n  ({f.path} holds a {kind}: give the levels as "
                             f"a list of them, e.g. {f.path}={example})")
                raise SweepError(text) from None


def _held(base: Scenario, path: str) -> Any:
    """The value the scenario holds at a dotted path (None if there is none)."""
    from armsim.scenario.overrides import split_path

    value: Any = base.model_dump(by_alias=True)
    for part in split_path(path):
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and isinstance(part, int) and part < len(value):
            value = value[part]
        else:
            return None
    return value


def _load(base: Scenario, overrides: dict[str, Any], point: int) -> Scenario:
    try:
        return load_scenario(base, overrides)
    except ScenarioError as exc:
        shown = ", ".join(f"{k}={v!r}" for k, v in overrides.items())
        raise SweepError(_explain(exc, f"design point {point} ({shown})")) from None


_EXAMPLES = {"strategy": "boulware,hardliner", "compliance": "tit_for_tat,grim"}


def _explain(exc: ScenarioError, where: str, path: str | None = None) -> str:
    lines = [str(p).replace("--set ", "--param ", 1) for p in exc.errors]
    text = f"{where} is not a valid scenario:\n  " + "\n  ".join(lines)
    kind = path.rpartition(".")[0] if path and path.endswith(".type") else ""
    if kind.endswith((".strategy", ".compliance")):
        # a new type keeps the old one's other keys, or has none to hang on to
        text += (f"\n  (a .type path changes only the type of the {kind.rpartition('.')[2]} "
                 "the scenario gives, which must be a mapping whose other keys the new type "
                 f"takes; to replace it whole, vary {kind} itself, e.g. "
                 f"{kind}={_EXAMPLES[kind.rpartition('.')[2]]})")
    return text
