"""Dotted overrides: ``actors.russia.patience=0.95``, ``sessions.0.rounds=10``.

The same code serves ``--set`` on the command line (strings, whose value part is
read as YAML, safely) and ``overrides={...}`` in Python (values as given). An
override changes the raw data before validation, so its value is type-checked
exactly as if it had been written in the file.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import Any

from armsim.scenario.problems import Path, Problem, did_you_mean
from armsim.scenario.yamlsource import parse

# Collections whose keys the user names: an override may not invent a member.
_NAMED = {("forces",), ("issues",), ("actors",)}
# Keys whose value may be a bare name standing for {type: name} (``strategy: boulware``),
# so that ``actors.x.strategy.reciprocity=1.1`` reaches into it as into the mapping.
_NAMED_TYPES = {"strategy", "compliance"}


def parse_assignment(text: str) -> tuple[str, Any]:
    """``"a.b=0.5"`` -> ``("a.b", 0.5)``; raises ValueError with a readable message."""
    if "=" not in text:
        raise ValueError(f"'{text}' is not PATH=VALUE, e.g. environment.verification=0.9")
    path, _, raw = text.partition("=")
    path = path.strip()
    if not path:
        raise ValueError(f"'{text}' has no path before '='")
    if raw.strip() == "":
        raise ValueError(f"'{text}' has no value after '='")
    # read as a scenario file is read: the same numbers (1e5), the same refused tags
    source, problems = parse(raw, path)
    if problems or source is None:
        why = problems[0].message if problems else "not valid YAML"
        if source is None and why == "the file holds no YAML document":
            why = "it holds no value ('#' starts a comment: quote a value that has one)"
        raise ValueError(f"the value of '{path}', {raw!r}, cannot be read: {why}")
    return path, source.data


def split_path(dotted: str) -> Path:
    parts: list[str | int] = []
    for part in dotted.split("."):
        parts.append(int(part) if part.isdigit() else part)
    return tuple(parts)


def normalise(overrides: Mapping[str, Any] | Iterable[str] | None) -> list[tuple[str, Any]]:
    """Overrides as ``(dotted path, value)`` pairs, from a mapping or PATH=VALUE strings."""
    if overrides is None:
        return []
    if isinstance(overrides, Mapping):
        return [(str(k), v) for k, v in overrides.items()]
    return [parse_assignment(item) for item in overrides]


def apply(data: Any, overrides: list[tuple[str, Any]]) -> tuple[Any, list[Problem],
                                                                  dict[Path, str]]:
    """Apply overrides to a deep copy of ``data``.

    Returns the new data, the problems of paths that do not exist, and for each
    overridden path the text that set it (to locate later errors).
    """
    data = copy.deepcopy(data)
    problems: list[Problem] = []
    origins: dict[Path, str] = {}
    for dotted, value in overrides:
        where = f"--set {dotted}"
        path = split_path(dotted)
        fresh = _first_new(data, path)
        error = (f"'{dotted}' has an empty name between dots (or at an end); write the path "
                 "as names joined by single dots, e.g. environment.verification"
                 if "" in path else _assign(data, path, value))
        if error:
            problems.append(Problem(error, (), where))
        else:
            origins[path] = where
            if fresh is not None:  # a key this override made up (foo in foo.bar) is its own
                origins.setdefault(fresh, where)
    return data, problems, origins


def _first_new(data: Any, path: Path) -> Path | None:
    """The shortest part of ``path`` that ``data`` does not hold yet (None: all of it)."""
    node = data
    for depth, part in enumerate(path):
        if isinstance(node, dict) and str(part) in node:
            node = node[str(part)]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return path[:depth + 1]
    return None


def _assign(data: Any, path: Path, value: Any) -> str | None:
    node = data
    for depth, part in enumerate(path):
        last = depth == len(path) - 1
        here = path[:depth]
        if isinstance(node, list):
            if not isinstance(part, int) or not 0 <= part < len(node):
                return f"no item {part} here: the list has {len(node)} (numbered from 0)"
            if last:
                node[part] = value
                return None
            node = node[part]
        elif isinstance(node, dict):
            key: Any = str(part)
            if key not in node and here in _NAMED:
                return f"unknown key '{key}'{did_you_mean(key, map(str, node))}"
            if last:
                node[key] = value
                return None
            if here[:1] == ("actors",) and len(here) == 2 and key in _NAMED_TYPES \
                    and isinstance(node.get(key), str):
                node[key] = {"type": node[key]}
            node = node.setdefault(key, {})
        else:
            return f"'{'.'.join(map(str, here))}' is a value, not a mapping or list"
    return None
