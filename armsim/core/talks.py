"""Talks: one round of a session (MODEL.md section 2, step 1).

The proposer rotates over the participants in their listed order; it offers a
level for each open agenda issue by its strategy; every other participant accepts
or rejects; unanimity makes an agreement. ``negotiate`` changes the talk state in
place and returns what happened, for trajectories and for ``armsim explain``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Callable

import numpy as np

from armsim.core import beliefs as bl
from armsim.core import offers as of
from armsim.core import rules
from armsim.core.arrays import all_last
from armsim.core.spec import Params, Spec

TOL = 1e-9


@dataclass
class TalkState:
    """Talk memory of n runs (shapes ``(n, A, I)``): made at the first session's first
    round, carried into each later session (:meth:`carry_over`) unless the session
    says ``memory: reset``.

    What every negotiator keeps is here by name; what one strategy keeps beyond that
    (its class's ``memory``) is in ``memory``, and ``remember`` keeps what a strategy
    works out once a session (a time-dependent aspiration, say).
    """

    aspiration: np.ndarray     # own utility asked by strategies that keep an aspiration
    last_received: np.ndarray  # utility to a of the latest offer by someone else (nan: none)
    prev_received: np.ndarray  # ... and of the one before it
    memory: dict[str, np.ndarray] = field(default_factory=dict)
    mediated: np.ndarray | None = None  # the mediator's proposal, the same every round
    # where each participant's weight is positive, ``(n, P, I)``, per participants ``who``
    cares: dict[tuple[int, ...], np.ndarray] = field(default_factory=dict)
    worked_out: dict[Any, Any] = field(default_factory=dict)

    def caring(self, params: Params, who: np.ndarray) -> np.ndarray:
        """``params.weight[:, who] > 0``, computed once a session."""
        key = tuple(int(a) for a in who)
        if key not in self.cares:
            self.cares[key] = params.weight[:, who] > 0
        return self.cares[key]

    def remember(self, key: Any, compute: Callable[[], np.ndarray]) -> np.ndarray:
        """``compute()``, worked out once a session for ``key``."""
        if key not in self.worked_out:
            self.worked_out[key] = compute()
        return self.worked_out[key]

    def carry_over(self) -> "TalkState":
        """Into the next session: aspirations, the strategies' memory and the offers
        received are kept; the next offer received is compared with the last one of
        the session before (so what was seen counts once); a mediator's proposal and
        what was worked out for one session's participants are not kept."""
        self.prev_received = self.last_received.copy(order="F")
        self.mediated = None
        self.cares.clear()
        return self

    @classmethod
    def fresh(cls, params: Params, spec: Spec) -> "TalkState":
        n, A, I = params.weight.shape
        asp = np.ones((n, A, I), order="F")     # runs innermost, as arrays.runs_last
        memory = {name: np.zeros((n, A, I), dtype=dtype, order="F")
                  for strategy in spec.negotiators for name, dtype in strategy.memory.items()}
        talk = cls(asp, np.full((n, A, I), np.nan, order="F"),
                   np.full((n, A, I), np.nan, order="F"), memory)
        for a, strategy in enumerate(spec.negotiators):
            strategy.open(talk, params, a)
        return talk


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
    #: what the offer is worth to each participant and what each would accept (its
    #: threshold, -inf for one that accepts at once), ``(n, P, I)``: references to the
    #: responses' arrays, for ``armsim explain``
    worth: np.ndarray | None = field(default=None, repr=False)
    needs: np.ndarray | None = field(default=None, repr=False)
    #: a deadlock declared in this round (:class:`armsim.core.deadlock.Declared`)
    deadlock: Any = field(default=None, repr=False)

    @cached_property
    def reasons(self) -> np.ndarray:
        """(n, P, I) :class:`~armsim.core.rules.Refusal` codes (0 accepted), made when
        asked: the batch engine never asks."""
        return rules.refusals(*self.why)


def feasible_window(spec: Spec, session: int, params: Params | None = None
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Levels within every participant's stated red line: ``(I,)`` low and high (``(n, I)``
    where the runs of ``params`` drew their own lines), whole on whole-number issues."""
    low, high = rules.common_window(spec.limit(params, "stated_lo"),
                                    spec.limit(params, "stated_hi"), spec.participants[session])
    return rules.whole_window(low, high, spec.whole)


def asked_level(spec: Spec, params: Params, talk: TalkState, p: int, k: int,
                rounds: int) -> np.ndarray:
    """The utility proposer p asks for at round k of a session of ``rounds``, ``(n, I)``
    (package sessions use column 0): its strategy's ``ask``."""
    return spec.negotiators[p].ask(talk, params, p, k, rounds)


def thresholds(spec: Spec, params: Params, talk: TalkState, k: int, rounds: int,
               who: np.ndarray) -> np.ndarray:
    """What each actor in ``who`` would itself ask next, floored at its reservation:
    ``(n, P, I)`` for the P actors listed in ``who`` (-inf for those that accept at once)."""
    n, _, I = talk.aspiration.shape
    out = np.empty((n, len(who), I), order="F")
    for j, a in enumerate(who):
        strategy, asks = spec.negotiators[a], out[:, j]
        if strategy.accepts_at_once:
            asks[...] = -np.inf
            continue
        asks[...] = strategy.threshold(talk, params, a, k, rounds)
        np.maximum(asks, params.reservation[:, a, None], out=asks)
    return out


def make_offer(spec: Spec, params: Params, talk: TalkState, session: int, k: int,
               open_: np.ndarray, beliefs: bl.Beliefs | None = None) -> tuple[int, np.ndarray]:
    """The proposer of round k of a session and its offer ``(n, I)`` (nan where not open),
    within what it believes the participants accept (``beliefs``; None: the public lines)."""
    order = spec.order[session]
    p = order[k % len(order)]
    rounds = int(spec.session_rounds[session])
    span = spec.span
    ideal = spec.limit(params, "ideal")
    if spec.mediated[session]:
        # the Nash solution depends on nothing that changes within a session (a package
        # stands or falls whole; issue by issue, each issue's solution is its own); the
        # chair is anonymous (-1) or a participant named as the session's mediator, whose
        # own utility is in the product like every participant's
        if talk.mediated is None:
            who = np.array(order)
            f_lo, f_hi = feasible_window(spec, session, params)
            talk.mediated = of.nash_bargaining(ideal[..., who, :], span, params.weight[:, who],
                                               params.reservation[:, who], open_, f_lo, f_hi,
                                               bool(spec.package[session]),
                                               side=spec.sides(who),
                                               whole=spec.whole if spec.any_whole else None)
        return int(spec.session_mediator[session]), np.where(open_, talk.mediated, np.nan)
    if beliefs is None:      # the same every round while the open issues stay the same
        setup = _kept_setup(spec, params, talk, session, p, open_)
    else:                    # what the proposer believes moves from round to round
        setup = _offer_setup(spec, params, talk, session, p, open_, beliefs)
    lo_, hi_, start, target, gain, cares, u_start, free = setup
    strategy = spec.negotiators[p]
    own = strategy.offer(spec, params, talk, session, k, p, (lo_, hi_))
    if own is not None:
        if spec.any_whole:
            own = of.whole_offer(own, start, lo_, hi_, spec.whole)
        return p, np.where(open_, own, np.nan)
    strategy.concede(talk, params, p)
    level = asked_level(spec, params, talk, p, k, rounds)
    if spec.package[session]:
        weight_p = params.weight[:, p, :]
        own = of.package_utility(u_start, weight_p[:, None], open_)[:, 0]
        need = np.maximum(own - level[:, 0], 0.0)
        x = of.package_offer(start, target, need, weight_p, gain / span, span, open_, free)
    else:
        x = of.issue_offer(start, target, u_start[:, 0], level, span, cares[:, 0], free)
    if spec.any_whole:
        x = of.whole_offer(x, start, lo_, hi_, spec.whole)
    return p, np.where(open_, x, np.nan)


def _kept_setup(spec: Spec, params: Params, talk: TalkState, session: int, p: int,
                open_: np.ndarray) -> tuple:
    """:func:`_offer_setup` without beliefs, worked out again only when a run that still
    has an issue open has different issues open than when it was last worked out: a run
    whose session has ended for it (nothing open) is offered nothing, so what was worked
    out for it does not matter."""
    key = ("offer", session, p)
    kept = talk.worked_out.get(key)
    if kept is not None:
        then, setup = kept
        if then.shape == open_.shape:
            changed = then != open_
            if not changed.any() or not (changed.any(axis=1) & open_.any(axis=1)).any():
                return setup
    setup = _offer_setup(spec, params, talk, session, p, open_, None)
    talk.worked_out[key] = (open_.copy(), setup)
    return setup


def _offer_setup(spec: Spec, params: Params, talk: TalkState, session: int, p: int,
                 open_: np.ndarray, beliefs: bl.Beliefs | None) -> tuple:
    """Where proposer p's offers in a session start from, given the open issues
    ``open_`` ``(n, I)``: the window it offers in (low, high), its start, the others'
    target and gain per unit (:func:`offers.start_and_target`), where it cares, its
    utility at the start ``(n or 1, 1, I)`` and the issues on which it moves for free
    (one-sided preferences; None without)."""
    ideal, span = spec.limit(params, "ideal"), spec.span
    f_lo, f_hi = rules.whole_window(*bl.offer_window(spec, params, beliefs, session, p),
                                    spec.whole)
    own_lo, own_hi = rules.whole_window(*bl.own_window(spec, params, p), spec.whole)
    lo_, hi_ = np.where(f_lo <= f_hi, f_lo, own_lo), np.where(f_lo <= f_hi, f_hi, own_hi)
    others = spec.participants[session].copy()
    others[p] = False
    start, target, gain = of.start_and_target(p, others, ideal, params.weight, open_,
                                              lo_, hi_)
    cares = talk.caring(params, np.array([p]))                              # (n, 1, I)
    # every run starts from the same levels (unless they drew their own): their utility
    # is worked out once
    same = ideal.ndim == 2 and np.ndim(lo_) == 1
    side = spec.sides([p])                                                  # (1, I) or None
    u_start = of.utility_where(start[:1] if same else start, ideal[..., p:p + 1, :], span, cares,
                               side)
    free = None if side is None else of.free_moves(start, target, side[0])
    return lo_, hi_, start, target, gain, cares, u_start, free


@dataclass
class Proposal:
    """The offer on the table in round k of a session: ``offer`` ``(n, I)`` (nan where
    not open) by ``proposer`` (an actor index; -1 for the mediator)."""

    session: int
    k: int
    open_: np.ndarray
    proposer: int
    offer: np.ndarray


@dataclass
class Responses:
    """What the participants ``who`` ``(P,)`` make of a proposal, each ``(n, P, I)``: the
    offer's utility to them, whether it is inside their red lines, and whether they like
    it (what their strategies answer; a decision that a person may replace)."""

    who: np.ndarray
    utility: np.ndarray
    inside: np.ndarray
    likes: np.ndarray
    #: what each needs: the utility from which it accepts (its threshold less TOL; its
    #: reservation at a mediated table, which an offer must beat)
    threshold: np.ndarray | None = None


def propose(spec: Spec, params: Params, talk: TalkState, session: int, k: int,
            open_: np.ndarray, beliefs: bl.Beliefs | None = None) -> Proposal:
    """Round k of a session, first step: the proposer's offer (talk memory moves)."""
    p, x = make_offer(spec, params, talk, session, k, open_, beliefs)
    return Proposal(session, k, open_, p, x)


def respond(spec: Spec, params: Params, talk: TalkState, proposal: Proposal) -> Responses:
    """Second step: every participant's answer to the offer by its strategy (the
    proposer stands by its own offer unless red lines pushed it below its reservation).

    Responses are computed for the session's participants only (P of the A actors).
    """
    session, k, open_, p = proposal.session, proposal.k, proposal.open_, proposal.proposer
    rounds = int(spec.session_rounds[session])
    package = bool(spec.package[session])
    who = np.array(spec.order[session])
    xs = np.where(open_, proposal.offer, spec.hi)
    u = of.utility_where(xs, spec.limit(params, "ideal")[..., who, :], spec.span,
                         talk.caring(params, who), spec.sides(who))         # (n, P, I)
    if package:
        u = np.broadcast_to(of.package_utility(u, params.weight[:, who], open_)[:, :, None],
                            u.shape)
    inside = rules.inside_red_lines(xs, spec.limit(params, "red_lo")[..., who, :],
                                    spec.limit(params, "red_hi")[..., who, :])
    if package:
        inside = np.broadcast_to(all_last(inside | ~open_[:, None, :])[:, :, None], u.shape)
    if spec.mediated[session]:
        # each accepts the mediator's proposal if it beats its reservation
        threshold = np.broadcast_to(params.reservation[:, who, None], u.shape)
        likes = u > threshold + TOL
    else:
        threshold = thresholds(spec, params, talk, k, rounds, who)
        threshold -= TOL
        likes = u >= threshold
    if p >= 0 and not spec.mediated[session]:   # a mediator answers as every participant
        q = int(np.flatnonzero(who == p)[0])
        likes[:, q, :] = spec.negotiators[p].stands_by(u[:, q, :],
                                                       params.reservation[:, p, None])
    return Responses(who, u, inside, likes, threshold)


def resolve(spec: Spec, talk: TalkState, proposal: Proposal, responses: Responses,
            agreed_before: np.ndarray) -> Round:
    """Third step: unanimity within red lines, packages and linkage; responders remember
    what the offer gave them. Returns what the round did."""
    who, open_ = responses.who, proposal.open_
    package = bool(spec.package[proposal.session])
    accepted = responses.inside & responses.likes
    agreed = _with_linkage(spec, proposal.session, accepted, open_, agreed_before, package,
                           who)
    linked = _linked(spec, proposal.session, agreed, agreed_before, who)
    _remember_offer(talk, responses.utility, who, proposal.proposer)
    return Round(proposal.proposer, proposal.offer, who, accepted, agreed,
                 (responses.inside, responses.likes, linked), responses.utility,
                 responses.threshold)


def negotiate(spec: Spec, params: Params, talk: TalkState, session: int, k: int,
              open_: np.ndarray, agreed_before: np.ndarray) -> Round:
    """Round k of a session: an offer, the responses, and what is agreed (talk updated)."""
    proposal = propose(spec, params, talk, session, k, open_)
    return resolve(spec, talk, proposal, respond(spec, params, talk, proposal), agreed_before)


def _linked(spec: Spec, session: int, agreed_now: np.ndarray, agreed_before: np.ndarray,
            who: np.ndarray) -> np.ndarray:
    """(n, P, I): whether actor who[j]'s linkage lets it agree to issue i: only when
    every issue it insists on in this session (its own ``insists`` and the session's) is
    agreed, before or in this round (so it gets all of the issues it links, or none of
    them, and nothing else without them)."""
    n, I = agreed_now.shape
    out = np.ones((n, len(who), I), dtype=bool, order="F")
    for j, met in _linkage_met(spec, session, agreed_now, agreed_before, who):
        out[:, j, :] = met[:, None]
    return out


def _linkage_met(spec: Spec, session: int, agreed_now: np.ndarray, agreed_before: np.ndarray,
                 who: np.ndarray) -> list[tuple[int, np.ndarray]]:
    """``(j, met)`` for each participant who[j] that insists on issues in this session:
    whether every one of them is agreed, before or in this round, ``(n,)``. (``who`` is
    the session's participants in their listed order.)"""
    have = agreed_now | agreed_before
    return [(j, all_last(have[:, issues])) for j, issues in spec.linkers(session)]


def _with_linkage(spec: Spec, session: int, accepted: np.ndarray, open_: np.ndarray,
                  agreed_before: np.ndarray, package: bool, who: np.ndarray) -> np.ndarray:
    """Unanimity, where an actor that insists on issues agrees to nothing without them.

    ``accepted`` ``(n, P, I)`` for the participants ``who``. The largest consistent set:
    start from plain unanimity and drop issues whose acceptance rests on linked issues
    that are not agreed, until nothing changes. (An acceptance counts where its
    participant's linkage is met, which is one condition per run and participant, so
    unanimity with linkage is plain unanimity where every insisting participant's
    linkage is met.)
    """
    unanimous = all_last(accepted.transpose(0, 2, 1)) & open_
    agreed = _whole_package(unanimous, open_) if package else unanimous
    if not spec.linkers(session) or not agreed.any():
        return agreed
    for _ in range(open_.shape[1] + 1):
        new = unanimous.copy()
        for _, met in _linkage_met(spec, session, agreed, agreed_before, who):
            new &= met[:, None]
        if package:
            new = _whole_package(new, open_)
        if np.array_equal(new, agreed):
            break
        agreed = new
    return agreed


def _whole_package(agreed: np.ndarray, open_: np.ndarray) -> np.ndarray:
    """A package stands or falls whole: its open issues are agreed only all together."""
    return (agreed | ~open_).all(axis=1, keepdims=True) & open_


def _remember_offer(talk: TalkState, u: np.ndarray, who: np.ndarray, p: int) -> None:
    """Responders remember the utility the offer gave them (for reciprocal strategies).

    ``u`` ``(n, P, I)`` for the participants ``who``.
    """
    for j, a in enumerate(who):
        if a != p:
            talk.prev_received[:, a] = talk.last_received[:, a]
            talk.last_received[:, a] = u[:, j]
