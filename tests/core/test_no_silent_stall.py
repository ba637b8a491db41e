"""No bundled scenario, and none of the tests' deadlock cases, ends a session in a silent
stall (issue 11): every session of every run either agrees its whole open agenda, is cut
by a crisis, records a deadlock, or ends at its rounds with something still moving in
its last ``deadlock_rounds`` talk rounds.

"Moving" is recomputed here from what each round put on the table, not read from the
engine's counter: the proposer's offer against its own previous offer of the session
(more than 1e-9 of the range apart, on an open issue), or a participant's threshold
(what it would accept, the round's ``needs``) against the round before.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from armsim.compile import build_spec, draw_params
from armsim.core.run import Run
from armsim.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted((ROOT / "armsim" / "data" / "scenarios").rglob("*.yaml")) + sorted(
    (ROOT / "examples").rglob("*.yaml"))
RUNS = 60


def session_ends(path):
    """Per session: (agreed, crisis, deadlock, trailing still rounds, its deadlock_rounds),
    each ``(runs,)``."""
    scenario = load_scenario(path)
    spec = build_spec(scenario)
    runs = np.arange(RUNS)
    run = Run(spec, draw_params(scenario, spec, runs), runs)
    out, start = [], 0
    for s, rounds in enumerate(spec.session_rounds):
        last_offer, last_needs = {}, None
        still = np.zeros(RUNS, int)
        deadlock = np.zeros(RUNS, bool)
        for k in range(int(rounds)):
            talks = run.step()["talks"]
            if talks is None:
                continue
            open_ = np.isfinite(talks.offer)
            before = last_offer.get(talks.proposer, np.full_like(talks.offer, np.nan))
            with np.errstate(invalid="ignore"):
                moved = (~(np.abs(talks.offer - before) <= 1e-9 * spec.span) & open_).any(1)
            last_offer[talks.proposer] = np.where(open_, talks.offer, before)
            needs = talks.needs
            if last_needs is None:
                moved[:] = True
            else:
                same = (needs == last_needs) | (np.abs(needs - last_needs) <= 1e-9)
                moved |= (~same & open_[:, None, :]).any(axis=(1, 2))
            last_needs = needs.copy()
            # a round whose agenda was all agreed now ends the count: nothing is left open
            done = talks.agreed.sum(1) == open_.sum(1)
            still = np.where(open_.any(1), np.where(moved | done, 0, still + 1), still)
            if talks.deadlock is not None:
                deadlock |= talks.deadlock.declared
                still = np.where(talks.deadlock.declared, 0, still)
        start += int(rounds)
        agreed = (run.state.agreed | ~spec.agenda[s]).all(axis=1)
        crisis = (run.state.crisis_round >= 0) & (run.state.crisis_round < start)
        out.append((agreed, crisis, deadlock, still, int(spec.session_deadlock[s])))
    return out


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_session_agrees_is_cut_records_a_deadlock_or_is_still_moving(path):
    for s, (agreed, crisis, deadlock, still, rounds) in enumerate(session_ends(path)):
        silent = ~agreed & ~crisis & ~deadlock & (still >= rounds)
        assert not silent.any(), (f"session {s} of {path.name} stalls silently in runs "
                                  f"{np.flatnonzero(silent)[:10].tolist()}")


PINNED = """
armsim: 1
name: pinned by a red line (tests/strategies/test_deadlock.py)
issues:
  cap: {range: [0, 100]}
actors:
  tested:
    preferences: {cap: {ideal: 0, red_line: {max: 60}}}
    strategy: %s
    reservation: 0.3
  partner:
    preferences: {cap: {ideal: 100}}
    strategy: hardliner
sessions:
  - {venue: One, participants: [tested, partner], agenda: [cap], rounds: 10}
  - {venue: Two, participants: [partner, tested], agenda: [cap], rounds: 3}
  - {venue: Three, participants: [tested, partner], agenda: [cap], rounds: 9, deadlock_rounds: 3}
"""


@pytest.mark.parametrize("strategy", ["{type: tit_for_tat, opening: 0.05}",
                                      "{type: tit_for_tat, opening: 0}", "hardliner",
                                      "{type: grit, step: 0.1, wait: 2}", "linear"])
def test_the_deadlock_cases_never_stall_silently(strategy, tmp_path):
    path = tmp_path / "pinned.yaml"
    path.write_text(PINNED % strategy)
    for s, (agreed, crisis, deadlock, still, rounds) in enumerate(session_ends(path)):
        assert not (~agreed & ~crisis & ~deadlock & (still >= rounds)).any(), s
