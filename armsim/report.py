"""The summary a person reads at a glance after ``armsim run``."""

from __future__ import annotations

import math
from typing import Any

from armsim.results import Results


def _pct(rate: dict[str, float]) -> str:
    if math.isnan(rate["rate"]):
        return "n/a"
    return (f"{100 * rate['rate']:5.1f}%  (95% CI {100 * rate['low']:.1f}-"
            f"{100 * rate['high']:.1f}%)")


def _mean(stat: dict[str, Any], fmt: str = ".3g") -> str:
    if stat["n"] == 0:
        return "-"
    if stat["n"] > 1 and math.isfinite(stat["low"]) and stat["high"] > stat["low"]:
        half = (stat["high"] - stat["low"]) / 2
        return f"{stat['mean']:{fmt}} +- {half:.2g}"
    return f"{stat['mean']:{fmt}}"


def text(results: Results) -> str:
    """Rates with intervals, agreed levels, utilities, compliance and tension."""
    s = results.summary()
    means = s["means"]
    out = [f"{s['scenario']}: {s['runs']} runs, seed {s['seed']}"]
    if s.get("interrupted"):
        out.append(f"  (interrupted: {s['runs']} of {s['requested_runs']} runs finished)")
    out += ["", "Outcomes"]
    for name, label in (("agreement", "agreement"), ("collapsed", "collapse"),
                        ("crisis", "crisis")):
        out.append(f"  P({label:<9}) {_pct(s['rates'][name])}")
    stalled = s["rates"].get("deadlock")
    if stalled and stalled["rate"] > 0:       # said only where some session ended so
        out.append(f"  P({'deadlock':<9}) {_pct(stalled)}")
    out.append(f"  tension: mean {_mean(means['mean_tension'])}, final "
               f"{_mean(means['final_tension'])}")
    issues = [k for k in means if k.startswith("agreed.")]
    if issues:
        out += ["", "Agreed level per issue (over runs that agreed it)"]
        for key in issues:
            stat = means[key]
            share = stat["n"] / s["runs"]
            out.append(f"  {key[7:]:<28} {_mean(stat):<18} agreed in {100 * share:.1f}% of runs")
    actors = [k[8:] for k in means if k.startswith("utility.")]
    if actors:
        out += ["", f"  {'actor':<24} {'utility':<18} {'compliance':<18} payoff/turn"]
        for a in actors:
            out.append(f"  {a:<24} {_mean(means['utility.' + a]):<18} "
                       f"{_mean(means['compliance_rate.' + a]):<18} "
                       f"{_mean(means['compliance_payoff.' + a])}")
    return "\n".join(out)
