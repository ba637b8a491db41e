"""Play a state: a seat at the table whose decisions come from people.

:class:`HumanAgent` is a :class:`~armsim.abm.StateAgent` whose two talk decisions
(:meth:`~HumanAgent.propose`, :meth:`~HumanAgent.respond`) return what the players
decided. Every rule around them stays the core's: the proposer rotation, red lines
(a responder's own red lines still reject an offer that crosses them), unanimity,
packages, linkage, compliance (the seat keeps its scenario's compliance strategy),
forces, tension and crisis.

A round stops half-way for people to think: the core's :class:`~armsim.core.run.Run`
plays phase by phase, and :class:`~armsim.app.classroom.ClassroomModel` pauses it at
the decision point where seats propose or answer, with a :class:`Turn` per seat saying
what its players need to see (the offer on the table, or the strategy's own offer as
a suggestion, and every reason an answer would not count), until :meth:`submit`
brings each decision.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from armsim.abm import StateAgent

PROPOSE, RESPOND = "propose", "respond"


@dataclass(frozen=True)
class Turn:
    """What a seat's players must decide now.

    ``kind`` is ``"propose"`` (levels for the open issues) or ``"respond"`` (accept or
    reject the offer). ``offer`` is ``{issue: level}``: the offer on the table, or, to
    propose, the seat's strategy's own offer. ``advice`` is what the strategy would
    answer (``{issue: accept?}``) when responding; ``proposer`` who made the offer (an
    actor id, or ``"mediator"``). ``notes`` says, per issue, why an answer or a level
    would not count as given (a red line, someone's linkage); ``general`` what holds for
    the whole turn (a package, linkage).
    """

    kind: str
    actor: str
    round: int
    offer: dict[str, float]
    advice: dict[str, bool] = field(default_factory=dict)
    proposer: str | None = None
    notes: dict[str, list[str]] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Decision:
    """The players' decision: levels to propose, or answers per issue."""

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

    @classmethod
    def as_strategy(cls, turn: Turn) -> "Decision":
        """What the seat's strategy would decide at ``turn``."""
        if turn.kind == PROPOSE:
            return cls.propose(turn.offer)
        return cls.respond(turn.advice)


class HumanAgent(StateAgent):
    """A state played by people: it proposes or answers as ``agent.decision`` says
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
