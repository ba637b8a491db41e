"""Factors from the command line (``--param PATH=VALUES``) and from Python."""

from __future__ import annotations

import math

import numpy as np
import pytest

from armsim.experiments import Factor, FactorError, factor, parse_param


@pytest.mark.parametrize("text, values", [
    ("actors.russia.patience=0.5,0.9", (0.5, 0.9)),
    ("actors.russia.patience = 0.5 , 0.9", (0.5, 0.9)),
    ("actors.russia.patience=[0.5, 0.9, 1]", (0.5, 0.9, 1)),
    ("sessions[0].rounds=4,6,8", (4, 6, 8)),
    ("environment.noise=0.7", (0.7,)),
])
def test_numeric_levels(text, values):
    f = parse_param(text)
    assert f.path == text.partition("=")[0].strip()
    assert (f.kind, f.values, f.categorical) == ("levels", values, False)
    assert f.levels() == list(values)


@pytest.mark.parametrize("text, values", [
    ("actors.russia.strategy.type=boulware,linear,tit_for_tat",
     ("boulware", "linear", "tit_for_tat")),
    ("actors.russia.strategy.type=[grit, hardliner]", ("grit", "hardliner")),
    ("sessions[0].package=true,false", (True, False)),
])
def test_categorical_levels(text, values):
    f = parse_param(text)
    assert (f.kind, f.values, f.categorical) == ("levels", values, True)


@pytest.mark.parametrize("text, low, high, steps", [
    ("environment.verification=0.2..0.9", 0.2, 0.9, None),
    ("environment.verification=0.2..0.9:8", 0.2, 0.9, 8),
    ("environment.verification= 0.2 .. 0.9 : 3 ", 0.2, 0.9, 3),
    ("x=-1..1", -1.0, 1.0, None),
    ("x=.5..2e1", 0.5, 20.0, None),
    ("x=1e-3..1E-2:2", 0.001, 0.01, 2),
    ("x={low: 0.2, high: 0.9, steps: 4}", 0.2, 0.9, 4),
    ("x={low: 1, high: 2}", 1.0, 2.0, None),
])
def test_ranges(text, low, high, steps):
    f = parse_param(text)
    assert (f.kind, f.low, f.high, f.steps, f.categorical) == ("range", low, high, steps, False)


def test_a_range_with_steps_takes_that_many_grid_levels():
    levels = parse_param("x=0..1:8").levels()
    assert levels == pytest.approx([k / 7 for k in range(8)], rel=1e-15)
    assert parse_param("x=0..1").levels(3) == [0.0, 0.5, 1.0]


def test_a_truncated_normal_distribution():
    f = parse_param("actors.russia.patience={dist: normal, mean: 0.9, sd: 0.02, low: 0.8, high: 1}")
    assert (f.kind, f.low, f.high) == ("distribution", 0.8, 1.0)
    assert f.describe() == {"path": "actors.russia.patience",
                            "distribution": {"dist": "normal", "mean": 0.9, "sd": 0.02,
                                             "low": 0.8, "high": 1.0}}
    # from_unit is the inverse CDF: the median of a symmetric truncation is the mean
    assert f.from_unit(np.array([0.5])) == pytest.approx([0.9], abs=1e-12)
    # and u = 0 or 1 stay finite, within the truncation bounds and close to them
    low, high = f.from_unit(np.array([0.0, 1.0]))
    assert 0.8 <= low < 0.8 + 1e-6 and 1.0 - 1e-6 < high <= 1.0


def test_an_untruncated_normal_has_an_infinite_support_and_finite_values():
    f = parse_param("x={dist: normal, mean: 0, sd: 1}")
    assert (f.low, f.high) == (-math.inf, math.inf)
    assert all(math.isfinite(v) for v in f.from_unit(np.array([0.0, 1.0])))


def test_a_beta_distribution_maps_the_unit_interval_onto_its_support():
    f = factor("x", {"dist": "beta", "a": 1, "b": 1})      # Beta(1, 1) is uniform on [0, 1]
    assert (f.low, f.high) == (0.0, 1.0)
    assert f.from_unit(np.array([0.1, 0.25, 0.9])) == pytest.approx([0.1, 0.25, 0.9])


def test_factor_from_python_values():
    assert factor("x", [0.5, 0.9]).values == (0.5, 0.9)
    assert factor("x", (1, 2)).values == (1, 2)
    assert factor("x", np.array([0.5, 0.9])).values == (0.5, 0.9)
    assert factor("x", 0.7).values == (0.7,)
    assert factor("x", [True, False]).categorical
    assert factor(" x ", "0..1").path == "x"
    ready = Factor("x", values=(1, 2))
    assert factor("x", ready) is ready


def test_levels_map_unit_bins_in_order():
    f = factor("s", ["a", "b", "c", "d"])
    u = np.array([0.0, 0.2499, 0.25, 0.5, 0.74, 0.75, 0.999, 1.0])
    assert f.from_unit(u) == ["a", "a", "b", "c", "c", "d", "d", "d"]


def test_describe_records_what_a_resume_compares():
    assert factor("x", [1, "a"]).describe() == {"path": "x", "levels": [1, "a"]}
    assert factor("x", np.array([1.5])).describe() == {"path": "x", "levels": [1.5]}
    assert factor("x", "0..1:3").describe() == {"path": "x", "low": 0.0, "high": 1.0, "steps": 3}


@pytest.mark.parametrize("text, path, message", [
    ("actors.russia.patience", "actors.russia.patience", "expected PATH=VALUES"),
    ("=0.5,0.9", "=0.5,0.9", "no path before '='"),
    ("actors.russia.patience=", "actors.russia.patience", "no values after '='"),
    ("actors.russia.patience=   ", "actors.russia.patience", "no values after '='"),
    ("actors.russia.patience=0.5,,0.9", "actors.russia.patience", "empty value between commas"),
    ("actors.russia.patience=0.5,", "actors.russia.patience", "empty value between commas"),
    ("actors.russia.patience=0.9..0.5", "actors.russia.patience", "needs low < high"),
    ("actors.russia.patience=0.5..0.5", "actors.russia.patience", "needs low < high"),
    ("actors.russia.patience={low: 0.9, high: 0.2}", "actors.russia.patience",
     "needs low < high"),
    ("actors.russia.patience=0.2..0.9:1", "actors.russia.patience", "steps must be"),
    ("actors.russia.patience={low: 0.2, high: 0.9, steps: 2.5}", "actors.russia.patience",
     "steps must be"),
    ("actors.russia.patience={low: a, high: 1}", "actors.russia.patience",
     "two finite numbers"),
    ("actors.russia.patience={dist: lognormal, mu: 0, sigma: 1}", "actors.russia.patience",
     "not a distribution"),
    ("actors.russia.patience={dist: normal, mean: 0.9}", "actors.russia.patience",
     "not a distribution"),
    ("actors.russia.patience={dist: normal, mean: 0.9, sd: -1}", "actors.russia.patience",
     "not a distribution"),
    ("actors.russia.patience={mean: 0.9}", "actors.russia.patience",
     "a distribution \\(with 'dist'\\) or a range"),
    ("actors.russia.patience=0.5..0.5", "actors.russia.patience",
     r"to hold the value fixed give it as one level \(actors.russia.patience=0.5\)"),
    ("actors.russia.patience=0.5..", "actors.russia.patience", "'0.5..' is not a range"),
    ("actors.russia.patience=..0.9", "actors.russia.patience", "is not a range: write low..high"),
    ("actors.russia.patience=0.5..0.9:x", "actors.russia.patience", "low..high:steps"),
    ("actors.russia.patience=0.5,0.5", "actors.russia.patience", "listed twice"),
    ("actors.russia.strategy.type=grit,linear,grit", "actors.russia.strategy.type",
     "listed twice"),
    ("actors.russia.patience=[]", "actors.russia.patience", "an empty list"),
    ("actors.russia.patience=0.5,[0.9]", "actors.russia.patience", "not a single value"),
])
def test_bad_factors_name_their_path(text, path, message):
    with pytest.raises(FactorError, match=message) as raised:
        parse_param(text)
    assert raised.value.path == path
    assert str(raised.value).startswith(f"--param {path}: ")


@pytest.mark.parametrize("spec", [None, object(), {"low": 0}])
def test_bad_python_specs_are_factor_errors(spec):
    with pytest.raises(FactorError) as raised:
        factor("environment.noise", spec)
    assert raised.value.path == "environment.noise"


def test_a_factor_needs_a_path():
    with pytest.raises(FactorError, match="needs a dotted path"):
        factor("  ", [1, 2])


def test_levels_may_be_lists_for_paths_that_take_one():
    """The linkage itself is a factor: insists over [] and [nato_expansion]."""
    f = parse_param("actors.russia.insists=[[], [nato_expansion]]")
    assert f.values == ([], ["nato_expansion"])
    assert f.categorical
    assert f.from_unit(np.array([0.2, 0.7])) == [[], ["nato_expansion"]]


@pytest.mark.parametrize("text", ["environment.tolerance=1,2,null", "environment.tolerance=1,2,~",
                                  "environment.tolerance=[1, 2, null]"])
def test_null_is_a_level_for_paths_where_it_means_none(text):
    """MODEL.md: a tolerance of null means an agreement never collapses."""
    f = parse_param(text)
    assert f.values == (1, 2, None)
    assert f.categorical                 # not all numbers: a structural factor
    assert f.describe()["levels"] == [1, 2, None]


@pytest.mark.parametrize("text, option", [("seed=1,2", "--seed"), ("runs=10..100:3", "--runs")])
def test_the_seed_and_the_runs_are_the_sweeps_own_not_factors(text, option):
    """Varying the scenario's seed would give each point other random numbers than the
    sweep's seed (recorded in its attributes) says; varying runs would do nothing."""
    with pytest.raises(FactorError, match=option) as raised:
        parse_param(text)
    assert raised.value.path == text.partition("=")[0]


def test_a_name_with_two_dots_is_a_level_not_a_bad_range():
    assert parse_param("sessions.0.venue=a..b").values == ("a..b",)


def test_the_usage_example_is_a_factor_that_works():
    """The message for a PATH=VALUES without '=' shows an example: it must parse."""
    with pytest.raises(FactorError) as raised:
        parse_param("foo")
    example = str(raised.value).rpartition(" or ")[2]
    assert parse_param(example).categorical


@pytest.mark.parametrize("text", ["actors.russia.insists=[nato_expansion]",
                                  "actors.russia.insists=nato_expansion"])
def test_a_single_name_for_a_list_path_says_how_to_write_list_levels(text):
    """[nato_expansion] is one level, the name; insists takes a list, so the message
    shows the list-of-lists form."""
    from experiments_helpers import SCENARIO

    from armsim.experiments import SweepError, sweep

    with pytest.raises(SweepError) as raised:
        sweep(SCENARIO, {"actors.russia.insists": parse_param(text)}, runs=2, workers=1)
    assert "expected a list" in str(raised.value)
    assert "actors.russia.insists holds a list: give the levels as a list of them" in str(
        raised.value)
    example = str(raised.value).rpartition("e.g. ")[2].rstrip(")")
    assert all(isinstance(level, list) for level in parse_param(example).values)
