"""Rubinstein's alternating offers against backward induction in exact arithmetic.

The first listed participant proposes at round 0. With T talk rounds, the proposer
at the last round takes the whole range; the proposer at round t offers the
responder exactly delta_responder times what the responder would get proposing at
t + 1. Shares are fractions of the issue's range measured from the responder's
ideal, so the agreed level is ideal_responder + share * (ideal_proposer -
ideal_responder). With ``horizon: infinite`` the share is (1 - d2) / (1 - d1 d2).
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from reference_helpers import run

ALTERNATING = """\
armsim: 1
name: Alternating offers
issues:
  share: {{label: Share, range: [{lo}, {hi}]}}
actors:
  first:
    preferences: {{share: {{ideal: {first_ideal}}}}}
    strategy: {{type: rubinstein, horizon: {horizon}}}
    patience: {d1}
  second:
    preferences: {{share: {{ideal: {second_ideal}}}}}
    strategy: {{type: rubinstein, horizon: {horizon}}}
    patience: {d2}
sessions:
  - {{venue: Geneva, participants: [{order}], agenda: [share], rounds: {rounds}}}
"""

PATIENCE = [("0.9", "0.8"), ("0.5", "0.95"), ("1", "0.7"), ("0.99", "0.99"), ("0.3", "1")]


def backward_induction(rounds: int, d_first: Fraction, d_second: Fraction) -> Fraction:
    """The first proposer's share with ``rounds`` alternating offers, as an exact fraction."""
    delta = {0: d_first, 1: d_second}      # by who proposes: 0 at even rounds, 1 at odd
    share = Fraction(1)                    # the last proposer takes everything
    for t in range(rounds - 2, -1, -1):
        responder = (t + 1) % 2            # responds at t, proposes at t + 1
        share = 1 - delta[responder] * share
    return share


def test_backward_induction_by_hand():
    # T=2: 1 - d2; T=3: 1 - d2 (1 - d1); the check of the helper itself
    d1, d2 = Fraction(9, 10), Fraction(4, 5)
    assert backward_induction(1, d1, d2) == 1
    assert backward_induction(2, d1, d2) == Fraction(1, 5)
    assert backward_induction(3, d1, d2) == 1 - d2 * (1 - d1) == Fraction(23, 25)


def agreed_share(out: dict, proposer_ideal: float, responder_ideal: float) -> float:
    level = float(out["agreed.share"][0])
    return (level - responder_ideal) / (proposer_ideal - responder_ideal)


@pytest.mark.parametrize("rounds", range(1, 7))
@pytest.mark.parametrize("d1,d2", PATIENCE)
def test_finite_horizon_is_backward_induction(rounds, d1, d2):
    text = ALTERNATING.format(lo=0, hi=400, first_ideal=0, second_ideal=400, horizon="finite",
                              d1=d1, d2=d2, order="first, second", rounds=rounds)
    out = run(text)
    expected = backward_induction(rounds, Fraction(d1), Fraction(d2))
    assert out["agreement"][0]
    assert out["agreement_round"][0] == 0          # the responder accepts at once
    assert abs(agreed_share(out, 0, 400) - expected) < 1e-12


@pytest.mark.parametrize("rounds", [2, 3, 5])
def test_second_listed_proposes_first_and_ideals_can_be_inside_the_range(rounds):
    """Listed order decides who opens; shares are of the span between the ideals' ends."""
    d_second, d_first = "0.6", "0.9"     # 'second' is listed first here, so it proposes
    text = ALTERNATING.format(lo=-50, hi=150, first_ideal=130, second_ideal=-50,
                              horizon="finite", d1=d_first, d2=d_second,
                              order="second, first", rounds=rounds)
    out = run(text)
    expected = backward_induction(rounds, Fraction(d_second), Fraction(d_first))
    assert out["agreement_round"][0] == 0
    assert abs(agreed_share(out, -50, 130) - expected) < 1e-12


@pytest.mark.parametrize("d1,d2", PATIENCE[:2] + [("0.99", "0.99"), ("0.7", "0.2")])
@pytest.mark.parametrize("rounds", [1, 4])
def test_infinite_horizon_share(d1, d2, rounds):
    text = ALTERNATING.format(lo=0, hi=1, first_ideal=1, second_ideal=0, horizon="infinite",
                              d1=d1, d2=d2, order="first, second", rounds=rounds)
    out = run(text)
    f1, f2 = Fraction(d1), Fraction(d2)
    expected = (1 - f2) / (1 - f1 * f2)
    assert out["agreement_round"][0] == 0
    assert abs(agreed_share(out, 1, 0) - expected) < 1e-12


def test_finite_horizon_tends_to_the_infinite_share():
    """Backward induction's limit is Rubinstein's share (a check of the two closed forms)."""
    d1, d2 = Fraction(9, 10), Fraction(4, 5)
    limit = (1 - d2) / (1 - d1 * d2)
    assert abs(backward_induction(201, d1, d2) - limit) < Fraction(1, 10**9)
    assert abs(backward_induction(200, d1, d2) - limit) < Fraction(1, 10**9)
