"""Problems found in a scenario, and how they are told to a person.

A :class:`Problem` is one thing wrong (an error) or suspicious (a warning) in a
scenario file: where it is (file, line, column, dotted path), what is wrong and,
where it helps, what to do. Every check of the scenario package returns
problems instead of raising, so that all problems of a file are reported at once.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

Path = tuple[str | int, ...]


def format_path(path: Path) -> str:
    """``("sessions", 0, "participants")`` -> ``"sessions[0].participants"``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


def did_you_mean(word: object, choices: Iterable[str]) -> str:
    """A ``"; did you mean 'x'?"`` suffix, or ``""`` when nothing is close."""
    if not isinstance(word, str):
        return ""
    options = sorted(c for c in choices if isinstance(c, str))
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if not close:
        lowered = {o.lower(): o for o in options}
        if word.lower() in lowered:
            close = [lowered[word.lower()]]
    return f"; did you mean '{close[0]}'?" if close else ""


@dataclass(frozen=True)
class Problem:
    """One error or warning, located in a file."""

    message: str
    path: Path = ()
    file: str = "<scenario>"
    line: int | None = None
    column: int | None = None
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}:{self.column or 1}"
        label = "" if self.severity == "error" else "warning: "
        path = f"{format_path(self.path)}: " if self.path else ""
        return f"{where}: {label}{path}{self.message}"


class ScenarioError(Exception):
    """A scenario could not be read; ``problems`` lists every error found."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        errors = [p for p in self.problems if p.severity == "error"]
        count = f"{len(errors)} error{'s' if len(errors) != 1 else ''}"
        super().__init__(f"{count} in scenario:\n" + "\n".join(str(p) for p in errors))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]
