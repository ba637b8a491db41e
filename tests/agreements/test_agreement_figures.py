"""The figures show what agreements as treaties write them add (issue 13): a phased ceiling
on the forces figure, outside events on the tension figure, sessions where they fall."""

from __future__ import annotations

import numpy as np
from helpers import scenario

import armsim
from armsim.plot import forces, prepare, tension

PHASED = """
armsim: 1
name: a phased ceiling
aftermath: 8
forces:
  warheads: {label: Deployed warheads, max: 3000}
issues:
  limit: {range: [0, 3000], caps: warheads, phases: [{after: 2, share: 0.25}, {after: 4, share: 1}]}
actors:
  us: {forces: {warheads: {initial: 2000}}, preferences: {limit: {ideal: 1550}},
       strategy: hardliner, compliance: always_comply}
  russia: {forces: {warheads: {initial: 1600}}, preferences: {limit: {ideal: 1550}},
           strategy: hardliner, compliance: always_comply}
sessions:
  - {venue: Prague, participants: [us, russia], agenda: [limit], rounds: 1, gap: 1}
events:
  - {round: 6, does: suspend, actor: russia, label: Russia suspends}
  - {round: 8, does: new_government, actor: us, set: {patience: 0.9}}
"""


def test_the_forces_figure_draws_each_actors_phased_ceiling():
    """Signed in round 1 (after a gap of one round), in force from 2: no ceiling in
    rounds 2-3, 2000 - 0.25 * 450 = 1887.5 (US) and 1600 - 0.25 * 50 = 1587.5 (Russia)
    in rounds 4-5, then 1550; Russia's suspension from round 6 lifts its ceiling."""
    results = armsim.run(scenario(PHASED), runs=4, trajectories=True)
    fig = forces(results)
    steps = {line.get_color(): line.get_ydata() for ax in fig.axes
             for line in ax.get_lines() if line.get_linestyle() == "--"
             and len(line.get_ydata()) > 2}
    us, russia = (steps[c] for c in sorted(steps))   # tab:blue before tab:orange
    nan = np.nan
    assert np.array_equal(us, [nan] * 4 + [1887.5] * 2 + [1550] * 4, equal_nan=True)
    assert np.array_equal(russia, [nan] * 4 + [1587.5] * 2 + [nan] * 4, equal_nan=True)
    labels = [t.get_text() for ax in fig.axes if ax.get_legend()
              for t in ax.get_legend().get_texts()]
    assert "ceiling: Limit" in labels


def test_the_tension_figure_marks_the_events_and_the_sessions_where_they_fall():
    results = armsim.run(scenario(PHASED), runs=4, trajectories=True)
    assert prepare(results).sessions() == [("Prague", 1, 2)]
    ax = tension(results).axes[0]
    marks = [line.get_xdata()[0] for line in ax.get_lines() if line.get_linestyle() == ":"]
    assert marks == [5.5, 7.5]
    assert {t.get_text() for t in ax.texts} >= {"Russia suspends", "us new government"}
