"""The words of ``armsim explain``: actors, issues, levels and reasons as a class reads them.

:class:`Words` knows a scenario's labels and units and turns the facts of a round
(indices and levels from the engine) into sentences. It decides nothing about the
run; :mod:`armsim.explain` says what happened, this module only how to say it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from armsim.core import rules
from armsim.core.rules import Refusal
from armsim.core.spec import Spec
from armsim.scenario import Scenario
from armsim.treaty_words import TreatyWords, listing, short_label

TOL = 1e-9
RED_LINE, BELOW, LINKAGE = Refusal.RED_LINE, Refusal.BELOW, Refusal.LINKAGE
# labels that read with "the": the United States, the European NATO allies...
_ARTICLE = re.compile(r"^(United|European|Soviet|Russian Federation|Czech|Dominican|Holy)\b|"
                      r"\b(Union|Kingdom|Republic|Federation|Emirates|Netherlands|Philippines|"
                      r"Alliance|Coalition|allies|Allies|States)\b")
# units that name the measure rather than what is counted: "open-door index 1", "share 0.4"
_MEASURE = re.compile(r"\b(index|scale|share|level|fraction|proportion|score|rating)\b")
_SINGULAR_S = {"states", "netherlands", "philippines", "bahamas", "emirates", "maldives",
               "seychelles", "comoros", "nations"}
SINGULAR = {"it": "it", "its": "its", "itself": "itself", "s": "s", "es": "es", "was": "was"}
PLURAL = {"it": "they", "its": "their", "itself": "themselves", "s": "", "es": "",
          "was": "were"}


def number(x: float) -> str:
    """About four significant digits, no exponent, no trailing zeros."""
    if not math.isfinite(x):
        return "none"
    if abs(x - round(x)) < TOL * max(1.0, abs(x)):
        return str(int(round(x))) if round(x) != 0 else "0"
    digits = max(0, 3 - math.floor(math.log10(abs(x))))
    text = f"{x:.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text   # 1640, not 164


_short = short_label


def _plural(label: str) -> bool:
    """A guess from the last word: 'European NATO allies' yes, 'United States' no."""
    last = label.split()[-1].lower() if label.split() else ""
    return (last.endswith("s") and last not in _SINGULAR_S
            and not last.endswith(("ss", "us", "is")))


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


class Words(TreatyWords):
    """Sentences about one scenario; actor ``a``, issue ``i`` are engine indices."""

    def __init__(self, scenario: Scenario, spec: Spec, reservation: Any = None,
                 params: Any = None):
        self.scenario, self.spec = scenario, spec
        #: the run's drawn parameters (:class:`~armsim.core.spec.Params`), if known
        self.params = params
        #: each actor's reservation ``(A,)`` in the run told (0 if not given)
        self.reservation = (np.zeros(len(spec.actors)) if reservation is None
                            else np.asarray(reservation, dtype=float))
        self.issue = [scenario.issues[name] for name in spec.issues]
        self.actor = [scenario.actors[name] for name in spec.actors]
        self.labels = [_short(a.label or name) for name, a in zip(spec.actors, self.actor)]
        self.grammar = [PLURAL if _plural(label) else SINGULAR for label in self.labels]

    # -- names and levels ------------------------------------------------------------

    def name(self, a: int, start: bool = False) -> str:
        label = self.labels[a]
        text = f"the {label}" if _ARTICLE.search(label) else label
        return _cap(text) if start else text

    def names(self, actors: Sequence[int] | np.ndarray, start: bool = False) -> str:
        text = listing([self.name(int(a)) for a in actors])
        return _cap(text) if start else text

    def possessive(self, a: int) -> str:
        n = self.name(a)
        return n + ("'" if n.endswith("s") else "'s")

    def title(self, i: int) -> str:
        return _short(self.issue[i].label)

    def level(self, i: int, x: float, status: bool = True) -> str:
        unit = self.issue[i].unit
        n = number(float(x))
        text = (f"{unit} {n}" if _MEASURE.search(unit) else f"{n} {unit}" if unit else n)
        if status and x >= self.spec.hi[i] - TOL:
            text += " (status quo: no limit)"
        return text

    def level_of(self, i: int, x: float) -> str:
        return f"{self.title(i)} at {self.level(i, x)}."

    # -- before the talks ------------------------------------------------------------

    def issue_intro(self, i: int) -> str:
        issue, spec = self.issue[i], self.spec
        binds = ("reciprocal: it binds every side alike" if spec.binds_all[i]
                 else "it binds only " + self.names(np.flatnonzero(spec.binds[i])))
        lo, hi, unit = number(spec.lo[i]), number(spec.hi[i]), issue.unit
        span = (f"{unit} from {lo} to {hi}" if _MEASURE.search(unit)
                else f"{lo} to {hi} {unit}".rstrip())
        binds += self.ceiling_of(i)
        binds += self.verification_of(i, self.params) if self.params is not None else ""
        binds += self.life_of(i)
        traded = np.flatnonzero(spec.traded[i])
        if traded.size:
            binds += (f"; traded for {self._titles(traded)}: those it binds play the "
                      "compliance game against those bound by the other side of the trade, "
                      "and the two fall together")
        whole = "; levels are whole numbers" if spec.whole[i] else ""
        return f"{issue.label}: {span}, {hi} being the status quo (no limit); {binds}{whole}."

    def actor_intro(self, a: int, params: Any) -> str:
        spec = self.spec
        text = (f"{self.labels[a]}: in talks, {spec.negotiators[a].words}; once bound, "
                f"{spec.compliers[a].words}")
        insists = np.flatnonzero(self.spec.insists[a])
        if insists.size:
            text += f"; insists on {self._titles(insists)} before anything else"
        for i in np.flatnonzero(spec.side[a]):
            ideal = self.level(i, spec.ideal[a, i], False)
            text += (f"; counts any level of {self.title(i)} at or "
                     + (f"above {ideal} as good as {ideal} (more room is never worse)"
                        if spec.side[a, i] > 0 else
                        f"below {ideal} as good as {ideal} (less is never worse)"))
        return text + (f"; accepts no deal worth less than {params.reservation[0, a]:.2f} to it "
                       "(on a scale of 0 to 1).")

    def rules(self, params: Any) -> str:
        """Verification, tolerance, compliance noise and the crisis hazard of the run."""
        tol = self.spec.tolerance
        own = [f"{self.name(a)} {v:.2f}" for a, v in enumerate(self._own_verification(params))
               if v is not None]
        parts = [f"a defection is detected with probability {params.verification[0]:.2f}"
                 + (f" (an actor's own: {', '.join(own)}; an agreement's own verification, "
                    "where it has one, comes first)" if own else ""),
                 f"an agreement collapses after {tol} detected defections" if tol
                 else "no count of detected defections collapses an agreement"
                 if self.spec.withdrawal else "agreements never collapse"]
        if self.spec.withdrawal:
            R, S, _, P = self.spec.payoffs
            parts.append("an actor withdraws, collapsing its agreements, once its trust in "
                         f"its counterparts falls below {(P - S) / (R - S):.2f}, where an "
                         "agreement is worth less to it than none")
        if self.spec.sanctioned:
            parts.append(f"a detected defector pays a sanction of {params.sanction[0]:.3g}")
        shocks = self._shocks(params)
        if shocks:
            parts.append(f"forces take a random shock each round (sd {shocks})")
        who = self.counterparts()
        if who:
            parts.append(who)
        noise = params.compliance_noise[0]
        if noise > 0:
            parts.append(f"{100 * noise:.3g}% of intended actions go astray")
        hazard = params.hazard[0]
        parts.append(f"each round a crisis breaks out with probability {hazard:.3g} x tension"
                     f"^{params.crisis_exponent[0]:g}" if hazard > 0 else "no crisis can "
                     "break out")
        return "The rules of this run: " + "; ".join(parts) + "."

    def _shocks(self, params: Any) -> str:
        """The sd of each force's shock in its own unit, where some force gives its own
        (``forces.<k>.noise``); "" otherwise."""
        forces = self.scenario.forces
        if params.force_noise is None or all(f.noise is None for f in forces.values()):
            return ""
        parts = []
        for k, name in enumerate(self.spec.forces):
            sd = float(params.force_noise[0, k])
            if sd > 0 and self.spec.has_force[:, k].any():
                unit = forces[name].unit
                parts.append(f"{_short(forces[name].label)} {number(sd)}"
                             + (f" {unit}" if unit else ""))
        return listing(parts)

    def linked_forces(self, params: Any) -> list[str]:
        """A line per linked reaction (a force that reacts to the rivals' levels of
        another force), with the run's coefficient."""
        spec, forces = self.spec, self.scenario.forces
        lines = []
        for m, (a, k, j) in enumerate(spec.reacts):
            rivals = [c for c in np.flatnonzero(spec.rivals[a]) if spec.has_force[c, j]]
            if not rivals:
                continue
            mine, theirs = forces[spec.forces[k]], forces[spec.forces[j]]
            label, other = _short(mine.label), _short(theirs.label)
            unit = (f"in {mine.unit}, per {theirs.unit}, each round" if mine.unit and theirs.unit
                    else "each round")
            lines.append(_cap(f"{self.possessive(a)} {label} "
                              f"react{'' if _plural(label) else 's'} to "
                              f"{listing([self.possessive(c) for c in rivals])} {other}, "
                              f"with reaction {number(params.reacts_to[0, m])} ({unit})."))
        return lines

    def _titles(self, issues: Sequence[int] | np.ndarray) -> str:
        return listing([self.title(int(i)) for i in issues])

    # -- sessions --------------------------------------------------------------------

    def _venue(self, s: int) -> str:
        session = self.scenario.sessions[s]
        return session.venue + (f", {session.date}" if session.date else "")

    def session_intro(self, s: int) -> str:
        spec = self.spec
        rounds = int(spec.session_rounds[s])
        mode = ("as a package: nothing is agreed until everything is agreed"
                if spec.package[s] else "issue by issue")
        first = spec.order[s][0]
        chair = int(spec.session_mediator[s])
        who = ("a mediator proposes the Nash bargaining solution" if spec.mediated[s]
               and chair < 0 else f"{self.name(first)} propose{self.grammar[first]['s']} "
               "first, then they take turns" if not spec.mediated[s] else
               f"{self.name(chair)}, a party, mediate{self.grammar[chair]['s']}: every round "
               f"{self.grammar[chair]['it']} propose{self.grammar[chair]['s']} the Nash "
               "bargaining solution of all the participants, "
               f"{self.grammar[chair]['itself']} included")
        return (f"{self._venue(s)}: {self.names(spec.order[s])} meet for {rounds} "
                f"round{'s' if rounds != 1 else ''}, {mode}; {who}." + self.calendar_of(s))

    def session_cancelled(self, s: int) -> str:
        return f"{self._venue(s)}: not held; the crisis ended the talks."

    def session_notes(self, s: int, agreed: np.ndarray, f_lo: np.ndarray,
                      f_hi: np.ndarray, open_now: np.ndarray | None = None,
                      before: dict | None = None) -> list[str]:
        """Notes at a session's start: what is back on the table (issues agreed before that
        are open in its first round, ``open_now`` ``(I,)``; ``before``: the agreements as
        they stood, see :meth:`back_on_the_table`), what is already agreed, red lines that
        leave nothing, linkage."""
        spec = self.spec
        agenda = spec.agenda[s]
        back = (self.back_on_the_table(s, open_now, before)
                if open_now is not None and before is not None else [])
        notes = [line for _, line in back]
        again = np.zeros(len(agenda), bool)
        again[[i for i, _ in back]] = True
        done = np.flatnonzero(agenda & agreed & ~again)
        if done.size:
            notes.append(f"Already agreed, off the agenda: {self._titles(done)}.")
        for i in np.flatnonzero(agenda & ~agreed & ~rules.has_common_level(f_lo, f_hi)):
            notes.append(f"The red lines leave no common level on {self.title(i)}: it "
                         "cannot be agreed here" + (", and so neither can the package."
                                                    if spec.package[s] else "."))
        for a in spec.order[s]:
            wanted = np.flatnonzero(spec.insisted(s)[a] & ~agreed)
            if wanted.size:
                g = self.grammar[a]
                here = (" (at this session only)" if (spec.session_insists[s, a]
                                                       & ~spec.insists[a])[wanted].all()
                        else "")
                notes.append(f"{self.name(a, True)} insist{g['s']} on {self._titles(wanted)}"
                             f"{here}: without {'it' if wanted.size == 1 else 'them'}, "
                             f"{g['it']} accept{g['s']} nothing.")
        return notes

    def round_heading(self, t: int, s: int, k: int) -> str:
        if s < 0:
            return (f"Round {t} (between sessions)" if t < self.spec.talk_rounds
                    else f"Round {t} (after the talks)")
        venue = _short(self.scenario.sessions[s].venue)
        return f"Round {t}: {venue}, meeting {k + 1} of {int(self.spec.session_rounds[s])}"

    def aftermath_intro(self, state: Any) -> str:
        n = self.spec.aftermath
        if not self.scenario.sessions:
            return f"There are no talks: {n} rounds follow in which forces move on their own."
        if state.crisis_round[0] >= 0:
            rest = "after the crisis"
        elif state.in_force[0].any():
            rest = "in which the states bound by an agreement keep or break it"
        else:
            rest = "with no agreement in force"
        return f"The talks are over. {n} more round{'s' if n != 1 else ''} follow, {rest}."

    # -- talks -----------------------------------------------------------------------

    def proposal(self, p: int, package: bool, mediated: bool = False,
                 by: str | None = None) -> str:
        """Who proposed; ``mediated``: a participant chairs the session and proposes the
        Nash bargaining solution; ``by`` names the people who made the offer in p's seat
        (the classroom), so that it is not told as p's strategy's."""
        what = "a package (all or nothing)" if package else "issue by issue"
        if p < 0:
            return f"The mediator proposed the Nash bargaining solution, {what}:"
        if mediated:
            return (f"{self.name(p, True)}, mediating, proposed the Nash bargaining solution "
                    f"of all the participants, {self.grammar[p]['itself']} included, {what}:")
        if by:
            return f"{self.name(p, True)} ({by}) proposed, {what}:"
        return f"{self.name(p, True)} proposed, {what}:"

    def _red_line(self, a: int, i: int, x: float) -> str:
        spec = self.spec
        lo, hi = spec.red_lo[a, i], spec.red_hi[a, i]
        if lo >= spec.hi[i] - TOL:
            return f"only the status quo, {self.level(i, spec.hi[i], False)}"
        if x < lo - TOL:
            return f"at least {self.level(i, lo, False)}"
        return f"at most {self.level(i, hi, False)}"

    def red_line(self, a: int, i: int, stated: bool = True) -> str | None:
        """Actor a's red line on issue i in words ("at most closed door 0", "only the
        status quo, 20 thousand troops"); None if it has none. ``stated``: the line it
        announced (the one others know), else its true one."""
        spec = self.spec
        kind = "stated" if stated else "red"
        lo = float(spec.limit(None, f"{kind}_lo")[a, i])
        hi = float(spec.limit(None, f"{kind}_hi")[a, i])
        if lo >= spec.hi[i] - TOL:
            return f"only the status quo, {self.level(i, spec.hi[i], False)}"
        low, high = lo > spec.lo[i] + TOL, hi < spec.hi[i] - TOL
        if low and high:
            return f"between {self.level(i, lo, False)} and {self.level(i, hi, False)}"
        if low:
            return f"at least {self.level(i, lo, False)}"
        if high:
            return f"at most {self.level(i, hi, False)}"
        return None

    def insisted(self, a: int, have: np.ndarray, session: int | None = None) -> str:
        """The titles of the issues actor a insists on (at ``session``, if given) that
        ``have`` ``(I,)`` lacks."""
        return self._missing(a, have, session)

    def _missing(self, a: int, have: np.ndarray, session: int | None = None) -> str:
        insists = self.spec.insists if session is None else self.spec.insisted(session)
        return self._titles(np.flatnonzero(insists[a] & ~have))

    def _worth(self, a: int, worth: float) -> str:
        g = self.grammar[a]
        return f"worth {worth:.2f} to {g['it'] if g is SINGULAR else 'them'}"

    def _needs(self, a: int, needs: float) -> str:
        """What actor a needs, ``needs`` (its threshold, floored at its reservation)."""
        g, r = self.grammar[a], float(self.reservation[a])
        if needs <= r + TOL:
            return f"{g['its']} reservation, {r:.2f}"
        return f"the {needs:.2f} {g['it']} would accept now"

    def refusal(self, a: int, code: int, i: int, x: float, proposer: int,
                have: np.ndarray, worth: float = math.nan, needs: float = math.nan,
                session: int | None = None) -> str:
        """Why actor a did not accept issue i at level x (an engine reason code), with
        the numbers: what the offer is ``worth`` to it and what it ``needs``; ``session``
        the session's index (its own linkage counts)."""
        who, g = self.name(a, True), self.grammar[a]
        value = self._worth(a, worth) if math.isfinite(worth) else ""
        if code == LINKAGE:
            why = (f"linkage, {g['it']} insist{g['s']} on {self._missing(a, have, session)} "
                   "first")
            if value and math.isfinite(needs):
                why += f" (the offer is {value}; {g['it']} need{g['s']} {self._needs(a, needs)})"
            return (f"{who} {g['itself']} held it back: {why}." if a == proposer
                    else f"{who} refused: {why}.")
        if code == RED_LINE:
            line = f"{g['its']} red line ({self._red_line(a, i, x)})"
            return (f"{who} refused: the offer is {value}, but crosses {line}." if value
                    else f"{who} refused: it crosses {line}.")
        if a == proposer:
            r = float(self.reservation[a])
            return (f"{who} {g['itself']} could not accept it: the others' red lines leave "
                    f"only levels {value + ', ' if value else ''}below {g['its']} "
                    f"reservation, {r:.2f}.")
        wants = self.level(i, self.spec.ideal[a, i], False)
        if not value or not math.isfinite(needs):
            return (f"{who} refused: worth too little to {g['it'] if g is SINGULAR else 'them'}"
                    f", below what {g['it']} would accept ({g['it']} want{g['s']} {wants}).")
        return (f"{who} refused: {value}, below {self._needs(a, needs)} "
                f"({g['it']} want{g['s']} {wants}).")

    def verdict(self, i: int, offer: np.ndarray, agreed: bool, who: np.ndarray,
                reasons: np.ndarray, proposer: int, have: np.ndarray,
                worth: np.ndarray | None = None, needs: np.ndarray | None = None,
                session: int | None = None,
                played: Mapping[int, Any] | None = None) -> str:
        """Issue by issue: accepted by all, or who refused it and why; ``worth`` and
        ``needs`` ``(P,)`` are the offer's utility to each and what each would accept;
        ``session`` the session's index (its own linkage counts). ``played`` (actor ->
        :class:`armsim.explain.Played`) names the seats whose answer people gave: their
        lines say what they chose and what the strategy would have."""
        nan = np.full(len(who), np.nan)
        worth, needs = (nan if worth is None else worth), (nan if needs is None else needs)
        said = []
        for a, code, u, h in zip(who, reasons, worth, needs):
            seat = (played or {}).get(int(a))
            if seat is not None and a != proposer and i in seat.answers:
                line = self.player_answer(int(a), int(code), i, offer[i], have, float(u),
                                          float(h), seat, session)
            else:
                line = (self.refusal(int(a), int(code), i, offer[i], proposer, have, float(u),
                                     float(h), session) if code else "")
            if line:
                said.append(line)
        if agreed:
            return " ".join(["Accepted by all."] + said)
        return " ".join(said) or "Not agreed."

    def player_answer(self, a: int, code: int, i: int, x: float, have: np.ndarray,
                      worth: float, needs: float, seat: Any, session: int | None = None) -> str:
        """What the people in actor a's seat answered on issue i and what it did, beside
        what a's strategy would have answered (``seat``: :class:`armsim.explain.Played`);
        empty when they accepted as the strategy would have."""
        who, g = f"{self.name(a, True)} ({seat.by})", self.grammar[a]
        chose, would = bool(seat.answers[i]), bool(seat.strategy.get(i, seat.answers[i]))
        numbers = ""
        if math.isfinite(worth) and math.isfinite(needs):
            numbers = f": the offer is {self._worth(a, worth)}, "
            numbers += (f"at least {self._needs(a, needs)}" if would
                        else f"below {self._needs(a, needs)}")
        elif math.isfinite(worth):
            numbers = f": the offer is {self._worth(a, worth)}"
        if code == RED_LINE:
            line = f"{g['its']} red line ({self._red_line(a, i, x)})"
            return (f"{self.name(a, True)} refused: the offer crosses {line}, whatever "
                    f"{g['its']} players answer ({seat.by} accepted)." if chose
                    else f"{who} refused; the offer crosses {line} anyway.")
        if code == BELOW:
            return (f"{who} refused, though {g['its']} strategy would have accepted{numbers}."
                    if would else f"{who} refused, as {g['its']} strategy would have{numbers}.")
        if code == LINKAGE:
            also = "" if would else f" ({g['its']} strategy would have refused it anyway)"
            return (f"{who} accepted, but {g['its']} linkage held it back: {g['it']} "
                    f"insist{g['s']} on {self._missing(a, have, session)} first{also}.")
        if chose and not would:
            return f"{who} accepted where {g['its']} strategy would have refused{numbers}."
        return ""

    def package_verdict(self, offer: np.ndarray, open_: np.ndarray, agreed: np.ndarray,
                        who: np.ndarray, reasons: np.ndarray, proposer: int,
                        have: np.ndarray, worth: np.ndarray | None = None,
                        needs: np.ndarray | None = None, session: int | None = None,
                        played: Mapping[int, Any] | None = None) -> list[str]:
        """Who held a package back and why; ``session`` the session's index (its own
        linkage counts); ``played`` as in :meth:`verdict`."""
        whole = bool(agreed[open_].all())
        out = ["Accepted by all: the package is agreed."] if whole else []
        for j, a in enumerate(who):
            codes = set(int(c) for c in reasons[j, open_])
            u = float(worth[j, open_[0]]) if worth is not None else math.nan
            h = float(needs[j, open_[0]]) if needs is not None else math.nan
            seat = (played or {}).get(int(a))
            if seat is not None and a != proposer and set(open_) <= set(seat.answers):
                line = self._player_package(int(a), codes, offer, open_, have, u, h, seat,
                                            session)
            elif whole:
                continue
            else:
                line = self._package_refusal(int(a), codes, offer, open_, proposer, have, u, h,
                                             session)
            if line:
                out.append(line)
        return out

    def _package_refusal(self, a: int, codes: set[int], offer: np.ndarray, open_: np.ndarray,
                         proposer: int, have: np.ndarray, u: float, h: float,
                         session: int | None = None) -> str:
        g = self.grammar[a]
        value = f"; as a whole it is {self._worth(a, u)}" if math.isfinite(u) else ""
        subject = (f"{self.name(a, True)} {g['itself']} held the package back"
                   if a == proposer else f"{self.name(a, True)} refused the package")
        if RED_LINE in codes:
            return f"{subject}: it crosses {g['its']} {self._crossed(a, offer, open_)}{value}."
        if BELOW in codes:
            if a == proposer:
                need = f"its reservation, {float(self.reservation[a]):.2f}"
            elif math.isfinite(h):
                need = self._needs(a, h)
            else:
                need = f"what {g['it']} would accept"
            worth_text = self._worth(a, u) if math.isfinite(u) else (
                f"worth too little to {'it' if g is SINGULAR else 'them'}")
            return f"{subject}: as a whole it is {worth_text}, below {need}."
        if LINKAGE in codes and not self._in_package(a, have, open_, session):
            return (f"{subject}: linkage, {g['it']} insist{g['s']} on "
                    f"{self._missing(a, have, session)} first{value}.")
        return ""

    def _crossed(self, a: int, offer: np.ndarray, open_: np.ndarray) -> str:
        inside = rules.inside_red_lines(offer[None], self.spec.red_lo[a:a + 1],
                                        self.spec.red_hi[a:a + 1])[0, 0]
        crossed = [f"on {self.title(i)} ({self._red_line(a, i, offer[i])})"
                   for i in open_ if not inside[i]]
        return f"red line {listing(crossed)}"

    def _player_package(self, a: int, codes: set[int], offer: np.ndarray, open_: np.ndarray,
                        have: np.ndarray, u: float, h: float, seat: Any,
                        session: int | None = None) -> str:
        """The people in a's seat answered the package (``seat``: ``Played``)."""
        g, by = self.grammar[a], seat.by
        chose = all(seat.answers[i] for i in open_)
        would = all(seat.strategy.get(i, seat.answers[i]) for i in open_)
        worth = f"as a whole it is {self._worth(a, u)}" if math.isfinite(u) else ""
        if worth and math.isfinite(h):
            worth += (f", at least {self._needs(a, h)}" if would
                      else f", below {self._needs(a, h)}")
        if RED_LINE in codes:
            crossed = self._crossed(a, offer, open_)
            return (f"{self.name(a, True)} refused the package: it crosses {g['its']} "
                    f"{crossed}, whatever {g['its']} players answer ({by} accepted)." if chose
                    else f"{self.name(a, True)} ({by}) refused the package; it crosses "
                    f"{g['its']} {crossed} anyway.")
        who = f"{self.name(a, True)} ({by})"
        if BELOW in codes:
            how = (f"though {g['its']} strategy would have accepted" if would
                   else f"as {g['its']} strategy would have")
            return f"{who} refused the package, {how}" + (f": {worth}." if worth else ".")
        if LINKAGE in codes and not self._in_package(a, have, open_, session):
            return (f"{who} accepted the package, but {g['its']} linkage held it back: "
                    f"{g['it']} insist{g['s']} on {self._missing(a, have, session)} first.")
        if chose and not would:
            return (f"{who} accepted the package where {g['its']} strategy would have "
                    "refused" + (f": {worth}." if worth else "."))
        return ""

    def deadlock(self, s: int, rounds: int, broke: list[tuple[int, str, float, float]],
                 ended: bool, left: int) -> str:
        """A deadlock declared at session s after ``rounds`` in which nobody moved;
        ``broke`` (actor, how, asked before, asked after) for each that broke it."""
        venue = _short(self.scenario.sessions[s].venue)
        text = (f"DEADLOCK: for {rounds} round{'s' if rounds != 1 else ''} nobody moved: no "
                "offer changed and nobody would accept less.")
        for a, how, before, after in broke:
            g = self.grammar[a]
            text += (f" {self.name(a, True)} break{g['s']} it with {how}: {g['it']} now "
                     f"ask{g['s']} {after:.2f} (was {before:.2f}).")
        if ended:
            rest = (f"; {left} of its rounds are not held" if left else "")
            text += (f" No one's rule has anything more to give: the talks at {venue} end "
                     f"here as a deadlock{rest}.")
        return text

    def _in_package(self, a: int, have: np.ndarray, open_: np.ndarray,
                    session: int | None = None) -> bool:
        """The issues a insists on are all in the package: it stands or falls with them,
        so the linkage adds nothing to say."""
        insists = self.spec.insists if session is None else self.spec.insisted(session)
        missing = insists[a] & ~have
        return bool(np.isin(np.flatnonzero(missing), open_).all())

    def agreement(self, i: int, x: float, bound: np.ndarray, t: int, s: int = -1,
                  replaces: bool = False) -> str:
        """AGREED, with whom it binds from when (``s``: the session, whose entry into force
        may differ from the issue's); ``replaces``: a final deal on an interim one."""
        delay = int(self.spec.entry_delay[i] if s < 0 else self.spec.delay(s)[i])
        when = (f"from round {t + 1}" if not delay else
                f"from round {t + 1 + delay}, when it enters into force")
        interim = s >= 0 and bool(self.spec.interim[s])
        text = (f"AGREED{' (an interim deal)' if interim else ''}: {self.issue[i].label} at "
                f"{self.level(i, x)}, binding {self.names(np.flatnonzero(bound))} {when}"
                + ("; the interim deal binds until then" if replaces else "") + ".")
        verified = np.flatnonzero(self.spec.verifies[i])
        if verified.size:
            lo, hi = self.spec.detection[i]
            share = (x - self.spec.lo[i]) / (self.spec.hi[i] - self.spec.lo[i])
            text += (f" While it holds, a defection by those it binds under "
                     f"{self._titles(verified)} is detected with probability at least "
                     f"{lo + (hi - lo) * share:.2f}.")
        return text

    # -- compliance, collapse, crisis ------------------------------------------------

    def compliance(self, playing: np.ndarray, actions: np.ndarray,
                   detected: np.ndarray) -> str:
        kept = np.flatnonzero(playing & ~actions)
        if kept.size == playing.sum():
            return f"Compliance: {self._kept(kept)}."
        parts = [f"{self.names(kept)} complied"] if kept.size else []
        for a in np.flatnonzero(playing & actions):
            was = self.grammar[a]["was"]
            parts.append(f"{self.name(a)} defected and {was} detected" if detected[a]
                         else f"{self.name(a)} defected but {was} not detected")
        return "Compliance: " + "; ".join(parts) + "."

    def _kept(self, actors: Sequence[int] | np.ndarray) -> str:
        its = self.grammar[int(actors[0])]["its"] if len(actors) == 1 else "their"
        return f"{self.names(actors)} kept {its} commitments"

    def detection(self, b: int, before: np.ndarray, after: np.ndarray, live: np.ndarray,
                  detections: np.ndarray) -> str:
        """b's defection was detected: trust lost, and the count against its agreements."""
        fell = [f"{self.possessive(a)} trust in {self.name(b)} fell from {before[a, b]:.2f} "
                f"to {after[a, b]:.2f}" for a in range(len(self.labels))
                if after[a, b] < before[a, b] - TOL]
        text = f"{self.possessive(b)} defection was detected"
        text = _cap(text) + (": " + "; ".join(fell) if fell else "") + "."
        issues = np.flatnonzero(live)
        if issues.size:
            counts = {int(detections[i]) for i in issues}
            tally = (str(counts.pop()) if len(counts) == 1 else listing(
                [f"{int(detections[i])} against {self.title(i)}" for i in issues]))
            tol = self.spec.tolerance
            limit = (f"an agreement collapses at {tol}" if tol
                     else "no tolerance is set: agreements end only by withdrawal"
                     if self.spec.withdrawal
                     else "no tolerance is set: agreements never collapse")
            text += f" Detected defections so far: {tally} ({limit})."
        return text

    def collapse(self, issues: np.ndarray, level: np.ndarray, agreed_round: np.ndarray,
                 detections: np.ndarray | None = None) -> str:
        """The agreements on ``issues`` collapsed (``level``, ``agreed_round`` and the
        detected defections counted against each, ``(I,)``): by the tolerance count, or
        because a party withdrew."""
        what = listing([f"{self.title(i)} at {self.level(i, level[i])} (agreed in round "
                        f"{int(agreed_round[i])})" for i in issues])
        noun = "agreement" if len(issues) == 1 else "agreements"
        tol = self.spec.tolerance
        counted = (tol and (detections is None or (detections[issues] >= tol).any()))
        trades = [f"{self.title(j)} was traded for {self.title(i)} and fell with it"
                  for i in issues for j in issues
                  if self.spec.traded[i, j] and i < j]
        if trades:
            what += f" ({listing(trades)})"
        if counted or not self.spec.withdrawal:
            return (f"COLLAPSED: the {noun} on {what}: detected defections reached the "
                    f"tolerance of {tol}.")
        return (f"COLLAPSED: the {noun} on {what}: a party withdrew, its trust in its "
                "counterparts too low for the agreement to be worth more to it than none.")

    def crisis(self, theta: float, chance: float, lapsed: np.ndarray) -> str:
        text = (f"CRISIS: a crisis broke out (at tension {theta:.2f} its chance this round "
                f"was {100 * chance:.1f}%). The talks stop and every agreement lapses")
        issues = np.flatnonzero(lapsed)
        return text + (f": {self._titles(issues)}." if issues.size else ".")

    def quiet(self, first: int, last: int, key: tuple, before: float, after: float) -> str:
        """Rounds in which nothing happened but drift; ``key`` is (session, what, ...)."""
        rounds = f"Round {first}" if first == last else f"Rounds {first}-{last}"
        session, key = key[0], key[1:]
        if key[0] == "deadlock":
            venue = _short(self.scenario.sessions[session].venue)
            rounds += f": the talks at {venue} ended in deadlock;"
            key = key[1:]
        elif session >= 0:
            venue = _short(self.scenario.sessions[session].venue)
            rounds += f": nothing left to negotiate at {venue};"
        elif first < self.spec.talk_rounds:
            rounds += ": no talks (between sessions);"
        else:
            rounds += ":"
        if key[0] == "after_crisis":
            what = "after the crisis, no talks and no agreement in force"
        elif key[0] == "kept":
            what = self._kept(key[1:])
        elif key[0] == "signed":
            what = ("an agreement is signed but binds nobody (not yet in force, or "
                    "suspended); forces moved on their own")
        else:
            what = "no agreement in force; forces moved on their own"
        a, b = f"{before:.2f}", f"{after:.2f}"
        move = (f"tension held at {a}" if a == b else f"tension eased from {a} to {b}"
                if after < before else f"tension rose from {a} to {b}")
        return f"{rounds} {what}; {move}."

    # -- the ending ------------------------------------------------------------------

    def issue_outcomes(self, state: Any) -> list[str]:
        spec = self.spec
        agreed, in_force, collapsed = state.agreed[0], state.in_force[0], state.collapsed[0]
        lines, never = [], []
        for i in range(len(spec.issues)):
            if not agreed[i]:
                if spec.agenda[:, i].any():
                    never.append(i)
                continue
            what = ("In force" if in_force[i] else "Collapsed" if collapsed[i]
                    else "Expired" if state.expired is not None and state.expired[0, i]
                    else "Lapsed in the crisis")
            lines.append(f"{what}: {self.title(i)} at {self.level(i, state.level[0, i])} "
                         f"(agreed in round {int(state.agreed_round[0, i])})"
                         f"{self._suspended_by(state, i) if in_force[i] else ''}.")
        if never:
            lines.append(f"Never agreed: {self._titles(never)}.")
        return lines

    def _suspended_by(self, state: Any, i: int) -> str:
        """', suspended by ...' for an agreement in force that some actor it binds has
        suspended (and whether it then binds nobody), else ''."""
        if state.suspended is None:
            return ""
        bound = state.bound[0, i]
        who = np.flatnonzero(bound & state.suspended[0, i])
        if not who.size:
            return ""
        nobody = ": it binds nobody" if len(who) == bound.sum() else ""
        return f", suspended by {self.names(who)}{nobody}"

    def utilities(self, out: Mapping[str, Any]) -> list[str]:
        parts = [f"{self.labels[a]} {out['utility.' + name]:.2f}"
                 for a, name in enumerate(self.spec.actors)
                 if math.isfinite(out["utility." + name])]
        return ([f"Utility (1: everything as it wished; later deals count less): "
                 f"{', '.join(parts)}."] if parts else [])

    def compliance_rates(self, out: Mapping[str, Any]) -> list[str]:
        parts = [f"{self.labels[a]} {100 * out['compliance_rate.' + name]:.0f}%"
                 for a, name in enumerate(self.spec.actors)
                 if math.isfinite(out["compliance_rate." + name])]
        return ([f"Share of rounds each bound state kept its commitments: "
                 f"{', '.join(parts)}."] if parts else [])

    def forces(self, start: np.ndarray, end: np.ndarray) -> list[str]:
        """Each force, start -> end per actor holding it (``(A, K)`` arrays)."""
        spec, lines = self.spec, []
        for k, name in enumerate(spec.forces):
            holders = np.flatnonzero(spec.has_force[:, k])
            if not holders.size:
                continue
            force = self.scenario.forces[name]
            moves = ", ".join(f"{self.labels[a]} {number(start[a, k])} -> {number(end[a, k])}"
                              for a in holders)
            unit = f" ({force.unit})" if force.unit else ""
            lines.append(f"{_short(force.label)}{unit}: {moves}.")
        return ["Forces, start -> end:"] + lines if lines else []

    def trust(self, start: np.ndarray, end: np.ndarray) -> list[str]:
        pairs = [f"{self.labels[a]} in {self.labels[b]} {start[a, b]:.2f} -> {end[a, b]:.2f}"
                 for a, b in zip(*np.nonzero(self.spec.rivals))
                 if f"{start[a, b]:.2f}" != f"{end[a, b]:.2f}"]
        return [f"Trust between rivals, start -> end: {'; '.join(pairs)}."] if pairs else []

    # -- private red lines (armsim.core.beliefs) --------------------------------------

    def _stated(self, a: int, i: int, x: float) -> str:
        spec = self.spec
        lo, hi = spec.limit(None, "stated_lo")[a, i], spec.limit(None, "stated_hi")[a, i]
        return (f"at least {self.level(i, lo, False)}" if x < lo - TOL
                else f"at most {self.level(i, hi, False)}")

    def bluff_called(self, a: int, i: int, x: float) -> str:
        who, g = self.name(a, True), self.grammar[a]
        return (f"{who}'s bluff was called on {self.title(i)}: {g['it']} accepted "
                f"{self.level(i, x, False)}, across the red line {g['it']} had stated "
                f"({self._stated(a, i, x)}).")

    def line_revealed(self, a: int, i: int, x: float) -> str:
        who, g = self.name(a, True), self.grammar[a]
        return (f"{who} revealed a red line on {self.title(i)} stricter than {g['it']} had "
                f"stated: {g['it']} refused {self.level(i, x, False)} ({self._red_line(a, i, x)}).")

