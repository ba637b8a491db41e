"""Named custom strategies for the Mesa engine, registered from Python.

A scenario file names only the built-in strategies: the YAML loader validates
``strategy`` and ``compliance`` against that fixed set and never imports or runs code.
A custom strategy is Python code, so it is registered in Python and attached to an
actor in Python::

    @register_compliance("verify_then_trust")
    def verify_then_trust(agent):
        return "defect" if agent.saw_defection else "comply"

    ArmsControlModel("scenarios/inf_1987.yaml", agent_classes={"soviet_union": "verify_then_trust"})

The actor keeps its scenario strategies as the fallback (``strategy_action`` etc.)
and for the NumPy engine, which runs built-in strategies only.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from typing import Any

from armsim.abm.agents import COMPLY, DEFECT, StateAgent
from armsim.strategies import registry as strategies

ComplianceRule = Callable[[StateAgent], str]
_REGISTRY: dict[str, type[StateAgent]] = {}
_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")


def register_agent(name: str, agent_class: type[StateAgent]) -> type[StateAgent]:
    """Register a :class:`StateAgent` subclass under ``name``; returns the class.

    Registering a name again replaces the class only if it is the same class (by module
    and name, so re-running a notebook cell works); otherwise it is an error.
    """
    _check_name(name)
    if not (isinstance(agent_class, type) and issubclass(agent_class, StateAgent)):
        raise TypeError(f"register_agent({name!r}, ...) needs a subclass of "
                        f"armsim.abm.StateAgent, got {agent_class!r}")
    known = _REGISTRY.get(name)
    if known is not None and _qualified(known) != _qualified(agent_class):
        raise ValueError(f"{name!r} is already registered for {_qualified(known)}; "
                         f"call armsim.abm.unregister({name!r}) first to replace it")
    agent_class.registered_as = name
    _REGISTRY[name] = agent_class
    return agent_class


def register_compliance(name: str, rule: ComplianceRule | type[StateAgent] | None = None
                        ) -> Any:
    """Register a compliance strategy: a function ``agent -> "comply" | "defect"`` or a
    :class:`StateAgent` subclass. Returns the agent class; usable as a decorator.

    A function becomes a subclass whose :meth:`~StateAgent.comply_or_defect` calls it.
    """
    _check_name(name)
    if rule is None:
        return lambda given: register_compliance(name, given)
    if isinstance(rule, type):
        return register_agent(name, rule)
    if not callable(rule):
        raise TypeError(f"register_compliance({name!r}, ...) needs a function "
                        f"agent -> 'comply' | 'defect' or a StateAgent subclass, got {rule!r}")

    def comply_or_defect(self: StateAgent) -> str:
        return rule(self)

    title = "".join(part.title() for part in name.split("_")) + "Agent"
    cls = type(title, (StateAgent,), {
        "comply_or_defect": comply_or_defect, "__doc__": rule.__doc__,
        "__module__": getattr(rule, "__module__", __name__), "rule": staticmethod(rule)})
    return register_agent(name, cls)


def unregister(name: str) -> None:
    """Forget a registered strategy (no error if it is unknown)."""
    _REGISTRY.pop(name, None)


def registered() -> dict[str, type[StateAgent]]:
    """The registered strategies: ``{name: agent class}`` (a copy)."""
    return dict(_REGISTRY)


def agent_class(kind: str | type[StateAgent]) -> type[StateAgent]:
    """The agent class for a registered name, or the class itself if given one."""
    if isinstance(kind, type) and issubclass(kind, StateAgent):
        return kind
    if isinstance(kind, str):
        if kind in _REGISTRY:
            return _REGISTRY[kind]
        hint = difflib.get_close_matches(kind, list(_REGISTRY), n=1)
        known = ", ".join(sorted(_REGISTRY)) or "none yet"
        raise ValueError(f"no strategy registered as {kind!r}"
                         + (f" (did you mean {hint[0]!r}?)" if hint else "")
                         + f"; registered: {known}. Register one with "
                         "armsim.abm.register_compliance(name, rule) or register_agent")
    raise TypeError(f"expected a registered strategy name or a StateAgent subclass, "
                    f"got {kind!r}")


def parse_action(choice: object, who: str) -> bool:
    """``"comply"`` / ``"defect"`` -> False / True (defect), or an error for people."""
    if choice == DEFECT:
        return True
    if choice == COMPLY:
        return False
    raise ValueError(f"{who} returned {choice!r}; a compliance decision is "
                     f"{COMPLY!r} or {DEFECT!r}")


def _check_name(name: str) -> None:
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError(f"a strategy name is lower-case letters, digits and _, starting "
                         f"with a letter; got {name!r}")
    if name in strategies.names("compliance") or name in strategies.names("negotiation"):
        raise ValueError(f"{name!r} is a built-in strategy; scenario files name it directly. "
                         "Choose another name for a custom strategy")


def _qualified(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"
