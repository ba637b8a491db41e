"""The rules of one round as named phases, in MODEL.md's order (section 2).

Each phase is a function of the spec, the per-run parameters, the state of n runs and
the round ``t``; :class:`armsim.core.run.Run` calls them in order and keeps what one
phase hands the next (the proposal, the responses, the intended actions), which a
person may replace between phases. Every driver (the batch engine, the Mesa model,
``armsim explain``, the classroom) steps runs through :class:`~armsim.core.run.Run`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from armsim.core import agreements as ag
from armsim.core import beliefs as bl
from armsim.core import compliance as cp
from armsim.core import deadlock as dl
from armsim.core import dynamics as dy
from armsim.core import random as rnd
from armsim.core import talks as tk
from armsim.core.arrays import any_last, pairs_together, sum_last
from armsim.core.spec import Params, Spec
from armsim.core.state import State


@dataclass
class Turn:
    """A compliance turn between its two phases: who plays ``(n, A)``, who is bound with
    whom and who observes whom ``(n, A, A)``, the bound actors per issue ``(n, I, A)``,
    the live agreements ``(n, I)`` and the intended defections ``(n, A)``."""

    playing: np.ndarray
    pairs: np.ndarray
    observes: np.ndarray
    bound: np.ndarray
    live: np.ndarray
    intended: np.ndarray
    #: ``(n, A)`` the chance each actor's defection is detected this turn, or None: the
    #: environment's verification for all (docs/model.md 7.20.3)
    verification: np.ndarray | None = None


@dataclass
class Opened:
    """What happened at the start of a round, before the talks (docs/model.md 7.20.5):
    the outside events with the runs ``(n,)`` in which each acted, the agreements
    ``(n, I)`` extended, expired, entering into force and starting a phase of cuts."""

    events: list
    extended: np.ndarray
    expired: np.ndarray
    entered: np.ndarray
    phase: np.ndarray
    #: the agreements that collapsed by an event (a withdrawal)
    withdrawn: np.ndarray | None = None
    #: the final deals that replaced an interim one this round
    replaced: np.ndarray | None = None


# --- the start of a round: outside events, terms, entry into force -------------------

def open_round(spec: Spec, params: Params, state: State, t: int, events: tuple = ()
               ) -> Opened | None:
    """Before the talks of round t: the outside events of the round, in order (a
    withdrawal collapses what binds the actor, as 7.12's; a suspension lifts the binding
    until resumed; a new government's numbers were put in place by the caller), then
    the terms that run out (:func:`agreements.renewal`), then the levels from which a
    phased reduction cuts, for the agreements entering into force. None where the
    scenario has none of these."""
    timed = (spec.any_duration or spec.delayed or spec.phase_after.size
             or spec.any_interim)
    now = [e for e in events if e.round == t]
    if not (now or timed):
        return None
    replaced = _replace_interim(spec, state, t)
    before = state.collapsed.copy()
    happened = [(event, _event(spec, state, event)) for event in now]
    withdrawn = state.collapsed & ~before
    extended, expired = ag.renewal(spec, state, t)
    entered = state.in_force & (ag.entry_round(spec, state) == t)
    if state.baseline is not None:
        ag.record_baselines(spec, state, t)
    phase = np.zeros_like(entered)
    elapsed = t - ag.entry_round(spec, state)
    for i in np.flatnonzero((spec.phase_after >= 0).any(axis=1)):
        phase[:, i] = state.in_force[:, i] & np.isin(elapsed[:, i], spec.phase_after[i])
    return Opened(happened, extended, expired, entered, phase, withdrawn, replaced)


def _replace_interim(spec: Spec, state: State, t: int) -> np.ndarray | None:
    """The final deals signed under a live interim one that enter into force in round t
    replace it now (unless a crisis broke out meanwhile). Returns them ``(n, I)``."""
    if state.pending_round is None:
        return None
    delays = np.array([spec.delay(s) for s in range(len(spec.session_rounds))])   # (S, I)
    delay = delays[np.maximum(state.pending_session, 0), np.arange(delays.shape[1])]
    due = (state.pending_round >= 0) & (state.pending_round + 1 + delay <= t)
    due &= (state.crisis_round < 0)[:, None]
    for s, r in {(int(s), int(r)) for s, r in zip(state.pending_session[due],
                                                  state.pending_round[due])}:
        mine = due & (state.pending_session == s) & (state.pending_round == r)
        _sign(spec, state, s, r, mine, state.pending_level)
    state.pending_round = np.where(due | (state.crisis_round >= 0)[:, None], -1,
                                   state.pending_round)
    return due


def _event(spec: Spec, state: State, event) -> np.ndarray:
    """Carry out one outside event; returns the runs ``(n,)`` in which it acted."""
    target = state.in_force & np.array(event.issues)                         # (n, I)
    if event.kind == "withdraw":
        broken = target & state.bound[:, :, event.actor]
        _collapse(spec, state, broken)
        return broken.any(axis=1)
    if event.kind in ("suspend", "resume"):
        who = slice(None) if event.actor < 0 else slice(event.actor, event.actor + 1)
        mark = target[:, :, None] & state.bound[:, :, who]
        before = state.suspended[:, :, who].copy()
        if event.kind == "suspend":
            state.suspended[:, :, who] |= mark
        else:
            state.suspended[:, :, who] &= ~mark
        return (state.suspended[:, :, who] != before).any(axis=(1, 2))
    return np.ones(target.shape[0], bool)                    # a new government: every run


# --- talks: propose, respond, resolve -----------------------------------------------

def propose(spec: Spec, params: Params, state: State, t: int) -> tk.Proposal | None:
    """The offer of round t, if a session is on, no crisis has happened, it has not
    ended as a deadlock and an issue of its agenda is open in some run (:func:`open_talks`)."""
    opened = open_talks(spec, params, state, t)
    if opened is None:
        return None
    return tk.propose(spec, params, state.talk, *opened, state.beliefs)


def open_talks(spec: Spec, params: Params, state: State, t: int
               ) -> tuple[int, int, np.ndarray] | None:
    """The session, its round and the issues open ``(n, I)`` in round t, or None where
    no talks are held (no session on, or no issue open in any run: a crisis broke out,
    the session ended as a deadlock, everything is agreed). At a session's start the
    talk memory carries over from the session before (unless it says ``memory:
    reset``) and the deadlock count starts afresh."""
    s, k = spec.schedule(t)
    if s < 0:
        return None
    if state.talk is None or (k == 0 and not spec.session_memory[s]):
        state.talk = tk.TalkState.fresh(params, spec)
    elif k == 0:
        state.talk.carry_over()
    if k == 0 or state.stall is None:
        state.stall = dl.Stall.fresh(*params.weight.shape)
    calm = (state.crisis_round < 0) & ~state.stall.ended
    open_ = spec.agenda[s][None, :] & ag.negotiable(spec, state, s) & calm[:, None]
    if not open_.any():
        return None
    return s, k, open_


def respond(spec: Spec, params: Params, state: State, proposal: tk.Proposal) -> tk.Responses:
    """Every participant's answer to the proposal, by its strategy."""
    return tk.respond(spec, params, state.talk, proposal)


def resolve(spec: Spec, params: Params, state: State, t: int, proposal: tk.Proposal,
            responses: tk.Responses) -> tk.Round:
    """Unanimity, red lines and linkage decide; new agreements are recorded; a round in
    which nobody moved counts toward a deadlock (core/deadlock.py)."""
    result = tk.resolve(spec, state.talk, proposal, responses, state.agreed)
    new = result.agreed & proposal.open_
    still_open = proposal.open_ & ~new
    result.deadlock = dl.observe(spec, params, state.talk, state.stall, proposal.session,
                                 proposal.k, proposal.proposer, proposal.offer, still_open,
                                 responses.who, _thresholds(spec, params, state, proposal,
                                                            responses))
    settle(spec, state, t, proposal, result)
    return result


def settle(spec: Spec, state: State, t: int, proposal: tk.Proposal, result: tk.Round) -> None:
    """What a resolved talk round leaves: its new agreements recorded, and the runs whose
    session it ended as a deadlock."""
    new = result.agreed & proposal.open_
    if new.any():
        _record_agreement(spec, state, proposal.session, t, new, proposal.offer)
    if result.deadlock is not None:
        ended = result.deadlock.ended & (state.deadlock_round < 0)
        state.deadlock_round = np.where(ended, t, state.deadlock_round)
        state.deadlocked |= result.deadlock.ended


def learn(spec: Spec, params: Params, state: State, t: int, proposal: tk.Proposal,
          responses: tk.Responses) -> None:
    """Where red lines are private, every participant updates its beliefs about the
    others' true lines from their answers (:mod:`armsim.core.beliefs`)."""
    if state.beliefs is not None:
        bl.observe(spec, params, state.beliefs, t, responses.who, proposal.proposer,
                   proposal.offer, proposal.open_, responses.likes)


def _thresholds(spec: Spec, params: Params, state: State, proposal: tk.Proposal,
                responses: tk.Responses):
    """What each participant would accept, ``(n, P, I)``: the responses' thresholds,
    or worked out when a person replaced the responses without them."""
    if responses.threshold is not None:
        return responses.threshold
    return tk.thresholds(spec, params, state.talk, proposal.k,
                         int(spec.session_rounds[proposal.session]), responses.who)


def _record_agreement(spec: Spec, state: State, s: int, t: int, new: np.ndarray,
                      offer: np.ndarray) -> None:
    state.first_agreement = np.where((state.first_agreement < 0) & new.any(axis=1), t,
                                     state.first_agreement)
    if state.pending_round is not None:
        # a final deal on an issue under a live interim one waits for its own entry into
        # force, while the interim deal binds (docs/model.md 7.20.6)
        waits = new & state.interim & ag.live(spec, state, t)
        state.pending_level = np.where(waits, offer, state.pending_level)
        state.pending_round = np.where(waits, t, state.pending_round)
        state.pending_session = np.where(waits, s, state.pending_session)
        new = new & ~waits
    _sign(spec, state, s, t, new, offer)


def _sign(spec: Spec, state: State, s: int, t: int, new: np.ndarray,
          offer: np.ndarray) -> None:
    """Record the agreements ``new`` ``(n, I)`` signed in round t of session s at the
    levels ``offer`` ``(n, I)``."""
    who = spec.participants[s]
    state.agreed |= new
    state.level = np.where(new, offer, state.level)
    state.agreed_round = np.where(new, t, state.agreed_round)
    issue_ids = np.arange(new.shape[1])
    ids = t * 4096 + (0 if spec.package[s] else 1 + issue_ids)
    state.group = np.where(new, ids, state.group)
    bound = np.where(spec.binds_all[:, None], who[None, :], spec.binds)   # (I, A)
    state.party = np.where(new[:, :, None], who[None, None, :], state.party)
    state.bound = np.where(new[:, :, None], bound[None], state.bound)
    state.in_force |= new
    state.agreed_session = np.where(new, s, state.agreed_session)
    state.delay = np.where(new, spec.delay(s), state.delay)
    state.interim = np.where(new, spec.interim[s], state.interim)
    # a new agreement on an issue agreed before (docs/model.md 7.20.6) starts afresh
    state.detections = np.where(new, 0, state.detections)
    state.extended = np.where(new, 0, state.extended)
    if state.suspended is not None:
        state.suspended &= ~new[:, :, None]
    state.agreements_made += 1


# --- compliance: comply (intentions), verify (what follows) -------------------------

def comply(spec: Spec, params: Params, state: State, t: int, keys: np.ndarray) -> Turn | None:
    """Who is bound this turn and what each intends by its compliance strategy; None if
    no agreement is live in any run."""
    n, A = state.played.shape
    live = ag.live(spec, state, t)                                           # (n, I)
    if not live.any():
        return None
    bound = ag.bound_now(state) & live[:, :, None]                           # (n, I, A)
    playing = any_last(bound.transpose(0, 2, 1))
    if not playing.any():
        return Turn(playing, *(None,) * 4, np.zeros((n, A), bool))
    actors = np.arange(A)
    u = rnd.uniform(keys, rnd.counter(t, rnd.COMPLIANCE, actors))
    pairs = pairs_together(bound)                                            # (n, A, A)
    if spec.any_traded:                      # caps traded for relief: across the trade
        across = ag.across_trades(spec, bound, bound)
        pairs |= across | across.transpose(0, 2, 1)
    pairs &= spec.counterparts
    terms = None
    verification = ag.verification_now(spec, params, state, bound, live)     # (n, A) or None
    if spec.weighers.size:
        weighers = spec.weighers
        strikes = cp.strikes_left(state.detections, bound, spec.tolerance, weighers)
        if spec.withdrawal:
            strikes = np.minimum(strikes, cp.withdrawal_strikes(
                state.trust, pairs, params.trust_loss, spec.payoffs, weighers))
        terms = cp.Terms(params.verification if verification is None else verification,
                         params.sanction, spec.payoffs, params.patience, strikes)
    view = cp.ComplianceView(state.memory, u, params.compliance, state.theta, state.trust,
                             pairs, terms)
    intended = cp.intended_defections(spec.complier_groups, view)
    parties = state.party & live[:, :, None]
    observes = pairs_together(bound, parties)
    if spec.any_traded:
        observes |= ag.across_trades(spec, parties, bound)
    observes &= spec.counterparts
    return Turn(playing, pairs, observes, bound, live, intended, verification)


def verify(spec: Spec, params: Params, state: State, t: int, keys: np.ndarray,
           turn: Turn | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Noise flips intentions; defections are detected; memory, trust, payoffs, the
    tolerance. Returns actions (True: defect), who played, whose defection was detected,
    each ``(n, A)``."""
    n, A = state.played.shape
    nobody = np.zeros((n, A), bool)
    if turn is None or turn.pairs is None:
        return nobody, nobody if turn is None else turn.playing, nobody
    actors = np.arange(A)
    playing, pairs, observes, bound, live = (turn.playing, turn.pairs, turn.observes,
                                             turn.bound, turn.live)
    flip = (rnd.uniform(keys, rnd.counter(t, rnd.NOISE_FLIP, actors))
            < params.compliance_noise[:, None])
    actions = (turn.intended ^ flip) & playing
    chance = params.verification[:, None] if turn.verification is None else turn.verification
    detected = actions & (rnd.uniform(keys, rnd.counter(t, rnd.DETECTION, actors)) < chance)
    seen = any_last(observes & detected[:, None, :])
    cp.remember(state.memory, playing, seen, actions)
    state.trust = cp.update_trust(state.trust, observes, detected, params.trust_gain,
                                  params.trust_loss)
    state.payoff += cp.pair_payoffs(actions, pairs, spec.payoffs)
    if spec.sanctioned:
        state.payoff -= params.sanction[:, None] * detected
    state.pair_turns += sum_last(pairs)
    state.played += playing
    state.complied += playing & ~actions
    state.detections += sum_last(bound & detected[:, None, :])
    if spec.tolerance:
        _collapse(spec, state, live & (state.detections >= spec.tolerance))
    if spec.withdrawal:
        leaving = cp.withdraws(state.trust, pairs, playing, spec.payoffs)        # (n, A)
        _collapse(spec, state, live & any_last(bound & leaving[:, None, :]))
    return actions, playing, detected


def _collapse(spec: Spec, state: State, broken: np.ndarray) -> None:
    """The ``broken`` agreements ``(n, I)`` collapse, with those agreed together with them
    (a package) and those traded for them (docs/model.md 7.12, 7.20.2)."""
    if not broken.any():
        return
    hit = ag.fallen_with(spec, state.group, broken, state.in_force)
    state.collapsed |= hit
    state.in_force &= ~hit


# --- forces, tension, crisis -------------------------------------------------------

def forces(spec: Spec, params: Params, state: State, t: int, keys: np.ndarray,
           actions: np.ndarray, playing: np.ndarray) -> None:
    """Richardson dynamics; compliers keep to the caps of agreements in force."""
    H, n = state.x.shape
    cap = None
    live = ag.live(spec, state, t)
    bound = ag.bound_now(state)
    complier = playing & ~actions
    capped = np.flatnonzero(spec.caps >= 0) if complier.any() else ()
    ceiling = ag.ceilings(spec, state, t) if complier.any() else None    # phased: (n, I, A)
    for i in capped:
        holds = live[:, i, None] & bound[:, i, :] & complier                    # (n, A)
        if not holds.any():
            continue
        cap = np.full((H, n), np.inf) if cap is None else cap
        for h in np.flatnonzero(spec.held_force == spec.caps[i]):
            keeps = holds[:, spec.held_actor[h]]
            agreed = state.level[:, i] if ceiling is None else ceiling[:, i, spec.held_actor[h]]
            level = np.maximum(agreed, 0.0)  # a cap below 0 (range lo < 0) keeps 0
            cap[h] = np.where(keeps, np.minimum(cap[h], level), cap[h])
    shock = None
    c = state.cells
    if spec.noisy_forces and H:
        shock = rnd.normal_rows(keys, rnd.counter(t, rnd.FORCE_NOISE, np.arange(H)))
        shock *= c["noise"] if "noise" in c else params.noise     # (H, n): each force's sd
    links = (spec.link_target, spec.link_source, c["link"]) if "link" in c else None
    state.x = dy.step_forces(state.x, spec.threat_sources, (c["keep"], c["rt"], c["dg"]),
                             shock, c["top"], cap, links)
    if spec.totals.size and complier.any():
        holds = live[:, :, None] & bound & complier[:, None, :]                 # (n, I, A)
        level = (np.broadcast_to(state.level[:, :, None], holds.shape) if ceiling is None
                 else ceiling)
        state.x = ag.hold_to_totals(spec, state.x, holds, level)


def tension(spec: Spec, params: Params, state: State, t: int, keys: np.ndarray) -> None:
    """Tension from forces, mistrust and agreements in force."""
    state.theta = dy.climate(dy.force_share(state.x, state.cells["top"], len(keys)),
                             _mistrust(spec, state), dy.agreed_share(ag.in_effect(state)),
                             state.climate["weights"])
    state.theta_sum += state.theta


def crisis(spec: Spec, params: Params, state: State, t: int, keys: np.ndarray) -> None:
    """The crisis draw: absorbing; agreements lapse."""
    calm = state.crisis_round < 0
    chance = dy.crisis_probability(state.theta, params.hazard, params.crisis_exponent)
    breaks = calm & (rnd.uniform(keys, rnd.counter(t, rnd.CRISIS)) < chance)
    if breaks.any():
        state.crisis_round = np.where(breaks, t, state.crisis_round)
        state.in_force &= ~breaks[:, None]


def _mistrust(spec: Spec, state: State) -> np.ndarray:
    """The mistrust term of tension ``(n,)``, recomputed only when the trust changed
    (:func:`verify` replaces ``state.trust`` when it moves)."""
    memo = state.climate
    if memo.get("trust") is not state.trust:
        memo["trust"], memo["mistrust"] = state.trust, dy.mistrust(state.trust, spec.rivals)
    return memo["mistrust"]
