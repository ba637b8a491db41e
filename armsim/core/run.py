"""The one way to step runs: :class:`Run`, round by round or phase by phase.

A round is eight phases in MODEL.md's order (:class:`Phase`): the talks' **propose**,
**respond** and **resolve**, the compliance game's **comply** (intentions) and
**verify** (noise, detection, trust, payoffs, collapse), then **forces**, **tension**
and **crisis**. :meth:`Run.step` plays a whole round; :meth:`Run.advance` one phase.
Between phases the decisions the strategies made are open to replacement, which is
how a person takes a seat (the classroom) or a Python agent decides (the Mesa model)::

    run = Run(spec, params, runs)
    run.advance_to(Phase.RESPOND)        # the proposer has made its offer ...
    if run.proposal is not None:
        run.replace_offer(my_offer)      # ... which a person may replace
    run.step()                           # the rest of the round

The batch engine (:func:`armsim.core.engine.simulate`), the Mesa model, ``armsim
explain`` and the classroom all step runs this way, so the rules live once.
"""

from __future__ import annotations

from dataclasses import replace
from enum import IntEnum
from typing import Any

import numpy as np

from armsim.core import agreements as ag
from armsim.core import compiled as cc
from armsim.core import phases
from armsim.core import random as rnd
from armsim.core import talks as tk
from armsim.core.arrays import runs_last
from armsim.core.spec import Params, Spec
from armsim.core.state import State, all_cells, initial_state, outputs
from armsim.core.talks import Proposal, Responses, Round


class Phase(IntEnum):
    """The phases of a round, in order."""

    PROPOSE = 0
    RESPOND = 1
    RESOLVE = 2
    COMPLY = 3
    VERIFY = 4
    FORCES = 5
    TENSION = 6
    CRISIS = 7


_PHASES = tuple(Phase)

# the parameters the talks read, combined there with their (n, P, I) arrays
TALK_PARAMS = ("weight", "reservation", "patience")


def runs_last_params(params: Params) -> Params:
    """``params`` with the talks' per-actor and per-issue arrays (the negotiation
    strategies' parameters among them) laid out runs last, as the talks build theirs."""
    return replace(params, **{name: runs_last(getattr(params, name)) for name in TALK_PARAMS},
                   negotiation={k: runs_last(v) for k, v in params.negotiation.items()})


class Run:
    """n runs of one scenario (``spec``), stepped together from round 0.

    ``params`` are the runs' drawn parameters (:func:`armsim.compile.draw_params`) and
    ``runs`` their indices ``(n,)``, which key every random draw. ``trajectories``
    records per-round arrays (:meth:`trajectories`). ``compiled``: whether the phases
    after the talks run in the compiled kernel (:mod:`armsim.core.compiled`; the same
    bits as the NumPy phases); None lets :func:`armsim.core.compiled.wanted` decide. Runs
    that use a rule the kernel does not know yet step in NumPy whatever is asked
    (:func:`armsim.core.compiled.supports`).

    Between phases: ``proposal`` (after PROPOSE: the offer, or None if no talks this
    round), ``responses`` (after RESPOND), ``turn`` (after COMPLY: who plays and what
    each intends), and after a whole round ``record`` (what the round did).
    """

    def __init__(self, spec: Spec, params: Params, runs: np.ndarray, *,
                 trajectories: bool = False, compiled: bool | None = None) -> None:
        self.spec = spec
        self.drawn = params
        self.params = runs_last_params(params)
        self.runs = np.asarray(runs, dtype=np.int64)
        self.keys = rnd.run_keys(spec.seed, self.runs)
        self.state: State = initial_state(spec, self.params)
        #: the round being played (or next to be played)
        self.round = 0
        #: the next phase to play
        self.phase = Phase.PROPOSE
        self.proposal: Proposal | None = None
        self.responses: Responses | None = None
        self.talks: Round | None = None
        self.turn: phases.Turn | None = None
        self.record: dict[str, Any] | None = None
        self._acted: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        #: what happened at the start of the round (:class:`phases.Opened`), or None
        self.opened: phases.Opened | None = None
        self._events = spec.events
        self._eras = (spec.eras, params.eras)
        self._trace: dict[str, list[np.ndarray]] | None = {} if trajectories else None
        use = (cc.wanted(len(self.runs)) if compiled is None else compiled) \
            and cc.supports(spec, self.params)
        #: the compiled kernel's view of these runs, or None (the NumPy phases)
        self.compiled = cc.Compiled(spec, self.params, self.keys, self.state) if use else None

    @property
    def finished(self) -> bool:
        """Every round of the scenario (sessions, then aftermath) has been played."""
        return self.round >= self.spec.rounds

    # --- stepping -------------------------------------------------------------------

    def advance(self) -> Phase:
        """Play the next phase; returns the phase played."""
        if self.finished:
            raise RuntimeError(f"the runs are over: all {self.spec.rounds} rounds were played")
        if self.phase is Phase.PROPOSE:
            self._open_round()
        phase, spec, params, state, t = self.phase, self.spec, self.params, self.state, self.round
        if phase is Phase.PROPOSE:
            self.proposal = phases.propose(spec, params, state, t)
            self.responses = self.talks = self.turn = None
        elif phase is Phase.RESPOND:
            if self.proposal is not None:
                self.responses = phases.respond(spec, params, state, self.proposal)
        elif phase is Phase.RESOLVE:
            if self.proposal is not None:
                self.talks = phases.resolve(spec, params, state, t, self.proposal,
                                            self.responses)
                phases.learn(spec, params, state, t, self.proposal, self.responses)
        elif phase is Phase.COMPLY:
            self.turn = self._comply(t)
        elif phase is Phase.VERIFY:
            self._acted = self._verify(t)
        elif phase is Phase.FORCES:
            actions, playing, _ = self._acted
            if self.compiled:
                self.compiled.forces(t, state, playing, actions)
            else:
                phases.forces(spec, params, state, t, self.keys, actions, playing)
        elif phase is Phase.TENSION:
            if self.compiled:
                self.compiled.tension(state)
            else:
                phases.tension(spec, params, state, t, self.keys)
        else:
            if self.compiled:
                self.compiled.crisis(t, state)
            else:
                phases.crisis(spec, params, state, t, self.keys)
            self._end_round()
            return phase
        self.phase = _PHASES[phase + 1]
        return phase

    def _comply(self, t: int) -> phases.Turn | None:
        kernel = self.compiled
        if kernel is None or not kernel.decides:
            return phases.comply(self.spec, self.params, self.state, t, self.keys)
        any_live, playing, intended, (pairs, observes, bound, live) = kernel.comply(
            t, self.state)
        if not any_live:
            return None
        if not playing.any():
            return phases.Turn(playing, *(None,) * 4, intended)
        return phases.Turn(playing, pairs, observes, bound, live, intended)

    def _verify(self, t: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        turn = self.turn
        if self.compiled is None:
            return phases.verify(self.spec, self.params, self.state, t, self.keys, turn)
        nobody = np.zeros(self.state.played.shape, bool)
        if turn is None or turn.pairs is None:
            return nobody, nobody if turn is None else turn.playing, nobody
        actions, detected = self.compiled.verify(t, self.state, turn.intended)
        return actions, turn.playing, detected

    def _open_round(self) -> None:
        """The start of a round: a new government's numbers from this round on (the spec
        and parameters of its era, its force terms and the trust it sets; the talks' per
        session reckonings are worked out afresh), then the outside events, terms and
        entries into force of :func:`phases.open_round`."""
        t = self.round
        for (start, spec, trust), (_, params) in zip(self._eras[0], self._eras[1]):
            if start != t:
                continue
            self.spec, self.params = spec, runs_last_params(params)
            self.state.cells = initial_state(spec, self.params).cells
            if trust.any():
                self.state.trust = np.where(trust, params.trust, self.state.trust)
            if self.state.talk is not None:
                self.state.talk.worked_out.clear()
                self.state.talk.cares.clear()
                self.state.talk.mediated = None
        self.opened = phases.open_round(self.spec, self.params, self.state, t, self._events)

    def advance_to(self, phase: Phase) -> None:
        """Play phases until ``phase`` is the next one (in this round, or the next round
        if this one is past it); stops early when the runs are over."""
        if self.phase > phase:
            self.step()
        while self.phase != phase and not self.finished:
            self.advance()

    def step(self) -> dict[str, Any]:
        """Play the rest of the round; returns :attr:`record`. With the compiled kernel
        deciding for every actor, the compliance game, forces, tension and crisis are
        one call."""
        t = self.round
        while self.round == t and not self.finished:
            if self.phase is Phase.PROPOSE and self.compiled and self.compiled.talks:
                self._talk_compiled()
                continue
            if self.phase is Phase.COMPLY and self.compiled and self.compiled.decides:
                self.turn = None
                self._acted = self.compiled.rounds(t, t + 1, self.state)
                self._end_round()
                break
            self.advance()
        return self.record

    def _talk_compiled(self) -> None:
        """The talk phases of this round in the kernel (a mediated session's in NumPy):
        the proposal, responses and round are what PROPOSE, RESPOND and RESOLVE leave."""
        self._open_round()
        spec, params, state, t = self.spec, self.params, self.state, self.round
        self.proposal = self.responses = self.talks = self.turn = None
        opened = phases.open_talks(spec, params, state, t)
        if opened is not None:
            s, k, open_ = opened
            if spec.mediated[s]:
                self.proposal = tk.propose(spec, params, state.talk, s, k, open_,
                                           state.beliefs)
                self.responses = phases.respond(spec, params, state, self.proposal)
                self.talks = phases.resolve(spec, params, state, t, self.proposal,
                                            self.responses)
            else:
                self.proposal, self.responses, self.talks = self.compiled.talk(
                    spec, params, state, s, k, open_)
                phases.settle(spec, state, t, self.proposal, self.talks)
        self.phase = Phase.COMPLY

    def run_to_end(self) -> None:
        """Play every remaining round; once the talks are over, the compiled kernel plays
        all the rounds left in one call (recording their trajectories where asked)."""
        spec = self.spec
        while not self.finished:
            after_talks = self.round >= spec.talk_rounds and self.phase is Phase.PROPOSE
            if after_talks and self.compiled and self.compiled.decides:
                self._rest_compiled()
                break
            self.step()

    def _rest_compiled(self) -> None:
        """Rounds from this one to the last, after the talks, in one call of the kernel."""
        t0, spec = self.round, self.spec
        self.talks = self.turn = self.proposal = self.responses = None
        *acted, traced = self.compiled.rounds(t0, spec.rounds, self.state, trace=True) \
            if self._trace is not None else (*self.compiled.rounds(t0, spec.rounds,
                                                                   self.state), None)
        self._acted = tuple(acted)
        if traced is not None:
            self._append_trace(traced)
        self.round = spec.rounds - 1
        trace, self._trace = self._trace, None      # the last round is recorded above
        self._end_round()
        self._trace = trace

    def _append_trace(self, traced: tuple) -> None:
        """The kernel's trajectories of the rounds after the talks, ``(n, R, ...)`` each,
        kept as one piece per name (:func:`record_round` keeps a round's)."""
        theta, cells, trust, action, in_force = traced
        n, R = theta.shape
        forces = np.zeros((n, R, len(self.spec.actors), len(self.spec.forces)))
        forces[:, :, self.spec.held_actor, self.spec.held_force] = cells
        offer = np.full((n, R, len(self.spec.issues)), np.nan)
        proposer = np.full((n, R), -2)
        for name, value in (("tension", theta), ("forces", forces), ("trust", trust),
                            ("offer", offer), ("proposer", proposer), ("action", action),
                            ("in_force", in_force)):
            self._trace.setdefault(name, []).append(value)

    def _end_round(self) -> None:
        actions, playing, detected = self._acted
        state = self.state
        self.record = {"round": self.round, "talks": self.talks, "actions": actions,
                       "playing": playing, "detected": detected, "opened": self.opened,
                       "collapsed": state.collapsed.copy(order="K"),
                       "crisis": state.crisis_round == self.round}
        if self._trace is not None:
            record_round(self.spec, self._trace, state, self.record)
        self.round += 1
        self.phase = Phase.PROPOSE

    # --- decisions between phases ---------------------------------------------------

    def replace_offer(self, offer: np.ndarray) -> None:
        """Before RESPOND: make ``offer`` ``(n, I)`` the proposer's (kept where open)."""
        self._expect(Phase.RESPOND, "an offer")
        p = self.proposal
        if self.spec.any_whole:        # whole-number issues take whole levels only
            offer = np.where(self.spec.whole, np.floor(np.asarray(offer, float) + 0.5), offer)
        p.offer = np.where(p.open_, offer, np.nan)

    def replace_answers(self, likes: np.ndarray) -> None:
        """Before RESOLVE: the participants' answers ``(n, P, I)`` (True: accept); red
        lines, unanimity, packages and linkage still decide after them."""
        self._expect(Phase.RESOLVE, "answers")
        self.responses.likes = np.asarray(likes, dtype=bool)

    def replace_intentions(self, intended: np.ndarray) -> None:
        """Before VERIFY: the intended defections ``(n, A)`` of the actors playing
        (compliance noise still flips them after)."""
        self._expect(Phase.VERIFY, "intentions")
        if self.turn is None or self.turn.pairs is None:
            raise RuntimeError(f"nobody plays the compliance game in round {self.round}")
        self.turn.intended = np.asarray(intended, dtype=bool)

    def _expect(self, phase: Phase, what: str) -> None:
        if self.phase != phase or (phase <= Phase.RESOLVE and self.proposal is None):
            raise RuntimeError(f"{what} can be replaced only before {phase.name} while a "
                               f"decision is pending; the next phase is {self.phase.name} "
                               f"of round {self.round}")

    # --- results --------------------------------------------------------------------

    def outputs(self) -> dict[str, np.ndarray]:
        """Per-run outputs named as in MODEL.md section 5 (once the runs are over)."""
        if not self.finished:
            raise RuntimeError(f"the runs are at round {self.round} of {self.spec.rounds}; "
                               "outputs are defined once they are over")
        return outputs(self.spec, self.drawn, self.state)

    def trajectories(self) -> dict[str, np.ndarray]:
        """Per-round arrays, each ``(n, rounds, ...)`` (needs ``trajectories=True``)."""
        if self._trace is None:
            raise RuntimeError("make the Run with trajectories=True to record them")
        return {k: np.concatenate(v, axis=1) for k, v in self._trace.items()}


def record_round(spec: Spec, trace: dict[str, list[np.ndarray]], state: State,
                 what: dict[str, Any]) -> None:
    """Append round ``what``'s trajectory arrays (tension, forces, trust, offer,
    proposer, action, in_force; and ``ceiling`` ``(n, I, A)`` where some issue has a
    phased reduction) to ``trace``, each as a piece ``(n, 1, ...)`` of its
    ``(n, rounds, ...)`` whole."""
    n, I = state.agreed.shape
    talks = what["talks"]
    if talks is None:
        offer, proposer = np.full((n, I), np.nan), np.full(n, -2)
    else:   # nothing open in a run: no talks there
        offer = np.array(talks.offer, copy=True)
        proposer = np.where(np.isnan(offer).all(axis=1), -2, talks.proposer)
    action = np.where(what["playing"], what["actions"].astype(np.int8), -1)
    # each piece a new array (the state's own change in place later)
    for name, value in (("tension", state.theta.copy()), ("forces", all_cells(spec, state.x)),
                        ("trust", np.array(state.trust, copy=True)), ("offer", offer),
                        ("proposer", proposer), ("action", action),
                        ("in_force", state.in_force.copy())):
        trace.setdefault(name, []).append(value[:, None])
    if spec.phase_after.size:        # phased reductions: the ceiling on each actor (or its
        t = what["round"]            # group), NaN where none binds (docs/model.md 7.20.5)
        on = ag.live(spec, state, t)[:, :, None] & ag.bound_now(state)
        ceiling = ag.ceilings(spec, state, t)
        trace.setdefault("ceiling", []).append(np.where(on & np.isfinite(ceiling), ceiling,
                                                         np.nan)[:, None])


def simulate(spec: Spec, params: Params, runs: np.ndarray, *, trajectories: bool = False
             ) -> dict[str, np.ndarray]:
    """Run the runs with indices ``runs`` to the end; outputs keyed as in MODEL.md 5
    (and ``trace.<name>`` trajectories ``(n, rounds, ...)`` on request)."""
    run = Run(spec, params, runs, trajectories=trajectories)
    run.run_to_end()
    out = run.outputs()
    if trajectories:
        out.update({f"trace.{k}": v for k, v in run.trajectories().items()})
    return out
