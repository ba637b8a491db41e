"""A base for the compliance strategies that take no parameter but their name."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import create_model

from armsim.scenario.values import Model


def name_only(name: str, module: str) -> Any:
    """The parameters of a strategy that has none: ``{type: NAME}``."""
    title = "".join(part.title() for part in name.split("_"))
    return create_model(f"{title}Params", __base__=Model, __module__=module,
                        type=(Literal[name], ...))
