"""Figures over rounds: tension, and each force per actor (median and bands over runs)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from armsim.plot.data import (FigureData, actor_colours, describe_traced, ensure,
                              no_data, percentiles, with_unit, wrap)
from armsim.plot.style import classroom, lines, margins, new_figure


def mark_sessions(ax: Any, data: FigureData, *, names: bool = True,
                  span: float | None = None) -> int:
    """Shade each session's rounds, a dashed line at each boundary, venues on top.

    ``span`` (rounds across the axes) lets the venues' names move up a row where they
    would overlap their neighbour's (short sessions in a long run); returns the rows
    of names used (0 without names)."""
    sessions = data.sessions()
    rows = [0] * len(sessions)
    if names and span and sessions:
        fig = ax.figure
        inches = ax.get_position().width * fig.get_figwidth()
        per_round = inches / span                         # inches per round
        right = -np.inf
        for s, (venue, start, end) in enumerate(sessions):
            half = 0.5 * (len(venue) + 1) * 11 * 0.6 / 72 / per_round   # rounds
            centre = (start + end - 1) / 2
            if centre - half < right and rows[s - 1] == 0:
                rows[s] = 1
            else:
                right = centre + half
    for s, (venue, start, end) in enumerate(sessions):
        ax.axvspan(start - 0.5, end - 0.5, color="0.5", alpha=0.10 if s % 2 == 0 else 0.04,
                   lw=0, zorder=0)
        ax.axvline(end - 0.5, color="0.35", ls="--", lw=1, zorder=1)
        if names:
            ax.annotate(venue, ((start + end - 1) / 2, 1.0), xytext=(0, 3 + 15 * rows[s]),
                        xycoords=ax.get_xaxis_transform(), textcoords="offset points",
                        ha="center", va="bottom", fontsize=11, color="0.25",
                        annotation_clip=False)
    if names and sessions:
        end = sessions[-1][2]
        ax.text(end + 0.5, 1.01, "aftermath \u2192", transform=ax.get_xaxis_transform(),
                ha="left", va="bottom", fontsize=11, color="0.25", clip_on=False)
    return (1 + max(rows)) if names and sessions else 0


def mark_events(ax: Any, data: FigureData) -> None:
    """A dotted line at each outside event's round (withdrawals, suspensions, new
    governments; docs/model.md 7.20.5), with its label (or what it does) along it."""
    events = data.scenario.events if data.scenario is not None else []
    for event in events:
        ax.axvline(event.round - 0.5, color="0.15", ls=":", lw=1.4, zorder=2)
        verb = {"withdraw": "withdraws", "suspend": "suspends", "resume": "resumes",
                "new_government": "new government"}[event.does]
        text = event.label or " ".join(filter(None, (event.actor, verb)))
        ax.text(event.round - 0.3, 0.03, wrap(text, 28), transform=ax.get_xaxis_transform(),
                rotation=90, ha="left", va="bottom", fontsize=9, color="0.15", zorder=3)


def draw_ceilings(ax: Any, data: FigureData, k: int, colours: list[Any]) -> None:
    """The phased ceilings on force k (median over runs, a dashed step line; NaN where
    none binds): per actor in its colour, or one line for a bloc's or the total's. Only
    ceilings on this one force are drawn; a ceiling on a sum of forces is on no panel."""
    trace = data.traces.get("ceiling")
    spec = data.spec
    if trace is None or spec is None:
        return
    t = np.arange(trace.shape[1])
    for i in np.flatnonzero(spec.cap_forces[:, k] & (spec.cap_forces.sum(axis=1) == 1)):
        if not (spec.phase_after[i] >= 0).any():
            continue
        label = f"ceiling: {data.issue_label(i)}"
        if spec.ceiling[i] == 0:
            for a in np.flatnonzero(spec.has_force[:, k]):
                line = percentiles(trace[:, :, i, a], (50,))[0]
                if np.isfinite(line).any():
                    ax.step(t, line, where="mid", color=colours[a], ls="--", lw=1.6,
                            label=label if a == np.flatnonzero(spec.has_force[:, k])[0]
                            else None)
        else:
            groups = spec.group if spec.ceiling[i] == 1 else np.zeros(len(spec.actors), int)
            for g in np.unique(groups[spec.has_force[:, k]]):
                a = np.flatnonzero((groups == g) & spec.has_force[:, k])[0]
                line = percentiles(trace[:, :, i, a], (50,))[0]
                if np.isfinite(line).any():
                    ax.step(t, line, where="mid", color="0.2", ls="--", lw=1.6,
                            label=f"{label} (a group's total)")


def draw_bands(ax: Any, values: np.ndarray, colour: Any, label: str | None,
               outer: bool = True) -> None:
    """Median line, 50% band (25-75th percentiles) and, if ``outer``, the 90% band."""
    p5, p25, p50, p75, p95 = percentiles(values)
    t = np.arange(values.shape[1])
    if outer:
        ax.fill_between(t, p5, p95, color=colour, alpha=0.15, lw=0)
    ax.fill_between(t, p25, p75, color=colour, alpha=0.32, lw=0)
    ax.plot(t, p50, color=colour, lw=2.4, label=label)


def tension(results: Any, ax: Any = None) -> Any:
    """Tension over rounds: median, 50% and 90% bands over runs; sessions marked."""
    data = ensure(results)
    with classroom():
        fig = new_figure(11, 5.6, constrained=False) if ax is None else ax.figure
        ax = fig.add_subplot() if ax is None else ax
        trace = data.traces.get("tension")
        if trace is None:
            no_data(ax, "no trajectories: run with --trajectories")
            return fig
        if fig.get_layout_engine() is None and len(fig.axes) == 1:   # our own figure
            fig.subplots_adjust(**margins(tuple(fig.get_size_inches()), left=0.95, right=0.3,
                                          top=1.0, bottom=0.75))
        rows = mark_sessions(ax, data, span=trace.shape[1])
        mark_events(ax, data)
        draw_bands(ax, trace, "tab:red", "median")
        from matplotlib.patches import Patch

        handles = ax.get_legend_handles_labels()[0] + [
            Patch(color="tab:red", alpha=0.45, label="half of the runs (25\u201375%)"),
            Patch(color="tab:red", alpha=0.15, label="90% of the runs (5\u201395%)")]
        ax.legend(handles=handles, loc="upper right", framealpha=0.9)
        ax.set_ylim(0, 1)
        ax.set_xlim(-0.5, trace.shape[1] - 0.5)
        ax.set_xlabel("round (0 = first round of talks)")
        ax.set_ylabel("tension \u03b8 (0 = calm, 1 = on the brink)")
        title = wrap(f"{data.title}: tension over time ({describe_traced(data)})", 80)
        fig.suptitle(title)
        if fig.get_layout_engine() is None and len(fig.axes) == 1:   # our own figure
            fig.subplots_adjust(**margins(tuple(fig.get_size_inches()), left=0.95, right=0.3,
                                          top=0.25 + 0.22 * rows + 0.3 * lines(title),
                                          bottom=0.75))
    return fig


def forces(results: Any) -> Any:
    """One panel per force: each holding actor's level over rounds, median and bands."""
    data = ensure(results)
    with classroom():
        trace = data.traces.get("forces")
        if trace is None:
            fig = new_figure(11, 5.6)
            no_data(fig.add_subplot(), "no trajectories: run with --trajectories")
            return fig
        _, _, n_actors, n_forces = trace.shape
        if n_forces == 0:
            fig = new_figure(11, 5.6)
            no_data(fig.add_subplot(), "this scenario has no forces")
            return fig
        cols = 1 if n_forces == 1 else 2 if n_forces <= 4 else 3
        rows = math.ceil(n_forces / cols)
        fig = new_figure(6.2 * cols, 4.3 * rows + 0.8, constrained=False)
        title = wrap(f"{data.title}: forces over time ({describe_traced(data)})",
                     min(80, 48 * cols))             # a one-panel figure is narrow
        heads = [wrap(data.force_label(k), 44) for k in range(n_forces)]
        head = max(lines(h) for h in heads) * 0.24 + 0.12     # inches above each panel
        fig.subplots_adjust(**margins(
            tuple(fig.get_size_inches()), rows, cols, left=0.85, right=0.2, wgap=0.95,
            top=0.15 + 0.3 * lines(title) + head, hgap=head + 0.6, bottom=0.95))
        axes = _panels(fig, rows, cols, n_forces)
        colours = actor_colours(n_actors)
        held = _held(data, trace)
        for k in range(n_forces):
            ax = axes[k]
            mark_sessions(ax, data, names=False)
            holders = np.flatnonzero(held[:, k])
            for a in holders:
                draw_bands(ax, trace[:, :, a, k], colours[a], data.actor_label(a))
            draw_ceilings(ax, data, k, colours)
            ax.set_title(heads[k], fontsize=13)
            ax.set_ylabel(with_unit("level", data.force_unit(k)))
            ax.set_ylim(bottom=0)
            ax.set_xlim(-0.5, trace.shape[1] - 0.5)
            if holders.size:
                ax.legend(loc="best", fontsize=10, framealpha=0.85)
            else:  # declared (and perhaps capped) but held by no actor: nothing moves
                ax.text(0.5, 0.5, "no actor holds this force", ha="center", va="center",
                        transform=ax.transAxes, color="0.4")
        for k in range(n_forces):
            if k + cols >= n_forces:            # nothing below it: show its round axis
                axes[k].set_xlabel("round")
        note = "; lines: median, bands: 50% and 90% of runs; dashed: end of a session"
        if "ceiling" in data.traces:
            note = "; lines: median, bands: 50%, 90% of runs; dashed: session ends, ceilings"
        fig.suptitle(title)
        fig.supxlabel(note.lstrip("; "), fontsize=11, color="0.3", y=0.01, va="bottom")
    return fig


def _panels(fig: Any, rows: int, cols: int, count: int) -> list[Any]:
    """``count`` axes in a ``rows`` x ``cols`` grid, row by row, sharing their round axis,
    whose numbers only the panels with none below them show (none for the empty cells:
    an axes costs ~15 ms drawn or not)."""
    grid = fig.add_gridspec(rows, cols)
    axes: list[Any] = []
    for k in range(count):
        ax = fig.add_subplot(grid[k // cols, k % cols], sharex=axes[0] if axes else None)
        ax.xaxis.set_tick_params(which="both", labelbottom=k + cols >= count)
        axes.append(ax)
    return axes


def _held(data: FigureData, trace: np.ndarray) -> np.ndarray:
    """(A, K) which actor holds which force (from the spec, else any non-zero level)."""
    if data.spec is not None:
        return data.spec.has_force
    return np.nan_to_num(np.abs(trace)).max(axis=(0, 1)) > 0
