"""What a strategy declares: its name, words, parameters, memory and vectorised decisions.

A strategy is one class in one module, as Axelrod keeps one module per player. The
class says what it is (``name``, a one-line ``description``, the ``words`` that
``armsim explain`` uses), which parameters a scenario may give it (``Params``, a
pydantic model whose ``type`` is the name), which of them are drawn per run
(``drawn``), what it remembers between rounds (``memory``) and how it decides, for
every run at once. :mod:`armsim.strategies.registry` collects the classes and builds
from them the scenario schema's choices, the integer codes of the kernel, the
parameter lists and the narrative.

An actor's strategy is an *instance* made from the actor's parameters (its
``config``); the kernel (:mod:`armsim.core`) calls its methods and never imports this
package. Shapes: n runs, A actors, I issues; per-run parameters ``(n, A)``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar

import numpy as np
from pydantic import BaseModel

from armsim.core.compliance import ComplianceView
from armsim.core.offers import EPS as TOL

Draw = Callable[[Any, str], np.ndarray]   # (value or distribution, dotted path) -> (n,)


class Strategy:
    """What negotiation and compliance strategies share: identity, parameters, draws."""

    #: the name a scenario file gives (``strategy: linear``); lower case and underscores
    name: ClassVar[str]
    #: one line, for ``armsim show``, the docs and error messages
    description: ClassVar[str]
    #: how ``armsim explain`` says what the actor does: "conceding at an even pace (linear)"
    words: ClassVar[str]
    #: the scenario's parameters of the strategy (pydantic; ``type: Literal[name]``)
    Params: ClassVar[type[BaseModel]]
    #: the parameters drawn once per run (a number or a distribution), with the value
    #: used when the scenario leaves one out (None: left for :meth:`draw` to fill)
    drawn: ClassVar[Mapping[str, float | None]] = {}
    #: what the strategy keeps between rounds, beyond what every negotiator keeps:
    #: ``{name: dtype}``, each an ``(n, A, I)`` array of the talk state (see TalkState)
    memory: ClassVar[Mapping[str, Any]] = {}
    #: whether a decision uses random numbers
    stochastic: ClassVar[bool] = False
    #: the parameters of a minimal valid use, beside ``type`` (docs, tests, ``armsim init``)
    example: ClassVar[Mapping[str, Any]] = {}

    def __init__(self, config: BaseModel) -> None:
        self.config = config

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.config!r}>"

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.config == self.config  # type: ignore

    def __hash__(self) -> int:
        return hash((type(self), self.config.model_dump_json()))

    def draw(self, draw: Draw, prefix: str, context: Mapping[str, Any]) -> dict[str, np.ndarray]:
        """The per-run values of the ``drawn`` parameters, ``{name: (n,)}``.

        ``draw(value, path)`` draws a number or distribution for every run, keyed by its
        dotted path (``prefix`` is e.g. ``actors.russia.strategy``); ``context`` holds
        what a default may depend on (``payoffs``: R, S, T, P; ``n``: the runs).
        """
        out = {}
        for attr, default in self.drawn.items():
            value = getattr(self.config, attr, None)
            if value is not None:
                out[attr] = draw(value, f"{prefix}.{attr}")
            elif default is not None:
                out[attr] = np.full(context["n"], float(default))
        return out


class NegotiationStrategy(Strategy):
    """How an actor proposes and answers in the talks (MODEL.md section 3).

    The talks (:mod:`armsim.core.talks`) ask a proposer p, in order: :meth:`concede`
    (move its memory before proposing), :meth:`offer` (an offer of its own, or None for
    the trade-off offer that asks for :meth:`ask`), and, of every responder a,
    :meth:`threshold`: what it would itself ask next (it accepts an offer worth at least
    that, and never below its reservation). Arguments: ``talk`` the talk state,
    ``params`` the per-run parameters, ``k`` the round within the session of ``rounds``.
    """

    #: a responder playing it accepts any offer within its red lines at once
    accepts_at_once: ClassVar[bool] = False
    #: the rule of the compiled kernel (:data:`armsim.core.kernel.NEGOTIATORS`) that
    #: plays it, declared by the class itself (a subclass that changes a method does not
    #: inherit it): talks with a negotiator without one run in NumPy
    compiled_as: ClassVar[str | None] = None

    def open(self, talk: Any, params: Any, a: int) -> None:
        """When the talk memory is made (the first session, or one that says
        ``memory: reset``; it carries over otherwise): set up actor a's memory
        (default: nothing)."""

    def concede(self, talk: Any, params: Any, p: int) -> None:
        """Before proposing: move what proposer p asks (default: nothing)."""

    def ask(self, talk: Any, params: Any, p: int, k: int, rounds: int) -> np.ndarray:
        """The own utility proposer p asks for now, ``(n, I)`` (a package reads column 0).
        Default: its aspiration in the talk state (which :meth:`concede` moves)."""
        return talk.aspiration[:, p, :]

    def threshold(self, talk: Any, params: Any, a: int, k: int, rounds: int) -> np.ndarray:
        """What responder a would itself ask next: ``(n, I)``, ``(n, 1)`` or a number
        (floored at its reservation by the talks). Default: its aspiration."""
        return talk.aspiration[:, a]

    def offer(self, spec: Any, params: Any, talk: Any, session: int, k: int, p: int,
              window: tuple[np.ndarray, np.ndarray]) -> np.ndarray | None:
        """An offer of its own ``(n, I)`` within ``window`` (low, high ``(I,)``), or None
        for the trade-off offer toward the others that meets :meth:`ask`."""
        return None

    #: how ``armsim explain`` says that it broke a deadlock ("a restart gesture")
    breaks_deadlock_with: ClassVar[str] = ""

    def break_deadlock(self, talk: Any, params: Any, a: int, k: int, rounds: int,
                       stuck: np.ndarray, broken: np.ndarray) -> np.ndarray | bool:
        """A deadlock was declared in the runs ``stuck`` ``(n,)`` (nobody moved for the
        session's ``deadlock_rounds``; docs/model.md 7.19): whether actor a moves to
        break it, ``(n,)`` (changing its memory only where it does); ``broken`` ``(n,)``
        counts the deadlocks it broke earlier in the session. Default: it cannot (its
        rule has nothing more to give), and if no one can the session ends."""
        return False

    def stands_by(self, u: np.ndarray, reservation: np.ndarray) -> np.ndarray | bool:
        """Whether proposer p accepts its own offer, worth ``u`` ``(n, I)`` to it: unless
        the red lines pushed it below its reservation ``(n, 1)``."""
        return u >= reservation - TOL


class ComplianceStrategy(Strategy):
    """How an actor bound by an agreement in force chooses to comply or defect.

    :meth:`defects` decides for every run and every actor at once (the compliance round
    keeps the columns of the actors that play it). ``True`` means defect.
    """

    #: the ``axelrod`` player it matches move for move, for the reference tests
    axelrod: ClassVar[str | None] = None
    #: it weighs the stakes of defecting: its view carries ``terms``
    #: (:class:`armsim.core.compliance.Terms`)
    weighs_terms: ClassVar[bool] = False
    #: the rule of the compiled kernel (:data:`armsim.core.kernel.CODES`) that decides
    #: exactly as :meth:`defects` does, declared by the class itself (a subclass that
    #: changes :meth:`defects` does not inherit it, and decides in NumPy)
    compiled_as: ClassVar[str | None] = None

    def defects(self, view: ComplianceView) -> np.ndarray:
        """Intended defections ``(n, A)`` bool for this turn."""
        raise NotImplementedError
