"""Red lines and ideals as sweep and Sobol' factors (issue 11): a per-run value at a
red line's dotted path reaches the talks run by run, with no batch of its own."""

from __future__ import annotations

import numpy as np

from armsim.compile import drawn_paths
from armsim.experiments import sweep
from armsim.experiments.sensitivity import sensitivity
from armsim.scenario import validate_text

# the hardliner hawk asks for 0.4, its own red line (max 0.4); the linear dove concedes
# to it within its red line min: they agree iff the dove's min is at most 0.4
PAIR = """\
armsim: 1
name: a hawk and a dove
issues:
  limit: {range: [0, 1]}
actors:
  hawk:
    preferences:
      limit: {ideal: 0.4, red_line: {max: 0.4}}
    strategy: hardliner
  dove:
    preferences:
      limit: {ideal: 1, red_line: {min: 0.1}}
    strategy: linear
sessions:
  - {venue: Geneva, participants: [dove, hawk], agenda: [limit], rounds: 11}
"""
MIN = "actors.dove.preferences.limit.red_line.min"
WEIGHT = "actors.hawk.preferences.limit.weight"


def scenario():
    loaded, problems = validate_text(PAIR)
    assert loaded is not None, problems
    return loaded


def test_red_lines_and_ideals_are_per_run_paths():
    paths = drawn_paths(scenario())
    assert {MIN, "actors.dove.preferences.limit.red_line.max",
            "actors.hawk.preferences.limit.ideal"} <= paths


def test_a_sweep_over_a_red_line_agrees_exactly_where_the_zone_is_not_empty():
    data = sweep(scenario(), {MIN: "0..1:6"}, runs=3, workers=1)
    values = data[MIN].values                         # 0, 0.2, ..., 1 (point axis)
    np.testing.assert_allclose(values, np.linspace(0, 1, 6))
    rate = data["agreement"].values.mean(axis=1)
    np.testing.assert_array_equal(rate, (values <= 0.4 + 1e-9).astype(float))


def test_sobol_indices_over_a_red_line_and_a_weight_without_effect():
    # agreement depends on the dove's min alone: points that differ only in the hawk's
    # weight give the same agreement, so the weight's total index is exactly 0
    result = sensitivity(scenario(), {MIN: "0..1", WEIGHT: "0.5..1"}, output="agreement",
                         n=8, runs=2, seed=3, workers=1)
    blocks = result.y.reshape(8, 4)       # A, AB_min, AB_weight, B (AB_i: A with B's i)
    np.testing.assert_array_equal(blocks[:, 2], blocks[:, 0])
    np.testing.assert_array_equal(result.y, (result.dataset[MIN].values <= 0.4 + 1e-9)
                                  .astype(float))
    assert result.indices["ST"].iloc[1] == 0 and result.indices["ST"].iloc[0] > 0.5


def test_a_red_line_factor_is_per_run_one_group_for_every_point():
    from armsim.experiments import factor, make_design
    from armsim.experiments.plan import make_plan

    design = make_design([factor(MIN, "0..1"), factor(WEIGHT, "0.5..1")], "lhs", n=16, seed=2)
    plan = make_plan(scenario(), design, runs=4)
    assert len(plan.groups) == 1


def test_per_run_and_structural_red_lines_give_the_same_runs():
    # the sweep's per-run value at a point runs as the same constant in the file would
    from armsim.batch import run_chunk

    data = sweep(scenario(), {MIN: [0.25, 0.55]}, runs=5, workers=1)
    for point, value in enumerate((0.25, 0.55)):
        alone = run_chunk(validate_text(PAIR.replace("min: 0.1", f"min: {value}"))[0],
                          np.arange(5))
        np.testing.assert_array_equal(data["agreed.limit"].values[point], alone["agreed.limit"])
        np.testing.assert_array_equal(data["agreement"].values[point], alone["agreement"])
