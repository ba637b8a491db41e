"""Talk memory across sessions (docs/model.md 7.5 and 7.17.3): what a negotiator conceded
and saw carries into the next session unless it says ``memory: reset``.

Tit for tat (opening 0.05, reservation 0.3) against a linear opponent (reservation 0.5),
two sessions of 5 rounds each, worked by hand. Session 1 is test_tit_for_tat_talks's
table: offers 5, 87.5, 5, 62.5, 30 (tit for tat ends asking 0.70, having last seen an
offer worth 0.375 to it); nothing is agreed (30 is worth 0.30 to the opponent, who asks
alpha(1) = 0.5).

Session 2, ``memory: keep`` (the default): tit for tat opens at its 0.70 (offer 30); the
first offer it then receives, 87.5 (worth 0.125), is compared with the last one it saw,
62.5 (0.375): no gain. The opponent restarts its clock (tau per session): 87.5, then 62.5
(0.375, up 0.25), so at k = 4 tit for tat asks 0.70 - 0.25 = 0.45, an offer of 55, worth
0.55 to the opponent, who asks alpha(1) = 0.5 in a session's last round: agreed at 55 in
round 9. With ``memory: reset`` session 2 repeats session 1 and nothing is agreed.
"""

import numpy as np
import pytest
from helpers import scenario as validated

from armsim.batch import run_chunk
from armsim.compile import build_spec

TWO_SESSIONS = """
armsim: 1
name: two sessions
issues:
  cap: {{label: Cap, range: [0, 100]}}
actors:
  tested:
    preferences: {{cap: {{ideal: 0, weight: 1}}}}
    strategy: {{type: tit_for_tat, opening: 0.05}}
    reservation: 0.3
  opponent:
    preferences: {{cap: {{ideal: 100, weight: 1}}}}
    strategy: linear
    reservation: 0.5
sessions:
  - {{venue: One, participants: [tested, opponent], agenda: [cap], rounds: 5}}
  - {{venue: Two, participants: [tested, opponent], agenda: [cap], rounds: 5{memory}}}
"""


def play(memory: str = ""):
    scenario = validated(TWO_SESSIONS.format(memory=memory))
    out = run_chunk(scenario, np.arange(1), trajectories=True)
    return [float(x) for x in out["trace.offer"][0, :, 0]], out


def test_what_was_conceded_and_seen_carries_over():
    offers, out = play()
    assert offers == pytest.approx([5, 87.5, 5, 62.5, 30, 30, 87.5, 30, 62.5, 55], rel=1e-12)
    assert out["agreement_round"][0] == 9
    assert out["agreed.cap"][0] == pytest.approx(55)


def test_memory_reset_starts_afresh():
    offers, out = play(", memory: reset")
    assert offers == pytest.approx([5, 87.5, 5, 62.5, 30] * 2, rel=1e-12)
    assert not out["agreement"][0]


def test_the_default_is_keep():
    scenario = validated(TWO_SESSIONS.format(memory=""))
    assert [s.memory for s in scenario.sessions] == ["keep", "keep"]
    assert build_spec(scenario).session_memory.tolist() == [True, True]
