"""Every check of the scenario language: one small bad file, its exact location and message.

Positions were counted by hand from the files below: line 1 is the first line of the
file, columns are 1-based and point at the offending value, or at the key for unknown
keys, unknown names used as keys and duplicate keys. The comment by each case shows
the count: the text before the offending token, and its length.
"""

from __future__ import annotations

import pytest
from scenario_helpers import check, errors, the_error, where

from armsim.scenario import Scenario, validate_text

STRATEGIES = ("boulware, linear, conceder, time_dependent, tit_for_tat, grit, hardliner, "
              "rubinstein")
COMPLIANCE = ("always_comply, always_defect, tit_for_tat, grim, tit_for_two_tats, "
              "suspicious_tit_for_tat, alternate, random, generous_tit_for_tat, conditional, "
              "deterred")


def case(id_: str, text: str, line: int, column: int, message: str):
    return pytest.param(text, line, column, message, id=id_)


def test_the_valid_skeleton_used_below_is_valid():
    scenario, problems = check("""
        armsim: 1
        name: t
        actors:
          a: {}
        """)
    assert isinstance(scenario, Scenario) and problems == []


# --- unknown or misspelt keys ----------------------------------------------------------

UNKNOWN_KEYS = [
    case("top-level", """
        armsim: 1
        name: t
        descripton: about
        actors:
          a: {}
        """, 3, 1, "unknown key 'descripton'; did you mean 'description'?"),
    # line 4 `  a: {` is 6 characters: the key starts at 7
    case("actor", """
        armsim: 1
        name: t
        actors:
          a: {patiense: 0.5}
        """, 4, 7, "unknown key 'patiense'; did you mean 'patience'?"),
    # `    strategy: {type: tit_for_tat, ` is 4 + 10 + 1 + 19 = 34 characters
    case("strategy-parameter", """
        armsim: 1
        name: t
        actors:
          a:
            strategy: {type: tit_for_tat, reciprocty: 1}
        """, 5, 35, "unknown key 'reciprocty'; did you mean 'reciprocity'?"),
    # `        red_line: {` is 8 + 10 + 1 = 19 characters
    case("red-line", """
        armsim: 1
        name: t
        issues:
          d: {label: D, range: [0, 10]}
        actors:
          a:
            preferences:
              d:
                ideal: 2
                red_line: {mn: 1}
        """, 10, 20, "unknown key 'mn'; did you mean 'min'?"),
    # `  payoffs: {` is 2 + 9 + 1 = 12 characters
    case("payoffs", """
        armsim: 1
        name: t
        actors:
          a: {}
        environment:
          payoffs: {r: 1}
        """, 6, 13, "unknown key 'r'; did you mean 'R'?"),
    case("environment", """
        armsim: 1
        name: t
        actors:
          a: {}
        environment:
          verificaton: 0.9
        """, 6, 3, "unknown key 'verificaton'; did you mean 'verification'?"),
    # suggestions come from the keys allowed *there*: a session has no 'label' ...
    case("no-suggestion-from-elsewhere", """
        armsim: 1
        name: t
        actors:
          a: {}
          b: {}
        sessions:
          - venue: G
            participants: [a, b]
            agenda: []
            rounds: 1
            lable: first
        """, 11, 5, "unknown key 'lable'"),
    # ... and 'rounds' (a session key) in an actor is not "did you mean 'rounds'?"
    case("no-self-suggestion", """
        armsim: 1
        name: t
        actors:
          a: {rounds: 3}
        """, 4, 7, "unknown key 'rounds'"),
    # a compliance strategy without parameters has no key 'p'
    case("compliance-parameter", """
        armsim: 1
        name: t
        actors:
          a: {compliance: {type: grim, p: 0.1}}
        """, 4, 32, "unknown key 'p'"),
]


@pytest.mark.parametrize("text, line, column, message", UNKNOWN_KEYS)
def test_unknown_keys_are_located_at_the_key(text, line, column, message):
    assert where(the_error(text)) == (line, column, message)


# --- wrong types -----------------------------------------------------------------------

WRONG_TYPES = [
    case("runs-text", """
        armsim: 1
        name: t
        runs: many
        actors:
          a: {}
        """, 3, 7, "expected a whole number, got 'many'"),
    case("runs-fraction", """
        armsim: 1
        name: t
        runs: 2.5
        actors:
          a: {}
        """, 3, 7, "expected a whole number, got 2.5"),
    # `  a: {patience: ` is 2 + 3 + 1 + 10 = 16 characters
    case("number-as-text", """
        armsim: 1
        name: t
        actors:
          a: {patience: high}
        """, 4, 17, "expected a number, got str 'high'"),
    case("number-as-null", """
        armsim: 1
        name: t
        actors:
          a: {patience: ~}
        """, 4, 17, "expected a number, got nothing (null)"),
    case("number-as-list", """
        armsim: 1
        name: t
        actors:
          a: {patience: [0.9]}
        """, 4, 17, "expected a number, got a list"),
    # `  a: {rivals: ` is 6 + 8 = 14 characters
    case("list-as-name", """
        armsim: 1
        name: t
        actors:
          a: {rivals: b}
          b: {}
        """, 4, 15, "expected a list, got str 'b'"),
    # `  - {` 5, `venue: G, ` 10, `participants: [a, b], ` 22, `agenda: [], ` 12,
    # `rounds: 1, ` 11, `package: ` 9: 69 characters
    case("boolean", """
        armsim: 1
        name: t
        actors:
          a: {}
          b: {}
        sessions:
          - {venue: G, participants: [a, b], agenda: [], rounds: 1, package: maybe}
        """, 7, 70, "expected true or false, got 'maybe'"),
    # `  m: {label: ` is 6 + 7 = 13 characters
    case("text-as-list", """
        armsim: 1
        name: t
        forces:
          m: {label: [x], max: 1}
        actors:
          a: {}
        """, 4, 14, "expected text, got a list"),
    case("mapping-as-list", """
        armsim: 1
        name: t
        actors: [a, b]
        """, 3, 9, "expected a mapping, got a list"),
    case("preference-as-number", """
        armsim: 1
        name: t
        issues:
          d: {label: D, range: [0, 1]}
        actors:
          a:
            preferences: {d: 5}
        """, 7, 22, "expected a mapping, got int 5"),
    # `  a: {strategy: ` is 6 + 10 = 16 characters
    case("unknown-strategy", """
        armsim: 1
        name: t
        actors:
          a: {strategy: tit_for_tatt}
        """, 4, 17, "unknown strategy 'tit_for_tatt'; did you mean 'tit_for_tat'? "
                    f"(known: {STRATEGIES})"),
    # `  a: {compliance: {type: ` is 6 + 12 + 1 + 6 = 25 characters
    case("unknown-compliance", """
        armsim: 1
        name: t
        actors:
          a: {compliance: {type: tit_for_two_tat}}
        """, 4, 26, "unknown compliance strategy 'tit_for_two_tat'; did you mean "
                    f"'tit_for_two_tats'? (known: {COMPLIANCE})"),
    case("strategy-without-type", """
        armsim: 1
        name: t
        actors:
          a: {strategy: {exponent: 2}}
        """, 4, 17, "missing 'type': say which strategy, e.g. {type: linear}"),
    case("infinite-number", """
        armsim: 1
        name: t
        dt: .inf
        actors:
          a: {}
        """, 3, 5, "expected a finite number, got inf"),
]


@pytest.mark.parametrize("text, line, column, message", WRONG_TYPES)
def test_wrong_types(text, line, column, message):
    assert where(the_error(text)) == (line, column, message)


# --- ranges ----------------------------------------------------------------------------

RANGES = [
    # `      d: {ideal: ` is 6 + 3 + 1 + 7 = 17 characters
    case("ideal-outside-issue-range", """
        armsim: 1
        name: t
        issues:
          d: {label: D, range: [0, 400]}
        actors:
          a:
            preferences:
              d: {ideal: 500}
        """, 8, 18, "ideal 500 is outside the issue's range [0, 400]"),
    # `      d: {ideal: 200, red_line: ` is 10 + 12 + 10 = 32 characters
    case("red-line-min-above-max", """
        armsim: 1
        name: t
        issues:
          d: {label: D, range: [0, 400]}
        actors:
          a:
            preferences:
              d: {ideal: 200, red_line: {min: 300, max: 100}}
        """, 8, 33, "min (300) is above max (100): no level could ever be accepted"),
    # `      d: {ideal: 5, red_line: {min: ` is 10 + 10 + 10 + 1 + 5 = 36 characters
    case("red-line-outside-issue-range", """
        armsim: 1
        name: t
        issues:
          d: {label: D, range: [0, 10]}
        actors:
          a:
            preferences:
              d: {ideal: 5, red_line: {min: -1}}
        """, 8, 37, "red line min -1 is outside the issue's range [0, 10]"),
    case("ideal-beyond-own-red-line", """
        armsim: 1
        name: t
        issues:
          d: {label: D, range: [0, 10]}
        actors:
          a:
            preferences:
              d: {ideal: 2, red_line: {min: 5}}
        """, 8, 18, "ideal 2 lies beyond the actor's own red line [5, 10]"),
    # `non_negotiable: true` is `min: hi`; with a red line too, it is ambiguous.
    # `      d: {red_line: {max: 5}, ` is 10 + 10 + 10 = 30 characters
    case("non-negotiable-and-red-line", """
        armsim: 1
        name: t
        issues:
          d: {label: D, range: [0, 10]}
        actors:
          a:
            preferences:
              d: {red_line: {max: 5}, non_negotiable: true}
        """, 8, 47, "non_negotiable: true already means red_line {min: hi}; give one or the "
                    "other"),
    case("patience-above-1", """
        armsim: 1
        name: t
        actors:
          a: {patience: 1.5}
        """, 4, 17, "1.5 is outside (0, 1]"),
    case("patience-0", """
        armsim: 1
        name: t
        actors:
          a: {patience: 0}
        """, 4, 17, "0 is outside (0, 1]"),
    # `  a: {reservation: ` is 6 + 13 = 19 characters
    case("reservation-1", """
        armsim: 1
        name: t
        actors:
          a: {reservation: 1}
        """, 4, 20, "1 is outside [0, 1)"),
    case("reservation-negative", """
        armsim: 1
        name: t
        actors:
          a: {reservation: -0.1}
        """, 4, 20, "-0.1 is outside [0, 1)"),
    # `  - {` 5, `venue: G, ` 10, `participants: [a, b], ` 22, `agenda: [], ` 12, `rounds: ` 8
    case("negative-rounds", """
        armsim: 1
        name: t
        actors:
          a: {}
          b: {}
        sessions:
          - {venue: G, participants: [a, b], agenda: [], rounds: -1}
        """, 7, 58, "-1 is out of range: it should be greater than or equal to 1"),
    case("zero-rounds", """
        armsim: 1
        name: t
        actors:
          a: {}
          b: {}
        sessions:
          - {venue: G, participants: [a, b], agenda: [], rounds: 0}
        """, 7, 58, "0 is out of range: it should be greater than or equal to 1"),
    case("negative-aftermath", """
        armsim: 1
        name: t
        aftermath: -1
        actors:
          a: {}
        """, 3, 12, "-1 is out of range: it should be greater than or equal to 0"),
    # `  verification: ` is 2 + 14 = 16 characters
    case("verification-above-1", """
        armsim: 1
        name: t
        actors:
          a: {}
        environment:
          verification: 1.2
        """, 6, 17, "1.2 is outside [0, 1]"),
    case("verification-negative", """
        armsim: 1
        name: t
        actors:
          a: {}
        environment:
          verification: -0.5
        """, 6, 17, "-0.5 is outside [0, 1]"),
    # `  d: {label: D, range: ` is 6 + 10 + 7 = 23 characters
    case("range-lo-equals-hi", """
        armsim: 1
        name: t
        issues:
          d: {label: D, range: [5, 5]}
        actors:
          a: {}
        """, 4, 24, "range [5, 5] needs lo < hi (hi is the status quo, no limit)"),
    case("range-lo-above-hi", """
        armsim: 1
        name: t
        issues:
          d: {label: D, range: [5, 1]}
        actors:
          a: {}
        """, 4, 24, "range [5, 1] needs lo < hi (hi is the status quo, no limit)"),
    case("range-of-three", """
        armsim: 1
        name: t
        issues:
          d: {label: D, range: [1, 2, 3]}
        actors:
          a: {}
        """, 4, 24, "expected a list [lo, hi] of two numbers, got a list"),
    # `      m: {initial: ` is 6 + 3 + 1 + 9 = 19 characters
    case("initial-above-max", """
        armsim: 1
        name: t
        forces:
          m: {label: M, max: 400}
        actors:
          a:
            forces:
              m: {initial: 500}
        """, 8, 20, "initial 500 exceeds the force's max 400"),
    # `  m: {label: M, max: ` is 6 + 10 + 5 = 21 characters
    case("force-max-zero", """
        armsim: 1
        name: t
        forces:
          m: {label: M, max: 0}
        actors:
          a: {}
        """, 4, 22, "0 is outside (0, inf)"),
]


@pytest.mark.parametrize("text, line, column, message", RANGES)
def test_ranges(text, line, column, message):
    assert where(the_error(text)) == (line, column, message)


# --- distributions ---------------------------------------------------------------------

DISTRIBUTIONS = [
    # `    patience: ` is 4 + 10 = 14 characters
    case("normal-unbounded-for-probability", """
        armsim: 1
        name: t
        actors:
          a:
            patience: {dist: normal, mean: 0.9, sd: 0.05}
        """, 5, 15, "the distribution's support [-inf, inf] leaves (0, 1]; give it low/high "
                    "bounds inside that interval"),
    # `    reservation: ` is 4 + 13 = 17 characters
    case("uniform-beyond-half-open-range", """
        armsim: 1
        name: t
        actors:
          a:
            reservation: {dist: uniform, low: 0.5, high: 1.5}
        """, 5, 18, "the distribution's support [0.5, 1.5] leaves [0, 1); give it low/high "
                    "bounds inside that interval"),
    # a beta rescaled to [0, 1] touches 1, which a reservation may not reach
    case("beta-touching-open-end", """
        armsim: 1
        name: t
        actors:
          a:
            reservation: {dist: beta, a: 2, b: 5}
        """, 5, 18, "the distribution's support [0, 1] leaves [0, 1); give it low/high "
                    "bounds inside that interval"),
    case("unknown-dist", """
        armsim: 1
        name: t
        actors:
          a:
            patience: {dist: poisson, lam: 1}
        """, 5, 15, "bad distribution: unknown dist 'poisson'; use one of uniform, normal, "
                    "triangular, beta"),
    case("missing-parameter", """
        armsim: 1
        name: t
        actors:
          a:
            patience: {dist: uniform, low: 0.9}
        """, 5, 15, "bad distribution: high: Field required"),
    case("low-above-high", """
        armsim: 1
        name: t
        actors:
          a:
            patience: {dist: uniform, low: 0.99, high: 0.9}
        """, 5, 15, "bad distribution: low (0.99) must not exceed high (0.9)"),
    case("zero-sd", """
        armsim: 1
        name: t
        actors:
          a:
            patience: {dist: normal, mean: 0.9, sd: 0, low: 0.5, high: 1}
        """, 5, 15, "bad distribution: sd: Input should be greater than 0"),
    case("triangular-mode-outside", """
        armsim: 1
        name: t
        actors:
          a:
            patience: {dist: triangular, low: 0.5, mode: 1.2, high: 1}
        """, 5, 15, "bad distribution: needs low <= mode <= high and low < high"),
    case("unknown-parameter", """
        armsim: 1
        name: t
        actors:
          a:
            patience: {dist: beta, a: 2, b: 2, c: 1}
        """, 5, 15, "bad distribution: c: unknown key"),
    case("mapping-without-dist", """
        armsim: 1
        name: t
        actors:
          a:
            patience: {low: 0.9, high: 1}
        """, 5, 15, "a mapping here must be a distribution, e.g. {dist: uniform, low: 0.9, "
                    "high: 0.99}"),
]


@pytest.mark.parametrize("text, line, column, message", DISTRIBUTIONS)
def test_bad_distributions(text, line, column, message):
    assert where(the_error(text)) == (line, column, message)


def test_a_distribution_inside_the_allowed_range_is_accepted():
    scenario, problems = check("""
        armsim: 1
        name: t
        actors:
          a:
            patience: {dist: normal, mean: 0.9, sd: 0.05, low: 0.8, high: 1}
            reservation: {dist: beta, a: 2, b: 5, low: 0, high: 0.5}
            trust: {dist: uniform, low: 0.2, high: 0.4}
        """)
    assert problems == []
    actor = scenario.actors["a"]
    assert actor.patience.support() == (0.8, 1.0)
    assert actor.reservation.mean() == pytest.approx(0.5 * 2 / 7)  # a / (a + b), rescaled
    assert actor.trust["*"].mean() == pytest.approx(0.3)  # one value for every counterpart


# --- references ------------------------------------------------------------------------

REFERENCES = [
    # `  - {venue: G, participants: [` is 5 + 10 + 15 = 30 characters, then `usa, ` 5
    case("session-participant", """
        armsim: 1
        name: t
        forces:
          missiles: {label: M, max: 400}
        issues:
          deployments: {label: D, range: [0, 400]}
          expansion: {label: E, range: [0, 1], binds: [nato]}
        actors:
          usa: {bloc: nato}
          russia: {}
        sessions:
          - {venue: G, participants: [usa, rusia], agenda: [deployments], rounds: 2}
        """, 12, 36, "unknown actor 'rusia'; did you mean 'russia'?"),
    # `  usa: {` 8, `bloc: nato, ` 12, `rivals: [` 9
    case("rival", """
        armsim: 1
        name: t
        forces:
          missiles: {label: M, max: 400}
        issues:
          deployments: {label: D, range: [0, 400]}
          expansion: {label: E, range: [0, 1], binds: [nato]}
        actors:
          usa: {bloc: nato, rivals: [rusia]}
          russia: {}
        sessions:
          - {venue: G, participants: [usa, russia], agenda: [deployments], rounds: 2}
        """, 9, 30, "unknown actor 'rusia'; did you mean 'russia'?"),
    # a trust key names an actor: located at the key. `  usa: {bloc: nato, trust: {` 28
    case("trust-key", """
        armsim: 1
        name: t
        forces:
          missiles: {label: M, max: 400}
        issues:
          deployments: {label: D, range: [0, 400]}
          expansion: {label: E, range: [0, 1], binds: [nato]}
        actors:
          usa: {bloc: nato, trust: {rusia: 0.5}}
          russia: {}
        sessions:
          - {venue: G, participants: [usa, russia], agenda: [deployments], rounds: 2}
        """, 9, 29, "unknown actor 'rusia'; did you mean 'russia'?"),
    # `  - {venue: G, participants: [usa, russia], agenda: [` is 5 + 10 + 29 + 9 = 53
    case("agenda", """
        armsim: 1
        name: t
        forces:
          missiles: {label: M, max: 400}
        issues:
          deployments: {label: D, range: [0, 400]}
          expansion: {label: E, range: [0, 1], binds: [nato]}
        actors:
          usa: {bloc: nato}
          russia: {}
        sessions:
          - {venue: G, participants: [usa, russia], agenda: [deployment], rounds: 2}
        """, 12, 54, "unknown issue 'deployment'; did you mean 'deployments'?"),
    # a preference key names an issue: located at the key. `  russia: {preferences: {` 25
    case("preference", """
        armsim: 1
        name: t
        forces:
          missiles: {label: M, max: 400}
        issues:
          deployments: {label: D, range: [0, 400]}
          expansion: {label: E, range: [0, 1], binds: [nato]}
        actors:
          usa: {bloc: nato}
          russia: {preferences: {expanson: {ideal: 0}}}
        sessions:
          - {venue: G, participants: [usa, russia], agenda: [deployments], rounds: 2}
        """, 10, 26, "unknown issue 'expanson'; did you mean 'expansion'?"),
    # `  russia: {insists: [` is 11 + 10 = 21 characters
    case("insists", """
        armsim: 1
        name: t
        forces:
          missiles: {label: M, max: 400}
        issues:
          deployments: {label: D, range: [0, 400]}
          expansion: {label: E, range: [0, 1], binds: [nato]}
        actors:
          usa: {bloc: nato}
          russia: {insists: [expanson]}
        sessions:
          - {venue: G, participants: [usa, russia], agenda: [deployments], rounds: 2}
        """, 10, 22, "unknown issue 'expanson'; did you mean 'expansion'?"),
    # `  deployments: {label: D, range: [0, 400], caps: ` is 16 + 10 + 17 + 6 = 49
    case("caps", """
        armsim: 1
        name: t
        forces:
          missiles: {label: M, max: 400}
        issues:
          deployments: {label: D, range: [0, 400], caps: missles}
          expansion: {label: E, range: [0, 1], binds: [nato]}
        actors:
          usa: {bloc: nato}
          russia: {}
        sessions:
          - {venue: G, participants: [usa, russia], agenda: [deployments], rounds: 2}
        """, 6, 50, "unknown force 'missles'; did you mean 'missiles'?"),
    # an actor's force key names a force: located at the key. `  russia: {forces: {` 20
    case("actor-force", """
        armsim: 1
        name: t
        forces:
          missiles: {label: M, max: 400}
        issues:
          deployments: {label: D, range: [0, 400]}
          expansion: {label: E, range: [0, 1], binds: [nato]}
        actors:
          usa: {bloc: nato}
          russia: {forces: {misiles: {initial: 1}}}
        sessions:
          - {venue: G, participants: [usa, russia], agenda: [deployments], rounds: 2}
        """, 10, 21, "unknown force 'misiles'; did you mean 'missiles'?"),
    # `  expansion: {label: E, range: [0, 1], binds: [` is 14 + 10 + 15 + 8 = 47
    case("binds-bloc", """
        armsim: 1
        name: t
        forces:
          missiles: {label: M, max: 400}
        issues:
          deployments: {label: D, range: [0, 400]}
          expansion: {label: E, range: [0, 1], binds: [natoo]}
        actors:
          usa: {bloc: nato}
          russia: {}
        sessions:
          - {venue: G, participants: [usa, russia], agenda: [deployments], rounds: 2}
        """, 7, 48, "unknown actor or bloc 'natoo'; did you mean 'nato'?"),
    case("participant-twice", """
        armsim: 1
        name: t
        forces:
          missiles: {label: M, max: 400}
        issues:
          deployments: {label: D, range: [0, 400]}
          expansion: {label: E, range: [0, 1], binds: [nato]}
        actors:
          usa: {bloc: nato}
          russia: {}
        sessions:
          - {venue: G, participants: [usa, usa], agenda: [deployments], rounds: 2}
        """, 12, 36, "'usa' is listed twice"),
    # `  - {venue: G, participants: ` is 5 + 10 + 14 = 29 characters
    case("one-participant", """
        armsim: 1
        name: t
        forces:
          missiles: {label: M, max: 400}
        issues:
          deployments: {label: D, range: [0, 400]}
          expansion: {label: E, range: [0, 1], binds: [nato]}
        actors:
          usa: {bloc: nato}
          russia: {}
        sessions:
          - {venue: G, participants: [usa], agenda: [deployments], rounds: 2}
        """, 12, 30, "a negotiation needs at least two participants"),
    case("no-suggestion-when-nothing-is-close", """
        armsim: 1
        name: t
        forces:
          missiles: {label: M, max: 400}
        issues:
          deployments: {label: D, range: [0, 400]}
          expansion: {label: E, range: [0, 1], binds: [nato]}
        actors:
          usa: {bloc: nato}
          russia: {}
        sessions:
          - {venue: G, participants: [usa, china], agenda: [deployments], rounds: 2}
        """, 12, 36, "unknown actor 'china'"),
    # no close spelling, but the same name in other case
    case("other-case", """
        armsim: 1
        name: t
        forces:
          missiles: {label: M, max: 400}
        issues:
          deployments: {label: D, range: [0, 400]}
          expansion: {label: E, range: [0, 1], binds: [nato]}
        actors:
          usa: {bloc: nato}
          russia: {}
        sessions:
          - {venue: G, participants: [USA, russia], agenda: [deployments], rounds: 2}
        """, 12, 31, "unknown actor 'USA'; did you mean 'usa'?"),
]


@pytest.mark.parametrize("text, line, column, message", REFERENCES)
def test_references(text, line, column, message):
    assert where(the_error(text)) == (line, column, message)


def test_a_bloc_named_by_an_actor_may_be_bound():
    """'nato' is no actor, but usa's bloc: binds: [nato] is a valid reference."""
    scenario, problems = check("""
        armsim: 1
        name: t
        issues:
          expansion: {label: E, range: [0, 1], binds: [nato, russia]}
        actors:
          usa: {bloc: nato}
          russia: {}
        """)
    assert problems == []
    assert scenario.issues["expansion"].binds == ("nato", "russia")


# --- rubinstein ------------------------------------------------------------------------

RUBINSTEIN = """
    armsim: 1
    name: t
    issues:
      d: {label: D, range: [0, 10]}
      e: {label: E, range: [0, 10]}
    actors:
      a: {strategy: rubinstein}
      b: {strategy: {type: rubinstein, horizon: infinite}}
      c: {}
    sessions:
      - {venue: G, participants: [a, b], agenda: [d], rounds: 3}
    """


def test_rubinstein_between_two_players_on_one_issue_is_valid():
    scenario, problems = check(RUBINSTEIN)
    assert problems == []
    assert scenario.actors["b"].strategy.horizon == "infinite"
    assert scenario.actors["a"].strategy.horizon == "finite"  # the default


@pytest.mark.parametrize("session, message", [
    ("{venue: G, participants: [a, b], agenda: [d, e], rounds: 3}",
     "a and b play 'rubinstein', Rubinstein's alternating offers between two players over "
     "one issue: this session has 2 participants (2 playing rubinstein) and 2 agenda "
     "issues; give it exactly two participants, both playing rubinstein, and one issue"),
    ("{venue: G, participants: [a, b, c], agenda: [d], rounds: 3}",
     "a and b play 'rubinstein', Rubinstein's alternating offers between two players over "
     "one issue: this session has 3 participants (2 playing rubinstein) and 1 agenda "
     "issue; give it exactly two participants, both playing rubinstein, and one issue"),
    ("{venue: G, participants: [a, c], agenda: [d], rounds: 3}",
     "a plays 'rubinstein', Rubinstein's alternating offers between two players over "
     "one issue: this session has 2 participants (1 playing rubinstein) and 1 agenda "
     "issue; give it exactly two participants, both playing rubinstein, and one issue"),
])
def test_rubinstein_outside_a_two_party_one_issue_session_is_an_error(session, message):
    # the added session is line 12; `  - ` is 4 characters, so its mapping starts at 5
    text = RUBINSTEIN + "  - " + session + "\n"
    error = the_error(text)
    assert where(error) == (12, 5, message)
    assert error.path == ("sessions", 1)


# --- red lines that leave no deal: a warning ------------------------------------------

NO_ZONE = """
    armsim: 1
    name: t
    issues:
      d: {{label: D, range: [0, 10]}}
    actors:
      a:
        preferences:
          d: {{ideal: 2, red_line: {{max: {a_max}}}}}
      b:
        preferences:
          d: {{ideal: 8, red_line: {{min: {b_min}}}}}
    sessions:
      - venue: G
        participants: [a, b]
        agenda: [d]
        rounds: 3
    """


def test_red_lines_that_leave_no_common_level_give_a_warning_and_the_file_is_valid():
    # a accepts [0, 4], b accepts [6, 10]: nothing in common. `    agenda: [` is 13 chars.
    scenario, problems = check(NO_ZONE.format(a_max=4, b_min=6))
    assert isinstance(scenario, Scenario)
    assert [(p.severity, *where(p)) for p in problems] == [
        ("warning", 15, 14,
         "the participants' red lines leave no common level on 'd': it cannot be agreed here")]
    assert str(problems[0]) == (
        "s.yaml:15:14: warning: sessions[0].agenda[0]: the participants' red lines leave no "
        "common level on 'd': it cannot be agreed here")


def test_red_lines_that_meet_at_one_level_leave_a_deal():
    # a accepts [0, 6], b accepts [6, 10]: exactly 6 in common
    scenario, problems = check(NO_ZONE.format(a_max=6, b_min=6))
    assert isinstance(scenario, Scenario) and problems == []


def test_non_negotiable_against_a_red_line_below_the_status_quo_warns():
    # non_negotiable means min: hi = 10; b will accept at most 9
    scenario, problems = check("""
        armsim: 1
        name: t
        issues:
          d: {label: D, range: [0, 10]}
        actors:
          a: {preferences: {d: {non_negotiable: true}}}
          b: {preferences: {d: {ideal: 5, red_line: {max: 9}}}}
        sessions:
          - {venue: G, participants: [a, b], agenda: [d], rounds: 3}
        """)
    assert isinstance(scenario, Scenario)
    # `  - {venue: G, participants: [a, b], agenda: [` is 5 + 10 + 22 + 9 = 46 characters
    assert [(p.severity, *where(p)) for p in problems] == [
        ("warning", 9, 47,
         "the participants' red lines leave no common level on 'd': it cannot be agreed here")]


# --- duplicate keys --------------------------------------------------------------------

def test_duplicate_keys_are_each_reported_at_the_repeated_key():
    found = errors("""
        armsim: 1
        name: t
        actors:
          a: {}
          a: {}
        name: u
        """)
    assert [where(p) for p in found] == [
        (5, 3, "duplicate key 'a' (first at line 4); YAML would silently keep only the last "
               "one: remove one of them"),
        (6, 1, "duplicate key 'name' (first at line 2); YAML would silently keep only the last "
               "one: remove one of them"),
    ]


def test_duplicate_keys_in_a_flow_mapping():
    # `  a: {patience: 0.5, ` is 6 + 15 = 21 characters
    error = the_error("""
        armsim: 1
        name: t
        actors:
          a: {patience: 0.5, patience: 0.6}
        """)
    assert where(error) == (4, 22, "duplicate key 'patience' (first at line 4); YAML would "
                                   "silently keep only the last one: remove one of them")


# --- YAML 1.1 booleans where a name was meant -----------------------------------------

def hint(word: str) -> str:
    return (f" (YAML 1.1 reads the unquoted {word} as a boolean; write it in quotes, "
            f"'{word}', if you meant a name)")


def test_yaml_1_1_booleans_where_names_were_meant_say_to_quote_them():
    found = errors("""
        armsim: 1
        name: t
        actors:
          NO: {}
          yes: {rivals: [NO]}
          b: {rivals: [off], bloc: yes, label: on}
        sessions:
          - {venue: G, participants: [no, b], agenda: [], rounds: 1}
        """)
    # line 5 `  yes: {rivals: [` 17; line 6 `  b: {rivals: [` 15, `off], bloc: ` + 12,
    # `yes, label: ` + 12; line 8 `  - {venue: G, participants: [` 30
    assert [where(p) for p in found] == [
        (5, 18, "expected a name, got the boolean false" + hint("NO")),
        (6, 16, "expected a name, got the boolean false" + hint("off")),
        (6, 28, "expected a name, got the boolean true" + hint("yes")),
        (6, 40, "expected text, got the boolean true" + hint("on")),
        (8, 31, "expected a name, got the boolean false" + hint("no")),
    ]


def test_yaml_1_1_booleans_as_keys_and_quoted_are_names():
    scenario, problems = check("""
        armsim: 1
        name: t
        actors:
          NO: {rivals: ['yes']}
          yes: {rivals: ["NO"], label: 'on'}
        sessions:
          - {venue: G, participants: ['NO', 'yes'], agenda: [], rounds: 1, package: yes}
        """)
    assert problems == []
    assert list(scenario.actors) == ["NO", "yes"]
    assert scenario.actors["NO"].rivals == ["yes"]
    assert scenario.actors["yes"].label == "on"
    assert scenario.sessions[0].package is True  # a boolean where a boolean is meant


# --- format version, top level, YAML syntax -------------------------------------------

@pytest.mark.parametrize("text, line, column, message", [
    case("version-2", """
        armsim: 2
        name: t
        actors:
          a: {}
        """, 1, 9, "unsupported format version 2; this armsim reads 'armsim: 1'"),
    case("version-text", """
        armsim: "1"
        name: t
        actors:
          a: {}
        """, 1, 9, "unsupported format version '1'; this armsim reads 'armsim: 1'"),
    # a missing key has no position of its own: the top of the file
    case("version-missing", """
        name: t
        actors:
          a: {}
        """, 1, 1, "missing required key 'armsim'"),
    case("top-level-list", """
        - armsim: 1
        - name: t
        """, 1, 1, "a scenario is a mapping of keys (armsim, name, forces, issues, actors, "
                   "sessions...), not a list"),
    case("top-level-number", """
        42
        """, 1, 1, "a scenario is a mapping of keys (armsim, name, forces, issues, actors, "
                   "sessions...), not int 42"),
    case("top-level-text", """
        just some text
        """, 1, 1, "a scenario is a mapping of keys (armsim, name, forces, issues, actors, "
                   "sessions...), not str 'just some text'"),
    # the flow sequence opened on line 2 meets the `:` of `actors:` on line 3, column 7
    case("unclosed-bracket", """
        armsim: 1
        name: [unclosed
        actors:
          a: {}
        """, 3, 7, "invalid YAML: expected ',' or ']', but got ':' (while parsing a flow "
                   "sequence that began at line 2, column 7)"),
    # `  actors: x` indented under a scalar: the `:` at 2 + 6 + 1 = 9
    case("bad-indentation", """
        armsim: 1
        name: t
          actors: x
        """, 3, 9, "invalid YAML: mapping values are not allowed here"),
    # an unterminated quote runs to the end of the text, line 3 column 1; it began at
    # line 2 after `name: ` (6 characters)
    case("unterminated-quote", """
        armsim: 1
        name: 'abc
        """, 3, 1, "invalid YAML: found unexpected end of stream (while scanning a quoted "
                   "scalar that began at line 2, column 7)"),
    case("two-documents", """
        armsim: 1
        name: t
        actors: {a: {}}
        ---
        name: u
        """, 4, 1, "invalid YAML: expected a single document in the stream, but found "
                   "another document"),
    # `  a: ` is 5 characters; `*nowhere` is an alias with no anchor
    case("unknown-alias", """
        armsim: 1
        name: t
        actors:
          a: *nowhere
        """, 4, 6, "invalid YAML: found undefined alias 'nowhere'"),
])
def test_version_top_level_and_syntax(text, line, column, message):
    assert where(the_error(text)) == (line, column, message)


def test_problems_print_as_file_line_column_path_message():
    error = the_error("""
        armsim: 1
        name: t
        actors:
          a: {patience: 1.5}
        """)
    assert str(error) == "s.yaml:4:17: actors.a.patience: 1.5 is outside (0, 1]"
    assert error.path == ("actors", "a", "patience")


def test_keys_that_are_not_names_are_located_at_the_key():
    found = errors("""
        armsim: 1
        name: t
        actors:
          1: {}
        """)
    assert [where(p) for p in found] == [(4, 3, "the key 1 must be a name (text), not int 1")]


def test_anchors_and_merge_keys_are_plain_data():
    scenario, problems = check("""
        armsim: 1
        name: t
        actors:
          a: &common {patience: 0.9, reservation: 0.2}
          b: {<<: *common, patience: 0.8}
        """)
    assert problems == []
    assert scenario.actors["b"].patience == 0.8  # its own key wins over the merged one
    assert scenario.actors["b"].reservation == 0.2


def test_an_actor_cannot_be_its_own_rival():
    # line 4 is "  a: {rivals: [b, a]}": the second 'a' stands at column 19
    text = "armsim: 1\nname: x\nactors:\n  a: {rivals: [b, a]}\n  b: {rivals: [a]}\n"
    scenario, problems = validate_text(text, "self.yaml")
    assert scenario is None
    assert [(p.line, p.column, p.message) for p in problems] == [
        (4, 19, "'a' cannot be its own rival")]


# --- private red lines (docs/writing-scenarios.md): located errors -----------------

PRIVATE = """\
armsim: 1
name: t
issues:
  limit: {range: [0, 1]}
actors:
  hawk:
    preferences:
      limit: {ideal: 0}
  dove:
    preferences:
      limit: {ideal: 1, red_line: LINE}
sessions:
  - {venue: Geneva, participants: [hawk, dove], agenda: [limit], rounds: 5}
"""


@pytest.mark.parametrize("line, column, message", [
    ("{min: 0.5, stat: {min: 0.8}}", 46,
     "actors.dove.preferences.limit.red_line.stat: unknown key 'stat'; did you mean 'stated'?"),
    ("{min: 0.5, stated: {min: 1.8}}", 60, "actors.dove.preferences.limit.red_line.stated.min: "
     "stated red line min 1.8 is outside the issue's range [0, 1]"),
    ("{min: 0.5, believed: {min: [0.9, 0.2]}}", 62, "actors.dove.preferences.limit.red_line."
     "believed.min: a belief interval [0.9, 0.2] needs low <= high"),
    ("{min: {dist: uniform, low: 0.5, high: 1.5}}", 41, "actors.dove.preferences.limit."
     "red_line.min: red line min drawn in [0.5, 1.5] is outside the issue's range [0, 1]; "
     "give the distribution low/high inside it"),
    ("{min: {dist: uniform, low: 0.5, high: 0.9}, max: 0.6}", 35, "actors.dove.preferences."
     "limit.red_line: the red line's min can be drawn above its max, leaving no acceptable "
     "level in some runs; give the distributions bounds that keep min <= max"),
    ("{max: {dist: uniform, low: 0.9, high: 1}}", 22, "actors.dove.preferences."
     "limit.ideal: ideal 1 can lie beyond the actor's own red line [0, 0.9]"),
])
def test_a_private_red_line_is_checked_where_it_is_written(line, column, message):
    problem = the_error(PRIVATE.replace("LINE", line))
    assert (problem.line, problem.column) == (11, column)
    assert problem.message.endswith(message.split(": ", 1)[1])


# --- sessions whose strategies cannot converge (docs/model.md 7.19) ----------------------

STALL = """
    armsim: 1
    name: t
    issues:
      d: {{range: [0, 10]}}
    actors:
      a:
        preferences: {{d: {{ideal: {a_ideal}}}}}
        strategy: {a}
        reservation: {a_r}
      b:
        preferences: {{d: {{ideal: 10}}}}
        strategy: {b}
        reservation: {b_r}
    sessions:
      - {{venue: G, participants: [a, b], agenda: [d], rounds: {rounds}}}
    """


def stall(a="linear", b="linear", a_ideal=0, a_r=0.3, b_r=0.3, rounds=4):
    return check(STALL.format(a=a, b=b, a_ideal=a_ideal, a_r=a_r, b_r=b_r, rounds=rounds))


def test_two_hardliners_that_want_different_levels_warn_at_the_issue():
    scenario, problems = stall("hardliner", "hardliner")
    # `  - {venue: G, participants: [a, b], agenda: [` is 46 characters
    assert [(p.severity, *where(p)) for p in problems] == [
        ("warning", 15, 47, "the hardliners want different levels of 'd' (a 0, b 10, within "
         "the red lines) and accept nothing but their own: it cannot be agreed here, and the "
         "session ends as a deadlock once nobody moves; give one of them a conceding strategy "
         "(e.g. linear)")]
    assert stall("hardliner", "hardliner", a_ideal=10)[1] == []


def test_tit_for_tat_without_an_opening_facing_a_hardliner_warns_at_the_participants():
    scenario, problems = stall("{type: tit_for_tat, opening: 0}", "hardliner")
    # `  - {venue: G, participants: ` is 5 + 10 + 14 = 29 characters
    assert [(p.severity, *where(p)) for p in problems] == [
        ("warning", 15, 30, "nobody can move here: a plays tit_for_tat with opening 0, which "
         "concedes only what the others concede, and the others are hardliners, who never do; "
         "the session ends as a deadlock once nobody has moved for its deadlock_rounds; give "
         "tit_for_tat an opening (e.g. 0.05) or a conceding strategy to someone")]
    assert stall("{type: tit_for_tat, opening: 0.05}", "hardliner")[1] == []


def test_reservations_that_leave_no_level_warn_for_time_dependent_negotiators():
    # ideals 0 and 10 on [0, 10]: a needs x <= 4 (r 0.6), b needs x >= 5 (r 0.5)
    scenario, problems = stall(a_r=0.6, b_r=0.5)
    assert [(p.severity, *where(p)) for p in problems] == [
        ("warning", 15, 47, "no level of 'd' is worth its reservation to every participant "
         "(a 0.6, b 0.5): their time-dependent concessions end at the reservations and never "
         "meet, in any number of rounds; lower a reservation or move an ideal")]
    assert stall(a_r=0.5, b_r=0.5)[1] == []            # x = 5 is worth 0.5 to both


def test_one_round_is_too_few_when_the_proposer_asks_its_ideal():
    # a proposes 0 (tau = 0: its ideal), worth 0 to b, who needs its reservation 0.3
    scenario, problems = stall(rounds=1)
    assert [(p.severity, *where(p)) for p in problems] == [
        ("warning", 15, 47, "one round is too few here: a proposes its ideal (0), which is "
         "worth less than its reservation to b, and there is no second round for "
         "time-dependent concession; give the session more rounds")]
    assert stall(rounds=2)[1] == []
