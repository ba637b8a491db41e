"""Noise per force (``forces.<k>.noise``): each force's shock has the sd given in its unit.

The JCPOA's two measures cannot share one number: a shock of 0.1 suits an enrichment
level in percent, and is nothing against 19,000 centrifuges. With no reaction, fatigue
or grievance and no clipping, a level moves each round by its shock alone, so the
increments x_t - x_{t-1} of a force over k rounds and runs are k draws of sd * N(0, 1):
(k - 1) s^2 / sd^2 is chi-square with k - 1 degrees of freedom, and the sample sd s lies
in the interval below with probability 0.999 (the quantiles from scipy, a peer).
"""

from __future__ import annotations

import numpy as np
import pytest
from helpers import scenario
from scipy.stats import chi2

from armsim.batch import run_chunk
from armsim.compile import drawn_paths
from armsim.experiments import sweep

JCPOA = """\
armsim: 1
name: two forces, two units
aftermath: 50
forces:
  centrifuges: {label: Operating centrifuges, unit: centrifuges, max: 1000000, noise: 200}
  enrichment: {label: Enrichment level, unit: percent, max: 1000, noise: 0.1}
  stockpile: {label: Enriched-uranium stockpile, unit: kg, max: 100000}
actors:
  iran:
    forces:
      centrifuges: {initial: 500000}
      enrichment: {initial: 500}
      stockpile: {initial: 50000}
environment: {noise: %s}
"""


def increments(text: str, runs: int = 200) -> dict[str, np.ndarray]:
    out = run_chunk(scenario(text), np.arange(runs), trajectories=True)
    levels = out["trace.forces"][:, :, 0, :]                        # (n, T, K)
    start = np.array([500000.0, 500.0, 50000.0])
    steps = np.diff(np.concatenate([np.broadcast_to(start, (runs, 1, 3)), levels], axis=1),
                    axis=1)
    return {name: steps[:, :, k].ravel() for k, name in
            enumerate(["centrifuges", "enrichment", "stockpile"])}


def within_chi_square(sample: np.ndarray, sd: float, p: float = 0.999) -> bool:
    k = sample.size
    low, high = chi2.ppf([(1 - p) / 2, (1 + p) / 2], k - 1)
    s2 = sample.var(ddof=1)
    return sd ** 2 * low / (k - 1) <= s2 <= sd ** 2 * high / (k - 1)


def test_each_force_has_the_sd_given_in_its_own_unit():
    steps = increments(JCPOA % 3)
    assert steps["centrifuges"].size == 10_000
    assert within_chi_square(steps["centrifuges"], 200.0)
    assert within_chi_square(steps["enrichment"], 0.1)
    # a force that gives none takes environment.noise, in its own unit
    assert within_chi_square(steps["stockpile"], 3.0)
    # and the intervals are narrow enough to tell these sds apart
    assert not within_chi_square(steps["centrifuges"], 210.0)
    assert not within_chi_square(steps["enrichment"], 0.105)


def test_a_force_with_noise_0_does_not_move_while_the_others_do():
    text = (JCPOA % 3).replace("noise: 0.1}", "noise: 0}")
    steps = increments(text, runs=5)
    assert np.all(steps["enrichment"] == 0)
    assert np.all(steps["centrifuges"] != 0) and np.all(steps["stockpile"] != 0)


def test_per_force_noise_only_environment_noise_is_todays_model_bit_for_bit():
    # every force given the environment's sd draws and scales exactly the same shocks
    plain = JCPOA.replace(", noise: 200}", "}").replace(", noise: 0.1}", "}") % 7
    each = plain.replace("max: 1000000}", "max: 1000000, noise: 7}").replace(
        "max: 1000}", "max: 1000, noise: 7}").replace("max: 100000}", "max: 100000, noise: 7}")
    assert each.count("noise: 7}") == 4             # three forces and the environment
    a = run_chunk(scenario(plain), np.arange(20), trajectories=True)
    b = run_chunk(scenario(each), np.arange(20), trajectories=True)
    np.testing.assert_array_equal(a["trace.forces"], b["trace.forces"])


def test_per_force_noise_is_a_sweep_factor():
    loaded = scenario(JCPOA % 0)
    assert "forces.centrifuges.noise" in drawn_paths(loaded)
    data = sweep(loaded, {"forces.centrifuges.noise": [0, 500]}, runs=40, workers=1)
    final = data["final_force.iran.centrifuges"].values                 # (point, run)
    assert np.all(final[0] == 500000.0)
    # 50 shocks of sd 500 each: the final level's sd is 500 * sqrt(50) ~ 3536
    assert within_chi_square(final[1] - 500000.0, 500 * np.sqrt(50), p=0.9999)


@pytest.mark.parametrize("bad, message", [
    ("noise: -1", "-1 is outside [0, inf)"),
    ("noise: {dist: normal, mean: 200, sd: 50}", "the distribution's support"),
    ("nois: 200", "unknown key 'nois'; did you mean 'noise'?"),
])
def test_a_bad_noise_is_refused_where_it_is_written(bad, message):
    from armsim.scenario import validate_text

    text = (JCPOA % 3).replace("noise: 200", bad)
    loaded, problems = validate_text(text, "jcpoa.yaml")
    assert loaded is None
    (error,) = [p for p in problems if p.severity == "error"]
    # line 5 `  centrifuges: {label: ..., max: 1000000, ` is 85 characters
    assert (error.line, error.path) == (5, ("forces", "centrifuges", "noise")
                                        if "nois:" not in bad else ("forces", "centrifuges",
                                                                    "nois"))
    assert message in error.message


def test_a_force_without_its_own_noise_can_still_be_swept_per_run():
    loaded = scenario((JCPOA % 0).replace(", noise: 200}", "}"))
    assert "forces.centrifuges.noise" in drawn_paths(loaded)
    data = sweep(loaded, {"forces.centrifuges.noise": [0, 500]}, runs=40, workers=1)
    final = data["final_force.iran.centrifuges"].values
    assert np.all(final[0] == 500000.0)
    assert within_chi_square(final[1] - 500000.0, 500 * np.sqrt(50), p=0.9999)
