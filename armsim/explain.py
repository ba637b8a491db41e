"""The story of one run in plain language, round by round (``armsim explain``).

:func:`story` replays one run (n = 1) through the core's :class:`~armsim.core.run.Run`
and has a :class:`Narrator` put what each round did into words: the session and
venue, who proposed what, who refused and why (a red line, below what it would
accept, linkage), what was agreed, who complied or defected and what was detected,
what collapsed, how tension moved, a crisis, and how it all ended. No rule is
computed here a second time: the reasons for a refusal are the engine's own codes
(:class:`~armsim.core.talks.Round`), and the outputs are the engine's outputs for
that run, the same numbers as row ``run`` of ``runs.csv``.

Rounds are numbered from 0, as in ``runs.csv``. Events before round 0 carry round
-1; the ending carries the number of rounds.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from armsim.compile import build_spec, draw_params
from armsim.core.dynamics import crisis_probability
from armsim.core.run import Run
from armsim.core.spec import Params, Spec
from armsim.core.state import State, all_cells
from armsim.core.talks import feasible_window
from armsim.scenario import Scenario, load_scenario
from armsim.narrative import Words
from armsim.richardson import explain as richardson_story
from armsim.richardson import system_story

# kinds that start a block of the text (a blank line before, no indent)
BLOCKS = {"session", "round", "quiet", "phase", "ending"}
INDENT = {"title": 0, "intro": 0, "session": 0, "round": 0, "quiet": 0, "phase": 0,
          "ending": 0, "issue": 4, "refusal": 4, "item": 4, "deadlock": 2}


@dataclass(frozen=True)
class Event:
    """One line of a story: ``round`` (-1 before the talks), a ``kind`` (``session``,
    ``round``, ``proposal``, ``issue``, ``agreement``, ``compliance``, ``detection``,
    ``collapse``, ``crisis``, ``tension``, ``quiet``, ``ending``...), the ``text``,
    ``last`` (the last round a ``quiet`` line sums up) and facts for a page to use."""

    round: int
    kind: str
    text: str
    last: int | None = None
    data: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Played:
    """A seat whose talk decision of a round people made (the classroom), so that the
    story tells their choice as theirs: ``by`` names them ("played by Ana and Ben");
    ``proposed`` says the round's offer was theirs; ``answers`` and ``strategy`` map an
    issue index to the answer they gave and the one the seat's strategy would have
    given (True: accept)."""

    by: str
    proposed: bool = False
    answers: Mapping[int, bool] = field(default_factory=dict)
    strategy: Mapping[int, bool] = field(default_factory=dict)


@dataclass
class Story:
    """The story of one run: ``events`` in order, ``outputs`` (that run's engine
    outputs, named as in MODEL.md section 5, as Python scalars)."""

    title: str
    events: list[Event]
    outputs: dict[str, Any]

    def lines(self) -> list[tuple[int, str]]:
        """``(round, text)`` per event, for a page that shows the story growing."""
        return [(e.round, e.text) for e in self.events]

    def text(self) -> str:
        """The whole story as text to read or project."""
        out: list[str] = []
        for e in self.events:
            if e.kind in BLOCKS and out:
                out.append("")
            out.append(" " * INDENT.get(e.kind, 2) + e.text)
        return "\n".join(out)


def story(scenario: Scenario | str | os.PathLike[str], *, seed: int | None = None,
          run: int = 0, overrides: Mapping[str, Any] | Iterable[str] | None = None) -> Story:
    """Replay run ``run`` of a scenario (file or :class:`Scenario`) and tell it.

    ``seed`` defaults to the scenario's; ``overrides`` maps dotted paths to values, as
    ``--set`` does. The run is the one ``armsim.run(scenario, seed=seed)`` reports at
    index ``run``.
    """
    if not 0 <= run <= np.iinfo(np.int64).max:
        raise ValueError(f"run is an index from 0 to {np.iinfo(np.int64).max}, got {run}")
    loaded = load_scenario(scenario, overrides).with_seed(seed)
    spec = build_spec(loaded)
    runs = np.array([run], dtype=np.int64)
    params = draw_params(loaded, spec, runs)
    stepped = Run(spec, params, runs)
    narrator = Narrator(loaded, spec, params, stepped.state)
    events = narrator.opening(run)
    while not stepped.finished:
        t = stepped.round
        events += narrator.round(t, stepped.step(), stepped.state)
    outputs = {k: v[0].item() for k, v in stepped.outputs().items()}
    events += narrator.ending(stepped.state, outputs)
    return Story(events[0].text, summarise_quiet(events, narrator.words), outputs)


class Narrator:
    """Puts the rounds of one run into words, as they happen.

    Give it the initial state, then, after each :meth:`Run.step
    <armsim.core.run.Run.step>`, the round, what the step returned and the state after it;
    it remembers what it needs from the round before (tension, trust, what was agreed or
    had collapsed). Arrays have a leading run axis of length 1. A page that steps a run
    itself can show ``round``'s events as they come, and pass the whole list through
    :func:`summarise_quiet` at the end::

        narrator = Narrator(scenario, spec, params, run.state)
        events = narrator.opening(index)
        events += narrator.round(t, run.step(), run.state)
    """

    def __init__(self, scenario: Scenario, spec: Spec, params: Params, state: State):
        # the words tell this run: its own ideals and red lines where they are drawn
        spec = spec.of_run(params)
        self.scenario, self.spec, self.params = scenario, spec, params
        self.words = Words(scenario, spec, params.reservation[0], params)
        self.theta = float(state.theta[0])
        self.trust = state.trust[0].copy()
        self.collapsed = state.collapsed[0].copy()
        self.agreed = state.agreed[0].copy()
        self.before = _agreements_of(state)
        self.forces = all_cells(spec, state.x)[0]

    # -- before and after ------------------------------------------------------------

    def opening(self, run: int) -> list[Event]:
        sc, w = self.scenario, self.words
        events = [Event(-1, "title", f"{sc.name}: the story of run {run} (seed {sc.seed})"),
                  Event(-1, "intro", "Rounds are numbered from 0, as in runs.csv. Tension "
                        f"(0 calm, 1 on the brink of crisis) starts at {self.theta:.2f}.")]
        if len(self.spec.issues):
            events.append(Event(-1, "intro", "What can be agreed:"))
            events += [Event(-1, "item", w.issue_intro(i)) for i in range(len(self.spec.issues))]
        race = richardson_story(sc)
        if race:
            events += [Event(-1, "intro" if j == 0 else "item", line.strip())
                       for j, line in enumerate(race.splitlines())]
        linked = w.linked_forces(self.params)
        if linked:
            events.append(Event(-1, "intro", "Linked forces (a force that reacts to another):"))
            events += [Event(-1, "item", line) for line in linked]
            events.append(Event(-1, "item", system_story(sc)))
        events.append(Event(-1, "intro", w.rules(self.params)))
        if self.spec.events:
            events.append(Event(-1, "intro", "From outside the talks:"))
            events += [Event(-1, "item", line) for line in w.scheduled_events()]
        if sc.sessions:
            events.append(Event(-1, "intro", "Who takes part:"))
            events += [Event(-1, "item", w.actor_intro(a, self.params))
                       for a in range(len(self.spec.actors))]
        return events

    def ending(self, state: State, out: Mapping[str, Any]) -> list[Event]:
        spec, w = self.spec, self.words
        T = spec.rounds
        events = [Event(T, "ending", f"How it ended, after round {T - 1}:")]
        events += [Event(T, "outcome", line) for line in w.issue_outcomes(state)]
        first = out["agreement_round"]
        events.append(Event(T, "outcome", f"First agreement in round {first}." if first >= 0
                            else "No agreement was reached.", data={"agreement_round": first}))
        if out.get("deadlock"):
            s, _ = spec.schedule(out["deadlock_round"])
            venue = self.scenario.sessions[s].venue
            events.append(Event(T, "outcome", f"The talks at {venue} ended as a deadlock in "
                                f"round {out['deadlock_round']}.",
                                data={"deadlock_round": out["deadlock_round"]}))
        crisis = out["crisis_round"]
        events.append(Event(T, "outcome", f"A crisis broke out in round {crisis}."
                            if crisis >= 0 else "No crisis broke out.",
                            data={"crisis_round": crisis}))
        events.append(Event(T, "outcome", f"Final tension {out['final_tension']:.2f} "
                            f"(mean over the run {out['mean_tension']:.2f}).",
                            data={"final_tension": out["final_tension"]}))
        events += [Event(T, "outcome", line) for line in w.utilities(out)]
        events += [Event(T, "outcome", line) for line in w.compliance_rates(out)]
        forces = w.forces(self.forces, all_cells(spec, state.x)[0])
        events += [Event(T, "outcome" if j == 0 else "item", line)
                   for j, line in enumerate(forces)]
        events += [Event(T, "outcome", line) for line in w.trust(self.params.trust[0],
                                                                 state.trust[0])]
        return events

    # -- one round -------------------------------------------------------------------

    def round(self, t: int, what: Mapping[str, Any], state: State,
              played: Mapping[int, Played] | None = None) -> list[Event]:
        """The events of round ``t``; a ``quiet`` one if nothing happened but drift.
        ``played`` (actor index -> :class:`Played`): seats whose decisions people made."""
        spec = self.spec
        s, k = spec.schedule(t)
        head: list[Event] = []
        if s >= 0 and k == 0:
            head = self._session(t, s, state, what["talks"])
        elif t == spec.talk_rounds and spec.aftermath:
            head = [Event(t, "phase", self.words.aftermath_intro(state))]
        opened = what.get("opened")
        if opened is not None and opened.withdrawn is not None:
            self.collapsed |= opened.withdrawn[0]     # told with the event, not as a count
        told = [Event(t, kind, text) for kind, text in self.words.opened(opened, state, t)]
        talks = what["talks"]
        told += (self._talks(t, s, talks, state, played or {})
                 if talks is not None and np.isfinite(talks.offer[0]).any() else [])
        compliance, defected = self._compliance(t, what, state)
        after = self._collapses(t, state) + self._crisis(t, what, state)
        theta = float(state.theta[0])
        if told or defected or after or any(e.kind == "session" for e in head):
            heading = Event(t, "round", self.words.round_heading(t, s, k))
            tension = Event(t, "tension", f"Tension {self.theta:.2f} -> {theta:.2f}.",
                            data={"from": self.theta, "to": theta})
            events = head + [heading] + told + compliance + after + [tension]
        else:
            events = head + [self._quiet(t, what, state, theta)]
        self._remember(state, theta)
        return events

    def _remember(self, state: State, theta: float) -> None:
        self.theta = theta
        self.trust = state.trust[0].copy()
        self.collapsed = state.collapsed[0].copy()
        self.agreed = state.agreed[0].copy()
        self.before = _agreements_of(state)

    def _session(self, t: int, s: int, state: State, talks: Any = None) -> list[Event]:
        w = self.words
        if state.crisis_round[0] >= 0 and state.crisis_round[0] < t:
            return [Event(t, "session", w.session_cancelled(s))]
        events = [Event(t, "session", w.session_intro(s), data={"session": s})]
        f_lo, f_hi = feasible_window(self.spec, s)
        open_now = np.isfinite(talks.offer[0]) if talks is not None else None
        events += [Event(t, "note", line) for line in
                   w.session_notes(s, self.agreed, f_lo, f_hi, open_now, self.before)]
        return events

    def _proposal(self, t: int, s: int, talks: Any, played: Mapping[int, Played]) -> Event:
        """Who proposed, and how: the session's format, its chair, the players' offer."""
        by = played.get(talks.proposer)
        return Event(t, "proposal", self.words.proposal(
            talks.proposer, bool(self.spec.package[s]), bool(self.spec.mediated[s]),
            by.by if by is not None and by.proposed else None),
            data={"proposer": talks.proposer})

    def _talks(self, t: int, s: int, talks: Any, state: State,
               played: Mapping[int, Played]) -> list[Event]:
        spec, w = self.spec, self.words
        offer, agreed = talks.offer[0], talks.agreed[0]
        reasons = talks.reasons[0]                               # (P, I)
        open_ = np.flatnonzero(np.isfinite(offer))
        package = bool(spec.package[s])
        events = [self._proposal(t, s, talks, played)]
        have = state.agreed[0]
        worth = talks.worth[0] if talks.worth is not None else None           # (P, I)
        needs = talks.needs[0] if talks.needs is not None else None
        for i in open_:
            line = w.level_of(i, offer[i])
            if not package:
                line += " " + w.verdict(i, offer, agreed[i], talks.who, reasons[:, i],
                                         talks.proposer, have,
                                         None if worth is None else worth[:, i],
                                         None if needs is None else needs[:, i], s, played)
            events.append(Event(t, "issue", line, data={"issue": spec.issues[i],
                                                         "level": float(offer[i])}))
        if package:
            events += [Event(t, "refusal", line) for line in
                       w.package_verdict(offer, open_, agreed, talks.who, reasons,
                                         talks.proposer, have, worth, needs, s, played)]
        for i in np.flatnonzero(agreed):
            waits = (state.pending_round is not None and state.pending_round[0, i] == t)
            bound = (self.spec.participants[s] if self.spec.binds_all[i]
                     else self.spec.binds[i]) if waits else state.bound[0, i]
            events.append(Event(t, "agreement", w.agreement(i, offer[i], bound, t, s, waits),
                                data={"issue": spec.issues[i], "level": float(offer[i])}))
        return events + self._private(t, offer, state) + self._deadlock(t, s, talks.deadlock)

    def _private(self, t: int, offer: np.ndarray, state: State) -> list[Event]:
        """A bluff called and a red line revealed this round (private red lines only)."""
        beliefs = state.beliefs
        if beliefs is None:
            return []
        events = []
        for kind, rounds, say in (("bluff", beliefs.called[0], self.words.bluff_called),
                                  ("revealed", beliefs.revealed[0], self.words.line_revealed)):
            for a, i in zip(*np.nonzero(rounds == t)):
                events.append(Event(t, kind, say(int(a), int(i), float(offer[i])),
                                    data={"actor": self.spec.actors[a],
                                          "issue": self.spec.issues[i]}))
        return events

    def _deadlock(self, t: int, s: int, declared: Any) -> list[Event]:
        """A deadlock declared this round: who broke it and how, or the session's end."""
        if declared is None or not declared.declared[0]:
            return []
        spec = self.spec
        broke = []
        for j, a in enumerate(declared.who):
            if declared.broke[0, j]:
                before, after = declared.before[0, j], declared.after[0, j]
                moved = np.flatnonzero(after < before - 1e-9)
                i = int(moved[0]) if moved.size else 0
                broke.append((int(a), spec.negotiators[a].breaks_deadlock_with,
                              float(before[i]), float(after[i])))
        start = int(spec.session_rounds[:s].sum())
        left = start + int(spec.session_rounds[s]) - 1 - t
        ended = bool(declared.ended[0])
        return [Event(t, "deadlock", self.words.deadlock(s, declared.rounds, broke, ended, left),
                      data={"ended": ended, "broke": [spec.actors[b[0]] for b in broke]})]

    def _compliance(self, t: int, what: Mapping[str, Any], state: State
                    ) -> tuple[list[Event], bool]:
        """The compliance lines, and whether anything happened (a defection)."""
        playing = what["playing"][0]
        if not playing.any():
            return [], False
        actions, detected = what["actions"][0], what["detected"][0]
        events = [Event(t, "compliance", self.words.compliance(playing, actions, detected),
                        data={"defected": [self.spec.actors[a] for a in
                                           np.flatnonzero(playing & actions)]})]
        live = state.in_force[0] | (state.collapsed[0] & ~self.collapsed)
        for b in np.flatnonzero(detected):
            text = self.words.detection(b, self.trust, state.trust[0],
                                        live & state.bound[0, :, b], state.detections[0])
            events.append(Event(t, "detection", text, data={"actor": self.spec.actors[b]}))
        return events, bool((playing & actions).any())

    def _collapses(self, t: int, state: State) -> list[Event]:
        new = np.flatnonzero(state.collapsed[0] & ~self.collapsed)
        if not new.size:
            return []
        text = self.words.collapse(new, state.level[0], state.agreed_round[0],
                                   state.detections[0])
        return [Event(t, "collapse", text, data={"issues": [self.spec.issues[i] for i in new]})]

    def _crisis(self, t: int, what: Mapping[str, Any], state: State) -> list[Event]:
        if not what["crisis"][0]:
            return []
        chance = float(crisis_probability(state.theta, self.params.hazard,
                                          self.params.crisis_exponent)[0])
        lapsed = state.agreed[0] & ~state.collapsed[0]
        return [Event(t, "crisis", self.words.crisis(float(state.theta[0]), chance, lapsed),
                      data={"round": t})]

    def _quiet(self, t: int, what: Mapping[str, Any], state: State,
               theta: float) -> Event:
        playing = what["playing"][0]
        session = self.spec.schedule(t)[0] if state.crisis_round[0] < 0 else -1
        ended = (session >= 0 and state.stall is not None and bool(state.stall.ended[0]))
        if state.crisis_round[0] >= 0:
            key: tuple = (session, "after_crisis")
        elif playing.any():
            key = (session, "kept") + tuple(int(a) for a in np.flatnonzero(playing))
        else:             # a signed agreement may bind nobody yet (entry into force, a suspension)
            key = (session, "signed" if state.in_force[0].any() else "none")
        if ended and key[1] != "after_crisis":
            key = (session, "deadlock") + key[1:]
        data = {"key": key, "from": self.theta, "to": theta}
        return Event(t, "quiet", self.words.quiet(t, t, key, self.theta, theta), t, data)


def _agreements_of(state: State) -> dict[str, np.ndarray]:
    """Run 0's agreements as they stand, ``(I,)`` each (for what a session takes up again)."""
    return {name: getattr(state, name)[0].copy() for name in
            ("agreed", "in_force", "interim", "collapsed", "expired", "level", "agreed_round")}


def summarise_quiet(events: list[Event], words: Words) -> list[Event]:
    """Merge runs of consecutive quiet rounds of the same kind into one line each."""
    out: list[Event] = []
    for e in events:
        prev = out[-1] if out else None
        if (e.kind == "quiet" and prev is not None and prev.kind == "quiet"
                and prev.data["key"] == e.data["key"] and prev.last == e.round - 1):
            data = dict(prev.data, to=e.data["to"])
            text = words.quiet(prev.round, e.round, data["key"], data["from"], data["to"])
            out[-1] = replace(prev, text=text, last=e.round, data=data)
        else:
            out.append(e)
    return out
