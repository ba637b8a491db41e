"""When and how runs use the compiled kernel (:mod:`armsim.core.kernel`).

The kernel and the NumPy phases (:mod:`armsim.core.phases`) give the same bits, so the
choice is about speed alone: loading numba and the kernel's cached machine code costs
about half a second once per process, after which a run's rounds after the talks cost
microseconds instead of NumPy's per-call overhead. :func:`wanted` decides: the kernel
is used when it is already loaded in this process or when the runs stepped together
are many (:data:`FROM_RUNS`), unless ``ARMSIM_KERNEL`` says ``numpy`` or ``compiled``
(or :func:`use` does). Without numba installed the NumPy phases run, and so they do for
runs that use a rule the kernel does not know yet (:func:`supports`).

:class:`Compiled` packs a run set's Spec, parameters and state into the kernel's tuples
and plays the compliance game, forces, tension and crisis with it, and the talk rounds
where :func:`talks_supported` says the kernel knows every negotiator. Compliance
strategies the kernel does not know (an installed package's) decide in NumPy; what
follows their decisions is compiled all the same. Negotiators it does not know (a
subclass, an installed package's, Rubinstein's), private red lines (the participants
learn them) and mediated sessions (the Nash solution) talk in NumPy; the phases before
and after are the same either way (:func:`armsim.core.phases.open_talks` and
:func:`armsim.core.phases.settle`).
"""

from __future__ import annotations

import importlib.util
import operator
import os
import sys
import threading
from typing import Any

import numpy as np

from armsim.core import beliefs as bl
from armsim.core import deadlock as dl
from armsim.core import mathfn
from armsim.core import offers as of
from armsim.core import rules
from armsim.core import talks as tk
from armsim.core.arrays import power
from armsim.core.compliance import discounted_turns
from armsim.core.spec import Params, Spec
from armsim.core.state import State

#: stepping this many runs together or more loads the kernel (when ``auto``)
FROM_RUNS = 2048
ENV = "ARMSIM_KERNEL"
MODES = ("auto", "numpy", "compiled")
_mode: str | None = None


def use(mode: str | None) -> None:
    """Choose the kernel for this process: ``"auto"`` (the default), ``"numpy"`` or
    ``"compiled"``; None goes back to ``ARMSIM_KERNEL`` (or auto)."""
    global _mode
    if mode is not None and mode not in MODES:
        raise ValueError(f"the kernel is one of {', '.join(MODES)}; got {mode!r}")
    _mode = mode


def mode() -> str:
    """The kernel mode in force: :func:`use`'s, else ``ARMSIM_KERNEL``'s, else auto."""
    chosen = _mode or os.environ.get(ENV, "auto").strip().lower() or "auto"
    if chosen not in MODES:
        raise ValueError(f"{ENV}={chosen!r}: it is one of {', '.join(MODES)}")
    return chosen


def available() -> bool:
    """Whether numba is installed (the kernel can be loaded)."""
    return "numba" in sys.modules or importlib.util.find_spec("numba") is not None


def loaded() -> bool:
    """Whether the kernel is already loaded in this process."""
    return "armsim.core.kernel" in sys.modules


def wanted(runs: int) -> bool:
    """Whether ``runs`` runs stepped together should use the kernel."""
    chosen = mode()
    if chosen == "numpy":
        return False
    if chosen == "compiled":
        if not available():
            raise RuntimeError(f"{ENV}=compiled, but numba is not installed: "
                               "pip install numba, or unset it")
        return True
    return available() and (loaded() or runs >= FROM_RUNS)


def supports(spec: Spec, params: Params) -> bool:
    """Whether the kernel knows every rule these runs use. The agreements' constructs of
    :func:`armsim.core.agreements.kernel_supports` are the NumPy phases' alone so far:
    runs that use them step in NumPy (the same bits, at NumPy's speed)."""
    from armsim.core.agreements import kernel_supports

    return kernel_supports(spec, params)


#: seconds after which loading the kernel says it is compiling it
COMPILE_NOTICE = 10.0


def load() -> Any:
    """The kernel module: numba and the kernel's machine code cached on disk, about half
    a second; the first time after an install or a change the kernel is compiled for
    this machine, about a minute, and a line on stderr says so."""
    if "armsim.core.kernel" in sys.modules:
        return sys.modules["armsim.core.kernel"]
    notice = threading.Timer(COMPILE_NOTICE, lambda: print(
        "armsim: compiling its kernel for this machine (once after an install; about a "
        "minute)...", file=sys.stderr, flush=True))
    notice.daemon = True
    notice.start()
    try:
        from armsim.core import kernel
    finally:
        notice.cancel()
    return kernel


class Compiled:
    """The kernel's view of n runs of ``spec``: the tuples it reads, made once, and the
    phases after the talks. ``keys`` are the runs' keys, ``params`` their parameters
    (as :class:`armsim.core.run.Run` keeps them)."""

    def __init__(self, spec: Spec, params: Params, keys: np.ndarray, state: State) -> None:
        k = self.kernel = load()
        self.model = model_tuple(k, spec)
        self.par = par_tuple(k, spec, params, keys, state)
        #: every actor's compliance strategy is one the kernel decides for
        self.decides = bool((self.model[0] != k.GIVEN).all())
        self.n, self.A, self.I = len(keys), len(spec.actors), len(spec.issues)
        self.cache, self.work = k.scratch(self.n, self.I, self.A, len(spec.held_actor))
        self._agreements_seen = state.agreements_made
        self._none3 = np.zeros((0, 0, 0), bool)
        self._none2 = np.zeros((0, 0), bool)
        self._no_trace = (np.zeros((0, 0)), np.zeros((0, 0, 0)), np.zeros((0, 0, 0, 0)),
                          np.zeros((0, 0, 0), np.int8), self._none3)
        #: the talks run in the kernel too (every negotiator is one it knows, the red
        #: lines are public); a mediated session's rounds run in NumPy all the same
        self.talks = talks_supported(k, spec)
        self._talk = _TalkTables(k, spec, params, self.n) if self.talks else None

    def _call(self, kind: int, t0: int, t1: int, state: State, out: tuple,
              trace: tuple | None = None) -> bool:
        if state.agreements_made != self._agreements_seen:
            self.cache[0][:] = -2        # who is bound changed: work the pairings out again
            self._agreements_seen = state.agreements_made
        return self.kernel.step(kind, t0, t1, self.model, self.par, state_tuple(state), out,
                                self.cache, self.work, trace or self._no_trace)

    def _pairs(self, *flat: np.ndarray) -> tuple:
        """The ``out`` tuple: the four ``(n, A)`` arrays given, no pairings."""
        return flat + (self._none3, self._none3, self._none3, self._none2)

    def comply(self, t: int, state: State) -> tuple[bool, np.ndarray, np.ndarray, tuple]:
        """Round t's intentions: whether any agreement is live, who plays and what each
        intends ``(n, A)``, and the pairings ``(pairs, observes, bound, live)`` as the
        NumPy phase makes them."""
        n, A, I = self.n, self.A, self.I
        playing, intended = np.zeros((n, A), bool), np.zeros((n, A), bool)
        pairing = (np.zeros((n, A, A), bool), np.zeros((n, A, A), bool),
                   np.zeros((n, I, A), bool), np.zeros((n, I), bool))
        none = self._none2
        any_live = self._call(self.kernel.COMPLY, t, t + 1, state,
                              (playing, intended, none, none) + pairing)
        return any_live, playing, intended, pairing

    def verify(self, t: int, state: State, intended: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray]:
        """Noise, detection and what follows; returns actions and detections ``(n, A)``."""
        shape = (self.n, self.A)
        actions, detected = np.zeros(shape, bool), np.zeros(shape, bool)
        self._call(self.kernel.VERIFY, t, t + 1, state,
                   self._pairs(self._none2, np.ascontiguousarray(intended, dtype=bool),
                               actions, detected))
        _trust_moved(state)
        return actions, detected

    def forces(self, t: int, state: State, playing: np.ndarray, actions: np.ndarray) -> None:
        self._call(self.kernel.FORCES, t, t + 1, state,
                   self._pairs(playing, self._none2, actions, self._none2))

    def tension(self, state: State) -> None:
        self._call(self.kernel.TENSION, 0, 1, state, self._pairs(*(self._none2,) * 4))

    def crisis(self, t: int, state: State) -> None:
        self._call(self.kernel.CRISES, t, t + 1, state, self._pairs(*(self._none2,) * 4))

    def rounds(self, t0: int, t1: int, state: State, trace: bool = False) -> tuple:
        """Rounds t0 .. t1 - 1 whole after their talks (the strategies decide); returns
        the last round's actions, who played and detections ``(n, A)``, and with
        ``trace`` the rounds' trajectories: tension ``(n, R)``, the held cells' levels
        ``(n, R, H)``, trust ``(n, R, A, A)``, the action ``(n, R, A)`` int8 (-1 not
        playing) and the agreements in force ``(n, R, I)``."""
        shape = (self.n, self.A)
        playing, actions, detected = (np.zeros(shape, bool) for _ in range(3))
        R, n, A = t1 - t0, self.n, self.A
        traced = (np.zeros((n, R)), np.zeros((n, R, state.x.shape[0])),
                  np.zeros((n, R, A, A)), np.zeros((n, R, A), np.int8),
                  np.zeros((n, R, self.I), bool)) if trace else None
        self._call(self.kernel.ROUNDS, t0, t1, state,
                   self._pairs(playing, self._none2, actions, detected), traced)
        _trust_moved(state)
        return (actions, playing, detected) + ((traced,) if trace else ())


    def talk(self, spec: Spec, params: Params, state: State, s: int, k: int,
             open_: np.ndarray) -> tuple[Any, Any, Any]:
        """Round k of session s, not mediated, with the issues ``open_`` ``(n, I)``: the
        proposal, the responses and the round as talks.propose, respond and resolve and
        deadlock.observe make them (the talk state and the deadlock count move in place;
        the caller records the agreements, :func:`armsim.core.phases.settle`)."""
        tables, talk, stall, kernel = self._talk, state.talk, state.stall, self.kernel
        n, I = open_.shape
        order = spec.order[s]
        q = k % len(order)
        p = order[q]
        who, part, insisted, links = tables.session(spec, s)
        P = len(who)
        rounds = int(spec.session_rounds[s])
        levels = tables.levels
        conceding = tables.conceding(s, who)
        if conceding.size:      # the time-dependent responders' levels (TimeDependent.level)
            tau_next = of.session_tau(k + 1, rounds) if rounds > 1 else 1.0
            levels[conceding] = tables.aspiration(who[conceding], tau_next)
        if tables.codes[p] == kernel.TIME_DEPENDENT:
            levels[P] = tables.aspiration(np.array([p]), of.session_tau(k, rounds))[0]
        dl_rounds = int(spec.session_deadlock[s])
        mode = 0 if rounds < P + dl_rounds else (1 if k < P else 2)
        before = stall.offers.get(p)
        previous = stall.threshold
        has_prev = previous is not None and previous.shape == (n, P, I)
        ints = np.array([q, spec.package[s], spec.any_whole, spec.any_side, mode, dl_rounds,
                         before is not None, has_prev], dtype=np.int64)
        low, high = tables.window(spec, params, s, p)
        for name in ("aspiration", "last_received", "prev_received"):
            _fortran(talk, name)
        idle = _fortran(talk.memory, "idle") if "idle" in talk.memory else tables.no_idle
        f = lambda *shape: np.empty(shape, order="F")                 # noqa: E731
        fb = lambda *shape: np.empty(shape, bool, order="F")          # noqa: E731
        out = (f(n, I), f(n, P, I), fb(n, P, I), fb(n, P, I), f(n, P, I), fb(n, P, I),
               fb(n, P, I), fb(n, I), np.empty(n, bool), np.zeros((n, P), bool),
               np.empty(n, bool), f(n, P, I))
        kernel.talk_round(
            (tables.codes, tables.wait, who, part, insisted, links, tables.span, tables.hi,
             tables.whole, tables.side, ints),
            tables.limits + (low, high, tables.weight, tables.reservation, tables.reciprocity,
                             tables.opening, tables.step, levels[:P + 1],
                             tables.none2 if before is None else _last(before),
                             _last(previous) if has_prev else tables.none3,
                             _last(state.agreed), _last(open_)),
            (talk.aspiration.T, talk.last_received.T, talk.prev_received.T, idle.T,
             stall.still, stall.breaks, stall.ended),
            tuple(v.T if j in _RUNS_LAST_OUT else v for j, v in enumerate(out)),
            tables.work)
        offer, u, inside, likes, threshold, linked, accepted, agreed, declared, broke, \
            ended, aspiration = out
        if mode:
            stall.offers[p], stall.threshold = offer, threshold
        deadlock = None
        if mode == 2 and declared.any():
            after = talk.aspiration[:, who]
            before_broken = after.copy()
            before_broken[declared] = aspiration[declared]
            deadlock = dl.Declared(declared, who, broke, ended, dl_rounds, before_broken,
                                   after)
        proposal = tk.Proposal(s, k, open_, int(p), offer)
        responses = tk.Responses(who, u, inside, likes, threshold)
        result = tk.Round(int(p), offer, who, accepted, agreed, (inside, likes, linked), u,
                          threshold, deadlock)
        return proposal, responses, result


def talks_supported(kernel: Any, spec: Spec) -> bool:
    """Whether the kernel plays the talks of ``spec``: every actor's negotiator declares
    a rule of the kernel (``compiled_as``), the red lines are public (nobody learns
    another's), and the issues are not more than the kernel's row sums reproduce."""
    names = [vars(type(strategy)).get("compiled_as") for strategy in spec.negotiators]
    return (all(name in kernel.NEGOTIATORS for name in names) and not spec.private
            and len(spec.issues) <= kernel.MAX_TALK_ISSUES)


#: the talk round's outputs the kernel fills runs last (transposed): all but who
#: declared, broke and ended
_RUNS_LAST_OUT = (0, 1, 2, 3, 4, 5, 6, 7, 11)


class _TalkTables:
    """What the kernel's talk rounds read of a spec and its parameters, made once, runs
    last (the kernel's talk arrays put the run axis last); the windows each proposer
    offers in and each session's participants, once each."""

    def __init__(self, kernel: Any, spec: Spec, params: Params, n: int) -> None:
        A, I = len(spec.actors), len(spec.issues)
        self.codes = np.array([kernel.NEGOTIATORS[vars(type(strategy))["compiled_as"]]
                               for strategy in spec.negotiators], dtype=np.int64)
        self.wait = np.array([getattr(strategy.config, "wait", 0)
                              if code == kernel.GRIT else 0
                              for strategy, code in zip(spec.negotiators, self.codes)],
                             dtype=np.int64)
        self.span = np.ascontiguousarray(spec.span, dtype=float)
        self.hi = np.ascontiguousarray(spec.hi, dtype=float)
        self.whole = np.ascontiguousarray(spec.whole, dtype=bool)
        self.side = np.ascontiguousarray(spec.side, dtype=np.int8)
        self.limits = tuple(_runs_last(spec.limit(params, name), 2)
                            for name in ("ideal", "red_lo", "red_hi"))
        self.weight = _last(params.weight)
        self.reservation = _last(params.reservation)
        drawn = params.negotiation
        self.none2, self.none3 = np.zeros((1, 1)), np.zeros((1, 1, 1))
        self.reciprocity, self.opening, self.step = (
            _last(drawn[name]) if name in drawn else self.none2
            for name in ("reciprocity", "opening", "step"))
        self.no_idle = np.zeros((1, 1, 1), np.int64)
        self.levels = np.zeros((A + 1, n))
        B = min(n, kernel.TALK_BLOCK)
        self.work = (np.zeros((3, I, A, B)), np.zeros((9, I, B)), np.zeros((4, B)),
                     np.zeros((5, I)), np.zeros(I, np.int64), np.zeros((4, I, B), bool))
        self._sessions: dict[int, tuple] = {}
        self._conceding: dict[int, np.ndarray] = {}
        # the time-dependent aspiration's 1 - r and 1 / e, by actor (A, n)
        self._keep = 1.0 - np.ascontiguousarray(params.reservation.T)
        with np.errstate(divide="ignore"):      # an actor not time-dependent: any number
            self._inverse_exponent = (1.0 / np.ascontiguousarray(drawn["exponent"].T)
                                      if "exponent" in drawn else None)
        self._time_dependent = kernel.TIME_DEPENDENT
        self._windows: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}
        self._session_windows: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._own: tuple[np.ndarray, np.ndarray] | None = None

    def conceding(self, s: int, who: np.ndarray) -> np.ndarray:
        """The places in session s's order ``who`` of the time-dependent negotiators."""
        if s not in self._conceding:
            self._conceding[s] = np.flatnonzero(self.codes[who] == self._time_dependent)
        return self._conceding[s]

    def aspiration(self, actors: np.ndarray, tau: float) -> np.ndarray:
        """The time-dependent aspiration at tau of ``actors`` ``(m,)``, ``(m, n)``: what
        :meth:`TimeDependent.level <armsim.strategies.negotiation.time_dependent.
        TimeDependent.level>` gives each (offers.aspiration's 1 - (1 - r) tau^(1/e)), in one
        call, from 1 - r and 1/e kept by actor (each row C-contiguous, as each actor's column
        of the runs' parameters is, so NumPy takes the same pow loop)."""
        return 1.0 - self._keep[actors] * power(tau, self._inverse_exponent[actors])

    def session(self, spec: Spec, s: int) -> tuple:
        """Session s's participants in order ``(P,)``, as a mask ``(A,)``, what each
        insists on there ``(P, I)`` and whether it insists on anything ``(P,)``."""
        if s not in self._sessions:
            who = np.array(spec.order[s], dtype=np.int64)
            insisted = np.ascontiguousarray(spec.insisted(s)[who], dtype=bool)
            links = np.zeros(len(who), bool)
            for j, _ in spec.linkers(s):
                links[j] = True
            self._sessions[s] = (who, np.ascontiguousarray(spec.participants[s], dtype=bool),
                                 insisted, links)
        return self._sessions[s]

    def window(self, spec: Spec, params: Params, s: int, p: int
               ) -> tuple[np.ndarray, np.ndarray]:
        """The levels proposer p offers within in session s (talks._offer_setup's),
        ``(I, m)``: the participants' common window where it holds a level, else p's
        own. Worked out once a session for every proposer (without private red lines the
        common window is the same whoever proposes), and once in all for the actors' own."""
        if (s, p) not in self._windows:
            if s not in self._session_windows:
                if self._own is None:
                    everyone = np.arange(len(spec.actors))
                    self._own = rules.whole_window(*bl.own_window(spec, params, everyone),
                                                   spec.whole)
                f_lo, f_hi = rules.whole_window(*bl.offer_window(spec, params, None, s, p),
                                                spec.whole)
                holds = (f_lo <= f_hi)[..., None, :]
                self._session_windows[s] = (np.where(holds, f_lo[..., None, :], self._own[0]),
                                            np.where(holds, f_hi[..., None, :], self._own[1]))
            low, high = self._session_windows[s]
            self._windows[s, p] = (_runs_last(low[..., p, :], 1), _runs_last(high[..., p, :], 1))
        return self._windows[s, p]


def _runs_last(value: np.ndarray, constant: int) -> np.ndarray:
    """A spec's constant (``constant`` dimensions: ``(A, I)`` or ``(I,)``) as ``(I, A, 1)``
    or ``(I, 1)``; per-run values ``(n, A, I)`` or ``(n, I)`` as ``(I, A, n)`` or ``(I, n)``."""
    value = np.asarray(value, dtype=float)
    if value.ndim == constant:
        return np.ascontiguousarray(value.T)[..., None]
    return np.ascontiguousarray(value.T)


def _last(value: np.ndarray) -> np.ndarray:
    """``value`` (runs first) transposed, runs last and C-contiguous: a view where it is
    laid out runs innermost (Fortran order), as the talks keep theirs."""
    return np.asfortranarray(value).T


def _fortran(owner: Any, name: str) -> np.ndarray:
    """``owner``'s array ``name`` (an attribute or a key), laid out runs innermost: one
    that is not is replaced by a copy that is, so that the kernel changes it in place."""
    get = owner.get if isinstance(owner, dict) else lambda key: getattr(owner, key)
    value = get(name)
    if not value.flags.f_contiguous:
        value = np.asfortranarray(value)
        if isinstance(owner, dict):
            owner[name] = value
        else:
            setattr(owner, name, value)
    return value


def _trust_moved(state: State) -> None:
    """The kernel changes trust in place: the NumPy tension's memo of the mistrust
    term (keyed by the trust array's identity) no longer holds."""
    state.climate.pop("trust", None)
    state.climate.pop("mistrust", None)


def codes(kernel: Any, spec: Spec) -> np.ndarray:
    """``(A,)`` the kernel's code of each actor's compliance strategy, or GIVEN for one
    whose class does not declare a rule of the kernel (``compiled_as``): an installed
    package's, or a subclass of a built-in one."""
    out = np.full(len(spec.actors), kernel.GIVEN, dtype=np.int64)
    for a, strategy in enumerate(spec.compliers):
        name = vars(type(strategy)).get("compiled_as")
        if name in kernel.CODES:
            out[a] = kernel.CODES[name]
    return out


def model_tuple(kernel: Any, spec: Spec) -> tuple:
    """What the kernel reads of a scenario's structure (kernel's ``model``), worked out
    once per spec (kept on it)."""
    kept = spec.__dict__.get("_kernel_model")
    if kept is not None:
        return kept
    from armsim.core import random as rnd

    H = len(spec.held_actor)
    sources = spec.threat_sources
    ptr = np.zeros(H + 1, np.int64)
    ptr[1:] = np.cumsum([len(s) for s in sources]) if H else []
    idx = np.concatenate(sources).astype(np.int64) if H else np.zeros(0, np.int64)
    rival_a, rival_b = (v.astype(np.int64) for v in np.nonzero(spec.rivals))
    flags = np.array([spec.tolerance, spec.withdrawal, spec.sanctioned,
                      spec.noisy_forces and H > 0, spec.link_target.size > 0], dtype=np.int64)
    # the linked reactions of each cell, in table order (dynamics.linked_reactions)
    rows = np.argsort(spec.link_target, kind="stable")
    link_ptr = np.zeros(H + 1, np.int64)
    np.add.at(link_ptr, spec.link_target.astype(np.int64) + 1, 1)
    link_ptr = np.cumsum(link_ptr)
    i64 = lambda v: np.ascontiguousarray(v, dtype=np.int64)   # noqa: E731
    capped = [np.flatnonzero((spec.held_force == c) & (c >= 0)) for c in spec.caps]
    cap_ptr = np.zeros(len(capped) + 1, np.int64)
    cap_ptr[1:] = np.cumsum([len(c) for c in capped]) if capped else []
    cap_cells = i64(np.concatenate(capped)) if capped else np.zeros(0, np.int64)
    model = (codes(kernel, spec), tuple(float(v) for v in spec.payoffs), flags,
             cap_ptr, i64(spec.held_actor), cap_cells, ptr, idx,
             rival_a, rival_b, np.ascontiguousarray(spec.force_max[spec.held_force], float),
             (rnd.ZIG_X, rnd.ZIG_RATIO, rnd.ZIG_F, rnd.ZIG_DF),
             np.ascontiguousarray(spec.counterparts, dtype=bool),
             link_ptr, i64(spec.link_source[rows]), i64(rows))
    object.__setattr__(spec, "_kernel_model", model)
    return model


#: the compliance strategies' per-run parameters the kernel reads, in its order
STRATEGY_PARAMS = ("p", "bias", "tension", "trust", "temperature", "retaliation",
                   "trust_weight")


def par_tuple(kernel: Any, spec: Spec, params: Params, keys: np.ndarray, state: State
              ) -> tuple:
    """The runs' parameters as the kernel reads them (kernel's ``par``)."""
    n, A = len(keys), len(spec.actors)
    f = lambda v: np.ascontiguousarray(v, dtype=np.float64)   # noqa: E731
    nan = np.full((n, A), np.nan)
    strategy = tuple(f(params.compliance[name]) if name in params.compliance else nan
                     for name in STRATEGY_PARAMS)
    cells = state.cells
    delta = f(params.patience)
    forever, retaliating = nan, nan.copy()
    mine = np.flatnonzero(model_tuple(kernel, spec)[0] == kernel.DETERRED)
    if mine.size:
        # deterred's discounted turns for ever and for its retaliation: a run's constants,
        # for the actors that play it
        forever = nan.copy()
        forever[:, mine] = discounted_turns(delta[:, mine], np.inf)
        with np.errstate(invalid="ignore"):
            retaliating[:, mine] = discounted_turns(
                delta[:, mine], strategy[STRATEGY_PARAMS.index("retaliation")][:, mine])
    loss = f(params.trust_loss)
    log_keep = mathfn.log(1.0 - loss) if spec.withdrawal else loss
    H = len(spec.held_actor)
    noise = (f(cells["noise"]) if "noise" in cells
             else np.repeat(f(params.noise)[None, :], H, axis=0))
    links = f(cells["link"]) if "link" in cells else np.zeros((0, n))
    return ((np.ascontiguousarray(keys, dtype=np.uint64), f(params.verification),
             f(params.sanction), f(params.noise), f(params.compliance_noise), f(params.hazard),
             f(params.crisis_exponent), f(params.trust_gain), loss, delta) + strategy
            + (f(cells["keep"]), f(cells["rt"]), f(cells["dg"]), f(state.climate["weights"]),
               forever, retaliating, log_keep, noise, links))


#: the state's arrays the kernel reads and changes in place (kernel's ``st``), by name
STATE_ARRAYS = ("x", "trust", "in_force", "collapsed", "detections", "agreed_round", "group",
                "level", "bound", "party", "crisis_round", "theta", "theta_sum", "turns",
                "seen_last", "seen_before", "seen_ever", "own_last", "complied", "played",
                "payoff", "pair_turns")
_MEMORY = frozenset(("turns", "seen_last", "seen_before", "seen_ever", "own_last"))


#: the state's arrays in the kernel's order (a memory's under ``memory.``), read at once
_STATE_GET = operator.attrgetter(*(f"memory.{name}" if name in _MEMORY else name
                                   for name in STATE_ARRAYS))


def state_tuple(state: State) -> tuple:
    """The state's arrays as the kernel reads them; one it wants C-contiguous that is
    not (never so far: the NumPy phases make them so) is replaced in the state by a
    C-contiguous copy first, so that the kernel changes the state's own array."""
    from armsim.core.kernel import STRIDED

    out = _STATE_GET(state)
    if all(value.flags.c_contiguous for j, value in enumerate(out) if j not in STRIDED):
        return out
    out = list(out)
    for j, name in enumerate(STATE_ARRAYS):
        if j not in STRIDED and not out[j].flags.c_contiguous:
            out[j] = np.ascontiguousarray(out[j])
            setattr(state.memory if name in _MEMORY else state, name, out[j])
    return tuple(out)
