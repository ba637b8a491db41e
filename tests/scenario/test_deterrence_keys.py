"""The keys of compliance under deterrence are refused with a location and a way out."""

from __future__ import annotations

import textwrap

from armsim.scenario import validate_text

BAD = textwrap.dedent("""\
    armsim: 1
    name: bad keys
    issues:
      cap: {range: [0, 1]}
    actors:
      a:
        compliance: {type: deterred, temperatur: 1, retaliation: -1}
      b:
        compliance: {type: deterred, trust_weight: 2}
    environment:
      sanctoin: 1
      sanction: -2
      withdrawal: maybe
    """)


def test_every_bad_key_is_located_and_explained():
    loaded, problems = validate_text(BAD)
    assert loaded is None
    said = {(p.line, p.column): p.message for p in problems}
    assert "did you mean 'temperature'" in said[(7, 34)]
    assert "-1 is outside [0, inf)" in said[(7, 62)]
    assert "2 is outside [0, 1]" in said[(9, 48)]
    assert "did you mean 'sanction'" in said[(11, 3)]
    assert "-2 is outside [0, inf)" in said[(12, 13)]
    assert "expected true or false" in said[(13, 15)]
    assert len(problems) == 6


def test_the_defaults_change_nothing():
    loaded, problems = validate_text(BAD.split("environment:")[0].replace(
        "temperatur: 1, retaliation: -1", "temperature: 1").replace("trust_weight: 2",
                                                                   "trust_weight: 0.5"))
    assert loaded is not None and not [p for p in problems if p.severity == "error"]
    env = loaded.environment
    assert env.sanction == 0.0 and env.withdrawal is False
    params = loaded.actors["b"].compliance
    assert (params.temperature, params.retaliation, params.trust_weight) == (0.0, 1.0, 0.5)
