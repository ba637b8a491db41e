"""The ensemble on the page: the library's runs, and the class's run placed among them."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from app_helpers import GENEVA, NO_LINKAGE
from armsim.app.ensemble import Ensemble, ensemble, percent, place, rows
from armsim.app.settings import Settings
from armsim.results import Results


@pytest.mark.parametrize("settings, sets", [
    (Settings.of_file(NO_LINKAGE), []),
    (Settings(scenario="geneva_2022_no_linkage", verification=0.5),
     ["environment.verification=0.5"]),
    (Settings(scenario="geneva_2022", linkage=False), ["actors.russia.insists=[]"]),
])
def test_the_rates_are_armsim_runs_for_the_same_setting_and_seed(tmp_path, settings, sets):
    args = [sys.executable, "-m", "armsim.cli", "run", str(settings.path), "--runs", "1000",
            "--no-plots", "--out", str(tmp_path)]
    for item in sets:
        args += ["--set", item]
    done = subprocess.run(args, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    printed = json.loads((tmp_path / "summary.json").read_text())["rates"]
    mine = {row["name"]: row for row in rows(ensemble(settings, 1000))}
    for name in ("agreement", "collapsed", "crisis", "deadlock"):
        for key in ("rate", "low", "high", "n"):
            assert mine[name][key] == printed[name][key], (name, key)
    csv = (tmp_path / "runs.csv").read_text()
    assert ensemble(settings, 1000).csv() == csv


def made_up(outcomes: dict[str, list]) -> Ensemble:
    n = len(next(iter(outcomes.values())))
    outputs = {k: np.asarray(v) for k, v in outcomes.items()}
    return Ensemble(Settings.of_file(GENEVA), n,
                    Results(outputs, np.arange(n), "made up", 1))


def test_the_class_run_is_placed_among_the_simulated_runs():
    # 100 runs: 12 agree on missiles (and so on anything), 3 of those collapse, a
    # crisis in 40; mean tension 0.00, 0.01, ..., 0.99
    agreed = np.full(100, np.nan)
    agreed[:12] = 50.0
    made = made_up({"agreement": [True] * 12 + [False] * 88,
                    "collapsed": [True] * 3 + [False] * 97,
                    "crisis": [True] * 40 + [False] * 60, "deadlock": [False] * 100,
                    "agreed.missile_deployments": agreed,
                    "mean_tension": np.arange(100) / 100})
    ours = {"agreement": True, "collapsed": False, "crisis": False, "deadlock": False,
            "agreed.missile_deployments": 40.0, "mean_tension": 0.255}
    assert place(ours, made) == [
        "Your class reached an agreement: the same happened in 12% of the 100 simulated runs.",
        "No agreement of your class collapsed: the same happened in 97% of the 100 "
        "simulated runs.",
        "No crisis broke out in your class's run: the same happened in 60% of the 100 "
        "simulated runs.",
        "Your class agreed on missile deployments: the same happened in 12% of the 100 "
        "simulated runs.",
        "Your class's mean tension was 0.26: higher than in 26% of the simulated runs, "
        "lower than in 74%."]


def test_rates_carry_wilson_intervals():
    # 12 of 100: p = 0.12, z = 1.96; Wilson's centre (0.12 + 3.8416/200) / (1 + 3.8416/100)
    # = 0.139208 / 1.038416 = 0.134058, half-width 1.96 sqrt(0.12 * 0.88 / 100 +
    # 3.8416 / 40000) / 1.038416 = 1.96 * 0.033942 / 1.038416 = 0.064065: 0.0700 to 0.1981
    made = made_up({"agreement": [True] * 12 + [False] * 88})
    rate = made.rate("agreement")
    assert rate["rate"] == 0.12
    assert rate["low"] == pytest.approx(0.0700, abs=1e-4)
    assert rate["high"] == pytest.approx(0.1981, abs=1e-4)


@pytest.mark.parametrize("share, text", [(0.12, "12%"), (0.9962, "99.6%"), (1.0, "100%"),
                                         (0.004, "0.4%"), (0.0, "0%"), (0.9995, "over 99.9%")])
def test_percentages_read_well(share, text):
    assert percent(share) == text
