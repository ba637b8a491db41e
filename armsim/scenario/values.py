"""The value types of the scenario language: numbers, distributions, names, notes.

Shared by the scenario's own models (:mod:`armsim.scenario.schema`) and by every
strategy's parameters (:mod:`armsim.strategies`), so a strategy module declares its
parameters with the same checks and messages as the rest of a scenario file.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from typing import Annotated, Any

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, PlainValidator,
                      TypeAdapter, ValidationError)

from armsim.scenario.distributions import DISTRIBUTION_NAMES, Distribution
from armsim.scenario.magnitude import real, too_large, within


# a finite number within the scenario's bound on every number (see magnitude.py)
Real = Annotated[float, BeforeValidator(real)]


def _strict_int(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            return int(value)
        raise ValueError(f"expected a whole number, got {value!r}")
    return value


def _count(value: Any) -> Any:
    finite = isinstance(value, int) or isinstance(value, float) and math.isfinite(value)
    if finite and not isinstance(value, bool) and not within(value):
        raise ValueError(too_large(value))  # told as written: 1e+30, not its 31 digits
    return _strict_int(value)


# A whole number checked only against the bounds its field gives (rounds, the seed) ...
Whole = Annotated[int, BeforeValidator(lambda v: _strict_int(v))]
# ... and one within the scenario's bound on every number (wait, tolerance, runs).
Count = Annotated[int, BeforeValidator(lambda v: _count(v))]


def _name(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError(f"expected a name, got the boolean {str(value).lower()}")
    if not isinstance(value, str):
        raise ValueError(f"expected a name, got {type(value).__name__} {value!r}")
    return value


Name = Annotated[str, BeforeValidator(_name)]


def _date(value: Any) -> Any:
    """A calendar date, kept as its text ``YYYY-MM-DD`` (a ``datetime.date`` is accepted)."""
    if isinstance(value, _dt.datetime):
        raise ValueError(f"expected a date without a time, YYYY-MM-DD, got {value}")
    if isinstance(value, _dt.date):
        return value.isoformat()
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        shown = repr(value) if isinstance(value, str) else str(value)
        raise ValueError(f"expected a date, written YYYY-MM-DD (e.g. 2022-01-10), got {shown}")
    try:
        _dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"{value} is not a date ({exc}); dates are written YYYY-MM-DD, "
                         "e.g. 2022-01-10") from None
    return value


Date = Annotated[str, BeforeValidator(_date)]
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
    if not isinstance(value, (int, float, str)):  # str and bool: real() says what they are
        what = ("nothing (null)" if value is None else "a list"
                if isinstance(value, (list, tuple)) else f"{type(value).__name__} {value!r}")
        raise ValueError(f"expected a number, got {what}")
    return float(real(value))


def _describe(err: Any) -> str:
    where = ".".join(str(p) for p in err["loc"][1:])
    message = err["msg"].removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        message = "unknown key"
    if err["type"] == "union_tag_invalid":
        message = (f"unknown dist {err['input'].get('dist')!r}; use one of "
                   f"{', '.join(DISTRIBUTION_NAMES)}")
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
