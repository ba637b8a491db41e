"""Distributions a scenario may give instead of a number, drawn once per run.

Each distribution knows its support (to check it against the range its
parameter allows) and turns uniform variates into draws by its inverse CDF, so
that the engine can feed it counter-based uniforms: a run's draw depends only on
(seed, run, parameter), never on the batch.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal, Union

import numpy as np
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from armsim.scenario.magnitude import real

# a parameter of a distribution: a finite number within the scenario's bound ...
Param = Annotated[float, BeforeValidator(real)]


def _truncation(value: Any) -> Any:
    """... or, for a normal's ``low``/``high``, an infinity (no truncation on that side)."""
    return value if isinstance(value, float) and math.isinf(value) else real(value)


Truncation = Annotated[float, BeforeValidator(_truncation)]


class _Dist(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    def support(self) -> tuple[float, float]:
        raise NotImplementedError

    def mean(self) -> float:
        raise NotImplementedError

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Inverse CDF at uniforms ``u`` in (0, 1); same shape as ``u``."""
        raise NotImplementedError


class Uniform(_Dist):
    dist: Literal["uniform"]
    low: Param
    high: Param

    @model_validator(mode="after")
    def _ordered(self) -> "Uniform":
        if not self.low <= self.high:
            raise ValueError(f"low ({self.low}) must not exceed high ({self.high})")
        return self

    def support(self) -> tuple[float, float]:
        return self.low, self.high

    def mean(self) -> float:
        return (self.low + self.high) / 2

    def ppf(self, u: np.ndarray) -> np.ndarray:
        return self.low + (self.high - self.low) * u


class Normal(_Dist):
    """Normal(mean, sd), optionally truncated to [low, high] (by inverse CDF)."""

    dist: Literal["normal"]
    mean_: Param = Field(alias="mean")
    sd: Param = Field(gt=0)
    low: Truncation = -math.inf
    high: Truncation = math.inf

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    @model_validator(mode="after")
    def _ordered(self) -> "Normal":
        if not self.low < self.high:
            raise ValueError(f"low ({self.low}) must be below high ({self.high})")
        return self

    def support(self) -> tuple[float, float]:
        return self.low, self.high

    def mean(self) -> float:
        from scipy.stats import truncnorm

        a, b = (self.low - self.mean_) / self.sd, (self.high - self.mean_) / self.sd
        return float(truncnorm.mean(a, b, loc=self.mean_, scale=self.sd))

    def ppf(self, u: np.ndarray) -> np.ndarray:
        from scipy.special import ndtr, ndtri

        lo = ndtr((self.low - self.mean_) / self.sd)
        hi = ndtr((self.high - self.mean_) / self.sd)
        x = self.mean_ + self.sd * ndtri(lo + (hi - lo) * u)
        return np.clip(x, self.low, self.high)


class Triangular(_Dist):
    dist: Literal["triangular"]
    low: Param
    mode: Param
    high: Param

    @model_validator(mode="after")
    def _ordered(self) -> "Triangular":
        if not (self.low <= self.mode <= self.high and self.low < self.high):
            raise ValueError("needs low <= mode <= high and low < high")
        return self

    def support(self) -> tuple[float, float]:
        return self.low, self.high

    def mean(self) -> float:
        return (self.low + self.mode + self.high) / 3

    def ppf(self, u: np.ndarray) -> np.ndarray:
        a, c, b = self.low, self.mode, self.high
        cut = (c - a) / (b - a)
        left = a + np.sqrt(u * (b - a) * (c - a))
        right = b - np.sqrt((1 - u) * (b - a) * (b - c))
        return np.where(u < cut, left, right)


class Beta(_Dist):
    """Beta(a, b) rescaled to [low, high] (default [0, 1])."""

    dist: Literal["beta"]
    a: Param = Field(gt=0)
    b: Param = Field(gt=0)
    low: Param = 0.0
    high: Param = 1.0

    @model_validator(mode="after")
    def _ordered(self) -> "Beta":
        if not self.low < self.high:
            raise ValueError(f"low ({self.low}) must be below high ({self.high})")
        return self

    def support(self) -> tuple[float, float]:
        return self.low, self.high

    def mean(self) -> float:
        return self.low + (self.high - self.low) * self.a / (self.a + self.b)

    def ppf(self, u: np.ndarray) -> np.ndarray:
        from scipy.special import betaincinv

        return self.low + (self.high - self.low) * betaincinv(self.a, self.b, u)


Distribution = Annotated[Union[Uniform, Normal, Triangular, Beta], Field(discriminator="dist")]
DISTRIBUTION_NAMES = ("uniform", "normal", "triangular", "beta")
