"""Compliance: the iterated game played under agreements in force (MODEL.md 2, step 2).

The strategies themselves are :mod:`armsim.strategies.compliance` (named as in the
iterated prisoner's dilemma literature, with the ``axelrod`` library as a peer); this
module keeps what they see and what follows from their actions. Each sees only what
it *detected* of its counterparts: with several, a detected defection by any counts
as the counterpart's defection. ``True`` means defect throughout.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from armsim.core import mathfn
from armsim.core.arrays import any_last, sum_last


@dataclass
class Memory:
    """What each actor remembers of its compliance game, shapes ``(n, A)``."""

    turns: np.ndarray          # compliance turns played
    seen_last: np.ndarray      # a counterpart's defection detected at its last turn
    seen_before: np.ndarray    # ... at the turn before that
    seen_ever: np.ndarray      # ... at any turn
    own_last: np.ndarray       # its own last action (after noise)

    @classmethod
    def fresh(cls, n: int, A: int) -> "Memory":
        z = np.zeros((n, A), dtype=bool)
        return cls(np.zeros((n, A), dtype=np.int64), z.copy(), z.copy(), z.copy(), z.copy())


class ComplianceView:
    """What a compliance decision may see, for n runs and A actors.

    ``memory`` (:class:`Memory`), ``u`` ``(n, A)`` uniforms for this turn, ``params``
    the per-run compliance parameters ``{name: (n, A)}``, ``theta`` ``(n,)`` the
    tension, ``trust`` ``(n, A, A)`` and ``pairs`` ``(n, A, A)`` who is bound with whom
    this turn.

    What a decision that weighs the stakes needs (the ``deterred`` strategy), ``None``
    where a caller does not give it: ``terms`` (:class:`Terms`), the agreement's terms
    as the actor sees them this turn.
    """

    def __init__(self, memory: Memory, u: np.ndarray, params: Mapping[str, np.ndarray],
                 theta: np.ndarray, trust: np.ndarray, pairs: np.ndarray,
                 terms: "Terms | None" = None) -> None:
        self.memory, self.u, self.params = memory, u, params
        self.theta, self.trust, self.pairs = theta, trust, pairs
        self.terms = terms

    @property
    def first(self) -> np.ndarray:
        """``(n, A)``: no turn played yet."""
        return self.memory.turns == 0


@dataclass
class Terms:
    """What is at stake in defecting this turn, for n runs and A actors.

    ``verification`` ``(n,)`` the chance a defection is detected (``(n, A)`` per actor
    where issues or actors give their own, docs/model.md 7.20.3); ``sanction`` ``(n,)``
    the penalty (payoff units) a detected defector pays; ``payoffs`` (R, S, T, P);
    ``patience`` ``(n, A)`` each actor's δ; ``strikes_left`` ``(n, A)`` float: how many
    more detected defections of the actor the agreements binding it can absorb before
    one collapses, by the tolerance count or by a counterpart's withdrawal (1: the next
    collapses it; ``inf``: none would), computed for the actors whose strategy weighs
    the stakes (``inf`` for the others).
    """

    verification: np.ndarray
    sanction: np.ndarray
    payoffs: tuple[float, float, float, float]
    patience: np.ndarray
    strikes_left: np.ndarray


def strikes_left(detections: np.ndarray, bound: np.ndarray, tolerance: int,
                 actors: np.ndarray) -> np.ndarray:
    """``(n, A)``: the fewest further detected defections of each of ``actors`` (indices)
    that collapse a live agreement binding it by the ``tolerance`` count (``detections``
    ``(n, I)`` counted so far, ``bound`` ``(n, I, A)`` the live agreements' bound
    actors); ``inf`` where no tolerance is set, the actor is bound by none, or is not
    one of ``actors``."""
    n, _, A = bound.shape
    out = np.full((n, A), np.inf)
    if tolerance:
        left = np.where(bound[:, :, actors], (tolerance - detections)[:, :, None], np.inf)
        out[:, actors] = left.min(axis=1, initial=np.inf)
    return out


def intended_defections(groups: Sequence[tuple[Any, np.ndarray]], view: ComplianceView
                        ) -> np.ndarray:
    """Each actor's intended action this turn, ``(n, A)`` bool (True: defect).

    ``groups`` pairs each distinct compliance strategy with the ``(A,)`` mask of the
    actors that play it (``Spec.complier_groups``); each decides for its own actors.
    """
    out = np.zeros_like(view.memory.seen_last)
    for strategy, mask in groups:
        out[:, mask] = strategy.defects(view)[:, mask]
    return out


def remember(memory: Memory, playing: np.ndarray, seen: np.ndarray,
             actions: np.ndarray) -> None:
    """After a turn: actors that played ``(n, A)`` record what they saw and did."""
    m = playing
    memory.seen_before = np.where(m, memory.seen_last, memory.seen_before)
    memory.seen_last = np.where(m, seen, memory.seen_last)
    memory.seen_ever = memory.seen_ever | (m & seen)
    memory.own_last = np.where(m, actions, memory.own_last)
    memory.turns = memory.turns + m


def pair_payoffs(actions: np.ndarray, pairs: np.ndarray,
                 payoffs: tuple[float, float, float, float]) -> np.ndarray:
    """Each actor's payoff summed over its pairs, ``(n, A)``.

    ``actions`` ``(n, A)`` (True: defect), ``pairs`` ``(n, A, A)`` actors bound together.
    """
    R, S, T, P = payoffs
    mine = actions[:, :, None]
    theirs = actions[:, None, :]
    table = np.where(mine, np.where(theirs, P, T), np.where(theirs, S, R))
    return sum_last(table * pairs)


def update_trust(trust: np.ndarray, observes: np.ndarray, detected: np.ndarray,
                 gain: np.ndarray, loss: np.ndarray) -> np.ndarray:
    """Trust moves toward 1 on observed compliance, toward 0 on a detected defection.

    ``trust`` and ``observes`` ``(n, A, A)`` (a observes b); ``detected`` ``(n, A)``.
    """
    defected = detected[:, None, :]
    up = trust + gain[:, None, None] * (1.0 - trust)
    down = trust - loss[:, None, None] * trust
    return np.where(observes, np.where(defected, down, up), trust)


def withdrawal_strikes(trust: np.ndarray, pairs: np.ndarray, loss: np.ndarray,
                       payoffs: tuple[float, float, float, float],
                       actors: np.ndarray) -> np.ndarray:
    """``(n, A)`` float: how many detected defections in a row of each of ``actors``
    (indices) would make a counterpart bound with it withdraw (:func:`withdraws`), reading
    each counterpart b's trust in it alone (exact when b is bound with it alone): the
    least j >= 1 with ``trust[b, a] * (1 - loss) ** j < (P - S) / (R - S)``; ``inf``
    where none would, and for the other actors."""
    R, S, T, P = payoffs
    floor = (P - S) / (R - S)
    held = trust.transpose(0, 2, 1)[:, actors, :]               # held[a, b] = trust[b, a]
    keep = 1.0 - loss[:, None, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        j = np.floor(mathfn.log(floor / held) / mathfn.log(keep)) + 1.0
    j = np.where(held < floor, 1.0, np.where(keep <= 0.0, 1.0, j))
    j = np.where(np.isfinite(j) & (floor > 0), np.maximum(j, 1.0), np.inf)
    out = np.full(pairs.shape[:2], np.inf)
    out[:, actors] = np.where(pairs[:, actors, :], j, np.inf).min(axis=2, initial=np.inf)
    return out


def withdraws(trust: np.ndarray, pairs: np.ndarray, playing: np.ndarray,
              payoffs: tuple[float, float, float, float]) -> np.ndarray:
    """Which actors leave their agreements after this turn, ``(n, A)`` bool.

    An actor that played withdraws when the agreement is worth less to it per turn than
    the outside option, mutual defection P: expecting each counterpart to comply with the
    probability of its trust in it, τ̄ its mean trust over the counterparts bound with it
    (``pairs`` ``(n, A, A)``), it keeps the agreement while ``τ̄ R + (1 - τ̄) S >= P``, i.e.
    while ``τ̄ >= (P - S) / (R - S)``.
    """
    return playing & any_last(pairs) & ~keeps_agreement(trust, pairs, payoffs)


def keeps_agreement(trust: np.ndarray, pairs: np.ndarray,
                    payoffs: tuple[float, float, float, float]) -> np.ndarray:
    """``(n, A)``: whether each actor values an agreement at least as much as none: its
    mean trust τ̄ in the counterparts bound with it (``pairs`` ``(n, A, A)``; 1 with none)
    gives ``τ̄ R + (1 - τ̄) S >= P``. The test of a withdrawal, and of an extension
    (docs/model.md 7.12, 7.20.5)."""
    R, S, T, P = payoffs
    return mean_trust(trust, pairs) * (R - S) + S >= P


def mean_trust(trust: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """Mean trust of each actor toward the others bound with it (``pairs`` ``(n, A, A)``,
    itself excluded), ``(n, A)``; 1 if none."""
    count = sum_last(pairs)
    total = sum_last(trust * pairs)
    return np.where(count > 0, total / np.maximum(count, 1), 1.0)


def discounted_turns(delta: np.ndarray, turns: np.ndarray | float) -> np.ndarray:
    """``sum_{j=1..turns} delta^j``: ``delta (1 - delta^turns) / (1 - delta)``, or
    ``turns`` where delta is 1; for ``turns = inf`` (a scalar), ``delta / (1 - delta)``,
    inf where delta is 1."""
    delta = np.asarray(delta, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        if np.isscalar(turns) and np.isinf(turns):
            return np.where(delta >= 1.0, np.inf, delta / (1.0 - delta))
        finite = delta * (1.0 - mathfn.pow(delta, turns)) / (1.0 - delta)
    return np.where(delta >= 1.0, np.broadcast_to(turns, delta.shape), finite)
