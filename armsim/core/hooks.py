"""Decision hooks: where a caller may replace a decision of the built-in strategies.

The batch engine passes none. The Mesa engine (:mod:`armsim.abm`) passes hooks that
ask its agents, whose defaults return exactly the decision they are given, so a
subclassed agent can try a new strategy while every other rule stays the core's.
Each hook receives the core's decision and returns the one to use (same shape).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Hooks:
    """Optional replacements for three decisions; ``None`` keeps the core's.

    - ``offer(p, x)``: proposer ``p``'s offer ``x`` ``(n, I)`` (nan where not open)
      -> the offer made (mediators are not asked).
    - ``accept(p, x, who, likes)``: whether each participant ``who`` ``(P,)`` likes the
      offer ``x``, ``likes`` ``(n, P, I)`` -> the answers (red lines still apply after).
    - ``comply(intended, playing, observes)``: intended defections ``(n, A)`` of the
      actors ``playing`` ``(n, A)``, who observes whom ``(n, A, A)`` -> intended
      defections (compliance noise still flips them after).
    """

    offer: Callable[[int, np.ndarray], np.ndarray] | None = None
    accept: Callable[[int, np.ndarray, np.ndarray, np.ndarray], np.ndarray] | None = None
    comply: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray] | None = None
