"""Shared helpers for the classroom page's tests."""

from __future__ import annotations

from pathlib import Path

from armsim.app.classroom import ClassroomModel
from armsim.app.play import Decision

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
GENEVA = SCENARIOS / "geneva_2022.yaml"
NO_LINKAGE = SCENARIOS / "geneva_2022_no_linkage.yaml"
PACKAGE = SCENARIOS / "geneva_2022_package.yaml"
INF = SCENARIOS / "inf_1987.yaml"


def follow_advice(model: ClassroomModel) -> int:
    """Decide every waiting turn as the seat's own strategy would; returns how many."""
    turns = list(model.turns.values())
    for turn in turns:
        model.submit(Decision.as_strategy(turn), turn.actor)
    return len(turns)


def play_to_end(model: ClassroomModel, decide=follow_advice, limit: int = 10_000) -> int:
    """Step (and decide when asked) until the run is over; returns the turns decided."""
    turns = 0
    for _ in range(limit):
        if model.finished:
            return turns
        if model.waiting:
            turns += decide(model) or 1
        else:
            model.step()
    raise AssertionError("the run did not end")
