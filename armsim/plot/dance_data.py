"""The numbers of "the negotiation dance": one panel per session of one run.

Each session is its own bargain: its participants, its agenda (less what was agreed
before it), its red lines. A panel puts that session's offers in the utility space of
two of its participants (the first listed, against the one whose ideals lie furthest
from its own, weighted over the open agenda), with:

- the Pareto frontier of those two within every participant's red lines (and, dotted,
  without them), their reservations and the status quo;
- the Nash bargaining point of *all* the parties at the table, as a mediator would
  propose it (:func:`armsim.core.offers.nash_bargaining`, the engine's own function),
  shown at the two axis parties' utilities. With two parties it lies on their
  frontier; with more, the others' interests may pull it inside.

Utilities are package utilities over the session's open agenda with the run's own
weights, ideals and reservations; an issue agreed during the session counts at its
agreed level from the round after. No matplotlib here (the page draws the same numbers
in the browser).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from armsim.plot.bargaining import Frontier, NashPoint, pareto_frontier, utilities
from armsim.plot.data import FigureData, agreed_before, first_talk_run


@dataclass(frozen=True)
class Dance:
    """One session's panel of one run (``run`` indexes the results' rows)."""

    run: int
    session: int
    venue: str
    parties: tuple[int, ...]       # every participant, in the session's order
    pair: tuple[int, int]          # the two actors whose utilities are the axes
    agenda: np.ndarray             # (I,) the issues open when the session began
    package: bool
    rounds: np.ndarray             # (m,) rounds of this session with an offer
    proposer: np.ndarray           # (m,) actor index, -1 mediator
    utility: np.ndarray            # (m, 2) the pair's utilities of each offer
    agreed: np.ndarray             # (m,) the offer was accepted on some issue
    crosses: np.ndarray            # (m,) the offer crosses a participant's red line
    frontier: Frontier             # the pair's, within every participant's red lines
    unbounded: Frontier            # the pair's, over the issues' whole ranges
    nash: NashPoint | None         # the mediator's point for all parties (pair's utilities)
    nash_parties: np.ndarray       # (P,) every party's utility at the Nash point
    reservation: np.ndarray        # (2,) the pair's
    status_quo: np.ndarray         # (2,)


def dances_of(data: FigureData, run: int | None = None) -> list[Dance]:
    """The panels of ``run`` (default: the first traced run with talks), one per session
    in which an offer was made; empty if there is nothing to show."""
    spec, traces = data.spec, data.traces
    if spec is None or data.scenario is None or "offer" not in traces or not spec.order:
        return []
    run = first_talk_run(traces) if run is None else run
    if run is None:
        return []
    from armsim.compile import draw_params

    params = draw_params(data.scenario, spec, np.asarray(data.results.runs)[[run]])
    own = spec.of_run(params)                    # this run's ideals and red lines
    offers = traces["offer"][run]                                # (T, I)
    deals = _deals(data, run, offers)
    in_force = traces["in_force"][run]
    newly = in_force & ~np.vstack([np.zeros((1, in_force.shape[1]), bool), in_force[:-1]])
    before = agreed_before(in_force)
    panels, start = [], 0
    played = len(offers)                       # a run under way has played only these
    for s, length in enumerate(int(n) for n in spec.session_rounds):
        rounds = np.arange(start, min(start + length, played))
        start += length
        talked = rounds[np.isfinite(offers[rounds]).any(axis=1)] if rounds.size else rounds
        if len(spec.order[s]) < 2 or not talked.size:
            continue
        agenda = spec.agenda[s] & ~before[rounds[0]]
        panels.append(_panel(data, own, params, run, s, agenda, talked, offers, deals, newly))
    return panels


def dance_of(data: FigureData, run: int | None = None) -> Dance | None:
    """The first panel of :func:`dances_of` (the first session with offers), or None."""
    panels = dances_of(data, run)
    return panels[0] if panels else None


def _panel(data: FigureData, spec: Any, params: Any, run: int, s: int, agenda: np.ndarray,
           talked: np.ndarray, offers: np.ndarray, deals: np.ndarray,
           newly: np.ndarray) -> Dance:
    from armsim.core.talks import feasible_window

    parties = tuple(int(a) for a in spec.order[s])
    weight, reservation = params.weight[0], params.reservation[0]
    pair = _pair(parties, spec.ideal, weight, spec.span, agenda)
    window_lo, window_hi = feasible_window(spec, s)
    ideal2, weight2 = spec.ideal[list(pair)], weight[list(pair)]
    side = spec.sides(list(pair))                  # one-sided preferences, if any
    frontier = pareto_frontier(ideal2, weight2, spec.lo, spec.hi, agenda, window_lo, window_hi,
                               side)
    nash, at_nash = mediators_point(spec, params, s, agenda, pair)
    return Dance(
        run=run, session=s, venue=data.scenario.sessions[s].venue, parties=parties, pair=pair,
        agenda=agenda, package=bool(spec.package[s]), rounds=talked,
        proposer=data.traces["proposer"][run][talked],
        utility=utilities(deals[talked], ideal2, weight2, spec.lo, spec.hi, agenda, side),
        agreed=newly[talked].any(axis=1), crosses=_crosses(spec, offers, talked),
        frontier=frontier,
        unbounded=pareto_frontier(ideal2, weight2, spec.lo, spec.hi, agenda, side=side),
        nash=nash, nash_parties=at_nash, reservation=reservation[list(pair)],
        status_quo=utilities(spec.hi[None], ideal2, weight2, spec.lo, spec.hi, agenda,
                             side)[0])


def mediators_point(spec: Any, params: Any, s: int, agenda: np.ndarray,
                    pair: tuple[int, int]) -> tuple[NashPoint | None, np.ndarray]:
    """What a mediator of session ``s`` proposes on ``agenda`` ``(I,)`` for one run
    (``params`` with a run axis of 1, ``spec`` that run's): the engine's
    :func:`~armsim.core.offers.nash_bargaining` over every participant's utility gain
    beyond its reservation, within all their red lines (an issue on which they leave no
    common level stays at the status quo). Returns the point at the ``pair``'s package
    utilities over the agenda, and every party's there ``(P,)``; the point is None when
    no party could accept it: in a package, some party's utility is not above its
    reservation; issue by issue, no issue gives every party more than its reservation."""
    from armsim.core.offers import issue_utility, nash_bargaining
    from armsim.core.rules import has_common_level
    from armsim.core.talks import feasible_window

    who = np.array(spec.order[s])
    weight, reservation = params.weight[0][who], params.reservation[0][who]
    f_lo, f_hi = feasible_window(spec, s)
    package = bool(spec.package[s])
    side = spec.sides(who)
    x = nash_bargaining(spec.ideal[who], spec.span, weight[None], reservation[None],
                        agenda[None], f_lo, f_hi, package, side=side,
                        whole=spec.whole if spec.whole.any() else None)[0]
    movable = agenda & has_common_level(f_lo, f_hi)
    levels = np.where(movable, x, spec.hi)
    at = utilities(levels[None], spec.ideal[who], weight, spec.lo, spec.hi, agenda, side)[0]
    if package:
        accepted = movable.any() and bool((at > reservation).all())
    else:
        each = issue_utility(levels[None], spec.ideal[who], spec.span, weight[None], side)[0]
        accepted = bool(((each > reservation[:, None]).all(axis=0) & movable).any())
    if not accepted:
        return None, at
    gains = np.maximum(at - reservation, 0.0)
    index = [int(np.flatnonzero(who == a)[0]) for a in pair]
    return NashPoint(levels, at[index], float(np.prod(gains))), at


def _pair(parties: tuple[int, ...], ideal: np.ndarray, weight: np.ndarray, span: np.ndarray,
          agenda: np.ndarray) -> tuple[int, int]:
    """The first party, and the party whose ideals lie furthest from its own (distance
    per unit of range, weighted by both, over the open agenda; the first such)."""
    first = parties[0]
    if len(parties) == 2:
        return first, parties[1]

    def distance(b: int) -> float:
        gap = np.abs(ideal[first] - ideal[b]) / span
        return float(((weight[first] + weight[b]) * gap * agenda).sum())

    return first, max(parties[1:], key=distance)


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
