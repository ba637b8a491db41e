"""The compliance game's payoffs: a warning when they are not a prisoner's dilemma, an
error when generous tit for tat would take a default p that is not a probability."""

from __future__ import annotations

import pytest
from scenario_helpers import BASE, check

import armsim


def with_payoffs(R, S, T, P, compliance="{type: generous_tit_for_tat}"):  # noqa: N803
    text = BASE.replace("    compliance: {type: tit_for_tat}\n",
                        f"    compliance: {compliance}\n")
    assert (text != BASE) == (compliance != "{type: tit_for_tat}")
    return text + f"environment:\n  payoffs: {{R: {R}, S: {S}, T: {T}, P: {P}}}\n"


def axelrod_p(R, S, T, P):  # noqa: N803
    return min(1 - (T - R) / (R - S), (R - P) / (T - P))


def test_the_default_payoffs_are_a_dilemma_with_a_generosity_in_0_1():
    scenario, problems = check(with_payoffs(3, 0, 5, 1))
    assert problems == [] and 0 <= axelrod_p(3, 0, 5, 1) <= 1


@pytest.mark.parametrize("pay", [(1, 0, 5, 3), (3, 3, 3, 3), (5, 0, 3, 1), (3, 1, 5, 0)],
                         ids=["P>R", "all-equal", "R>T", "S>P"])
def test_payoffs_that_are_not_a_dilemma_warn(pay):
    scenario, problems = check(with_payoffs(*pay, compliance="{type: tit_for_tat}"))
    assert scenario is not None
    assert [(p.severity, p.path) for p in problems] == [("warning", ("environment", "payoffs"))]
    assert "T > R > P > S" in problems[0].message


@pytest.mark.parametrize("pay", [(1, 0, 5, 3), (3, 3, 3, 3), (3, 3, 5, 1)],
                         ids=["negative", "R=S and T=P", "R=S"])
def test_a_default_generosity_that_is_no_probability_is_an_error(pay):
    R, S, T, P = pay  # noqa: N806
    assert R == S or not 0 <= axelrod_p(*pay) <= 1
    scenario, problems = check(with_payoffs(*pay))
    assert scenario is None
    errors = [p for p in problems if p.severity == "error"]
    assert len(errors) == 1 and errors[0].path == ("environment", "payoffs")
    assert errors[0].message.startswith("usa plays generous_tit_for_tat without p")


@pytest.mark.parametrize("p", ["0.1", "null"])
def test_giving_p_or_not_playing_gtft_removes_the_error(p):
    scenario, problems = check(with_payoffs(3, 3, 3, 3, f"{{type: generous_tit_for_tat, p: {p}}}"))
    assert (scenario is not None) == (p != "null")


def test_a_scenario_with_such_payoffs_is_refused_before_any_run(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(with_payoffs(3, 3, 3, 3))
    with pytest.raises(armsim.ScenarioError, match="generous_tit_for_tat without p"):
        armsim.run(path, runs=2)


@pytest.mark.parametrize("pay", [(3, 3, 5, 1), (3, 1, 5, 5), (3, 3, 3, 3)],
                         ids=["R=S", "T=P", "all-equal"])
def test_such_payoffs_run_where_nobody_plays_gtft_without_p(pay, tmp_path):
    """Only a warning: the game is played, each turn's payoff one of R, S, T, P."""
    path = tmp_path / "s.yaml"
    path.write_text(with_payoffs(*pay, compliance="{type: tit_for_tat}"))
    outputs = armsim.run(path, runs=4, seed=1).outputs
    assert outputs["agreement"].any()                               # the game is played
    for actor in ("usa", "russia"):
        payoff = outputs[f"compliance_payoff.{actor}"]
        payoff = payoff[payoff == payoff]
        assert ((min(pay) <= payoff) & (payoff <= max(pay))).all()


def test_a_scenario_built_in_python_gets_the_message_not_a_division_by_zero(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(with_payoffs(3, 0, 5, 1))                      # valid as written
    scenario = armsim.load_scenario(path)
    env = scenario.environment
    broken = scenario.model_copy(update={"environment": env.model_copy(
        update={"payoffs": env.payoffs.model_copy(update={"S": 3.0})})})   # R = S, unchecked
    with pytest.raises(ValueError, match="generous_tit_for_tat without p needs payoffs"):
        armsim.run(broken, runs=2)
