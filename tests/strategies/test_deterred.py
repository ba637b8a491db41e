"""The deterred compliance strategy: behaviour tables and its thresholds, worked out by hand
from docs/model.md 7.11a (payoffs R 3, S 0, T 5, P 1 throughout, so the temptation
T - R is 2 and the agreement's value over none, R - P, is 2).

One-shot form (no retaliation, no tolerance, hence nothing at stake but the sanction s):
comply iff v * s >= T - R = 2. Repeated form: comply iff v * (s + V * W) >= 2 with
V = 2 and W = c * δ / (1 - δ) + (1 - c) * δ (1 - δ^L) / (1 - δ), c = 1 / strikes left.
"""

from __future__ import annotations

import numpy as np
import pytest
from strategy_helpers import actions, check_declares_itself, compliance_game

from armsim.batch import run_chunk
from armsim.core.compliance import ComplianceView, Memory, Terms
from armsim.strategies.compliance.deterred import Deterred, DeterredParams, defection_margin

ONE_SHOT = {"type": "deterred", "retaliation": 0}


def test_declares_itself():
    check_declares_itself("compliance", "deterred")


@pytest.mark.parametrize(("verification", "sanction", "move"), [
    (0.5, 4.0, "C"),            # v s = 2 = T - R exactly: complies at the threshold
    (0.5, 4.0 + 1e-9, "C"),
    (0.5, 4.0 - 1e-9, "D"),     # just below: cheating pays
    (1.0, 2.0, "C"),
    (1.0, 1.999, "D"),
    (0.25, 8.0, "C"),
    (0.25, 7.99, "D"),
    (0.0, 1e6, "D"),            # never caught: no sanction deters
])
def test_one_shot_threshold(verification, sanction, move):
    """comply iff v * s >= T - R, whatever is detected (nothing else is at stake)."""
    env = {"verification": verification, "sanction": sanction}
    tested, opponent = actions(ONE_SHOT, "always_comply", turns=4, environment=env, runs=8)
    assert tested == [move * 4] * 8
    assert opponent == ["CCCC"] * 8


# δ = 0.8, L = 1, tolerance 2, no sanction. Before any detection c = 1/2:
# W = 0.5 * 4 + 0.5 * 0.8 = 2.4, v V W = 4.8 v >= 2 iff v >= 5/12 = 0.41666...
# After one detection (one strike left) c = 1: W = 4, 8 v >= 2 iff v >= 0.25.
REPEATED = {"type": "deterred", "retaliation": 1}


@pytest.mark.parametrize(("verification", "first"), [(0.42, "C"), (0.4167, "C"),
                                                     (0.4166, "D"), (0.41, "D"), (0.3, "D")])
def test_repeated_threshold(verification, first):
    env = {"verification": verification, "tolerance": 2}
    tested, _ = actions(REPEATED, "always_comply", turns=3, environment=env, runs=16,
                        actors={"tested": {"patience": 0.8}})
    assert {moves[0] for moves in tested} == {first}


def test_one_strike_left_makes_it_careful():
    """At v = 0.3 (between 0.25 and 5/12) it cheats until its first detected defection,
    then complies for good: one more would collapse the agreement."""
    env = {"verification": 0.3, "tolerance": 2}
    tested, _ = actions(REPEATED, "always_comply", turns=12, environment=env, runs=40,
                        actors={"tested": {"patience": 0.8}})
    for moves in tested:
        k = len(moves) - len(moves.lstrip("D"))       # defects until detected, then complies
        assert k >= 1 and moves == "D" * k + "C" * (12 - k)
    assert any(m.startswith("DC") for m in tested) and any(m.startswith("DD") for m in tested)


def test_behaviour_table_last_strike():
    """δ = 0.5, L = 1, tolerance 2, full verification. Turn 1: c = 1/2, W = 0.5 * 1 +
    0.5 * 0.5 = 0.75, cost 1.5 < 2: defect (detected). Turn 2: c = 1, W = 1, cost 2 = 2:
    comply, and so on. Tit for tat answers the defection at turn 2: the second detection
    collapses the agreement and nobody plays after."""
    env = {"tolerance": 2}
    assert actions(REPEATED, "always_comply", environment=env,
                   actors={"tested": {"patience": 0.5}}) == ("DCCCCC", "CCCCCC")
    assert actions(REPEATED, "tit_for_tat", environment=env,
                   actors={"tested": {"patience": 0.5}}) == ("DC----", "CD----")


def test_patient_and_verified_never_cheats():
    """δ = 0.98, tolerance 3: W = 49 / 3 + (2 / 3) 0.98 = 16.99, so v V W >= 2 from
    v = 0.059 on."""
    env = {"verification": 0.1, "tolerance": 3}
    tested, _ = actions("deterred", "tit_for_tat", turns=20, environment=env, runs=20,
                        actors={"tested": {"patience": 0.98}})
    assert tested == ["C" * 20] * 20


def test_sanction_is_paid_when_detected():
    """always_defect against always_comply, full verification, sanction 1.5: the defector
    earns T - 1.5 = 3.5 a turn, the complier S = 0."""
    game = compliance_game("always_defect", "always_comply", turns=4,
                           environment={"sanction": 1.5})
    out = run_chunk(game, np.arange(1))
    assert out["compliance_payoff.tested"][0] == 3.5
    assert out["compliance_payoff.opponent"][0] == 0.0


# --- withdrawal (environment.withdrawal): leave when trust < (P - S) / (R - S) = 1/3 ----

def test_withdraws_when_trust_falls_below_a_third():
    """The opponent trusts the defector 0.4: one detection (loss 0.3) leaves 0.28 < 1/3,
    it withdraws after turn 1; at 0.5 the first leaves 0.35, the second 0.245."""
    env = {"withdrawal": True}
    low = actions("always_defect", "always_comply", environment=env,
                  actors={"opponent": {"trust": {"tested": 0.4}}})
    assert low == ("D-----", "C-----")
    mid = actions("always_defect", "always_comply", environment=env,
                  actors={"opponent": {"trust": {"tested": 0.5}}})
    assert mid == ("DD----", "CC----")
    game = compliance_game("always_defect", "always_comply", environment=env,
                           actors={"opponent": {"trust": {"tested": 0.4}}})
    assert run_chunk(game, np.arange(1))["collapsed"][0]


def test_withdrawal_is_off_by_default():
    game = compliance_game("always_defect", "always_comply",
                           actors={"opponent": {"trust": {"tested": 0.4}}})
    assert not run_chunk(game, np.arange(1))["collapsed"][0]
    assert actions("always_defect", "always_comply",
                   actors={"opponent": {"trust": {"tested": 0.4}}}) == ("DDDDDD", "CCCCCC")


def test_a_distrustful_actor_leaves_even_an_honest_deal():
    """Trust 0.2, raised by an observed compliance to 0.2 + 0.1 * 0.8 = 0.28 < 1/3."""
    assert actions("always_comply", "always_comply", environment={"withdrawal": True},
                   actors={"tested": {"trust": 0.2}}) == ("C-----", "C-----")


def test_deterred_counts_the_detections_that_would_make_the_other_withdraw():
    """δ = 0.5, L = 1, no tolerance, withdrawal on; the opponent's trust in it starts at
    0.5 (gain 0.1, loss 0.3). Strikes left: the least j with trust * 0.7^j < 1/3.
    turn 1: trust 0.5, j = 2, c = 1/2, W = 0.75, cost 1.5 < 2: D (trust -> 0.35)
    turn 2: 0.35, j = 1, W = 1, cost 2: C (-> 0.415); turn 3: 0.415, j = 1: C (-> 0.4735)
    turn 4: 0.4735 * 0.7 = 0.331 < 1/3, j = 1: C (-> 0.52615)
    turn 5: 0.52615 * 0.7 = 0.368, j = 2: D (-> 0.3683); turn 6: j = 1: C."""
    env = {"withdrawal": True}
    both = {"tested": {"patience": 0.5}, "opponent": {"trust": {"tested": 0.5}}}
    assert actions(REPEATED, "always_comply", environment=env,
                   actors=both) == ("DCCCDC", "CCCCCC")


# --- the margin itself: monotone in verification --------------------------------------

def _view(rng: np.random.Generator, n: int, verification: np.ndarray) -> ComplianceView:
    A = 2
    pairs = np.broadcast_to(~np.eye(A, dtype=bool), (n, A, A)).copy()
    params = {"temperature": rng.uniform(0, 3, (n, A)), "retaliation": rng.integers(0, 5, (n, A)),
              "trust_weight": rng.uniform(0, 1, (n, A))}
    terms = Terms(verification=verification, sanction=rng.uniform(0, 3, n),
                  payoffs=(3.0, 0.0, 5.0, 1.0), patience=rng.uniform(0.05, 1.0, (n, A)),
                  strikes_left=rng.choice([1.0, 2.0, 3.0, np.inf], (n, A)))
    return ComplianceView(Memory.fresh(n, A), rng.uniform(size=(n, A)), params,
                          rng.uniform(size=n), rng.uniform(size=(n, A, A)), pairs, terms)


def test_more_verification_never_makes_it_cheat_more():
    """Other things equal (every other input drawn once), the margin and the decision
    are non-increasing in v, whatever the patience, sanction, strikes, trust or
    temperature (patience 1 included: an endless future)."""
    n = 4000
    levels = np.linspace(0.0, 1.0, 21)
    margins, decisions = [], []
    for v in levels:
        view = _view(np.random.default_rng(11), n, np.full(n, v))
        margins.append(defection_margin(view))
        decisions.append(Deterred(DeterredParams(type="deterred")).defects(view))
    margins, decisions = np.array(margins), np.array(decisions)
    assert not np.isnan(margins).any()
    assert (np.diff(margins, axis=0) <= 1e-12).all()
    assert (np.diff(decisions.astype(int), axis=0) <= 0).all()
    assert decisions[0].mean() > 0.5 > decisions[-1].mean()   # guard: v does act


def test_a_run_is_the_same_in_any_batch():
    """With a temperature it draws the round's compliance uniform: run 7 alone is run 7
    of a batch."""
    stochastic = {"type": "deterred", "temperature": 1.5}
    game = compliance_game(stochastic, "tit_for_tat", turns=30,
                           environment={"verification": 0.6, "tolerance": 4},
                           actors={"tested": {"patience": 0.5}})
    batch = run_chunk(game, np.arange(12), trajectories=True)
    alone = run_chunk(game, np.array([7]), trajectories=True)
    assert np.array_equal(batch["trace.action"][7], alone["trace.action"][0])
    assert len({batch["trace.action"][r].tobytes() for r in range(12)}) > 1
