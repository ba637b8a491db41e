"""Distributions a scenario may give instead of a number, drawn once per run.

Each distribution knows its support (to check it against the range its
parameter allows) and turns uniform variates into draws by its inverse CDF, so
that the engine can feed it counter-based uniforms: a run's draw depends only on
(seed, run, parameter), never on the batch.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal, Union

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator


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
    low: float
    high: float

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
    mean_: float = Field(alias="mean")
    sd: float = Field(gt=0)
    low: float = -math.inf
    high: float = math.inf

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
    low: float
    mode: float
    high: float

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
    a: float = Field(gt=0)
    b: float = Field(gt=0)
    low: float = 0.0
    high: float = 1.0

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
