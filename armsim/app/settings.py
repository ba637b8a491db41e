"""A run's settings on the page, and the link that carries them.

:class:`Settings` is what the sidebar sets: the scenario, the actor whose patience and
reservation the sliders move, the sliders (None: the file's value), linkage and the run
number. They travel in the page's address (``?scenario=geneva_2022_no_linkage&
verification=0.9&linkage=off&run=3``), so a reload keeps them and a link shares them;
:meth:`Settings.from_query` reads an address back, keeping what it understands and
saying what it could not (a wrong value never stops the page). No solara here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

from armsim.app import controls

RUN_MAX = 99_999


@dataclass(frozen=True)
class Settings:
    """One run's settings: ``scenario`` is a bundled scenario's name (as the picker shows
    it, e.g. ``classics/rubinstein``) or a file's path."""

    scenario: str = controls.choice_name(controls.DEFAULT_FILE)
    actor: str | None = None
    verification: float | None = None
    hazard: float | None = None
    patience: float | None = None
    reservation: float | None = None
    linkage: bool = True
    run: int = 0

    @classmethod
    def of_file(cls, path: Path | str) -> "Settings":
        return cls(scenario=controls.choice_name(Path(path)))

    @property
    def path(self) -> Path:
        """The scenario file."""
        bundled = controls.SCENARIO_DIR / f"{self.scenario}.yaml"
        return bundled if bundled.is_file() else Path(self.scenario)

    @property
    def loaded(self) -> Any:
        return controls.load(self.path)

    @property
    def focus(self) -> str:
        """Whose patience and reservation the sliders set."""
        scenario = self.loaded
        return self.actor if self.actor in scenario.actors else controls.default_actor(scenario)

    def values(self) -> dict[str, float | None]:
        return {s.name: getattr(self, s.name) for s in controls.SLIDERS}

    def overrides(self) -> dict[str, Any]:
        """The dotted overrides these settings make (as ``armsim run --set`` takes them)."""
        return controls.overrides(self.loaded, self.focus, self.values(), self.linkage)

    def model_kwargs(self) -> dict[str, Any]:
        """Keyword arguments of :class:`~armsim.app.classroom.ClassroomModel`."""
        return {"file": str(self.path), "actor": self.focus, **self.values(),
                "linkage": self.linkage, "run": self.run}

    def slider(self, name: str) -> float:
        """A slider's value: set, or the file's."""
        value = getattr(self, name)
        return float(value) if value is not None else controls.scenario_values(
            self.loaded, self.focus)[name]

    def with_file(self, scenario: str) -> "Settings":
        """The settings of another file: its own values (sliders reset), same run."""
        return Settings(scenario=scenario, run=self.run)

    def changed(self, other: "Settings") -> list[str]:
        """What differs from ``other``, in words ("verification 0.70 -> 0.90")."""
        out = []
        for f in fields(self):
            a, b = getattr(other, f.name), getattr(self, f.name)
            if a == b:
                continue
            if f.name in {s.name for s in controls.SLIDERS}:
                out.append(f"{f.name} {other.slider(f.name):.2f} -> {self.slider(f.name):.2f}")
            elif f.name == "linkage":
                out.append(f"linkage {'on' if b else 'off'}")
            else:
                out.append(f"{f.name} {b}")
        return out

    # --- the address ------------------------------------------------------------------

    def query(self) -> str:
        """The settings that differ from the defaults, as a query string."""
        out: dict[str, str] = {"scenario": self.scenario}
        if self.actor:
            out["actor"] = self.actor
        for s in controls.SLIDERS:
            value = getattr(self, s.name)
            if value is not None:
                out[s.name] = f"{value:g}"
        if not self.linkage:
            out["linkage"] = "off"
        if self.run:
            out["run"] = str(self.run)
        return urlencode(out, safe="/")

    @classmethod
    def from_query(cls, search: str | None, first: Path | None = None
                   ) -> tuple["Settings", list[str]]:
        """Settings from a query string (unknown keys are ignored), and what could not be
        used, in words. ``first`` is the file to open when none is named."""
        given = {k: v[-1] for k, v in parse_qs(search or "").items()}
        allowed = {controls.choice_name(f) for f in controls.bundled_scenarios()}
        default = cls.scenario
        if first is not None:
            default = controls.choice_name(first)
            if default not in allowed:               # a file of the teacher's own
                default = str(Path(first).resolve())
                allowed.add(default)
        problems: list[str] = []
        name = given.get("scenario", default)
        if name not in allowed:
            problems.append(f"no scenario {name!r} here; opened {default} instead")
            name = default
        settings = cls(scenario=name)
        loaded = settings.loaded
        changes: dict[str, Any] = {}
        actor = given.get("actor")
        if actor is not None:
            if actor in loaded.actors:
                changes["actor"] = actor
            else:
                problems.append(f"no actor {actor!r} in {loaded.name}")
        for s in controls.SLIDERS:
            if s.name in given:
                value = _number(given[s.name])
                if value is None or not s.low <= value <= s.high:
                    problems.append(f"{s.name} must be a number from {s.low:g} to {s.high:g}; "
                                    f"got {given[s.name]!r}")
                else:
                    changes[s.name] = value
        if "linkage" in given:
            if given["linkage"] in ("on", "off"):
                changes["linkage"] = given["linkage"] == "on"
            else:
                problems.append(f"linkage is on or off; got {given['linkage']!r}")
        if "run" in given:
            value = _number(given["run"])
            if value is None or value != int(value) or not 0 <= value <= RUN_MAX:
                problems.append(f"run is a whole number from 0 to {RUN_MAX}; got {given['run']!r}")
            else:
                changes["run"] = int(value)
        return replace(settings, **changes), problems


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None
