"""Forces, tension and crisis (MODEL.md section 2, steps 3 to 5)."""

from __future__ import annotations

import numpy as np


def step_forces(x: np.ndarray, rivals: np.ndarray, reaction: np.ndarray, fatigue: np.ndarray,
                grievance: np.ndarray, dt: float, shock: np.ndarray | None,
                has_force: np.ndarray, force_max: np.ndarray, cap: np.ndarray) -> np.ndarray:
    """Richardson's discrete step, clipped to [0, max] and to the caps compliers keep.

    x[a,k] += dt * (reaction * threat - fatigue * x[a,k] + grievance) + shock, with
    threat[a,k] = sum of x[c,k] over a's rivals. Shapes: ``x``, parameters, ``shock``
    and ``cap`` (inf where none) ``(n, A, K)``; ``rivals`` ``(A, A)``.
    """
    threat = np.matmul(rivals.astype(x.dtype), x)
    x = x + dt * (reaction * threat - fatigue * x + grievance)
    if shock is not None:
        x = x + shock
    x = np.clip(x, 0.0, force_max)
    x = np.minimum(x, cap)
    return np.where(has_force, x, 0.0)


def tension(x: np.ndarray, force_max: np.ndarray, has_force: np.ndarray, trust: np.ndarray,
            rivals: np.ndarray, in_force: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """theta = logistic(bias + w_f * F + w_m * M - w_a * G), in (0, 1), shape ``(n,)``.

    F is the mean force level relative to its max over the forces actors hold, M the
    mean mistrust (1 - trust) over rival pairs, G the share of issues under an
    agreement in force. ``weights`` ``(n, 4)``: bias, forces, mistrust, agreements.
    """
    held = has_force.sum()
    f = (x / force_max * has_force).sum(axis=(1, 2)) / held if held else 0.0
    pairs = rivals.sum()
    m = ((1.0 - trust) * rivals).sum(axis=(1, 2)) / pairs if pairs else 0.0
    g = in_force.mean(axis=1) if in_force.shape[1] else 0.0
    z = weights[:, 0] + weights[:, 1] * f + weights[:, 2] * m - weights[:, 3] * g
    return 1.0 / (1.0 + np.exp(-z))


def crisis_probability(theta: np.ndarray, hazard: np.ndarray, exponent: np.ndarray
                       ) -> np.ndarray:
    """The chance of a crisis this round: hazard * theta ** exponent, ``(n,)``."""
    return hazard * np.power(theta, exponent)
