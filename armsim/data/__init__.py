"""The files that ship inside armsim: the bundled scenarios and the starter of ``armsim init``.

A bundled scenario has a name, its path under ``scenarios/`` without ``.yaml``
(``geneva_2022``, ``classics/richardson``); a name whose last part is unique may be
shortened to it (``richardson``). The files are found through :mod:`importlib.resources`,
so they are the same from a source checkout and from an installed wheel.
"""

from __future__ import annotations

import difflib
from importlib.resources import files
from pathlib import Path

SCENARIOS = Path(str(files(__name__) / "scenarios"))
DEFAULT_NAME = "geneva_2022"
DEFAULT_SCENARIO = SCENARIOS / f"{DEFAULT_NAME}.yaml"
STARTER = Path(str(files(__name__) / "starter.yaml"))
SUFFIXES = (".yaml", ".yml")


def bundled_scenarios() -> dict[str, Path]:
    """``{name: file}`` of every bundled scenario: the default first, then the other
    top-level scenarios, then those of sub-folders (``classics/...``), each by name."""
    found = {p.relative_to(SCENARIOS).with_suffix("").as_posix(): p
             for p in SCENARIOS.rglob("*.yaml")}
    return dict(sorted(found.items(), key=lambda kv: (kv[0] != DEFAULT_NAME,
                                                      "/" in kv[0], kv[0])))


def find_bundled(name: str) -> Path | None:
    """The bundled scenario called ``name`` (with or without ``.yaml``; the last part
    alone when no other bundled scenario ends so), or None."""
    if name.endswith(SUFFIXES):
        name = name.rsplit(".", 1)[0]
    bundled = bundled_scenarios()
    if name in bundled:
        return bundled[name]
    short = [path for full, path in bundled.items() if full.rsplit("/", 1)[-1] == name]
    return short[0] if len(short) == 1 else None


def closest_names(name: str) -> list[str]:
    """The bundled names nearest to a mistyped ``name`` (at most three, best first)."""
    bundled = list(bundled_scenarios())
    short = {full.rsplit("/", 1)[-1]: full for full in bundled}
    matches = difflib.get_close_matches(name, [*bundled, *short], n=3, cutoff=0.6)
    return list(dict.fromkeys(short.get(m, m) for m in matches))
