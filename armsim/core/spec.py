"""What the kernel needs to know about a scenario, as arrays.

:class:`Spec` holds what is the same in every run (names, structure, the round
schedule); :class:`Params` holds the numbers that a scenario may give as
distributions, drawn per run, each with a leading ``runs`` axis. Shapes use
A actors, K forces, I issues, S sessions, T rounds.

Strategies are objects (:mod:`armsim.strategies`) whose methods the rules call: the
kernel knows their interface, never their names; the integer codes of the registry
say which actors play the same one.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np



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
    strategy: np.ndarray           # (A,) int: the registry's code of each negotiator
    compliance: np.ndarray         # (A,) int: ... of each compliance strategy
    negotiators: tuple             # (A,) the negotiation strategy objects
    compliers: tuple               # (A,) the compliance strategy objects
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
    withdrawal: bool = False       # actors leave agreements worth less than no agreement
    sanctioned: bool = False       # a detected defector pays environment.sanction
    # private information (MODEL.md 3): the red line each actor states, ``(A, I)``
    # (default: its true one, red_lo/red_hi), and the others' prior belief about its
    # true line, ``(A, I, 4)``: [min_lo, min_hi, max_lo, max_hi] (NaN: the stated end)
    stated_lo: np.ndarray | None = None
    stated_hi: np.ndarray | None = None
    believed: np.ndarray | None = None
    private: bool = False          # some line is stated apart from the true one, or believed
    # (S,) bool: a session's negotiators keep what they conceded and saw before it
    session_memory: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    # (S,) int: rounds in which nobody moves before a deadlock is declared
    session_deadlock: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    # (S, A, I) bool: linkage for one session only, added to ``insists`` there
    session_insists: np.ndarray | None = None
    # (S,) int: the participant that chairs a mediated session (-1: an anonymous chair)
    session_mediator: np.ndarray | None = None
    # (I,) bool: issues whose levels are whole numbers (default: none)
    whole: np.ndarray | None = None
    # (A, I) int8: one-sided preferences, +1 every level at or above the ideal is worth
    # 1 (``more``), -1 at or below it (``less``), 0 symmetric (default: all symmetric)
    side: np.ndarray | None = None
    # linked forces: (actor, force, source force) of each declared reaction to the
    # rivals' levels of another force; Params.reacts_to holds their coefficients
    reacts: tuple[tuple[int, int, int], ...] = ()
    # (A, A) bool, static: counterparts[a, b], a and b play the compliance game against
    # each other when an agreement binds them together (docs/model.md 7.12): the live
    # pairs are ``bound together & counterparts``; diagonal False. Default: all others.
    counterparts: np.ndarray | None = None
    # (I, I) bool, symmetric: traded[i, j], issue i's commitment is traded for issue j's
    # (caps for relief, docs/model.md 7.20.2): the actors bound by one are bound together
    # with those bound by the other, and the two collapse together. Default: no trade.
    traded: np.ndarray | None = None
    # inspection regimes (docs/model.md 7.20.3): verifies[j, i], issue j's agreed level
    # sets the verification of issue i's agreements, ``(I, I)`` bool; detection[j] the
    # chance of detection at j's range lo and hi, ``(I, 2)`` (NaN where j is no regime)
    verifies: np.ndarray | None = None
    detection: np.ndarray | None = None
    # ceilings on totals (docs/model.md 7.20.4): cap_forces[i, k], issue i caps (the sum
    # over) force k, ``(I, K)`` bool; ceiling[i]: 0 each bound actor's own, 1 each bloc's
    # bound members together, 2 the total of all bound, ``(I,)`` int; group[a] the bloc of
    # actor a (an actor without one is a bloc of its own), ``(A,)`` int. ``caps`` keeps
    # the single force of an actor's own ceiling (-1 for the others), which the forces
    # step applies as before; the rest are scaled down after it (agreements.hold_to_totals)
    cap_forces: np.ndarray | None = None
    ceiling: np.ndarray | None = None
    group: np.ndarray | None = None
    # the life of an agreement, per issue, in rounds (docs/model.md 7.20.5): entry into
    # force after signature ``(I,)``; its term from entry into force (0: open-ended) ``(I,)``;
    # extensions: rounds each, how many, automatic or decided ``(I,)`` each; a phased
    # reduction: phase_after[i, p] rounds after entry into force, phase_share[i, p] of the
    # cut is due ``(I, P)`` (after -1: no such phase)
    entry_delay: np.ndarray | None = None
    duration: np.ndarray | None = None
    extension_rounds: np.ndarray | None = None
    extension_times: np.ndarray | None = None
    extension_automatic: np.ndarray | None = None
    phase_after: np.ndarray | None = None
    phase_share: np.ndarray | None = None
    # outside events (:class:`Event`), in round order; ``eras``: (round, spec, whose trust
    # it sets ``(A,)``) for each new government, the spec from that round on
    events: tuple = ()
    eras: tuple = ()
    # the calendar of sessions (docs/model.md 7.20.6): rounds without talks before each
    # ``(S,)``; what an ``interim`` session agrees stays open to later sessions; a session
    # that ``reopens`` negotiates again the agreements on its agenda no longer in force
    session_gap: np.ndarray | None = None
    interim: np.ndarray | None = None
    reopens: np.ndarray | None = None
    # (S,) int: rounds from signature to entry into force of what a session agrees, -1
    # where the issues' own ``entry_delay`` applies
    session_entry: np.ndarray | None = None
    session_start: np.ndarray = field(init=False)     # (S,) the first round of each
    # the forces actors hold, as H cells (a, k); the kernel keeps forces as (H, n)
    held_actor: np.ndarray = field(init=False)    # (H,)
    held_force: np.ndarray = field(init=False)    # (H,)
    threat_sources: tuple[np.ndarray, ...] = field(init=False)  # per cell: rivals' cells
    # the linked reactions as a table over the held cells, one row per (cell, source
    # cell) pair, (L,) each: the cell that reacts, the rival's cell it reacts to, and
    # the column of Params.reacts_to holding the coefficient
    link_target: np.ndarray = field(init=False)
    link_source: np.ndarray = field(init=False)
    link_index: np.ndarray = field(init=False)
    # each distinct compliance strategy with the (A,) mask of the actors playing it
    complier_groups: tuple[tuple[object, np.ndarray], ...] = field(init=False)
    # the actors whose compliance strategy weighs the stakes (indices; the compliance
    # view then carries Terms)
    weighers: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        actor, force = np.nonzero(self.has_force)
        cell = {(a, k): h for h, (a, k) in enumerate(zip(actor, force))}
        sources = tuple(np.array([cell[(c, k)] for c in np.flatnonzero(self.rivals[a])
                                  if (c, k) in cell], dtype=np.intp)
                        for a, k in zip(actor, force))
        object.__setattr__(self, "held_actor", actor)
        object.__setattr__(self, "held_force", force)
        object.__setattr__(self, "threat_sources", sources)
        links = [(cell[(a, k)], cell[(c, j)], m) for m, (a, k, j) in enumerate(self.reacts)
                 for c in np.flatnonzero(self.rivals[a]) if (c, j) in cell]
        for name, column in zip(("link_target", "link_source", "link_index"),
                                zip(*links) if links else ((), (), ())):
            object.__setattr__(self, name, np.array(column, dtype=np.intp))
        S = len(self.session_rounds)
        if len(self.session_memory) != S:
            object.__setattr__(self, "session_memory", np.ones(S, bool))
        if len(self.session_deadlock) != S:
            object.__setattr__(self, "session_deadlock",
                               np.array([len(o) for o in self.order], dtype=int))
        if self.session_insists is None:
            object.__setattr__(self, "session_insists",
                               np.zeros((S, *self.insists.shape), bool))
        if self.session_mediator is None:
            object.__setattr__(self, "session_mediator", np.full(S, -1, dtype=int))
        if self.whole is None:
            object.__setattr__(self, "whole", np.zeros(len(self.issues), bool))
        if self.side is None:
            object.__setattr__(self, "side", np.zeros(self.insists.shape, np.int8))
        self._agreement_defaults(S)
        distinct = list(dict.fromkeys(self.compliers))
        object.__setattr__(self, "complier_groups", tuple(
            (strategy, np.array([c == strategy for c in self.compliers], dtype=bool))
            for strategy in distinct))
        object.__setattr__(self, "weighers", np.array(
            [a for a, c in enumerate(self.compliers) if getattr(c, "weighs_terms", False)],
            dtype=np.intp))

    def _agreement_defaults(self, S: int) -> None:
        """The arrays of issue 13's constructs a caller left out: each at the value that
        keeps the rules as they were (docs/model.md 7.20)."""
        A, I = len(self.actors), len(self.issues)
        if self.counterparts is None:
            object.__setattr__(self, "counterparts", ~np.eye(A, dtype=bool))
        if self.verifies is None:
            object.__setattr__(self, "verifies", np.zeros((I,) * 2, bool))
        if self.detection is None:
            object.__setattr__(self, "detection", np.full((I, 2), np.nan))
        if self.cap_forces is None:
            object.__setattr__(self, "cap_forces", np.arange(len(self.forces))[None, :]
                               == self.caps[:, None])
        if self.ceiling is None:
            object.__setattr__(self, "ceiling", np.zeros(I, int))
        if self.group is None:
            object.__setattr__(self, "group", np.arange(A))
        for name, dtype in (("entry_delay", int), ("duration", int), ("extension_rounds", int),
                            ("extension_times", int), ("extension_automatic", bool)):
            if getattr(self, name) is None:
                object.__setattr__(self, name, np.zeros(I, dtype))
        if self.phase_after is None:
            object.__setattr__(self, "phase_after", np.zeros((I, 0), int))
            object.__setattr__(self, "phase_share", np.zeros((I, 0)))
        for name, dtype in (("session_gap", int), ("interim", bool), ("reopens", bool)):
            if getattr(self, name) is None:
                object.__setattr__(self, name, np.zeros(S, dtype))
        if self.session_entry is None:
            object.__setattr__(self, "session_entry", np.full(S, -1))
        object.__setattr__(self, "session_start", np.cumsum(self.session_gap)
                           + np.concatenate([[0], np.cumsum(self.session_rounds)[:-1]])
                           if S else np.zeros(0, int))
        if self.traded is None:
            object.__setattr__(self, "traded", np.zeros((I,) * 2, bool))

    def delay(self, s: int) -> np.ndarray:
        """``(I,)``: rounds from signature to entry into force of what session s agrees."""
        return self.entry_delay if self.session_entry[s] < 0 else np.full(
            len(self.issues), int(self.session_entry[s]))

    @cached_property
    def delayed(self) -> bool:
        """Some agreement may enter into force later than the round after signature."""
        return bool(self.entry_delay.any() or (self.session_entry > 0).any())

    @cached_property
    def totals(self) -> np.ndarray:
        """The issues whose ceiling is scaled down after the forces step: a bloc's or the
        total, or an actor's own over several forces (indices)."""
        return np.flatnonzero((self.ceiling > 0) | (self.cap_forces.sum(axis=1) > 1))

    @cached_property
    def talk_rounds(self) -> int:
        """The rounds until the last session ends (its gaps included)."""
        S = len(self.session_rounds)
        return int(self.session_start[-1] + self.session_rounds[-1]) if S else 0

    @cached_property
    def rounds(self) -> int:
        return self.talk_rounds + self.aftermath

    def working_bytes(self, runs: int) -> int:
        """About the memory a chunk of ``runs`` runs works in (its parameters, state,
        talk arrays and temporaries): 8 bytes x (60 + 20 A I + 8 A^2 + 10 H) a run, for
        A actors, I issues and H forces held, fitted to the heap a worker's first chunk
        faulted in (0.8 to 5 KiB a run over the bundled scenarios, within 15%). A new
        worker warms that much heap before its first chunk
        (:func:`armsim.runner.warm_heap`)."""
        A, I, H = len(self.actors), len(self.issues), len(self.held_actor)
        return 8 * runs * (60 + 20 * A * I + 8 * A * A + 10 * H)

    @property
    def span(self) -> np.ndarray:
        return self.hi - self.lo

    def insisted(self, session: int) -> np.ndarray:
        """What each actor insists on in ``session``: its own linkage and the session's,
        ``(A, I)`` bool."""
        return self._insisted[session]

    @cached_property
    def _insisted(self) -> tuple[np.ndarray, ...]:
        return tuple(self.insists | extra for extra in self.session_insists)

    def linkers(self, session: int) -> tuple[tuple[int, np.ndarray], ...]:
        """``(j, issues)`` for each participant ``order[session][j]`` that insists on
        issues in the session: the ``(I,)`` mask of them."""
        return self._linkers[session]

    @cached_property
    def _linkers(self) -> tuple[tuple[tuple[int, np.ndarray], ...], ...]:
        return tuple(tuple((j, self._insisted[s][a]) for j, a in enumerate(order)
                           if self._insisted[s][a].any()) for s, order in enumerate(self.order))

    def sides(self, who: np.ndarray | slice | int = slice(None)) -> np.ndarray | None:
        """The one-sided preferences of the actors ``who`` (``(P, I)``), or None where
        every preference of the scenario is symmetric (the common case costs nothing)."""
        return self.side[who] if self.any_side else None

    # what a scenario uses at all, asked every round: worked out once
    @cached_property
    def any_side(self) -> bool:
        return bool(self.side.any())

    @cached_property
    def any_whole(self) -> bool:
        return bool(self.whole.any())

    @cached_property
    def any_interim(self) -> bool:
        return bool(self.interim.any())

    @cached_property
    def any_traded(self) -> bool:
        return bool(self.traded.any())

    @cached_property
    def any_duration(self) -> bool:
        return bool(self.duration.any())

    def limit(self, params: "Params | None", name: str) -> np.ndarray:
        """``ideal``, ``red_lo``, ``red_hi``, ``stated_lo`` or ``stated_hi`` of every actor
        and issue: ``(n, A, I)`` where the runs drew their own, else this spec's ``(A, I)``
        (index actors as ``[..., who, :]`` to serve both); ``params`` None: the spec's."""
        drawn = None if params is None else params.limits.get(name)
        if drawn is not None:
            return drawn
        value = getattr(self, name)
        if value is None:                      # stated lines default to the true ones
            return self.limit(params, name.replace("stated", "red"))
        return value

    def of_run(self, params: "Params", r: int = 0) -> "Spec":
        """This spec with run r's own ideals and lines in place of the constants (for
        the words of ``armsim explain``, which tell one run)."""
        drawn = {name: table[r] for name, table in params.limits.items()}
        return replace(self, **drawn) if drawn else self

    def schedule(self, t: int) -> tuple[int, int]:
        """Session index and round within it for round ``t``; (-1, -1) in a gap between
        sessions and after the talks."""
        for s, (start, n) in enumerate(zip(self.session_start, self.session_rounds)):
            if start <= t < start + n:
                return s, int(t - start)
        return -1, -1


@dataclass(frozen=True)
class Event:
    """An outside event (docs/model.md 7.20.5): at the start of ``round``, ``kind``
    (``withdraw``, ``suspend``, ``resume``, ``new_government``) by ``actor`` (-1: none
    given) on the agreements of ``issues`` ``(I,)`` bool (all, where none given); a plain
    tuple, so that two specs compare equal field by field."""

    round: int
    kind: str
    actor: int
    issues: tuple[bool, ...]       # (I,) which agreements it acts on
    label: str | None = None
    index: int = 0                 # its place in the scenario's events


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
    # the strategies' per-run parameters by name, each (n, A) (NaN for actors whose
    # strategy has no such parameter): the ``drawn`` of each strategy class
    negotiation: dict[str, np.ndarray]
    compliance: dict[str, np.ndarray]
    verification: np.ndarray       # (n,)
    sanction: np.ndarray           # (n,) penalty of a detected defection, payoff units
    noise: np.ndarray              # (n,)
    compliance_noise: np.ndarray   # (n,)
    tension: np.ndarray            # (n, 4): bias, forces, mistrust, agreements
    hazard: np.ndarray             # (n,)
    crisis_exponent: np.ndarray    # (n,)
    trust_gain: np.ndarray         # (n,)
    trust_loss: np.ndarray         # (n,)
    # (n, K): each force's sd of the shock, in its own unit (environment.noise where the
    # force gives none); (n, M): the coefficient of each of Spec.reacts
    force_noise: np.ndarray | None = None
    reacts_to: np.ndarray | None = None
    # (n, I, A): the chance that a defection of actor a is detected while issue i's
    # agreement binds it (the issue's verification, else the actor's, else the
    # environment's; docs/model.md 7.20.3); None where no issue or actor gives one, so the
    # common case keeps ``verification`` (n,) alone
    verification_of: np.ndarray | None = None
    # each new government's numbers, from its round on: (round, Params) (Spec.eras)
    eras: tuple = ()
    # ideals and red lines drawn per run, ``(n, A, I)`` by name (see Spec.limit); absent
    # where every run has the spec's constants, so the common case costs nothing
    limits: dict[str, np.ndarray] = field(default_factory=dict)
