"""matplotlib figures that take results, never models.

``write_figures(results, folder)`` writes outcomes.png, tension.png, forces.png and
dance.png; each figure is also a function that takes :class:`~armsim.results.Results`
and returns a ``matplotlib.figure.Figure``. matplotlib is imported only when a figure
is drawn, on an Agg canvas (no pyplot, no global backend change).

- :func:`outcomes`: P(agreement), P(collapse), P(crisis) with 95% Wilson intervals,
  and the distribution of agreed levels per issue;
- :func:`tension`: tension over rounds, median with 50% and 90% bands, sessions marked;
- :func:`forces`: each force's level per actor over rounds, one panel per force;
- :func:`dance`: one run's offers, a panel per session, in the utility space of two of
  the parties at its table, with their Pareto frontier and reservations and the Nash
  bargaining point of all the parties at the table, as a mediator proposes it
  (:func:`dances_of` computes the panels, :func:`pareto_frontier` and
  :func:`nash_point` the two-party geometry, without matplotlib).
"""

from __future__ import annotations

from armsim.plot.bargaining import Frontier, NashPoint, nash_point, pareto_frontier
from armsim.plot.dance import dance, dance_of, dances_of
from armsim.plot.data import FigureData, prepare
from armsim.plot.outcomes import outcomes
from armsim.plot.timeseries import forces, tension
from armsim.plot.write import write_figures

__all__ = ["write_figures", "outcomes", "tension", "forces", "dance", "dance_of", "dances_of",
           "pareto_frontier", "nash_point", "Frontier", "NashPoint", "FigureData", "prepare"]
