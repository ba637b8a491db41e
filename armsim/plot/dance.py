""""The negotiation dance": one run's offers in the utility space of the two main actors.

The two main actors are the first two participants of the first session; utilities are
their package utilities over that session's agenda, with the run's own weights and
reservations. Drawn with the offers: the Pareto frontier, the Nash bargaining point,
each side's reservation and the status quo (no deal).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from armsim.plot.bargaining import Frontier, NashPoint, nash_point, pareto_frontier, utilities
from armsim.plot.data import (FigureData, actor_colours, agreed_before, ensure, first_talk_run,
                              no_data)
from armsim.plot.style import MEDIATOR_COLOUR, classroom, new_figure


@dataclass(frozen=True)
class Dance:
    """The numbers of the figure, for one run (indices into the results' rows)."""

    run: int
    pair: tuple[int, int]          # actor indices of the two main actors
    rounds: np.ndarray             # (m,) rounds with an offer
    proposer: np.ndarray           # (m,) actor index, -1 mediator
    utility: np.ndarray            # (m, 2) the two actors' utilities of each offer
    agreed: np.ndarray             # (m,) the offer was accepted on some issue
    crosses: np.ndarray            # (m,) the offer crosses a participant's red line
    frontier: Frontier             # within every participant's red lines
    unbounded: Frontier            # over the issues' whole ranges, red lines ignored
    nash: NashPoint | None
    reservation: np.ndarray        # (2,)
    status_quo: np.ndarray         # (2,)


def dance_of(data: FigureData, run: int | None = None) -> Dance | None:
    """The dance of ``run`` (default: the first traced run with talks); None if there is
    no scenario, no trajectory or no talks to show."""
    spec, traces = data.spec, data.traces
    if spec is None or data.scenario is None or "offer" not in traces or not spec.order:
        return None
    if len(spec.order[0]) < 2:
        return None
    run = first_talk_run(traces) if run is None else run
    if run is None:
        return None
    from armsim.compile import draw_params
    from armsim.core.talks import feasible_window

    params = draw_params(data.scenario, spec, np.asarray(data.results.runs)[[run]])
    pair = (spec.order[0][0], spec.order[0][1])
    ideal, weight = spec.ideal[list(pair)], params.weight[0][list(pair)]
    agenda = spec.agenda[0]
    window_lo, window_hi = feasible_window(spec, 0)
    side = spec.sides(list(pair))
    frontier = pareto_frontier(ideal, weight, spec.lo, spec.hi, agenda, window_lo, window_hi,
                               side)
    reservation = params.reservation[0][list(pair)]
    offers = traces["offer"][run]                               # (T, I)
    talked = np.flatnonzero(np.isfinite(offers).any(axis=1))
    deals = _deals(data, run, offers)[talked]
    in_force = traces["in_force"][run]
    newly = in_force & ~np.vstack([np.zeros((1, in_force.shape[1]), bool), in_force[:-1]])
    return Dance(
        run=run, pair=pair, rounds=talked, proposer=traces["proposer"][run][talked],
        utility=utilities(deals, ideal, weight, spec.lo, spec.hi, agenda, side),
        agreed=newly[talked].any(axis=1), crosses=_crosses(spec, offers, talked),
        frontier=frontier,
        unbounded=pareto_frontier(ideal, weight, spec.lo, spec.hi, agenda, side=side),
        nash=nash_point(frontier, reservation), reservation=reservation,
        status_quo=utilities(spec.hi[None], ideal, weight, spec.lo, spec.hi, agenda, side)[0])


def _crosses(spec: Any, offers: np.ndarray, rounds: np.ndarray) -> np.ndarray:
    """``(m,)``: the offer of each round in ``rounds`` crosses a red line of one of the
    participants of its session (on an issue where they have no common level, any does)."""
    from armsim.core.talks import feasible_window

    out = np.zeros(len(rounds), bool)
    for j, t in enumerate(rounds):
        s, _ = spec.schedule(int(t))
        low, high = feasible_window(spec, s)
        x = offers[t]
        offered = np.isfinite(x)
        out[j] = bool(((x[offered] < low[offered] - 1e-9) | (x[offered] > high[offered] + 1e-9)
                       | (low[offered] > high[offered])).any())
    return out


def _deals(data: FigureData, run: int, offers: np.ndarray) -> np.ndarray:
    """``(T, I)``: what each round's offer would leave in place if accepted whole: the
    offered levels, the agreed level on issues agreed before, else the status quo."""
    spec = data.spec
    agreed = np.array([data.results.outputs[f"agreed.{name}"][run] for name in spec.issues])
    before = agreed_before(data.traces["in_force"][run])
    fallback = np.where(before & np.isfinite(agreed)[None], agreed[None], spec.hi[None])
    return np.where(np.isfinite(offers), offers, fallback)


def dance(results: Any, run: int | None = None) -> Any:
    """The negotiation dance of one run (default: the first run with talks)."""
    data = ensure(results)
    with classroom():
        fig = new_figure(13, 8.4)
        ax = fig.add_subplot()
        what = dance_of(data, run)
        if what is None:
            no_data(ax, "no talks to show (needs the scenario file and a run with offers)")
            fig.suptitle(f"{data.title}: the negotiation dance")
            return fig
        _draw(ax, data, what)
        venue = data.scenario.sessions[0].venue
        number = int(np.asarray(data.results.runs)[what.run])
        fig.suptitle(f"{data.title}: the negotiation dance (run {number})")
        ax.set_title(f"utilities over the agenda of {venue}; numbers: rounds",
                     fontsize=12, color="0.3")
    return fig


def _draw(ax: Any, data: FigureData, what: Dance) -> None:
    a, b = what.pair
    colours = actor_colours(len(data.actors))
    r = what.reservation
    ax.fill_between([r[0], 1.02], r[1], 1.02, color="tab:green", alpha=0.08, lw=0,
                    label="both beat their reservation")
    ax.axvline(r[0], color=colours[a], ls="--", lw=1.8,
               label=f"reservation of {data.actor_label(a)}")
    ax.axhline(r[1], color=colours[b], ls="--", lw=1.8,
               label=f"reservation of {data.actor_label(b)}")
    ax.plot(what.utility[:, 0], what.utility[:, 1], "-", color="0.6", lw=1, zorder=4)
    loose, front = what.unbounded.utility, what.frontier.utility
    if loose.shape != front.shape or not np.allclose(loose, front):
        ax.plot(loose[:, 0], loose[:, 1], ":", color="tab:purple", lw=2, zorder=5,
                label="Pareto frontier if red lines were ignored")
    ax.plot(front[:, 0], front[:, 1], "-", color="tab:purple", lw=4.5, alpha=0.9, zorder=5,
            solid_capstyle="round", label="Pareto frontier within the red lines")
    _point_at(ax, front, "Pareto frontier\nwithin the red lines")
    ax.plot(*what.status_quo, "s", color="0.45", ms=12, label="status quo (no deal)", zorder=6)
    if what.nash is not None:
        ax.plot(*what.nash.utility, "*", color="gold", mec="0.1", ms=24, zorder=10,
                label="Nash bargaining point")
    else:
        ax.text(1.03, 0.02, "No deal within the red lines\ngives both sides more than\n"
                "their reservation: there is\nno Nash bargaining point.",
                transform=ax.transAxes, va="bottom", fontsize=12, color="0.2",
                bbox={"boxstyle": "round", "fc": "white", "ec": "0.6"})
    extra = _offers(ax, data, what, colours)
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.02)
    ax.set_aspect("equal")
    ax.set_xlabel(f"utility of {data.actor_label(a)} (0 = worst, 1 = its ideal)")
    ax.set_ylabel(f"utility of {data.actor_label(b)} (0 = worst, 1 = its ideal)")
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles + list(extra.values()), labels + list(extra), loc="upper left",
              bbox_to_anchor=(1.02, 1.0), framealpha=0.95, fontsize=11)


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
                    fontweight="bold")
    return extra | marks
