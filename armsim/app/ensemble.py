"""The ensemble on the page: a setting run N times, two settings side by side, and the
class's own run placed among the simulated ones.

:func:`ensemble` calls :func:`armsim.run` (the library, as ``armsim run`` does: the same
runs, seed and Wilson intervals) in this process, one batch at a time, and keeps the
latest few (a class of thirty asking for the same setting computes it once). The rows
of :func:`rows` are the rates ``armsim run`` prints, with each issue's agreement rate
and the mean tension; :func:`place` puts a finished run among them in words ("your
class reached an agreement on missiles; 12% of simulated runs did"). No solara here.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np

import armsim.api  # noqa: F401  with the page (0.4 s), not at the first "run N times"
from armsim.app.settings import Settings
from armsim.results import Results, mean_interval, wilson
from armsim.runs_file import csv_text

RUN_CHOICES = (100, 1000, 10_000)
KEEP = 8
RATES = (("agreement", "agreement (on anything)"), ("collapsed", "collapse"),
         ("crisis", "crisis"), ("deadlock", "deadlock"))


@dataclass(frozen=True)
class Ensemble:
    """``runs`` runs of ``settings`` with the scenario's seed: the library's results."""

    settings: Settings
    runs: int
    results: Results

    @property
    def seed(self) -> int:
        return int(self.results.seed)

    def rate(self, name: str) -> dict[str, float]:
        """A rate with its Wilson 95% interval: an output that is true or false, or
        ``agreed.<issue>`` (agreed when it is a number)."""
        values = np.asarray(self.results.outputs[name])
        hits = np.isfinite(values) if name.startswith("agreed.") else values.astype(bool)
        p, low, high = wilson(int(hits.sum()), hits.size)
        return {"rate": p, "low": low, "high": high, "n": int(hits.size)}

    def csv(self) -> str:
        """runs.csv as ``armsim run`` writes it."""
        return csv_text({"run": self.results.runs, **self.results.outputs})


_cache: OrderedDict[tuple[Settings, int], Ensemble] = OrderedDict()
_lock = threading.Lock()


def ensemble(settings: Settings, runs: int) -> Ensemble:
    """``runs`` runs of ``settings`` (computed once, then kept)."""
    key = (settings, int(runs))
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
        results = armsim.api.run(settings.path, runs=int(runs),
                             overrides=settings.overrides() or None, traced=0, workers=1)
        made = Ensemble(settings, int(runs), results)
        _cache[key] = made
        while len(_cache) > KEEP:
            _cache.popitem(last=False)
        return made


def rows(made: Ensemble) -> list[dict[str, Any]]:
    """``{"name", "label", "rate"|"mean", "low", "high"}`` per outcome: the rates of
    ``armsim run``, each issue's agreement, then the mean tension."""
    issues = [k.split(".", 1)[1] for k in made.results.outputs if k.startswith("agreed.")]
    out = [{"name": name, "label": label, **made.rate(name)} for name, label in RATES]
    scenario = made.settings.loaded
    for issue in issues:
        label = scenario.issues[issue].label if issue in scenario.issues else ""
        out.append({"name": f"agreed.{issue}", "label": f"agreed: {short(issue, label)}",
                    **made.rate(f"agreed.{issue}")})
    tension = mean_interval(np.asarray(made.results.outputs["mean_tension"], dtype=float))
    out.append({"name": "mean_tension", "label": "mean tension (0 calm, 1 brink)",
                "mean": tension["mean"], "low": tension["low"], "high": tension["high"],
                "n": tension["n"]})
    return out


def short(issue: str, label: str = "") -> str:
    """An issue's short name, from its id cased as its label writes the words:
    'us_force_posture' -> 'US force posture'."""
    from armsim.app.views import short_name

    return short_name(issue, label)


#: what a run did or did not have, said of the class's run
SAID = {"agreement": ("Your class reached an agreement", "Your class reached no agreement"),
        "collapsed": ("An agreement of your class collapsed",
                      "No agreement of your class collapsed"),
        "crisis": ("A crisis broke out in your class's run",
                   "No crisis broke out in your class's run"),
        "deadlock": ("Your class's talks ended in a deadlock",
                     "Your class's talks never ended in a deadlock")}


def place(outputs: dict[str, Any], made: Ensemble) -> list[str]:
    """Sentences that put a finished run (``outputs``, as ``ClassroomModel.outputs()``)
    among the ensemble's runs."""
    n = made.runs
    lines = []
    for row in rows(made):
        name = row["name"]
        if name == "mean_tension":
            continue
        value = outputs[name]
        happened = bool(np.isfinite(value)) if name.startswith("agreed.") else bool(value)
        if name == "deadlock" and not happened and row["rate"] == 0:
            continue
        if name.startswith("agreed."):
            what = row["label"].removeprefix("agreed: ")
            said = (f"Your class agreed on {what}" if happened
                    else f"Your class did not agree on {what}")
        else:
            said = SAID[name][0 if happened else 1]
        share = row["rate"] if happened else 1 - row["rate"]
        lines.append(f"{said}: the same happened in {percent(share)} of the {n:,} "
                     "simulated runs.")
    tension = float(outputs["mean_tension"])
    simulated = np.asarray(made.results.outputs["mean_tension"], dtype=float)
    lines.append(f"Your class's mean tension was {tension:.2f}: higher than in "
                 f"{percent(float((simulated < tension).mean()))} of the simulated runs, "
                 f"lower than in {percent(float((simulated > tension).mean()))}.")
    return lines


def percent(share: float) -> str:
    """A share in percent: whole percents, with a decimal near 0 and 100."""
    if math.isnan(share):
        return "n/a"
    value = 100 * share
    if 0 < value < 0.1:
        return "under 0.1%"
    if 99.9 < value < 100:
        return "over 99.9%"
    if value == round(value) or 10 <= value <= 90:
        return f"{value:.0f}%"
    return f"{value:.1f}%"


def interval(row: dict[str, Any]) -> str:
    """'12% (10-14%)' or '0.42 (0.41-0.43)'."""
    if "rate" in row:
        return f"{percent(row['rate'])} ({percent(row['low'])}-{percent(row['high'])})"
    return f"{row['mean']:.2f} ({row['low']:.2f}-{row['high']:.2f})"
