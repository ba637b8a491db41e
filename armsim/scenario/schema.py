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

import numbers
from typing import Annotated, Any, Literal

from pydantic import (BaseModel, BeforeValidator, ConfigDict, Field, PlainValidator, PrivateAttr,
                      field_validator, model_validator)

from armsim.scenario.problems import did_you_mean
from armsim.scenario.values import (Count, Date, Model, Name, Nonnegative, Number, Positive,
                                    Probability, Real, Text, Whole, bounded)
from armsim.strategies import registry

FORMAT_VERSION = 1
MAX_SEED = 2**64 - 1          # a seed keys a 64-bit counter-based generator
MAX_ROUNDS = 1_000_000        # rounds in a run (sessions and aftermath together)


class SourceRef(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Name
    title: Text
    outlet: Text | None = None
    date: Date | None = None
    url: Text | None = None
    note: Text | None = None


def readable(key: str) -> str:
    """A key as a label: ``intermediate_missiles`` -> ``Intermediate missiles``."""
    text = key.replace("_", " ").strip() or key
    return text[:1].upper() + text[1:]


class Force(Model):
    label: Text | None = None       # None: a readable form of the key (Scenario fills it)
    unit: Text = ""
    max: Annotated[Real, bounded(0, lo_open=True)]
    #: sd of the shock on this force each round, in its own unit (None: environment.noise)
    noise: Nonnegative | None = None


class Phase(Model):
    """A step of a phased reduction: ``after`` rounds from entry into force, ``share`` of
    the way from the levels held then to the agreed ceiling is due."""

    after: Annotated[Whole, Field(ge=0, le=MAX_ROUNDS)]
    share: Annotated[Real, bounded(0, 1)]


class Extension(Model):
    """What may follow the end of an agreement's term: up to ``times`` extensions of
    ``rounds`` each, decided by its parties (or ``automatic``)."""

    rounds: Annotated[Whole, Field(ge=1, le=MAX_ROUNDS)]
    times: Annotated[Count, Field(ge=1)] = 1
    automatic: bool = False


class Issue(Model):
    label: Text | None = None       # None: a readable form of the key (Scenario fills it)
    unit: Text = ""
    range: tuple[Real, Real]
    #: the force an agreement caps, or a list of forces whose sum it caps (a ceiling over
    #: several zones or kinds of equipment)
    caps: Annotated[Any, PlainValidator(lambda v: _caps(v))] = None
    #: over whom the ceiling is taken: ``each`` bound actor's own level (or sum of the
    #: capped forces), each ``bloc``'s members together, or the ``total`` of all bound
    ceiling: Literal["each", "bloc", "total"] = "each"
    binds: Annotated[Any, PlainValidator(lambda v: _binds(v))] = "all"
    #: levels are whole numbers (launchers, centrifuges): offers, agreed levels and the
    #: caps forces keep to are never fractional (docs/model.md 7.21)
    whole: bool = False
    #: issues whose commitment this one is traded for (caps for relief): the actors bound
    #: by the one play the compliance game against those bound by the other
    traded_for: list[Name] = []
    #: the chance a defection is detected while this issue's agreement binds: one number
    #: for every actor it binds, or a mapping by actor id or bloc name ('*': the others)
    verification: Annotated[dict[Name, Probability],
                            BeforeValidator(lambda v: _trust(v))] | None = None
    #: issues whose verification this issue's agreed level sets (an inspection regime)
    verifies: list[Name] = []
    #: the detection chance at the range's lo and at its hi (for ``verifies``)
    detection: tuple[Real, Real] | None = None
    #: the life of an agreement on this issue, in rounds (docs/model.md 7.20.5): from
    #: signature to entry into force; a schedule of reductions; its term; extensions
    enters_into_force: Annotated[Whole, Field(ge=0, le=MAX_ROUNDS)] = 0
    phases: list[Phase] = []
    duration: Annotated[Whole, Field(ge=1, le=MAX_ROUNDS)] | None = None
    extension: Extension | None = None

    @field_validator("detection")
    @classmethod
    def _chances(cls, value: tuple[float, float] | None) -> tuple[float, float] | None:
        if value is not None and not all(0 <= p <= 1 for p in value):
            raise ValueError(f"detection [{value[0]:g}, {value[1]:g}] gives the chance that a "
                             "defection is detected at the range's lo and at its hi: two "
                             "probabilities in [0, 1]")
        return value

    @field_validator("range")
    @classmethod
    def _ordered(cls, value: tuple[float, float]) -> tuple[float, float]:
        if not value[0] < value[1]:
            raise ValueError(f"range [{value[0]:g}, {value[1]:g}] needs lo < hi "
                             "(hi is the status quo, no limit)")
        return value

    @property
    def capped(self) -> tuple[str, ...]:
        """The forces the agreement caps (the sum of them, where several)."""
        return () if self.caps is None else (self.caps,) if isinstance(self.caps, str) \
            else tuple(self.caps)

    @property
    def lo(self) -> float:
        return self.range[0]

    @property
    def hi(self) -> float:
        return self.range[1]


def _caps(value: Any) -> str | tuple[str, ...] | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, str) for v in value):
        return value[0] if len(value) == 1 else tuple(value)
    raise ValueError("caps is a force id, or a non-empty list of force ids whose sum the "
                     "agreement caps, e.g. [tanks_flank, tanks_centre]")


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
    #: reactions to the rivals' levels of *other* forces, per force id (``reaction`` is
    #: the reaction to their levels of this one): ``{exercises: 0.2}``
    reacts_to: dict[Name, Nonnegative] = {}


def _support(value: Any) -> tuple[float, float]:
    """The values a number or a distribution can take, as ``(lowest, highest)``."""
    return (value, value) if isinstance(value, (int, float)) else value.support()


class StatedLine(Model):
    """The red line an actor tells the others (a bluff when it differs from the true one)."""

    min: Number | None = None
    max: Number | None = None


class BelievedLine(Model):
    """The others' prior belief about an actor's true red line: an interval for each end."""

    min: tuple[Real, Real] | None = None
    max: tuple[Real, Real] | None = None

    @field_validator("min", "max")
    @classmethod
    def _interval(cls, value: tuple[float, float] | None) -> tuple[float, float] | None:
        if value is not None and not value[0] <= value[1]:
            raise ValueError(f"a belief interval [{value[0]:g}, {value[1]:g}] needs "
                             "low <= high")
        return value


class RedLine(Model):
    """The true red line ``{min, max}`` (numbers or distributions drawn per run), with what
    the actor ``stated`` (default: the true line) and what the others ``believed`` at
    first (default: the stated line)."""

    min: Number | None = None
    max: Number | None = None
    stated: StatedLine | None = None
    believed: BelievedLine | None = None

    @model_validator(mode="after")
    def _ordered(self) -> "RedLine":
        for line in (self, self.stated):
            if line is None or line.min is None or line.max is None:
                continue
            if _support(line.min)[0] > _support(line.max)[1]:
                lo, hi = _support(line.min)[0], _support(line.max)[1]
                raise ValueError(f"min ({lo:g}) is above max ({hi:g}): "
                                 "no level could ever be accepted")
        return self


class Preference(Model):
    ideal: Number | None = None
    weight: Nonnegative = 1.0
    red_line: RedLine | None = None
    non_negotiable: bool = False
    #: a one-sided preference: ``more``, every level at or above the ideal is worth 1
    #: (more room is never worse); ``less``, every level at or below it; None: symmetric
    one_sided: Literal["more", "less"] | None = None


# --- strategies: every registered strategy's parameters (armsim.strategies) ----------

Strategy = registry.params_union("negotiation")
Compliance = registry.params_union("compliance")
STRATEGY_NAMES = registry.names("negotiation")
COMPLIANCE_NAMES = registry.names("compliance")


class Actor(Model):
    label: Text | None = None
    bloc: Name | None = None
    rivals: list[Name] = []
    forces: dict[Name, ForceParams] = {}
    preferences: dict[Name, Preference] = {}
    insists: list[Name] = []
    strategy: Strategy = registry.get("negotiation", "linear").Params(type="linear")
    compliance: Compliance = registry.get("compliance", "tit_for_tat").Params(type="tit_for_tat")
    patience: Annotated[Number, bounded(0, 1, lo_open=True)] = 1.0
    reservation: Annotated[Number, bounded(0, 1, hi_open=True)] = 0.0
    trust: Annotated[dict[Name, Probability], BeforeValidator(lambda v: _trust(v))] = {"*": 0.5}
    #: the chance that this actor's defection is detected, where no issue says otherwise
    #: (default: environment.verification)
    verification: Probability | None = None

    @field_validator("strategy", "compliance", mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        return {"type": value} if isinstance(value, str) else value


def _trust(value: Any) -> Any:
    """One number (or distribution) for all counterparts is stored under ``"*"``."""
    if isinstance(value, dict) and "dist" not in value:
        return value
    return {"*": value}


class ForceChange(Model):
    """A new government's force dynamics (any left out stay as they were)."""

    reaction: Nonnegative | None = None
    fatigue: Nonnegative | None = None
    grievance: Number | None = None


class GovernmentChange(Model):
    """What a new government changes in an actor, from the event's round on."""

    patience: Annotated[Number, bounded(0, 1, lo_open=True)] | None = None
    reservation: Annotated[Number, bounded(0, 1, hi_open=True)] | None = None
    trust: Annotated[dict[Name, Probability], BeforeValidator(lambda v: _trust(v))] | None = None
    compliance: Compliance | None = None
    verification: Probability | None = None
    forces: dict[Name, ForceChange] = {}

    @field_validator("compliance", mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        return {"type": value} if isinstance(value, str) else value


EVENT_KINDS = ("withdraw", "suspend", "resume", "new_government")


class Event(Model):
    """Something from outside the talks at a given round (docs/model.md 7.20.5)."""

    round: Annotated[Whole, Field(ge=0, le=MAX_ROUNDS)]
    does: Literal["withdraw", "suspend", "resume", "new_government"]
    actor: Name | None = None
    issues: list[Name] = []
    change: GovernmentChange | None = Field(default=None, alias="set")
    label: Text | None = None

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Session(Model):
    venue: Text
    date: Date | None = None
    participants: list[Name]
    agenda: list[Name]
    rounds: Annotated[Whole, Field(ge=1, le=MAX_ROUNDS)]
    package: bool = False
    protocol: Literal["alternating", "mediated"] = "alternating"
    #: what the negotiators bring from earlier sessions: ``keep`` (what they conceded
    #: and saw, docs/model.md 7.5) or ``reset`` (they start afresh, as at the first)
    memory: Literal["keep", "reset"] = "keep"
    #: talk rounds in which nobody moves before a deadlock is declared (None: one
    #: full rotation, the number of participants)
    deadlock_rounds: Annotated[Count, Field(ge=1)] | None = None
    #: linkage for this session only: ``{actor: [issues]}``, added to each actor's own
    #: ``insists`` while this session lasts
    insists: dict[Name, list[Name]] = {}
    #: a participant that chairs the session: it proposes the Nash bargaining solution
    #: of all the participants, itself included (implies ``protocol: mediated``)
    mediator: Name | None = None

    @model_validator(mode="before")
    @classmethod
    def _mediated(cls, data: Any) -> Any:
        """A mediator makes the session mediated (``protocol: alternating`` written beside
        it is an error, reported by :mod:`armsim.scenario.checks`)."""
        if isinstance(data, dict) and data.get("mediator") is not None \
                and "protocol" not in data:
            return {**data, "protocol": "mediated"}
        return data
    #: rounds without talks before this session (after the one before it, or round 0)
    gap: Annotated[Whole, Field(ge=0, le=MAX_ROUNDS)] = 0
    #: what it agrees is an interim deal: it binds until a later session agrees the issue
    interim: bool = False
    #: issues on its agenda whose agreement collapsed or expired are negotiated again
    reopens: bool = False
    #: rounds from signature to entry into force of what it agrees (default: each issue's
    #: enters_into_force)
    enters_into_force: Annotated[Whole, Field(ge=0, le=MAX_ROUNDS)] | None = None


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


COUNTERPART_RULES = ("across_blocs", "all", "rivals")


def _counterparts(value: Any) -> str | tuple[tuple[str, str], ...]:
    """Who plays the compliance game with whom: a rule's name, or a list of pairs of
    actor ids or bloc names (docs/model.md 7.12)."""
    if isinstance(value, str):
        if value in COUNTERPART_RULES:
            return value
        raise ValueError(f"{value!r} is not a rule of counterparts"
                         f"{did_you_mean(value, COUNTERPART_RULES)} The rules: across_blocs "
                         "(the default: allies in a bloc do not play each other), all, "
                         "rivals, or a list of pairs such as [[united_states, north_korea]]")
    if isinstance(value, (list, tuple)) and value and all(
            isinstance(pair, (list, tuple)) and len(pair) == 2
            and all(isinstance(name, str) for name in pair) for pair in value):
        return tuple((pair[0], pair[1]) for pair in value)
    raise ValueError("counterparts is across_blocs, all, rivals, or a non-empty list of "
                     "pairs of actor ids or bloc names, e.g. [[united_states, north_korea], "
                     "[south_korea, north_korea]]")


class Environment(Model):
    verification: Probability = 1.0
    tolerance: Annotated[Count, Field(ge=1)] | None = None
    noise: Nonnegative = 0.0
    compliance_noise: Probability = 0.0
    sanction: Nonnegative = 0.0       # payoff units a detected defector pays, per detection
    withdrawal: bool = False          # actors leave agreements worth less than none
    #: who plays the compliance game with whom (docs/model.md 7.12): ``across_blocs``,
    #: ``all``, ``rivals`` or pairs of actor ids / bloc names
    counterparts: Annotated[Any, PlainValidator(lambda v: _counterparts(v))] = "across_blocs"
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
    seed: Annotated[Whole, Field(ge=0, le=MAX_SEED)] = 0
    runs: Annotated[Count, Field(ge=1)] = 1000
    dt: Annotated[Real, bounded(0, lo_open=True)] = 1.0
    aftermath: Annotated[Whole, Field(ge=0, le=MAX_ROUNDS)] = 0
    forces: dict[Name, Force] = {}
    issues: dict[Name, Issue] = {}
    actors: dict[Name, Actor]
    sessions: list[Session] = []
    environment: Environment = Environment()
    #: outside events at given rounds: withdrawals, suspensions, new governments
    events: list[Event] = []
    _path: str | None = PrivateAttr(default=None)

    @field_validator("actors")
    @classmethod
    def _someone(cls, value: dict[str, Actor]) -> dict[str, Actor]:
        if not value:
            raise ValueError("a scenario needs at least one actor (a state or a bloc), e.g. "
                             "actors: {north: {}}; here there is none")
        return value

    @model_validator(mode="after")
    def _labels(self) -> "Scenario":
        """A force, issue or actor without ``label`` is called by its key, made readable."""
        parts = {}
        for part in ("forces", "issues", "actors"):
            items = getattr(self, part)
            if any(item.label is None for item in items.values()):
                parts[part] = {key: item if item.label is not None
                               else item.model_copy(update={"label": readable(key)})
                               for key, item in items.items()}
        return self.model_copy(update=parts) if parts else self

    @property
    def path(self) -> str | None:
        """The file this scenario was read from, if any."""
        return self._path

    @property
    def rounds(self) -> int:
        """Rounds in a run: every session's rounds, then the aftermath."""
        return sum(s.gap + s.rounds for s in self.sessions) + self.aftermath

    def with_seed(self, seed: Any) -> "Scenario":
        """This scenario with another seed (None: this one), checked as ``seed:`` in a file
        is; a ValueError says what a seed may be."""
        if seed is None:
            return self
        if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) \
                or not 0 <= seed <= MAX_SEED:
            raise ValueError(f"the seed is a whole number from 0 to {MAX_SEED}, got {seed!r}")
        return self.model_copy(update={"seed": int(seed)})
