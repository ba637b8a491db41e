"""Experiments: sweeps over designs of parameter values, and Sobol' sensitivity.

Start with :func:`sweep` (a design of points x runs, as an xarray Dataset) and
:func:`sensitivity` (Sobol' indices of one output, with SALib).
"""

from armsim.experiments.designs import Design, DesignError, make_design
from armsim.runner import local_cluster, unset_malloc_trim
from armsim.experiments.factors import Factor, FactorError, factor, parse_param
from armsim.experiments.plan import SweepError
from armsim.experiments.store import StoreError, SweepStore
from armsim.experiments.sweep import sweep

__all__ = ["Design", "DesignError", "Factor", "FactorError", "StoreError", "SweepError",
           "SweepStore", "factor", "local_cluster", "make_design", "parse_param", "sweep",
           "unset_malloc_trim"]
