"""The registry: every strategy armsim knows, built-in or installed, by name.

Built-in strategies are the modules of :mod:`armsim.strategies.negotiation` and
:mod:`armsim.strategies.compliance`: every class defined there with a ``name`` is one.
Installed packages add theirs through the entry-point group ``armsim.strategies``
(``name = "package.module:Class"``), so a scenario file may name them; the YAML file
itself still imports and runs nothing. From the classes the registry builds what the
rest of armsim needs: the schema's choices (:func:`params_union`), the integer codes
of the kernel (:func:`code`), the names in their listing order (:func:`names`).
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import warnings
from functools import cache
from importlib import metadata
from types import ModuleType
from typing import Annotated, Any, Union

from pydantic import Field

from armsim.strategies import compliance as _compliance_pkg
from armsim.strategies import negotiation as _negotiation_pkg
from armsim.strategies.base import ComplianceStrategy, NegotiationStrategy, Strategy

ENTRY_POINT_GROUP = "armsim.strategies"
KINDS = {"negotiation": NegotiationStrategy, "compliance": ComplianceStrategy}
_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")


def _defined_in(module: ModuleType, base: type) -> list[type]:
    """The strategy classes a module defines (not those it imports)."""
    return [obj for obj in vars(module).values()
            if isinstance(obj, type) and issubclass(obj, base) and obj is not base
            and obj.__module__ == module.__name__ and "name" in vars(obj)]


def _builtins(package: ModuleType, base: type) -> list[type]:
    found = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if not info.name.startswith("_"):
            found += _defined_in(importlib.import_module(f"{package.__name__}.{info.name}"),
                                 base)
    return sorted(found, key=lambda cls: getattr(cls, "rank", 100))


def _installed() -> list[type]:
    """Strategy classes named by installed packages' ``armsim.strategies`` entry points."""
    out = []
    for point in sorted(metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda p: p.name):
        try:
            cls = point.load()
        except Exception as exc:  # a broken plugin must not stop armsim
            warnings.warn(f"the strategy {point.name!r} of the installed package "
                          f"{_dist(point)} could not be loaded ({type(exc).__name__}: {exc}); "
                          "it is left out", stacklevel=2)
            continue
        problem = _problem(cls, point.name)
        if problem:
            warnings.warn(f"the strategy {point.name!r} of {_dist(point)} is left out: "
                          f"{problem}", stacklevel=2)
            continue
        out.append(cls)
    return out


def _dist(point: metadata.EntryPoint) -> str:
    return point.dist.name if point.dist is not None else point.value


def _problem(cls: Any, name: str) -> str | None:
    """Why ``cls`` cannot be a strategy named ``name``; None if it can."""
    if not (isinstance(cls, type) and issubclass(cls, (NegotiationStrategy, ComplianceStrategy))):
        return (f"{cls!r} is not a subclass of armsim.strategies.NegotiationStrategy or "
                "ComplianceStrategy")
    if getattr(cls, "name", None) != name:
        return f"the entry point is named {name!r} but the class says name = {cls.name!r}"
    if not _NAME.match(name):
        return "a strategy name is lower-case letters, digits and _, starting with a letter"
    params = getattr(cls, "Params", None)
    if params is None or "type" not in getattr(params, "model_fields", {}):
        return "its Params must be a pydantic model with a field type: Literal[name]"
    return None


@cache
def strategies(kind: str) -> dict[str, type[Strategy]]:
    """``{name: class}`` of one kind (``"negotiation"`` or ``"compliance"``), built-ins
    first in their listing order, then installed ones by name."""
    base = KINDS[kind]
    package = _negotiation_pkg if kind == "negotiation" else _compliance_pkg
    out: dict[str, type[Strategy]] = {cls.name: cls for cls in _builtins(package, base)}
    for cls in _installed():
        if not issubclass(cls, base):
            continue
        if cls.name in out:
            warnings.warn(f"the installed {kind} strategy {cls.name!r} ({cls.__module__}) is "
                          f"left out: armsim already has a strategy of that name", stacklevel=2)
            continue
        out[cls.name] = cls
    return out


def names(kind: str) -> tuple[str, ...]:
    """The strategy names of one kind, in listing order."""
    return tuple(strategies(kind))


def get(kind: str, name: str) -> type[Strategy]:
    """The class of strategy ``name``; a KeyError says which exist."""
    try:
        return strategies(kind)[name]
    except KeyError:
        raise KeyError(f"no {kind} strategy {name!r}; known: {', '.join(names(kind))}") from None


def code(kind: str, name: str) -> int:
    """The kernel's integer code of a strategy: its position in :func:`names`."""
    return names(kind).index(name)


def make(kind: str, config: Any) -> Strategy:
    """The strategy an actor plays, made from its validated parameters (``config.type``)."""
    return get(kind, config.type)(config)


def params_union(kind: str) -> Any:
    """The scenario schema's type for a strategy of this kind: a union of every strategy's
    ``Params``, told apart by ``type``."""
    models = tuple(cls.Params for cls in strategies(kind).values())
    if len(models) == 1:
        return models[0]
    return Annotated[Union[models], Field(discriminator="type")]  # type: ignore[valid-type]
