"""Sobol' indices: a parameter without effect gets exactly 0, an effective one does not,
and the estimator recovers the analytic indices of a linear model.

Ukraine's patience has no effect on whether a crisis happens in this scenario: the
engine reads patience only to discount realised utilities (core/state.py,
realised_utility), in a Rubinstein bargainer's share (core/talks.py) and in a deterred
actor's stake in its agreements (strategies/compliance/deterred.py), and Ukraine
plays none of these (it concedes linearly and plays tit for tat; Russia's patience, which
its deterred compliance reads, would not do). With common random numbers the points that
differ only in patience then give the same crisis rate exactly.
"""

from __future__ import annotations

import numpy as np
import pytest
from experiments_helpers import SCENARIO

from armsim.experiments import SweepError, factor, make_design
from armsim.experiments.sensitivity import analyse, sensitivity

NONE, HAZARD = "actors.ukraine.patience", "environment.crisis.hazard"
N, RUNS, SEED = 16, 60, 1


@pytest.fixture(scope="module")
def result():
    return sensitivity(SCENARIO, {NONE: "0.5..0.99", HAZARD: "0..0.05"}, output="crisis",
                       n=N, runs=RUNS, seed=SEED, workers=1)


def test_the_output_is_the_crisis_rate_at_each_point(result):
    data = result.dataset
    assert data.sizes == {"point": N * 4, "run": RUNS} and data.attrs["design"] == "sobol"
    np.testing.assert_array_equal(result.y, data["crisis"].values.sum(axis=1) / RUNS)


def test_points_differing_only_in_patience_have_the_same_crisis_rate(result):
    """Saltelli's blocks (A, AB_patience, AB_hazard, B): AB_patience differs from A,
    and AB_hazard from B, only in patience."""
    blocks = result.y.reshape(N, 4)
    np.testing.assert_array_equal(blocks[:, 1], blocks[:, 0])
    np.testing.assert_array_equal(blocks[:, 2], blocks[:, 3])
    # and the hazard does change it (the test above is not vacuous)
    assert not np.array_equal(blocks[:, 2], blocks[:, 0])


def test_a_parameter_without_effect_has_indices_of_exactly_zero(result):
    row = result.indices.loc[NONE]
    assert (row["S1"], row["ST"]) == (0.0, 0.0)
    assert row["ST"] - row["ST_conf"] <= 0.0 <= row["ST"] + row["ST_conf"]
    assert row["S1"] - row["S1_conf"] <= 0.0 <= row["S1"] + row["S1_conf"]


def test_an_effective_parameter_has_a_total_index_above_zero(result):
    row = result.indices.loc[HAZARD]
    assert row["ST"] - row["ST_conf"] > 0.0


def test_the_table_gives_interval_bounds(result):
    table = result.to_dataframe()
    assert list(table.index) == [NONE, HAZARD]
    for name in ("S1", "ST"):
        np.testing.assert_array_equal(table[f"{name}_low"], table[name] - table[f"{name}_conf"])
        np.testing.assert_array_equal(table[f"{name}_high"], table[name] + table[f"{name}_conf"])
    assert str(result).startswith(f"Sobol' indices of crisis ({N * 4} points, 95% intervals")


def test_a_linear_model_gives_its_analytic_indices():
    """y = 2 x1 + x2, x uniform on the unit square: Var = 4/12 + 1/12, so
    S1 = ST = (4/5, 1/5), each within its 95% interval."""
    design = make_design([factor("x1", "0..1"), factor("x2", "0..1")], "sobol", n=1024, seed=0)
    x1, x2 = np.array(design.columns["x1"]), np.array(design.columns["x2"])
    table = analyse(["x1", "x2"], 2 * x1 + x2, seed=0)
    for name, share in (("x1", 0.8), ("x2", 0.2)):
        for index in ("S1", "ST"):
            value, conf = table.loc[name, index], table.loc[name, f"{index}_conf"]
            assert abs(value - share) <= conf, (name, index, value, conf)
            assert conf < 0.1


def test_a_parameter_without_effect_alone_leaves_no_variance():
    with pytest.raises(SweepError, match="crisis is .* at every point of the design") as info:
        sensitivity(SCENARIO, {NONE: "0.5..0.99"}, output="crisis", n=4, runs=20, seed=SEED,
                    workers=1)
    hint = str(info.value).split("--output")[1]
    assert "crisis" not in hint and "agreement" in hint       # not the output it refused


def test_an_output_undefined_at_some_point_is_refused():
    """No common level on NATO's enlargement: it is never agreed, its level is NaN."""
    with pytest.raises(SweepError, match="agreed.nato_expansion is undefined"):
        sensitivity(SCENARIO, {HAZARD: "0..0.05"}, output="agreed.nato_expansion", n=2,
                    runs=3, workers=1)


def test_sensitivity_needs_a_parameter():
    with pytest.raises(SweepError, match="at least one parameter"):
        sensitivity(SCENARIO, {}, output="crisis")


def test_one_base_sample_is_refused_before_any_run():
    """n = 1: the bootstrap resamples one sample to itself, so every interval would be a
    false +-0 (the command line's --n already starts at 2)."""
    from armsim.experiments import DesignError

    with pytest.raises(DesignError, match="n of at least 2"):
        sensitivity(SCENARIO, {"environment.verification": "0.3..0.9",
                               "environment.crisis.hazard": "0.01..0.05"},
                    output="crisis", n=1, runs=2, workers=1)
