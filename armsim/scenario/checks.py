"""Checks across a scenario: references, ranges that depend on other parts, warnings.

These run over the raw data (dicts and lists as read from YAML), tolerating values of
the wrong type (the schema reports those), so that a file's reference errors and
type errors are all reported in one pass.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import numpy as np

from armsim.core import rules
from armsim.scenario.magnitude import within
from armsim.scenario.problems import Path, did_you_mean
from armsim.scenario.schema import MAX_ROUNDS
from armsim.strategies.compliance.generous_tit_for_tat import generosity as gtft_generosity

Found = tuple[Path, str, str]  # (path, message, severity)
AtKey = tuple[Path, str, str, bool]  # ... and True: locate at the key, not its value


def _mapping(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _number(value: Any) -> float | None:
    """A number the schema accepts, as a float; None for anything else (reported there)."""
    return float(value) if within(value) else None


def _issue_range(issue: Any) -> tuple[float, float] | None:
    rng = _items(_mapping(issue).get("range"))
    if len(rng) == 2 and all(_number(v) is not None for v in rng) and rng[0] < rng[1]:
        return float(rng[0]), float(rng[1])
    return None


def _refs(names: Any, path: Path, known: set[str], what: str) -> Iterator[Found]:
    seen: set[str] = set()
    for i, name in enumerate(_items(names)):
        if not isinstance(name, str):
            continue
        if name not in known:
            yield (path + (i,), f"unknown {what} '{name}'{did_you_mean(name, known)}", "error")
        elif name in seen:
            yield (path + (i,), f"'{name}' is listed twice", "error")
        seen.add(name)


def check_references(data: dict[str, Any]) -> Iterator[Found | AtKey]:
    """Every name a scenario uses must be defined; yield (path, message, severity)."""
    forces = set(_mapping(data.get("forces")))
    issues = _mapping(data.get("issues"))
    actors = _mapping(data.get("actors"))
    blocs = {a.get("bloc") for a in actors.values()
             if isinstance(a, dict) and isinstance(a.get("bloc"), str)}
    for name, issue in issues.items():
        issue = _mapping(issue)
        caps = issue.get("caps")
        if isinstance(caps, str) and caps not in forces:
            yield (("issues", name, "caps"),
                   f"unknown force '{caps}'{did_you_mean(caps, forces)}", "error")
        if isinstance(caps, list):
            yield from _refs(caps, ("issues", name, "caps"), forces, "force")
        if isinstance(issue.get("binds"), list):
            yield from _refs(issue["binds"], ("issues", name, "binds"), set(actors) | blocs,
                             "actor or bloc")
    for name, actor in actors.items():
        yield from _check_actor(("actors", name), _mapping(actor), forces, issues, actors)
    for s, session in enumerate(_items(data.get("sessions"))):
        session = _mapping(session)
        yield from _refs(session.get("participants"), ("sessions", s, "participants"),
                         set(actors), "actor")
        yield from _refs(session.get("agenda"), ("sessions", s, "agenda"), set(issues), "issue")
        yield from _check_session_roles(("sessions", s), session, set(actors), set(issues))


def _check_session_roles(path: Path, session: dict[str, Any], actors: set[str],
                         issues: set[str]) -> Iterator[Found | AtKey]:
    """A session's own linkage and its mediator name actors at the table."""
    people = {p for p in _items(session.get("participants")) if isinstance(p, str)}
    for who, linked in _mapping(session.get("insists")).items():
        if who not in actors:
            yield (path + ("insists", who),
                   f"unknown actor '{who}'{did_you_mean(who, actors)}", "error", True)
            continue
        if who not in people:
            yield (path + ("insists", who), f"'{who}' is not a participant of this session: "
                   "only an actor at the table can make its agreement depend on an issue "
                   "here; add it to participants or drop this line", "error", True)
        yield from _refs(linked, path + ("insists", who), issues, "issue")
    mediator = session.get("mediator")
    if not isinstance(mediator, str):
        return
    if mediator not in actors:
        yield (path + ("mediator",),
               f"unknown actor '{mediator}'{did_you_mean(mediator, actors)}", "error")
    elif mediator not in people:
        yield (path + ("mediator",), f"'{mediator}' is not a participant of this session: "
               "a named mediator is a party to the talks (the anonymous chair of protocol: "
               "mediated is the neutral one); add it to participants", "error")
    if session.get("protocol") == "alternating":
        yield (path + ("protocol",), f"a mediator ('{mediator}') proposes the Nash bargaining "
               "solution every round, which is protocol: mediated, not alternating offers; "
               "drop the protocol line (a mediator implies mediated) or the mediator",
               "error")


def _check_actor(path: Path, actor: dict[str, Any], forces: set[str],
                 issues: dict[str, Any], actors: dict[str, Any]) -> Iterator[Found | AtKey]:
    others = set(actors) - {path[-1]}
    for i, rival in enumerate(_items(actor.get("rivals"))):
        if rival == path[-1]:
            yield (path + ("rivals", i), f"'{rival}' cannot be its own rival", "error")
    yield from _refs(actor.get("rivals"), path + ("rivals",), others | {path[-1]}, "actor")
    yield from _refs(actor.get("insists"), path + ("insists",), set(issues), "issue")
    for force, params in _mapping(actor.get("forces")).items():
        if force not in forces:
            yield (path + ("forces", force),
                   f"unknown force '{force}'{did_you_mean(force, forces)}", "error", True)
        for other in _mapping(_mapping(params).get("reacts_to")):
            where = path + ("forces", force, "reacts_to", other)
            if other == force:
                yield (where, f"'{force}' is this force itself: the reaction to the rivals' "
                       f"{force} is 'reaction'; reacts_to names other forces", "error", True)
            elif other not in forces:
                yield (where, f"unknown force '{other}'{did_you_mean(other, forces)}",
                       "error", True)
            elif isinstance(other, str) and not _held_by_rivals(actor, actors, other):
                yield (where, f"no rival of {path[-1]} holds '{other}', so this reaction has "
                       "nothing to react to; add the actor that holds it to rivals, or give "
                       "it the force", "warning", True)
    trust = actor.get("trust")
    if isinstance(trust, dict) and "dist" not in trust:
        for other in trust:
            if other != "*" and other not in others:
                yield (path + ("trust", other),
                       f"unknown actor '{other}'{did_you_mean(other, others)}", "error", True)
    if isinstance(actor.get("bloc"), str) and actor["bloc"] in actors:
        yield (path + ("bloc",), f"the bloc '{actor['bloc']}' has the name of an actor: in an "
               "issue's binds that name would mean both the actor and the bloc's members; "
               "give the bloc a name of its own", "error")
    for issue, pref in _mapping(actor.get("preferences")).items():
        if issue not in issues:
            yield (path + ("preferences", issue),
                   f"unknown issue '{issue}'{did_you_mean(issue, issues)}", "error", True)
            continue
        if isinstance(pref, dict):
            yield from _check_ideal_given(path + ("preferences", issue), pref)
        yield from _check_preference(path + ("preferences", issue), _mapping(pref),
                                     _issue_range(issues[issue]))
        yield from _check_shape(path + ("preferences", issue), _mapping(pref),
                                _mapping(issues[issue]))
    yield from _check_weights(path, actor.get("preferences"))


def _whole(issue: Any) -> bool:
    return _mapping(issue).get("whole") is True


def _whole_levels(window: tuple[float, float] | None) -> tuple[float, float] | None:
    """The whole levels of a window ``(low, high)``, or None if it holds none."""
    if window is None:
        return None
    low, high = math.ceil(window[0] - 1e-9), math.floor(window[1] + 1e-9)
    return (low, high) if low <= high else None


def _check_shape(path: Path, pref: dict[str, Any], issue: dict[str, Any]) -> Iterator[Found]:
    """Whole-number levels (an ideal must be one, a red line must hold one) and one-sided
    preferences that change nothing."""
    rng = _issue_range(issue)
    if rng is None:
        return
    lo, hi = rng
    ideal = _number(pref.get("ideal"))
    if _whole(issue):
        if ideal is not None and ideal != round(ideal) and lo <= ideal <= hi:
            near = sorted({math.floor(ideal), math.ceil(ideal)},
                          key=lambda v: (abs(v - ideal), v))
            yield (path + ("ideal",), f"ideal {ideal:g} is not a whole number, and "
                   f"'{path[-1]}' takes whole levels only (whole: true); write "
                   f"{near[0]:g}" + (f" (or {near[1]:g})" if len(near) > 1 else ""), "error")
        loosest, strictest = red_line_window(pref, rng, False), red_line_window(pref, rng)
        if loosest is not None and _whole_levels(loosest) is None:
            yield (path + ("red_line",), f"the red line leaves [{loosest[0]:g}, "
                   f"{loosest[1]:g}], which holds no whole level, and '{path[-1]}' takes "
                   "whole levels only: nothing could ever be agreed on it; widen the line to "
                   "take in a whole number", "error")
        elif strictest is not None and _whole_levels(strictest) is None:
            yield (path + ("red_line",), "the red line's ends are drawn per run, and in some "
                   f"runs they leave no whole level on '{path[-1]}' (whole: true), which "
                   "then cannot be agreed; give the distributions bounds one unit apart or "
                   "more", "warning")
    side = pref.get("one_sided")
    if side not in ("more", "less"):
        return
    if pref.get("non_negotiable") is True:
        yield (path + ("one_sided",), "one_sided changes nothing here: a non-negotiable "
               "issue can be agreed only at the status quo; drop one of the two", "warning")
    elif ideal is not None and ideal == (hi if side == "more" else lo):
        end = "above" if side == "more" else "below"
        yield (path + ("one_sided",), f"one_sided: {side} changes nothing here: no level of "
               f"the range lies {end} the ideal {ideal:g}; with the ideal at the status quo "
               "every cap is already a loss that grows with its depth. It matters for an "
               "ideal inside the range (e.g. the force the actor plans to keep)", "warning")


def check_whole_ranges(data: dict[str, Any]) -> Iterator[Found]:
    """A whole-number issue's range runs between whole numbers."""
    for name, issue in _mapping(data.get("issues")).items():
        rng = _issue_range(issue)
        if _whole(issue) and rng is not None and any(v != round(v) for v in rng):
            yield (("issues", name, "range"), f"range [{rng[0]:g}, {rng[1]:g}] has an end "
                   "that is not a whole number, and the issue takes whole levels only "
                   "(whole: true); give whole ends", "error")


def _held_by_rivals(actor: dict[str, Any], actors: dict[str, Any], force: str) -> bool:
    return any(force in _mapping(_mapping(actors.get(r)).get("forces"))
               for r in _items(actor.get("rivals")) if isinstance(r, str))


def _check_ideal_given(path: Path, pref: dict[str, Any]) -> Iterator[Found]:
    """An ideal has no default, except that a non-negotiable issue's is the status quo."""
    if pref.get("ideal") is not None or pref.get("non_negotiable") is True:
        return
    what = "'ideal' is empty" if "ideal" in pref else "missing 'ideal'"
    yield (path + ("ideal",) if "ideal" in pref else path,
           f"{what}: the level the actor wants on '{path[-1]}' has no default; give one "
           "inside the issue's range, or write non_negotiable: true if the actor accepts no "
           "limit at all (its ideal is then the status quo)", "error")


def _check_weights(path: Path, preferences: Any) -> Iterator[Found]:
    """Preferences whose weights are all 0 leave the actor's utility undefined."""
    prefs = list(_mapping(preferences).values())
    if not prefs or not all(isinstance(p, dict) for p in prefs):
        return
    weights = [_number(p.get("weight", 1.0)) for p in prefs]
    if all(w == 0 for w in weights):
        yield (path + ("preferences",), "every weight is 0: the actor is indifferent to every "
               "issue, so it accepts any level its red lines allow, and its utility in the "
               f"results (utility.{path[-1]}, a mean weighted by nothing) is NaN; give the "
               "issues it cares about a weight above 0", "warning")


def _drawn_span(value: Any) -> tuple[float, float] | None:
    """The values a number or a distribution (as written) can take; None if unreadable
    (the schema reports it)."""
    number = _number(value)
    if number is not None:
        return number, number
    value = _mapping(value)
    if value.get("dist") not in ("uniform", "normal", "triangular", "beta"):
        return None
    default = {"beta": (0.0, 1.0), "normal": (-math.inf, math.inf)}.get(value["dist"],
                                                                       (None, None))
    low = value.get("low", default[0])
    high = value.get("high", default[1])
    if low in (-math.inf, math.inf) or high in (-math.inf, math.inf):
        return float(low), float(high)
    low, high = _number(low), _number(high)
    return None if low is None or high is None else (low, high)


def _check_preference(path: Path, pref: dict[str, Any],
                      rng: tuple[float, float] | None) -> Iterator[Found]:
    if rng is None:
        return
    lo, hi = rng
    ideal = _drawn_span(pref.get("ideal"))
    if ideal is not None and not lo <= ideal[0] <= ideal[1] <= hi:
        yield (path + ("ideal",), f"ideal {_shown(ideal)} is outside the issue's range "
               f"[{lo:g}, {hi:g}]", "error")
        ideal = None
    line = _mapping(pref.get("red_line"))
    outside = list(_check_line(path + ("red_line",), line, rng, "red line"))
    yield from outside
    yield from _check_line(path + ("red_line", "stated"), _mapping(line.get("stated")), rng,
                           "stated red line")
    believed = _mapping(line.get("believed"))
    for bound in ("min", "max"):
        interval = [_number(v) for v in _items(believed.get(bound))]
        if len(interval) == 2 and None not in interval and interval[0] <= interval[1] \
                and not lo <= interval[0] <= interval[1] <= hi:
            yield (path + ("red_line", "believed", bound), f"the belief [{interval[0]:g}, "
                   f"{interval[1]:g}] about the red line's {bound} leaves the issue's range "
                   f"[{lo:g}, {hi:g}]", "error")
    if pref.get("non_negotiable") is True and line:
        yield (path + ("non_negotiable",), "non_negotiable: true already means "
               "red_line {min: hi}; give one or the other", "error")
    window = red_line_window(pref, rng)
    if window is None and not outside and red_line_window(pref, rng, False) is not None:
        yield (path + ("red_line",), "the red line's min can be drawn above its max, "
               "leaving no acceptable level in some runs; give the distributions bounds "
               "that keep min <= max", "error")
    if ideal is not None and window is not None and not window[0] <= ideal[0] <= ideal[1] \
            <= window[1]:
        spans = [ideal, _drawn_span(line.get("min")), _drawn_span(line.get("max"))]
        drawn = "can lie" if any(x is not None and x[0] < x[1] for x in spans) else "lies"
        yield (path + ("ideal",), f"ideal {_shown(ideal)} {drawn} beyond the actor's own red "
               f"line [{window[0]:g}, {window[1]:g}]", "error")


def _shown(span: tuple[float, float]) -> str:
    return f"{span[0]:g}" if span[0] == span[1] else f"(drawn in [{span[0]:g}, {span[1]:g}])"


def _check_line(path: Path, line: dict[str, Any], rng: tuple[float, float],
                what: str) -> Iterator[Found]:
    lo, hi = rng
    for bound in ("min", "max"):
        span = _drawn_span(line.get(bound))
        if span is not None and not lo <= span[0] <= span[1] <= hi:
            shown = f"{span[0]:g}" if span[0] == span[1] else \
                f"drawn in [{span[0]:g}, {span[1]:g}]"
            yield (path + (bound,), f"{what} {bound} {shown} is outside the issue's range "
                   f"[{lo:g}, {hi:g}]" + ("" if span[0] == span[1] else
                                          "; give the distribution low/high inside it"),
                   "error")


def red_line_window(pref: Any, rng: tuple[float, float], strictest: bool = True
                    ) -> tuple[float, float] | None:
    """The levels an actor's preference accepts on an issue of range ``rng`` in every run
    (``strictest``; a red line's end drawn per run counts at its strictest), or in some
    run (at its loosest)."""
    pref = _mapping(pref)
    line = _mapping(pref.get("red_line"))
    ends = _drawn_span(line.get("min")), _drawn_span(line.get("max"))
    pick = (1, 0) if strictest else (0, 1)
    low, high = rules.red_line_window(*rng, None if ends[0] is None else ends[0][pick[0]],
                                      None if ends[1] is None else ends[1][pick[1]],
                                      pref.get("non_negotiable") is True)
    return (low, high) if low <= high else None


def check_forces(data: dict[str, Any]) -> Iterator[Found]:
    """Initial force levels within [0, max]."""
    forces = _mapping(data.get("forces"))
    for name, actor in _mapping(data.get("actors")).items():
        for force, params in _mapping(_mapping(actor).get("forces")).items():
            top = _number(_mapping(forces.get(force)).get("max"))
            initial = _number(_mapping(params).get("initial"))
            if top is not None and initial is not None and initial > top:
                yield (("actors", name, "forces", force, "initial"),
                       f"initial {initial:g} exceeds the force's max {top:g}", "error")


def check_sessions(data: dict[str, Any]) -> Iterator[Found]:
    """Rubinstein play is a two-party, one-issue game; red lines that leave no deal."""
    actors = _mapping(data.get("actors"))
    issues = _mapping(data.get("issues"))
    for s, session in enumerate(_items(data.get("sessions"))):
        session = _mapping(session)
        people = [p for p in _items(session.get("participants"))
                  if isinstance(p, str) and p in actors]
        agenda = [i for i in _items(session.get("agenda")) if isinstance(i, str)]
        kinds = {p: _strategy_type(actors[p]) for p in people}
        players = [p for p, kind in kinds.items() if kind == "rubinstein"]
        if players and (len(people) != 2 or len(agenda) != 1 or len(players) != 2):
            who = " and ".join([", ".join(players[:-1]), players[-1]] if players[:-1]
                               else players)
            yield (("sessions", s), f"{who} {'plays' if len(players) == 1 else 'play'} "
                   "'rubinstein', Rubinstein's alternating offers between two players over one "
                   f"issue: this session has {_count(len(people), 'participant')} "
                   f"({len(players)} playing rubinstein) and "
                   f"{_count(len(agenda), 'agenda issue')}; give it exactly two participants, "
                   "both playing rubinstein, and one issue", "error")
        if len(_items(session.get("participants"))) < 2:
            yield (("sessions", s, "participants"), "a negotiation needs at least two "
                   "participants", "error")
        for i, issue in enumerate(agenda):
            rng = _issue_range(issues.get(issue))
            if rng is None:
                continue
            windows = [red_line_window(
                _mapping(_mapping(actors[p]).get("preferences")).get(issue), rng, False)
                for p in people]
            if not windows or any(w is None for w in windows):
                continue
            bounds = np.array(windows)
            low, high = rules.common_window(bounds[:, :1], bounds[:, 1:], np.arange(len(windows)))
            if low[0] > high[0]:
                yield (("sessions", s, "agenda", i), f"the participants' red lines leave no "
                       f"common level on '{issue}': it cannot be agreed here", "warning")
            elif _whole(issues.get(issue)) and _whole_levels((low[0], high[0])) is None:
                yield (("sessions", s, "agenda", i), f"the participants' red lines leave "
                       f"only [{low[0]:g}, {high[0]:g}] on '{issue}', which holds no whole "
                       "level (whole: true): it cannot be agreed here", "warning")


TIME_DEPENDENT = ("boulware", "linear", "conceder", "time_dependent")


def check_convergence(data: dict[str, Any]) -> Iterator[Found]:
    """Sessions whose strategies cannot converge in their rounds (docs/model.md 7.19):
    hardliners that want different levels; tit for tat with no opening facing only
    hardliners (nobody ever moves); reservations that leave no level every participant
    accepts, among time-dependent negotiators (their aspirations end at the
    reservations, so they never meet); a one-round session whose time-dependent
    proposer asks for its ideal, which a responder refuses."""
    actors = _mapping(data.get("actors"))
    issues = _mapping(data.get("issues"))
    for s, session in enumerate(_items(data.get("sessions"))):
        session = _mapping(session)
        if session.get("protocol") == "mediated" or session.get("mediator") is not None:
            continue
        people = list(dict.fromkeys(p for p in _items(session.get("participants"))
                                    if isinstance(p, str) and p in actors))
        kinds = {p: _strategy_type(actors[p]) or "linear" for p in people}
        if len(people) < 2 or "rubinstein" in kinds.values():
            continue
        yield from _reciprocity_stalls(s, people, kinds, actors)
        for i, issue in enumerate(_items(session.get("agenda"))):
            rng = _issue_range(issues.get(issue)) if isinstance(issue, str) else None
            if rng is not None:
                yield from _issue_stalls(("sessions", s, "agenda", i), issue, rng, people,
                                         kinds, actors, session.get("rounds"), issues)


def _reciprocity_stalls(s: int, people: list[str], kinds: dict[str, Any],
                        actors: dict[str, Any]) -> Iterator[Found]:
    stuck = [p for p in people if kinds[p] == "tit_for_tat"
             and _number(_mapping(_mapping(actors[p]).get("strategy")).get("opening", 0.05)) == 0]
    if stuck and all(kinds[p] == "hardliner" for p in people if p not in stuck):
        who = " and ".join(stuck)
        yield (("sessions", s, "participants"), f"nobody can move here: {who} "
               f"{'plays' if len(stuck) == 1 else 'play'} tit_for_tat with opening 0, which "
               "concedes only what the others concede, and the others are hardliners, who "
               "never do; the session ends as a deadlock once nobody has moved for its "
               "deadlock_rounds; give tit_for_tat an opening (e.g. 0.05) or a conceding "
               "strategy to someone", "warning")


def _issue_stalls(path: Path, issue: str, rng: tuple[float, float], people: list[str],
                  kinds: dict[str, Any], actors: dict[str, Any], rounds: Any,
                  issues: dict[str, Any]) -> Iterator[Found]:
    """Hardliners that disagree, and reservations that leave no level, on one issue."""
    lo, hi = rng
    prefs = {p: _mapping(_mapping(actors[p]).get("preferences")).get(issue) for p in people}
    windows = [red_line_window(prefs[p], rng) for p in people]
    if any(w is None for w in windows):
        return                      # no common level: check_sessions says so
    low = max(w[0] for w in windows)
    high = min(w[1] for w in windows)
    if low > high:
        return
    ideal = {p: _ideal(prefs[p], hi) for p in people}
    caring = [p for p in people if isinstance(prefs[p], dict) and ideal[p] is not None
              and (_number(prefs[p].get("weight", 1.0)) or 0) > 0]
    side = {p: _mapping(prefs[p]).get("one_sided") for p in caring}
    # a hardliner accepts only what is worth its ideal: the ideal, or beyond it on a
    # one-sided preference's free side
    content = [tuple(min(max(v, low), high) for v in _content(ideal[p], side[p], lo, hi))
               for p in caring if kinds[p] == "hardliner"]
    if content and max(c[0] for c in content) > min(c[1] for c in content) + 1e-9:
        hard = {p: min(max(ideal[p], low), high) for p in caring if kinds[p] == "hardliner"}
        wants = ", ".join(f"{p} {v:g}" + (f" or {'more' if side[p] == 'more' else 'less'}"
                                           if side[p] else "") for p, v in hard.items())
        yield (path, f"the hardliners want different levels of '{issue}' ({wants}, within "
               "the red lines) and accept nothing but their own: it cannot be agreed here, "
               "and the session ends as a deadlock once nobody moves; give one of them a "
               "conceding strategy (e.g. linear)", "warning")
        return
    need = {p: _number(_mapping(actors[p]).get("reservation", 0.0)) for p in caring}
    timed = all(kinds[p] in TIME_DEPENDENT for p in caring)
    if any(r is None for r in need.values()) or len(caring) < 2 or not timed:
        return
    span = hi - lo
    # the levels worth at least its reservation to each: a shortfall from its ideal (on
    # a symmetric preference, a distance either way) of at most (1 - r) * span
    top = min([high] + [ideal[p] + (1 - need[p]) * span for p in caring
                        if side[p] != "more"])
    bottom = max([low] + [ideal[p] - (1 - need[p]) * span for p in caring
                          if side[p] != "less"])
    whole = _whole(issues.get(issue))
    if bottom > top + 1e-9 or whole and _whole_levels((bottom, top)) is None:
        yield (path, f"no {'whole ' if whole else ''}level of '{issue}' is worth its "
               f"reservation to every participant "
               f"({', '.join(f'{p} {need[p]:g}' for p in caring)}): their time-dependent "
               "concessions end at the reservations and never meet, in any number of rounds; "
               "lower a reservation or move an ideal", "warning")
        return
    first = people[0]
    if rounds == 1 and first in caring and kinds[first] != "hardliner":
        asked = min(max(ideal[first], low), high)
        refuse = [p for p in caring[1:]
                  if 1 - _shortfall(asked, ideal[p], side[p]) / span < need[p] - 1e-9]
        if refuse:
            yield (path, f"one round is too few here: {first} proposes its ideal "
                   f"({asked:g}), which is worth less than its reservation to "
                   f"{' and '.join(refuse)}, and there is no second round for "
                   "time-dependent concession; give the session more rounds", "warning")


def _content(ideal: float, side: Any, lo: float, hi: float) -> tuple[float, float]:
    """The levels worth as much as the ideal: the ideal alone, or on a one-sided
    preference everything beyond it on its free side."""
    return (ideal, hi) if side == "more" else (lo, ideal) if side == "less" else (ideal, ideal)


def _shortfall(x: float, ideal: float, side: Any) -> float:
    """How far ``x`` falls short of the ideal, as the utility counts it
    (armsim.core.offers.one_sided)."""
    if side == "more":
        return max(ideal - x, 0.0)
    if side == "less":
        return max(x - ideal, 0.0)
    return abs(x - ideal)


def _ideal(pref: Any, hi: float) -> float | None:
    pref = _mapping(pref)
    if pref.get("non_negotiable") is True and pref.get("ideal") is None:
        return hi
    return _number(pref.get("ideal"))


def check_linkage(data: dict[str, Any]) -> Iterator[Found]:
    """An actor that insists on an issue no session has on its agenda can agree nothing."""
    issues = _mapping(data.get("issues"))
    tabled = {issue for session in _items(data.get("sessions"))
              for issue in _items(_mapping(session).get("agenda")) if isinstance(issue, str)}
    for name, actor in _mapping(data.get("actors")).items():
        for i, issue in enumerate(_items(_mapping(actor).get("insists"))):
            if isinstance(issue, str) and issue in issues and issue not in tabled:
                yield (("actors", name, "insists", i), f"'{issue}' is on no session's agenda, "
                       f"so it is never agreed, and {name} agrees to nothing without it: it "
                       "will accept no offer in any session; put the issue on an agenda or "
                       "take it out of insists", "warning")


def check_session_linkage(data: dict[str, Any]) -> Iterator[Found]:
    """An actor that insists, for one session, on an issue that cannot be agreed by then
    (on neither this session's agenda nor an earlier one's) agrees to nothing there."""
    issues = _mapping(data.get("issues"))
    tabled: set[str] = set()
    for s, session in enumerate(_items(data.get("sessions"))):
        session = _mapping(session)
        tabled |= {i for i in _items(session.get("agenda")) if isinstance(i, str)}
        for who, linked in _mapping(session.get("insists")).items():
            for i, issue in enumerate(_items(linked)):
                if isinstance(issue, str) and issue in issues and issue not in tabled:
                    yield (("sessions", s, "insists", who, i), f"'{issue}' is on the agenda "
                           f"neither of this session nor of one before it, so it cannot be "
                           f"agreed by then, and {who} agrees to nothing here without it; "
                           "put the issue on this session's agenda or drop it here",
                           "warning")


def check_length(data: dict[str, Any]) -> Iterator[Found]:
    """A run's rounds (every session's, then the aftermath) stay within MAX_ROUNDS."""
    counts = [_mapping(session).get(key, 0 if key == "gap" else None)
              for session in _items(data.get("sessions")) for key in ("rounds", "gap")]
    counts.append(data.get("aftermath", 0))
    whole = [n for n in counts if isinstance(n, int) and not isinstance(n, bool)]
    if len(whole) == len(counts) and all(0 <= n <= MAX_ROUNDS for n in whole) \
            and sum(whole) > MAX_ROUNDS:
        yield (("aftermath",) if "aftermath" in data else (), f"a run would last {sum(whole):,} "
               f"rounds (sessions, the gaps between them and aftermath together); at most {MAX_ROUNDS:,} are "
               "simulated: use fewer rounds, or a larger dt with fewer of them", "error")


PAYOFF_DEFAULTS = {"R": 3.0, "S": 0.0, "T": 5.0, "P": 1.0}


def check_payoffs(data: dict[str, Any]) -> Iterator[Found]:
    """A compliance game that is not a prisoner's dilemma is a warning; generous tit for
    tat without ``p`` needs payoffs that give axelrod's default a probability."""
    given = _mapping(_mapping(data.get("environment")).get("payoffs"))
    pay = {k: _number(given.get(k, v)) for k, v in PAYOFF_DEFAULTS.items()}
    if any(v is None for v in pay.values()):
        return  # the schema reports the bad number
    R, S, T, P = pay["R"], pay["S"], pay["T"], pay["P"]  # noqa: N806 (the game's names)
    where = ("environment", "payoffs")
    if not T > R > P > S:
        yield (where, f"these payoffs (R {R:g}, S {S:g}, T {T:g}, P {P:g}) are not a "
               "prisoner's dilemma, which needs T > R > P > S; the compliance strategies "
               "are named for that game, and axelrod's results need it", "warning")
    users = [name for name, actor in _mapping(data.get("actors")).items()
             if _compliance_type(actor) == "generous_tit_for_tat"
             and _mapping(_mapping(actor).get("compliance")).get("p") is None]
    if not users:
        return
    p = gtft_generosity(R, S, T, P)
    if not 0 <= p <= 1:
        value = "undefined (a division by zero)" if math.isnan(p) else f"{p:g}"
        yield (where, f"{' and '.join(users)} {'plays' if len(users) == 1 else 'play'} "
               "generous_tit_for_tat without p, which takes axelrod's default "
               "min(1 - (T - R) / (R - S), (R - P) / (T - P)) from the payoffs: here it is "
               f"{value}, not a probability; give p (e.g. {{type: generous_tit_for_tat, "
               "p: 0.1}) or prisoner's dilemma payoffs", "error")


def _compliance_type(actor: Any) -> Any:
    compliance = _mapping(actor).get("compliance")
    return compliance if isinstance(compliance, str) else _mapping(compliance).get("type")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _strategy_type(actor: Any) -> Any:
    strategy = _mapping(actor).get("strategy")
    return strategy if isinstance(strategy, str) else _mapping(strategy).get("type")


def check_stability(scenario: Any) -> Iterator[Found]:
    """A valid scenario whose force dynamics diverge in discrete time: the spectral
    radius of the whole linear map I + dt*M over every held force cell is above 1
    (armsim.richardson.system_of), told with the pair of cells that dominates it."""
    from armsim.richardson import drawn_dynamics, system_of

    system = system_of(scenario)
    if not system.diverges:
        return
    actor, force = system.cells[system.dominant[0]]
    at = " (the distributions at their means)" if drawn_dynamics(scenario) else ""
    H = len(system.cells)
    yield (("actors", actor, "forces", force), "the force dynamics are unstable in discrete "
           f"time: the spectral radius of I + dt*M over the {_count(H, 'held force cell')} "
           f"is {system.radius:.4g}{at}, above 1, dominated by {system.dominant_names}; forces "
           "will run to their max or swing between 0 and max instead of settling. Lower the "
           "reactions (reaction, reacts_to) or dt, or raise the fatigues, keeping dt * "
           "fatigue below 1", "warning")


def check_all(data: Any) -> list[Found | AtKey]:
    if not isinstance(data, dict):
        return []
    from armsim.scenario.agreement_checks import check_all_agreements

    return [*check_references(data), *check_forces(data), *check_whole_ranges(data),
            *check_sessions(data), *check_session_linkage(data),
            *check_convergence(data), *check_linkage(data), *check_length(data),
            *check_payoffs(data), *check_all_agreements(data)]
