"""The state of n runs and what a run reports: MODEL.md sections 2 and 5 as arrays.

:class:`State` holds everything that changes during n runs (shapes in comments);
:func:`initial_state` makes round 0's; :func:`outputs` gives the per-run outputs
named as in MODEL.md section 5.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from armsim.core import compliance as cp
from armsim.core.beliefs import Beliefs
from armsim.core import dynamics as dy
from armsim.core.arrays import power
from armsim.core.offers import issue_utility
from armsim.core.spec import Params, Spec
from armsim.core.deadlock import Stall
from armsim.core.talks import TalkState


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
    beliefs: Beliefs | None = None  # private red lines only (armsim.core.beliefs)
    stall: Stall | None = None    # the session's deadlock bookkeeping (core/deadlock.py)
    deadlocked: np.ndarray | None = None      # (n,) a session ended as a deadlock
    deadlock_round: np.ndarray | None = None  # (n,) int: the first such round, -1
    agreements_made: int = 0      # rounds in which some run made an agreement (who is bound)
    trace: dict[str, list[np.ndarray]] = field(default_factory=dict)
    # the life of agreements (docs/model.md 7.20.5; core/agreements.py): extensions taken
    # ``(n, I)`` int; expired at the end of its term ``(n, I)``; each actor's capped level
    # at entry into force ``(n, I, A)`` (phased reductions only); suspended for an actor
    # ``(n, I, A)`` (scenarios with suspensions only)
    delay: np.ndarray | None = None   # (n, I) int: rounds from signature to entry into force
    extended: np.ndarray | None = None
    expired: np.ndarray | None = None
    baseline: np.ndarray | None = None
    suspended: np.ndarray | None = None
    # the calendar (docs/model.md 7.20.6): the session each agreement was made in ``(n, I)``
    # int; whether it is an interim deal ``(n, I)``; the first round anything was agreed
    # ``(n,)`` (-1): agreement_round, which a later agreement on an issue does not move
    agreed_session: np.ndarray | None = None
    interim: np.ndarray | None = None
    first_agreement: np.ndarray | None = None
    # a final deal signed under a live interim one, waiting for its entry into force:
    # its level, signature round (-1: none) and session ``(n, I)`` (interim sessions only)
    pending_level: np.ndarray | None = None
    pending_round: np.ndarray | None = None
    pending_session: np.ndarray | None = None


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
    if spec.noisy_forces and params.force_noise is not None:
        cells["noise"] = np.ascontiguousarray(params.force_noise[:, spec.held_force].T)
    if spec.link_target.size:
        cells["link"] = np.ascontiguousarray(params.reacts_to[:, spec.link_index].T) * spec.dt
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
        climate=climate, beliefs=Beliefs.prior(spec, params, n) if spec.private else None,
        deadlocked=np.zeros(n, bool), deadlock_round=np.full(n, -1),
        **treaty_state(spec, n))


def treaty_state(spec: Spec, n: int) -> dict[str, np.ndarray | None]:
    """The arrays of :class:`State` for the life of agreements, as at round 0."""
    A, I = len(spec.actors), len(spec.issues)
    phased = spec.phase_after.size > 0
    suspends = any(e.kind in ("suspend", "resume") for e in spec.events)
    return {"delay": np.zeros((n, I), np.int64), "extended": np.zeros((n, I), np.int64), "expired": np.zeros((n, I), bool),
            "baseline": np.zeros((n, I, A)) if phased else None,
            "suspended": np.zeros((n, I, A), bool) if suspends else None,
            "agreed_session": np.full((n, I), -1), "interim": np.zeros((n, I), bool),
            "first_agreement": np.full(n, -1),
            **({"pending_level": np.full((n, I), np.nan), "pending_round": np.full((n, I), -1),
                "pending_session": np.full((n, I), -1)} if spec.any_interim else {})}


def outputs(spec: Spec, params: Params, state: State) -> dict[str, np.ndarray]:
    """Per-run outputs, named as in MODEL.md section 5."""
    out: dict[str, np.ndarray] = {}
    made = state.agreed.any(axis=1)
    out["agreement"] = made
    out["agreement_round"] = state.first_agreement.copy()
    for i, name in enumerate(spec.issues):
        out[f"agreed.{name}"] = state.level[:, i].copy()
    out["collapsed"] = state.collapsed.any(axis=1)
    if spec.any_duration:           # some issue has a term (docs/model.md 7.20.5)
        out["expired"] = state.expired.any(axis=1)
    out["crisis"] = state.crisis_round >= 0
    out["crisis_round"] = state.crisis_round.copy()
    out["deadlock"] = state.deadlocked.copy()
    out["deadlock_round"] = state.deadlock_round.copy()
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
    if state.beliefs is not None:
        called = (state.beliefs.called >= 0).any(axis=2)
        error = state.beliefs.error(spec, params)
        for a, name in enumerate(spec.actors):
            out[f"bluff_called.{name}"] = called[:, a]
            out[f"belief_error.{name}"] = error[:, a]
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
    u = issue_utility(x, spec.limit(params, "ideal"), spec.span, w, spec.sides())  # (n, A, I)
    t = np.ascontiguousarray(np.where(state.agreed, state.agreed_round, 0))
    if t.any():
        discount = power(np.ascontiguousarray(params.patience)[:, :, None], t[:, None, :])
    else:           # nothing agreed in round 1 or later: delta ** 0 is 1 (pow's own rule)
        discount = 1.0
    total = w.sum(axis=2)
    return np.where(total > 0, (w * u * discount).sum(axis=2) / np.where(total > 0, total, 1),
                    np.nan)
