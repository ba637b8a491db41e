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

from armsim.core.arrays import sum_last


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
    """

    def __init__(self, memory: Memory, u: np.ndarray, params: Mapping[str, np.ndarray],
                 theta: np.ndarray, trust: np.ndarray, pairs: np.ndarray) -> None:
        self.memory, self.u, self.params = memory, u, params
        self.theta, self.trust, self.pairs = theta, trust, pairs

    @property
    def first(self) -> np.ndarray:
        """``(n, A)``: no turn played yet."""
        return self.memory.turns == 0


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
