"""The historical cases of scenarios/history/ (issue 13): New START (2010), the JCPOA (2015),
the CFE Treaty (1990) and the Korean freeze for freeze (2018).

Each file validates (with only the warnings its comments justify), runs the same on both
engines, and reproduces what happened in the way the rules of docs/model.md say it must.
The expected rounds and levels are worked out here from the treaties' dates and numbers as
the files cite them (one round a month) and from the rules: an agreement signed in round t
binds from round t + 1 + enters_into_force (7.20.5), a phase's ceiling is
level + (1 - share) * (baseline - level), a suspended actor plays no turn, a linkage on an
issue no session can agree blocks everything (7.9), allies in a bloc do not observe each
other (7.20.1). None is read from a run.
"""

from __future__ import annotations

import numpy as np
import pytest
from helpers import SCENARIOS

from armsim.abm import run_mesa
from armsim.batch import run_chunk
from armsim.compile import build_spec
from armsim.scenario import load_scenario, validate_file
from armsim.scenario.problems import format_path

HISTORY = SCENARIOS / "history"
FILES = sorted(HISTORY.glob("*.yaml"))
RUNS = np.arange(200)
NOT_PLAYED, COMPLIED = -1, 0
TOL = 1e-6

#: the warnings each file's comments justify, by path (none elsewhere)
WARNINGS = {
    "freeze_for_freeze_2018": [
        "sessions[1].insists.united_states[0]",   # Hanoi: denuclearisation on no agenda
        "sessions[2].agenda[0]",                  # Panmunjom: one round, nobody concedes
        "sessions[2].agenda[1]",
    ],
}


def load(name: str, overrides: dict | None = None):
    return load_scenario(HISTORY / f"{name}.yaml", overrides)


def traced(name: str, overrides: dict | None = None, runs: np.ndarray = RUNS) -> dict:
    return run_chunk(load(name, overrides), runs, trajectories=True)


def index(name: str) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """The engine's indices of actors, issues and forces."""
    spec = build_spec(load(name))
    return ({a: n for n, a in enumerate(spec.actors)}, {i: n for n, i in enumerate(spec.issues)},
            {k: n for n, k in enumerate(spec.forces)})


def test_the_four_cases_are_bundled():
    assert [p.stem for p in FILES] == ["cfe_1990", "freeze_for_freeze_2018", "jcpoa_2015",
                                       "new_start_2010"]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_each_file_validates_with_only_its_justified_warnings(path):
    loaded, problems = validate_file(path)
    assert loaded is not None
    assert [p for p in problems if p.severity == "error"] == []
    assert [format_path(p.path) for p in problems] == WARNINGS.get(path.stem, [])


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_each_file_runs_the_same_on_both_engines(path):
    loaded = load_scenario(path)
    runs = np.array([0, 1, 2])
    batch = run_chunk(loaded, runs, trajectories=True)
    mesa = run_mesa(loaded, runs, trajectories=True)
    assert batch.keys() == mesa.keys()
    assert [k for k in batch if not np.array_equal(batch[k], mesa[k], equal_nan=True)] == []


# --- New START: signed April 2010 (round 0), in force February 2011 ----------------------

SIGNED, ENTRY = 0, 0 + 1 + 9           # Prague; 5 February 2011
LIMITS_MET = ENTRY + 84                # seven years after entry into force: February 2018
TERM_END, LAST_END = ENTRY + 120, ENTRY + 120 + 60   # February 2021; February 2026
RUSSIA_SUSPENDS = 154                  # February 2023


@pytest.fixture(scope="module")
def new_start():
    return traced("new_start_2010")


def test_new_start_binds_nobody_before_its_entry_into_force(new_start):
    assert (new_start["agreement_round"] == SIGNED).all()
    assert (new_start["trace.action"][:, :ENTRY] == NOT_PLAYED).all()
    assert (new_start["trace.action"][:, ENTRY] != NOT_PLAYED).all()


def test_new_starts_central_limits_bind_at_the_round_article_ii_sets(new_start):
    """No ceiling before February 2018; then 1,550 warheads. The United States, whose
    warheads settle near 1,800 without the treaty (its steady state, 0.05 * 1800 = 74.63
    + 0.01 * 1537 a month), holds more than 1,550 the month before, and no more from
    the month the limits bind, in every run where it complies then; likewise its own sum
    of deployed and non-deployed launchers, at most 800."""
    actor, issue, force = index("new_start_2010")
    us, ru = actor["united_states"], actor["russia"]
    ceiling = new_start["trace.ceiling"][:, :, issue["deployed_warheads"]]
    assert np.isnan(ceiling[:, :LIMITS_MET]).all()
    assert (ceiling[:, LIMITS_MET:TERM_END, [us, ru]] == 1550).all()
    x = new_start["trace.forces"]
    complying = new_start["trace.action"][:, LIMITS_MET, us] == COMPLIED
    assert complying.mean() > 0.9
    assert (x[:, LIMITS_MET - 1, us, force["deployed_warheads"]] > 1550).all()
    assert (x[complying, LIMITS_MET, us, force["deployed_warheads"]] <= 1550 + TOL).all()
    launchers = x[:, :, us, force["deployed_launchers"]] + x[:, :, us,
                                                             force["nondeployed_launchers"]]
    assert (launchers[:, LIMITS_MET - 1] > 800).all()
    assert (launchers[complying, LIMITS_MET] <= 800 + TOL).all()


def test_new_start_is_extended_where_both_still_value_it_then_expires(new_start):
    """At the end of the ten-year term the treaty is extended by five years exactly in
    the runs where each party's trust in the other, the month before, gives
    q R + (1 - q) S >= P, i.e. q >= 1/3 (the withdrawal test, 7.12); the extended term
    ends in February 2026 and no extension is left: it expires."""
    actor, issue, _ = index("new_start_2010")
    us, ru = actor["united_states"], actor["russia"]
    quiet = new_start["crisis_round"] < 0
    trust = new_start["trace.trust"][:, TERM_END - 1]
    values = (trust[:, us, ru] >= 1 / 3) & (trust[:, ru, us] >= 1 / 3)
    in_force = new_start["trace.in_force"][:, :, issue["deployed_warheads"]]
    assert (in_force[quiet, TERM_END] == values[quiet]).all()
    assert values[quiet].mean() > 0.9                 # as it was, on 3 February 2021
    assert not in_force[:, LAST_END].any()
    assert new_start["expired"][quiet].all()


def test_after_russias_suspension_only_the_united_states_plays(new_start):
    actor, issue, _ = index("new_start_2010")
    quiet = new_start["crisis_round"] < 0
    action = new_start["trace.action"][quiet]
    assert (action[:, RUSSIA_SUSPENDS:, actor["russia"]] == NOT_PLAYED).all()
    assert (action[:, RUSSIA_SUSPENDS:LAST_END, actor["united_states"]] != NOT_PLAYED).all()
    # suspended, not withdrawn: the treaty stays in force to the end of its term
    assert new_start["trace.in_force"][quiet, LAST_END - 1].all()
    assert not new_start["collapsed"].any()


# --- the JCPOA: the Joint Plan of Action (rounds 0-2), the JCPOA (rounds 19-22) ----------

US_LEAVES, IRAN_LAST_STEP = 56, 89      # May 2018; February 2021


@pytest.fixture(scope="module")
def jcpoa():
    return traced("jcpoa_2015")


def signature_rounds(out: dict, issue: int) -> np.ndarray:
    """The round in which each run's latest agreement on an issue was signed: the first
    round from which it is in force without a break to the run's last."""
    in_force = out["trace.in_force"][:, :, issue]
    last_gap = np.where(~in_force, np.arange(in_force.shape[1]), -1).max(axis=1)
    return last_gap + 1


def test_the_interim_deal_binds_before_the_final_one(jcpoa):
    """The interim deal, signed in its session (rounds 0-2), binds from the round after
    next (enters_into_force 1); it caps enrichment at no more than 5% (the P5+1's red
    line) while Iran's centrifuges, not on its agenda, stay free. The final deal, signed in
    the Vienna session (rounds 19-22), binds six rounds later (Implementation Day) and not
    before: the centrifuges are above its ceiling the round before, at most at it from
    then, where Iran complies."""
    actor, issue, force = index("jcpoa_2015")
    iran = actor["iran"]
    quiet = jcpoa["crisis_round"] < 0
    interim = jcpoa["agreement_round"][quiet]
    assert ((interim >= 0) & (interim <= 2)).all()
    final = signature_rounds(jcpoa, issue["centrifuge_cap"])[quiet]
    assert ((final >= 19) & (final <= 22)).all()
    action = jcpoa["trace.action"][quiet, :, iran]
    x = jcpoa["trace.forces"][quiet, :, iran]
    cap = jcpoa["agreed.centrifuge_cap"][quiet]
    for r, (t0, tf) in enumerate(zip(interim, final)):
        assert (action[r, :t0 + 2] == NOT_PLAYED).all() and action[r, t0 + 2] != NOT_PLAYED
        held = np.flatnonzero(action[r, t0 + 2:tf + 6] == COMPLIED) + t0 + 2
        assert (x[r, held, force["enrichment"]] <= 5 + TOL).all()
        assert x[r, tf + 5, force["centrifuges"]] > cap[r]
        if action[r, tf + 6] == COMPLIED:
            assert x[r, tf + 6, force["centrifuges"]] <= cap[r] + TOL


def test_iran_plays_against_the_sanctioning_powers_who_do_not_play_each_other(jcpoa):
    """Caps traded for relief pair Iran with the United States and the E3/EU (7.20.2);
    allies in a bloc do not observe each other (7.20.1): the US's trust in the E3/EU
    never moves from its initial 0.5, while Iran's in the US moves, from the interim
    deal's first turn on, by the trust rule: 0.1 + 0.02 * 0.9 = 0.118 on an observed
    compliance, 0.1 - 0.3 * 0.1 = 0.07 on a detected defection."""
    actor, _, _ = index("jcpoa_2015")
    us, e3, iran = actor["united_states"], actor["e3_eu"], actor["iran"]
    trust = jcpoa["trace.trust"]
    assert (trust[:, :, us, e3] == 0.5).all() and (trust[:, :, e3, us] == 0.5).all()
    first = jcpoa["agreement_round"] + 2
    quiet = jcpoa["crisis_round"] < 0
    seen = trust[quiet, first[quiet], iran, us]
    assert np.isin(np.round(seen, 12), [0.118, 0.07]).all()
    assert (trust[quiet, first[quiet] - 1, iran, us] == 0.1).all()


def test_after_the_us_exit_its_sanctions_come_back_and_irans_programme_grows(jcpoa):
    """From May 2018 the United States is bound by nothing: its sanctions, pushed by the
    new administration's grievance of 10 a month against a fatigue of 0.05 * 100 at most,
    rise by at least 5 points a month and reach their max, 100, within 20 months. Iran's
    enrichment, freed in July 2019 at no more than 5%, moves toward its steady state of
    20% by 1 - 0.05 x a month: 20 - 15 * 0.95^19 = 14.3% by February 2021 (noise 0.1 a
    month moves it by well under a point)."""
    actor, _, force = index("jcpoa_2015")
    us, iran = actor["united_states"], actor["iran"]
    quiet = jcpoa["crisis_round"] < 0
    assert (jcpoa["trace.action"][quiet, US_LEAVES:, us] == NOT_PLAYED).all()
    assert (jcpoa["trace.forces"][quiet, US_LEAVES + 20, us, force["sanctions"]] == 100).all()
    enrichment = jcpoa["trace.forces"][quiet, IRAN_LAST_STEP, iran, force["enrichment"]]
    assert (np.abs(enrichment - (20 - 15 * 0.95 ** 19)) < 1.5).mean() > 0.9
    assert (jcpoa["trace.action"][quiet, IRAN_LAST_STEP, iran] == NOT_PLAYED).all()


# --- the CFE Treaty: signed November 1990 (round 0), applied from July 1992 --------------

CFE_ENTRY = 0 + 1 + 19                 # provisional application, 17 July 1992
PHASES = {CFE_ENTRY + 16: 0.25, CFE_ENTRY + 28: 0.6, CFE_ENTRY + 40: 1.0}   # Article VIII
SUSPENDED, WITHDRAWN = 205, 396        # December 2007; November 2023
BLOCS = {"nato": ["nato_centre", "nato_flank"], "warsaw_pact": ["soviet_union",
                                                               "eastern_europe"]}


@pytest.fixture(scope="module")
def cfe():
    return traced("cfe_1990")


def test_the_cfe_ceilings_come_in_the_three_phases_of_article_viii(cfe):
    """Before November 1993 no ceiling binds; then a quarter, 60% and all of each group's
    cut from what its members held together at entry into force (the levels at the end
    of round 19) to 20,000 tanks is due."""
    actor, issue, force = index("cfe_1990")
    ceiling = cfe["trace.ceiling"][:, :, issue["group_tanks"]]
    x = cfe["trace.forces"]
    assert np.isnan(ceiling[:, :min(PHASES)]).all()
    for members in BLOCS.values():
        held = [actor[m] for m in members]
        baseline = np.nansum(x[:, CFE_ENTRY - 1][:, held][:, :, [force["tanks_centre"],
                                                                force["tanks_flank"]]],
                             axis=(1, 2))
        for t, share in PHASES.items():
            due = 20000 + (1 - share) * np.maximum(baseline - 20000, 0)
            assert ceiling[:, t, held[0]] == pytest.approx(due, rel=1e-12)


def test_the_compliers_of_a_group_never_hold_more_than_its_ceilings(cfe):
    """From November 1995 to the withdrawal: each group's complying members together hold
    at most 20,000 tanks and 4,700 in the flank zone (Articles IV and V), and the Soviet
    Union, then its successors, at most 13,300 while it complies (Article VI)."""
    actor, _, force = index("cfe_1990")
    action = cfe["trace.action"][:, max(PHASES):WITHDRAWN]
    x = np.nan_to_num(cfe["trace.forces"][:, max(PHASES):WITHDRAWN])
    centre, flank = force["tanks_centre"], force["tanks_flank"]
    for members in BLOCS.values():
        held = [actor[m] for m in members]
        complies = action[:, :, held] == COMPLIED
        assert (np.where(complies, x[:, :, held, centre] + x[:, :, held, flank], 0)
                .sum(axis=2) <= 20000 + TOL).all()
        assert (np.where(complies, x[:, :, held, flank], 0).sum(axis=2) <= 4700 + TOL).all()
    soviet = actor["soviet_union"]
    complies = action[:, :, soviet] == COMPLIED
    assert complies[:, :SUSPENDED - max(PHASES)].mean() > 0.99
    assert ((x[:, :, soviet, centre] + x[:, :, soviet, flank])[complies] <= 13300 + TOL).all()


def test_russias_suspension_then_withdrawal_end_the_treaty(cfe):
    actor, _, _ = index("cfe_1990")
    quiet = cfe["crisis_round"] < 0
    action = cfe["trace.action"][quiet]
    assert (action[:, SUSPENDED:, actor["soviet_union"]] == NOT_PLAYED).all()
    assert (action[:, SUSPENDED:WITHDRAWN, actor["nato_centre"]] != NOT_PLAYED).all()
    assert cfe["trace.in_force"][quiet, WITHDRAWN - 1].all()
    assert not cfe["trace.in_force"][:, WITHDRAWN].any()
    assert cfe["collapsed"][quiet].all()


# --- freeze for freeze: Seoul's mediation (rounds 0-3), Hanoi (10-11), Panmunjom (15) ----

HANOI = [10, 11]
TESTS_RESUME, EXERCISES_RESUME = 14, 53          # May 2019; August 2022


@pytest.fixture(scope="module")
def freeze():
    return traced("freeze_for_freeze_2018")


def test_hanoi_agrees_nothing_because_of_that_sessions_linkage(freeze):
    """At Hanoi the United States insists on complete denuclearisation, which no session
    has on its agenda: it is never agreed, so no acceptance of the United States counts
    there and nothing is agreed (7.9). Without that session's linkage, the same runs trade
    Yongbyon for part of the sanctions at Hanoi."""
    _, issue, _ = index("freeze_for_freeze_2018")
    for key in ("yongbyon", "sanctions_relief", "denuclearisation"):
        assert np.isnan(freeze[f"agreed.{key}"]).all()
    unlinked = traced("freeze_for_freeze_2018", {"sessions.1.insists": {}})
    quiet = unlinked["crisis_round"] < 0
    signed = signature_rounds(unlinked, issue["yongbyon"])[quiet]
    assert np.isin(signed, HANOI).all()
    assert (unlinked["agreed.yongbyon"][quiet] == 0).all()          # dismantled
    relief = unlinked["agreed.sanctions_relief"][quiet]
    assert ((relief > 0) & (relief < 100)).all()                     # part of the sanctions


def test_the_freeze_binds_the_tests_at_once_and_the_exercises_after_singapore(freeze):
    """Agreed in round t of the mediated session, the tests' freeze binds North Korea from
    t + 1 and the exercises' freeze the allies from t + 1 + 4; North Korea's launches are
    held at the agreed level while it complies, until it suspends its part (May 2019)."""
    actor, issue, force = index("freeze_for_freeze_2018")
    nk, us, rok = actor["north_korea"], actor["united_states"], actor["south_korea"]
    quiet = freeze["crisis_round"] < 0
    t = freeze["agreement_round"][quiet]
    assert ((t >= 0) & (t <= 3)).all()
    action = freeze["trace.action"][quiet]
    level = freeze["agreed.test_freeze"][quiet]
    tests = freeze["trace.forces"][quiet, :, nk, force["missile_tests"]]
    for r, t0 in enumerate(t):
        assert (action[r, :t0 + 1, nk] == NOT_PLAYED).all()
        assert (action[r, t0 + 1:TESTS_RESUME, nk] != NOT_PLAYED).all()
        assert (action[r, :t0 + 5, [us, rok]] == NOT_PLAYED).all()
        assert (action[r, t0 + 5, [us, rok]] != NOT_PLAYED).all()
        held = np.flatnonzero(action[r, :TESTS_RESUME, nk] == COMPLIED)
        assert (tests[r, held] <= level[r] + TOL).all()
    assert (action[:, TESTS_RESUME:, nk] == NOT_PLAYED).all()
    assert (action[:, EXERCISES_RESUME:, [us, rok]] == NOT_PLAYED).all()


def test_the_allies_exercise_together_under_one_ceiling_and_do_not_play_each_other(freeze):
    """The exercises' ceiling is on the alliance's total (ceiling: bloc): the complying
    allies together hold at most the agreed level while it binds; and allies in a bloc do
    not observe each other, so their trust in each other never moves from 0.5."""
    actor, _, force = index("freeze_for_freeze_2018")
    us, rok = actor["united_states"], actor["south_korea"]
    quiet = freeze["crisis_round"] < 0
    start = freeze["agreement_round"][quiet] + 5
    action = freeze["trace.action"][quiet]
    x = freeze["trace.forces"][quiet, :, :, force["exercises"]]
    cap = freeze["agreed.exercise_freeze"][quiet]
    for r, t0 in enumerate(start):
        rounds = np.arange(t0, EXERCISES_RESUME)
        both = (action[r, rounds][:, [us, rok]] == COMPLIED).all(axis=1)
        assert (x[r, rounds[both]][:, [us, rok]].sum(axis=1) <= cap[r] + TOL).all()
    trust = freeze["trace.trust"]
    assert (trust[:, :, us, rok] == 0.5).all() and (trust[:, :, rok, us] == 0.5).all()
