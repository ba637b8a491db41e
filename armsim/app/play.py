"""Play a state: a seat at the table whose decisions come from a person.

:class:`HumanAgent` is a :class:`~armsim.abm.StateAgent` whose two talk decisions
(:meth:`~HumanAgent.propose`, :meth:`~HumanAgent.respond`) return what the student
decided. Every rule around them stays the core's: the proposer rotation, red lines
(a responder's own red lines still reject an offer that crosses them), unanimity,
packages, linkage, compliance (the seat keeps its scenario's compliance strategy),
forces, tension and crisis.

A round stops half-way for a person to think: the core's :class:`~armsim.core.run.Run`
plays phase by phase, and :class:`~armsim.app.classroom.ClassroomModel` pauses it at
the decision point where the seat proposes or answers (:meth:`wait_at`), with a
:class:`Turn` saying what the student needs to see (the offer on the table, or the
strategy's own offer as a suggestion), until :meth:`submit` brings the decision.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from armsim.abm import StateAgent

PROPOSE, RESPOND = "propose", "respond"


@dataclass(frozen=True)
class Turn:
    """What the student must decide now.

    ``kind`` is ``"propose"`` (levels for the open issues) or ``"respond"`` (accept or
    reject the offer). ``offer`` is ``{issue: level}``: the offer on the table, or, to
    propose, the seat's strategy's own offer. ``advice`` is what the strategy would
    answer (``{issue: accept?}``) when responding; ``proposer`` who made the offer (an
    actor id, or ``"mediator"``).
    """

    kind: str
    actor: str
    round: int
    offer: dict[str, float]
    advice: dict[str, bool] = field(default_factory=dict)
    proposer: str | None = None


@dataclass(frozen=True)
class Decision:
    """The student's decision: levels to propose, or answers per issue."""

    kind: str
    levels: dict[str, float] = field(default_factory=dict)
    answers: dict[str, bool] = field(default_factory=dict)

    @classmethod
    def propose(cls, levels: Mapping[str, float]) -> "Decision":
        return cls(PROPOSE, levels={k: float(v) for k, v in levels.items()})

    @classmethod
    def respond(cls, answers: Mapping[str, bool] | bool, offer: Mapping[str, float] = ()
                ) -> "Decision":
        """Answers per issue, or one answer (True: accept) for every issue of ``offer``."""
        if isinstance(answers, bool):
            answers = dict.fromkeys(offer, answers)
        return cls(RESPOND, answers={k: bool(v) for k, v in answers.items()})


class HumanAgent(StateAgent):
    """A state played by a person: it proposes or answers as ``agent.decision`` says
    (a :class:`Decision`; the model waits for one), and complies or defects by its
    scenario strategy. Without a decision of the kind asked it does what its strategy
    would."""

    def __init__(self, model, index: int) -> None:
        super().__init__(model, index)
        self.decision: Decision | None = None

    def propose(self) -> dict[str, float]:
        if self.decision is None or self.decision.kind != PROPOSE:
            return super().propose()
        return {k: v for k, v in self.decision.levels.items() if k in self.strategy_offer}

    def respond(self, offer: dict[str, float]) -> dict[str, bool]:
        if self.decision is None or self.decision.kind != RESPOND:
            return super().respond(offer)
        answers = self.decision.answers
        return {issue: bool(answers.get(issue, False)) for issue in offer}
