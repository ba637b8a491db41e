"""The keys of issue 13 as dotted overrides and as sweep factors: numbers an issue or an
outside event gives are drawn per run (one batch for every point of a sweep), structural
ones make batches of their own, and every point is ``armsim run --set`` with its values."""

from __future__ import annotations

import numpy as np
from helpers import scenario

import armsim
from armsim.experiments.designs import make_design
from armsim.experiments.factors import factor
from armsim.experiments.plan import make_plan
from armsim.experiments.sweep import sweep
from armsim.scenario import load_scenario

TEXT = """
armsim: 1
name: factors
seed: 3
aftermath: 10
forces:
  warheads: {label: Warheads, max: 3000}
issues:
  limit: {range: [0, 3000], caps: warheads, verification: 0.6,
          phases: [{after: 1, share: 0.5}, {after: 3, share: 1}], duration: 6}
actors:
  us: {forces: {warheads: {initial: 2000, fatigue: 0.1, grievance: 200}},
       preferences: {limit: {ideal: 1550}}, compliance: {type: random, p: 0.8}}
  russia: {forces: {warheads: {initial: 1600, fatigue: 0.1, grievance: 160}},
           preferences: {limit: {ideal: 1700}}, compliance: tit_for_tat}
sessions:
  - {venue: Prague, participants: [us, russia], agenda: [limit], rounds: 2}
  - {venue: Geneva, participants: [us, russia], agenda: [limit], rounds: 1, gap: 2,
     reopens: true}
events:
  - {round: 5, does: new_government, actor: us, set: {compliance: {type: random, p: 0.5},
     patience: 0.9}}
"""


def test_overrides_reach_the_keys_of_issue_13(tmp_path):
    path = tmp_path / "f.yaml"
    path.write_text(TEXT)
    loaded = load_scenario(path, ["issues.limit.phases.0.share=0.25", "sessions.1.gap=4",
                                  "events.0.round=7", "environment.counterparts=all",
                                  "actors.russia.verification=0.4",
                                  "events.0.set.compliance.p=0.3"])
    assert loaded.issues["limit"].phases[0].share == 0.25
    assert loaded.sessions[1].gap == 4 and loaded.rounds == 2 + 4 + 1 + 10
    assert loaded.events[0].round == 7 and loaded.events[0].change.compliance.p == 0.3
    assert loaded.environment.counterparts == "all"
    assert loaded.actors["russia"].verification == 0.4


def test_numbers_of_issues_and_events_are_per_run_factors(tmp_path):
    path = tmp_path / "f.yaml"
    path.write_text(TEXT)
    params = {"issues.limit.verification": [0.3, 0.9], "events.0.set.patience": [0.5, 0.99],
              "sessions.1.gap": [1, 3]}
    design = make_design([factor(p, v) for p, v in params.items()])
    plan = make_plan(scenario(TEXT), design, 12)
    # the gap changes the rounds (two batches); the others are drawn per run within them
    assert len(plan.groups) == 2
    assert set(plan.groups[0].per_run) == {"issues.limit.verification",
                                           "events.0.set.patience"}
    data = sweep(path, params, runs=12, workers=1)
    for p in range(design.size):
        point = {k: data[k].values[p].item() for k in params}
        alone = armsim.run(path, runs=12, overrides=point, workers=1)
        for name, value in alone.outputs.items():
            assert np.array_equal(np.asarray(value), data[name].values[p], equal_nan=True), \
                (point, name)
