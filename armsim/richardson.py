"""Richardson's arms race in closed form, and in words for a classroom.

For two actors x, y on one force: x' = x + dt (a y - m x + g), y' = y + dt (b x - n y + h).
The fixed point is x* = (a h + n g) / (m n - a b), y* = (b g + m h) / (m n - a b).
The continuous model is stable iff m n > a b; the discrete one the engine runs is
stable iff the spectral radius of I + dt [[-m, a], [b, -n]] is below 1.
"""

from __future__ import annotations

from dataclasses import dataclass

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
