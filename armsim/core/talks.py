"""Talks: one round of a session (MODEL.md section 2, step 1).

The proposer rotates over the participants in their listed order; it offers a
level for each open agenda issue by its strategy; every other participant accepts
or rejects; unanimity makes an agreement. ``negotiate`` changes the talk state in
place and returns what happened, for trajectories and for ``armsim explain``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from armsim.core import offers as of
from armsim.core.arrays import all_last
from armsim.core.hooks import Hooks
from armsim.core.spec import GRIT, HARDLINER, RUBINSTEIN, TIME_DEPENDENT, TIT_FOR_TAT, Params, Spec

TOL = 1e-9


@dataclass
class TalkState:
    """Talk memory of n runs; reset at each session's first round (shapes ``(n, A, I)``)."""

    aspiration: np.ndarray     # own utility asked by tit_for_tat / grit
    last_received: np.ndarray  # utility to a of the latest offer by someone else (nan: none)
    prev_received: np.ndarray  # ... and of the one before it
    idle: np.ndarray           # grit: own proposals since the others last reciprocated
    mediated: np.ndarray | None = None  # the mediator's proposal, the same every round
    # where each participant's weight is positive, ``(n, P, I)``, per participants ``who``
    cares: dict[tuple[int, ...], np.ndarray] = field(default_factory=dict)
    # time-dependent aspirations ``(n,)`` per (actor, tau): asked as a threshold, then
    # again by the same actor as the next proposer
    levels: dict[tuple[int, float], np.ndarray] = field(default_factory=dict)

    def caring(self, params: Params, who: np.ndarray) -> np.ndarray:
        """``params.weight[:, who] > 0``, computed once a session."""
        key = tuple(int(a) for a in who)
        if key not in self.cares:
            self.cares[key] = params.weight[:, who] > 0
        return self.cares[key]

    def timed_level(self, params: Params, a: int, tau: float) -> np.ndarray:
        """Actor a's time-dependent aspiration at tau, ``(n,)``, worked out once."""
        key = (int(a), tau)
        if key not in self.levels:
            self.levels[key] = of.aspiration(tau, params.reservation[:, a],
                                             params.exponent[:, a])
        return self.levels[key]

    @classmethod
    def fresh(cls, params: Params, spec: Spec) -> "TalkState":
        n, A, I = params.weight.shape
        asp = np.ones((n, A, I), order="F")     # runs innermost, as arrays.runs_last
        tft = spec.strategy == TIT_FOR_TAT
        asp[:, tft, :] = 1.0 - params.opening[:, tft, None]
        return cls(asp, np.full((n, A, I), np.nan, order="F"),
                   np.full((n, A, I), np.nan, order="F"),
                   np.zeros((n, A, I), dtype=np.int64, order="F"))


@dataclass
class Round:
    """What one talk round did: the offer ``(n, I)`` (nan off the agenda), the
    participants ``who`` ``(P,)``, which of them accepted ``(n, P, I)``, and the issues
    agreed ``(n, I)``; ``why`` holds, per participant and issue ``(n, P, I)``, whether
    the offer was inside its red lines, liked, and allowed by its linkage."""

    proposer: int        # actor index; -1 for a mediator
    offer: np.ndarray
    who: np.ndarray
    accepted: np.ndarray
    agreed: np.ndarray
    why: tuple[np.ndarray, np.ndarray, np.ndarray] = field(repr=False)

    @cached_property
    def reasons(self) -> np.ndarray:
        """(n, P, I): 0 accepted, 1 red line, 2 below aspiration, 3 linkage (made when
        asked: the batch engine never asks)."""
        inside, likes, linked = self.why
        return np.where(~inside, 1, np.where(~likes, 2, np.where(linked, 0, 3)))


def feasible_window(spec: Spec, session: int) -> tuple[np.ndarray, np.ndarray]:
    """Levels within every participant's public red line: ``(I,)`` low and high."""
    who = spec.participants[session]
    return spec.red_lo[who].max(axis=0), spec.red_hi[who].min(axis=0)


def _own_level(spec: Spec, params: Params, talk: TalkState, p: int, k: int,
               rounds: int) -> np.ndarray:
    """The utility proposer p asks for now, ``(n, I)`` (package sessions use column 0)."""
    kind = spec.strategy[p]
    n, _, I = talk.aspiration.shape
    if kind == TIME_DEPENDENT:
        level = talk.timed_level(params, p, of.session_tau(k, rounds))
        return np.broadcast_to(level[:, None], (n, I))
    if kind == HARDLINER:
        return np.ones((n, I), order="F")
    return talk.aspiration[:, p, :]


def _concede_by_reciprocity(spec: Spec, params: Params, talk: TalkState, p: int) -> None:
    """Before proposing, tit_for_tat and grit move their aspiration (in place)."""
    kind = spec.strategy[p]
    if kind not in (TIT_FOR_TAT, GRIT):
        return
    delta = talk.last_received[:, p] - talk.prev_received[:, p]
    delta = np.where(np.isfinite(delta), np.maximum(delta, 0.0), 0.0)
    reciprocal = params.reciprocity[:, p, None] * delta
    if kind == TIT_FOR_TAT:
        move = reciprocal
    else:
        seen = np.isfinite(talk.prev_received[:, p])
        talk.idle[:, p] = np.where(delta > TOL, 0, np.where(seen, talk.idle[:, p] + 1, 0))
        first = ~np.isfinite(talk.last_received[:, p]) & (talk.aspiration[:, p] >= 1.0)
        step = params.step[:, p, None]
        move = np.where(talk.idle[:, p] < params.wait[p], step, reciprocal)
        move = np.where(first, step, move)
    floor = params.reservation[:, p, None]
    talk.aspiration[:, p] = np.maximum(talk.aspiration[:, p] - move, floor)


def _thresholds(spec: Spec, params: Params, talk: TalkState, k: int, rounds: int,
                who: np.ndarray) -> np.ndarray:
    """What each actor in ``who`` would itself ask next, floored at its reservation:
    ``(n, P, I)`` for the P actors listed in ``who``."""
    n, _, I = talk.aspiration.shape
    out = np.empty((n, len(who), I), order="F")
    tau_next = of.session_tau(k + 1, rounds) if rounds > 1 else 1.0
    for j, a in enumerate(who):
        kind, asks = spec.strategy[a], out[:, j]
        if kind == RUBINSTEIN:
            # a Rubinstein responder plays the subgame-perfect equilibrium: it accepts at once
            asks[...] = -np.inf
            continue
        if kind == TIME_DEPENDENT:
            asks[...] = talk.timed_level(params, a, tau_next)[:, None]
        elif kind == HARDLINER:
            asks[...] = 1.0 - TOL
        else:
            asks[...] = talk.aspiration[:, a]
        np.maximum(asks, params.reservation[:, a, None], out=asks)
    return out


def make_offer(spec: Spec, params: Params, talk: TalkState, session: int, k: int,
               open_: np.ndarray) -> tuple[int, np.ndarray]:
    """The proposer of round k of a session and its offer ``(n, I)`` (nan where not open)."""
    order = spec.order[session]
    p = order[k % len(order)]
    rounds = int(spec.session_rounds[session])
    f_lo, f_hi = feasible_window(spec, session)
    span = spec.span
    if spec.mediated[session]:
        # the Nash solution depends on nothing that changes within a session (a package
        # stands or falls whole; issue by issue, each issue's solution is its own)
        if talk.mediated is None:
            who = np.array(order)
            talk.mediated = of.nash_bargaining(spec.ideal[who], span, params.weight[:, who],
                                               params.reservation[:, who], open_, f_lo, f_hi,
                                               bool(spec.package[session]))
        return -1, np.where(open_, talk.mediated, np.nan)
    own_lo, own_hi = spec.red_lo[p], spec.red_hi[p]
    lo_, hi_ = np.where(f_lo <= f_hi, f_lo, own_lo), np.where(f_lo <= f_hi, f_hi, own_hi)
    if spec.strategy[p] == RUBINSTEIN:
        j = order[(k + 1) % len(order)]
        share = of.rubinstein_share(k, rounds, params.patience[:, p], params.patience[:, j],
                                    bool(spec.infinite_horizon[p]))
        x = spec.ideal[j] + share[:, None] * (spec.ideal[p] - spec.ideal[j])
        return p, np.where(open_, np.clip(x, lo_, hi_), np.nan)
    _concede_by_reciprocity(spec, params, talk, p)
    others = spec.participants[session].copy()
    others[p] = False
    start, target, gain = of.start_and_target(p, others, spec.ideal, params.weight, open_,
                                              lo_, hi_)
    level = _own_level(spec, params, talk, p, k, rounds)
    weight_p = params.weight[:, p, :]
    cares = talk.caring(params, np.array([p]))                              # (n, 1, I)
    # every run starts from the same levels: their utility is worked out once
    u_start = of.utility_where(start[:1], spec.ideal[p:p + 1], span, cares)
    if spec.package[session]:
        own = of.package_utility(u_start, weight_p[:, None], open_)[:, 0]
        need = np.maximum(own - level[:, 0], 0.0)
        x = of.package_offer(start, target, need, weight_p, gain / span, span, open_)
    else:
        x = of.issue_offer(start, target, u_start[:, 0], level, span, cares[:, 0])
    return p, np.where(open_, x, np.nan)


def negotiate(spec: Spec, params: Params, talk: TalkState, session: int, k: int,
              open_: np.ndarray, agreed_before: np.ndarray, hooks: Hooks | None = None
              ) -> Round:
    """Round k of a session: an offer, the responses, and what is agreed (talk updated).

    Responses are computed for the session's participants only (P of the A actors).
    ``hooks`` may replace the offer and the answers (see :class:`Hooks`).
    """
    p, x = make_offer(spec, params, talk, session, k, open_)
    if hooks is not None and hooks.offer is not None and p >= 0:
        x = np.where(open_, hooks.offer(p, x), np.nan)
    rounds = int(spec.session_rounds[session])
    package = bool(spec.package[session])
    who = np.array(spec.order[session])
    xs = np.where(open_, x, spec.hi)
    u = of.utility_where(xs, spec.ideal[who], spec.span, talk.caring(params, who))  # (n, P, I)
    if package:
        u = np.broadcast_to(of.package_utility(u, params.weight[:, who], open_)[:, :, None],
                            u.shape)
    inside = ((xs[:, None, :] >= spec.red_lo[who][None] - TOL)
              & (xs[:, None, :] <= spec.red_hi[who][None] + TOL))
    if package:
        inside = np.broadcast_to(all_last(inside | ~open_[:, None, :])[:, :, None], u.shape)
    if spec.mediated[session]:
        # each accepts the mediator's proposal if it beats its reservation
        likes = u > params.reservation[:, who, None] + TOL
    else:
        threshold = _thresholds(spec, params, talk, k, rounds, who)
        threshold -= TOL
        likes = u >= threshold
    if p >= 0:
        q = int(np.flatnonzero(who == p)[0])
        # a proposer stands by its own offer unless red lines pushed it below its reservation
        likes[:, q, :] = (True if spec.strategy[p] == RUBINSTEIN
                          else u[:, q, :] >= params.reservation[:, p, None] - TOL)
    if hooks is not None and hooks.accept is not None:
        likes = hooks.accept(p, x, who, likes)
    accepted = inside & likes
    agreed = _with_linkage(spec, accepted, open_, agreed_before, package, who)
    linked = _linked(spec, agreed, agreed_before, who)
    _remember_offer(talk, u, who, p)
    return Round(p, x, who, accepted, agreed, (inside, likes, linked))


def _linked(spec: Spec, agreed_now: np.ndarray, agreed_before: np.ndarray,
            who: np.ndarray) -> np.ndarray:
    """(n, P, I): whether actor who[j]'s linkage lets it agree to issue i: only when
    every issue it insists on is agreed, before or in this round (so it gets all of the
    issues it links, or none of them, and nothing else without them)."""
    have = agreed_now | agreed_before
    n, I = have.shape
    out = np.ones((n, len(who), I), dtype=bool, order="F")
    for j, a in enumerate(who):
        if spec.insists[a].any():
            met = all_last(have[:, spec.insists[a]])                         # (n,)
            out[:, j, :] = met[:, None]
    return out


def _with_linkage(spec: Spec, accepted: np.ndarray, open_: np.ndarray,
                  agreed_before: np.ndarray, package: bool, who: np.ndarray) -> np.ndarray:
    """Unanimity, where an actor that insists on issues agrees to nothing without them.

    ``accepted`` ``(n, P, I)`` for the participants ``who``. The largest consistent set:
    start from plain unanimity and drop issues whose acceptance rests on linked issues
    that are not agreed, until nothing changes.
    """
    agreed = all_last(accepted.transpose(0, 2, 1)) & open_
    if package:
        agreed = (agreed | ~open_).all(axis=1, keepdims=True) & open_
    if not spec.insists[who].any() or not agreed.any():
        return agreed
    for _ in range(open_.shape[1] + 1):
        ok = accepted & _linked(spec, agreed, agreed_before, who)
        new = all_last(ok.transpose(0, 2, 1)) & open_
        if package:
            new = (new | ~open_).all(axis=1, keepdims=True) & open_
        if np.array_equal(new, agreed):
            break
        agreed = new
    return agreed


def _remember_offer(talk: TalkState, u: np.ndarray, who: np.ndarray, p: int) -> None:
    """Responders remember the utility the offer gave them (for reciprocal strategies).

    ``u`` ``(n, P, I)`` for the participants ``who``.
    """
    for j, a in enumerate(who):
        if a != p:
            talk.prev_received[:, a] = talk.last_received[:, a]
            talk.last_received[:, a] = u[:, j]
