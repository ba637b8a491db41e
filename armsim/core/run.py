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

from armsim.core import phases
from armsim.core import random as rnd
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
    records per-round arrays (:meth:`trajectories`).

    Between phases: ``proposal`` (after PROPOSE: the offer, or None if no talks this
    round), ``responses`` (after RESPOND), ``turn`` (after COMPLY: who plays and what
    each intends), and after a whole round ``record`` (what the round did).
    """

    def __init__(self, spec: Spec, params: Params, runs: np.ndarray, *,
                 trajectories: bool = False) -> None:
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
        self._trace: dict[str, list[np.ndarray]] | None = {} if trajectories else None

    @property
    def finished(self) -> bool:
        """Every round of the scenario (sessions, then aftermath) has been played."""
        return self.round >= self.spec.rounds

    # --- stepping -------------------------------------------------------------------

    def advance(self) -> Phase:
        """Play the next phase; returns the phase played."""
        if self.finished:
            raise RuntimeError(f"the runs are over: all {self.spec.rounds} rounds were played")
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
            self.turn = phases.comply(spec, params, state, t, self.keys)
        elif phase is Phase.VERIFY:
            self._acted = phases.verify(spec, params, state, t, self.keys, self.turn)
        elif phase is Phase.FORCES:
            actions, playing, _ = self._acted
            phases.forces(spec, params, state, t, self.keys, actions, playing)
        elif phase is Phase.TENSION:
            phases.tension(spec, params, state, t, self.keys)
        else:
            phases.crisis(spec, params, state, t, self.keys)
            self._end_round()
            return phase
        self.phase = Phase(phase + 1)
        return phase

    def advance_to(self, phase: Phase) -> None:
        """Play phases until ``phase`` is the next one (in this round, or the next round
        if this one is past it); stops early when the runs are over."""
        if self.phase > phase:
            self.step()
        while self.phase != phase and not self.finished:
            self.advance()

    def step(self) -> dict[str, Any]:
        """Play the rest of the round; returns :attr:`record`."""
        t = self.round
        while self.round == t and not self.finished:
            self.advance()
        return self.record

    def run_to_end(self) -> None:
        """Play every remaining round."""
        while not self.finished:
            self.step()

    def _end_round(self) -> None:
        actions, playing, detected = self._acted
        state = self.state
        self.record = {"round": self.round, "talks": self.talks, "actions": actions,
                       "playing": playing, "detected": detected,
                       "collapsed": state.collapsed.copy(),
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
        return {k: np.stack(v, axis=1) for k, v in self._trace.items()}


def record_round(spec: Spec, trace: dict[str, list[np.ndarray]], state: State,
                 what: dict[str, Any]) -> None:
    """Append round ``what``'s trajectory arrays (tension, forces, trust, offer,
    proposer, action, in_force) to ``trace``."""
    n, I = state.agreed.shape
    talks = what["talks"]
    offer = talks.offer if talks is not None else np.full((n, I), np.nan)
    proposer = np.full(n, -2 if talks is None else talks.proposer)
    proposer[np.isnan(offer).all(axis=1)] = -2  # nothing open in this run: no talks
    action = np.where(what["playing"], what["actions"].astype(np.int8), -1)
    for name, value in (("tension", state.theta), ("forces", all_cells(spec, state.x)),
                        ("trust", state.trust),
                        ("offer", offer), ("proposer", proposer), ("action", action),
                        ("in_force", state.in_force.copy())):
        trace.setdefault(name, []).append(np.array(value, copy=True))


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
