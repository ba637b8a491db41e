"""What every strategy's tests share, as Axelrod's TestPlayer gives every player its
checks: the registry's promises for a strategy class, and two small games in which one
actor plays the strategy under test against a fixed opponent, so a test states the
exact sequence of offers or actions it expects (a behaviour table, worked out by hand).
"""

from __future__ import annotations

import pickle

import numpy as np
import yaml
from helpers import scenario

from armsim.batch import run_chunk
from armsim.compile import build_spec
from armsim.strategies import registry

NEGOTIATION_GAME = """
armsim: 1
name: behaviour table (negotiation)
issues:
  cap: {{label: Cap, range: [0, 100]}}
actors:
  tested:
    preferences: {{cap: {{ideal: 0, weight: 1}}}}
    strategy: {tested}
    reservation: {reservation}
  opponent:
    preferences: {{cap: {{ideal: 100, weight: 1}}}}
    strategy: {opponent}
    reservation: {opponent_reservation}
sessions:
  - {{venue: Table, participants: [tested, opponent], agenda: [cap], rounds: {rounds}}}
"""

COMPLIANCE_GAME = """
armsim: 1
name: behaviour table (compliance)
aftermath: {turns}
issues:
  moratorium: {{label: Moratorium, range: [0, 1]}}
actors:
  tested:
    preferences: {{moratorium: {{ideal: 0}}}}
    strategy: hardliner
    compliance: {tested}
  opponent:
    preferences: {{moratorium: {{ideal: 0}}}}
    strategy: hardliner
    compliance: {opponent}
sessions:
  - {{venue: Signing, participants: [tested, opponent], agenda: [moratorium], rounds: 1}}
environment: {environment}
"""
FULL_VERIFICATION = {"verification": 1, "payoffs": {"R": 3, "S": 0, "T": 5, "P": 1}}


def _flow(value: dict | str) -> str:
    return value if isinstance(value, str) else yaml.safe_dump(value, default_flow_style=True,
                                                                width=1000).strip()


def offers(tested: dict | str, opponent: dict | str = "hardliner", *, rounds: int = 5,
           reservation: float = 0.5, opponent_reservation: float = 0.5) -> list[float]:
    """The offers on an issue of range [0, 100], round by round: the tested strategy
    (ideal 0) proposes first, then the opponent (ideal 100), in turn."""
    text = NEGOTIATION_GAME.format(tested=_flow(tested), opponent=_flow(opponent),
                                   rounds=rounds, reservation=reservation,
                                   opponent_reservation=opponent_reservation)
    out = run_chunk(scenario(text), np.arange(1), trajectories=True)
    return [float(x) for x in out["trace.offer"][0, :, 0]]


def compliance_game(tested: dict | str, opponent: dict | str, turns: int = 6,
                    environment: dict | None = None, actors: dict | None = None):
    """The validated compliance game (``environment`` is added to full verification and
    the standard payoffs; ``actors`` adds keys to an actor, e.g. ``{"tested":
    {"patience": 0.8}}``)."""
    text = COMPLIANCE_GAME.format(tested=_flow(tested), opponent=_flow(opponent), turns=turns,
                                  environment=_flow({**FULL_VERIFICATION, **(environment or {})}))
    data = yaml.safe_load(text)
    for name, extra in (actors or {}).items():
        data["actors"][name].update(extra)
    return scenario(yaml.safe_dump(data, sort_keys=False))


def actions(tested: dict | str, opponent: dict | str, turns: int = 6,
            environment: dict | None = None, runs: int = 1, actors: dict | None = None
            ) -> tuple[str, str]:
    """Both sides' moves in a compliance game of ``turns`` turns (full verification unless
    ``environment`` says otherwise), as axelrod writes them: ``"C"`` comply, ``"D"``
    defect, and ``"-"`` for a turn not played (the agreement is no longer in force). With
    ``runs`` > 1, each side's moves in every run, one string per run."""
    game = compliance_game(tested, opponent, turns, environment, actors)
    out = run_chunk(game, np.arange(runs), trajectories=True)
    moves = out["trace.action"][:, 1:]                     # (runs, turns, A); round 0 signs
    sign = {1: "D", 0: "C", -1: "-"}
    table = [["".join(sign[int(m)] for m in moves[r, :, a]) for r in range(runs)]
             for a in range(2)]
    return tuple(t[0] for t in table) if runs == 1 else tuple(table)


def check_declares_itself(kind: str, name: str) -> None:
    """A registered strategy says what it is, validates as its own name, and its objects
    survive pickling and compare equal (workers receive them pickled)."""
    cls = registry.get(kind, name)
    assert cls.name == name and registry.names(kind).count(name) == 1
    assert cls.description and "\n" not in cls.description and cls.words
    assert cls.Params.model_fields["type"].annotation.__args__ == (name,)
    key = "strategy" if kind == "negotiation" else "compliance"
    use = _flow({"type": name, **cls.example})
    # Rubinstein's game is played by two Rubinstein players
    other = name if name == "rubinstein" else "hardliner"
    game = (NEGOTIATION_GAME.format(tested=use, opponent=other, rounds=3, reservation=0.5,
                                    opponent_reservation=0.5)
            if kind == "negotiation" else COMPLIANCE_GAME.format(
                tested=use, opponent="grim", turns=3, environment=_flow(FULL_VERIFICATION)))
    loaded = scenario(game)
    assert getattr(loaded.actors["tested"], key).type == name
    spec = build_spec(loaded)
    made = spec.negotiators[0] if kind == "negotiation" else spec.compliers[0]
    assert type(made) is cls
    assert pickle.loads(pickle.dumps(made)) == made
    codes = spec.strategy if kind == "negotiation" else spec.compliance
    assert codes[0] == registry.code(kind, name)
