"""The typed, immutable scenario: MODEL.md section 7 as pydantic models.

Structure and per-value ranges are checked here; references between parts of a
scenario (an actor named in a session, an issue an actor prefers...) are checked
in :mod:`armsim.scenario.checks`, over the raw data, so that both kinds of
problem are reported together.

Every mapping may carry ``source:`` (what a cited source says, by source id or in
words) and ``assumption:`` (why a value was chosen) notes; they are kept for
``armsim show`` and never affect a run.
"""

from __future__ import annotations

import datetime as _dt
import math
import numbers
from typing import Annotated, Any, Literal, Union

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Discriminator,
                      Field, PlainValidator, PrivateAttr, Tag, TypeAdapter, ValidationError,
                      field_validator, model_validator)

from armsim.scenario.distributions import DISTRIBUTION_NAMES, Distribution

FORMAT_VERSION = 1
MAX_SEED = 2**64 - 1          # a seed keys a 64-bit counter-based generator
MAX_ROUNDS = 1_000_000        # rounds in a run (sessions and aftermath together)


def _real(value: Any) -> Any:
    if isinstance(value, bool) or isinstance(value, str):
        raise ValueError(f"expected a number, got {type(value).__name__} {value!r}")
    if isinstance(value, (int, float)) and not math.isfinite(value):
        raise ValueError(f"expected a finite number, got {value}")
    return value


Real = Annotated[float, BeforeValidator(_real)]
Count = Annotated[int, BeforeValidator(lambda v: _strict_int(v))]


def _strict_int(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            return int(value)
        raise ValueError(f"expected a whole number, got {value!r}")
    return value


def _name(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError(f"expected a name, got the boolean {str(value).lower()}")
    if not isinstance(value, str):
        raise ValueError(f"expected a name, got {type(value).__name__} {value!r}")
    return value


Name = Annotated[str, BeforeValidator(_name)]
Text = Annotated[str, BeforeValidator(lambda v: str(v) if isinstance(v, (int, float, _dt.date))
                                     and not isinstance(v, bool) else v)]


def bounded(lo: float = -math.inf, hi: float = math.inf, *, lo_open: bool = False,
            hi_open: bool = False) -> AfterValidator:
    """Check a number, or a distribution's whole support, against [lo, hi]."""
    left = "(" if lo_open or lo == -math.inf else "["
    right = ")" if hi_open or hi == math.inf else "]"
    interval = f"{left}{lo:g}, {hi:g}{right}"

    def inside(x: float) -> bool:
        return (x > lo if lo_open else x >= lo) and (x < hi if hi_open else x <= hi)

    def check(value: Any) -> Any:
        if isinstance(value, (int, float)):
            if not inside(value):
                raise ValueError(f"{value:g} is outside {interval}")
        else:
            s_lo, s_hi = value.support()
            if not (inside(s_lo) and inside(s_hi)):
                raise ValueError(
                    f"the distribution's support [{s_lo:g}, {s_hi:g}] leaves {interval}; "
                    "give it low/high bounds inside that interval")
        return value

    return AfterValidator(check)


_DISTRIBUTION = TypeAdapter(Distribution)


def _number(value: Any) -> Any:
    """A finite number, or a distribution given as a mapping with a ``dist`` key."""
    if isinstance(value, dict):
        if "dist" not in value:
            raise ValueError("a mapping here must be a distribution, e.g. "
                             "{dist: uniform, low: 0.9, high: 0.99}")
        try:
            return _DISTRIBUTION.validate_python(value)
        except ValidationError as exc:
            raise ValueError("bad distribution: " + "; ".join(
                _describe(err) for err in exc.errors())) from None
    if hasattr(value, "support"):
        return value
    if not isinstance(value, (int, float, str)):  # str and bool: _real says what they are
        what = ("nothing (null)" if value is None else "a list"
                if isinstance(value, (list, tuple)) else f"{type(value).__name__} {value!r}")
        raise ValueError(f"expected a number, got {what}")
    return float(_real(value))


def _describe(err: Any) -> str:
    where = ".".join(str(p) for p in err["loc"][1:])
    message = err["msg"].removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        message = "unknown key"
    if err["type"] == "union_tag_invalid":
        message = f"unknown dist {err['input'].get('dist')!r}; use one of {', '.join(DISTRIBUTION_NAMES)}"
        where = ""
    return f"{where}: {message}" if where else message


Number = Annotated[Any, PlainValidator(_number, json_schema_input_type=float)]
Nonnegative = Annotated[Number, bounded(0)]
Probability = Annotated[Number, bounded(0, 1)]
Positive = Annotated[Number, bounded(0, lo_open=True)]


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    source: Text | None = None
    assumption: Text | None = None


class SourceRef(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Name
    title: Text
    outlet: Text | None = None
    date: Text | None = None
    url: Text | None = None
    note: Text | None = None


class Force(Model):
    label: Text
    unit: Text = ""
    max: Annotated[Real, bounded(0, lo_open=True)]


class Issue(Model):
    label: Text
    unit: Text = ""
    range: tuple[Real, Real]
    caps: Name | None = None
    binds: Annotated[Any, PlainValidator(lambda v: _binds(v))] = "all"

    @field_validator("range")
    @classmethod
    def _ordered(cls, value: tuple[float, float]) -> tuple[float, float]:
        if not value[0] < value[1]:
            raise ValueError(f"range [{value[0]:g}, {value[1]:g}] needs lo < hi "
                             "(hi is the status quo, no limit)")
        return value

    @property
    def lo(self) -> float:
        return self.range[0]

    @property
    def hi(self) -> float:
        return self.range[1]


def _binds(value: Any) -> str | tuple[str, ...]:
    if value == "all":
        return "all"
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ValueError("binds is 'all' (a reciprocal commitment) or a non-empty list of "
                     "actor ids or bloc names")


class ForceParams(Model):
    initial: Nonnegative = 0.0
    reaction: Nonnegative = 0.0
    fatigue: Nonnegative = 0.0
    grievance: Number = 0.0


class RedLine(Model):
    min: Real | None = None
    max: Real | None = None

    @model_validator(mode="after")
    def _ordered(self) -> "RedLine":
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min ({self.min:g}) is above max ({self.max:g}): "
                             "no level could ever be accepted")
        return self


class Preference(Model):
    ideal: Real | None = None
    weight: Nonnegative = 1.0
    red_line: RedLine | None = None
    non_negotiable: bool = False


# --- negotiation strategies ---------------------------------------------------------

class _Strategy(Model):
    pass


class TimeDependent(_Strategy):
    type: Literal["time_dependent"]
    exponent: Annotated[Number, bounded(0, lo_open=True)]


class Boulware(_Strategy):
    type: Literal["boulware"]


class Linear(_Strategy):
    type: Literal["linear"]


class Conceder(_Strategy):
    type: Literal["conceder"]


class TitForTat(_Strategy):
    type: Literal["tit_for_tat"]
    reciprocity: Nonnegative = 1.0
    opening: Annotated[Number, bounded(0, 1)] = 0.05


class Grit(_Strategy):
    type: Literal["grit"]
    step: Annotated[Number, bounded(0, 1)] = 0.05
    wait: Annotated[Count, Field(ge=1)] = 2
    reciprocity: Nonnegative = 1.0


class Hardliner(_Strategy):
    type: Literal["hardliner"]


class Rubinstein(_Strategy):
    type: Literal["rubinstein"]
    horizon: Literal["finite", "infinite"] = "finite"


Strategy = Annotated[Union[TimeDependent, Boulware, Linear, Conceder, TitForTat, Grit,
                           Hardliner, Rubinstein], Field(discriminator="type")]
STRATEGY_NAMES = ("boulware", "linear", "conceder", "time_dependent", "tit_for_tat", "grit",
                  "hardliner", "rubinstein")

# --- compliance strategies ----------------------------------------------------------


class _Simple(Model):
    type: Literal["always_comply", "always_defect", "tit_for_tat", "grim", "tit_for_two_tats",
                  "suspicious_tit_for_tat", "alternate"]


class RandomCompliance(Model):
    type: Literal["random"]
    p: Probability = 0.5


class GenerousTitForTat(Model):
    type: Literal["generous_tit_for_tat"]
    p: Probability | None = None  # None: axelrod's default from the payoffs


class Conditional(Model):
    """Defect with probability logistic(bias + tension * theta - trust * trust)."""

    type: Literal["conditional"]
    bias: Number = -2.0
    tension: Number = 4.0
    trust: Number = 4.0


def _compliance_tag(value: Any) -> str:
    kind = value.get("type") if isinstance(value, dict) else getattr(value, "type", None)
    return kind if kind in ("random", "generous_tit_for_tat", "conditional") else "simple"


Compliance = Annotated[
    Union[Annotated[_Simple, Tag("simple")], Annotated[RandomCompliance, Tag("random")],
          Annotated[GenerousTitForTat, Tag("generous_tit_for_tat")],
          Annotated[Conditional, Tag("conditional")]],
    Discriminator(_compliance_tag),
]
COMPLIANCE_NAMES = ("always_comply", "always_defect", "tit_for_tat", "grim", "tit_for_two_tats",
                    "suspicious_tit_for_tat", "alternate", "random", "generous_tit_for_tat",
                    "conditional")


class Actor(Model):
    label: Text | None = None
    bloc: Name | None = None
    rivals: list[Name] = []
    forces: dict[Name, ForceParams] = {}
    preferences: dict[Name, Preference] = {}
    insists: list[Name] = []
    strategy: Strategy = Linear(type="linear")
    compliance: Compliance = _Simple(type="tit_for_tat")
    patience: Annotated[Number, bounded(0, 1, lo_open=True)] = 1.0
    reservation: Annotated[Number, bounded(0, 1, hi_open=True)] = 0.0
    trust: Annotated[dict[Name, Probability], BeforeValidator(lambda v: _trust(v))] = {"*": 0.5}

    @field_validator("strategy", "compliance", mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        return {"type": value} if isinstance(value, str) else value


def _trust(value: Any) -> Any:
    """One number (or distribution) for all counterparts is stored under ``"*"``."""
    if isinstance(value, dict) and "dist" not in value:
        return value
    return {"*": value}


class Session(Model):
    venue: Text
    date: Text | None = None
    participants: list[Name]
    agenda: list[Name]
    rounds: Annotated[Count, Field(ge=1, le=MAX_ROUNDS)]
    package: bool = False
    protocol: Literal["alternating", "mediated"] = "alternating"


class Payoffs(Model):
    R: Real = 3.0
    S: Real = 0.0
    T: Real = 5.0
    P: Real = 1.0


class Tension(Model):
    """theta = logistic(bias + forces*F + mistrust*M - agreements*A)."""

    bias: Number = -2.0
    forces: Number = 3.0
    mistrust: Number = 2.0
    agreements: Number = 2.0


class Crisis(Model):
    hazard: Probability = 0.0
    exponent: Positive = 2.0


class TrustRates(Model):
    gain: Probability = 0.1
    loss: Probability = 0.3


class Environment(Model):
    verification: Probability = 1.0
    tolerance: Annotated[Count, Field(ge=1)] | None = None
    noise: Nonnegative = 0.0
    compliance_noise: Probability = 0.0
    payoffs: Payoffs = Payoffs()
    tension: Tension = Tension()
    crisis: Crisis = Crisis()
    trust: TrustRates = TrustRates()


class Scenario(Model):
    """A whole scenario. ``path`` is where it was read from, if anywhere."""

    armsim: Literal[1]
    name: Text
    description: Text = ""
    sources: list[SourceRef] = []
    seed: Annotated[Count, Field(ge=0, le=MAX_SEED)] = 0
    runs: Annotated[Count, Field(ge=1)] = 1000
    dt: Annotated[Real, bounded(0, lo_open=True)] = 1.0
    aftermath: Annotated[Count, Field(ge=0, le=MAX_ROUNDS)] = 0
    forces: dict[Name, Force] = {}
    issues: dict[Name, Issue] = {}
    actors: dict[Name, Actor]
    sessions: list[Session] = []
    environment: Environment = Environment()
    _path: str | None = PrivateAttr(default=None)

    @property
    def path(self) -> str | None:
        """The file this scenario was read from, if any."""
        return self._path

    @property
    def rounds(self) -> int:
        """Rounds in a run: every session's rounds, then the aftermath."""
        return sum(s.rounds for s in self.sessions) + self.aftermath

    def with_seed(self, seed: Any) -> "Scenario":
        """This scenario with another seed (None: this one), checked as ``seed:`` in a file
        is; a ValueError says what a seed may be."""
        if seed is None:
            return self
        if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) \
                or not 0 <= seed <= MAX_SEED:
            raise ValueError(f"the seed is a whole number from 0 to {MAX_SEED}, got {seed!r}")
        return self.model_copy(update={"seed": int(seed)})
