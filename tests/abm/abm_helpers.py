"""Helpers for the Mesa engine's tests: scenario files, exact comparison of outputs."""

from __future__ import annotations

import numpy as np


def same(a: object, b: object) -> bool:
    """Equal values, NaNs equal, dtype aside."""
    return bool(np.array_equal(np.asarray(a), np.asarray(b), equal_nan=True))


def differences(batch: dict[str, np.ndarray], row: int, one: dict[str, object]) -> list[str]:
    """The keys where a single run's values ``one`` differ from row ``row`` of a batch."""
    assert set(batch) == set(one), set(batch) ^ set(one)
    return [key for key in batch if not same(batch[key][row], one[key])]


COMPLIANCE_GAME = """\
armsim: 1
name: Twenty turns of the compliance game
seed: 0
aftermath: 20
issues:
  moratorium: {label: A reciprocal moratorium, range: [0, 1], binds: all}
actors:
  alpha:
    preferences: {moratorium: {ideal: 0, weight: 1}}
    strategy: hardliner
    compliance: tit_for_tat
  beta:
    preferences: {moratorium: {ideal: 0, weight: 1}}
    strategy: hardliner
    compliance: alternate
sessions:
  - {venue: Signing, participants: [alpha, beta], agenda: [moratorium], rounds: 1}
environment:
  verification: 1
  compliance_noise: 0
  trust: {gain: 0.1, loss: 0.3}
"""
