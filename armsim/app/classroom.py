"""The model behind the classroom page: one run, its story as it goes, and a seat.

:class:`ClassroomModel` is the Mesa engine's :class:`~armsim.abm.ArmsControlModel`
made from the page's controls (a scenario file, sliders, linkage, a seat, a run
number), with two additions:

- the story of ``armsim explain`` growing as rounds are played (the same
  :class:`~armsim.explain.Narrator`, fed after each round);
- a student's seat (:class:`~armsim.app.play.HumanAgent`): the round pauses at the
  core's decision point where the seat must propose (before RESPOND) or answer (before
  RESOLVE), with ``model.turn`` saying what the student must decide; the page asks the
  student, whose :meth:`submit` finishes the round. A round in which the seat decides
  is played up to that point as soon as the round before it ends, so the page shows
  the turn at once. Steps asked for while it waits (Step, Play) do nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from armsim.abm import ArmsControlModel
from armsim.app import controls
from armsim.app.play import PROPOSE, RESPOND, Decision, HumanAgent, Turn
from armsim.core import rules
from armsim.core.offers import issue_utility, package_utility
from armsim.core.run import Phase
from armsim.explain import Event, Narrator


class ClassroomModel(ArmsControlModel):
    """One run of ``file`` as the page's controls set it.

    ``actor`` is whose ``patience`` and ``reservation`` the sliders set (default:
    :func:`~armsim.app.controls.default_actor`); a slider given as None, or at the
    scenario's value, changes nothing. ``linkage=False`` empties every actor's
    ``insists``. ``seat`` (an actor's id or label) is played by the student.
    """

    #: the file and actor used when none is given (the page makes a subclass per choice:
    #: Mesa's Reset passes only the values of its parameter panel)
    default_file: str = str(controls.DEFAULT_FILE)
    default_actor: str | None = None

    def __init__(self, file: str | None = None, actor: str | None = None,
                 seat: str = controls.NOBODY, verification: float | None = None,
                 hazard: float | None = None, patience: float | None = None,
                 reservation: float | None = None, linkage: bool = True,
                 run: int = 0) -> None:
        file = file or self.default_file
        base = controls.load(file)
        self.file = Path(file)
        self.focus = actor or self.default_actor or controls.default_actor(base)
        self.seat = controls.seat_actor(base, seat)
        self.settings = controls.overrides(
            base, self.focus, {"verification": verification, "hazard": hazard,
                               "patience": patience, "reservation": reservation}, linkage)
        super().__init__(base, run=int(run), overrides=self.settings or None,
                         agent_classes={self.seat: HumanAgent} if self.seat else None,
                         trajectories=True)
        #: tension before the first round
        self.start_tension = self.tension
        self.narrator = Narrator(self.armsim_scenario, self.spec, self.params, self.state)
        #: the story so far: ``armsim explain``'s events, round by round
        self.events: list[Event] = self.narrator.opening(self.run_index)
        #: what the student must decide before the next round can be played, or None
        self.turn: Turn | None = None
        #: held while a round is played or read (the page's threads share the model)
        self.lock = threading.RLock()
        #: held while a figure of the model is drawn (one at a time)
        self.drawing = threading.Lock()
        # Mesa's step (model.time + 1, then this class's step) runs only when a round
        # can be played; Step and Play call model.step()
        self._mesa_step = self.step
        self.step = self.step_when_ready
        self._play_to_seat()

    @classmethod
    def choosing(cls, file: str | Path, actor: str | None = None) -> type[ClassroomModel]:
        """A subclass whose file and actor default to ``file`` and ``actor``."""
        return type(cls.__name__, (cls,), {"default_file": str(file), "default_actor": actor,
                                           "__module__": cls.__module__})

    # --- the seat ---------------------------------------------------------------------

    @property
    def human(self) -> HumanAgent | None:
        return self.actor(self.seat) if self.seat else None

    @property
    def waiting(self) -> bool:
        """The next round waits for the student's decision."""
        return self.turn is not None

    def step_when_ready(self) -> None:
        """Play the next round, unless it waits for the student or the run is over."""
        with self.lock:
            if self.turn is None and not self.finished:
                self._mesa_step()
            self.running = not self.finished

    def run_model(self) -> None:
        """Play rounds until the run is over or the student must decide (Mesa's
        ``run_model`` would wait for ever)."""
        while not self.finished and self.turn is None:
            self.step()

    def submit(self, decision: Decision) -> None:
        """The student's decision for the waiting turn; plays the round."""
        with self.lock:
            turn = self.turn
            if turn is None:
                raise ValueError("no decision is awaited: it is not the student's turn")
            self._check(turn, decision)
            self.human.decision = decision
            self.turn = None
            self._mesa_step()
            self.running = not self.finished

    def _check(self, turn: Turn, decision: Decision) -> None:
        if decision.kind != turn.kind:
            raise ValueError(f"the student must {turn.kind}, not {decision.kind}")
        if decision.kind == PROPOSE:
            for issue, level in decision.levels.items():
                if issue not in turn.offer:
                    raise ValueError(f"{issue!r} is not open in this round; open: "
                                     f"{', '.join(turn.offer)}")
                lo, hi = self.issue_range(issue)
                if not lo <= level <= hi:
                    raise ValueError(f"{issue}: {level:g} is outside its range [{lo:g}, {hi:g}]")
        elif decision.kind == RESPOND:
            unknown = set(decision.answers) - set(turn.offer)
            if unknown:
                raise ValueError(f"no offer on {', '.join(sorted(unknown))} in this round")

    def issue_range(self, issue: str) -> tuple[float, float]:
        i = self.spec.issues.index(issue)
        return float(self.spec.lo[i]), float(self.spec.hi[i])

    def red_line(self, actor: str, issue: str) -> tuple[float, float]:
        """The levels ``actor`` can accept on ``issue`` (its red line; the range if none)."""
        a, i = self.spec.actors.index(actor), self.spec.issues.index(issue)
        return float(self.spec.red_lo[a, i]), float(self.spec.red_hi[a, i])

    # --- a round ----------------------------------------------------------------------

    def step(self) -> None:
        """One round (called by Mesa's step), or the rest of one the seat paused, then its
        story; then the next round up to the seat's decision, if it has one."""
        t = self.round
        super().step()
        if self.turn is not None:            # paused for the student
            return
        if self.round > t:
            self.events += self.narrator.round(t, self.history[-1], self.state)
            if self.finished:
                outputs = {k: v.item() for k, v in self.outputs().items()}
                self.events += self.narrator.ending(self.state, outputs)
        if self.seat:
            self.human.decision = None
        self._play_to_seat()

    def wait_at(self, phase: Phase) -> bool:
        """Pause before RESPOND if the seat proposes, before RESOLVE if it answers, until
        the student's decision is in (``turn`` says what to decide)."""
        human = self.human
        run = self.run
        if human is None or human.decision is not None or run.proposal is None:
            return False
        seat, proposal = human.index, run.proposal
        offer = self._offer_dict(proposal.offer)
        if phase == Phase.RESPOND and proposal.proposer == seat:
            self.proposer = human.name
            self.turn = Turn(PROPOSE, human.name, self.round, offer)
        elif phase == Phase.RESOLVE and seat in run.responses.who and proposal.proposer != seat:
            j = int(np.flatnonzero(run.responses.who == seat)[0])
            advice = {issue: bool(run.responses.likes[0, j, self.spec.issues.index(issue)])
                      for issue in offer}
            who = (self.spec.actors[proposal.proposer] if proposal.proposer >= 0
                   else "mediator")
            self.turn = Turn(RESPOND, human.name, self.round, offer, advice, who)
        else:
            return False
        return True

    def _play_to_seat(self) -> None:
        """Play the next round up to the seat's decision, if the seat is at the table
        with an issue open (nothing it does not decide is played ahead)."""
        self.turn = None
        if not self.seat or self.finished or not self._seat_at_table():
            return
        s, _ = self.spec.schedule(self.round)
        if not (self.spec.agenda[s] & ~self.state.agreed[0]).any():
            return
        ArmsControlModel.step(self)     # to the pause: not a Mesa step, nor a round played

    def _seat_at_table(self) -> bool:
        s, _ = self.spec.schedule(self.round)
        seat = self.spec.actors.index(self.seat)
        return s >= 0 and bool(self.spec.participants[s, seat]) and self.state.crisis_round[0] < 0

    def utility(self, actor: str, offer: Mapping[str, float]) -> tuple[dict[str, float], float]:
        """What ``offer`` (``{issue: level}``) is worth to ``actor`` on each issue and over
        them all (its weights), each in [0, 1]: the core's utility functions."""
        spec, a = self.spec, self.spec.actors.index(actor)
        x = spec.hi.copy()[None, :]
        open_ = np.zeros((1, len(spec.issues)), bool)
        for issue, level in offer.items():
            i = spec.issues.index(issue)
            x[0, i], open_[0, i] = level, True
        u = issue_utility(x, spec.ideal, spec.span, self.params.weight,
                          spec.sides())                                          # (1, A, I)
        whole = package_utility(u, self.params.weight, open_)[0, a]
        return {issue: float(u[0, a, spec.issues.index(issue)]) for issue in offer}, float(whole)

    def others_window(self, actor: str, issue: str) -> tuple[float, float]:
        """The levels of ``issue`` that the other participants of the round's session
        can accept (within all their public red lines); the range if none is at the table."""
        s, _ = self.spec.schedule(self.round)
        lo, hi = self.issue_range(issue)
        if s < 0:
            return lo, hi
        a, i = self.spec.actors.index(actor), self.spec.issues.index(issue)
        others = self.spec.participants[s].copy()
        others[a] = False
        if not others.any():
            return lo, hi
        low, high = rules.common_window(self.spec.red_lo, self.spec.red_hi, others)
        return max(lo, float(low[i])), min(hi, float(high[i]))

    def ideal(self, actor: str, issue: str) -> float:
        return float(self.spec.ideal[self.spec.actors.index(actor), self.spec.issues.index(issue)])

    def reservation(self, actor: str) -> float:
        return float(self.params.reservation[0, self.spec.actors.index(actor)])

    # --- for the page -----------------------------------------------------------------

    def lines(self, since: int | None = None) -> list[tuple[int, str]]:
        """``(round, text)`` of the story so far (from round ``since`` on, if given)."""
        return [(e.round, e.text) for e in self.events if since is None or e.round >= since]

    def summary(self) -> dict[str, Any]:
        """Where the run stands: round, venue, tension, agreements in force, outcome."""
        state, spec = self.state, self.spec
        in_force = [spec.issues[i] for i in range(len(spec.issues)) if state.in_force[0, i]]
        crisis = int(state.crisis_round[0])
        return {"round": self.round, "rounds": spec.rounds, "talk_rounds": spec.talk_rounds,
                "venue": self.venue, "tension": self.tension, "in_force": in_force,
                "agreed": int(state.agreed[0].sum()), "crisis_round": crisis,
                "finished": self.finished}
