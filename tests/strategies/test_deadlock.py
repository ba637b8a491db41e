"""Deadlock (docs/model.md 7.19), the case of issue 11 worked by hand.

Range [0, 100]. The tested actor wants 0, has a red line at 60 (max) and reservation 0.3;
its partner, a hardliner, wants 100. The window is [0, 60], so the partner's offer is
pinned at 60 (its ideal clipped to the red line), worth 0.4 to the tested actor; the
partner accepts only its ideal, which the red line excludes, so the tested actor's own
offers are all refused. Two participants: ``deadlock_rounds`` defaults to 2.

Tit for tat (opening 0.05) proposes first:

k  who      offer  what moved                                  still
0  tested     5    its first offer (asks 0.95)                    0
1  partner   60    its first offer                                0
2  tested     5    nothing: same offer, same thresholds           1
3  partner   60    nothing                                        2 -> deadlock declared;
                   tit for tat's restart gesture: it asks 0.90; the count starts again
4  tested    10    its offer (asks 0.90)                          0
5  partner   60    nothing (tit for tat's threshold is 0.90 since round 4)   1
6  tested    10    nothing                                        2 -> declared again; tit
                   for tat has made its gesture in this session, the hardliner has nothing
                   to give: the session ends as a deadlock in round 6
7-9          no talks

``linear`` in its place accepts 60 once alpha(tau_(k+1)) = 1 - 0.7 (k + 1) / 9 <= 0.4,
first at k = 7 (0.378), a round the partner proposes: agreed in round 7, no deadlock.
"""

import math

import numpy as np
import pytest
from helpers import scenario as validated

from armsim.batch import run_chunk

PINNED = """
armsim: 1
name: pinned by a red line
issues:
  cap: {{label: Cap, range: [0, 100]}}
actors:
  tested:
    preferences: {{cap: {{ideal: 0, weight: 1, red_line: {{max: 60}}}}}}
    strategy: {tested}
    reservation: 0.3
  partner:
    preferences: {{cap: {{ideal: 100, weight: 1}}}}
    strategy: hardliner
sessions:
{sessions}
"""
SESSION = ("  - {{venue: {venue}, participants: [tested, partner], agenda: [cap], "
           "rounds: {rounds}{more}}}")
TFT = "{type: tit_for_tat, opening: 0.05}"


def play(tested: str = TFT, sessions: tuple = (("Geneva", 10, ""),)):
    text = PINNED.format(tested=tested, sessions="\n".join(
        SESSION.format(venue=v, rounds=r, more=m) for v, r, m in sessions))
    out = run_chunk(validated(text), np.arange(1), trajectories=True)
    return [float(x) for x in out["trace.offer"][0, :, 0]], {k: v[0] for k, v in out.items()
                                                               if not k.startswith("trace.")}


def test_tit_for_tat_makes_one_restart_gesture_then_the_session_ends_as_a_deadlock():
    offers, out = play()
    assert offers[:7] == pytest.approx([5, 60, 5, 60, 10, 60, 10], rel=1e-12)
    assert all(math.isnan(x) for x in offers[7:])       # the session's last 3 rounds: no talks
    assert out["deadlock"] and out["deadlock_round"] == 6
    assert not out["agreement"]


def test_linear_in_its_place_agrees_and_records_no_deadlock():
    offers, out = play("linear")
    assert out["agreement_round"] == 7 and out["agreed.cap"] == pytest.approx(60)
    assert not out["deadlock"] and out["deadlock_round"] == -1


def test_deadlock_rounds_is_a_session_key():
    # 4 rounds without moving: declared at k = 5 (rounds 2-5 still), the gesture; the
    # offer of 10 in round 6 moves, rounds 7-9 do not, one round short of a second
    offers, out = play(sessions=(("Geneva", 10, ", deadlock_rounds: 4"),))
    assert offers == pytest.approx([5, 60, 5, 60, 5, 60, 10, 60, 10, 60], rel=1e-12)
    assert not out["deadlock"] and out["deadlock_round"] == -1


def test_gestures_add_up_over_sessions_that_remember():
    # three sessions of 4 rounds: a deadlock in round 3 of each, broken by a gesture each
    # time (once per session); kept memory: 0.95 -> 0.90 -> 0.85 -> 0.80
    three = tuple((v, 4, "") for v in ("Geneva", "Brussels", "Vienna"))
    offers, out = play(sessions=three)
    assert offers == pytest.approx([5, 60, 5, 60, 10, 60, 10, 60, 15, 60, 15, 60], rel=1e-12)
    assert not out["deadlock"]
    reset = tuple((v, 4, ", memory: reset") for v in ("Geneva", "Brussels", "Vienna"))
    assert play(sessions=reset)[0] == pytest.approx([5, 60, 5, 60] * 3, rel=1e-12)


def test_two_hardliners_end_as_a_deadlock_after_one_rotation_repeated():
    text = PINNED.format(tested="hardliner", sessions=SESSION.format(
        venue="Geneva", rounds=6, more="")).replace("{max: 60}", "{max: 100}")
    out = run_chunk(validated(text), np.arange(1), trajectories=True)
    offers = out["trace.offer"][0, :, 0]
    assert offers[:4].tolist() == [0, 100, 0, 100] and np.isnan(offers[4:]).all()
    assert out["deadlock"][0] and out["deadlock_round"][0] == 3


def test_the_printed_summary_gives_the_deadlock_rate_where_there_is_one():
    import armsim
    from armsim import report

    def summary(tested):
        text = PINNED.format(tested=tested, sessions=SESSION.format(venue="Geneva", rounds=10,
                                                                     more=""))
        return report.text(armsim.run(validated(text), runs=4, workers=1))

    assert "  P(deadlock ) 100.0%" in summary(TFT)
    assert "P(deadlock" not in summary("linear")           # no session ended so: not said
