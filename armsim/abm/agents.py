"""The state agent: one per actor, a thin view onto the model's state arrays.

A :class:`StateAgent` holds no numbers of its own. Its properties read the arrays of
the core's :class:`~armsim.core.state.State` (run axis of length 1), and the model asks
its three decision methods between the phases of the core's :class:`~armsim.core.run.Run`:

- :meth:`StateAgent.propose` when it is the proposer,
- :meth:`StateAgent.respond` when another participant (or the mediator) proposes,
- :meth:`StateAgent.comply_or_defect` when an agreement in force binds it.

Each returns, by default, what its scenario strategy decided (``strategy_offer``,
``strategy_response``, ``strategy_action``), so the built-in strategies give exactly
the batch engine's numbers. Override one in a subclass to try a new strategy; every
other rule (red lines, unanimity, linkage, noise, detection, trust, forces) stays the
core's. See docs/custom-agents.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import mesa
import numpy as np

from armsim.core import random as rnd

if TYPE_CHECKING:
    from armsim.abm.model import ArmsControlModel

COMPLY, DEFECT = "comply", "defect"


class StateAgent(mesa.Agent):
    """A state (or bloc) of the scenario, seen through the model's arrays.

    ``index`` is the actor's position in the scenario (the actor axis of the arrays).
    """

    #: set by :func:`armsim.abm.register_compliance` / :func:`~armsim.abm.register_agent`
    registered_as: ClassVar[str | None] = None

    model: ArmsControlModel

    def __init__(self, model: ArmsControlModel, index: int) -> None:
        super().__init__(model)
        self.index = index
        self.name: str = model.spec.actors[index]
        self.strategy_offer: dict[str, float] = {}
        self.strategy_response: dict[str, bool] = {}
        self.strategy_action: str = COMPLY

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r} round {self.model.round}>"

    # --- what it is (from the scenario) ---------------------------------------------

    @property
    def label(self) -> str:
        return self.model.armsim_scenario.actors[self.name].label or self.name

    @property
    def bloc(self) -> str | None:
        return self.model.armsim_scenario.actors[self.name].bloc

    @property
    def strategy(self) -> str:
        """Its negotiation strategy's type, as the scenario names it (e.g. ``"grit"``)."""
        return self.model.armsim_scenario.actors[self.name].strategy.type

    @property
    def compliance(self) -> str:
        """Its compliance strategy's type in the scenario (what ``strategy_action`` follows)."""
        return self.model.armsim_scenario.actors[self.name].compliance.type

    # --- what it holds now (views on the state arrays) ------------------------------

    @property
    def forces(self) -> dict[str, float]:
        """Its level of each force it holds: ``{force: level}``."""
        spec, x = self.model.spec, self.model.state.x
        return {spec.forces[spec.held_force[h]]: float(x[h, 0])
                for h in np.flatnonzero(spec.held_actor == self.index)}

    @property
    def trust(self) -> dict[str, float]:
        """Its trust in each other actor, in [0, 1]: ``{counterpart: trust}``."""
        row = self.model.state.trust[0, self.index]
        return {name: float(row[b]) for b, name in enumerate(self.model.spec.actors)
                if b != self.index}

    @property
    def aspiration(self) -> dict[str, float]:
        """The utility (in [0, 1]) it would ask for, per open agenda issue, if it proposed
        in the round being played or next played; ``{}`` when it is not at the table."""
        return self.model.aspiration_of(self.index)

    @property
    def playing(self) -> bool:
        """Bound by an agreement in force in the latest compliance turn."""
        return bool(self.model.latest["playing"][0, self.index])

    @property
    def action(self) -> str | None:
        """Its latest compliance action, ``"comply"`` or ``"defect"``; None if not bound."""
        latest = self.model.latest
        if not latest["playing"][0, self.index]:
            return None
        return DEFECT if latest["actions"][0, self.index] else COMPLY

    @property
    def was_detected(self) -> bool:
        """Its own defection was detected in the latest round."""
        return bool(self.model.latest["detected"][0, self.index])

    @property
    def counterparts(self) -> tuple[str, ...]:
        """The actors it plays the compliance game with (in the turn being played, or the
        latest one): bound together with it under an agreement in force that it is party to."""
        now = self.model.observes_now
        row = (now if now is not None else self.model.latest["observes"])[self.index]
        return tuple(self.model.spec.actors[b] for b in np.flatnonzero(row))

    @property
    def detected(self) -> tuple[str, ...]:
        """The counterparts whose defection it detected in the latest round."""
        latest = self.model.latest
        seen = latest["observes"][self.index] & latest["detected"][0]
        return tuple(self.model.spec.actors[b] for b in np.flatnonzero(seen))

    @property
    def saw_defection(self) -> bool:
        """A counterpart's defection was detected at its own last turn: what the built-in
        reciprocal strategies (tit_for_tat, grim...) answer."""
        return bool(self.model.state.memory.seen_last[0, self.index])

    @property
    def turns(self) -> int:
        """Compliance turns it has played."""
        return int(self.model.state.memory.turns[0, self.index])

    def uniform(self) -> float:
        """A uniform in (0, 1) for a stochastic custom strategy: a pure function of
        (seed, run, round, actor), like every draw of the core (the same within a round)."""
        keys, t = self.model.keys, self.model.round
        return float(rnd.uniform(keys, rnd.counter(t, rnd.STRATEGY, self.index))[0])

    # --- decisions: override in a subclass ------------------------------------------

    def propose(self) -> dict[str, float]:
        """The offer it makes as proposer: ``{issue: level}`` for the open issues.

        Default: its strategy's offer, ``self.strategy_offer``. Issues left out keep
        the strategy's level; a level must lie in the issue's range.
        """
        return dict(self.strategy_offer)

    def respond(self, offer: dict[str, float]) -> dict[str, bool] | bool:
        """Whether it accepts ``offer`` (``{issue: level}``), per issue or as a whole.

        Default: its strategy's answer, ``self.strategy_response``. Its red lines apply
        afterwards whatever it answers (MODEL.md: a responder rejects any offer that
        crosses one), and so do unanimity, packages and linkage.
        """
        return dict(self.strategy_response)

    def comply_or_defect(self) -> str:
        """``"comply"`` or ``"defect"`` for this compliance turn (it is bound by an
        agreement in force). Default: its compliance strategy's choice,
        ``self.strategy_action``. Compliance noise may still flip the choice."""
        return self.strategy_action
