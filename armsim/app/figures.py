"""The figures of one run as it is played: tension, forces and the dance.

:func:`chart` gives the page's figure as an ECharts option (:mod:`armsim.app.charts`,
drawn in the browser); the ``*_png`` functions draw the same numbers with matplotlib
for the class to download. The dance is :func:`armsim.plot.dance` itself, given the
run so far as one-run results; tension and forces are drawn here for a single run (the
batch figures draw medians and bands over many), with the house style and the session
marks of :mod:`armsim.plot`. matplotlib is imported only when a PNG is drawn.
"""

from __future__ import annotations

import io
import math
from contextlib import nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from armsim.core.state import all_cells, outputs as run_outputs
from armsim.plot.data import FigureData, actor_colours, no_data, short_venue, wrap
from armsim.plot.style import DPI, classroom, new_figure
from armsim.plot.timeseries import mark_sessions
from armsim.results import Results

if TYPE_CHECKING:
    from armsim.abm import ArmsControlModel


def run_so_far(model: ArmsControlModel) -> FigureData:
    """The run up to the latest round as one-run results with trajectories
    (``(1, rounds played, ...)``), for :mod:`armsim.plot`'s figures."""
    spec, scenario = model.spec, model.armsim_scenario
    traces = ({k: v[None] for k, v in model.trajectories().items()} if model.history
              else {})
    outputs = run_outputs(spec, model.params, model.state)
    names = {"actor": list(spec.actors), "force": list(spec.forces), "issue": list(spec.issues)}
    results = Results(outputs, np.array([model.run_index]), scenario.name, scenario.seed,
                      {"scenario_file": scenario.path or ""}, traces, names)
    return FigureData(results, scenario, spec, traces, np.arange(1))


@dataclass(frozen=True)
class Snapshot:
    """What the figures read of a model, copied at once (under the model's ``lock``, if it
    has one, so that a round being played in another thread is never seen half-done)."""

    data: FigureData
    round: int
    talk_rounds: int
    tension: float
    start_tension: float | None
    agreement_rounds: list[int]
    crisis_round: int
    levels: np.ndarray           # (A, K) each actor's force levels now
    ceilings: list[tuple[int, float]]   # (force, agreed level) of agreements in force


def snapshot(model: ArmsControlModel) -> Snapshot:
    with getattr(model, "lock", nullcontext()):
        state, spec = model.state, model.spec
        made = state.agreed_round[0][state.agreed[0]]
        live = np.flatnonzero((spec.caps >= 0) & state.in_force[0])
        return Snapshot(run_so_far(model), model.round, spec.talk_rounds, model.tension,
                        getattr(model, "start_tension", None), sorted({int(t) for t in made}),
                        int(state.crisis_round[0]), all_cells(spec, state.x)[0],
                        [(int(spec.caps[i]), float(state.level[0, i])) for i in live])


def _plain_figure(width: float, height: float) -> Any:
    """A figure without constrained layout (laid out by hand: several times faster for
    many panels, which matters when a figure is redrawn after every round)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def png(fig: Any) -> bytes:
    buffer = io.BytesIO()
    with classroom():
        fig.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def _rounds_shown(snap: Snapshot) -> float:
    """The right end of the round axis: the talks, or as far as the run has gone."""
    return max(snap.talk_rounds, snap.round, 1) + 0.5


def tension_png(model: ArmsControlModel) -> bytes:
    """Tension before the talks (at -1) and after each round played."""
    snap = snapshot(model)
    values = snap.data.traces.get("tension", np.zeros((1, 0)))[0]
    with classroom():
        fig = new_figure(7.6, 4.2)
        ax = fig.add_subplot()
        right = _rounds_shown(snap)
        mark_sessions(ax, snap.data, span=right + 1.5)
        if snap.start_tension is not None:
            ax.plot([-1], [snap.start_tension], "o", color="tab:red", ms=6)
        ax.plot(np.arange(len(values)), values, "-o", color="tab:red", lw=2.4, ms=4)
        for t in snap.agreement_rounds:
            ax.axvline(t, color="tab:green", lw=2, alpha=0.7)
            ax.text(t, 0.03, " agreement", color="tab:green", rotation=90, va="bottom",
                    fontsize=10)
        if snap.crisis_round >= 0:
            ax.axvline(snap.crisis_round, color="black", lw=2.5)
            ax.text(snap.crisis_round, 0.97, " crisis", va="top", fontsize=12,
                    fontweight="bold")
        ax.set_ylim(0, 1)
        ax.set_xlim(-1.5, right)
        ax.set_xlabel("round (-1: before the talks)")
        ax.set_ylabel("tension (0 calm, 1 brink)")
        plural = "s" if snap.round != 1 else ""
        ax.set_title(f"Tension {snap.tension:.2f} after {snap.round} round{plural}",
                     fontsize=13, loc="left", pad=40)
    return png(fig)


def forces_png(model: ArmsControlModel) -> bytes:
    """One panel per force: each holding actor's level over the rounds played, and the
    ceiling of an agreement in force on it (dashed)."""
    snap = snapshot(model)
    data, spec = snap.data, model.spec
    K = len(spec.forces)
    trace = data.traces.get("forces")                                      # (1, T, A, K)
    if K == 0:
        with classroom():
            fig = _plain_figure(7.6, 3.0)
            no_data(fig.add_subplot(), "this scenario has no forces")
        return png(fig)
    cols = 1 if K == 1 else 2 if K <= 4 else 3
    rows = math.ceil(K / cols)
    colours = actor_colours(len(spec.actors))
    with classroom():
        fig = _plain_figure(3.9 * cols, 2.9 * rows + 0.6)
        axes = fig.subplots(rows, cols, squeeze=False, sharex=True).ravel()
        fig.subplots_adjust(left=0.06, right=0.98, bottom=0.08, top=0.86, wspace=0.25,
                            hspace=0.45)
        for k in range(K):
            ax = axes[k]
            mark_sessions(ax, data, names=False)
            for a in np.flatnonzero(spec.has_force[:, k]):
                series = trace[0, :, a, k] if trace is not None else np.zeros(0)
                ax.plot(np.arange(len(series)), series, color=colours[a], lw=2,
                        label=f"{data.actor_label(a)} ({snap.levels[a, k]:.3g})")
            for force, level in snap.ceilings:
                if force == k:
                    ax.axhline(level, color="0.2", ls="--", lw=1.3)
            ax.set_title(wrap(data.force_label(k), 40), fontsize=11)
            ax.set_ylim(bottom=0)
            ax.set_xlim(-0.5, _rounds_shown(snap))
            ax.tick_params(labelsize=9)
            ax.legend(loc="upper left", fontsize=8, framealpha=0.85)
        for ax in axes[K:]:
            ax.set_visible(False)
        fig.suptitle("Forces (natural units; dashed: an agreed ceiling in force)", fontsize=13)
    return png(fig)


def dance_png(model: ArmsControlModel) -> bytes:
    """The negotiation dance so far (:func:`armsim.plot.dance`)."""
    from armsim.plot import dance

    return png(dance(snapshot(model).data, run=0))


KINDS = ("tension", "forces", "dance")


def chart(model: ArmsControlModel, kind: str, scale: float = 1.0, panel: int = -1) -> dict:
    """The page's figure ``kind`` (one of :data:`KINDS`) of the run so far, as an
    ECharts option: ``panel`` picks the force (forces) or the session (the dance; the
    latest by default); ``scale`` enlarges its text (projector mode)."""
    from armsim.app import charts
    from armsim.plot.dance_data import dances_of

    snap = snapshot(model)
    if kind == "tension":
        return charts.tension(snap.data, snap.start_tension, snap.tension, snap.round,
                              snap.talk_rounds, snap.agreement_rounds, snap.crisis_round,
                              scale)
    if kind == "forces":
        return charts.forces(snap.data, snap.levels, snap.ceilings, snap.round,
                             snap.talk_rounds, max(panel, 0), scale)
    if kind == "dance":
        panels = dances_of(snap.data, 0)
        return charts.dance(snap.data, panels, panel if -len(panels) <= panel < len(panels)
                            else -1, scale)
    raise ValueError(f"no figure {kind!r}: choose one of {', '.join(KINDS)}")


def panels(model: ArmsControlModel, kind: str) -> list[str]:
    """The names of the panels a figure offers: the forces, or the sessions with offers."""
    if kind == "forces":
        return [model.armsim_scenario.forces[f].label.split(" (")[0] for f in model.spec.forces]
    if kind == "dance":
        from armsim.plot.dance_data import dances_of

        return [short_venue(d.venue) for d in dances_of(snapshot(model).data, 0)]
    return []
