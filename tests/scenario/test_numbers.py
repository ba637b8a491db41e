"""Numbers as people write them: ``1e5`` and ``6e-1`` are numbers (YAML 1.2), in a file
and in a ``--set`` value, read by the same reader with the same refusals."""

from __future__ import annotations

import pytest
from scenario_helpers import BASE, check, write

from armsim.scenario import ScenarioError, load_scenario
from armsim.scenario.overrides import parse_assignment
from armsim.scenario.yamlsource import parse

FORMS = [("1e5", 10.0 ** 5), ("6e-1", 6 / 10), ("-2.5E+3", -2.5 * 1000), (".5e1", 5.0),
         ("1_0e1", 100.0)]


@pytest.mark.parametrize(("text", "number"), FORMS)
def test_exponent_forms_without_a_dot_are_numbers(text, number):
    source, problems = parse(f"a: {text}", "f.yaml")
    assert problems == [] and source.data["a"] == pytest.approx(number)
    assert isinstance(source.data["a"], float)


@pytest.mark.parametrize("text", ["e5", "1e", "12e3x", "1e5.0", "'1e5'"])
def test_what_is_not_a_number_stays_text(text):
    source, problems = parse(f"a: {text}", "f.yaml")
    assert problems == [] and isinstance(source.data["a"], str)


def test_whole_numbers_stay_whole():
    source, _ = parse("a: 123\nb: 1_000", "f.yaml")
    assert source.data == {"a": 123, "b": 1000}


def test_a_scenario_may_write_its_numbers_with_exponents():
    text = BASE.replace("max: 400}", "max: 4e2}").replace("patience: 0.98", "patience: 98e-2")
    scenario, problems = check(text)
    assert problems == [], problems
    assert scenario.forces["missiles"].max == 400
    assert scenario.actors["usa"].patience == pytest.approx(0.98)


def test_an_exponent_too_large_for_a_float_is_refused_as_not_finite():
    scenario, problems = check(BASE.replace("patience: 0.98", "patience: 1e400"))
    assert scenario is None
    assert [p.message for p in problems] == ["expected a finite number, got inf"]


@pytest.mark.parametrize(("text", "number"), FORMS)
def test_set_reads_numbers_as_the_file_does(base_file, text, number):
    assert parse_assignment(f"environment.noise={text}") == ("environment.noise",
                                                            pytest.approx(number))
    grievance = "actors.russia.forces.missiles.grievance"  # any sign is allowed
    scenario = load_scenario(base_file, [f"{grievance}={text}"])
    assert scenario.actors["russia"].forces["missiles"].grievance == pytest.approx(number)


@pytest.mark.parametrize(("value", "why"), [
    ('!!python/object/apply:os.system ["true"]', "the tag '!!python/object/apply:os.system' "
                                                 "is not allowed"),
    ("{a: 1, a: 2}", "duplicate key 'a'"),
    ("{dist: uniform", "invalid YAML: expected ',' or '}'"),
    ("# a comment", "it holds no value"),
])
def test_set_refuses_what_a_file_refuses_in_one_line(base_file, value, why):
    with pytest.raises(ValueError) as info:
        parse_assignment(f"actors.usa.trust={value}")
    message = str(info.value)
    assert message.startswith(f"the value of 'actors.usa.trust', {value!r}, cannot be read: ")
    assert why in message and "\n" not in message
    with pytest.raises(ScenarioError):
        load_scenario(base_file, [f"actors.usa.trust={value}"])


def test_a_file_with_an_exponent_runs(tmp_path):
    import armsim

    path = write(tmp_path, BASE.replace("runs: 10", "runs: 1e1"))
    assert len(armsim.run(path)) == 10
