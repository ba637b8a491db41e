"""Common random numbers: run r of every point of a sweep is run r of
``armsim.run(scenario, seed=S, overrides=<the point's values>)``, bit for bit.

The grid crosses a number drawn per run, a strategy (which changes the structure,
so its points are batched apart) and the noise at 0 and above 0 (0 normally skips
the force shocks; in a batch with noisy rows they are drawn and scaled by 0).
"""

from __future__ import annotations

import numpy as np
import pytest
from experiments_helpers import (GRID, GRID_RUNS, GRID_SEED, SCENARIO, assert_same_outputs,
                                 point_overrides)

import armsim
from armsim.experiments import factor, make_design, sweep
from armsim.experiments.plan import make_plan
from armsim.scenario import load_scenario

PATHS = list(GRID)


def test_the_grid_is_the_design_in_order(grid_sweep):
    assert grid_sweep.sizes == {"point": 12, "run": GRID_RUNS}
    table = [(r, s, noise) for r in GRID[PATHS[0]] for s in GRID[PATHS[1]]
             for noise in GRID[PATHS[2]]]
    assert [tuple(point_overrides(grid_sweep, p, PATHS).values()) for p in range(12)] == table


def test_the_factors_change_the_outcomes(grid_sweep):
    """Guard against a vacuous comparison: noise, strategy and reservation all act."""
    forces = grid_sweep["final_force.russia.intermediate_missiles"].values
    utility = grid_sweep["utility.russia"].values
    crisis = grid_sweep["crisis"].values
    # points 2k and 2k+1 differ only in the noise (0, then 0.5)
    for k in range(6):
        assert not np.array_equal(forces[2 * k], forces[2 * k + 1])
    # points 0, 2, 4 differ only in Russia's strategy
    assert len({utility[p].tobytes() for p in (0, 2, 4)}) == 3
    # points 0 and 6 differ only in Russia's reservation
    assert not np.array_equal(utility[0], utility[6], equal_nan=True)
    assert 0 < crisis.mean() < 1


def test_the_plan_batches_a_strategy_apart_and_per_run_numbers_together():
    base = load_scenario(SCENARIO).model_copy(update={"seed": GRID_SEED})
    design = make_design([factor(path, values) for path, values in GRID.items()])
    plan = make_plan(base, design, GRID_RUNS)
    assert len(plan.groups) == 3
    for s, group in enumerate(plan.groups):
        # the points with strategy s: p = 6 r + 2 s + noise
        assert group.points.tolist() == [2 * s, 2 * s + 1, 6 + 2 * s, 7 + 2 * s]
        assert set(group.per_run) == {"actors.russia.reservation", "environment.noise"}
        assert group.spec.noisy_forces      # noise 0.5 in some rows: shocks drawn for all
    # a new worker warms the memory of its largest group's chunk: the article's scenario
    # has 4 actors, 5 issues and 10 forces held, 8 x (60 + 400 + 128 + 100) = 5,504 bytes
    # a run (the batch's rule, armsim.core.spec.Spec.working_bytes)
    assert plan.working_bytes(1_000) == 5_504_000


@pytest.mark.parametrize("p", range(12))
def test_every_point_is_armsim_run_with_its_values(grid_sweep, p):
    alone = armsim.run(SCENARIO, runs=GRID_RUNS, seed=GRID_SEED,
                       overrides=point_overrides(grid_sweep, p, PATHS))
    assert_same_outputs(alone.outputs, grid_sweep, p)


def test_a_sampled_design_of_per_run_numbers_is_armsim_run_too():
    """LHS values are arbitrary floats (not levels), in one batch across points."""
    params = {"environment.verification": "0.2..0.9",
              "actors.united_states.patience": {"dist": "uniform", "low": 0.8, "high": 1.0},
              "actors.russia.strategy.type": ["boulware", "tit_for_tat"]}
    data = sweep(SCENARIO, params, design="lhs", n=4, runs=10, seed=8, workers=1, chunk=9)
    values = data["environment.verification"].values
    assert len(set(values)) == 4 and ((0.2 <= values) & (values <= 0.9)).all()
    for p in range(4):
        alone = armsim.run(SCENARIO, runs=10, seed=8,
                           overrides=point_overrides(data, p, list(params)))
        assert_same_outputs(alone.outputs, data, p)


def test_run_r_does_not_depend_on_how_many_runs(grid_sweep):
    fewer = sweep(SCENARIO, GRID, runs=5, seed=GRID_SEED, workers=1)
    first = grid_sweep.isel(run=slice(0, 5))
    for name in fewer.data_vars:
        np.testing.assert_array_equal(fewer[name].values, first[name].values)


def test_the_seed_defaults_to_the_scenario_and_overrides_apply_first():
    scenario = load_scenario(SCENARIO)
    data = sweep(SCENARIO, {"environment.noise": [0.0, 0.5]}, runs=6, workers=1,
                 overrides={"environment.crisis.hazard": 0.2})
    assert data.attrs["seed"] == scenario.seed
    for p in range(2):
        alone = armsim.run(SCENARIO, runs=6, overrides={
            "environment.crisis.hazard": 0.2, **point_overrides(data, p, ["environment.noise"])})
        assert_same_outputs(alone.outputs, data, p)


def test_a_null_level_runs_as_armsim_run_with_null():
    """environment.tolerance over [1, null]: null (never collapse) is a level like any
    other, its coordinate the text a --set takes back."""
    data = sweep(SCENARIO, {"environment.tolerance": "1,null"}, runs=40, seed=3, workers=1)
    assert data["environment.tolerance"].values.tolist() == ["1", "null"]
    assert data["collapsed"].values[0].any()            # tolerance 1 does collapse ...
    assert not data["collapsed"].values[1].any()        # ... and null never does
    for p, tolerance in enumerate((1, None)):
        alone = armsim.run(SCENARIO, runs=40, seed=3,
                           overrides={"environment.tolerance": tolerance})
        assert_same_outputs(alone.outputs, data, p)


def test_a_null_level_where_a_number_is_needed_names_the_path():
    from armsim.experiments import SweepError

    with pytest.raises(SweepError, match=r"--param actors.russia.patience=null is not a valid"):
        sweep(SCENARIO, {"actors.russia.patience": "0.5,~"}, runs=2, workers=1)


def test_the_seed_cannot_be_a_factor():
    from armsim.experiments import FactorError

    with pytest.raises(FactorError, match="--param seed: the seed is the sweep's own"):
        sweep(SCENARIO, {"seed": [1, 2]}, runs=2, workers=1)


def test_a_type_path_that_cannot_apply_says_to_vary_the_whole_strategy():
    """The United States' strategy is {type: tit_for_tat, reciprocity, opening}: a
    boulware takes neither, so the message says to vary actors.united_states.strategy."""
    from armsim.experiments import SweepError

    with pytest.raises(SweepError) as raised:
        sweep(SCENARIO, {"actors.united_states.strategy.type": ["boulware"]}, runs=2, workers=1)
    assert "unknown key 'reciprocity'" in str(raised.value)
    assert "vary actors.united_states.strategy itself" in str(raised.value)
    fixed = sweep(SCENARIO, {"actors.united_states.strategy": ["boulware"]}, runs=2, workers=1)
    assert fixed["actors.united_states.strategy"].values.tolist() == ["boulware"]
