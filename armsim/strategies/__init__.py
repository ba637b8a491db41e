"""Negotiation and compliance strategies: one module each, collected by a registry.

Write a strategy as a subclass of :class:`NegotiationStrategy` or
:class:`ComplianceStrategy` (see docs/custom-agents.md); built-in ones live in
:mod:`armsim.strategies.negotiation` and :mod:`armsim.strategies.compliance`, installed
ones come from the ``armsim.strategies`` entry-point group (:mod:`.registry`).
"""

from armsim.strategies.base import (ComplianceStrategy, ComplianceView, NegotiationStrategy,
                                    Strategy)

__all__ = ["ComplianceStrategy", "ComplianceView", "NegotiationStrategy", "Strategy"]
