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

from armsim.core.spec import Spec


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
    traded = spec.traded if spec.traded.any() else None
    for _ in range(broken.shape[1]):
        more = (same & hit[:, None, :]).any(axis=2)
        if traded is not None:
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
