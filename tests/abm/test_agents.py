"""State agents are views: what they show is what the state arrays hold, round by round;
the DataCollector records one row per round (per actor for agents) with those values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from abm_helpers import COMPLIANCE_GAME
from helpers import ROOT, scenario

from armsim.abm import ArmsControlModel, StateAgent

NO_LINKAGE = ROOT / "scenarios" / "geneva_2022_no_linkage.yaml"


@pytest.fixture(scope="module")
def played() -> ArmsControlModel:
    """Run 3 of the no-linkage counterfactual, played to the end with everything recorded."""
    model = ArmsControlModel(NO_LINKAGE, run=3, trajectories=True)
    model.run_model()
    return model


def test_one_agent_per_actor_in_scenario_order(played):
    assert [a.name for a in played.agents] == list(played.armsim_scenario.actors)
    assert all(type(a) is StateAgent for a in played.agents)
    russia = played.actor("russia")
    assert (russia.label, russia.bloc, russia.strategy, russia.compliance) == (
        "Russia", None, "boulware", "deterred")
    assert played.actor("united_states").bloc == "nato"
    with pytest.raises(KeyError, match="actors: united_states, russia"):
        played.actor("rusia")


def test_views_equal_the_state_arrays_every_round():
    model = ArmsControlModel(NO_LINKAGE, run=3, collect=False)
    spec = model.spec
    while model.running:
        model.step()
        state = model.state
        for agent in model.agents:
            a = agent.index
            cells = np.flatnonzero(spec.held_actor == a)
            assert agent.forces == {spec.forces[spec.held_force[h]]: state.x[h, 0]
                                    for h in cells}
            assert agent.trust == {b: state.trust[0, a, j] for j, b in enumerate(spec.actors)
                                   if j != a}
            what = model.history[-1]
            playing, defect = what["playing"][0, a], what["actions"][0, a]
            assert agent.action == (None if not playing else "defect" if defect else "comply")
            assert agent.was_detected == what["detected"][0, a]
            assert agent.saw_defection == state.memory.seen_last[0, a]
            assert agent.turns == state.memory.turns[0, a]
            assert set(agent.detected) <= set(agent.counterparts)
    assert model.finished and model.round == spec.rounds == 66


def test_aspiration_follows_the_time_dependent_formula_and_the_talk_state():
    """Russia is boulware (e = 0.2) in the no-linkage scenario: at round k of a session of
    K rounds it asks 1 - (1 - r) * (k / (K - 1)) ** 5; the US (tit_for_tat) asks what
    its talk state holds; both only for the issues still open, and only at the table."""
    model = ArmsControlModel(NO_LINKAGE, run=0, collect=False)
    spec, scen = model.spec, model.armsim_scenario
    r = float(model.params.reservation[0, spec.actors.index("russia")])
    for t in range(spec.talk_rounds + 1):
        s, k = spec.schedule(t)
        russia, us = model.actor("russia").aspiration, model.actor("united_states").aspiration
        if s < 0:
            assert russia == {} and us == {}
            break
        open_ = {spec.issues[i] for i in np.flatnonzero(spec.agenda[s] & ~model.state.agreed[0])}
        K = scen.sessions[s].rounds
        expected = 1 - (1 - r) * (k / (K - 1) if K > 1 else 0.0) ** 5
        assert set(russia) == open_ and russia == pytest.approx(dict.fromkeys(open_, expected),
                                                                rel=1e-12)
        if k > 0:
            talk = model.state.talk.aspiration[0, spec.actors.index("united_states")]
            assert us == {i: talk[spec.issues.index(i)] for i in open_}
        for name in ("european_allies", "ukraine"):
            if name not in scen.sessions[s].participants:
                assert model.actor(name).aspiration == {}
        model.step()


def test_model_frame_has_one_row_per_round_matching_the_trajectories(played):
    frame = played.model_frame()
    traces = played.trajectories()
    issues = played.spec.issues
    assert list(frame.index) == list(range(66))
    assert {"venue", "proposer", "tension", "crisis", "in_force"} <= set(frame.columns)
    assert {f"offer.{i}" for i in issues} <= set(frame.columns)
    np.testing.assert_array_equal(frame["tension"], traces["tension"])
    for j, issue in enumerate(issues):
        np.testing.assert_array_equal(frame[f"offer.{issue}"], traces["offer"][:, j])
        np.testing.assert_array_equal(frame[f"in_force.{issue}"], traces["in_force"][:, j])
    proposer = traces["proposer"]
    assert list(frame["proposer"].fillna("-")) == ["-" if p == -2 else "mediator" if p == -1
                                                   else played.spec.actors[p] for p in proposer]
    assert frame.loc[0, "venue"] == played.armsim_scenario.sessions[0].venue
    assert pd.isna(frame.loc[65, "venue"])


def test_agent_frame_has_one_row_per_round_and_actor(played):
    frame = played.agent_frame()
    traces = played.trajectories()
    spec = played.spec
    assert len(frame) == 66 * len(spec.actors)
    assert list(frame.index.names) == ["round", "actor"]
    assert {f"force.{f}" for f in spec.forces} | {f"trust.{a}" for a in spec.actors} | {
        "action", "detected", "response"} <= set(frame.columns)
    for a, actor in enumerate(spec.actors):
        rows = frame.xs(actor, level="actor")
        assert list(rows.index) == list(range(66))
        for k, force in enumerate(spec.forces):
            expected = np.where(spec.has_force[a, k], traces["forces"][:, a, k], np.nan)
            np.testing.assert_array_equal(rows[f"force.{force}"], expected)
        for b, other in enumerate(spec.actors):
            expected = traces["trust"][:, a, b] if a != b else np.full(66, np.nan)
            np.testing.assert_array_equal(rows[f"trust.{other}"], expected)
        code = traces["action"][:, a]
        assert list(rows["action"].fillna("-")) == [
            {-1: "-", 0: "comply", 1: "defect"}[int(c)] for c in code]


def test_the_compliance_game_frame_reads_as_its_story():
    """Round 0: Alpha (first listed) proposes, Beta accepts, the moratorium is in force;
    then tit_for_tat against alternate: C/C, C/D, D/C, C/D ... (verification 1)."""
    model = ArmsControlModel(scenario(COMPLIANCE_GAME))
    model.run_model()
    frame, agents = model.model_frame(), model.agent_frame()
    assert len(frame) == 21 and frame.loc[0, "proposer"] == "alpha"
    assert agents.loc[(0, "beta"), "response"] == "accept"
    assert pd.isna(agents.loc[(0, "alpha"), "response"])     # the proposer
    assert frame["in_force"].tolist() == [1] * 21
    alpha = agents.xs("alpha", level="actor")["action"].fillna("-").tolist()
    beta = agents.xs("beta", level="actor")["action"].fillna("-").tolist()
    assert alpha[:5] == ["-", "comply", "comply", "defect", "comply"]
    assert beta[:5] == ["-", "comply", "defect", "comply", "defect"]
    assert agents.xs("alpha", level="actor")["detected"].tolist()[:5] == [False] * 3 + [
        True, False]


def test_stepping_past_the_end_does_nothing_and_outputs_wait_for_the_end():
    model = ArmsControlModel(scenario(COMPLIANCE_GAME), collect=False)
    with pytest.raises(RuntimeError, match="round 0 of 21"):
        model.outputs()
    with pytest.raises(RuntimeError, match="collect=True"):
        model.model_frame()
    with pytest.raises(RuntimeError, match="trajectories=True"):
        model.trajectories()
    model.run_model()
    before = model.outputs()
    model.step()
    assert model.round == 21 and not model.running and len(model.history) == 21
    assert model.outputs() == before


def test_the_model_owns_a_generator_seeded_by_seed_and_run():
    one = ArmsControlModel(scenario(COMPLIANCE_GAME), run=4, collect=False)
    two = ArmsControlModel(scenario(COMPLIANCE_GAME), run=4, collect=False)
    other = ArmsControlModel(scenario(COMPLIANCE_GAME), run=5, collect=False)
    assert one.rng.random() == two.rng.random() != other.rng.random()
    assert one.actor("alpha").uniform() == two.actor("alpha").uniform()
    assert one.actor("alpha").uniform() != one.actor("beta").uniform()


def test_agent_classes_must_name_actors():
    with pytest.raises(ValueError, match="'alpah'.*did you mean 'alpha'"):
        ArmsControlModel(scenario(COMPLIANCE_GAME), agent_classes={"alpah": StateAgent})
    with pytest.raises(ValueError, match="no strategy registered as 'nope'"):
        ArmsControlModel(scenario(COMPLIANCE_GAME), agent_classes={"alpha": "nope"})
    with pytest.raises(ValueError, match="run index"):
        ArmsControlModel(scenario(COMPLIANCE_GAME), run=-1)


@pytest.mark.parametrize("seed", [2**64, -1, 2.5, True])
def test_a_seed_the_run_keys_cannot_hold_is_refused_as_the_batch_engine_refuses_it(seed):
    """Seeds are 64-bit keys (MODEL.md section 4): 0 to 2**64 - 1, as in a scenario file."""
    with pytest.raises(ValueError, match="the seed is a whole number from 0 to"):
        ArmsControlModel(scenario(COMPLIANCE_GAME), seed=seed)
    assert ArmsControlModel(scenario(COMPLIANCE_GAME), seed=2**64 - 1).spec.seed == 2**64 - 1
