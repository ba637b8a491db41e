"""What the kernel needs to know about a scenario, as arrays.

:class:`Spec` holds what is the same in every run (names, structure, the round
schedule); :class:`Params` holds the numbers that a scenario may give as
distributions, drawn per run, each with a leading ``runs`` axis. Shapes use
A actors, K forces, I issues, S sessions, T rounds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

# negotiation strategy codes
TIME_DEPENDENT, TIT_FOR_TAT, GRIT, HARDLINER, RUBINSTEIN = range(5)
# compliance strategy codes, in MODEL.md's order
COMPLIANCE_CODES = {
    "always_comply": 0, "always_defect": 1, "tit_for_tat": 2, "grim": 3,
    "tit_for_two_tats": 4, "suspicious_tit_for_tat": 5, "alternate": 6, "random": 7,
    "generous_tit_for_tat": 8, "conditional": 9,
}


@dataclass(frozen=True)
class Spec:
    actors: tuple[str, ...]
    forces: tuple[str, ...]
    issues: tuple[str, ...]
    seed: int
    dt: float
    force_max: np.ndarray          # (K,)
    has_force: np.ndarray          # (A, K) bool: the actor has this force at all
    rivals: np.ndarray             # (A, A) bool: rivals[a, c], a reacts to c
    lo: np.ndarray                 # (I,)
    hi: np.ndarray                 # (I,)
    caps: np.ndarray               # (I,) int, force index or -1
    binds_all: np.ndarray          # (I,) bool: reciprocal (binds every party)
    binds: np.ndarray              # (I, A) bool: actors bound when binds is a list
    ideal: np.ndarray              # (A, I), status quo hi where an actor has no preference
    red_lo: np.ndarray             # (A, I) lowest acceptable level
    red_hi: np.ndarray             # (A, I) highest acceptable level
    insists: np.ndarray            # (A, I) bool
    strategy: np.ndarray           # (A,) int code
    infinite_horizon: np.ndarray   # (A,) bool (rubinstein)
    compliance: np.ndarray         # (A,) int code
    # sessions
    participants: np.ndarray       # (S, A) bool
    order: tuple[tuple[int, ...], ...]  # participants of each session in listed order
    agenda: np.ndarray             # (S, I) bool
    package: np.ndarray            # (S,) bool
    mediated: np.ndarray           # (S,) bool
    session_rounds: np.ndarray     # (S,) int
    aftermath: int
    tolerance: int                 # 0: never collapses
    payoffs: tuple[float, float, float, float]  # R, S, T, P
    noisy_forces: bool             # any force noise at all (skip the draws if not)
    # the forces actors hold, as H cells (a, k); the kernel keeps forces as (H, n)
    held_actor: np.ndarray = field(init=False)    # (H,)
    held_force: np.ndarray = field(init=False)    # (H,)
    threat_sources: tuple[np.ndarray, ...] = field(init=False)  # per cell: rivals' cells

    def __post_init__(self) -> None:
        actor, force = np.nonzero(self.has_force)
        cell = {(a, k): h for h, (a, k) in enumerate(zip(actor, force))}
        sources = tuple(np.array([cell[(c, k)] for c in np.flatnonzero(self.rivals[a])
                                  if (c, k) in cell], dtype=np.intp)
                        for a, k in zip(actor, force))
        object.__setattr__(self, "held_actor", actor)
        object.__setattr__(self, "held_force", force)
        object.__setattr__(self, "threat_sources", sources)

    @property
    def talk_rounds(self) -> int:
        return int(self.session_rounds.sum())

    @property
    def rounds(self) -> int:
        return self.talk_rounds + self.aftermath

    @property
    def span(self) -> np.ndarray:
        return self.hi - self.lo

    def schedule(self, t: int) -> tuple[int, int]:
        """Session index and round within it for talk round ``t``; (-1, -1) after talks."""
        start = 0
        for s, n in enumerate(self.session_rounds):
            if t < start + n:
                return s, t - start
            start += int(n)
        return -1, -1


@dataclass
class Params:
    """Per-run numbers; every array has a leading ``runs`` axis of length n."""

    initial: np.ndarray            # (n, A, K)
    reaction: np.ndarray           # (n, A, K)
    fatigue: np.ndarray            # (n, A, K)
    grievance: np.ndarray          # (n, A, K)
    weight: np.ndarray             # (n, A, I)
    patience: np.ndarray           # (n, A)
    reservation: np.ndarray        # (n, A)
    trust: np.ndarray              # (n, A, A)
    exponent: np.ndarray           # (n, A) time-dependent concession exponent e
    reciprocity: np.ndarray        # (n, A)
    opening: np.ndarray            # (n, A)
    step: np.ndarray               # (n, A) GRIT step
    wait: np.ndarray               # (A,) int GRIT wait
    p: np.ndarray                  # (n, A) random / generous_tit_for_tat probability
    cond_bias: np.ndarray          # (n, A)
    cond_tension: np.ndarray       # (n, A)
    cond_trust: np.ndarray         # (n, A)
    verification: np.ndarray       # (n,)
    noise: np.ndarray              # (n,)
    compliance_noise: np.ndarray   # (n,)
    tension: np.ndarray            # (n, 4): bias, forces, mistrust, agreements
    hazard: np.ndarray             # (n,)
    crisis_exponent: np.ndarray    # (n,)
    trust_gain: np.ndarray         # (n,)
    trust_loss: np.ndarray         # (n,)
