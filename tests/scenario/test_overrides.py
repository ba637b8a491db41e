"""Dotted overrides, from Python (``overrides={...}``) and as PATH=VALUE strings (``--set``)."""

from __future__ import annotations

import pytest
from scenario_helpers import BASE, write

from armsim.scenario import Scenario, ScenarioError, load_scenario, validate_file
from armsim.scenario.distributions import Uniform


def load(path, overrides):
    return load_scenario(path, overrides=overrides)


@pytest.mark.parametrize("form", ["mapping", "strings"])
def test_valid_overrides_change_the_value(base_file, form):
    wanted = {"actors.usa.patience": 0.95, "sessions.0.rounds": 10,
              "environment.verification": 0.9}
    overrides = wanted if form == "mapping" else [f"{k}={v}" for k, v in wanted.items()]
    assert "environment" not in BASE  # the block is created by the override
    scenario = load(base_file, overrides)
    assert scenario.actors["usa"].patience == 0.95
    assert scenario.sessions[0].rounds == 10
    assert scenario.rounds == 10 + 3  # talks, then aftermath 3
    assert scenario.environment.verification == 0.9
    assert scenario.environment.payoffs.T == 5.0  # the rest of the block keeps its defaults


def test_overrides_leave_the_file_and_other_values_alone(base_file):
    load(base_file, {"actors.usa.patience": 0.95})
    again = load_scenario(base_file)
    assert again.actors["usa"].patience == 0.98
    assert again.actors["russia"].patience == 0.95


def test_an_override_may_be_a_distribution(base_file):
    text = "actors.usa.patience={dist: uniform, low: 0.9, high: 0.99}"
    scenario = load(base_file, [text])
    assert isinstance(scenario.actors["usa"].patience, Uniform)
    assert scenario.actors["usa"].patience.mean() == pytest.approx((0.9 + 0.99) / 2)


def test_an_override_may_mend_a_bad_value_in_the_file(tmp_path):
    path = write(tmp_path, BASE.replace("patience: 0.98", "patience: 1.5"))
    assert validate_file(path)[0] is None
    assert load(path, {"actors.usa.patience": 0.9}).actors["usa"].patience == 0.9


def test_later_overrides_see_earlier_ones(base_file):
    scenario = load(base_file, ["environment.payoffs={R: 4}", "environment.payoffs.T=6"])
    assert (scenario.environment.payoffs.R, scenario.environment.payoffs.T) == (4, 6)


def override_errors(base_file, overrides):
    scenario, problems = validate_file(base_file, overrides)
    assert scenario is None
    return [(p.file, p.line, p.message) for p in problems]


@pytest.mark.parametrize("overrides", [{"actors.rusia.patience": 0.5},
                                       ["actors.rusia.patience=0.5"]])
def test_a_bad_path_is_named_with_a_suggestion(base_file, overrides):
    assert override_errors(base_file, overrides) == [
        ("--set actors.rusia.patience", None, "unknown key 'rusia'; did you mean 'russia'?")]


@pytest.mark.parametrize("dotted, message", [
    ("environment.verificaton", "unknown key 'verificaton'; did you mean 'verification'?"),
    ("actors.china.patience", "unknown key 'china'"),  # an override never invents an actor
    ("sessions.3.rounds", "no item 3 here: the list has 1 (numbered from 0)"),
    ("sessions.first.rounds", "no item first here: the list has 1 (numbered from 0)"),
    ("name.first", "'name' is a value, not a mapping or list"),
    ("environment..verification", "'environment..verification' has an empty name between dots "
     "(or at an end); write the path as names joined by single dots, e.g. "
     "environment.verification"),
    ("environment.", "'environment.' has an empty name between dots (or at an end); write the "
     "path as names joined by single dots, e.g. environment.verification"),
])
def test_bad_paths(base_file, dotted, message):
    assert override_errors(base_file, {dotted: 1}) == [(f"--set {dotted}", None, message)]


@pytest.mark.parametrize("value, message", [
    ("high", "expected a number, got str 'high'"),
    ("1.5", "1.5 is outside (0, 1]"),
    ("[0.5]", "expected a number, got a list"),
    ("{dist: normal, mean: 0.9, sd: 0.1}", "the distribution's support [-inf, inf] leaves "
                                          "(0, 1]; give it low/high bounds inside that interval"),
])
def test_a_bad_value_is_checked_as_if_it_were_in_the_file(base_file, tmp_path, value, message):
    assert override_errors(base_file, [f"actors.usa.patience={value}"]) == [
        ("--set actors.usa.patience", None, message)]
    # the same value written in the file gives the same message, located in the file
    path = write(tmp_path, BASE.replace("patience: 0.98", f"patience: {value}"), "same.yaml")
    scenario, problems = validate_file(path)
    # `    patience: ` is 14 characters; usa's patience is line 33 of BASE
    assert BASE.splitlines()[32] == "    patience: 0.98"
    assert [(p.line, p.column, p.message) for p in problems] == [(33, 15, message)]


def test_a_strategy_given_by_name_takes_overrides_of_its_keys(base_file):
    """``strategy: linear`` is shorthand for ``{type: linear}``: ``strategy.type`` and the
    strategy's parameters can be set as if the file had written the mapping, from the
    file (--set) and from a loaded scenario (a sweep's route) alike."""
    assert BASE.count("strategy: linear") == 1                      # russia's, by name
    wanted = {"actors.russia.strategy.type": "time_dependent",
              "actors.russia.strategy.exponent": 0.4}
    from_file = load(base_file, wanted)
    from_loaded = load_scenario(load_scenario(base_file), overrides=wanted)
    for scenario in (from_file, from_loaded):
        strategy = scenario.actors["russia"].strategy
        assert (strategy.type, strategy.exponent) == ("time_dependent", 0.4)
    assert from_file == from_loaded
    compliance = load(base_file, ["actors.russia.compliance.type=random",
                                  "actors.russia.compliance.p=0.3"]).actors["russia"].compliance
    assert (compliance.type, compliance.p) == ("random", 0.3)


def test_an_override_naming_an_unknown_actor_is_a_reference_error(base_file):
    assert override_errors(base_file, ["sessions.0.participants.1=rusia"]) == [
        ("--set sessions.0.participants.1", None,
         "unknown actor 'rusia'; did you mean 'russia'?")]


@pytest.mark.parametrize("text, message", [
    ("noequals", "'noequals' is not PATH=VALUE, e.g. environment.verification=0.9"),
    ("=3", "'=3' has no path before '='"),
    ("runs=", "'runs=' has no value after '='"),
])
def test_malformed_assignments(base_file, text, message):
    assert override_errors(base_file, [text]) == [("--set", None, message)]


def test_load_scenario_raises_with_the_override_named(base_file):
    with pytest.raises(ScenarioError) as info:
        load(base_file, {"actors.rusia.patience": 0.5})
    assert str(info.value) == (
        "1 error in scenario:\n--set actors.rusia.patience: unknown key "
        "'rusia'; did you mean 'russia'?")


def test_overrides_apply_to_a_loaded_scenario_too(base_file):
    scenario = load_scenario(base_file)
    changed = load_scenario(scenario, overrides={"environment.verification": 0.5,
                                                 "actors.russia.trust": 0.6})
    assert isinstance(changed, Scenario)
    assert changed.environment.verification == 0.5
    assert changed.actors["russia"].trust == {"*": 0.6}
    assert changed.actors["usa"].trust == {"russia": 0.2}  # untouched, after a round trip
    assert scenario.environment.verification == 1.0  # the original is unchanged
    assert load_scenario(scenario) is scenario
    with pytest.raises(ScenarioError, match="did you mean 'russia'"):
        load_scenario(scenario, overrides={"actors.rusia.patience": 0.5})
