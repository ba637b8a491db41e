"""What a class may see of a run while it is played, and the log of the seats' decisions.

:class:`PublicRecord` tells a round as every seat sees it: the offers, who accepted and
who did not (with the reason only where it is public: a red line or linkage, both
announced), the agreements, the defections that were *detected*, collapses, a crisis
and tension. It leaves out what is private to a seat until the teacher reveals it:
utilities, reservations, strategies, trust, undetected defections. It is the
:class:`armsim.explain.Narrator` of the whole story (``armsim explain``'s, with the
players' choices told as theirs), with those parts told its own way.

:class:`Entry` is one line of the decision log: a seat's decision in a round, beside
what its strategy would have done and why, and what came of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from armsim.core.rules import Refusal
from armsim.explain import Event, Narrator, Played
from armsim.narrative import listing


@dataclass
class Entry:
    """A seat's talk decision in one round.

    ``by`` says who decided (the players' names, or why the agent did); ``people`` is
    True when players did. ``chosen`` and ``strategy`` are the decision and the
    strategy's (``{issue: level}`` to propose, ``{issue: accept?}`` to answer); ``why``
    the strategy's reasons; ``notes`` what made an answer not count; ``result`` what
    came of it, for the seat's panel, and ``outcome`` in one line (both filled in when
    the round is over).
    """

    round: int
    venue: str
    actor: str
    kind: str
    by: str
    people: bool
    chosen: dict[str, Any]
    strategy: dict[str, Any]
    why: str = ""
    notes: list[str] = field(default_factory=list)
    result: list[str] = field(default_factory=list)
    outcome: str = ""


class PublicRecord(Narrator):
    """The public account of one run, round by round: ``armsim explain``'s
    :class:`~armsim.explain.Narrator` (the same sessions, headings, agreements,
    collapses, crises and tension), with what only a seat knows left out: why a seat
    said no when that is not public, who complied (only detected defections are seen),
    trust, and the ending's utilities, compliance rates and trust."""

    def opening(self, run: int) -> list[Event]:
        sc, w, spec = self.scenario, self.words, self.spec
        events = [Event(-1, "title", f"{sc.name}: the public record of run {run} (seed "
                        f"{sc.seed})"),
                  Event(-1, "intro", "What every seat sees: offers, answers, agreements, "
                        "detected defections and tension. What each seat wants, the least it "
                        "accepts and how it bargains stay private until the teacher reveals "
                        f"them. Tension starts at {self.theta:.2f}.")]
        if len(spec.issues):
            events.append(Event(-1, "intro", "What can be agreed:"))
            events += [Event(-1, "item", w.issue_intro(i)) for i in range(len(spec.issues))]
        events.append(Event(-1, "intro", w.rules(self.params)))
        if sc.sessions:
            events.append(Event(-1, "intro", "Who takes part, and what each has announced:"))
            events += [Event(-1, "item", self._announced(a)) for a in range(len(spec.actors))]
        return events

    def _announced(self, a: int) -> str:
        w, spec = self.words, self.spec
        parts = []
        insists = np.flatnonzero(spec.insists[a])
        if insists.size:
            parts.append(f"insists on {listing([w.title(i) for i in insists])} before "
                         "anything else")
        lines = [f"{w.title(i)} {line}" for i in range(len(spec.issues))
                 if (line := w.red_line(a, i)) is not None]
        if lines:
            parts.append("red lines: " + "; ".join(lines))
        return f"{w.labels[a]}: " + ("; ".join(parts) if parts else "no red line announced") + "."

    def _talks(self, t: int, s: int, talks: Any, state: Any,
               played: Mapping[int, Played]) -> list[Event]:
        spec, w = self.spec, self.words
        offer, agreed = talks.offer[0], talks.agreed[0]
        open_ = np.flatnonzero(np.isfinite(offer))
        package = bool(spec.package[s])
        events = [self._proposal(t, s, talks, played)]
        for i in open_:
            line = w.level_of(i, offer[i])
            if not package:
                line += " " + self._verdict(talks, i, state, s)
            events.append(Event(t, "issue", line))
        if package:
            whole = agreed[open_].all()
            events.append(Event(t, "refusal", "Accepted by all: the package is agreed." if whole
                                else self._verdict(talks, int(open_[0]), state, s, True)))
        for i in np.flatnonzero(agreed):
            events.append(Event(t, "agreement", w.agreement(i, offer[i], state.bound[0, i], t)))
        declared = talks.deadlock
        if declared is not None and declared.declared[0]:
            start = int(spec.session_rounds[:s].sum())
            left = start + int(spec.session_rounds[s]) - 1 - t
            events.append(Event(t, "deadlock", w.deadlock(s, declared.rounds, [],
                                                          bool(declared.ended[0]), left)))
        return events + self._private(t, offer, state)

    def _verdict(self, talks: Any, i: int, state: Any, session: int,
                 package: bool = False) -> str:
        """Who did not accept issue i (the package) and why, where the reason is public."""
        w = self.words
        if not package and talks.agreed[0, i]:
            return "Accepted by all."
        have = state.agreed[0]
        open_ = np.isfinite(talks.offer[0])
        said = []
        for j, a in enumerate(talks.who):
            row = talks.reasons[0, j]
            codes = {int(c) for c in row[open_]} if package else {int(row[i])}
            name = w.name(int(a), True)
            g = w.grammar[int(a)]
            if Refusal.RED_LINE in codes:
                said.append(f"{name} refused: it crosses {g['its']} red line.")
            elif Refusal.BELOW in codes:
                said.append(f"{name} said no.")
            elif Refusal.LINKAGE in codes:
                said.append(f"{name} refused: linkage, {g['it']} insist{g['s']} on "
                            f"{w.insisted(int(a), have, session)} first.")
        return " ".join(said) or "Not agreed."

    def _compliance(self, t: int, what: Mapping[str, Any], state: Any
                    ) -> tuple[list[Event], bool]:
        """Only the detected defections are public (and whether there were any)."""
        detected = what["detected"][0]
        events = []
        for b in np.flatnonzero(detected):
            live = np.flatnonzero((state.in_force[0] | (state.collapsed[0] & ~self.collapsed))
                                  & state.bound[0, :, b])
            counts = ", ".join(f"{int(state.detections[0, i])} against {self.words.title(i)}"
                               for i in live)
            tally = f" Detected defections so far: {counts}." if counts else ""
            events.append(Event(t, "detection", f"{self.words.possessive(b).capitalize()} "
                                f"defection was detected.{tally}"))
        return events, bool(detected.any())

    def _quiet(self, t: int, what: Mapping[str, Any], state: Any, theta: float) -> Event:
        a, b = f"{self.theta:.2f}", f"{theta:.2f}"
        move = (f"tension held at {a}" if a == b else f"tension eased from {a} to {b}"
                if theta < self.theta else f"tension rose from {a} to {b}")
        return Event(t, "quiet", f"Round {t}: nothing public happened; {move}.", t,
                     {"from": self.theta, "to": theta})

    def ending(self, state: Any, out: Mapping[str, Any]) -> list[Event]:
        """How it ended, without the seats' utilities, compliance rates and trust."""
        private = ("Utility (", "Share of rounds each bound state", "Trust between rivals")
        return [e for e in super().ending(state, out) if not e.text.startswith(private)]


def merge_quiet(events: list[Event]) -> list[Event]:
    """Consecutive quiet rounds of the public record as one line each."""
    out: list[Event] = []
    for e in events:
        prev = out[-1] if out else None
        if e.kind == "quiet" and prev is not None and prev.kind == "quiet" and \
                prev.last == e.round - 1:
            a, b = f"{prev.data['from']:.2f}", f"{e.data['to']:.2f}"
            move = (f"tension held at {a}" if a == b else f"tension eased from {a} to {b}"
                    if e.data["to"] < prev.data["from"] else f"tension rose from {a} to {b}")
            out[-1] = Event(prev.round, "quiet", f"Rounds {prev.round}-{e.round}: nothing "
                            f"public happened; {move}.", e.round,
                            {"from": prev.data["from"], "to": e.data["to"]})
        else:
            out.append(e)
    return out
