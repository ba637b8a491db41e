"""The Mesa engine: one run of a scenario as a Mesa 3 model, agents as state views.

:class:`ArmsControlModel` steps the core's own phases (:class:`armsim.core.run.Run`)
for one run; each actor is a :class:`StateAgent` whose properties read the state
arrays and whose decisions default to the core's, so a run here equals the same run
of the NumPy engine exactly. Subclass :class:`StateAgent`, or register a strategy
(:func:`register_compliance`, :func:`register_agent`), to try a new one in Python.
See docs/custom-agents.md.
"""

from armsim.abm.agents import COMPLY, DEFECT, StateAgent
from armsim.abm.batch import iter_mesa, run_mesa
from armsim.abm.model import ArmsControlModel
from armsim.abm.registry import (agent_class, register_agent, register_compliance,
                                 registered, unregister)

__all__ = ["COMPLY", "DEFECT", "ArmsControlModel", "StateAgent", "agent_class", "iter_mesa",
           "register_agent", "register_compliance", "registered", "run_mesa", "unregister"]
