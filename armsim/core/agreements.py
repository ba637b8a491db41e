"""Agreements as treaties write them (issue 13; docs/model.md 7.20): who plays whom
across trades, collapse that takes what was traded with it, per-issue and negotiated
verification, ceilings on totals and phased ceilings, an agreement's life (entry into
force, duration, extension, expiry) and the outside events of a scenario.

Each rule is one array function over the state of n runs; shapes in the docstrings use
A actors, I issues, K forces, H held force cells. :mod:`armsim.core.phases` calls them,
so every driver (the batch engine, the Mesa model, ``armsim explain``, the classroom)
uses them through :class:`armsim.core.run.Run`.
"""

from __future__ import annotations

import numpy as np

from armsim.core.compliance import keeps_agreement
from armsim.core.spec import Spec


def kernel_supports(spec: Spec, params) -> bool:
    """Whether the compiled kernel (:mod:`armsim.core.compiled`) runs these rules for
    ``spec`` and ``params``: it knows who plays whom (``Spec.counterparts``) and nothing
    else of issue 13 yet, so trades, verification per issue or actor, ceilings on totals,
    entry into force, phases, terms, outside events and interim deals run in NumPy."""
    return not (spec.any_traded or getattr(params, "verification_of", None) is not None
                or spec.totals.size or spec.phase_after.size or spec.delayed
                or spec.any_duration or spec.events or spec.eras or spec.any_interim)


def across_trades(spec: Spec, left: np.ndarray, bound: np.ndarray) -> np.ndarray:
    """``out[n, a, b]``: ``left[n, i, a]`` and ``bound[n, j, b]`` for some traded pair of
    issues (i, j) (``Spec.traded``, symmetric), shape ``(n, A, A)``.

    ``bound`` ``(n, I, A)`` holds the actors bound by live agreements, ``left`` the
    actors on one side (``bound`` itself for the pairs of the compliance game, the live
    agreements' parties for who observes whom): the actors bound by one side of a trade
    (caps) and those bound by the other (relief) are bound together (7.20.2).
    """
    n, I, A = bound.shape
    out = np.zeros((n, A, A), dtype=bool)
    for i, j in zip(*np.nonzero(spec.traded)):
        out |= left[:, i, :, None] & bound[:, j, None, :]
    return out


def fallen_with(spec: Spec, group: np.ndarray, broken: np.ndarray, in_force: np.ndarray
                ) -> np.ndarray:
    """``(n, I)``: the agreements in force (``in_force``) that collapse with the
    ``broken`` ones: those agreed together with them (the same ``group`` ``(n, I)``: a
    package) and those traded for them (``Spec.traded``), and so on, to the closure (at
    most I steps)."""
    hit = broken & in_force
    same = group[:, :, None] == group[:, None, :]                          # (n, I, I)
    if not spec.any_traded:        # groups are classes: one step closes them (as 7.12)
        return (same & hit[:, None, :]).any(axis=2) & in_force
    traded = spec.traded
    for _ in range(broken.shape[1]):
        more = (same & hit[:, None, :]).any(axis=2)
        more |= (hit[:, :, None] & traded[None]).any(axis=1)
        more = (more | hit) & in_force
        if np.array_equal(more, hit):
            break
        hit = more
    return hit


def verification_now(spec: Spec, params, state, bound: np.ndarray, live: np.ndarray
                     ) -> np.ndarray | None:
    """``(n, A)``: the chance that a defection by each actor is detected this turn, or None
    where every agreement has the environment's (``params.verification`` ``(n,)`` then
    decides, as before issue 13).

    Each live agreement i binding actor a verifies it with ``params.verification_of[:, i,
    a]``, raised, where a live inspection regime j (``Spec.verifies[j, i]``) also binds a,
    to the chance its agreed level gives, linear between ``Spec.detection[j]`` at the
    range's lo and hi. One defection is detected when any regime binding the defector
    catches it: the chance is the largest over the live agreements binding it (0 for an
    actor bound by none). ``bound`` ``(n, I, A)`` the live agreements' bound actors,
    ``live`` ``(n, I)`` (docs/model.md 7.20.3).
    """
    base = params.verification_of
    if base is None:
        return None
    v = base
    for j in np.flatnonzero(spec.verifies.any(axis=1)):
        share = (state.level[:, j] - spec.lo[j]) / (spec.hi[j] - spec.lo[j])
        chance = spec.detection[j, 0] + (spec.detection[j, 1] - spec.detection[j, 0]) * share
        under = live[:, j, None] & bound[:, j, :]                           # (n, A)
        if not under.any():
            continue
        v = v.copy() if v is base else v
        for i in np.flatnonzero(spec.verifies[j]):
            v[:, i, :] = np.where(under, np.maximum(v[:, i, :], chance[:, None]), v[:, i, :])
    return np.where(bound, v, 0.0).max(axis=1, initial=0.0)


def hold_to_totals(spec: Spec, x: np.ndarray, holds: np.ndarray, ceilings: np.ndarray
                   ) -> np.ndarray:
    """Scale the compliers' levels down to the ceilings on totals (docs/model.md 7.20.4).

    ``x`` ``(H, n)`` the held cells after the forces step (already within each actor's
    own single-force caps); ``holds`` ``(n, I, A)`` the actors each ceiling holds this
    round (bound by the live agreement, complying); ``ceilings`` ``(n, I, A)`` the level
    of each issue's ceiling as it applies to each actor (its group's, for a bloc or a
    total). For each issue of ``Spec.totals`` in turn: the capped level of an actor is
    its sum over the issue's forces; the groups are the actors themselves (``each``),
    their blocs (``bloc``) or all (``total``); where the compliers of a group together
    exceed the ceiling ``c`` (floored at 0), each of their capped cells is multiplied by
    ``c / total``. Lowering a level never breaks a ceiling already met, so after one pass
    every ceiling holds. Returns the new ``(H, n)`` levels.
    """
    x = x.copy()
    for i in spec.totals:
        cells = np.flatnonzero(spec.cap_forces[i, spec.held_force])          # (C,)
        if not cells.size or not holds[:, i].any():
            continue
        groups = (np.arange(len(spec.actors)) if spec.ceiling[i] == 0
                  else spec.group if spec.ceiling[i] == 1 else np.zeros(len(spec.actors), int))
        owner = spec.held_actor[cells]
        for g in np.unique(groups):
            members = groups[owner] == g                                       # (C,)
            mine = cells[members]
            if not mine.size:
                continue
            keeps = holds[:, i, :][:, owner[members]].T                        # (m, n)
            total = np.zeros(x.shape[1])              # cell by cell, left to right: the
            for row, h in zip(keeps, mine):           # same sum for a run in any batch
                total += np.where(row, x[h], 0.0)
            level = np.maximum(ceilings[:, i, owner[members][0]], 0.0)
            over = total > level
            if not over.any():
                continue
            factor = np.where(over, level / np.where(over, total, 1.0), 1.0)
            x[mine] = np.where(keeps & over, x[mine] * factor, x[mine])
    return x


# --- the calendar: interim deals, reopened ones (docs/model.md 7.20.6) ----------------

def negotiable(spec: Spec, state, s: int) -> np.ndarray:
    """``(n, I)``: the issues session s may negotiate (its agenda aside): those never
    agreed; those agreed as an interim deal in an earlier session (and no final deal
    signed yet); and, where the session
    ``reopens``, those whose agreement is no longer in force (collapsed, withdrawn,
    expired)."""
    out = ~state.agreed
    if spec.any_interim:
        later = state.interim & (state.agreed_session < s) & (state.pending_round < 0)
        out = out | later
    if spec.reopens[s]:
        out = out | (state.agreed & ~state.in_force)
    return out


# --- the life of an agreement (docs/model.md 7.20.5) ---------------------------------

def entry_round(spec: Spec, state) -> np.ndarray:
    """``(n, I)``: the first round in which each agreement binds: the round after it was
    signed plus its delay (the session's ``enters_into_force``, else the issue's)."""
    return state.agreed_round + 1 + state.delay


def live(spec: Spec, state, t: int) -> np.ndarray:
    """``(n, I)``: the agreements that bind in round t: in force and entered into force."""
    if not spec.delayed:
        return state.in_force & (state.agreed_round < t)
    return state.in_force & (entry_round(spec, state) <= t)


def bound_now(state) -> np.ndarray:
    """``(n, I, A)``: whom each agreement binds, less the actors that suspended it."""
    return state.bound if state.suspended is None else state.bound & ~state.suspended


def in_effect(state) -> np.ndarray:
    """``(n, I)``: the agreements in force and not suspended as a whole, by every actor
    they bind (tension's share of agreements, 7.14): a cap binding Iran alone that Iran
    suspends binds nobody, whoever else is a party to it."""
    if state.suspended is None:
        return state.in_force
    nobody = (state.suspended | ~state.bound).all(axis=2) & state.bound.any(axis=2)
    return state.in_force & ~nobody


def term_end(spec: Spec, state) -> np.ndarray:
    """``(n, I)``: the round in which each agreement's term runs out (its entry round
    plus its duration and the extensions taken); a huge number where it has no term."""
    end = entry_round(spec, state) + spec.duration + state.extended * spec.extension_rounds
    return np.where(spec.duration > 0, end, np.iinfo(np.int64).max)


def renewal(spec: Spec, state, t: int) -> tuple[np.ndarray, np.ndarray]:
    """At the start of round t, the agreements whose term runs out: extended, or expired.

    An agreement in force whose term ends at t is extended by its issue's
    ``extension_rounds`` if extensions are left and either they are automatic or every
    actor it binds (not suspended) still values it (over the
    counterparts bound with it by this agreement or one traded for it; the withdrawal
    test, :func:`~armsim.core.compliance.keeps_agreement`); else it expires.
    Returns the ``(n, I)`` masks (extended, expired); changes ``state``.
    """
    ending = state.in_force & (term_end(spec, state) <= t)
    extended = np.zeros_like(ending)
    if not ending.any():
        return extended, ending
    bound = bound_now(state)
    for i in np.flatnonzero(ending.any(axis=0)):
        left = state.extended[:, i] < spec.extension_times[i]
        if spec.extension_automatic[i]:
            agree = left
        else:
            mine = bound[:, i, :]                                                  # (n, A)
            partners = mine | (bound[:, spec.traded[i], :].any(axis=1)
                               if spec.traded[i].any() else False)
            together = mine[:, :, None] & partners[:, None, :] & spec.counterparts
            if spec.traded[i].any():
                together |= (partners & ~mine)[:, :, None] & mine[:, None, :] \
                    & spec.counterparts
            agree = left & (keeps_agreement(state.trust, together, spec.payoffs)
                            | ~mine).all(axis=1)
        extended[:, i] = ending[:, i] & agree
    state.extended += extended
    expired = ending & ~extended
    state.in_force &= ~expired
    state.expired |= expired
    return extended, expired


def capped_levels(spec: Spec, x: np.ndarray, n: int) -> np.ndarray:
    """``(n, I, A)``: each actor's level of what each issue caps (the sum of its capped
    forces), from the held cells ``x`` ``(H, n)``, cell by cell."""
    out = np.zeros((n, len(spec.issues), len(spec.actors)))
    for h, (a, k) in enumerate(zip(spec.held_actor, spec.held_force)):
        for i in np.flatnonzero(spec.cap_forces[:, k]):
            out[:, i, a] += x[h]
    return out


def record_baselines(spec: Spec, state, t: int) -> np.ndarray:
    """At the start of round t: the levels from which a phased reduction cuts, recorded
    for the agreements entering into force now. Returns those ``(n, I)``."""
    entering = state.in_force & (entry_round(spec, state) == t)
    phased = (spec.phase_after >= 0).any(axis=1)
    entering &= phased
    if entering.any():
        now = capped_levels(spec, state.x, len(state.theta))
        state.baseline = np.where(entering[:, :, None], now, state.baseline)
    return entering


def ceilings(spec: Spec, state, t: int) -> np.ndarray | None:
    """``(n, I, A)``: the ceiling each issue's agreement sets on each actor (its group's,
    for a bloc or a total) in round t; None where no issue has phases (the agreed level).

    A phased reduction (``Spec.phase_after``, ``Spec.phase_share``) sets none until its
    first phase; from phase p on (``after_p`` rounds after entry into force) the ceiling
    is ``level + (1 - share_p) * max(B - level, 0)``, B the capped level held at entry
    into force (the group's total for a bloc or a total): share_p of the cut is due.
    """
    if not spec.phase_after.size:
        return None
    n, I = state.level.shape
    A = len(spec.actors)
    out = np.array(np.broadcast_to(state.level[:, :, None], (n, I, A)))
    elapsed = t - entry_round(spec, state)                                    # (n, I)
    for i in np.flatnonzero((spec.phase_after >= 0).any(axis=1)):
        share = np.full(n, np.nan)
        for after, s in zip(spec.phase_after[i], spec.phase_share[i]):
            if after >= 0:
                share = np.where(elapsed[:, i] >= after, s, share)
        base = _group_baselines(spec, state, i)                               # (n, A)
        level = state.level[:, i, None]
        cut = level + (1.0 - share[:, None]) * np.maximum(base - level, 0.0)
        out[:, i] = np.where(np.isnan(share)[:, None], np.inf, cut)
    return out


def _group_baselines(spec: Spec, state, i: int) -> np.ndarray:
    """``(n, A)``: the capped level at entry into force of each actor (``each``) or of
    its group (bloc, total: the sum over the members bound by the agreement)."""
    base = np.where(state.bound[:, i, :], state.baseline[:, i, :], 0.0)
    if spec.ceiling[i] == 0:
        return base
    groups = spec.group if spec.ceiling[i] == 1 else np.zeros(len(spec.actors), int)
    out = np.zeros_like(base)
    for g in np.unique(groups):
        members = np.flatnonzero(groups == g)
        total = np.zeros(base.shape[0])
        for a in members:
            total += base[:, a]
        out[:, members] = total[:, None]
    return out
