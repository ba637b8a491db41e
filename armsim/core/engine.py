"""The batch kernel: a chunk of runs, round after round, in MODEL.md's order.

``simulate`` takes a :class:`Spec`, per-run :class:`Params` and the run indices of
a chunk, and returns the per-run outputs of MODEL.md section 5 (and, on request,
per-round trajectories). It is pure NumPy; each rule is a function of arrays in
:mod:`talks`, :mod:`compliance` and :mod:`dynamics`, which the Mesa engine calls too.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from armsim.core import compliance as cp
from armsim.core import dynamics as dy
from armsim.core import random as rnd
from armsim.core.arrays import any_last, pairs_together, power, runs_last, sum_last
from armsim.core.hooks import Hooks
from armsim.core.offers import issue_utility
from armsim.core.spec import Params, Spec
from armsim.core.talks import Round, TalkState, negotiate


@dataclass
class State:
    """Everything that changes during n runs. Shapes in comments."""

    x: np.ndarray                 # (H, n) levels of the held force cells, runs last
    trust: np.ndarray             # (n, A, A)
    agreed: np.ndarray            # (n, I) an agreement was made on the issue
    level: np.ndarray             # (n, I) agreed level (nan: none)
    agreed_round: np.ndarray      # (n, I) int, -1
    group: np.ndarray             # (n, I) int: issues agreed together collapse together
    party: np.ndarray             # (n, I, A) participants of the agreement
    bound: np.ndarray             # (n, I, A) actors the agreement binds
    in_force: np.ndarray          # (n, I)
    collapsed: np.ndarray         # (n, I) the agreement collapsed
    detections: np.ndarray        # (n, I) detected defections counted against it
    crisis_round: np.ndarray      # (n,) int, -1
    theta: np.ndarray             # (n,) tension of the latest round
    theta_sum: np.ndarray         # (n,)
    memory: cp.Memory
    complied: np.ndarray          # (n, A) turns complied
    played: np.ndarray            # (n, A) turns played
    payoff: np.ndarray            # (n, A) payoff summed over turns and pairs
    pair_turns: np.ndarray        # (n, A) pairs summed over turns
    cells: dict[str, np.ndarray] = field(default_factory=dict)  # per-cell params (H, n)
    # tension weights (4, n) and the mistrust term of the trust array it was computed from
    climate: dict[str, np.ndarray] = field(default_factory=dict)
    talk: TalkState | None = None
    trace: dict[str, list[np.ndarray]] = field(default_factory=dict)


def held_cells(spec: Spec, values: np.ndarray) -> np.ndarray:
    """``(n, A, K)`` per-actor, per-force values -> ``(H, n)`` for the held cells."""
    return np.ascontiguousarray(values[:, spec.held_actor, spec.held_force].T)


def all_cells(spec: Spec, x: np.ndarray) -> np.ndarray:
    """``(H, n)`` held cells -> ``(n, A, K)``, zero where an actor holds no such force."""
    out = np.zeros((x.shape[1], len(spec.actors), len(spec.forces)))
    out[:, spec.held_actor, spec.held_force] = x.T
    return out


def initial_state(spec: Spec, params: Params) -> State:
    """Round 0's state; per-run arrays of issues and actors keep their runs innermost in
    memory (see :func:`runs_last`), as the talks build theirs."""
    n, A, I = params.weight.shape
    top = spec.force_max[spec.held_force][:, None]
    x = np.clip(held_cells(spec, params.initial), 0.0, top)
    in_force = np.zeros((n, I), bool, order="F")
    theta = dy.tension(x, top, params.trust, spec.rivals, in_force, params.tension)
    keep, rt, dg = dy.richardson_terms(*(held_cells(spec, getattr(params, name))
                                         for name in ("reaction", "fatigue", "grievance")),
                                       spec.dt)
    cells = {"keep": keep, "rt": rt, "dg": dg, "top": top}
    climate = {"weights": np.ascontiguousarray(params.tension.T)}
    zeros = np.zeros((n, A))
    return State(
        x=x, trust=params.trust.copy(), agreed=np.zeros((n, I), bool, order="F"),
        level=np.full((n, I), np.nan, order="F"), agreed_round=np.full((n, I), -1, order="F"),
        group=np.full((n, I), -1, order="F"), party=np.zeros((n, I, A), bool),
        bound=np.zeros((n, I, A), bool), in_force=in_force,
        collapsed=np.zeros((n, I), bool, order="F"),
        detections=np.zeros((n, I), np.int64), crisis_round=np.full(n, -1), theta=theta,
        theta_sum=np.zeros(n), memory=cp.Memory.fresh(n, A), complied=zeros.copy(),
        played=zeros.copy(), payoff=zeros.copy(), pair_turns=zeros.copy(), cells=cells,
        climate=climate)


def talk_round(spec: Spec, params: Params, state: State, t: int,
               hooks: Hooks | None = None) -> Round | None:
    """Step 1: a round of talks, if a session is on and no crisis has happened."""
    s, k = spec.schedule(t)
    if s < 0:
        return None
    if k == 0 or state.talk is None:
        state.talk = TalkState.fresh(params, spec)
    calm = state.crisis_round < 0
    open_ = spec.agenda[s][None, :] & ~state.agreed & calm[:, None]
    if not open_.any():
        return None
    result = negotiate(spec, params, state.talk, s, k, open_, state.agreed, hooks)
    new = result.agreed & open_
    if new.any():
        _record_agreement(spec, state, s, t, new, result.offer)
    return result


def _record_agreement(spec: Spec, state: State, s: int, t: int, new: np.ndarray,
                      offer: np.ndarray) -> None:
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


def compliance_round(spec: Spec, params: Params, state: State, t: int, keys: np.ndarray,
                     hooks: Hooks | None = None
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Step 2: bound actors comply or defect; detection, trust, payoffs, collapse.

    Returns actions ``(n, A)`` (True: defect), who played and whose defection was
    detected (both ``(n, A)``). ``hooks.comply`` may replace the intended actions.
    """
    n, A = state.played.shape
    live = state.in_force & (state.agreed_round < t)                        # (n, I)
    if not live.any():
        return np.zeros((n, A), bool), np.zeros((n, A), bool), np.zeros((n, A), bool)
    bound = (state.bound & live[:, :, None])                                 # (n, I, A)
    playing = any_last(bound.transpose(0, 2, 1))
    if not playing.any():
        return np.zeros((n, A), bool), playing, np.zeros((n, A), bool)
    actors = np.arange(A)
    u = rnd.uniform(keys, rnd.counter(t, rnd.COMPLIANCE, actors))
    others = ~np.eye(A, dtype=bool)
    pairs = pairs_together(bound) & others                                   # (n, A, A)
    view = cp.ComplianceView(state.memory, u, params.compliance, state.theta, state.trust,
                             pairs)
    intended = cp.intended_defections(spec.complier_groups, view)
    observes = pairs_together(bound, state.party & live[:, :, None]) & others
    if hooks is not None and hooks.comply is not None:
        intended = hooks.comply(intended, playing, observes)
    flip = rnd.uniform(keys, rnd.counter(t, rnd.NOISE_FLIP, actors)) < params.compliance_noise[:, None]
    actions = (intended ^ flip) & playing
    detected = actions & (rnd.uniform(keys, rnd.counter(t, rnd.DETECTION, actors))
                          < params.verification[:, None])
    seen = any_last(observes & detected[:, None, :])
    cp.remember(state.memory, playing, seen, actions)
    state.trust = cp.update_trust(state.trust, observes, detected, params.trust_gain,
                                  params.trust_loss)
    state.payoff += cp.pair_payoffs(actions, pairs, spec.payoffs)
    state.pair_turns += sum_last(pairs)
    state.played += playing
    state.complied += playing & ~actions
    state.detections += sum_last(bound & detected[:, None, :])
    if spec.tolerance:
        _collapse(state, live & (state.detections >= spec.tolerance))
    return actions, playing, detected


def _collapse(state: State, broken: np.ndarray) -> None:
    if not broken.any():
        return
    same = state.group[:, :, None] == state.group[:, None, :]                # (n, I, I)
    hit = (same & broken[:, None, :]).any(axis=2) & state.in_force
    state.collapsed |= hit
    state.in_force &= ~hit


def force_round(spec: Spec, params: Params, state: State, t: int, keys: np.ndarray,
                actions: np.ndarray, playing: np.ndarray) -> None:
    """Step 3: Richardson dynamics; compliers keep to the caps of agreements in force."""
    H, n = state.x.shape
    cap = None
    live = state.in_force & (state.agreed_round < t)
    complier = playing & ~actions
    capped = np.flatnonzero(spec.caps >= 0) if complier.any() else ()
    for i in capped:
        holds = live[:, i, None] & state.bound[:, i, :] & complier              # (n, A)
        if not holds.any():
            continue
        cap = np.full((H, n), np.inf) if cap is None else cap
        for h in np.flatnonzero(spec.held_force == spec.caps[i]):
            keeps = holds[:, spec.held_actor[h]]
            level = np.maximum(state.level[:, i], 0.0)  # a cap below 0 (range lo < 0) keeps 0
            cap[h] = np.where(keeps, np.minimum(cap[h], level), cap[h])
    shock = None
    if spec.noisy_forces and H:
        shock = rnd.normal_rows(keys, rnd.counter(t, rnd.FORCE_NOISE, np.arange(H)))
        shock *= params.noise
    c = state.cells
    state.x = dy.step_forces(state.x, spec.threat_sources, (c["keep"], c["rt"], c["dg"]),
                             shock, c["top"], cap)


def tension_and_crisis(spec: Spec, params: Params, state: State, t: int,
                       keys: np.ndarray) -> None:
    """Steps 4 and 5: tension from forces, mistrust and agreements; the crisis draw."""
    state.theta = dy.climate(dy.force_share(state.x, state.cells["top"], len(keys)),
                             _mistrust(spec, state), dy.agreed_share(state.in_force),
                             state.climate["weights"])
    state.theta_sum += state.theta
    calm = state.crisis_round < 0
    chance = dy.crisis_probability(state.theta, params.hazard, params.crisis_exponent)
    breaks = calm & (rnd.uniform(keys, rnd.counter(t, rnd.CRISIS)) < chance)
    if breaks.any():
        state.crisis_round = np.where(breaks, t, state.crisis_round)
        state.in_force &= ~breaks[:, None]


def _mistrust(spec: Spec, state: State) -> np.ndarray:
    """The mistrust term of tension ``(n,)``, recomputed only when the trust changed
    (:func:`compliance_round` replaces ``state.trust`` when it moves)."""
    memo = state.climate
    if memo.get("trust") is not state.trust:
        memo["trust"], memo["mistrust"] = state.trust, dy.mistrust(state.trust, spec.rivals)
    return memo["mistrust"]


def step(spec: Spec, params: Params, state: State, t: int, keys: np.ndarray,
         hooks: Hooks | None = None) -> dict:
    """One whole round t for every run; returns what a trajectory records.

    ``hooks`` (the Mesa engine's agents) may replace decisions; the batch engine has none.
    """
    talks = talk_round(spec, params, state, t, hooks)
    actions, playing, detected = compliance_round(spec, params, state, t, keys, hooks)
    force_round(spec, params, state, t, keys, actions, playing)
    tension_and_crisis(spec, params, state, t, keys)
    return {"talks": talks, "actions": actions, "playing": playing, "detected": detected,
            "collapsed": state.collapsed.copy(), "crisis": state.crisis_round == t}


def simulate(spec: Spec, params: Params, runs: np.ndarray, *, trajectories: bool = False
             ) -> dict[str, np.ndarray]:
    """Run the runs with indices ``runs`` to the end; outputs keyed as in MODEL.md 5."""
    keys = rnd.run_keys(spec.seed, runs)
    stepped = _runs_last_params(params)
    state = initial_state(spec, stepped)
    trace: dict[str, list[np.ndarray]] = {}
    for t in range(spec.rounds):
        what = step(spec, stepped, state, t, keys)
        if trajectories:
            _record(spec, trace, state, what)
    out = outputs(spec, params, state)
    if trajectories:
        out.update({f"trace.{k}": np.stack(v, axis=1) for k, v in trace.items()})
    return out


# the parameters the talks read, combined there with their (n, P, I) arrays
TALK_PARAMS = ("weight", "reservation", "patience")


def _runs_last_params(params: Params) -> Params:
    """``params`` with the talks' per-actor and per-issue arrays (the negotiation
    strategies' parameters among them) laid out runs last."""
    return replace(params, **{name: runs_last(getattr(params, name)) for name in TALK_PARAMS},
                   negotiation={k: runs_last(v) for k, v in params.negotiation.items()})


def _record(spec: Spec, trace: dict[str, list[np.ndarray]], state: State, what: dict
            ) -> None:
    n, I = state.agreed.shape
    talks = what["talks"]
    offer = talks.offer if talks is not None else np.full((n, I), np.nan)
    proposer = np.full(n, -2 if talks is None else talks.proposer)
    proposer[np.isnan(offer).all(axis=1)] = -2  # nothing open in this run: no talks
    action = np.where(what["playing"], what["actions"].astype(np.int8), -1)
    for name, value in (("tension", state.theta), ("forces", all_cells(spec, state.x)),
                        ("trust", state.trust),
                        ("offer", offer), ("proposer", proposer), ("action", action),
                        ("in_force", state.in_force.copy())):
        trace.setdefault(name, []).append(np.array(value, copy=True))


def outputs(spec: Spec, params: Params, state: State) -> dict[str, np.ndarray]:
    """Per-run outputs, named as in MODEL.md section 5."""
    out: dict[str, np.ndarray] = {}
    made = state.agreed.any(axis=1)
    out["agreement"] = made
    first = np.where(state.agreed, state.agreed_round, np.iinfo(np.int64).max).min(
        axis=1, initial=np.iinfo(np.int64).max)
    out["agreement_round"] = np.where(made, first, -1)
    for i, name in enumerate(spec.issues):
        out[f"agreed.{name}"] = state.level[:, i].copy()
    out["collapsed"] = state.collapsed.any(axis=1)
    out["crisis"] = state.crisis_round >= 0
    out["crisis_round"] = state.crisis_round.copy()
    out["final_tension"] = state.theta.copy()
    out["mean_tension"] = state.theta_sum / max(spec.rounds, 1)
    utility = realised_utility(spec, params, state)
    for a, name in enumerate(spec.actors):
        out[f"utility.{name}"] = utility[:, a]
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = state.complied / state.played
        pay = state.payoff / state.pair_turns
    for a, name in enumerate(spec.actors):
        out[f"compliance_rate.{name}"] = np.where(state.played[:, a] > 0, rate[:, a], np.nan)
        out[f"compliance_payoff.{name}"] = np.where(state.pair_turns[:, a] > 0, pay[:, a],
                                                    np.nan)
    for h, (a, k) in enumerate(zip(spec.held_actor, spec.held_force)):
        out[f"final_force.{spec.actors[a]}.{spec.forces[k]}"] = state.x[h].copy()
    return out


def realised_utility(spec: Spec, params: Params, state: State) -> np.ndarray:
    """sum_i w_ai * u_ai(outcome_i) * delta_a ** t_i / sum_i w_ai, ``(n, A)``.

    The outcome of an issue is its agreed level, discounted from the round it was
    agreed, or else the status quo (hi), undiscounted.
    """
    # C order throughout: a sum's rounding depends on the memory order of its axis
    x = np.ascontiguousarray(np.where(state.agreed, state.level, spec.hi))
    w = np.ascontiguousarray(params.weight)
    u = issue_utility(x, spec.ideal, spec.span, w)                         # (n, A, I)
    t = np.ascontiguousarray(np.where(state.agreed, state.agreed_round, 0))
    discount = power(np.ascontiguousarray(params.patience)[:, :, None], t[:, None, :])
    total = w.sum(axis=2)
    return np.where(total > 0, (w * u * discount).sum(axis=2) / np.where(total > 0, total, 1),
                    np.nan)
