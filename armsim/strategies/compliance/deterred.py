"""Deterred: defect only when what cheating gains outweighs what it risks (docs/model.md 7.11a).

Per counterpart and turn, cheating gains ``G = q (T - R) + (1 - q) (P - S)`` (q the
compliance it expects of its counterparts). It is detected with probability v
(``verification``) and then costs the sanction s plus, for each counterpart, the
agreement's value per turn over no agreement, ``V = max(q (R - S) + S - P, 0)``, for as
long as the detection costs it: the counterparts' retaliation for ``retaliation`` turns
or, if the detection collapses the agreement, for ever, discounted at its patience δ:

    W = c * δ / (1 - δ) + (1 - c) * δ (1 - δ^L) / (1 - δ),    c = 1 / strikes left

(c = 0 with no tolerance; δ = 1 counts turns). With m counterparts it defects when the
margin ``z = m G - v (s + m V W)`` is positive (temperature 0), or with probability
``logistic(z / temperature)``. The margin falls as v rises, so more verification never
makes it cheat more.
"""

from typing import Literal

import numpy as np

from armsim.core import mathfn
from armsim.core.arrays import sum_last
from armsim.core.compliance import ComplianceView, discounted_turns, mean_trust
from armsim.scenario.values import Model, Nonnegative, Probability
from armsim.strategies.base import ComplianceStrategy


class DeterredParams(Model):
    """Defect iff m G - v (s + m V W) > 0, or with probability logistic of it / temperature."""

    type: Literal["deterred"]
    temperature: Nonnegative = 0.0   # payoff units; 0: the threshold decides
    retaliation: Nonnegative = 1.0   # turns the counterparts answer a surviving detection
    trust_weight: Probability = 0.0  # q = 1 - trust_weight * (1 - mean trust)


def defection_margin(view: ComplianceView) -> np.ndarray:
    """``z = m G - v (s + m V W)`` ``(n, A)``: what cheating gains this turn less what it
    is expected to cost (positive: cheating pays), for the actors that play ``deterred``
    (the columns where its parameters are given; NaN elsewhere). See the module's
    docstring."""
    par = view.params
    mine = np.flatnonzero(~np.isnan(par["retaliation"]).all(axis=0))
    out = np.full(view.u.shape, np.nan)
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        out[:, mine] = _margin(view, mine)
    return out


def _margin(view: ComplianceView, mine: np.ndarray) -> np.ndarray:
    terms = view.terms
    par = {k: v[:, mine] for k, v in view.params.items()}
    R, S, T, P = terms.payoffs
    pairs = view.pairs[:, mine, :]
    q = 1.0 - par["trust_weight"] * (1.0 - mean_trust(view.trust[:, mine, :], pairs))
    gain = q * (T - R) + (1.0 - q) * (P - S)
    value = np.maximum(q * (R - S) + S - P, 0.0)
    c = 1.0 / np.maximum(terms.strikes_left[:, mine], 1.0)                # 0 where inf
    delta = terms.patience[:, mine]
    future = np.where(c > 0, c * discounted_turns(delta, np.inf), 0.0)
    future = future + (1.0 - c) * discounted_turns(delta, par["retaliation"])
    m = sum_last(pairs).astype(float)
    loss = np.where(value * m > 0, m * value * future, 0.0)                # no inf * 0
    v = terms.verification                     # (n,) for all, or (n, A) per actor
    v = v[:, None] if v.ndim == 1 else v[:, mine]
    cost = np.where(v > 0, v * (terms.sanction[:, None] + loss), 0.0)
    return m * gain - cost


class Deterred(ComplianceStrategy):
    name = "deterred"
    compiled_as = "deterred"
    rank = 10
    description = ("complies while the expected cost of being caught (sanction, retaliation, "
                   "collapse) outweighs what cheating gains")
    words = "cheating only when the chance of being caught makes it pay (deterred)"
    Params = DeterredParams
    drawn = {"temperature": None, "retaliation": None, "trust_weight": None}
    stochastic = True
    weighs_terms = True

    def defects(self, view):
        z = defection_margin(view)                   # NaN for the actors not playing it
        temperature = view.params["temperature"]
        hot = temperature > 0
        with np.errstate(divide="ignore", invalid="ignore"):
            chance = mathfn.logistic(z / np.where(hot, temperature, 1.0))
        return np.where(hot, view.u < chance, z > 0)
