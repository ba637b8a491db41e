"""What a seat's decision can change, why it may not count, and what it did.

Plain functions of a :class:`~armsim.app.classroom.ClassroomModel` paused at a decision
point (the proposal made, before RESPOND; or the answers in, before RESOLVE). Nothing
here decides a rule: whether an agreement is made is asked of the core's own
:func:`armsim.core.talks.resolve`, on a copy of the talk memory.

- :func:`offer_is_fixed`: every open issue is pinned by the proposer's red lines, so
  its players have nothing to choose;
- :func:`answer_counts`: some answer of the seat changes what is agreed (the turn is
  not empty), given the agents' answers and whatever the other players answer;
- :func:`answer_notes`, :func:`offer_notes`: every public reason an answer or a level
  would not count as given (red lines, linkage, a package);
- :func:`what_it_did`: the seat's decision of a round played, and what came of it.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np

from armsim.core import talks as tk
from armsim.core.rules import Refusal

if TYPE_CHECKING:
    from armsim.app.classroom import ClassroomModel

TOL = 1e-9


def _words(model: ClassroomModel):
    return model.narrator.words


def _title(model: ClassroomModel, i: int) -> str:
    """An issue's short name (its label, or its id in words if the label is long)."""
    from armsim.app.views import title

    return title(model, model.spec.issues[i])


def _who(model: ClassroomModel, actor: str, seat: str, start: bool = False) -> str:
    """'you' for the seat itself, else the actor's name."""
    if actor == seat:
        return "You" if start else "you"
    return _words(model).name(model.spec.actors.index(actor), start)


def offer_is_fixed(model: ClassroomModel, actor: str) -> bool:
    """Every issue open in the round's proposal is pinned to one level by ``actor``'s red
    lines: its offer is the same whatever its players choose."""
    offer = model.run.proposal.offer[0]
    for i in np.flatnonzero(np.isfinite(offer)):
        lo, hi = model.offer_window(actor, model.spec.issues[i])
        if hi - lo > TOL:
            return False
    return True


def answer_counts(model: ClassroomModel, people: Iterable[str]) -> bool:
    """Whether what the seats ``people`` answer can change what is agreed this round.

    The agents' answers are their strategies'; the players of ``people`` may answer
    anything. Agreement only grows as more is accepted (unanimity, red lines and linkage
    all are monotone), so the seats can change something exactly when the round would
    agree something with every one of them accepting everything.
    """
    run, spec = model.run, model.spec
    proposal, responses = run.proposal, run.responses
    likes = responses.likes.copy()
    for j, a in enumerate(responses.who):
        if spec.actors[a] in set(people) and a != proposal.proposer:
            likes[0, j, :] = True
    trial = tk.Responses(responses.who, responses.utility, responses.inside, likes,
                         responses.threshold)
    done = tk.resolve(spec, copy.deepcopy(model.state.talk), proposal, trial,
                      model.state.agreed)
    return bool((done.agreed[0] & proposal.open_[0]).any())


def answer_notes(model: ClassroomModel, seat: str, offer: dict[str, float]
                 ) -> tuple[list[str], dict[str, list[str]]]:
    """Why ``seat``'s answer to ``offer`` might not count as given: for the whole turn
    (a package, linkage) and per issue (its own red line, another participant's)."""
    spec, w = model.spec, _words(model)
    s, _ = spec.schedule(model.round)
    who = [a for a in spec.order[s]]
    general = (["A package: the offer stands or falls whole, so accept it all or nothing "
                "is agreed."] if spec.package[s] else [])
    have = model.state.agreed[0]
    insists = spec.insisted(s)               # each one's own linkage and the session's
    for a in who:
        if insists[a].any() and not have[insists[a]].all():
            name = spec.actors[a]
            whom = _who(model, name, seat, True)
            verb = "insist" if name == seat or w.grammar[a]["s"] == "" else "insists"
            general.append(f"{whom} {verb} on {w.insisted(a, have, s)}: unless it is agreed "
                           "too, nothing else is agreed, whatever you answer.")
    notes: dict[str, list[str]] = {}
    for issue, level in offer.items():
        i = spec.issues.index(issue)
        for a in who:
            name = spec.actors[a]
            if not _inside(model, a, i, level, stated=name != seat):
                line = w.red_line(a, i, stated=name != seat)
                whom = _who(model, name, seat)
                notes.setdefault(issue, []).append(
                    f"it crosses your red line ({line}): refused whatever you answer"
                    if name == seat else f"it crosses {w.possessive(a)} red line ({line}): "
                    f"{whom} refuse{'s' if w.grammar[a]['s'] else ''} it whatever you answer")
    return general, notes


def offer_notes(model: ClassroomModel, seat: str, offer: dict[str, float]
                ) -> tuple[list[str], dict[str, list[str]]]:
    """What limits ``seat``'s offer: a package, linkage, and per issue the levels the
    other participants' red lines allow."""
    spec, w = model.spec, _words(model)
    s, _ = spec.schedule(model.round)
    general, _ = answer_notes(model, seat, {})
    notes: dict[str, list[str]] = {}
    for issue in offer:
        lo, hi = model.issue_range(issue)
        o_lo, o_hi = model.others_window(seat, issue)
        if o_lo > o_hi + TOL:
            notes[issue] = ["the others' red lines leave no level they all accept: it cannot "
                            "be agreed here"]
        elif (o_lo, o_hi) != (lo, hi):
            i = spec.issues.index(issue)
            span = w.level(i, o_lo, False) + (f" to {w.level(i, o_hi, False)}"
                                               if o_hi > o_lo + TOL else "")
            notes[issue] = [f"the others accept only {span} (their red lines)"]
        own_lo, own_hi = model.offer_window(seat, issue)
        if own_hi - own_lo <= TOL:
            notes.setdefault(issue, []).append("fixed by your red line")
    return general, notes


def _inside(model: ClassroomModel, a: int, i: int, level: float, stated: bool) -> bool:
    kind = "stated" if stated else "red"
    lo = model.spec.limit(None, f"{kind}_lo")[a, i]
    hi = model.spec.limit(None, f"{kind}_hi")[a, i]
    return bool(lo - TOL <= level <= hi + TOL)


def what_it_did(model: ClassroomModel, seat: str, record: dict) -> list[str]:
    """``seat``'s part in a round played (``record``: the round's history entry) and what
    came of it, issue by issue, with the public reasons (a red line, linkage) or "said
    no" where the reason is private."""
    talks = record["talks"]
    if talks is None:
        return []
    spec, w = model.spec, _words(model)
    a = spec.actors.index(seat)
    offer, agreed = talks.offer[0], talks.agreed[0]
    open_ = np.flatnonzero(np.isfinite(offer))
    lines = []
    if talks.proposer == a:
        lines.append("You proposed " + ", ".join(
            f"{_title(model, i)} {w.level(i, offer[i], False)}" for i in open_) + ".")
    elif a in talks.who:
        j = int(np.flatnonzero(talks.who == a)[0])
        said = talks.why[1][0, j]                           # what the seat answered
        yes = [_title(model, i) for i in open_ if said[i]]
        no = [_title(model, i) for i in open_ if not said[i]]
        parts = ([f"accepted {', '.join(yes)}"] if yes else []) + (
            [f"rejected {', '.join(no)}"] if no else [])
        lines.append("You " + " and ".join(parts) + ".")
    done = [_title(model, i) for i in open_ if agreed[i]]
    if done:
        lines.append("Agreed: " + ", ".join(done) + ".")
    for i in open_:
        if not agreed[i]:
            lines.append(f"{_title(model, i)}: not agreed: {_why_not(model, seat, talks, i)}.")
    return lines


def _why_not(model: ClassroomModel, seat: str, talks: tk.Round, i: int) -> str:
    spec, w = model.spec, _words(model)
    have = model.state.agreed[0]
    said = []
    for j, a in enumerate(talks.who):
        code = int(talks.reasons[0, j, i])
        if not code:
            continue
        name = spec.actors[a]
        whom = _who(model, name, seat)
        if code == Refusal.RED_LINE:
            which = "your" if name == seat else w.grammar[a]["its"]
            said.append(f"{whom} refused: it crosses {which} red line")
        elif code == Refusal.LINKAGE:
            pronoun = "you" if name == seat else w.grammar[a]["it"]
            s = "" if name == seat or not w.grammar[a]["s"] else "s"
            session, _ = spec.schedule(model.round - 1)      # the round just played
            said.append(f"{whom} could not agree to it: {pronoun} insist{s} on "
                        f"{w.insisted(a, have, session if session >= 0 else None)} first")
        else:
            said.append(f"{whom} said no")
    return "; ".join(said) or "not agreed"


def outcome(model: ClassroomModel, seat: str, record: dict) -> str:
    """What a round's talks made, in one line, issues grouped by the first public reason
    they failed ("agreed: exercise limits; not agreed: missile deployments, bomber limits
    (Russia said no); NATO enlargement (Russia's red line)")."""
    talks = record["talks"]
    if talks is None:
        return ""
    offer, agreed = talks.offer[0], talks.agreed[0]
    open_ = np.flatnonzero(np.isfinite(offer))
    done = [_title(model, i) for i in open_ if agreed[i]]
    groups: dict[str, list[str]] = {}
    for i in open_:
        if not agreed[i]:
            groups.setdefault(_first_reason(model, seat, talks, i), []).append(
                _title(model, i))
    parts = [f"agreed: {', '.join(done)}"] if done else []
    if groups:
        parts.append("not agreed: " + "; ".join(f"{', '.join(v)} ({k})"
                                                for k, v in groups.items()))
    return "; ".join(parts)


def _first_reason(model: ClassroomModel, seat: str, talks: tk.Round, i: int) -> str:
    spec, w = model.spec, _words(model)
    for j, a in enumerate(talks.who):
        code = int(talks.reasons[0, j, i])
        if not code:
            continue
        name = spec.actors[a]
        whose = "your" if name == seat else w.possessive(int(a))
        if code == Refusal.RED_LINE:
            return f"{whose} red line"
        if code == Refusal.LINKAGE:
            return f"{whose} linkage"
        return "you said no" if name == seat else f"{w.name(int(a))} said no"
    return "not agreed"
