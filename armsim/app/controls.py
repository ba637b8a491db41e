"""The page's parameters: scenarios to choose from, slider settings, and the overrides
they make.

Sliders start at the scenario's own values, so choosing a counterfactual file shows
its numbers. A slider overrides the scenario (a dotted override, as ``--set`` makes)
only when it is moved away from the scenario's value: a parameter given as a
distribution stays a distribution until a student moves its slider (which then
shows the distribution's mean). Nothing here imports solara: the page and the tests
share it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from armsim import data
from armsim.data import SCENARIOS
from armsim.scenario import Scenario, load_scenario

SCENARIO_DIR = SCENARIOS  # inside the package, so an installed wheel has them
DEFAULT_FILE = SCENARIO_DIR / "geneva_2022.yaml"
#: the seat value that means "no student plays: every state follows its strategy"
NOBODY = "nobody (watch)"
TOL = 1e-9


@dataclass(frozen=True)
class Slider:
    """One slider: the dotted path it overrides (``{actor}`` filled in) and its scale."""

    name: str
    label: str
    path: str
    low: float
    high: float
    step: float


SLIDERS = (
    Slider("verification", "Verification", "environment.verification", 0.0, 1.0, 0.05),
    Slider("hazard", "Crisis hazard", "environment.crisis.hazard", 0.0, 0.2, 0.005),
    Slider("patience", "Patience: {label}", "actors.{actor}.patience", 0.5, 1.0, 0.01),
    Slider("reservation", "Reservation: {label}", "actors.{actor}.reservation", 0.0, 0.95,
           0.05),
)
SLIDER_NAMES = tuple(s.name for s in SLIDERS)


def bundled_scenarios() -> list[Path]:
    """The scenario files that come with armsim, in the order ``armsim scenarios`` lists
    them: the article scenario first, then its variants and the other top-level
    scenarios, then those of the sub-folders (``classics/``, ``history/``)."""
    return list(data.bundled_scenarios().values())


def scenario_choices(first: Path | None = None) -> dict[str, Path]:
    """``{shown name: file}`` for the scenario picker; ``first`` (a file given on the
    command line) leads when it is not a bundled one."""
    files = bundled_scenarios()
    if first is not None and Path(first).resolve() not in {f.resolve() for f in files}:
        files = [Path(first)] + files
    return {choice_name(f): f for f in files}


def choice_name(path: Path) -> str:
    """How the picker shows a file: its relative name, e.g. ``classics/rubinstein``."""
    path = Path(path).resolve()
    try:
        return path.relative_to(SCENARIO_DIR.resolve()).with_suffix("").as_posix()
    except ValueError:
        return path.name


@lru_cache(maxsize=64)
def _load_cached(path: str, stamp: float) -> Scenario:
    return load_scenario(path)


def load(path: Path | str) -> Scenario:
    """A scenario file, read once per change of the file."""
    path = Path(path).resolve()
    return _load_cached(str(path), path.stat().st_mtime)


def default_actor(scenario: Scenario) -> str:
    """Whose patience and reservation the sliders set first: Russia where it takes part,
    else the second participant of the first session (the first responder), else the
    first actor."""
    if "russia" in scenario.actors:
        return "russia"
    if scenario.sessions and len(scenario.sessions[0].participants) > 1:
        return scenario.sessions[0].participants[1]
    return next(iter(scenario.actors))


def actor_label(scenario: Scenario, actor: str) -> str:
    return scenario.actors[actor].label or actor.replace("_", " ")


def seats(scenario: Scenario) -> list[str]:
    """The seat picker's values: nobody, then each actor that sits at some table."""
    at_table = {a for s in scenario.sessions for a in s.participants}
    return [NOBODY] + [actor_label(scenario, a) for a in scenario.actors if a in at_table]


def seat_actor(scenario: Scenario, seat: str | None) -> str | None:
    """The actor id of a seat (given as a label or an id); None for nobody."""
    if seat in (None, "", NOBODY):
        return None
    for name in scenario.actors:
        if seat in (name, actor_label(scenario, name)):
            return name
    raise ValueError(f"no actor {seat!r} in {scenario.name!r}; "
                     f"actors: {', '.join(scenario.actors)}")


def _value(node: Any) -> float:
    """A scenario number, or the mean of a distribution."""
    return float(node.mean()) if hasattr(node, "mean") else float(node)


def scenario_values(scenario: Scenario, actor: str) -> dict[str, float]:
    """Each slider's value in the scenario (a distribution's mean)."""
    env, who = scenario.environment, scenario.actors[actor]
    return {"verification": _value(env.verification), "hazard": _value(env.crisis.hazard),
            "patience": _value(who.patience), "reservation": _value(who.reservation)}


def has_linkage(scenario: Scenario) -> bool:
    return (any(a.insists for a in scenario.actors.values())
            or any(s.insists for s in scenario.sessions))


def overrides(scenario: Scenario, actor: str, values: Mapping[str, float | None],
              linkage: bool = True) -> dict[str, Any]:
    """The dotted overrides that the slider ``values`` and the linkage switch make.

    A slider left at (or given as None for) the scenario's value makes none; linkage
    off empties every actor's ``insists`` and every session's.
    """
    base = scenario_values(scenario, actor)
    out: dict[str, Any] = {}
    for slider in SLIDERS:
        value = values.get(slider.name)
        if value is None or abs(float(value) - base[slider.name]) <= TOL:
            continue
        out[slider.path.format(actor=actor)] = float(value)
    if not linkage:
        for name, who in scenario.actors.items():
            if who.insists:
                out[f"actors.{name}.insists"] = []
        for s, session in enumerate(scenario.sessions):
            if session.insists:
                out[f"sessions.{s}.insists"] = {}
    return out
