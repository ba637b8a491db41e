""""The negotiation dance": one run's offers, one panel per session, in the utility space
of two of the parties at its table (the numbers: :mod:`armsim.plot.dance_data`).

Each panel draws the session's offers (numbered by round, in the proposer's colour),
the two axis parties' Pareto frontier within every participant's red lines, their
reservations, the status quo, and the Nash bargaining point of all the parties at the
table, the deal a mediator would propose.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from armsim.plot.dance_data import Dance, dance_of, dances_of
from armsim.plot.data import FigureData, actor_colours, ensure, no_data, short_venue, wrap
from armsim.plot.style import MEDIATOR_COLOUR, classroom, margins, new_figure

__all__ = ["Dance", "dance", "dance_of", "dances_of"]

PANEL = 4.8          # inches, each panel square
LEGEND = 1.5         # inches below the panels for the legend


def dance(results: Any, run: int | None = None) -> Any:
    """The negotiation dance of one run (default: the first run with talks): a panel
    per session with offers."""
    data = ensure(results)
    panels = dances_of(data, run)
    with classroom():
        if not panels:
            fig = new_figure(9, 6)
            no_data(fig.add_subplot(), "no talks to show (needs the scenario file and a run "
                    "with offers)")
            fig.suptitle(f"{data.title}: the negotiation dance")
            return fig
        cols = min(len(panels), 3)
        rows = math.ceil(len(panels) / cols)
        side = PANEL if cols > 1 else 1.3 * PANEL
        size = (cols * side + 1.7 + (cols - 1) * 0.9, rows * side + (rows - 1) * 1.4 + 1.6
                + LEGEND)
        fig = new_figure(*size, constrained=False)
        grid = fig.add_gridspec(rows, cols, **margins(size, rows, cols, left=1.0, right=0.7,
                                                      top=1.6, bottom=LEGEND + 0.6, wgap=0.9,
                                                      hgap=1.4))
        extra: dict[str, Any] = {}
        for j, what in enumerate(panels):
            ax = fig.add_subplot(grid[j // cols, j % cols])
            extra |= _draw(ax, data, what)
        number = int(np.asarray(data.results.runs)[panels[0].run])
        fig.suptitle(f"{data.title}: the negotiation dance (run {number}); numbers are rounds",
                     fontsize=16)
        fig.legend(list(extra.values()), list(extra), loc="lower center", ncol=3,
                   frameon=False, fontsize=11, bbox_to_anchor=(0.5, 0.0))
    return fig


#: the legend's words for the Nash point: it is every party's at the table, not the pair's
NASH = "Nash bargaining point of the parties at the table (a mediator's proposal)"


def _draw(ax: Any, data: FigureData, what: Dance) -> dict[str, Any]:
    """One session's panel; returns its legend entries (label -> handle)."""
    from matplotlib.lines import Line2D

    a, b = what.pair
    colours = actor_colours(len(data.actors))
    r = what.reservation
    keys: dict[str, Any] = {}
    keys["both beat their reservation"] = ax.fill_between(
        [r[0], 1.02], r[1], 1.02, color="tab:green", alpha=0.08, lw=0)
    ax.axvline(r[0], color=colours[a], ls="--", lw=1.8)
    ax.axhline(r[1], color=colours[b], ls="--", lw=1.8)
    keys["reservation (dashed, in its party's colour)"] = Line2D([], [], color="0.3", ls="--",
                                                                lw=1.8)
    ax.plot(what.utility[:, 0], what.utility[:, 1], "-", color="0.6", lw=1, zorder=4)
    loose, front = what.unbounded.utility, what.frontier.utility
    if loose.shape != front.shape or not np.allclose(loose, front):
        keys["Pareto frontier if red lines were ignored"] = ax.plot(
            loose[:, 0], loose[:, 1], ":", color="tab:purple", lw=2, zorder=5)[0]
    keys["Pareto frontier of the two, within the red lines"] = ax.plot(
        front[:, 0], front[:, 1], "-", color="tab:purple", lw=4.5, alpha=0.9, zorder=5,
        solid_capstyle="round")[0]
    _point_at(ax, front, "Pareto frontier\nwithin the red lines")
    keys["status quo (no deal)"] = ax.plot(*what.status_quo, "s", color="0.45", ms=12,
                                           zorder=6)[0]
    if what.nash is not None:
        keys[NASH] = ax.plot(*what.nash.utility, "*", color="gold", mec="0.1", ms=22,
                             zorder=7)[0]
    else:
        ax.text(0.03, 0.03, "No deal within the red lines gives\nevery party more than its "
                "reservation:\nno Nash bargaining point.", transform=ax.transAxes,
                va="bottom", fontsize=11, color="0.2",
                bbox={"boxstyle": "round", "fc": "white", "ec": "0.6"})
    keys |= _offers(ax, data, what, colours)
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.02)
    ax.set_aspect("equal")
    ax.set_xlabel(f"utility of {data.actor_label(a)}")
    ax.set_ylabel(f"utility of {data.actor_label(b)}")
    first, last = int(what.rounds[0]), int(what.rounds[-1])
    rounds = f"round {first}" if first == last else f"rounds {first}-{last}"
    ax.set_title(f"{short_venue(what.venue)}, {rounds}\n{party_names(data, what)}",
                 fontsize=12, loc="left")
    return keys


def party_names(data: FigureData, what: Dance) -> str:
    """'United States and Russia' or 'at the table: A, B and C' (wrapped)."""
    names = [data.actor_label(p) for p in what.parties]
    if len(names) == 2:
        return wrap(f"{names[0]} and {names[1]}", 46)
    return wrap("at the table: " + ", ".join(names[:-1]) + " and " + names[-1], 46)


def _point_at(ax: Any, front: np.ndarray, text: str) -> None:
    """Name a short frontier with an arrow, so that it is found at a glance (a long one
    is plain to see and named in the legend)."""
    if np.ptp(front, axis=0).max() > 0.2:
        return
    mid = front[len(front) // 2]
    toward = np.array([0.5, 0.5]) - mid
    norm = np.hypot(*toward)
    place = mid + (0.3 * toward / norm if norm > 1e-6 else np.array([-0.3, -0.3]))
    ax.annotate(text, mid, xytext=place, fontsize=12, color="tab:purple", zorder=12,
                ha="center", va="center",
                arrowprops={"arrowstyle": "->", "color": "tab:purple", "lw": 1.8})


def _offers(ax: Any, data: FigureData, what: Dance, colours: list[Any]) -> dict[str, Any]:
    """Each offer a dot in its proposer's colour, numbered by round; hollow if it
    crosses a participant's red line; ringed if accepted on some issue. Returns the
    legend entries (label -> handle) they need."""
    from matplotlib.lines import Line2D
    from matplotlib.patheffects import Normal, Stroke

    extra: dict[str, Any] = {}
    marks: dict[str, Any] = {}
    stacks: dict[tuple[int, int], int] = {}
    for (u0, u1), t, p, deal, crosses in zip(what.utility, what.rounds, what.proposer,
                                             what.agreed, what.crosses):
        colour = MEDIATOR_COLOUR if p < 0 else colours[p]
        name = "the mediator" if p < 0 else data.actor_label(p)
        ax.plot(u0, u1, "o", color=colour, mfc="white" if crosses else colour, ms=12,
                mew=2.2 if crosses else 1.0, mec=colour if crosses else "white", zorder=8)
        extra.setdefault(f"offer by {name}", Line2D([], [], ls="", marker="o", ms=12,
                                                   color=colour))
        if crosses:
            marks.setdefault("hollow: crosses a red line", Line2D(
                [], [], ls="", marker="o", ms=12, mfc="white", mec="0.3", mew=2.2))
        if deal:
            ax.plot(u0, u1, "o", mfc="none", mec="0.05", ms=21, mew=2.4, zorder=9)
            marks.setdefault("accepted (on some issue)", Line2D(
                [], [], ls="", marker="o", ms=19, mfc="none", mec="0.05", mew=2.4))
        cell = (int(round(u0 / 0.03)), int(round(u1 / 0.03)))
        stack = stacks.get(cell, 0)
        stacks[cell] = stack + 1
        ax.annotate(str(int(t)), (u0, u1), xytext=(10 + 17 * (stack % 6), 6 + 15 * (stack // 6)),
                    textcoords="offset points", fontsize=11, color=colour, zorder=11,
                    fontweight="bold", path_effects=[Stroke(linewidth=3, foreground="white"),
                                                     Normal()])
    return extra | marks
