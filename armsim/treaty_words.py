"""The words of ``armsim explain`` for agreements as treaties write them (issue 13;
docs/model.md 7.20): who plays whom, trades, verification, ceilings on totals, an
agreement's life (entry into force, phases, terms, extensions) and outside events.

:class:`TreatyWords` is a part of :class:`armsim.narrative.Words`: it decides nothing
about the run and reads the facts the engine hands it (the record of a round's opening,
:class:`armsim.core.phases.Opened`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from armsim.core import agreements as ag


def listing(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def short_label(label: str) -> str:
    """A label without a trailing parenthesis: 'NATO enlargement (0 closed, 1 open)'."""
    return re.sub(r"\s*\([^()]*\)\s*$", "", label) or label


class TreatyWords:
    """Sentences about agreements as treaties write them; mixed into ``Words``, whose
    ``spec``, ``scenario``, ``issue``, ``actor``, ``params`` and naming methods it uses."""

    def _own_verification(self, params: Any) -> list[float | None]:
        """Each actor's own verification in the run told, where it applies to some issue
        (None: the environment's, or overridden by every issue's own)."""
        table = getattr(params, "verification_of", None)
        out: list[float | None] = []
        for a, actor in enumerate(self.actor):
            keys = (self.spec.actors[a], actor.bloc, "*")
            free = [i for i, issue in enumerate(self.issue)
                    if not any(k in (issue.verification or {}) for k in keys)]
            out.append(None if actor.verification is None or table is None or not free
                       else float(table[0, free[0], a]))
        return out

    def ceiling_of(self, i: int) -> str:
        """What an issue's level caps, where it is more than each actor's one force."""
        spec = self.spec
        forces = np.flatnonzero(spec.cap_forces[i])
        if spec.ceiling[i] == 0 and forces.size < 2:
            return ""
        labels = listing([short_label(self.scenario.forces[spec.forces[k]].label) for k in forces])
        what = f"the sum of {labels}" if forces.size > 1 else labels
        whose = ("each bound state's own", "each bloc's total", "the total of all it binds")
        return (f"; a ceiling on {whose[int(spec.ceiling[i])]} of {what} (those who comply "
                "are scaled down together to it)" if spec.ceiling[i] else
                f"; a ceiling on each bound state's own sum of {labels}")

    def verification_of(self, i: int, params: Any) -> str:
        """An issue's own verification and, for an inspection regime, what it verifies."""
        spec, issue = self.spec, self.issue[i]
        text = ""
        if issue.verification is not None and params.verification_of is not None:
            bound = (np.flatnonzero(spec.binds[i]) if not spec.binds_all[i]
                     else np.arange(len(self.actor)))
            chances = {f"{params.verification_of[0, i, a]:.2f}" for a in bound}
            text += ("; a defection under it is detected with probability "
                     + (chances.pop() if len(chances) == 1 else listing(
                         [f"{params.verification_of[0, i, a]:.2f} ({self.name(a)})"
                          for a in bound])))
        verified = np.flatnonzero(spec.verifies[i])
        if verified.size:
            lo, hi = spec.detection[i]
            text += (f"; an inspection regime: its level sets the verification of "
                     f"{self._titles(verified)} for those it binds, a defection detected with "
                     f"probability {lo:.2f} at {self.level(i, spec.lo[i], False)} and "
                     f"{hi:.2f} at {self.level(i, spec.hi[i], False)}")
        return text

    def counterparts(self) -> str:
        """Who plays the compliance game against whom, where the rule matters (an empty
        string where every two actors bound together play, as with no blocs)."""
        rule = self.scenario.environment.counterparts
        pairs = self.spec.counterparts
        if pairs[~np.eye(len(pairs), dtype=bool)].all():
            return ""
        if rule == "across_blocs":
            blocs: dict[str, list[int]] = {}
            for a, actor in enumerate(self.actor):
                if actor.bloc:
                    blocs.setdefault(actor.bloc, []).append(a)
            allies = [self.names(m) for m in blocs.values() if len(m) > 1]
            return (f"allies in a bloc ({'; '.join(allies)}) do not play the compliance game "
                    "against each other: only actors across a binding earn its payoffs")
        if rule == "rivals":
            return "only declared rivals bound together play the compliance game"
        shown = [f"{self.name(int(a))} and {self.name(int(b))}"
                 for a, b in zip(*np.nonzero(np.triu(pairs)))]
        return f"only these pairs play the compliance game: {'; '.join(shown)}"

    # -- the life of an agreement ----------------------------------------------------

    def _rounds(self, n: int) -> str:
        return f"{n} round{'s' if n != 1 else ''}"

    def life_of(self, i: int) -> str:
        """An issue's entry into force, phased cuts, term and extensions, in words."""
        spec, out = self.spec, []
        if spec.entry_delay[i]:
            out.append(f"it enters into force {self._rounds(int(spec.entry_delay[i]))} after "
                       "signature")
        steps = [(int(a), float(s)) for a, s in zip(spec.phase_after[i], spec.phase_share[i])
                 if a >= 0]
        if steps:
            said = listing([f"{100 * s:g}% of the cut from the levels held at entry into "
                            f"force {'at once' if a == 0 else f'after {self._rounds(a)}'}"
                            if j == 0 else f"{100 * s:g}% after {self._rounds(a)}"
                            for j, (a, s) in enumerate(steps)])
            out.append(f"its ceiling comes in phases: {said}")
        if spec.duration[i]:
            term = f"it lasts {self._rounds(int(spec.duration[i]))} from entry into force"
            if spec.extension_times[i]:
                times = int(spec.extension_times[i])
                how = ("automatically" if spec.extension_automatic[i]
                       else "if every state it binds still values it")
                term += (f", extendable {'once' if times == 1 else f'{times} times'} by "
                         f"{self._rounds(int(spec.extension_rounds[i]))} {how}")
            out.append(term)
        return "".join(f"; {part}" for part in out)

    def scheduled_events(self) -> list[str]:
        """The outside events of the scenario, one line each."""
        return [f"Round {e.round}: {self._event_text(e)}" for e in self.spec.events]

    def _event_text(self, event: Any) -> str:
        issues = self._titles(np.flatnonzero(event.issues))
        every = all(event.issues)
        what = "every agreement" if every else f"the agreement on {issues}"
        who = self.name(event.actor, True) if event.actor >= 0 else ""
        g = self.grammar[event.actor] if event.actor >= 0 else {"s": "s", "its": "its"}
        label = f"{event.label}: " if event.label else ""
        if event.kind == "withdraw":
            them = "it" if g["it"] == "it" else "them"
            text = (f"{who} withdraw{g['s']} from {what} that binds {them}"
                    if every else f"{who} withdraw{g['s']} from {what}")
        elif event.kind in ("suspend", "resume"):
            verb = event.kind
            if who:
                text = f"{who} {verb}{g['s']} {g['its']} part in {what}"
            elif verb == "suspend":
                text = f"{what[0].upper()}{what[1:]} is suspended: it binds nobody until resumed"
            else:
                text = f"{what[0].upper()}{what[1:]} resumes"
        else:
            text = f"a new government in {self.name(event.actor)}: " + self._government(event)
        return label + text

    def _government(self, event: Any) -> str:
        """What a new government changes, from the scenario's words for it."""
        change = self.scenario.events[event.index].change
        parts = []
        if change.compliance is not None:
            from armsim.strategies import registry
            parts.append("once bound, " + registry.make("compliance", change.compliance).words)
        for key in ("patience", "reservation", "verification"):
            value = getattr(change, key)
            if value is not None:
                parts.append(f"{key} {value:g}" if isinstance(value, (int, float))
                             else f"{key} drawn per run")
        if change.trust:
            parts.append("trust " + ", ".join(
                f"{v:g}" if k == "*" else f"in {self.name(self.spec.actors.index(k))} {v:g}"
                for k, v in change.trust.items() if isinstance(v, (int, float))))
        for force, new in change.forces.items():
            given = new.model_dump(exclude_none=True, exclude={"source", "assumption"})
            parts.append(f"{short_label(self.scenario.forces[force].label)}: " + ", ".join(
                f"{k} {v:g}" for k, v in given.items() if isinstance(v, (int, float))))
        return "; ".join(parts) or "nothing changes"

    def opened(self, opened: Any, state: Any, t: int) -> list[tuple[str, str]]:
        """``(kind, text)`` for what happened at the start of a round (run 0 of the
        arrays): outside events, entries into force, phases of cuts, extensions and
        expiries."""
        if opened is None:
            return []
        out = [("event", "EVENT: " + self._event_text(event) + ".")
               for event, acted in opened.events if acted[0]]
        spec = self.spec
        replaced = (opened.replaced[0] if opened.replaced is not None
                    else np.zeros(len(spec.issues), bool))
        for i in np.flatnonzero(opened.entered[0] & ((state.delay[0] > 0) | replaced)):
            bound = np.flatnonzero(ag.bound_now(state)[0, i])
            instead = ", replacing the interim deal" if replaced[i] else ""
            out.append(("entry", f"{self.title(i)} at {self.level(i, state.level[0, i])} "
                        f"enters into force, signed in round "
                        f"{int(state.agreed_round[0, i])}{instead}: it binds "
                        f"{self.names(bound)} from this round."))
        for i in np.flatnonzero(opened.phase[0]):
            out.append(("cuts", self._phase_step(i, state, t)))
        for i in np.flatnonzero(opened.extended[0]):
            left = int(spec.extension_times[i] - state.extended[0, i])
            how = ("as the treaty provides" if spec.extension_automatic[i] else
                   "every state it binds still values it")
            out.append(("extension", f"The term of {self.title(i)} ran out; it is extended by "
                        f"{self._rounds(int(spec.extension_rounds[i]))} ({how}; "
                        f"{left} extension{'s' if left != 1 else ''} left)."))
        for i in np.flatnonzero(opened.expired[0]):
            why = ("no extension was left" if state.extended[0, i] >= spec.extension_times[i]
                   else "some state it bound no longer valued it enough to extend it")
            out.append(("expiry", f"EXPIRED: {self.title(i)} at "
                        f"{self.level(i, state.level[0, i])}: its term ran out and {why}."))
        return out

    def _phase_step(self, i: int, state: Any, t: int) -> str:
        spec = self.spec
        elapsed = int(t - ag.entry_round(spec, state)[0, i])
        share = float(spec.phase_share[i][list(spec.phase_after[i]).index(elapsed)])
        ceiling = ag.ceilings(spec, state, t)[0, i]
        bound = np.flatnonzero(ag.bound_now(state)[0, i])
        groups = (bound if spec.ceiling[i] == 0 else spec.group[bound] if spec.ceiling[i] == 1
                  else np.zeros(len(bound), int))
        parts = []
        for g in dict.fromkeys(groups.tolist()):
            members = bound[groups == g]
            whose = (self.names(members) + (" together" if len(members) > 1 else ""))
            parts.append(f"{whose} {self.level(i, ceiling[members[0]], False)}")
        levels = listing(parts)
        when = (f"{self._rounds(elapsed)} after entry into force" if elapsed
                else "from entry into force")
        return (f"{self.title(i)}: {100 * share:g}% of the cut is now due, {when}: "
                f"ceilings {levels}.")

    # -- the calendar: gaps, interim deals, reopened ones ------------------------------

    def calendar_of(self, s: int) -> str:
        """What a session's place in the calendar adds to its introduction."""
        spec, out = self.spec, ""
        gap = int(spec.session_gap[s])
        if gap:
            out += (f" It follows {self._rounds(gap)} without talks.")
        if spec.interim[s]:
            out += (" What it agrees is an interim deal: it binds until a later session "
                    "agrees the issue anew and that deal enters into force.")
        if spec.reopens[s]:
            out += " It takes up again agreements on its agenda that no longer hold."
        if spec.session_entry[s] >= 0:
            out += (f" What it agrees enters into force "
                    f"{self._rounds(int(spec.session_entry[s]))} after signature.")
        return out

    def back_on_the_table(self, s: int, open_now: np.ndarray, before: dict
                          ) -> list[tuple[int, str]]:
        """``(issue, line)`` for each issue agreed before that session s takes up again
        (``open_now`` ``(I,)``: its open issues in its first round; ``before``: the run's
        agreements as they stood before that round, by State's names, ``(I,)`` each): an
        interim deal, or an agreement no longer in force (a reopening session)."""
        out = []
        for i in np.flatnonzero(open_now & before["agreed"]):
            why = ("an interim deal" if before["interim"][i] and before["in_force"][i] else
                   "it collapsed" if before["collapsed"][i] else "it expired"
                   if before["expired"][i] else "it no longer holds")
            out.append((int(i), f"Back on the table: {self.title(i)}, agreed in round "
                        f"{int(before['agreed_round'][i])} at "
                        f"{self.level(i, before['level'][i], False)} ({why})."))
        return out
