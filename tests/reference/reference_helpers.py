"""Helpers for the reference tests: read an inline scenario, run it, pick out values.

Scenarios are written inline as YAML (dedented), so every test shows the whole
model it checks. The expected values are derived in the tests themselves (closed
forms, exact fractions, brute force, the ``axelrod`` library), never read back from
the engine.
"""

from __future__ import annotations

import numpy as np

from armsim.batch import run_chunk
from helpers import scenario

from armsim.scenario import Scenario


def run(text_or_scenario: str | Scenario, runs: int = 1, *, trajectories: bool = False
        ) -> dict[str, np.ndarray]:
    """Runs 0 .. runs-1 of a scenario, outputs keyed as in MODEL.md 5 (``trace.*`` too)."""
    loaded = (scenario(text_or_scenario) if isinstance(text_or_scenario, str)
              else text_or_scenario)
    return run_chunk(loaded, np.arange(runs), trajectories=trajectories)


def import_axelrod():
    """``import axelrod``, with ``inspect.getsource`` memoised while it runs.

    axelrod 4.14 classifies its strategies at import time: ``makes_use_of`` reads the
    source of the methods of every player it builds (transformed and meta players
    included), some 15,000 ``inspect.getsource`` calls over a few dozen distinct
    functions and classes, and on Python 3.12 each call re-tokenises or re-parses
    its module. A bare import costs 30+ s of CPU. While axelrod imports, sources are
    memoised by what ``getsource`` itself reads: a function's (unwrapped) code
    location, or the class object, so every answer is the one ``getsource`` would
    give. The original function is put back afterwards.
    """
    import inspect
    import sys

    if "axelrod" in sys.modules:
        return sys.modules["axelrod"]
    original = inspect.getsource
    memo: dict = {}

    def where(obj):
        target = getattr(obj, "__func__", obj)
        if not inspect.isclass(target):
            code = getattr(inspect.unwrap(target), "__code__", None)
            if code is not None:
                return code.co_filename, code.co_firstlineno
        return obj

    def getsource(obj):
        try:
            key = where(obj)
            if key not in memo:
                memo[key] = original(obj)
            return memo[key]
        except TypeError:  # unhashable: no memo
            return original(obj)

    inspect.getsource = getsource
    try:
        import axelrod
    finally:
        inspect.getsource = original
    return axelrod
