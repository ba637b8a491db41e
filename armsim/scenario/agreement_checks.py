"""Checks of what agreements say beyond their levels: who plays whom, trades, verification,
ceilings, life cycles, events and the session calendar (docs/model.md 7.20 to 7.25).

Like :mod:`armsim.scenario.checks`, these run over the raw data and tolerate values of
the wrong type (the schema reports those), yielding ``(path, message, severity)``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from armsim.scenario.checks import Found, _items, _mapping, _refs
from armsim.scenario.problems import did_you_mean


def _blocs(actors: dict[str, Any]) -> dict[str, list[str]]:
    """Each bloc name and its members."""
    out: dict[str, list[str]] = {}
    for name, actor in actors.items():
        bloc = _mapping(actor).get("bloc")
        if isinstance(bloc, str):
            out.setdefault(bloc, []).append(name)
    return out


def _members(name: str, actors: dict[str, Any], blocs: dict[str, list[str]]) -> set[str]:
    return {name} if name in actors else set(blocs.get(name, ()))


def check_counterparts(data: dict[str, Any]) -> Iterator[Found]:
    """The pairs of ``environment.counterparts`` name actors or blocs, two sides each."""
    pairs = _mapping(data.get("environment")).get("counterparts")
    if not isinstance(pairs, list):
        return
    actors = _mapping(data.get("actors"))
    blocs = _blocs(actors)
    known = set(actors) | set(blocs)
    where = ("environment", "counterparts")
    for j, pair in enumerate(pairs):
        names = _items(pair)
        if len(names) != 2 or not all(isinstance(n, str) for n in names):
            continue                                   # the schema says what a pair is
        for k, name in enumerate(names):
            if name not in known:
                yield (where + (j, k), f"unknown actor or bloc '{name}'"
                       f"{did_you_mean(name, known)}", "error")
        if all(n in known for n in names):
            left, right = (_members(n, actors, blocs) for n in names)
            if left == right and len(left) == 1:
                yield (where + (j,), f"'{names[0]}' is paired with itself: a pair names two "
                       "sides that play the compliance game against each other", "error")


def _bound_by(issue: dict[str, Any], actors: dict[str, Any],
              blocs: dict[str, list[str]]) -> set[str] | None:
    """The actors an asymmetric issue binds (None for ``binds: all``)."""
    binds = issue.get("binds", "all")
    if not isinstance(binds, list):
        return None
    return {a for name in binds if isinstance(name, str) for a in _members(name, actors, blocs)}


def check_trades(data: dict[str, Any]) -> Iterator[Found]:
    """``traded_for`` names other issues, each once; a trade between commitments that
    bind the same actors pairs nobody new (a warning)."""
    issues = _mapping(data.get("issues"))
    actors = _mapping(data.get("actors"))
    blocs = _blocs(actors)
    for name, issue in issues.items():
        issue = _mapping(issue)
        traded = _items(issue.get("traded_for"))
        yield from _refs(traded, ("issues", name, "traded_for"), set(issues), "issue")
        for j, other in enumerate(traded):
            where = ("issues", name, "traded_for", j)
            if not isinstance(other, str) or other not in issues or other in traded[:j]:
                continue
            if other == name:
                yield (where, f"'{name}' cannot be traded for itself: a trade pairs the "
                       "actors one commitment binds with those another binds", "error")
            else:
                mine = _bound_by(issue, actors, blocs)
                theirs = _bound_by(_mapping(issues[other]), actors, blocs)
                if mine is not None and mine == theirs:
                    yield (where, f"'{name}' and '{other}' bind the same actors "
                           f"({', '.join(sorted(mine))}), so the trade pairs nobody who is "
                           "not paired already; a trade of caps for relief binds one side "
                           "with one issue and the other side with the other", "warning")


def check_verification(data: dict[str, Any]) -> Iterator[Found | tuple]:
    """An issue's verification names actors or blocs; an inspection regime (``verifies``)
    names other issues and needs ``detection``; a regime that binds none of the actors of
    the issues it verifies changes nothing (a warning)."""
    issues = _mapping(data.get("issues"))
    actors = _mapping(data.get("actors"))
    blocs = _blocs(actors)
    for name, issue in issues.items():
        issue = _mapping(issue)
        where = ("issues", name)
        given = issue.get("verification")
        if isinstance(given, dict) and "dist" not in given:
            for key in given:
                if key != "*" and key not in actors and key not in blocs:
                    yield (where + ("verification", key), f"unknown actor or bloc '{key}'"
                           f"{did_you_mean(key, set(actors) | set(blocs))}", "error", True)
        verifies = _items(issue.get("verifies"))
        yield from _refs(verifies, where + ("verifies",), set(issues), "issue")
        for j, other in enumerate(verifies):
            if not isinstance(other, str) or other not in issues or other in verifies[:j]:
                continue
            mine = _bound_by(issue, actors, blocs)
            theirs = _bound_by(_mapping(issues[other]), actors, blocs)
            if mine is not None and theirs is not None and not mine & theirs:
                yield (where + ("verifies", j), f"'{name}' binds {', '.join(sorted(mine))} and "
                       f"'{other}' binds {', '.join(sorted(theirs))}: the regime applies to "
                       "the actors bound by both, here none, so it changes nothing; bind the "
                       "inspected side with both", "warning")
        if verifies and issue.get("detection") is None:
            yield (where + ("verifies",), f"'{name}' verifies {', '.join(map(str, verifies))} "
                   "but has no detection: give the chance that a defection is detected at "
                   "the range's lo and at its hi, e.g. detection: [0.95, 0.5]", "error")
        if issue.get("detection") is not None and not verifies:
            yield (where + ("detection",), "detection has no effect without verifies: list "
                   "the issues whose verification this issue's level sets", "warning")


def _may_bind(name: str, issue: dict[str, Any], data: dict[str, Any]) -> set[str]:
    """The actors an issue's agreement may bind: its ``binds`` list, or (``all``) the
    participants of the sessions that have it on their agenda."""
    actors = _mapping(data.get("actors"))
    listed = _bound_by(issue, actors, _blocs(actors))
    if listed is not None:
        return listed
    return {p for session in _items(data.get("sessions"))
            if name in _items(_mapping(session).get("agenda"))
            for p in _items(_mapping(session).get("participants"))
            if isinstance(p, str) and p in actors}


def check_ceilings(data: dict[str, Any]) -> Iterator[Found]:
    """A ceiling over a bloc or a total needs forces to cap; ``bloc`` where no two actors
    the issue may bind share a bloc is each actor's own ceiling (a warning)."""
    actors = _mapping(data.get("actors"))
    for name, issue in _mapping(data.get("issues")).items():
        issue = _mapping(issue)
        ceiling = issue.get("ceiling", "each")
        where = ("issues", name, "ceiling")
        if ceiling in ("bloc", "total") and issue.get("caps") is None:
            yield (where, f"a ceiling on a {ceiling}'s level needs the forces it caps: add "
                   "caps (a force, or a list of forces whose sum it caps)", "error")
        if ceiling == "bloc":
            bound = _may_bind(name, issue, data)
            blocs = [_mapping(actors[a]).get("bloc") for a in bound]
            shared = [b for b in set(blocs) if isinstance(b, str) and blocs.count(b) > 1]
            if not shared:
                yield (where, f"no two actors that '{name}' may bind ({', '.join(sorted(bound))}"
                       ") share a bloc, so each bloc's total is one actor's own level: the "
                       "same as ceiling: each; give allies a common bloc", "warning")


def _whole(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def check_life_cycles(data: dict[str, Any]) -> Iterator[Found]:
    """Phases in order, each share at least the one before, on an issue that caps forces;
    an extension needs a term; a schedule that never reaches the agreed level warns."""
    for name, issue in _mapping(data.get("issues")).items():
        issue = _mapping(issue)
        where = ("issues", name)
        phases = [_mapping(p) for p in _items(issue.get("phases"))]
        if phases and issue.get("caps") is None:
            yield (where + ("phases",), "phases schedule the cuts of a ceiling on forces, "
                   f"but '{name}' caps none: add caps, or drop phases", "error")
        last_after, last_share = -1, 0.0
        for j, phase in enumerate(phases):
            after, share = _whole(phase.get("after")), phase.get("share")
            if after is not None and after <= last_after:
                yield (where + ("phases", j, "after"), f"phase {j} comes {after} rounds after "
                       f"entry into force, not after phase {j - 1} ({last_after}): list the "
                       "phases in order, each later than the one before", "error")
            if isinstance(share, (int, float)) and not isinstance(share, bool):
                if share < last_share:
                    yield (where + ("phases", j, "share"), f"share {share:g} is below the "
                           f"share already due ({last_share:g}): a phased reduction only "
                           "goes further", "error")
                last_share = max(last_share, float(share))
            last_after = after if after is not None else last_after
        if phases and last_share < 1:
            yield (where + ("phases",), f"the last phase makes {last_share:g} of the cuts "
                   "due, so the agreed level itself never binds; end with share: 1 if the "
                   "treaty reaches it", "warning")
        if issue.get("extension") is not None and issue.get("duration") is None:
            yield (where + ("extension",), "an extension follows the end of a term: give "
                   f"'{name}' a duration (rounds from entry into force to its end)", "error")


def run_length(data: dict[str, Any]) -> int | None:
    """Rounds in a run (every session's gap and rounds, then the aftermath), or None where
    a number is not yet a whole number (the schema reports it)."""
    counts = [data.get("aftermath", 0)]
    for session in _items(data.get("sessions")):
        session = _mapping(session)
        counts += [session.get("rounds"), session.get("gap", 0)]
    whole = [_whole(n) for n in counts]
    return None if None in whole else sum(whole)          # type: ignore[arg-type]


def check_events(data: dict[str, Any]) -> Iterator[Found]:
    """Each event names what it acts on, and nothing it does not use."""
    actors = _mapping(data.get("actors"))
    issues = _mapping(data.get("issues"))
    suspended: set[tuple[Any, str]] = set()
    length = run_length(data)
    for e, event in enumerate(_items(data.get("events"))):
        event = _mapping(event)
        where = ("events", e)
        does, actor = event.get("does"), event.get("actor")
        at = _whole(event.get("round"))
        if at is not None and length is not None and at >= length:
            yield (where + ("round",), f"a run has {length} rounds (0 to {length - 1}): an "
                   f"event in round {at} never happens; give more aftermath, or an earlier "
                   "round", "warning")
        if isinstance(actor, str) and actor not in actors:
            yield (where + ("actor",), f"unknown actor '{actor}'{did_you_mean(actor, actors)}",
                   "error")
        if does in ("withdraw", "new_government") and actor is None:
            yield (where, f"{does} needs the actor it concerns: add actor: <actor id>", "error")
        yield from _event_issues(where, event, issues)
        if does == "new_government":
            yield from _government(where, event, actor, actors)
        elif "set" in event and does in ("withdraw", "suspend", "resume"):
            yield (where + ("set",), f"set is what a new government changes; a {does} "
                   "changes nothing in an actor: drop set, or make it does: new_government",
                   "error")
        names = [i for i in _items(event.get("issues")) if isinstance(i, str)] or ["*"]
        actor = actor if isinstance(actor, str) else None      # the schema reports others
        for issue in names:
            if does == "suspend":
                suspended.add((actor, issue))
            if does == "resume" and (actor, issue) not in suspended \
                    and (None, issue) not in suspended and (actor, "*") not in suspended \
                    and (None, "*") not in suspended:
                yield (where, f"nothing suspended before this event is resumed by it "
                       f"({issue if issue != '*' else 'every issue'}"
                       f"{', ' + actor if actor else ''})", "warning")


def _event_issues(where: tuple, event: dict[str, Any], issues: dict[str, Any]
                  ) -> Iterator[Found]:
    yield from _refs(event.get("issues"), where + ("issues",), set(issues), "issue")
    if event.get("issues") and event.get("does") == "new_government":
        yield (where + ("issues",), "a new government changes an actor, not an issue: drop "
               "issues", "error")


def _government(where: tuple, event: dict[str, Any], actor: Any,
                actors: dict[str, Any]) -> Iterator[Found | tuple]:
    change = event.get("set")
    if not isinstance(change, dict) or not change:
        yield (where, "new_government needs set: what it changes in the actor (patience, "
               "reservation, trust, compliance, verification, forces)", "error")
        return
    if not isinstance(actor, str) or actor not in actors:
        return
    held = _mapping(_mapping(actors[actor]).get("forces"))
    for force in _mapping(change.get("forces")):
        if force not in held:
            yield (where + ("set", "forces", force), f"{actor} holds no force '{force}'"
                   f"{did_you_mean(force, held)}: a new government changes the dynamics of "
                   "forces the actor holds", "error", True)
    trust = change.get("trust")
    if isinstance(trust, dict) and "dist" not in trust:
        others = set(actors) - {actor}
        for other in trust:
            if other != "*" and other not in others:
                yield (where + ("set", "trust", other), f"unknown actor '{other}'"
                       f"{did_you_mean(other, others)}", "error", True)


def check_calendar(data: dict[str, Any]) -> Iterator[Found]:
    """An interim session needs a later session on its issues to replace its deals; a
    reopening session needs an earlier one whose deals it could take up again."""
    sessions = [_mapping(x) for x in _items(data.get("sessions"))]
    for s, session in enumerate(sessions):
        agenda = {i for i in _items(session.get("agenda")) if isinstance(i, str)}
        later = {i for x in sessions[s + 1:] for i in _items(x.get("agenda"))
                 if isinstance(i, str)}
        earlier = {i for x in sessions[:s] for i in _items(x.get("agenda"))
                   if isinstance(i, str)}
        if session.get("interim") is True and not agenda & later:
            yield (("sessions", s, "interim"), "no later session has any of its issues on its "
                   "agenda, so its interim deals are never replaced: they bind like any "
                   "other; put the issues on a later agenda", "warning")
        if session.get("reopens") is True and not agenda & earlier:
            yield (("sessions", s, "reopens"), "no earlier session has any of its issues on "
                   "its agenda, so there is nothing it could take up again", "warning")


def check_all_agreements(data: Any) -> list[Found]:
    if not isinstance(data, dict):
        return []
    return [*check_counterparts(data), *check_trades(data), *check_verification(data),
            *check_ceilings(data), *check_life_cycles(data), *check_events(data),
            *check_calendar(data)]
