"""A readable account of a scenario, for ``armsim show`` and for classrooms."""

from __future__ import annotations

from typing import Any

import numpy as np
from pydantic import BaseModel

from armsim.core.rules import common_window, red_line_window

from armsim.scenario.checks import check_convergence
from armsim.scenario.schema import Scenario


def fmt(value: Any) -> str:
    """A number as a person writes it; a distribution by its parameters."""
    if isinstance(value, (int, float)):
        return f"{value:g}"
    if value is None:
        return "-"
    fields = value.model_dump(by_alias=True, exclude={"dist", "source", "assumption"})
    inner = ", ".join(f"{k}={v:g}" for k, v in fields.items() if abs(v) != float("inf"))
    return f"{value.dist}({inner})"


def _mean(value: Any) -> Any:
    return value if value is None or isinstance(value, (int, float)) else value.mean()


def acceptable(scenario: Scenario, actor: str, issue: str) -> tuple[float, float]:
    """The interval of levels on ``issue`` that ``actor``'s true red line accepts (an end
    drawn per run at its mean)."""
    rng = scenario.issues[issue]
    pref = scenario.actors[actor].preferences.get(issue)
    if pref is None:
        return rng.lo, rng.hi
    line = pref.red_line
    return red_line_window(rng.lo, rng.hi, _mean(line.min) if line else None,
                           _mean(line.max) if line else None, pref.non_negotiable)


def zone_of_agreement(scenario: Scenario, issue: str,
                      actors: list[str] | None = None) -> tuple[float, float] | None:
    """Levels every actor's red line accepts (all actors by default); None if none."""
    names = list(scenario.actors) if actors is None else actors
    windows = np.array([acceptable(scenario, a, issue) for a in names]).reshape(-1, 2)
    if not len(windows):
        return scenario.issues[issue].lo, scenario.issues[issue].hi
    low, high = common_window(windows[:, :1], windows[:, 1:], np.arange(len(windows)))
    return (float(low[0]), float(high[0])) if low[0] <= high[0] else None


def _red_line_text(scenario: Scenario, actor: str, issue: str) -> str:
    pref = scenario.actors[actor].preferences.get(issue)
    if pref is None:
        return "indifferent"
    if pref.non_negotiable:
        return "non-negotiable (no limit)"
    line, rng = pref.red_line, scenario.issues[issue]
    if line is not None and not all(isinstance(v, (int, float, type(None)))
                                    for v in (line.min, line.max)):
        text = f"accepts [{fmt(rng.lo if line.min is None else line.min)}, " \
               f"{fmt(rng.hi if line.max is None else line.max)}] (drawn per run)"
    else:
        low, high = acceptable(scenario, actor, issue)
        text = "none" if (low, high) == (rng.lo, rng.hi) else f"accepts [{low:g}, {high:g}]"
    return text + _private_text(line)


def _private_text(line: Any) -> str:
    """What an actor states of its line and what the others believe at first."""
    if line is None:
        return ""
    out = ""
    if line.stated is not None:
        ends = [f"{end} {fmt(v)}" for end, v in (("min", line.stated.min),
                                                  ("max", line.stated.max)) if v is not None]
        out += f"; states {', '.join(ends)}"
    if line.believed is not None:
        ends = [f"{end} in [{v[0]:g}, {v[1]:g}]" for end, v in (("min", line.believed.min),
                                                                ("max", line.believed.max))
                if v is not None]
        out += f"; others believe {', '.join(ends)}"
    return out


def _zone_text(scenario: Scenario, issue: str, actors: list[str]) -> str:
    """The zone of possible agreement, as a chance where red lines are drawn per run."""
    from armsim.scenario.zone import uncertain, zone_chance

    if not uncertain(scenario, issue, actors):
        zone = zone_of_agreement(scenario, issue, actors)
        return "none" if zone is None else f"[{zone[0]:g}, {zone[1]:g}]"
    chance = zone_chance(scenario, issue, actors)
    exact = "" if chance.exact is None else f"{chance.exact:.4f} exactly (uniform lines), "
    return (f"not empty with probability {exact}{chance.monte_carlo:.4f} in runs 0-"
            f"{chance.draws - 1} of seed {scenario.seed}")


def _dynamics_text(scenario: Scenario) -> str:
    """The force dynamics as one linear map: its spectral radius, stable or not, the pair
    that dominates it; where reactions or fatigues are drawn, the share of runs 0-999
    in which they diverge."""
    from armsim.richardson import drawn_dynamics, system_of, unstable_share

    system = system_of(scenario)
    cells = _plural(len(system.cells), "held cell")
    verdict = ("unstable: forces run to their max or swing" if system.diverges
               else "stable: forces settle" if system.stable else "neutral: forces hold or drift")
    text = (f"  dynamics: spectral radius of I + dt*M over {cells} {system.radius:.4g} "
            f"({verdict}), dominated by {system.dominant_names}")
    if drawn_dynamics(scenario):
        share = unstable_share(scenario)
        text += (f"; at the distributions' means, and unstable in {100 * share:.1f}% of runs "
                 f"0-999 of seed {scenario.seed}")
    return text


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _notes(node: Any, path: str) -> list[str]:
    """Every ``source:`` and ``assumption:`` note below ``node``, with its dotted path."""
    out = []
    if isinstance(node, BaseModel):
        for kind in ("source", "assumption"):
            text = getattr(node, kind, None)
            if isinstance(text, str) and kind in type(node).model_fields:
                out.append(f"{path or '(scenario)'} [{kind}]: " + " ".join(text.split()))
        for name in type(node).model_fields:
            if name not in ("source", "assumption"):
                out += _notes(getattr(node, name), f"{path}.{name}" if path else name)
    elif isinstance(node, dict):
        for key, value in node.items():
            out += _notes(value, f"{path}.{key}")
    elif isinstance(node, (list, tuple)):
        for i, value in enumerate(node):
            out += _notes(value, f"{path}.{i}")
    return out


def describe_notes(scenario: Scenario) -> str:
    """The provenance of a scenario: each note with the dotted path it belongs to."""
    notes = _notes(scenario, "")
    return "\n".join(["Notes (source: what a source says; assumption: why this value)",
                      *[f"  {line}" for line in notes]] if notes else ["No notes."])


def _stalls(scenario: Scenario) -> dict[int, list[str]]:
    """The warnings of :func:`~armsim.scenario.checks.check_convergence`, per session."""
    out: dict[int, list[str]] = {}
    for path, message, _ in check_convergence(scenario.model_dump(mode="json", by_alias=True)):
        out.setdefault(int(path[1]), []).append(message)
    return out


def _verification_text(issue: Any) -> str:
    """An issue's own verification and, for an inspection regime, what it verifies."""
    text = ""
    given = issue.verification
    if given is not None:
        text += ", verification " + (fmt(given["*"]) if set(given) == {"*"} else ", ".join(
            f"{k} {fmt(v)}" for k, v in given.items()))
    if issue.verifies:
        lo, hi = issue.detection or (float("nan"),) * 2
        text += (f", verifies {', '.join(issue.verifies)} (detection {lo:g} at {issue.lo:g}, "
                 f"{hi:g} at {issue.hi:g})")
    return text


def _life_text(issue: Any) -> str:
    """Entry into force, phases, term and extensions, in rounds."""
    text = ""
    if issue.enters_into_force:
        text += f", enters into force {_plural(issue.enters_into_force, 'round')} after signature"
    if issue.phases:
        text += ", phases: " + ", ".join(f"{100 * p.share:g}% after {p.after}"
                                         for p in issue.phases)
    if issue.duration:
        text += f", lasts {_plural(issue.duration, 'round')}"
    if issue.extension:
        e = issue.extension
        how = "automatically" if e.automatic else "if its parties still value it"
        text += (f", extendable {'once' if e.times == 1 else f'{e.times} times'} by "
                 f"{_plural(e.rounds, 'round')} {how}")
    return text


def _flow(value: Any) -> str:
    """A value as YAML's flow style writes it: {russia: 0.2}, [a, b], 0.9."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return fmt(value) if isinstance(value, (int, float)) and not isinstance(value, bool) \
        else str(value)


def _events_text(scenario: Scenario) -> list[str]:
    out = []
    for event in sorted(scenario.events, key=lambda e: e.round):
        what = ", ".join(event.issues) if event.issues else "every agreement"
        if event.does == "new_government":
            parts = event.change.model_dump(by_alias=True, exclude_none=True,
                                            exclude={"source", "assumption"})
            parts = {k: v["type"] if k == "compliance" and set(v) == {"type"} else v
                     for k, v in parts.items() if v != {}}
            text = f"a new government in {event.actor}: {_flow(parts)[1:-1]}"
        elif event.actor:
            text = f"{event.actor} {event.does}s its part in {what}" if event.does != \
                "withdraw" else f"{event.actor} withdraws from {what}"
        else:
            text = f"{what} is {event.does.rstrip('e')}ed" if event.does != "withdraw" \
                else what
        label = f" ({event.label})" if event.label else ""
        out.append(f"  round {event.round}: {text}{label}")
    return out


def _counterparts_text(env: Any) -> str:
    rule = env.counterparts
    if rule == "across_blocs":
        return "across blocs (allies in a bloc do not play each other)"
    if rule == "all":
        return "every two actors bound together, allies included"
    if rule == "rivals":
        return "declared rivals only"
    return "these pairs only: " + "; ".join(f"{a} and {b}" for a, b in rule)


def describe(scenario: Scenario) -> str:
    """Actors, forces, issues (ideals, red lines, zones of agreement) and sessions."""
    out = [scenario.name, "=" * len(scenario.name)]
    if scenario.description:
        out += [scenario.description.strip(), ""]
    gaps = sum(s.gap for s in scenario.sessions)
    out.append(f"seed {scenario.seed}, {_plural(scenario.runs, 'run')} by default, "
               f"{_plural(scenario.rounds, 'round')} "
               f"({sum(s.rounds for s in scenario.sessions)} of talks, "
               + (f"{gaps} between sessions, " if gaps else "")
               + f"{scenario.aftermath} after), dt {scenario.dt:g}")
    out += ["", "Actors"]
    for name, actor in scenario.actors.items():
        bloc = f", bloc {actor.bloc}" if actor.bloc else ""
        rivals = f", rivals: {', '.join(actor.rivals)}" if actor.rivals else ""
        out.append(f"  {name} ({actor.label or name}{bloc}{rivals})")
        own = (f", verification {fmt(actor.verification)}" if actor.verification is not None
               else "")
        out.append(f"    strategy {actor.strategy.type}, compliance {actor.compliance.type}, "
                   f"patience {fmt(actor.patience)}, reservation {fmt(actor.reservation)}{own}")
        if actor.insists:
            out.append(f"    insists on: {', '.join(actor.insists)}")
    if scenario.forces:
        out += ["", "Forces (initial level per actor)"]
        for name, force in scenario.forces.items():
            levels = ", ".join(f"{a} {fmt(actor.forces[name].initial)}"
                               for a, actor in scenario.actors.items() if name in actor.forces)
            unit = f"{force.unit}, " if force.unit else ""
            noise = f", noise sd {fmt(force.noise)}" if force.noise is not None else ""
            out.append(f"  {name}: {force.label} [{unit}max {force.max:g}{noise}]"
                       f"{': ' + levels if levels else ''}")
            for a, actor in scenario.actors.items():
                held = actor.forces.get(name)
                for other, value in (held.reacts_to if held else {}).items():
                    out.append(f"    {a} reacts to its rivals' {other}: {fmt(value)} a round "
                               "per unit")
        if any(actor.forces for actor in scenario.actors.values()):
            out.append(_dynamics_text(scenario))
    if scenario.issues:
        out += ["", "Issues"]
    for name, issue in scenario.issues.items():
        binds = "all (reciprocal)" if issue.binds == "all" else ", ".join(issue.binds)
        caps = (f", caps {' + '.join(issue.capped)}"
                + (" (their sum)" if len(issue.capped) > 1 else "")) if issue.caps else ""
        caps += {"each": "", "bloc": ", a ceiling on each bloc's total",
                 "total": ", a ceiling on the total of all it binds"}[issue.ceiling]
        caps += f", traded for {', '.join(issue.traded_for)}" if issue.traded_for else ""
        caps += _verification_text(issue) + _life_text(issue)
        unit = f" {issue.unit}" if issue.unit else ""
        whole = ", whole numbers" if issue.whole else ""
        out.append(f"  {name}: {issue.label} [{issue.lo:g}, {issue.hi:g}{unit}]{whole}"
                   f", binds {binds}{caps}")
        for actor_name, actor in scenario.actors.items():
            pref = actor.preferences.get(name)
            if pref is None:
                continue
            ideal = fmt(pref.ideal)
            side = (f"; one-sided: any level {'above' if pref.one_sided == 'more' else 'below'}"
                    " the ideal is as good" if pref.one_sided else "")
            out.append(f"    {actor_name:<24} ideal {ideal:<8} weight {fmt(pref.weight):<6} "
                       f"red line: {_red_line_text(scenario, actor_name, name)}{side}")
        out.append("    zone of possible agreement: "
                   + _zone_text(scenario, name, list(scenario.actors)))
    if scenario.sessions:
        out += ["", "Sessions"]
    stalls = _stalls(scenario)
    for i, session in enumerate(scenario.sessions):
        mode = "package" if session.package else "issue by issue"
        date = f" ({session.date})" if session.date else ""
        memory = ", memory reset (starts afresh)" if session.memory == "reset" else ""
        still = (f", deadlock after {session.deadlock_rounds} rounds without a move"
                 if session.deadlock_rounds else "")
        chair = f" by {session.mediator} (a party)" if session.mediator else ""
        still += f", after {_plural(session.gap, 'round')} without talks" if session.gap else ""
        still += ", interim (a later session may replace its deals)" if session.interim else ""
        still += ", reopens deals that no longer hold" if session.reopens else ""
        if session.enters_into_force is not None:
            still += (f", its deals enter into force "
                      f"{_plural(session.enters_into_force, 'round')} after signature")
        out.append(f"  {i}. {session.venue}{date}: {', '.join(session.participants)}; "
                   f"{_plural(session.rounds, 'round')}, {mode}, {session.protocol}{chair}"
                   f"{memory}{still}")
        for who, linked in session.insists.items():
            out.append(f"     {who} insists here (this session only) on: {', '.join(linked)}")
        for issue in session.agenda:
            text = _zone_text(scenario, issue, session.participants)
            out.append(f"     - {issue}: zone of agreement {text}")
        out += [f"     ! cannot converge: {message}" for message in stalls.get(i, [])]
    env = scenario.environment
    out += ["", f"Environment: verification {fmt(env.verification)}, tolerance "
            f"{env.tolerance if env.tolerance is not None else 'none'}, crisis hazard "
            f"{fmt(env.crisis.hazard)}", f"  compliance game: {_counterparts_text(env)}"]
    if scenario.events:
        out += ["", "Events from outside the talks"] + _events_text(scenario)
    if scenario.sources:
        out += ["", "Sources"]
        out += [f"  [{s.id}] {s.title}" + (f", {s.outlet}" if s.outlet else "")
                + (f", {s.date}" if s.date else "") for s in scenario.sources]
    return "\n".join(out)
