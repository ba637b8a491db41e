"""Compliance: the iterated game played under agreements in force (MODEL.md 2, step 2).

Strategies are named as in the iterated prisoner's dilemma literature, with the
``axelrod`` library as a peer (``always_comply`` = Cooperator, ``grim`` = Grudger,
``alternate`` = Alternator...). Each sees only what it *detected* of its
counterparts: with several, a detected defection by any counts as the
counterpart's defection. ``True`` means defect throughout.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from armsim.core.arrays import sum_last
from armsim.core.spec import COMPLIANCE_CODES as C


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


def intended_defections(code: np.ndarray, memory: Memory, u: np.ndarray, p: np.ndarray,
                        conditional: np.ndarray | None) -> np.ndarray:
    """Each actor's intended action this turn, ``(n, A)`` bool (True: defect).

    ``code`` ``(A,)`` strategy codes; ``u`` ``(n, A)`` uniforms for the stochastic
    strategies; ``p`` ``(n, A)`` their probability of complying (random, and the
    generosity of generous_tit_for_tat); ``conditional`` ``(n, A)`` the defection
    probability of ``conditional`` (None when no actor plays it). Only the rules of the
    strategies present are evaluated.
    """
    first = memory.turns == 0
    last = memory.seen_last
    rules = {
        C["always_comply"]: lambda: np.zeros_like(last),
        C["always_defect"]: lambda: np.ones_like(last),
        C["tit_for_tat"]: lambda: last & ~first,
        C["grim"]: lambda: memory.seen_ever,
        C["tit_for_two_tats"]: lambda: last & memory.seen_before & (memory.turns >= 2),
        C["suspicious_tit_for_tat"]: lambda: first | last,
        C["alternate"]: lambda: ~first & ~memory.own_last,
        C["random"]: lambda: u >= p,
        C["generous_tit_for_tat"]: lambda: ~first & last & (u >= p),
        C["conditional"]: lambda: u < conditional,
    }
    out = np.zeros_like(last)
    for value, rule in rules.items():
        mask = code == value
        if mask.any():
            out[:, mask] = rule()[:, mask]
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
