"""What a figure needs besides the per-run outputs: names, units, the round schedule,
and per-round trajectories.

Figures take :class:`~armsim.results.Results`, never models, and never simulate: the
trajectories they draw are the results' own, recorded during the batch by the engine
call that gave those runs' outputs (every run's with ``trajectories=True``, else the
first 200 runs' that :func:`armsim.run` keeps in ``Results.figure_traces``); names,
units and sessions come from the scenario the results ran (``Results.scenario``).
Results that hold no trajectories (made by hand, or with ``traced=0``) get the outcome
figure only.
"""

from __future__ import annotations

import textwrap
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from armsim.core.spec import Spec
    from armsim.results import Results
    from armsim.scenario import Scenario



@dataclass
class FigureData:
    """Results plus what the figures need to label and draw them.

    ``traces`` are keyed as ``Results.trajectories`` (``tension`` ``(n, T)``,
    ``forces`` ``(n, T, A, K)``, ``offer`` ``(n, T, I)``, ...), for the runs ``traced``
    (indices into the results' rows), possibly fewer than all runs.
    """

    results: Results
    scenario: Scenario | None = None
    spec: Spec | None = None
    traces: dict[str, np.ndarray] = field(default_factory=dict)
    traced: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    @property
    def title(self) -> str:
        return self.results.scenario_name

    # names -------------------------------------------------------------------------
    @property
    def actors(self) -> tuple[str, ...]:
        if self.spec is not None:
            return self.spec.actors
        return tuple(k.split(".", 1)[1] for k in self.results.outputs if k.startswith("utility."))

    @property
    def issues(self) -> tuple[str, ...]:
        if self.spec is not None:
            return self.spec.issues
        return tuple(k.split(".", 1)[1] for k in self.results.outputs if k.startswith("agreed."))

    @property
    def forces(self) -> tuple[str, ...]:
        if self.spec is not None:
            return self.spec.forces
        count = self.traces["forces"].shape[-1] if "forces" in self.traces else 0
        return tuple(f"force {k + 1}" for k in range(count))

    def actor_label(self, a: int) -> str:
        name = self.actors[a]
        actor = self.scenario.actors.get(name) if self.scenario is not None else None
        return (actor.label if actor is not None and actor.label else name.replace("_", " "))

    def force_label(self, k: int) -> str:
        return self._label("forces", self.forces[k])

    def force_unit(self, k: int) -> str:
        return self._unit("forces", self.forces[k])

    def issue_label(self, i: int) -> str:
        return self._label("issues", self.issues[i])

    def issue_unit(self, i: int) -> str:
        return self._unit("issues", self.issues[i])

    def issue_range(self, i: int) -> tuple[float, float] | None:
        if self.spec is None:
            return None
        return float(self.spec.lo[i]), float(self.spec.hi[i])

    def _label(self, kind: str, name: str) -> str:
        item = getattr(self.scenario, kind, {}).get(name) if self.scenario is not None else None
        return item.label if item is not None else name.replace("_", " ")

    def _unit(self, kind: str, name: str) -> str:
        item = getattr(self.scenario, kind, {}).get(name) if self.scenario is not None else None
        return item.unit if item is not None else ""

    # the round schedule ------------------------------------------------------------
    def sessions(self) -> list[tuple[str, int, int]]:
        """(venue, first round, end round) of each session; empty if unknown."""
        if self.scenario is None:
            return []
        out, start = [], 0
        for session in self.scenario.sessions:
            start += session.gap                    # rounds without talks before it
            out.append((short_venue(session.venue), start, start + session.rounds))
            start += session.rounds
        return out


def short_venue(venue: str) -> str:
    """'Brussels (NATO-Russia Council)' -> 'Brussels'."""
    return venue.split(" (", 1)[0].strip() or venue


def wrap(text: str, width: int = 38) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def with_unit(label: str, unit: str) -> str:
    return f"{label} ({unit})" if unit else label


def load_for(results: Results, scenario: Scenario | None = None) -> Scenario | None:
    """The results' scenario with their seed: ``scenario`` if given, else the one the
    results ran (``results.scenario``); None if neither is known (no file is read)."""
    scenario = scenario if scenario is not None else getattr(results, "scenario", None)
    return None if scenario is None else scenario.model_copy(update={"seed": results.seed})


def prepare(results: Results, scenario: Scenario | None = None,
            trajectories: dict[str, np.ndarray] | None = None,
            limit: int | None = None, quiet: bool = False) -> FigureData:
    """Gather what the figures need from the results alone: the trajectories
    (``trajectories`` if given, else the results' own: every run's if recorded, else
    the first runs' that :func:`armsim.run` keeps), of the first ``limit`` runs only if
    given, and the scenario for names (``scenario`` or ``results.scenario``). Warns
    when there are no trajectories to draw (unless ``quiet``)."""
    from armsim.compile import build_spec

    loaded = load_for(results, scenario)
    spec = build_spec(loaded) if loaded is not None else None
    if trajectories is None:
        trajectories = results.trajectories or getattr(results, "figure_traces", {})
    traces = {k: v[:limit] for k, v in trajectories.items()}
    if not traces:
        if len(results) and not quiet:
            warnings.warn("these results hold no trajectories (run them with armsim.run, "
                          "whose first runs keep theirs, or with trajectories=True): figures "
                          "over rounds are skipped", stacklevel=2)
        return FigureData(results, loaded, spec)
    n = len(next(iter(traces.values())))
    return FigureData(results, loaded, spec, traces, np.arange(n))


def ensure(data: Any, traces: bool = True) -> FigureData:
    """A :class:`FigureData` from itself or from bare results (without trajectories
    if ``traces`` is false: figures of the per-run outputs only)."""
    if isinstance(data, FigureData):
        return data
    return prepare(data) if traces else prepare(data, trajectories={}, quiet=True)


def describe_traced(data: FigureData) -> str:
    n, total = len(data.traced), len(data.results)
    return f"{n} runs" if n == total else f"first {n} of {total} runs"


def actor_colours(count: int) -> list[Any]:
    """One colour per actor index, the same in every figure."""
    import matplotlib

    cmap = matplotlib.colormaps["tab10"]
    return [cmap(a % 10) for a in range(count)]


def no_data(ax: Any, message: str) -> None:
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes,
            color="0.4", wrap=True)
    ax.set_xticks([])
    ax.set_yticks([])


def percentiles(values: np.ndarray, qs: tuple[float, ...] = (5, 25, 50, 75, 95)
                ) -> np.ndarray:
    """Percentiles over the first axis (runs), ``(len(qs), ...)``; NaN-safe: NaN values
    are left out (as ``np.nanpercentile``), a column of NaN only gives NaN.

    The columns without NaN (usually all of them) take one vectorised ``np.percentile``,
    the same numbers as ``np.nanpercentile``'s one column at a time, at a tenth of the
    cost; only columns with NaN go through ``np.nanpercentile``.
    """
    values = np.asarray(values, dtype=float)
    if values.shape[0] == 0:
        return np.full((len(qs), *values.shape[1:]), np.nan)
    out = np.percentile(values, qs, axis=0)
    holes = np.isnan(values).any(axis=0)
    if holes.any():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            out[:, holes] = np.nanpercentile(values[:, holes], qs, axis=0)
    return out


def first_talk_run(traces: dict[str, np.ndarray]) -> int | None:
    """Index (into the traced runs) of the first run in which any offer was made."""
    offer = traces.get("offer")
    if offer is None:
        return None
    talked = np.isfinite(offer).any(axis=(1, 2))
    hits = np.flatnonzero(talked)
    return int(hits[0]) if hits.size else None


def agreed_before(in_force: np.ndarray) -> np.ndarray:
    """``(T, I)``: the issue was agreed in an earlier round (from ``in_force`` ``(T, I)``).

    An agreement made in round t is in force at the end of round t; it may collapse
    later, but agreed issues never return to the agenda.
    """
    ever = np.logical_or.accumulate(in_force, axis=0)
    before = np.zeros_like(ever)
    before[1:] = ever[:-1]
    return before


__all__ = ["FigureData", "prepare", "ensure", "load_for"]
