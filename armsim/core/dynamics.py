"""Forces, tension and crisis (MODEL.md section 2, steps 3 to 5)."""

from __future__ import annotations

import numpy as np

from armsim.core.arrays import sum_last


def richardson_terms(reaction: np.ndarray, fatigue: np.ndarray, grievance: np.ndarray,
                     dt: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(1 - dt * fatigue, dt * reaction, dt * grievance): the step's coefficients."""
    return 1.0 - dt * fatigue, dt * reaction, dt * grievance


def step_forces(x: np.ndarray, sources: tuple[np.ndarray, ...],
                terms: tuple[np.ndarray, np.ndarray, np.ndarray],
                shock: np.ndarray | None, top: np.ndarray, cap: np.ndarray | None
                ) -> np.ndarray:
    """Richardson's discrete step on the held force cells, clipped to [0, max] and caps.

    x[h] += dt * (reaction[h] * threat[h] - fatigue[h] * x[h] + grievance[h]) + shock[h],
    computed as keep * x + rt * threat + dg with ``terms`` = (keep, rt, dg) from
    :func:`richardson_terms`; threat[h] sums the levels of the rivals' cells on the same
    force (``sources[h]``). Shapes ``(H, n)``, runs last; ``top`` ``(H, 1)`` is each
    cell's max; ``cap`` ``(H, n)`` the level a complier keeps to (inf where none), or None.
    """
    keep, rt, dg = terms
    threat = np.zeros_like(x)
    for h, cells in enumerate(sources):
        for g in cells:
            threat[h] += x[g]
    new = keep * x
    new += rt * threat
    new += dg
    if shock is not None:
        new += shock
    np.clip(new, 0.0, top, out=new)
    if cap is not None:
        np.minimum(new, cap, out=new)
    return new


def tension(x: np.ndarray, top: np.ndarray, trust: np.ndarray, rivals: np.ndarray,
            in_force: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """theta = logistic(bias + w_f * F + w_m * M - w_a * G), in (0, 1), shape ``(n,)``.

    F is the mean force level relative to its max over the held cells ``x`` ``(H, n)``,
    M the mean mistrust (1 - trust) over rival pairs, G the share of issues under an
    agreement in force ``(n, I)``. ``weights`` ``(n, 4)``: bias, forces, mistrust,
    agreements.
    """
    n = trust.shape[0]
    # F added cell by cell, left to right: ``mean(axis=0)`` sums a lone run's cells
    # pairwise (8 or more cells) but a batch's row by row, which differ in the last bit
    f = np.zeros(n)
    for h in range(x.shape[0]):
        f += x[h] / top[h]
    f = f / max(x.shape[0], 1)
    m = np.zeros(n)
    for a, b in zip(*np.nonzero(rivals)):
        m += 1.0 - trust[:, a, b]
    m = m / max(int(rivals.sum()), 1)
    g = sum_last(in_force) / in_force.shape[1] if in_force.shape[1] else 0.0
    z = weights[:, 0] + weights[:, 1] * f + weights[:, 2] * m - weights[:, 3] * g
    return 1.0 / (1.0 + np.exp(-z))


def crisis_probability(theta: np.ndarray, hazard: np.ndarray, exponent: np.ndarray
                       ) -> np.ndarray:
    """The chance of a crisis this round: hazard * theta ** exponent, ``(n,)``."""
    if exponent[0] == 2.0 and (exponent == 2.0).all():    # the default, without pow()
        return hazard * (theta * theta)
    return hazard * np.power(theta, exponent)
