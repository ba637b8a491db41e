"""Richardson's arms race in closed form, and in words for a classroom.

For two actors x, y on one force: x' = x + dt (a y - m x + g), y' = y + dt (b x - n y + h).
The fixed point is x* = (a h + n g) / (m n - a b), y* = (b g + m h) / (m n - a b).
The continuous model is stable iff m n > a b; the discrete one the engine runs is
stable iff the spectral radius of I + dt [[-m, a], [b, -n]] is below 1.

For any number of actors, forces and linked forces (a force that reacts to another),
:func:`system_of` writes the engine's step over every held force cell as one linear map
``I + dt M`` and gives its spectral radius and the pair of cells that dominates it:
what ``armsim validate`` warns about and ``armsim show`` prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from armsim.scenario.schema import Scenario


@dataclass(frozen=True)
class RichardsonPair:
    a: float
    b: float
    m: float
    n: float
    g: float
    h: float
    dt: float

    @property
    def fixed_point(self) -> tuple[float, float]:
        det = self.m * self.n - self.a * self.b
        if det == 0:
            return float("nan"), float("nan")
        return ((self.a * self.h + self.n * self.g) / det,
                (self.b * self.g + self.m * self.h) / det)

    @property
    def continuous_stable(self) -> bool:
        return self.m * self.n > self.a * self.b

    @property
    def spectral_radius(self) -> float:
        jac = np.eye(2) + self.dt * np.array([[-self.m, self.a], [self.b, -self.n]])
        return float(np.max(np.abs(np.linalg.eigvals(jac))))

    @property
    def discrete_stable(self) -> bool:
        return self.spectral_radius < 1.0


def pair_of(scenario: Scenario) -> tuple[str, str, str, RichardsonPair] | None:
    """The Richardson pair of a two-actor, one-force scenario with fixed numbers."""
    if len(scenario.actors) != 2 or len(scenario.forces) != 1:
        return None
    (nx, x), (ny, y) = scenario.actors.items()
    force = next(iter(scenario.forces))
    fx, fy = x.forces.get(force), y.forces.get(force)
    if fx is None or fy is None or ny not in x.rivals or nx not in y.rivals:
        return None
    numbers = (fx.reaction, fy.reaction, fx.fatigue, fy.fatigue, fx.grievance, fy.grievance)
    if not all(isinstance(v, float) for v in numbers):
        return None
    return nx, ny, force, RichardsonPair(*numbers, dt=scenario.dt)  # type: ignore[arg-type]


def explain(scenario: Scenario) -> str | None:
    """A paragraph saying whether the race is stable, or None if not a Richardson pair."""
    found = pair_of(scenario)
    if found is None:
        return None
    nx, ny, force, p = found
    xs, ys = p.fixed_point
    rho = p.spectral_radius
    lines = [f"Richardson arms race between {nx} and {ny} over {force}:",
             f"  reactions a={p.a:g}, b={p.b:g}; fatigues m={p.m:g}, n={p.n:g}; "
             f"grievances g={p.g:g}, h={p.h:g}; dt={p.dt:g}."]
    if p.continuous_stable:
        lines.append(f"  Restraint outweighs reaction (m*n = {p.m * p.n:g} > a*b = "
                     f"{p.a * p.b:g}): the continuous race would settle at "
                     f"{nx} = {xs:.4g}, {ny} = {ys:.4g}.")
    else:
        lines.append(f"  Reaction outweighs restraint (m*n = {p.m * p.n:g} <= a*b = "
                     f"{p.a * p.b:g}): even the continuous race runs away.")
    if p.discrete_stable:
        lines.append(f"  In steps of dt = {p.dt:g} the race is stable (spectral radius "
                     f"{rho:.4g} < 1): forces converge to the fixed point.")
    else:
        lines.append(f"  In steps of dt = {p.dt:g} the race is UNSTABLE (spectral radius "
                     f"{rho:.4g} >= 1): the steps overshoot, and forces run to their max "
                     "(or collapse to 0) instead of settling"
                     + (", although m*n > a*b." if p.continuous_stable else "."))
    return "\n".join(lines)


# --- the whole system: any number of actors, forces and linked forces -----------------

@dataclass(frozen=True)
class Stability:
    """The discrete force dynamics of a scenario as one linear map.

    ``cells`` names the held force cells, ``(actor, force)``; ``matrix`` ``(H, H)`` is
    ``I + dt * M``, the map the engine's step applies to the levels (before noise,
    grievances, clipping and caps): ``M[h, h] = -fatigue[h]``, ``M[h, g] = reaction[h]``
    for each rival cell g of the same force and the ``reacts_to`` coefficient for each
    rival cell of another force. ``radius`` is its spectral radius and ``dominant`` the
    one or two cells that carry most of the eigenvector of the eigenvalue of largest
    modulus (the pair whose race decides stability)."""

    cells: tuple[tuple[str, str], ...]
    matrix: np.ndarray
    radius: float
    eigenvalue: complex
    dominant: tuple[int, ...]

    @property
    def stable(self) -> bool:
        """Deviations from the fixed point shrink (spectral radius below 1)."""
        return self.radius < 1.0

    @property
    def diverges(self) -> bool:
        """Deviations grow (spectral radius above 1, beyond rounding): forces run to their
        max or swing between 0 and max. A radius of exactly 1 (a force with neither
        fatigue nor reaction) holds or drifts, and is not counted."""
        return self.radius > 1.0 + 1e-9

    @property
    def dominant_names(self) -> str:
        """The dominant cells as ``actor.force``, joined by "and"."""
        return " and ".join(".".join(self.cells[h]) for h in self.dominant)


def linear_map(spec: Any, reaction: np.ndarray, fatigue: np.ndarray,
               coefficient: np.ndarray) -> np.ndarray:
    """``I + dt * M`` over the held cells of ``spec`` (:class:`armsim.core.spec.Spec`):
    ``reaction``, ``fatigue`` ``(..., H)`` per cell and ``coefficient`` ``(..., M)`` per
    declared linked reaction (``spec.reacts``), with any leading axes (runs); returns
    ``(..., H, H)``."""
    reaction, fatigue = np.asarray(reaction, float), np.asarray(fatigue, float)
    coefficient = np.asarray(coefficient, float)
    H = len(spec.held_actor)
    out = np.zeros(reaction.shape[:-1] + (H, H))
    h = np.arange(H)
    out[..., h, h] = 1.0 - spec.dt * fatigue
    for cell, sources in enumerate(spec.threat_sources):
        out[..., cell, sources] += spec.dt * reaction[..., cell, None]
    for target, source, m in zip(spec.link_target, spec.link_source, spec.link_index):
        out[..., target, source] += spec.dt * coefficient[..., m]
    return out


def stability_of(matrix: np.ndarray, cells: tuple[tuple[str, str], ...]) -> Stability:
    """The spectral radius of ``matrix`` ``(H, H)`` and its dominant cells."""
    if not len(cells):
        return Stability(cells, matrix, 0.0, 0j, ())
    values, vectors = np.linalg.eig(matrix)
    top = int(np.argmax(np.abs(values)))
    weight = np.abs(vectors[:, top])
    weight /= weight.max()
    # the largest components first; equal ones (to rounding) in the engine's cell order
    order = [int(h) for h in np.argsort(-np.round(weight, 9), kind="stable")]
    dominant = tuple(order[:2]) if len(order) > 1 and weight[order[1]] > 1e-6 * weight[order[0]] \
        else tuple(order[:1])
    return Stability(cells, matrix, float(np.abs(values[top])), complex(values[top]), dominant)


def _mean(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) else float(value.mean())


def system_of(scenario: Scenario) -> Stability:
    """The force dynamics of a scenario as one linear map, with every parameter at its
    value (a distribution at its mean)."""
    from armsim.compile import build_spec

    spec = build_spec(scenario)
    per_cell = [scenario.actors[spec.actors[a]].forces[spec.forces[k]]
                for a, k in zip(spec.held_actor, spec.held_force)]
    coefficient = [scenario.actors[spec.actors[a]].forces[spec.forces[k]]
                   .reacts_to[spec.forces[j]] for a, k, j in spec.reacts]
    matrix = linear_map(spec, [_mean(f.reaction) for f in per_cell],
                        [_mean(f.fatigue) for f in per_cell], [_mean(c) for c in coefficient])
    return stability_of(matrix, cell_names(spec))


def cell_names(spec: Any) -> tuple[tuple[str, str], ...]:
    """``(actor, force)`` of each held cell of ``spec``, in the engine's order."""
    return tuple((spec.actors[a], spec.forces[k])
                 for a, k in zip(spec.held_actor, spec.held_force))


def drawn_dynamics(scenario: Scenario) -> bool:
    """Some reaction, fatigue or linked reaction is a distribution, drawn per run."""
    return any(not isinstance(v, (int, float)) for actor in scenario.actors.values()
               for f in actor.forces.values()
               for v in (f.reaction, f.fatigue, *f.reacts_to.values()))


def unstable_share(scenario: Scenario, runs: int = 1000) -> float:
    """The share of runs ``0 .. runs-1`` of the scenario's seed whose drawn reactions,
    fatigues and linked reactions make the map diverge (the very draws the engine makes)."""
    from armsim.compile import build_spec, draw_params
    from armsim.core.state import held_cells

    spec = build_spec(scenario)
    params = draw_params(scenario, spec, np.arange(runs))
    matrix = linear_map(spec, held_cells(spec, params.reaction).T,
                        held_cells(spec, params.fatigue).T, params.reacts_to)
    if not len(spec.held_actor):
        return 0.0
    radius = np.abs(np.linalg.eigvals(matrix)).max(axis=-1)
    return float((radius > 1.0 + 1e-9).mean())


def system_story(scenario: Scenario) -> str:
    """One sentence on the whole system's stability, for ``armsim explain``."""
    system = system_of(scenario)
    H = len(system.cells)
    head = (f"Taken together, a round's step is one linear map over the {H} force levels, "
            f"with spectral radius {system.radius:.4g}")
    if system.diverges:
        return (head + f": UNSTABLE, dominated by {system.dominant_names}; the forces run "
                "to their max (or to 0) instead of settling.")
    if system.stable:
        return head + ": stable, so without agreements the forces settle at a fixed point."
    return head + ": neutral, so a force without fatigue holds or drifts."
