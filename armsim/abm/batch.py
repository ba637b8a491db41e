"""Batches on the Mesa engine: each run index in turn, in this process.

The outputs have the NumPy engine's names, shapes and dtypes, so ``armsim run
--engine mesa`` writes the same files; run ``r`` of seed ``s`` gives the same numbers
on both engines (tests/abm/test_equivalence.py).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np

from armsim.abm.agents import StateAgent
from armsim.abm.model import AgentKind, ArmsControlModel
from armsim.batch import concat
from armsim.compile import build_spec
from armsim.scenario import Scenario, load_scenario


def iter_mesa(scenario: Scenario | str | os.PathLike[str], runs: int | np.ndarray, *,
              start: int = 0, trajectories: bool = False, agent_class: AgentKind = StateAgent,
              agent_classes: Mapping[str, AgentKind] | None = None
              ) -> Iterator[dict[str, np.ndarray]]:
    """Yield the outputs of each run, one run at a time (arrays of length 1).

    ``runs`` is a number of runs (indices ``start .. start + runs - 1``) or an array of
    run indices. Agents as in :class:`ArmsControlModel`; no DataCollector is kept.
    """
    scenario = load_scenario(scenario)
    indices = (np.arange(start, start + int(runs)) if np.ndim(runs) == 0
               else np.asarray(runs, dtype=np.int64))
    spec = build_spec(scenario)
    for r in indices:
        model = ArmsControlModel(scenario, run=int(r), agent_class=agent_class,
                                 agent_classes=agent_classes, collect=False,
                                 trajectories=trajectories, _spec=spec)
        model.run_model()
        out = {k: np.asarray(v)[None] for k, v in model.outputs().items()}
        if trajectories:
            out.update({f"trace.{k}": v[None] for k, v in model.trajectories().items()})
        yield out


def run_mesa(scenario: Scenario | str | os.PathLike[str], runs: int | np.ndarray,
             **options: Any) -> dict[str, np.ndarray]:
    """All outputs at once, keyed as the NumPy engine's (see :func:`iter_mesa`)."""
    return concat(list(iter_mesa(scenario, runs, **options)))
