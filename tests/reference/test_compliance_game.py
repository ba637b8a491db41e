"""The iterated compliance game against the ``axelrod`` library and closed forms.

Two actors with the same ideal agree at round 0 in a one-round session, then play
``aftermath`` rounds of the compliance game (rounds 1..N). With verification 1 and
no noise, each deterministic strategy must play, turn by turn, what its axelrod
namesake plays in a Match of N turns, and earn its per-turn score.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from reference_helpers import import_axelrod, run

axl = import_axelrod()

PEERS = {
    "always_comply": axl.Cooperator,
    "always_defect": axl.Defector,
    "tit_for_tat": axl.TitForTat,
    "grim": axl.Grudger,
    "tit_for_two_tats": axl.TitFor2Tats,
    "suspicious_tit_for_tat": axl.SuspiciousTitForTat,
    "alternate": axl.Alternator,
}
GAMES = {"default": (3, 0, 5, 1), "shifted": (4, 1, 6, 2)}
TURNS = 24

GAME = """\
armsim: 1
name: Compliance game
aftermath: {turns}
issues:
  limit: {{label: Limit, range: [0, 10]}}
actors:
  one:
    preferences: {{limit: {{ideal: 5}}}}
    compliance: {first}
  two:
    preferences: {{limit: {{ideal: 5}}}}
    compliance: {second}
sessions:
  - {{venue: Geneva, participants: [one, two], agenda: [limit], rounds: 1}}
environment:
  verification: {verification}
  compliance_noise: {noise}
  payoffs: {{R: {R}, S: {S}, T: {T}, P: {P}}}
"""


def game(first: str, second: str, *, turns: int = TURNS, payoffs=(3, 0, 5, 1),
         verification: float = 1, noise: float = 0) -> str:
    R, S, T, P = payoffs
    return GAME.format(first=first, second=second, turns=turns, verification=verification,
                       noise=noise, R=R, S=S, T=T, P=P)


def axelrod_play(first: str, second: str, turns: int, payoffs) -> tuple[np.ndarray, tuple]:
    """Moves (turns, 2) as 0 comply / 1 defect, and the per-turn scores, from axelrod."""
    R, S, T, P = payoffs
    match = axl.Match((PEERS[first](), PEERS[second]()), turns=turns,
                      game=axl.Game(r=R, s=S, t=T, p=P))
    moves = np.array([[int(m == axl.Action.D) for m in pair] for pair in match.play()])
    return moves, match.final_score_per_turn()


@pytest.mark.parametrize("game_name", GAMES)
@pytest.mark.parametrize("first,second", list(itertools.product(PEERS, PEERS)))
def test_deterministic_strategies_play_as_axelrod(first, second, game_name):
    payoffs = GAMES[game_name]
    out = run(game(first, second, payoffs=payoffs), trajectories=True)
    assert out["agreement_round"][0] == 0
    actions = out["trace.action"][0]                   # (rounds, actors); -1 not playing
    assert actions.shape == (TURNS + 1, 2)
    np.testing.assert_array_equal(actions[0], [-1, -1])   # agreed this round: no game yet
    moves, per_turn = axelrod_play(first, second, TURNS, payoffs)
    np.testing.assert_array_equal(actions[1:], moves)
    assert out["compliance_payoff.one"][0] == pytest.approx(per_turn[0], rel=1e-12)
    assert out["compliance_payoff.two"][0] == pytest.approx(per_turn[1], rel=1e-12)
    assert out["compliance_rate.one"][0] == pytest.approx(1 - moves[:, 0].mean(), rel=1e-12)


def test_a_known_behaviour_table():
    """Spelled out once, as axelrod's own tests do: TFT against Alternator."""
    out = run(game("tit_for_tat", "alternate", turns=6), trajectories=True)
    C, D = 0, 1
    np.testing.assert_array_equal(out["trace.action"][0, 1:].T,
                                  [[C, C, D, C, D, C], [C, D, C, D, C, D]])


# --- statistics: many runs, tolerances from the standard error ---------------------

def noisy_tft_expected_payoff(eps: float, turns: int, payoffs) -> float:
    """Exact mean payoff per turn of TFT vs TFT when each action flips with prob. eps.

    The pair of last actions is a Markov chain: from (x, y) both intend to copy the
    other, (y, x), then each flips independently. Its transition matrix is doubly
    stochastic, so the long-run distribution is uniform and the payoff per turn tends
    to (R + S + T + P) / 4; over a finite match the chain starts from intended (C, C).
    """
    R, S, T, P = payoffs
    pay = np.array([[R, S], [T, P]], dtype=float)        # pay[mine, theirs], 0 = comply
    keep = np.array([[1 - eps, eps], [eps, 1 - eps]])    # keep[intended, played]
    dist = np.outer(keep[0], keep[0])                    # first turn: both intend C
    total = 0.0
    for _ in range(turns):
        total += float((dist * pay).sum())
        dist = keep.T @ dist.T @ keep                    # (x, y) -> intended (y, x) -> flips
    return total / turns


def test_the_noisy_chain_tends_to_the_mean_of_the_payoffs():
    for payoffs in GAMES.values():
        assert noisy_tft_expected_payoff(0.1, 5000, payoffs) == pytest.approx(
            sum(payoffs) / 4, abs=2e-3)
        assert noisy_tft_expected_payoff(0.5, 7, payoffs) == pytest.approx(sum(payoffs) / 4,
                                                                            abs=1e-12)


@pytest.mark.parametrize("eps", [0.05, 0.2, 0.5])
def test_noisy_tit_for_tat_against_tit_for_tat(eps):
    runs, turns, payoffs = 3000, 60, (3, 0, 5, 1)
    out = run(game("tit_for_tat", "tit_for_tat", turns=turns, noise=eps), runs=runs)
    expected = noisy_tft_expected_payoff(eps, turns, payoffs)
    for who in ("one", "two"):
        pay = out[f"compliance_payoff.{who}"]
        se = pay.std(ddof=1) / np.sqrt(runs)
        assert abs(pay.mean() - expected) < 4 * se
    if eps == 0.5:   # every action a fair coin from the first turn on
        assert expected == pytest.approx(sum(payoffs) / 4, abs=1e-12)


@pytest.mark.parametrize("p1,p2", [(0.3, 0.8), (0.5, 0.05)])
def test_random_complies_with_frequency_p(p1, p2):
    runs, turns = 2000, 20
    first, second = f"{{type: random, p: {p1}}}", f"{{type: random, p: {p2}}}"
    out = run(game(first, second, turns=turns), runs=runs, trajectories=True)
    for who, p in (("one", p1), ("two", p2)):
        rate = out[f"compliance_rate.{who}"].mean()
        se = np.sqrt(p * (1 - p) / (runs * turns))        # binomial, all turns independent
        assert abs(rate - p) < 4 * se
    played = out["trace.action"][:, 1:, :]
    # independent of each other: the joint frequency of complying is p1 * p2
    both = ((played[:, :, 0] == 0) & (played[:, :, 1] == 0)).mean()
    se = np.sqrt(p1 * p2 * (1 - p1 * p2) / (runs * turns))
    assert abs(both - p1 * p2) < 4 * se


def test_tit_for_tat_sees_only_detected_defections():
    """Against always_defect with verification v, TFT complies on turn 1, then exactly
    when the other's last defection went undetected: rate (1 + (N - 1)(1 - v)) / N."""
    runs, turns, v = 3000, 20, 0.7
    out = run(game("tit_for_tat", "always_defect", turns=turns, verification=v), runs=runs)
    expected = (1 + (turns - 1) * (1 - v)) / turns
    rate = out["compliance_rate.one"]
    se = rate.std(ddof=1) / np.sqrt(runs)
    assert abs(rate.mean() - expected) < 4 * se
    assert np.all(out["compliance_rate.two"] == 0)


def test_generous_tit_for_tat_forgives_with_probability_p():
    """Against always_defect: comply on turn 1, then with probability p each turn."""
    runs, turns, p = 3000, 20, 0.25
    out = run(game(f"{{type: generous_tit_for_tat, p: {p}}}", "always_defect", turns=turns),
              runs=runs)
    expected = (1 + (turns - 1) * p) / turns
    rate = out["compliance_rate.one"]
    se = rate.std(ddof=1) / np.sqrt(runs)
    assert abs(rate.mean() - expected) < 4 * se


def test_generous_tit_for_tat_default_generosity_is_axelrods():
    """Without p, GTFT forgives with axelrod's default min(1 - (T-R)/(R-S), (R-P)/(T-P))."""
    runs, turns = 3000, 20
    R, S, T, P = 3, 0, 5, 1
    by_hand = min(1 - (T - R) / (R - S), (R - P) / (T - P))   # = min(1/3, 1/2)
    assert axl.GTFT().p == pytest.approx(by_hand)              # axelrod's own default
    out = run(game("generous_tit_for_tat", "always_defect", turns=turns), runs=runs)
    rate = out["compliance_rate.one"]
    se = rate.std(ddof=1) / np.sqrt(runs)
    assert abs(rate.mean() - (1 + (turns - 1) * by_hand) / turns) < 4 * se
