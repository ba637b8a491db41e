"""Verification deters (docs/model.md 7.11a, section 8): on the bundled scenarios, more
verification never makes agreements hold less.

The per-decision property (the margin of ``deterred`` never rises with verification) is
proved on random inputs in tests/strategies/test_deterred.py. Here it is checked where
it matters, through the whole model, with common random numbers: run r of every point
of the sweep meets the same compliance draws, slips, detections and crises, and differs
only where verification changed something. Rates are compared with their sampling error
in mind: a difference counts only beyond its 95% interval.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import armsim

ROOT = Path(__file__).resolve().parents[2] / "scenarios"
NO_LINKAGE = ROOT / "geneva_2022_no_linkage.yaml"
STRONG = ROOT / "geneva_2022_strong_verification.yaml"
INF = ROOT / "inf_1987.yaml"
LEVELS = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95]
Z = 1.959963984540054


@pytest.fixture(scope="module")
def verification_sweep():
    pytest.importorskip("xarray")
    return armsim.sweep(NO_LINKAGE, {"environment.verification": LEVELS}, runs=1000,
                        workers=1)


def _paired_change(before: np.ndarray, after: np.ndarray) -> tuple[float, float]:
    """Mean and 95% half-width of the run-by-run difference after - before, over the runs
    where both are defined (a compliance rate is NaN in a run where nothing was agreed)."""
    d = after.astype(float) - before.astype(float)
    d = d[np.isfinite(d)]
    return d.mean(), Z * d.std(ddof=1) / np.sqrt(len(d))


def test_the_sweep_is_in_order(verification_sweep):
    assert verification_sweep["environment.verification"].values.tolist() == LEVELS


def test_compliance_rises_and_collapse_falls_with_verification(verification_sweep):
    """From each level to the next, the paired change in Russia's compliance rate is never
    significantly negative and that in collapse never significantly positive; and over
    the whole range both move clearly the right way (a guard against a flat sweep)."""
    data = verification_sweep
    collapsed = data["collapsed"].values.astype(bool)                    # (points, runs)
    russia = data["compliance_rate.russia"].values
    both = (russia + data["compliance_rate.united_states"].values) / 2
    for p in range(len(LEVELS) - 1):
        for rate in (russia, both):
            change, half = _paired_change(rate[p], rate[p + 1])
            assert change > -half, (LEVELS[p], LEVELS[p + 1], change, half)
        change, half = _paired_change(collapsed[p], collapsed[p + 1])
        assert change < half, (LEVELS[p], LEVELS[p + 1], change, half)
    assert np.nanmean(russia[-1]) - np.nanmean(russia[0]) > 0.02
    assert collapsed[0].mean() - collapsed[-1].mean() > 0.2
    # the means themselves are in order, level after level
    assert (np.diff(np.nanmean(russia, axis=1)) > 0).all()
    assert (np.diff(collapsed.mean(axis=1)) < 0).all()


def test_strong_verification_collapses_less_than_no_linkage():
    """The two files differ only in verification (0.95 against 0.7); 2000 runs each, and
    their 95% Wilson intervals for P(collapse) do not overlap."""
    strong = armsim.run(STRONG, runs=2000, workers=1).summary()["rates"]["collapsed"]
    weak = armsim.run(NO_LINKAGE, runs=2000, workers=1).summary()["rates"]["collapsed"]
    assert strong["high"] < weak["low"], (strong, weak)


def test_inf_1987_mostly_holds():
    """The treaty held from 1988 to 2019: in most runs it is still in force after the
    31 years simulated (the upper end of the 95% interval of P(collapse) below one half)."""
    rates = armsim.run(INF, runs=1000, workers=1).summary()["rates"]
    assert rates["agreement"]["rate"] == 1.0
    assert rates["collapsed"]["high"] < 0.5, rates["collapsed"]
