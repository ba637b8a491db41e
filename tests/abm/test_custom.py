"""Custom agents: a subclass changes exactly the decision it overrides, as derived by hand;
registered names attach strategies from Python; scenario files still name built-ins only."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import numpy as np
import pytest
from abm_helpers import COMPLIANCE_GAME
from helpers import ROOT, scenario

import armsim
from armsim.abm import (COMPLY, DEFECT, ArmsControlModel, StateAgent, agent_class,
                        register_agent, register_compliance, registered, unregister)
from armsim.scenario import validate_text


def _example():
    """examples/custom_strategy.py, imported as a module (it registers its strategy's name
    on import; the tests here start from no registered name)."""
    spec = importlib.util.spec_from_file_location("custom_strategy",
                                                  ROOT / "examples" / "custom_strategy.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    unregister("verify_then_trust")
    return module


#: the example's strategy: defect after a detected defection; else comply only if trust
#: in every counterpart is at least its threshold, 0.3
VerifyThenTrust = _example().VerifyThenTrust


@pytest.fixture
def names():
    """Registered names made by a test are forgotten after it."""
    before = set(registered())
    yield
    for name in set(registered()) - before:
        unregister(name)


def actions(model: ArmsControlModel, name: str) -> str:
    a = model.spec.actors.index(name)
    return "".join("CD"[int(h["actions"][0, a])] for h in model.history if h["playing"][0, a])


def test_verify_then_trust_against_alternate_move_by_move():
    """Alpha plays verify_then_trust (threshold 0.3), Beta alternates C D C D ...
    Verification 1, no noise; Alpha's trust in Beta starts at 0.5 and moves by gain 0.1
    toward 1 on each compliance it sees and by loss 0.3 toward 0 on each defection:

    turn  saw D?  trust   Alpha  Beta  trust after
     1    no      0.5     C      C     0.55
     2    no      0.55    C      D     0.385
     3    yes     0.385   D      C     0.4465
     4    no      0.4465  C      D     0.31255
     5    yes             D      C     0.381295
     6    no      0.3813  C      D     0.2669065
     7    yes             D      C     0.34021585
     8    no      0.3402  C      D     0.238151095
     9    yes             D      C     0.3143359855
    10    no      0.3143  C      D     0.22003518985
    11    yes             D      C     0.298031670865
    12    no      0.2980  D (< 0.3)    D     0.2086...
    13+   after a C trust is 0.9 * 0.7 * t + 0.1 -> 0.27 < 0.3, so Alpha defects on.
          (after a D it tends to 0.7 * 0.27 = 0.189)

    Payoffs (R 3, S 0, T 5, P 1), Alpha/Beta: turn 1 3/3; turns 2-11 alternate 0/5 and
    5/0 (five each); turns 12-20 alternate D/D 1/1 (12, 14, ..., 20: five) and D/C 5/0
    (13, ..., 19: four). Alpha 3 + 25 + 5 + 20 = 53, Beta 3 + 25 + 5 = 33.
    """
    model = ArmsControlModel(scenario(COMPLIANCE_GAME), agent_classes={"alpha": VerifyThenTrust})
    model.run_model()
    assert actions(model, "alpha") == "CCDCDCDCDCD" + "D" * 9
    assert actions(model, "beta") == "CD" * 10
    out = model.outputs()
    assert out["compliance_rate.alpha"] == pytest.approx(6 / 20)
    assert out["compliance_rate.beta"] == pytest.approx(10 / 20)
    assert out["compliance_payoff.alpha"] == pytest.approx(53 / 20)
    assert out["compliance_payoff.beta"] == pytest.approx(33 / 20)
    # after Beta's D in turn 20, near the cycle's low point t = 0.7 * (0.9 t + 0.1): 0.189
    assert model.actor("alpha").trust["beta"] == pytest.approx(0.07 / 0.37, abs=0.01)


def test_the_default_agent_is_the_builtin_strategy():
    """Without an override the same game is tit_for_tat against alternate (axelrod):
    C C D C D ... against C D C D ..."""
    model = ArmsControlModel(scenario(COMPLIANCE_GAME))
    model.run_model()
    assert actions(model, "alpha") == "CC" + "DC" * 9
    assert actions(model, "beta") == "CD" * 10


def test_compliance_noise_still_flips_a_custom_choice():
    """compliance_noise 1 flips every intended action: an always-comply function
    defects every turn."""
    loaded = scenario(COMPLIANCE_GAME.replace("compliance_noise: 0", "compliance_noise: 1"))
    cls = type("Dove", (StateAgent,), {"comply_or_defect": lambda self: COMPLY})
    model = ArmsControlModel(loaded, agent_classes={"alpha": cls})
    model.run_model()
    assert actions(model, "alpha") == "D" * 20


def test_a_registered_function_is_a_compliance_strategy(names):
    register_compliance("suspicious", lambda agent: DEFECT if agent.turns < 2 else COMPLY)
    assert agent_class("suspicious").registered_as == "suspicious"
    model = ArmsControlModel(scenario(COMPLIANCE_GAME), agent_classes={"beta": "suspicious"})
    model.run_model()
    assert type(model.actor("beta")).__name__ == "SuspiciousAgent"
    # Beta defects on turns 1-2; tit_for_tat Alpha answers each one a turn later
    assert actions(model, "beta") == "DD" + "C" * 18
    assert actions(model, "alpha") == "CDD" + "C" * 17


def test_registration_as_a_decorator_and_its_errors(names):
    @register_compliance("verify_then_trust")
    class Registered(VerifyThenTrust):
        pass

    assert registered()["verify_then_trust"] is Registered
    register_agent("verify_then_trust", Registered)          # the same class again: fine
    other = type("Registered", (VerifyThenTrust,), {"__module__": "elsewhere"})
    with pytest.raises(ValueError, match="already registered"):
        register_agent("verify_then_trust", other)
    with pytest.raises(ValueError, match="built-in strategy"):
        register_compliance("grim", lambda agent: COMPLY)
    with pytest.raises(ValueError, match="lower-case"):
        register_compliance("Verify Then Trust", lambda agent: COMPLY)
    with pytest.raises(TypeError, match="needs a subclass of armsim.abm.StateAgent"):
        register_agent("plain", object)
    with pytest.raises(ValueError, match="did you mean 'verify_then_trust'"):
        agent_class("verify_than_trust")


def test_scenario_files_still_refuse_registered_names(names):
    """The YAML loader validates against the built-in names only: registering a strategy
    never lets a file name it (a file cannot make Python run code)."""
    register_compliance("verify_then_trust", VerifyThenTrust)
    for line in ("compliance: tit_for_tat", "strategy: hardliner"):
        kind = line.split(":")[0]
        text = COMPLIANCE_GAME.replace(line, f"{kind}: verify_then_trust", 1)
        loaded, problems = validate_text(text)
        assert loaded is None
        assert any("verify_then_trust" in str(p) and p.severity == "error" for p in problems)


def test_a_wrong_decision_is_an_error_for_people():
    cls = type("Unsure", (StateAgent,), {"comply_or_defect": lambda self: True})
    model = ArmsControlModel(scenario(COMPLIANCE_GAME), agent_classes={"alpha": cls})
    with pytest.raises(ValueError, match="Unsure for 'alpha' in round 1 returned True; a "
                                         "compliance decision is 'comply' or 'defect'"):
        model.run_model()


class Offers25(StateAgent):
    """Proposes a moratorium level of 0.25 instead of its strategy's ideal, 0."""

    def propose(self) -> dict[str, float]:
        return {"moratorium": 0.25}


class AcceptsAll(StateAgent):
    def respond(self, offer: dict[str, float]) -> bool:
        return True


def test_a_custom_proposal_meets_the_builtin_responder():
    """Beta is a hardliner with ideal 0: 0.25 gives it utility 0.75 < 1, so it rejects,
    every round of the one-round session: no agreement."""
    model = ArmsControlModel(scenario(COMPLIANCE_GAME), agent_classes={"alpha": Offers25})
    model.run_model()
    assert model.actor("alpha").strategy_offer == {"moratorium": 0.0}
    assert model.history[0]["talks"].offer[0, 0] == 0.25
    assert model.outputs()["agreement"] == np.False_


def test_a_custom_responder_accepts_within_its_red_lines_only():
    """With Beta accepting anything, 0.25 is agreed in round 0; if Beta's red line caps
    the moratorium at 0.2, the same answer cannot agree to 0.25 (MODEL.md: a responder
    rejects any offer that crosses its red lines)."""
    kinds = {"alpha": Offers25, "beta": AcceptsAll}
    model = ArmsControlModel(scenario(COMPLIANCE_GAME), agent_classes=kinds)
    model.run_model()
    out = model.outputs()
    assert (out["agreement"], out["agreement_round"], out["agreed.moratorium"]) == (True, 0, 0.25)
    assert model.actor("beta").strategy_response == {"moratorium": False}
    capped = COMPLIANCE_GAME.replace(
        "    preferences: {moratorium: {ideal: 0, weight: 1}}\n    strategy: hardliner\n"
        "    compliance: alternate",
        "    preferences: {moratorium: {ideal: 0, weight: 1, red_line: {max: 0.2}}}\n"
        "    strategy: hardliner\n    compliance: alternate")
    assert capped != COMPLIANCE_GAME
    model = ArmsControlModel(scenario(capped), agent_classes=kinds)
    model.run_model()
    assert model.outputs()["agreement"] == np.False_
    assert model.history[0]["talks"].reasons[0, 1, 0] == 1           # a red line


def test_a_proposal_outside_the_range_is_an_error_for_people():
    cls = type("Far", (StateAgent,), {"propose": lambda self: {"moratorium": 2.0}})
    model = ArmsControlModel(scenario(COMPLIANCE_GAME), agent_classes={"alpha": cls})
    with pytest.raises(ValueError, match=r"offered 2.0 on 'moratorium'.*range \[0, 1\]"):
        model.step()
    cls = type("Lost", (StateAgent,), {"propose": lambda self: {"nato": 0.0}})
    model = ArmsControlModel(scenario(COMPLIANCE_GAME), agent_classes={"alpha": cls})
    with pytest.raises(ValueError, match="'nato', which is not an open issue.*moratorium"):
        model.step()


def test_custom_agents_through_the_api_and_its_record(names):
    register_compliance("verify_then_trust", VerifyThenTrust)
    path = ROOT / "scenarios" / "classics" / "compliance_game.yaml"
    results = armsim.run(path, runs=2, engine="mesa",
                         agent_classes={"alpha": "verify_then_trust"})
    assert results.meta["agents"] == {"alpha": "verify_then_trust", "beta": "StateAgent"}
    assert results.outputs["compliance_rate.alpha"].tolist() == pytest.approx([0.3, 0.3])
    with pytest.raises(ValueError, match="Mesa engine only"):
        armsim.run(path, runs=2, agent_classes={"alpha": "verify_then_trust"})


def test_the_example_runs_and_prints_its_comparison():
    done = subprocess.run([sys.executable, str(ROOT / "examples" / "custom_strategy.py"),
                           "--runs", "4"], capture_output=True, text=True, timeout=120,
                          check=False, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "russia: deterred" in done.stdout and "russia: verify_then_trust" in done.stdout
    assert "collapsed rate" in done.stdout
