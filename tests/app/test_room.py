"""Rooms: one run shared by several browsers (no browser here: the room's own API)."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from app_helpers import GENEVA, NO_LINKAGE
from armsim.abm import ArmsControlModel
from armsim.app.play import RESPOND, Decision
from armsim.app.rooms import Rooms
from armsim.app.settings import Settings

LATER = 1e6     # a time far past any grace period or turn timer


@pytest.fixture
def rooms():
    made = Rooms()
    yield made
    made.close_all()


def room_of(rooms, path, **kw):
    return rooms.open(Settings.of_file(path), grace=60, **kw)


def eventually(check, timeout=20.0):
    end = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.02)


def same_outputs(a, b):
    assert a.keys() == b.keys()
    for key in a:
        assert np.array_equal(np.asarray(a[key]), np.asarray(b[key]), equal_nan=True), key


def test_a_room_has_a_short_code_and_every_state_at_a_table_is_a_seat(rooms):
    room = room_of(rooms, GENEVA)
    assert len(room.code) == 4 and set(room.code) <= set("23456789ABCDEFGHJKLMNPQRSTUVWXYZ")
    assert rooms.get(room.code.lower()) is room
    assert room.seats() == ["united_states", "russia", "european_allies", "ukraine"]
    assert room.model.away == set(room.seats())          # nobody yet: agents everywhere


def test_students_join_seats_alone_or_as_a_team(rooms):
    room = room_of(rooms, NO_LINKAGE)
    room.join("t1", "Ana", "russia")
    room.join("t2", "Ben", "russia")
    room.join("t3", "", "united_states")
    assert room.model.players["russia"] == "Ana and Ben"
    assert room.holder("t3").name == "Student 1"
    assert room.model.away == {"european_allies", "ukraine"}
    with pytest.raises(ValueError, match="not a seat"):
        room.join("t4", "Cy", "atlantis")


def test_turns_wait_for_the_teacher_then_for_the_students(rooms):
    room = room_of(rooms, NO_LINKAGE)
    room.join("us", "Ana", "united_states")
    assert list(room.model.turns) == ["united_states"]
    with pytest.raises(ValueError, match="not started"):
        room.submit("us", Decision.as_strategy(room.model.turn))
    room.start()
    room.pause()
    room.submit("us", Decision.propose({"bomber_limits": 2.0}))
    entry = next(e for e in room.model.log if e.actor == "united_states")
    assert (entry.actor, entry.by, entry.people, entry.chosen) == (
        "united_states", "Ana", True, {"bomber_limits": 2.0})


def test_the_last_student_to_leave_hands_the_seat_and_its_waiting_turn_to_the_agent(rooms):
    room = room_of(rooms, NO_LINKAGE)
    room.join("a", "Ana", "russia")
    room.join("b", "Ben", "russia")
    room.start()
    room.pause()
    room.advance()                                       # round 0: the US (agent) offers
    assert list(room.model.turns) == ["russia"]
    room.leave("a")
    assert room.model.players["russia"] == "Ben" and "russia" not in room.model.away
    waiting = set(room.model.turns)
    room.leave("b")
    assert "russia" in room.model.away and "russia" not in room.model.turns
    assert waiting == {"russia"}
    assert room.model.log[-1].by == "the agent (Ben left)"
    assert "Ben left: the agent plays Russia." in room.news


def test_a_browser_that_goes_away_leaves_after_the_grace_period_a_reload_does_not(rooms):
    room = room_of(rooms, NO_LINKAGE)
    room.join("a", "Ana", "russia")
    connected = {"first": True}
    detach = room.attach("a", lambda v: None, lambda: connected["first"])
    now = time.monotonic()
    room.check(now)
    connected["first"] = False                           # the tab is reloaded ...
    room.check(now + 1)
    detach()
    room.attach("a", lambda v: None, lambda: True)       # ... and comes back at once
    room.check(now + LATER)
    assert room.holder("a") is not None
    room.join("b", "Ben", "united_states")
    room.attach("b", lambda v: None, lambda: False)      # Ben's laptop is closed
    room.check(now + 2)
    assert room.holder("b") is not None                  # not yet: the grace period
    room.check(now + 2 + room.grace)
    assert room.holder("b") is None and "united_states" in room.model.away


def test_the_turn_timer_lets_the_strategy_decide(rooms):
    room = room_of(rooms, NO_LINKAGE)
    room.join("r", "Ana", "russia")
    room.set_timer(30)
    room.start()
    eventually(lambda: "russia" in room.model.turns)
    room.check(time.monotonic() + 31)
    room.pause()
    entries = [e for e in room.model.log if e.actor == "russia"]
    assert entries[0].by == "the agent (the turn timer ran out)"
    assert entries[0].chosen == entries[0].strategy


def test_pause_plays_no_round_more(rooms):
    for _ in range(5):
        room = room_of(rooms, GENEVA)
        room.set_pace("fastest")
        room.play()
        eventually(lambda: room.model.round >= 3)
        room.pause()
        stopped = room.model.round
        time.sleep(0.15)
        assert room.model.round == stopped and not room.playing


def test_reset_while_playing_starts_afresh_and_stays_there(rooms):
    room = room_of(rooms, GENEVA)
    room.set_pace("fastest")
    room.play()
    eventually(lambda: room.model.round >= 3)
    old = room.model
    room.reset()
    time.sleep(0.15)
    assert room.model is not old and room.model.round == 0 and not room.playing
    assert old.round <= 66


def test_play_runs_to_the_end_and_gives_the_plain_run(rooms):
    room = room_of(rooms, GENEVA)
    room.set_pace("fastest")
    room.play()
    eventually(lambda: room.model.finished and not room.playing)
    plain = ArmsControlModel(GENEVA)
    plain.run_model()
    same_outputs(room.model.outputs(), plain.outputs())


# with linkage every seat proposes in turn; without it Ukraine has nothing to decide
# (in Vienna only NATO enlargement is left, pinned by its red line and others')
@pytest.mark.parametrize("file, deciding", [(GENEVA, {"A", "B", "C", "D"}),
                                            (NO_LINKAGE, {"A", "B", "C"})])
def test_four_students_who_decide_as_their_strategies_play_the_plain_run(rooms, file,
                                                                         deciding):
    room = room_of(rooms, file)
    for token, seat in (("a", "united_states"), ("b", "russia"), ("c", "european_allies"),
                        ("d", "ukraine")):
        room.join(token, token.upper(), seat)
    room.set_pace("fastest")
    room.start()
    tokens = {h.seat: t for t, h in room.holders.items()}
    decided = 0
    end = time.monotonic() + 60
    while not room.model.finished:
        assert time.monotonic() < end
        with room.lock:
            turns = list(room.model.turns.values())
        for turn in turns:
            room.submit(tokens[turn.actor], Decision.as_strategy(turn))
            decided += 1
        time.sleep(0.002)
    plain = ArmsControlModel(file)
    plain.run_model()
    assert decided > 10
    same_outputs(room.model.outputs(), plain.outputs())
    assert {e.by for e in room.model.log if e.people} == deciding


def test_pages_are_told_of_every_change(rooms):
    room = room_of(rooms, NO_LINKAGE)
    seen = []
    done = threading.Event()
    room.attach("p", lambda v: (seen.append(v), done.set()))
    room.join("a", "Ana", "russia")
    assert done.wait(5)
    eventually(lambda: seen and seen[-1] == room.version)


def test_reset_with_another_scenario_keeps_the_students_whose_seats_remain(rooms):
    room = room_of(rooms, GENEVA)
    room.join("a", "Ana", "russia")
    room.reset(Settings.of_file(NO_LINKAGE))
    assert room.holder("a").seat == "russia" and room.model.players["russia"] == "Ana"
    assert "russia" not in room.model.away
    room.advance()                            # the United States' agent offers
    assert room.model.turn.kind == RESPOND and room.model.turn.actor == "russia"
    room.reset(Settings(scenario="classics/rubinstein"))
    assert room.holder("a") is None
    assert set(room.model.seats) == {"alpha", "beta"}
