"""Read, override, check and type a scenario; every problem located, none raised early."""

from __future__ import annotations

import os
import re
import types
from collections.abc import Iterable, Mapping
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, Tag, ValidationError

from armsim.scenario import schema
from armsim.scenario.checks import check_all
from armsim.scenario.magnitude import describe_number
from armsim.scenario.overrides import apply, normalise
from armsim.scenario.problems import Path, Problem, ScenarioError, did_you_mean, format_path
from armsim.scenario.yamlsource import Source, parse, read_file, read_text

Overrides = Mapping[str, Any] | Iterable[str] | None


def _all_fields() -> set[str]:
    names: set[str] = set()
    stack: list[type] = [BaseModel]
    while stack:
        for cls in stack.pop().__subclasses__():
            stack.append(cls)
            if cls.__module__.startswith("armsim.scenario"):
                names.update(f.alias or name for name, f in cls.model_fields.items())
    return names


def _schema_at(loc: tuple[Any, ...]) -> tuple[Any, Any] | None:
    """The schema's type at pydantic ``loc`` (or a data path) and the type holding it,
    both unwrapped; None where the schema has nothing there."""
    kind: Any = schema.Scenario
    parent: Any = None
    for part in loc:
        parent = _unwrap(kind)
        kind = _step(parent, part)
        if kind is None:
            return None
    return parent, _unwrap(kind)


def _keys_at(loc: tuple[Any, ...]) -> set[str]:
    """The keys the schema allows in the mapping at pydantic ``loc`` (all, if unsure)."""
    found = _schema_at(loc)
    kind = found[1] if found else None
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        return {f.alias or name for name, f in kind.model_fields.items()}
    return _all_fields()


def _unwrap(kind: Any) -> Any:
    """Strip ``Annotated`` and ``X | None`` (neither adds a part to a pydantic loc)."""
    while True:
        if get_origin(kind) is Annotated:
            kind = get_args(kind)[0]
        elif get_origin(kind) in (Union, types.UnionType) and type(None) in get_args(kind):
            rest = [a for a in get_args(kind) if a is not type(None)]
            kind = rest[0] if len(rest) == 1 else Union[tuple(rest)]
        else:
            return kind


def _step(kind: Any, part: Any) -> Any:
    """The type found one loc ``part`` below ``kind``, or None."""
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        for name, f in kind.model_fields.items():
            if part in (name, f.alias):
                return f.annotation
        return None
    if get_origin(kind) is dict:
        return get_args(kind)[1]
    if get_origin(kind) is list:
        return get_args(kind)[0]
    if get_origin(kind) in (Union, types.UnionType):  # a tagged union: part is the tag
        for member in get_args(kind):
            tags = [m.tag for m in getattr(member, "__metadata__", ()) if isinstance(m, Tag)]
            model = _unwrap(member)
            literal = getattr(model, "model_fields", {}).get("type")
            if part in tags or (not tags and literal and part in get_args(literal.annotation)):
                return model
    return None


def _walk(data: Any, loc: tuple[Any, ...], missing: bool) -> Path:
    """Keep the parts of a pydantic ``loc`` that name real keys or indices of ``data``."""
    path: list[str | int] = []
    node = data
    for i, part in enumerate(loc):
        if isinstance(node, dict) and part in node:
            node = node[part]
            path.append(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            path.append(part)
        elif missing and i == len(loc) - 1:
            path.append(part)
    return tuple(path)


def _choice_at(path: Path) -> tuple[tuple[str, ...], str] | None:
    """The names a field at data ``path`` chooses between by ``type:`` (a tagged union of
    models, such as a strategy), and the name of its default; None for other fields."""
    found = _schema_at(path)
    if found is None or get_origin(found[1]) not in (Union, types.UnionType):
        return None
    parent, kind = found
    names: list[str] = []
    for member in get_args(kind):
        literal = getattr(_unwrap(member), "model_fields", {}).get("type")
        if literal is None:
            return None
        names += [n for n in get_args(literal.annotation) if isinstance(n, str)]
    field = getattr(parent, "model_fields", {}).get(path[-1]) if path else None
    default = getattr(getattr(field, "default", None), "type", None)
    return tuple(names), default if isinstance(default, str) else names[0]


def _message(err: Any, path: Path, source: Source) -> tuple[str, bool]:
    """A readable message for one pydantic error; True if it is about a key."""
    kind, msg = err["type"], err["msg"].removeprefix("Value error, ")
    value = err.get("input")
    choice = _choice_at(path) if not isinstance(value, dict) else None
    if choice:  # a strategy given as neither a name nor a mapping
        what = str(path[-1]) if "strategy" in str(path[-1]) else f"{path[-1]} strategy"
        return (f"expected a {what} name (e.g. {choice[1]}) or a mapping with type:, got "
                f"{_show(value)}"), False
    if kind == "extra_forbidden":
        return (f"unknown key '{path[-1]}'"
                f"{did_you_mean(path[-1], _keys_at(err['loc'][:-1]))}"), True
    if kind == "invalid_key" or err["loc"][-1:] == ("[key]",):
        return f"the key {value!r} must be a name (text), not {_show(value)}", True
    if kind == "missing":
        return f"missing required key '{path[-1]}'", False
    if kind in ("union_tag_invalid", "literal_error") and path and path[-1] in (
            "type", "strategy", "compliance") or kind == "union_tag_invalid":
        names = (schema.COMPLIANCE_NAMES if "compliance" in path else schema.STRATEGY_NAMES)
        given = value.get("type") if isinstance(value, dict) else value
        what = "compliance strategy" if "compliance" in path else "strategy"
        return (f"unknown {what} {given!r}{did_you_mean(given, names)} (known: "
                f"{', '.join(names)})"), False
    if kind == "union_tag_not_found":
        return "missing 'type': say which strategy, e.g. {type: linear}", False
    if kind == "literal_error" and path == ("armsim",):
        return (f"unsupported format version {value!r}; this armsim reads "
                f"'armsim: {schema.FORMAT_VERSION}'"), False
    if kind == "literal_error":
        options = re.findall(r"'([^']*)'", str((err.get("ctx") or {}).get("expected", "")))
        return (f"{value!r} is not allowed: {msg[0].lower()}{msg[1:]}"
                f"{did_you_mean(value, options)}"), False
    if kind == "bool_type" or kind == "bool_parsing":
        return f"expected true or false, got {value!r}", False
    if kind in ("string_type", "dict_type", "list_type", "tuple_type", "int_type",
                "float_type", "model_type"):
        expected = {"string_type": "text", "dict_type": "a mapping", "list_type": "a list",
                    "tuple_type": "a list [lo, hi]", "int_type": "a whole number",
                    "float_type": "a number", "model_type": "a mapping"}[kind]
        msg = f"expected {expected}, got {_show(value)}"
    if kind == "too_short" or kind == "too_long":
        msg = f"expected a list [lo, hi] of two numbers, got {_show(value)}"
    if kind.startswith("greater_than") or kind.startswith("less_than"):
        bound = msg.removeprefix("Input should be ")
        ctx = err.get("ctx") or {}
        limit = next((ctx[k] for k in ("ge", "gt", "le", "lt") if k in ctx), None)
        if isinstance(limit, int):  # pydantic prints large whole numbers as floats
            bound = f"{bound.rsplit(' ', 1)[0]} {limit}"
        shown = describe_number(value) if isinstance(value, (int, float)) else repr(value)
        msg = f"{shown} is out of range: it should be {bound}"
    return msg, False


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    return f"{type(value).__name__} {value!r}"


def _translate(exc: ValidationError, source: Source,
               origins: dict[Path, str]) -> list[Problem]:
    problems = []
    seen = set()
    for err in exc.errors():
        path = _walk(source.data, err["loc"], err["type"] == "missing")
        if err["type"] == "union_tag_invalid" and isinstance(err.get("input"), dict):
            path += ("type",)  # an unknown strategy: point at the name given
        if path in source.refused:
            continue  # already reported: the value's tag was refused
        message, about_key = _message(err, path, source)
        if path in source.yaml11_booleans:
            text = source.yaml11_booleans[path]
            message += (f" (YAML 1.1 reads the unquoted {text} as a boolean; write it in "
                        f"quotes, '{text}', if you meant a name)")
        if (path, message) in seen:
            continue
        seen.add((path, message))
        problems.append(_locate(source, path, message, origins, key=about_key))
    return problems


def _locate(source: Source, path: Path, message: str, origins: dict[Path, str], *,
            key: bool = False, severity: str = "error") -> Problem:
    for cut in range(len(path), 0, -1):
        if path[:cut] in origins:
            return Problem(message, path[cut:], origins[path[:cut]], None, None, severity)  # type: ignore[arg-type]
    return source.problem(path, message, key=key, severity=severity)


def check_source(source: Source, overrides: Overrides = None
                 ) -> tuple[schema.Scenario | None, list[Problem]]:
    """Validate parsed data (after overrides): the scenario, or None, and all problems."""
    problems: list[Problem] = []
    origins: dict[Path, str] = {}
    data = source.data
    pairs = []
    try:
        pairs = normalise(overrides)
    except ValueError as exc:
        problems.append(Problem(str(exc), (), "--set"))
    if pairs:
        data, bad, origins = apply(data, pairs)
        problems += bad
        source = Source(data, source.file, source.values, source.keys, source.yaml11_booleans,
                        source.refused)
    if not isinstance(data, dict):
        problems.append(source.problem((), "a scenario is a mapping of keys (armsim, name, "
                                       "forces, issues, actors, sessions...), not "
                                       f"{_show(data)}"))
        return None, problems
    scenario = None
    try:
        scenario = schema.Scenario.model_validate(data)
    except ValidationError as exc:
        problems += _translate(exc, source, origins)
    for path, message, severity, *at_key in check_all(data):
        if path in source.refused:
            continue
        problems.append(_locate(source, path, message, origins, key=bool(at_key),
                                severity=severity))
    if scenario is None or any(p.severity == "error" for p in problems):
        return None, problems  # (None alone: the parser reported the refused tags)
    object.__setattr__(scenario, "__pydantic_private__", {"_path": source.file})
    return scenario, problems


def validate_text(text: str, file: str = "<scenario>", overrides: Overrides = None
                  ) -> tuple[schema.Scenario | None, list[Problem]]:
    source, problems = parse(text, file)
    if source is None:
        return None, problems
    scenario, more = check_source(source, overrides)
    problems += more
    problems.sort(key=lambda p: (p.line or 0, p.column or 0))
    if any(p.severity == "error" for p in problems):
        return None, problems
    return scenario, problems


def validate_file(path: str | os.PathLike[str], overrides: Overrides = None
                  ) -> tuple[schema.Scenario | None, list[Problem]]:
    """Read and check a scenario file; returns (scenario or None, problems)."""
    file = str(path)
    raw, problems = read_file(path, file)
    if raw is None:
        return None, problems
    text, problems = read_text(raw, file)
    if text is None:
        return None, problems
    return validate_text(text, file, overrides)


def load_scenario(path: str | os.PathLike[str] | schema.Scenario,
                  overrides: Overrides = None) -> schema.Scenario:
    """A validated scenario from a file (or a scenario with overrides applied).

    Raises :class:`ScenarioError` listing every problem when it is invalid.
    """
    if isinstance(path, schema.Scenario):
        if not overrides:
            return path
        data = path.model_dump(by_alias=True, exclude_none=True)
        scenario, problems = check_source(Source(data, path.path or "<scenario>"), overrides)
    else:
        scenario, problems = validate_file(path, overrides)
    if scenario is None:
        raise ScenarioError(problems)
    return scenario


__all__ = ["load_scenario", "validate_file", "validate_text", "format_path"]
