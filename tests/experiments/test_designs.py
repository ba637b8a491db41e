"""Designs: which points a sweep visits (grid, Latin hypercube, Saltelli's Sobol' sample).

Grids are checked against tables written out by hand; LHS and Sobol' samples
against the defining property of each (one point per stratum of every factor) and
Saltelli's layout as SALib's own analyser reads it.
"""

from __future__ import annotations

import math
import statistics

import numpy as np
import pytest
from scipy.stats import truncnorm

from experiments_helpers import SCENARIO

from armsim.experiments import DesignError, factor, make_design, sweep


def _strata(u: np.ndarray) -> np.ndarray:
    """The bin k of [k/n, (k+1)/n) of each of n unit coordinates, sorted."""
    n = len(u)
    assert ((u >= 0) & (u < 1)).all()
    return np.sort(np.floor(u * n).astype(int))


# ---------------------------------------------------------------------------- grid

def test_grid_is_the_cartesian_product_first_factor_slowest():
    design = make_design([factor("a", [1, 2, 3]), factor("b", ["x", "y"]),
                          factor("c", [0.5, 0.9])], "grid")
    table = [(1, "x", 0.5), (1, "x", 0.9), (1, "y", 0.5), (1, "y", 0.9),
             (2, "x", 0.5), (2, "x", 0.9), (2, "y", 0.5), (2, "y", 0.9),
             (3, "x", 0.5), (3, "x", 0.9), (3, "y", 0.5), (3, "y", 0.9)]
    assert design.size == 12
    assert [tuple(design.point(p).values()) for p in range(design.size)] == table
    assert design.paths == ["a", "b", "c"]
    assert design.unit is None


def test_a_range_gives_evenly_spaced_levels():
    design = make_design([factor("v", "0.2..0.9:4")], "grid")
    # 0.2 + k * (0.9 - 0.2) / 3
    assert design.columns["v"] == pytest.approx([0.2, 0.4333333333333333,
                                                 0.6666666666666667, 0.9], rel=1e-15)


def test_a_range_without_steps_takes_n_levels_or_five():
    assert make_design([factor("v", "0..1")], "grid", n=3).columns["v"] == [0.0, 0.5, 1.0]
    assert make_design([factor("v", "0..1")], "grid").columns["v"] == \
        pytest.approx([0.0, 0.25, 0.5, 0.75, 1.0])
    # a range's own steps win over n
    assert len(make_design([factor("v", "0..1:2")], "grid", n=7).columns["v"]) == 2


def test_a_uniform_distribution_gives_the_mid_quantiles():
    design = make_design([factor("v", {"dist": "uniform", "low": 0, "high": 1})], "grid", n=4)
    assert design.columns["v"] == pytest.approx([0.125, 0.375, 0.625, 0.875], rel=1e-12)


def test_a_normal_distribution_gives_its_quantiles_at_k_plus_half_over_m():
    m = 5
    design = make_design([factor("v", {"dist": "normal", "mean": 10, "sd": 2})], "grid", n=m)
    normal = statistics.NormalDist(10, 2)
    assert design.columns["v"] == pytest.approx([normal.inv_cdf((k + 0.5) / m)
                                                 for k in range(m)], rel=1e-9)


def test_a_truncated_normal_gives_the_truncated_quantiles():
    spec = {"dist": "normal", "mean": 0.9, "sd": 0.02, "low": 0.8, "high": 1, "steps": 3}
    levels = make_design([factor("v", spec)], "grid").columns["v"]
    # here the truncation is 5 sd away: the quantiles are the normal's to many digits
    expected = truncnorm((0.8 - 0.9) / 0.02, (1 - 0.9) / 0.02, loc=0.9, scale=0.02).ppf(
        [1 / 6, 3 / 6, 5 / 6])
    assert levels == pytest.approx(expected, rel=1e-9)
    assert levels[1] == pytest.approx(0.9, abs=1e-12)


def test_a_grid_without_factors_is_one_point():
    design = make_design([], "grid")
    assert design.size == 1 and design.point(0) == {}


# ----------------------------------------------------------------------------- LHS

@pytest.mark.parametrize("n", [1, 7, 50])
def test_lhs_puts_one_point_in_each_of_n_bins_of_every_factor(n):
    factors = [factor("a", "0.2..0.9"), factor("b", "-3..5"), factor("c", "0..1")]
    design = make_design(factors, "lhs", n=n, seed=11)
    assert design.unit.shape == (n, 3) and design.size == n
    for d in range(3):
        assert _strata(design.unit[:, d]).tolist() == list(range(n))


def test_lhs_maps_unit_coordinates_linearly_into_the_range():
    design = make_design([factor("a", "0.2..0.9"), factor("b", "-3..5")], "lhs", n=20, seed=3)
    a, b = np.array(design.columns["a"]), np.array(design.columns["b"])
    assert ((a >= 0.2) & (a <= 0.9)).all() and ((b >= -3) & (b <= 5)).all()
    np.testing.assert_allclose(a, 0.2 + 0.7 * design.unit[:, 0], rtol=1e-15)
    np.testing.assert_allclose(b, -3 + 8 * design.unit[:, 1], rtol=1e-15)


def test_lhs_spreads_levels_equally():
    """n points over L levels, L dividing n: each level n / L times (one bin each)."""
    design = make_design([factor("s", ["boulware", "linear", "grit"]), factor("x", "0..1")],
                         "lhs", n=12, seed=5)
    column = design.columns["s"]
    assert {v: column.count(v) for v in set(column)} == {"boulware": 4, "linear": 4, "grit": 4}
    # level k is the bin [k/3, (k+1)/3) of the unit coordinate
    levels = ["boulware", "linear", "grit"]
    assert column == [levels[int(u * 3)] for u in design.unit[:, 0]]


def test_lhs_default_size_is_64():
    assert make_design([factor("x", "0..1")], "lhs").size == 64


# ------------------------------------------------------------------------- Sobol'

def test_sobol_has_n_times_d_plus_2_rows_in_saltelli_blocks():
    n, dims = 8, 3
    factors = [factor("a", "0..1"), factor("b", "10..20"), factor("c", "-1..1")]
    design = make_design(factors, "sobol", n=n, seed=4)
    unit = design.unit
    assert unit.shape == (n * (dims + 2), dims) and design.size == n * (dims + 2)
    blocks = unit.reshape(n, dims + 2, dims)
    a, b = blocks[:, 0, :], blocks[:, -1, :]
    for i in range(dims):
        expected = a.copy()
        expected[:, i] = b[:, i]
        np.testing.assert_array_equal(blocks[:, i + 1, :], expected)
    # A and B are independent halves: no coordinate of B repeats A's
    assert not np.isin(b, a).any()


def test_sobol_layout_is_the_one_salib_analyser_reads():
    """SALib's analyser splits outputs into A, B and AB_i by row; fed a column of the
    design it must find A's column, B's column, and AB_i equal to B's for i = that
    column and A's otherwise."""
    from SALib.analyze.sobol import separate_output_values

    n, dims = 16, 2
    design = make_design([factor("a", "0..1"), factor("b", "0..1")], "sobol", n=n, seed=9)
    for j in range(dims):
        a, b, ab, ba = separate_output_values(design.unit[:, j], dims, n, False)
        assert ba is None
        for i in range(dims):
            np.testing.assert_array_equal(ab[:, i], b if i == j else a)
        np.testing.assert_array_equal(design.unit[::dims + 2, j], a)


def test_sobol_base_samples_are_stratified_nets():
    """The first n = 2^m points of a (scrambled) Sobol' sequence put one point in each
    [k/n, (k+1)/n) of every coordinate: a (0, m, 1)-net in each dimension."""
    n, dims = 32, 2
    design = make_design([factor("a", "0..1"), factor("b", "0..1")], "sobol", n=n, seed=2)
    blocks = design.unit.reshape(n, dims + 2, dims)
    for half in (blocks[:, 0, :], blocks[:, -1, :]):
        for d in range(dims):
            assert _strata(half[:, d]).tolist() == list(range(n))


def test_sobol_values_are_mapped_from_the_unit_matrix():
    design = make_design([factor("a", "10..20"), factor("s", [1, 2, 3, 4])], "sobol", n=4)
    np.testing.assert_allclose(design.columns["a"], 10 + 10 * design.unit[:, 0], rtol=1e-15)
    assert design.columns["s"] == [1 + math.floor(4 * u) for u in design.unit[:, 1]]


@pytest.mark.parametrize("n", [3, 100, 257])
def test_sobol_needs_a_power_of_two(n):
    with pytest.raises(DesignError, match=f"power of 2.*got {n}"):
        make_design([factor("a", "0..1")], "sobol", n=n)


@pytest.mark.parametrize("kind", ["lhs", "sobol"])
def test_same_seed_same_design_other_seed_other_design(kind):
    factors = [factor("a", "0..1"), factor("b", "0..1")]
    first, again = make_design(factors, kind, n=8, seed=1), make_design(factors, kind, n=8, seed=1)
    other = make_design(factors, kind, n=8, seed=2)
    np.testing.assert_array_equal(first.unit, again.unit)
    assert first.columns == again.columns
    assert not np.isin(other.unit, first.unit).any()


@pytest.mark.parametrize("kind, n, message", [
    ("grid", 0, "n must be a whole number"),
    ("lhs", -2, "n must be a whole number"),
    ("lhs", 2.5, "n must be a whole number"),
    ("lhs", True, "n must be a whole number"),
    ("factorial", None, "design is one of grid, lhs, sobol"),
])
def test_bad_options_are_design_errors(kind, n, message):
    with pytest.raises(DesignError, match=message):
        make_design([factor("a", "0..1")], kind, n=n)


def test_a_path_varied_twice_is_a_design_error():
    with pytest.raises(DesignError, match="varied twice: a"):
        make_design([factor("a", "0..1"), factor("a", [1, 2])])


@pytest.mark.parametrize("kind", ["lhs", "sobol"])
def test_sampled_designs_need_a_factor(kind):
    with pytest.raises(DesignError, match="at least one factor"):
        make_design([], kind, n=4)


def test_ranges_over_whole_number_paths_give_whole_numbers():
    """sessions.0.rounds is a whole number: a range's levels are rounded, not refused."""
    data = sweep(SCENARIO, {"sessions.0.rounds": "2..8:4"}, runs=2, workers=1)
    assert data["sessions.0.rounds"].values.tolist() == [2, 4, 6, 8]     # 2, 4, 6, 8 exactly
    lhs = sweep(SCENARIO, {"sessions.0.rounds": "2..8"}, design="lhs", n=5, runs=2, workers=1)
    values = lhs["sessions.0.rounds"].values
    assert values.dtype.kind == "i" and ((2 <= values) & (values <= 8)).all()


def test_a_whole_number_path_that_the_scenario_leaves_null_is_rounded_too():
    """The compliance game has tolerance: null (never collapse); a tolerance is still a
    whole number, so a range over it gives whole numbers, not invalid points."""
    import armsim

    game = SCENARIO.parent / "classics" / "compliance_game.yaml"
    assert armsim.load_scenario(game).environment.tolerance is None
    data = sweep(game, {"environment.tolerance": "1..4"}, design="lhs", n=6, runs=2,
                 workers=1)
    values = data["environment.tolerance"].values
    assert values.dtype.kind == "i" and ((1 <= values) & (values <= 4)).all()
    grid = sweep(game, {"environment.tolerance": "1..4:3"}, runs=2, workers=1)
    assert grid["environment.tolerance"].values.tolist() == [1, 2, 4]   # 2.5 to even


@pytest.mark.parametrize("n, below", [(3, 2), (100, 64), (257, 256)])
def test_a_sobol_n_that_is_not_a_power_of_two_suggests_the_two_around_it(n, below):
    with pytest.raises(DesignError, match=f"got {n}: try {below} or {2 * below}"):
        make_design([factor("x", "0..1")], "sobol", n=n)


@pytest.mark.parametrize("option, value", [("runs", 2.5), ("runs", "3"), ("runs", 0),
                                           ("runs", True), ("seed", 1.5), ("seed", -1),
                                           ("chunk", 0.5)])
def test_runs_seed_and_chunk_must_be_whole_numbers(option, value):
    """2.5 runs ran 2 and a seed of 1.5 ran seed 1, silently; a seed of -1 was blamed on
    the first factor's value."""
    settings = {"runs": 2, "workers": 1, option: value}
    with pytest.raises(ValueError, match=f"{option} must be a whole number of at least"):
        sweep(SCENARIO, {"environment.noise": [0.0]}, **settings)


def test_a_seed_beyond_the_generators_64_bit_key_is_refused_as_the_seed():
    """Not blamed on the first factor's value, as the scenario check downstream did."""
    with pytest.raises(ValueError, match=f"the seed is a whole number from 0 to {2**64 - 1}"):
        sweep(SCENARIO, {"environment.noise": [0.0]}, runs=2, seed=2**64, workers=1)


def test_whole_floats_are_whole_numbers():
    data = sweep(SCENARIO, {"environment.noise": [0.0]}, runs=3.0, seed=4.0, workers=1)
    assert data.sizes["run"] == 3 and data.attrs["seed"] == 4


def test_params_must_be_a_mapping():
    with pytest.raises(TypeError, match="params maps dotted paths to values"):
        sweep(SCENARIO, ["environment.noise=0,1"], runs=2, workers=1)
