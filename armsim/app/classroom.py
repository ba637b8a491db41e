"""The model behind the classroom: one run, its story as it goes, and seats for people.

:class:`ClassroomModel` is the Mesa engine's :class:`~armsim.abm.ArmsControlModel`
made from the page's settings (a scenario file, sliders, linkage, a run number), with:

- the story of ``armsim explain`` growing as rounds are played (the same
  :class:`~armsim.explain.Narrator`, fed after each round, told the seats' choices as
  the players', not the strategies'), and the :class:`~armsim.app.record.PublicRecord`
  every seat may read;
- seats (:class:`~armsim.app.play.HumanAgent`): the round pauses at the core's
  decision point where seats propose (before RESPOND) or answer (before RESOLVE), with
  ``model.turns`` saying what each seat's players must decide; the round goes on when
  every turn is decided (:meth:`submit`). A seat nobody holds (``away``) is played by
  its strategy, and so is a turn in which nothing the seat decides could change
  anything (an *empty* turn: every level fixed by its red lines, or no answer that
  would make an agreement, where red lines are public: where they are private an answer
  also tells the others about them); both go into the decision log (``model.log``) with
  the reason. A round in which a seat decides is played up to that point as soon as the
  round before it ends, so the turn shows at once (up to an offer by a seat nobody
  holds, which waits for the next step: its players may still come); nothing after the
  talks is played ahead. Steps asked for while a turn waits do nothing.

A seat whose players always decide as its strategy would plays the run ``armsim run``
reports at the same index, bit for bit.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from armsim.abm import ArmsControlModel
from armsim.app import controls, seats as seating
from armsim.app.play import PROPOSE, RESPOND, Decision, HumanAgent, Turn
from armsim.app.record import Entry, PublicRecord, merge_quiet
from armsim.core import rules
from armsim.core.offers import issue_utility, package_utility, whole_ceil, whole_floor
from armsim.core.run import Phase
from armsim.explain import Event, Narrator, Played


class ClassroomModel(ArmsControlModel):
    """One run of ``file`` as the page's settings make it.

    ``actor`` is whose ``patience`` and ``reservation`` the sliders set (default:
    :func:`~armsim.app.controls.default_actor`); a slider given as None, or at the
    scenario's value, changes nothing. ``linkage=False`` empties every actor's
    ``insists``. ``seat`` (one actor's id or label) and ``seats`` (several) are played
    by people, but those in ``away`` by their strategies until people take them
    (:meth:`take_seat`); ``players`` names the people per seat (the story says "played
    by ...").
    """

    #: the file and actor used when none is given
    default_file: str = str(controls.DEFAULT_FILE)
    default_actor: str | None = None

    def __init__(self, file: str | None = None, actor: str | None = None,
                 seat: str = controls.NOBODY, verification: float | None = None,
                 hazard: float | None = None, patience: float | None = None,
                 reservation: float | None = None, linkage: bool = True,
                 run: int = 0, *, seats: Iterable[str] = (), away: Iterable[str] = (),
                 players: Mapping[str, str] | None = None) -> None:
        file = file or self.default_file
        base = controls.load(file)
        self.file = Path(file)
        self.focus = actor or self.default_actor or controls.default_actor(base)
        chosen = [controls.seat_actor(base, s) for s in (seat, *seats)]
        #: the actors people may play, in the scenario's order
        self.seats: tuple[str, ...] = tuple(a for a in base.actors if a in chosen)
        self.settings = controls.overrides(
            base, self.focus, {"verification": verification, "hazard": hazard,
                               "patience": patience, "reservation": reservation}, linkage)
        super().__init__(base, run=int(run), overrides=self.settings or None,
                         agent_classes=dict.fromkeys(self.seats, HumanAgent),
                         trajectories=True)
        #: seats nobody holds now: their strategies decide
        self.away: set[str] = {controls.seat_actor(base, a) for a in away} & set(self.seats)
        #: why each seat is the agent's (its players left, nobody took it)
        self.away_why: dict[str, str] = {}
        #: who plays each seat, for the story ("played by Ana and Ben")
        self.players: dict[str, str] = {s: "a student" for s in self.seats}
        self.players.update(players or {})
        #: tension before the first round
        self.start_tension = self.tension
        self.narrator = Narrator(self.armsim_scenario, self.spec, self.params, self.state)
        self.record = PublicRecord(self.armsim_scenario, self.spec, self.params, self.state)
        #: the story so far: ``armsim explain``'s events, round by round
        self.events: list[Event] = self.narrator.opening(self.run_index)
        #: what every seat may see: the public record
        self.public: list[Event] = self.record.opening(self.run_index)
        #: what each seat must decide before the round can go on
        self.turns: dict[str, Turn] = {}
        #: every decision of a seat, in order (:class:`~armsim.app.record.Entry`)
        self.log: list[Entry] = []
        #: per seat, what its latest decision did (lines for its panel)
        self.last: dict[str, list[str]] = {}
        #: ``(A, A)`` defections of b that a has detected so far
        self.seen = np.zeros((len(self.spec.actors),) * 2, dtype=int)
        #: held while a round is played or read (the page's threads share the model)
        self.lock = threading.RLock()
        # Mesa's step (model.time + 1, then this class's step) runs only when a round
        # can be played
        self._mesa_step = self.step
        self.step = self.step_when_ready
        self._play_to_turn()

    @classmethod
    def choosing(cls, file: str | Path, actor: str | None = None) -> type[ClassroomModel]:
        """A subclass whose file and actor default to ``file`` and ``actor``."""
        return type(cls.__name__, (cls,), {"default_file": str(file), "default_actor": actor,
                                           "__module__": cls.__module__})

    # --- seats and turns --------------------------------------------------------------

    @property
    def seat(self) -> str | None:
        """The one seat, when there is one (None otherwise)."""
        return self.seats[0] if len(self.seats) == 1 else None

    @property
    def turn(self) -> Turn | None:
        """The waiting turn, when one seat must decide (the first of several)."""
        return next(iter(self.turns.values()), None)

    @property
    def waiting(self) -> bool:
        """The round waits for players' decisions."""
        return bool(self.turns)

    def step_when_ready(self) -> None:
        """Play the next round, unless it waits for players or the run is over."""
        with self.lock:
            if not self.turns and not self.finished:
                self._mesa_step()
            self.running = not self.finished

    def run_model(self) -> None:
        """Play rounds until the run is over or players must decide."""
        while not self.finished and not self.turns:
            self.step()

    def submit(self, decision: Decision, actor: str | None = None, by: str | None = None
               ) -> None:
        """A seat's players' decision for its waiting turn (``actor`` may be left out when
        one seat waits); ``by`` names who decided (default: the seat's players). The round
        goes on once every waiting seat has decided."""
        with self.lock:
            actor = actor or self.seat or next(iter(self.turns), None)
            self._decide(actor, decision, by or self.players.get(actor, "a student"), True)

    def decide_for(self, actor: str, why: str) -> None:
        """The seat's strategy decides its waiting turn, if it has one (``why``: the turn
        timer ran out, its players left...)."""
        with self.lock:
            turn = self.turns.get(actor)
            if turn is not None:
                self._decide(actor, Decision.as_strategy(turn), f"the agent ({why})", False)

    def _decide(self, actor: str | None, decision: Decision, by: str, people: bool) -> None:
        turn = self.turns.get(actor)
        if turn is None:
            raise ValueError(f"no decision is awaited from {actor}: it is not its turn")
        self._check(turn, decision)
        self.actor(actor).decision = decision
        self._log(turn, decision, by, people)
        del self.turns[actor]
        if not self.turns:
            self._mesa_step()
        self.running = not self.finished

    def hand_to_agent(self, actor: str, why: str = "nobody holds the seat") -> None:
        """The seat's strategy plays it from now on (the log says ``why``); a waiting turn
        is decided by it."""
        with self.lock:
            self.away.add(actor)
            self.away_why[actor] = why
            self.decide_for(actor, why)

    def take_seat(self, actor: str, players: str) -> None:
        """People hold the seat from its next decision on, as ``players``: an offer or
        an answer of the round on the table that is not yet in is theirs to give."""
        with self.lock:
            self.away.discard(actor)
            self.players[actor] = players
            run = self.run
            if run.proposal is None:
                return
            s, _ = self.spec.schedule(self.round)
            if (run.phase == Phase.RESPOND and self.paused_at is None
                    and run.proposal.proposer == self.spec.actors.index(actor)
                    and not self.spec.mediated[s]):
                self.turns = self._propose_turn()        # its offer is not made yet
                self.paused_at = Phase.RESPOND if self.turns else None
                return
            if run.phase != Phase.RESOLVE or self.paused_at != Phase.RESOLVE:
                return
            opened = self._respond_turns()
            self.log = [e for e in self.log if (e.round, e.actor) != (self.round, actor)
                        or actor not in opened]
            self.turns.update(opened)

    def _check(self, turn: Turn, decision: Decision) -> None:
        if decision.kind != turn.kind:
            raise ValueError(f"{turn.actor} must {turn.kind}, not {decision.kind}")
        if decision.kind == PROPOSE:
            for issue, level in decision.levels.items():
                if issue not in turn.offer:
                    raise ValueError(f"{issue!r} is not open in this round; open: "
                                     f"{', '.join(turn.offer)}")
                lo, hi = self.issue_range(issue)
                if not lo <= level <= hi:
                    raise ValueError(f"{issue}: {level:g} is outside its range [{lo:g}, {hi:g}]")
                if self.whole(issue) and level != round(level):
                    raise ValueError(f"{issue}: {level:g} is not a whole number, and the "
                                     "issue's levels are whole numbers")
                own_lo, own_hi = self.offer_window(turn.actor, issue)
                if not own_lo - rules.TOL <= level <= own_hi + rules.TOL:
                    raise ValueError(f"{issue}: {level:g} crosses {turn.actor}'s own red line "
                                     f"(it may offer {own_lo:g} to {own_hi:g}): an offer never "
                                     "crosses its proposer's red lines")
        elif decision.kind == RESPOND:
            unknown = set(decision.answers) - set(turn.offer)
            if unknown:
                raise ValueError(f"no offer on {', '.join(sorted(unknown))} in this round")

    # --- a round ----------------------------------------------------------------------

    def step(self) -> None:
        """One round (called by Mesa's step), or the rest of one the seats paused; then
        its story; then the next round's talks up to the seats' decisions, if any."""
        t = self.round
        super().step()
        if self.turns:                       # paused for players
            return
        if self.round > t:
            self._tell(t)
        for seat in self.seats:
            self.actor(seat).decision = None
        self._play_to_turn()

    def _tell(self, t: int) -> None:
        what = self.history[-1]
        self.seen += self.latest["observes"] & what["detected"][0][None, :]
        played = self._played(t)
        self.events += self.narrator.round(t, what, self.state, played)
        self.public = merge_quiet(self.public + self.record.round(t, what, self.state, played))
        for entry in self.log:
            if entry.round == t and not entry.result:
                entry.result = seating.what_it_did(self, entry.actor, what)
                entry.outcome = seating.outcome(self, entry.actor, what)
                if entry.people:
                    self.last[entry.actor] = [f"round {t}, decided by {entry.by}"] + entry.result
        if self.finished:
            outputs = {k: v.item() for k, v in self.outputs().items()}
            self.events += self.narrator.ending(self.state, outputs)
            self.public += self.record.ending(self.state, outputs)

    def _played(self, t: int) -> dict[int, Played]:
        """The seats whose talk decision of round t players made, for the story."""
        out: dict[int, Played] = {}
        issues = self.spec.issues
        for e in self.log:
            if e.round != t or not e.people:
                continue
            a = self.spec.actors.index(e.actor)
            if e.kind == PROPOSE:
                out[a] = Played(f"played by {e.by}", proposed=True)
            else:
                out[a] = Played(f"played by {e.by}",
                                answers={issues.index(k): v for k, v in e.chosen.items()},
                                strategy={issues.index(k): v for k, v in e.strategy.items()})
        return out

    def wait_at(self, phase: Phase) -> bool:
        """Pause before RESPOND for a seat that proposes, before RESOLVE for the seats
        that answer, unless their turn is empty or nobody holds them (the strategy
        decides, and the log says why)."""
        run = self.run
        if not self.seats or run.proposal is None:
            return False
        s, _ = self.spec.schedule(self.round)
        if phase == Phase.RESPOND and run.proposal.proposer >= 0 and not self.spec.mediated[s]:
            # (a participant who chairs a mediated session proposes the Nash solution by
            # the session's rule: not a decision to ask of its players)
            self.turns = self._propose_turn()
        elif phase == Phase.RESOLVE:
            self.turns = self._respond_turns()
        return bool(self.turns)

    def _propose_turn(self) -> dict[str, Turn]:
        p = self.run.proposal.proposer
        name = self.spec.actors[p]
        if name not in self.seats:
            return {}
        general, notes = seating.offer_notes(self, name, self._offer_dict(self.run.proposal.offer))
        turn = Turn(PROPOSE, name, self.round, self._offer_dict(self.run.proposal.offer),
                    notes=notes, general=general)
        if name in self.away:
            self._log(turn, Decision.as_strategy(turn), self._agent(name))
        elif seating.offer_is_fixed(self, name):
            self._log(turn, Decision.as_strategy(turn), "nobody: every open issue is fixed "
                      "by its red lines, so there was nothing to choose")
        else:
            self.proposer = name
            return {name: turn}
        return {}

    def _respond_turns(self) -> dict[str, Turn]:
        run, spec = self.run, self.spec
        proposal, responses = run.proposal, run.responses
        offer = self._offer_dict(proposal.offer)
        mine = [(j, spec.actors[a]) for j, a in enumerate(responses.who)
                if spec.actors[a] in self.seats and a != proposal.proposer
                and self.actor(spec.actors[a]).decision is None]
        people = [name for _, name in mine if name not in self.away]
        # where red lines are private, an answer also tells the others about the seat's
        # own lines (they learn from it): it is never empty there
        counts = bool(people) and (self.state.beliefs is not None
                                   or seating.answer_counts(self, people))
        who = spec.actors[proposal.proposer] if proposal.proposer >= 0 else "mediator"
        turns = {}
        for j, name in mine:
            advice = {issue: bool(responses.likes[0, j, spec.issues.index(issue)])
                      for issue in offer}
            general, notes = seating.answer_notes(self, name, offer)
            turn = Turn(RESPOND, name, self.round, offer, advice, who, notes, general)
            if name in self.away:
                self._log(turn, Decision.as_strategy(turn), self._agent(name))
            elif not counts:
                self._log(turn, Decision.as_strategy(turn), "nobody: no answer could change "
                          "what is agreed this round, so its strategy answered")
            else:
                turns[name] = turn
        return turns

    def _agent(self, seat: str) -> str:
        return f"the agent ({self.away_why.get(seat, 'nobody holds the seat')})"

    def _log(self, turn: Turn, decision: Decision, by: str, people: bool = False) -> None:
        chosen = decision.levels if decision.kind == PROPOSE else decision.answers
        strategy = turn.offer if turn.kind == PROPOSE else turn.advice
        notes = turn.general + [f"{self.narrator.words.title(self.spec.issues.index(i))}: {n}"
                                for i, ns in turn.notes.items() for n in ns]
        entry = Entry(turn.round, self.venue or "", turn.actor, turn.kind, by, people,
                      dict(chosen), dict(strategy), self.strategy_reasons(turn), notes)
        for k, old in enumerate(self.log):          # a turn asked again replaces its entry
            if (old.round, old.actor, old.kind) == (entry.round, entry.actor, entry.kind):
                self.log[k] = entry
                return
        self.log.append(entry)

    def _play_to_turn(self) -> None:
        """Play the next round's talks up to the seats' decisions (the proposal, then the
        answers), when a seat is at the table; the rest of the round waits for a step."""
        self.turns = {}
        run, spec = self.run, self.spec
        if not self.seats or run.finished or run.phase != Phase.PROPOSE:
            return
        s, _ = spec.schedule(self.round)
        if s < 0 or self.state.crisis_round[0] >= 0:
            return
        if not any(spec.participants[s, spec.actors.index(a)] for a in self.seats):
            return
        self.proposer = None
        run.advance()                                         # the proposal
        if run.proposal is None:
            return
        p = run.proposal.proposer
        if p >= 0 and spec.actors[p] in self.away and not spec.mediated[s]:
            return        # held before RESPOND: its players may yet come; a step asks it
        if self.wait_at(Phase.RESPOND):
            self.paused_at = Phase.RESPOND
            return
        self._ask(Phase.RESPOND)
        run.advance()                                         # the answers
        self.wait_at(Phase.RESOLVE)
        # held before RESOLVE: the next step goes on from here without asking again
        self.paused_at = Phase.RESOLVE

    # --- what the seats see -----------------------------------------------------------

    def strategy_reasons(self, turn: Turn) -> str:
        """Why the seat's strategy would decide as ``turn`` advises, in numbers: what
        its offer is worth to it, or each issue's worth against what it accepts."""
        from armsim.app.views import title

        if turn.kind == PROPOSE:
            _, whole = self.utility(turn.actor, turn.offer)
            return f"its offer is worth {whole:.2f} to it"
        responses, a = self.run.responses, self.spec.actors.index(turn.actor)
        j = int(np.flatnonzero(responses.who == a)[0])
        parts = []
        for issue, yes in turn.advice.items():
            i = self.spec.issues.index(issue)
            u = float(responses.utility[0, j, i])
            need = float(responses.threshold[0, j, i]) + rules.TOL
            bar = "accepts anything within its red lines" if not np.isfinite(need) else (
                f"{u:.2f} {'>=' if u >= need - rules.TOL else '<'} {need:.2f}")
            parts.append(f"{title(self, issue)}: {'accept' if yes else 'refuse'} "
                         f"({bar})")
        return "; ".join(parts)

    def issue_range(self, issue: str) -> tuple[float, float]:
        i = self.spec.issues.index(issue)
        return float(self.spec.lo[i]), float(self.spec.hi[i])

    def red_line(self, actor: str, issue: str) -> tuple[float, float]:
        """The levels ``actor`` can accept on ``issue`` (its red line; the range if none)."""
        a, i = self.spec.actors.index(actor), self.spec.issues.index(issue)
        return float(self.spec.red_lo[a, i]), float(self.spec.red_hi[a, i])

    def offer_window(self, actor: str, issue: str) -> tuple[float, float]:
        """The levels ``actor`` may offer on ``issue``: its range within its red line (its
        whole levels, on an issue of whole numbers)."""
        lo, hi = self.issue_range(issue)
        red_lo, red_hi = self.red_line(actor, issue)
        low, high = max(lo, red_lo), min(hi, red_hi)
        if self.whole(issue):
            low, high = float(whole_ceil(low)), float(whole_floor(high))
        return low, high

    def whole(self, issue: str) -> bool:
        """The issue's levels are whole numbers."""
        return bool(self.spec.whole[self.spec.issues.index(issue)])

    def others_window(self, actor: str, issue: str) -> tuple[float, float]:
        """The levels of ``issue`` that the other participants of the round's session
        can accept (within all their stated red lines); the range if none is at the table."""
        s, _ = self.spec.schedule(self.round)
        lo, hi = self.issue_range(issue)
        if s < 0:
            return lo, hi
        a, i = self.spec.actors.index(actor), self.spec.issues.index(issue)
        others = self.spec.participants[s].copy()
        others[a] = False
        if not others.any():
            return lo, hi
        low, high = rules.common_window(self.spec.limit(None, "stated_lo"),
                                        self.spec.limit(None, "stated_hi"), others)
        return max(lo, float(low[i])), min(hi, float(high[i]))

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

    def ideal(self, actor: str, issue: str) -> float:
        return float(self.spec.ideal[self.spec.actors.index(actor), self.spec.issues.index(issue)])

    def reservation(self, actor: str) -> float:
        return float(self.params.reservation[0, self.spec.actors.index(actor)])

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
                "finished": self.finished, "waiting": sorted(self.turns)}
