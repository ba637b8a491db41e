"""Shared helpers for the classroom page's tests."""

from __future__ import annotations

from pathlib import Path

from armsim.app.classroom import ClassroomModel
from armsim.app.play import PROPOSE, Decision

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
GENEVA = SCENARIOS / "geneva_2022.yaml"
NO_LINKAGE = SCENARIOS / "geneva_2022_no_linkage.yaml"
PACKAGE = SCENARIOS / "geneva_2022_package.yaml"
INF = SCENARIOS / "inf_1987.yaml"


def follow_advice(model: ClassroomModel) -> None:
    """Answer the waiting turn as the seat's own strategy would."""
    turn = model.turn
    if turn.kind == PROPOSE:
        model.submit(Decision.propose(turn.offer))
    else:
        model.submit(Decision.respond(turn.advice))


def play_to_end(model: ClassroomModel, decide=follow_advice, limit: int = 10_000) -> int:
    """Step (and decide when asked) until the run is over; returns the turns decided."""
    turns = 0
    for _ in range(limit):
        if model.finished:
            return turns
        if model.waiting:
            decide(model)
            turns += 1
        else:
            model.step()
    raise AssertionError("the run did not end")
