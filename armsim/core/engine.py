"""The batch kernel: a chunk of runs, round after round, in MODEL.md's order.

``simulate`` takes a :class:`~armsim.core.spec.Spec`, per-run
:class:`~armsim.core.spec.Params` and the run indices of a chunk, and returns the
per-run outputs of MODEL.md section 5 (and, on request, per-round trajectories). It
steps a :class:`~armsim.core.run.Run`, as every other driver does; the rules are the
phases of :mod:`armsim.core.phases`.
"""

from armsim.core.run import simulate

__all__ = ["simulate"]
