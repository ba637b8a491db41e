"""Forces, tension and crisis (MODEL.md section 2, steps 3 to 5)."""

from __future__ import annotations

import numpy as np

from armsim.core import mathfn
from armsim.core.arrays import sum_last


def richardson_terms(reaction: np.ndarray, fatigue: np.ndarray, grievance: np.ndarray,
                     dt: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(1 - dt * fatigue, dt * reaction, dt * grievance): the step's coefficients."""
    return 1.0 - dt * fatigue, dt * reaction, dt * grievance


def step_forces(x: np.ndarray, sources: tuple[np.ndarray, ...],
                terms: tuple[np.ndarray, np.ndarray, np.ndarray],
                shock: np.ndarray | None, top: np.ndarray, cap: np.ndarray | None,
                links: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
                ) -> np.ndarray:
    """Richardson's discrete step on the held force cells, clipped to [0, max] and caps.

    x[h] += dt * (reaction[h] * threat[h] + linked[h] - fatigue[h] * x[h] + grievance[h])
    + shock[h], computed as keep * x + rt * threat + linked + dg with ``terms`` = (keep,
    rt, dg) from :func:`richardson_terms`; threat[h] sums the levels of the rivals' cells
    on the same force (``sources[h]``); ``links`` = (target, source, coefficient) give
    the reactions to other forces (:func:`linked_reactions`; None: none). Shapes
    ``(H, n)``, runs last; ``top`` ``(H, 1)`` is each cell's max; ``cap`` ``(H, n)`` the
    level a complier keeps to (inf where none), or None.
    """
    keep, rt, dg = terms
    threat = np.zeros_like(x)
    for h, cells in enumerate(sources):
        for g in cells:
            threat[h] += x[g]
    new = keep * x
    threat *= rt
    new += threat
    if links is not None:
        new += linked_reactions(x, *links)
    new += dg
    if shock is not None:
        new += shock
    np.clip(new, 0.0, top, out=new)
    if cap is not None:
        np.minimum(new, cap, out=new)
    return new


def linked_reactions(x: np.ndarray, target: np.ndarray, source: np.ndarray,
                     coefficient: np.ndarray) -> np.ndarray:
    """What each held cell adds in a step for its reactions to the rivals' levels of
    *other* forces (a force that reacts to another: missile tests to exercises).

    ``x`` ``(H, n)`` the levels at the start of the step; the table ``target``,
    ``source`` ``(L,)`` (the cell that reacts, the rival's cell of the other force it
    reacts to) and ``coefficient`` ``(L, n)`` (dt times the reaction, per run). Returns
    ``(H, n)``: out[h] = sum over the rows l with target[l] = h, in row order, of
    coefficient[l] * x[source[l]].
    """
    out = np.zeros_like(x)
    for h, g, c in zip(target, source, coefficient):
        out[h] += c * x[g]
    return out


def tension(x: np.ndarray, top: np.ndarray, trust: np.ndarray, rivals: np.ndarray,
            in_force: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """theta = logistic(bias + w_f * F + w_m * M - w_a * G), in (0, 1), shape ``(n,)``.

    F is the mean force level relative to its max over the held cells ``x`` ``(H, n)``,
    M the mean mistrust (1 - trust) over rival pairs, G the share of issues under an
    agreement in force ``(n, I)``. ``weights`` ``(n, 4)``: bias, forces, mistrust,
    agreements.
    """
    return climate(force_share(x, top, trust.shape[0]), mistrust(trust, rivals),
                   agreed_share(in_force), weights.T)


def force_share(x: np.ndarray, top: np.ndarray, n: int) -> np.ndarray:
    """F: the mean of the held cells' levels ``x`` ``(H, n)`` over their max ``top``
    ``(H, 1)``, shape ``(n,)``."""
    # added cell by cell, left to right: ``mean(axis=0)`` sums a lone run's cells
    # pairwise (8 or more cells) but a batch's row by row, which differ in the last bit
    f = np.zeros(n)
    for share in x / top:
        f += share
    f /= max(x.shape[0], 1)
    return f


def mistrust(trust: np.ndarray, rivals: np.ndarray) -> np.ndarray:
    """M: the mean of 1 - trust ``(n, A, A)`` over the rival pairs, shape ``(n,)``."""
    m = np.zeros(trust.shape[0])
    for a, b in zip(*np.nonzero(rivals)):
        m += 1.0 - trust[:, a, b]
    m /= max(int(rivals.sum()), 1)
    return m


def agreed_share(in_force: np.ndarray) -> np.ndarray | float:
    """G: the share of issues under an agreement in force ``(n, I)``, shape ``(n,)``."""
    return sum_last(in_force) / in_force.shape[1] if in_force.shape[1] else 0.0


def climate(f: np.ndarray, m: np.ndarray, g: np.ndarray | float, weights: np.ndarray
            ) -> np.ndarray:
    """theta from F, M and G ``(n,)`` and ``weights`` ``(4, n)`` (bias, forces, mistrust,
    agreements), in the order of :func:`tension`'s formula."""
    z = weights[1] * f
    z += weights[0]
    term = weights[2] * m
    z += term
    np.multiply(weights[3], g, out=term)
    z -= term
    np.negative(z, out=z)
    theta = mathfn.exp(z)
    theta += 1.0
    return np.divide(1.0, theta, out=theta)


def crisis_probability(theta: np.ndarray, hazard: np.ndarray, exponent: np.ndarray
                       ) -> np.ndarray:
    """The chance of a crisis this round: hazard * theta ** exponent, ``(n,)``.

    A run whose exponent is 2 (the default) squares, whatever the other runs of its
    batch have; other exponents take :func:`armsim.core.mathfn.pow`.
    """
    square = exponent == 2.0
    if square.all():
        return hazard * (theta * theta)
    out = mathfn.pow(theta, exponent)
    np.multiply(theta, theta, out=out, where=square)
    return hazard * out
