"""The Mesa model of one run of a scenario: one Mesa step per round.

:class:`ArmsControlModel` steps a single run (run axis of length 1) through the core's
:class:`~armsim.core.run.Run`, the batch engine's own phases, so the rules and their
order (MODEL.md section 2) live once. Its agents are
:class:`~armsim.abm.agents.StateAgent` views, asked for their decisions between the
phases (the proposer before RESPOND, the responders before RESOLVE, the bound actors
before VERIFY); by default they return what their strategies decided, which makes run
``r`` of seed ``s`` here equal, bit for bit, to run ``r`` of seed ``s`` of the NumPy
engine. A subclass may pause a round at a decision point (:meth:`ArmsControlModel.wait_at`)
and resume it with the next :meth:`~ArmsControlModel.step`.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from typing import Any

import mesa
import numpy as np

from armsim.abm.agents import COMPLY, DEFECT, StateAgent
from armsim.abm.registry import agent_class as resolve_agent_class
from armsim.abm.registry import parse_action
from armsim.compile import build_spec, draw_params
from armsim.core.run import Phase, Run
from armsim.core.spec import Spec
from armsim.core.state import outputs as run_outputs
from armsim.core.talks import Round, TalkState, asked_level
from armsim.scenario import Scenario, load_scenario

AgentKind = type[StateAgent] | str


class ArmsControlModel(mesa.Model):
    """One run of a scenario as a Mesa model.

    ``scenario`` is a file or a loaded :class:`~armsim.scenario.Scenario`; ``seed``
    defaults to the scenario's, ``run`` is the run index (0 by default), ``overrides``
    maps dotted paths to values as ``armsim.load_scenario`` takes them. Agents are
    ``agent_class`` (default :class:`StateAgent`), or per actor ``agent_classes``
    (``{actor: class or registered name}``). ``collect`` keeps the DataCollector;
    ``trajectories`` records the batch engine's per-round arrays too.

    The Mesa attribute ``model.scenario`` is Mesa's own; the armsim scenario is
    ``model.armsim_scenario``.
    """

    def __init__(self, scenario: Scenario | str | os.PathLike[str], *, seed: int | None = None,
                 run: int = 0, overrides: Mapping[str, Any] | None = None,
                 agent_class: AgentKind = StateAgent,
                 agent_classes: Mapping[str, AgentKind] | None = None,
                 collect: bool = True, trajectories: bool = False,
                 _spec: Spec | None = None) -> None:
        loaded = load_scenario(scenario, overrides).with_seed(seed)
        if int(run) < 0:
            raise ValueError(f"run is a run index, 0 or more; got {run}")
        super().__init__(rng=np.random.SeedSequence([loaded.seed, int(run)]))
        self.armsim_scenario = loaded
        self.run_index = int(run)
        self.spec = _spec if _spec is not None else build_spec(loaded)
        runs = np.array([self.run_index], dtype=np.int64)
        self.params = draw_params(loaded, self.spec, runs)
        #: the core's stepping of this one run
        self.run = Run(self.spec, self.params, runs, trajectories=trajectories)
        self.keys = self.run.keys
        #: one record per round played: what :meth:`armsim.core.run.Run.step` returned
        self.history: list[dict[str, Any]] = []
        #: the proposer of the latest talk round: an actor, "mediator", or None
        self.proposer: str | None = None
        #: the latest round's compliance: who played, their actions (True: defect), whose
        #: defection was detected (each ``(1, A)``) and who observed whom ``(A, A)``
        self.latest = self._blank_latest()
        self.observes_now: np.ndarray | None = None   # ``(A, A)`` during a compliance turn
        #: the decision point the round is paused at (a phase), or None
        self.paused_at: Phase | None = None
        self._make_agents(agent_class, agent_classes or {})
        self.datacollector = _collector(self) if collect else None
        self.running = not self.finished

    # --- set-up ---------------------------------------------------------------------

    def _make_agents(self, default: AgentKind, chosen: Mapping[str, AgentKind]) -> None:
        actors = self.spec.actors
        unknown = [name for name in chosen if name not in actors]
        if unknown:
            hint = difflib.get_close_matches(unknown[0], actors, n=1)
            raise ValueError(f"agent_classes names {unknown[0]!r}, which is not an actor of "
                             f"{self.armsim_scenario.name!r}"
                             + (f" (did you mean {hint[0]!r}?)" if hint else "")
                             + f"; actors: {', '.join(actors)}")
        self.actor_agents: list[StateAgent] = [
            resolve_agent_class(chosen.get(name, default))(self, a)
            for a, name in enumerate(actors)]

    def _blank_latest(self) -> dict[str, np.ndarray]:
        A = len(self.spec.actors)
        nobody = np.zeros((1, A), bool)
        return {"playing": nobody, "actions": nobody, "detected": nobody,
                "observes": np.zeros((A, A), bool)}

    # --- running ----------------------------------------------------------------------

    @property
    def state(self):
        """The core's :class:`~armsim.core.state.State` of the run (arrays with a run axis
        of length 1)."""
        return self.run.state

    @property
    def round(self) -> int:
        """The round being played (paused at a decision) or next to be played: the
        number of rounds played."""
        return self.run.round

    @property
    def finished(self) -> bool:
        """All the scenario's rounds (sessions, then aftermath) have been played."""
        return self.run.finished

    #: the decision points: before each of these phases, whom the model asks
    DECISIONS = (Phase.RESPOND, Phase.RESOLVE, Phase.VERIFY)

    def step(self) -> None:
        """Play one round, in MODEL.md's order, asking the agents at each decision point;
        or, if the round was paused (:meth:`wait_at`), the rest of it."""
        if self.finished:
            self.running = False
            return
        run = self.run
        if self.paused_at is None and run.phase == Phase.PROPOSE:
            self.proposer = None
        while not run.finished:
            phase = run.phase
            if phase in self.DECISIONS and self.paused_at != phase:
                if self.wait_at(phase):
                    self.paused_at = phase
                    return
            if phase in self.DECISIONS:
                self._ask(phase)
            self.paused_at = None
            run.advance()
            if run.phase == Phase.PROPOSE:   # the round is over
                break
        self._round_done(run.record)

    def wait_at(self, phase: Phase) -> bool:
        """Whether to pause the round before ``phase`` (a decision point) for a decision
        made outside the model; the next :meth:`step` asks the agents and goes on. The
        Mesa model never waits; the classroom waits for a student's seat."""
        return False

    def _ask(self, phase: Phase) -> None:
        run = self.run
        if phase == Phase.RESPOND and run.proposal is not None:
            if run.proposal.proposer >= 0:
                run.replace_offer(self._ask_proposer(run.proposal.proposer, run.proposal.offer))
        elif phase == Phase.RESOLVE and run.proposal is not None:
            p, r = run.proposal, run.responses
            run.replace_answers(self._ask_responders(p.proposer, p.offer, r.who, r.likes))
        elif phase == Phase.VERIFY and run.turn is not None and run.turn.pairs is not None:
            turn = run.turn
            run.replace_intentions(self._ask_compliance(turn.intended, turn.playing,
                                                        turn.observes))

    def _round_done(self, what: dict[str, Any]) -> None:
        self.history.append(what)
        observes = self.observes_now
        self.observes_now = None
        self.latest = {"playing": what["playing"], "actions": what["actions"],
                       "detected": what["detected"],
                       "observes": observes if observes is not None
                       else self._blank_latest()["observes"]}
        if self.datacollector is not None:
            self.datacollector.collect(self)
        self.running = not self.finished

    def actor(self, name: str) -> StateAgent:
        """The agent of actor ``name``."""
        try:
            return self.actor_agents[self.spec.actors.index(name)]
        except ValueError:
            raise KeyError(f"no actor {name!r}; actors: {', '.join(self.spec.actors)}") from None

    @property
    def talks(self) -> list[tuple[int, Round]]:
        """The talk rounds so far: ``(round, Round)`` (arrays with a run axis of 1)."""
        return [(h["round"], h["talks"]) for h in self.history if h["talks"] is not None]

    @property
    def tension(self) -> float:
        return float(self.state.theta[0])

    @property
    def venue(self) -> str | None:
        """The venue of the session of the round being (or next) played, if any."""
        s, _ = self.spec.schedule(self.round)
        return self.armsim_scenario.sessions[s].venue if s >= 0 else None

    # --- results ----------------------------------------------------------------------

    def outputs(self) -> dict[str, Any]:
        """The run's outputs (MODEL.md section 5) as NumPy scalars, exactly the batch
        engine's (:func:`armsim.core.state.outputs`) for this run."""
        if not self.finished:
            raise RuntimeError(f"the run is at round {self.round} of {self.spec.rounds}; "
                               "outputs are defined once it is over (model.run_model())")
        return {k: v[0] for k, v in run_outputs(self.spec, self.params, self.state).items()}

    def trajectories(self) -> dict[str, np.ndarray]:
        """Per-round arrays as the batch engine records them, each ``(rounds, ...)``
        (needs ``trajectories=True``)."""
        try:
            return {k: v[0] for k, v in self.run.trajectories().items()}
        except RuntimeError:
            raise RuntimeError("make the model with trajectories=True to record them") from None

    def model_frame(self):
        """The DataCollector's model variables, one row per round, indexed by round."""
        return self._need_collector().get_model_vars_dataframe().set_index("round")

    def agent_frame(self):
        """The DataCollector's agent variables, one row per (round, actor)."""
        frame = self._need_collector().get_agent_vars_dataframe()
        return frame.reset_index(drop=True).set_index(["round", "actor"])

    def _need_collector(self) -> mesa.DataCollector:
        if self.datacollector is None:
            raise RuntimeError("make the model with collect=True to record data")
        return self.datacollector

    # --- views for the agents -----------------------------------------------------------

    def aspiration_of(self, a: int) -> dict[str, float]:
        """What actor ``a`` would ask (its own utility) per open issue if it proposed in
        the round being or next played; ``{}`` if it is not at the table then."""
        spec, state = self.spec, self.state
        s, k = spec.schedule(self.round)
        if s < 0 or not spec.participants[s, a] or state.crisis_round[0] >= 0:
            return {}
        params = self.run.params
        kept = state.talk is not None and (k > 0 or spec.session_memory[s])
        talk = state.talk if kept else TalkState.fresh(params, spec)
        level = asked_level(spec, params, talk, a, k, int(spec.session_rounds[s]))
        open_ = spec.agenda[s] & ~state.agreed[0]
        return {spec.issues[i]: float(level[0, i]) for i in np.flatnonzero(open_)}

    # --- the decision points: the model asks the agents --------------------------------

    def _offer_dict(self, x: np.ndarray) -> dict[str, float]:
        return {self.spec.issues[i]: float(x[0, i]) for i in np.flatnonzero(np.isfinite(x[0]))}

    def _ask_proposer(self, p: int, x: np.ndarray) -> np.ndarray:
        agent = self.actor_agents[p]
        self.proposer = agent.name
        agent.strategy_offer = self._offer_dict(x)
        chosen = agent.propose()
        out = x.copy()
        for issue, level in dict(chosen).items():
            i = self._open_issue(issue, x, agent)
            if level == x[0, i]:         # the strategy's own level, exactly as it was
                continue
            lo, hi = self.spec.lo[i], self.spec.hi[i]
            if not (isinstance(level, (int, float, np.number)) and lo <= level <= hi):
                raise ValueError(f"{_who(agent)} offered {level!r} on {issue!r}; a level "
                                 f"is a number in the issue's range [{lo:g}, {hi:g}]")
            out[0, i] = float(level)
        return out

    def _ask_responders(self, p: int, x: np.ndarray, who: np.ndarray,
                        likes: np.ndarray) -> np.ndarray:
        if p < 0:
            self.proposer = "mediator"
        offer = self._offer_dict(x)
        likes = likes.copy()
        for j, a in enumerate(who):
            if a == p:
                continue
            agent = self.actor_agents[a]
            agent.strategy_response = {issue: bool(likes[0, j, self.spec.issues.index(issue)])
                                       for issue in offer}
            answer = agent.respond(dict(offer))
            if isinstance(answer, (bool, np.bool_)):
                answer = dict.fromkeys(offer, bool(answer))
            for issue, yes in dict(answer).items():
                if not isinstance(yes, (bool, np.bool_)):
                    raise ValueError(f"{_who(agent)} answered {yes!r} on {issue!r}; an "
                                     "answer is True (accept) or False (reject)")
                likes[0, j, self._open_issue(issue, x, agent)] = bool(yes)
        return likes

    def _ask_compliance(self, intended: np.ndarray, playing: np.ndarray,
                        observes: np.ndarray) -> np.ndarray:
        self.observes_now = observes[0].copy()
        out = intended.copy()
        for a in np.flatnonzero(playing[0]):
            agent = self.actor_agents[a]
            agent.strategy_action = DEFECT if intended[0, a] else COMPLY
            out[0, a] = parse_action(agent.comply_or_defect(), _who(agent))
        return out

    def _open_issue(self, issue: str, x: np.ndarray, agent: StateAgent) -> int:
        if issue in self.spec.issues:
            i = self.spec.issues.index(issue)
            if np.isfinite(x[0, i]):
                return i
        open_ = [k for k in self.spec.issues if np.isfinite(x[0, self.spec.issues.index(k)])]
        raise ValueError(f"{_who(agent)} named {issue!r}, which is not an open issue of "
                         f"this round; open: {', '.join(open_) or 'none'}")


def _who(agent: StateAgent) -> str:
    return f"{type(agent).__name__} for {agent.name!r} in round {agent.model.round}"


# --- the DataCollector ----------------------------------------------------------------

def _collector(model: ArmsControlModel) -> mesa.DataCollector:
    """Per round: tension, offers, agreements (model); forces, trust, actions (agents)."""
    spec = model.spec
    model_reporters: dict[str, Any] = {
        "round": lambda m: m.round - 1, "venue": _venue, "proposer": lambda m: m.proposer,
        "tension": lambda m: m.tension,
        "crisis": lambda m: bool(m.history[-1]["crisis"][0]),
        "in_force": lambda m: int(m.state.in_force[0].sum()),
    }
    for i, issue in enumerate(spec.issues):
        model_reporters[f"offer.{issue}"] = lambda m, i=i: _offer(m, i)
        model_reporters[f"in_force.{issue}"] = lambda m, i=i: bool(m.state.in_force[0, i])
    agent_reporters: dict[str, Any] = {
        "round": lambda ag: ag.model.round - 1, "actor": "name", "action": "action",
        "detected": "was_detected", "response": _response,
    }
    for force in spec.forces:
        agent_reporters[f"force.{force}"] = lambda ag, f=force: ag.forces.get(f, np.nan)
    for other in spec.actors:
        agent_reporters[f"trust.{other}"] = lambda ag, o=other: ag.trust.get(o, np.nan)
    return mesa.DataCollector(model_reporters=model_reporters, agent_reporters=agent_reporters)


def _venue(model: ArmsControlModel) -> str | None:
    s, _ = model.spec.schedule(model.round - 1)
    return model.armsim_scenario.sessions[s].venue if s >= 0 else None


def _offer(model: ArmsControlModel, i: int) -> float:
    talks = model.history[-1]["talks"]
    return float(talks.offer[0, i]) if talks is not None else np.nan


def _response(agent: StateAgent) -> str | None:
    """``accept`` / ``reject`` / ``partial`` (some open issues) to the round's offer, or
    None if it did not respond (not at the table, or the proposer)."""
    talks = agent.model.history[-1]["talks"]
    if talks is None or talks.proposer == agent.index or agent.index not in talks.who:
        return None
    j = int(np.flatnonzero(talks.who == agent.index)[0])
    open_ = np.isfinite(talks.offer[0])
    yes = talks.accepted[0, j][open_]
    return "accept" if yes.all() else "reject" if not yes.any() else "partial"
