"""Turn a validated scenario into the kernel's arrays: a :class:`Spec` and per-run draws.

Every number a scenario may give as a distribution is drawn here, once per run,
from the counter-based generator keyed by the parameter's dotted path, so a run's
parameters depend only on (seed, run index, path).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from armsim.core import random as rnd
from armsim.core.rules import red_line_window
from armsim.core.spec import Event, Params, Spec
from armsim.scenario.schema import Scenario
from armsim.strategies import registry


def _bound_actors(scenario: Scenario, names: tuple[str, ...]) -> set[str]:
    actors = scenario.actors
    return {a for a in actors if a in names or actors[a].bloc in names}


def _nominal(value: Any) -> Any:
    """A number as it is; a distribution by its mean (what the structure shows: the
    per-run draws replace it in :func:`draw_params`)."""
    return value if value is None or isinstance(value, (int, float)) else value.mean()


def _red_line(line: Any) -> tuple[float | None, float | None]:
    return (None, None) if line is None else (_nominal(line.min), _nominal(line.max))


def _stated_line(line: Any) -> tuple[float | None, float | None]:
    """The stated line, each end defaulting to the true one."""
    true = _red_line(line)
    stated = None if line is None else line.stated
    if stated is None:
        return true
    return tuple(t if v is None else _nominal(v)              # type: ignore[return-value]
                 for t, v in ((true[0], stated.min), (true[1], stated.max)))


def _private(scenario: Scenario) -> bool:
    """Some actor states a red line or is given a believed one (MODEL.md 3)."""
    return any(pref.red_line is not None and (pref.red_line.stated is not None
                                              or pref.red_line.believed is not None)
               for actor in scenario.actors.values() for pref in actor.preferences.values())


#: each scenario's structure, made once: id(scenario) -> (a weak reference to it, Spec)
_BUILT: dict[int, tuple[weakref.ref, Spec]] = {}


def build_spec(scenario: Scenario) -> Spec:
    """The structure of a scenario as arrays (see :class:`Spec` for shapes), made once per
    scenario object and kept while it lives: a scenario is immutable (another seed or an
    override makes another), and so is a Spec, so every batch, chunk and run of a scenario
    shares one (``armsim.run(scenario, runs=1)`` in a loop does not rebuild it). The
    lists and mappings inside a scenario can still be changed in place (a known gap,
    tests/scenario/test_scenario_objects.py); such a change, never validated, is not seen
    by a structure already made: change a scenario with overrides instead."""
    key = id(scenario)
    kept = _BUILT.get(key)
    if kept is not None and kept[0]() is scenario:
        return kept[1]
    spec = _build_spec(scenario)

    def forget(ref: weakref.ref, key: int = key) -> None:
        if _BUILT.get(key, (None,))[0] is ref:
            del _BUILT[key]

    _BUILT[key] = (weakref.ref(scenario, forget), spec)
    return spec


def _build_spec(scenario: Scenario) -> Spec:
    actors = tuple(scenario.actors)
    forces = tuple(scenario.forces)
    issues = tuple(scenario.issues)
    A, K, I, S = len(actors), len(forces), len(issues), len(scenario.sessions)
    ix_a = {a: i for i, a in enumerate(actors)}
    ix_i = {a: i for i, a in enumerate(issues)}
    lo = np.array([scenario.issues[i].lo for i in issues], dtype=float)
    hi = np.array([scenario.issues[i].hi for i in issues], dtype=float)
    ideal = np.tile(hi, (A, 1))
    red_lo, red_hi = np.tile(lo, (A, 1)), np.tile(hi, (A, 1))
    stated_lo, stated_hi = red_lo.copy(), red_hi.copy()
    believed = np.full((A, I, 4), np.nan)
    insists = np.zeros((A, I), bool)
    side = np.zeros((A, I), np.int8)
    has_force = np.zeros((A, K), bool)
    rivals = np.zeros((A, A), bool)
    reacts = []
    for a, name in enumerate(actors):
        actor = scenario.actors[name]
        for k, force in enumerate(forces):
            has_force[a, k] = force in actor.forces
            if has_force[a, k]:
                reacts += [(a, k, forces.index(j)) for j in actor.forces[force].reacts_to]
        for other in actor.rivals:
            rivals[a, ix_a[other]] = True
        for issue, pref in actor.preferences.items():
            i = ix_i[issue]
            if pref.ideal is not None:
                ideal[a, i] = _nominal(pref.ideal)
            red_lo[a, i], red_hi[a, i] = red_line_window(
                lo[i], hi[i], *_red_line(pref.red_line), pref.non_negotiable)
            stated_lo[a, i], stated_hi[a, i] = red_line_window(
                lo[i], hi[i], *_stated_line(pref.red_line), pref.non_negotiable)
            prior = pref.red_line.believed if pref.red_line is not None else None
            if prior is not None:
                for end, interval in ((0, prior.min), (2, prior.max)):
                    if interval is not None:
                        believed[a, i, end:end + 2] = interval
            if pref.non_negotiable and pref.ideal is None:
                ideal[a, i] = hi[i]
            side[a, i] = SIDES[pref.one_sided]
        for issue in actor.insists:
            insists[a, ix_i[issue]] = True
    binds = np.zeros((I, A), bool)
    for i, name in enumerate(issues):
        issue = scenario.issues[name]
        if issue.binds != "all":
            for a in _bound_actors(scenario, tuple(issue.binds)):
                binds[i, ix_a[a]] = True
    participants = np.zeros((S, A), bool)
    agenda = np.zeros((S, I), bool)
    session_insists = np.zeros((S, A, I), bool)
    for s, session in enumerate(scenario.sessions):
        for a in session.participants:
            participants[s, ix_a[a]] = True
        for i in session.agenda:
            agenda[s, ix_i[i]] = True
        for a, linked in session.insists.items():
            for i in linked:
                session_insists[s, ix_a[a], ix_i[i]] = True
    env = scenario.environment
    noises = [env.noise] + [f.noise for f in scenario.forces.values() if f.noise is not None]
    return Spec(
        actors=actors, forces=forces, issues=issues, seed=scenario.seed, dt=scenario.dt,
        force_max=np.array([scenario.forces[f].max for f in forces], dtype=float),
        has_force=has_force, rivals=rivals, lo=lo, hi=hi,
        caps=np.array([forces.index(scenario.issues[i].caps)
                       if isinstance(scenario.issues[i].caps, str)
                       and scenario.issues[i].ceiling == "each" else -1 for i in issues],
                      dtype=int),
        cap_forces=np.array([[f in scenario.issues[i].capped for f in forces] for i in issues],
                            dtype=bool).reshape(I, K),
        ceiling=np.array([("each", "bloc", "total").index(scenario.issues[i].ceiling)
                          for i in issues], dtype=int),
        group=_groups(scenario),
        binds_all=np.array([scenario.issues[i].binds == "all" for i in issues], dtype=bool),
        binds=binds, ideal=ideal, red_lo=red_lo, red_hi=red_hi, insists=insists,
        strategy=np.array([registry.code("negotiation", scenario.actors[a].strategy.type)
                           for a in actors], dtype=int),
        compliance=np.array([registry.code("compliance", scenario.actors[a].compliance.type)
                             for a in actors], dtype=int),
        negotiators=tuple(registry.make("negotiation", scenario.actors[a].strategy)
                          for a in actors),
        compliers=tuple(registry.make("compliance", scenario.actors[a].compliance)
                        for a in actors),
        participants=participants,
        order=tuple(tuple(ix_a[a] for a in s.participants) for s in scenario.sessions),
        agenda=agenda,
        package=np.array([s.package for s in scenario.sessions], dtype=bool),
        mediated=np.array([s.protocol == "mediated" for s in scenario.sessions], dtype=bool),
        session_mediator=np.array([-1 if s.mediator is None else ix_a[s.mediator]
                                   for s in scenario.sessions], dtype=int),
        session_insists=session_insists,
        session_rounds=np.array([s.rounds for s in scenario.sessions], dtype=int),
        session_memory=np.array([s.memory == "keep" for s in scenario.sessions], dtype=bool),
        session_deadlock=np.array([s.deadlock_rounds or len(s.participants)
                                   for s in scenario.sessions], dtype=int),
        aftermath=scenario.aftermath, tolerance=env.tolerance or 0,
        payoffs=(env.payoffs.R, env.payoffs.S, env.payoffs.T, env.payoffs.P),
        noisy_forces=not all(isinstance(v, float) and v == 0.0 for v in noises),
        withdrawal=env.withdrawal,
        sanctioned=not (isinstance(env.sanction, float) and env.sanction == 0.0),
        stated_lo=stated_lo, stated_hi=stated_hi, believed=believed,
        private=_private(scenario),
        whole=np.array([scenario.issues[i].whole for i in issues], dtype=bool),
        side=side,
        reacts=tuple(reacts),
        counterparts=counterpart_matrix(scenario, rivals),
        traded=_traded(scenario, ix_i),
        verifies=np.array([[other in scenario.issues[i].verifies for other in issues]
                           for i in issues], dtype=bool).reshape(I, I),
        detection=np.array([scenario.issues[i].detection or (np.nan, np.nan) for i in issues],
                           dtype=float).reshape(I, 2),
        **_life_cycles(scenario),
        events=_events(scenario, ix_a, ix_i),
        session_gap=np.array([s.gap for s in scenario.sessions], dtype=int),
        interim=np.array([s.interim for s in scenario.sessions], dtype=bool),
        reopens=np.array([s.reopens for s in scenario.sessions], dtype=bool),
        session_entry=np.array([-1 if s.enters_into_force is None else s.enters_into_force
                                for s in scenario.sessions], dtype=int),
        eras=tuple((r, build_spec(era), mask) for r, era, mask in _eras(scenario)),
    )


def _life_cycles(scenario: Scenario) -> dict[str, np.ndarray]:
    """The arrays of Spec's life of an agreement (entry into force, term, extensions,
    phases), one row per issue."""
    issues = list(scenario.issues.values())
    P = max((len(i.phases) for i in issues), default=0)
    after = np.full((len(issues), P), -1, dtype=int)
    share = np.full((len(issues), P), np.nan)
    for i, issue in enumerate(issues):
        for p, phase in enumerate(issue.phases):
            after[i, p], share[i, p] = phase.after, phase.share
    ext = [i.extension for i in issues]
    return {"entry_delay": np.array([i.enters_into_force for i in issues], dtype=int),
            "duration": np.array([i.duration or 0 for i in issues], dtype=int),
            "extension_rounds": np.array([e.rounds if e else 0 for e in ext], dtype=int),
            "extension_times": np.array([e.times if e else 0 for e in ext], dtype=int),
            "extension_automatic": np.array([bool(e and e.automatic) for e in ext], dtype=bool),
            "phase_after": after, "phase_share": share}


def _events(scenario: Scenario, ix_a: dict[str, int], ix_i: dict[str, int]) -> tuple:
    """The scenario's events as :class:`~armsim.core.spec.Event` records, in round order
    (events of one round in the file's order)."""
    out = []
    for j, event in enumerate(scenario.events):
        issues = np.zeros(len(ix_i), bool)
        for name in event.issues or ix_i:
            issues[ix_i[name]] = True
        out.append(Event(event.round, event.does, ix_a.get(event.actor, -1),
                         tuple(bool(b) for b in issues), event.label, j))
    return tuple(sorted(out, key=lambda e: (e.round, e.index)))


def _eras(scenario: Scenario) -> list[tuple[int, Scenario, np.ndarray]]:
    """For each new government, in round order: its round, the scenario as it stands from
    then on (every earlier new government applied; no events), and whose trust it sets
    ``(A, A)`` bool."""
    actors = dict(scenario.actors)
    names = list(actors)
    out = []
    changes = sorted(((e.round, j, e) for j, e in enumerate(scenario.events)
                      if e.does == "new_government"), key=lambda x: (x[0], x[1]))
    for r, j, event in changes:
        actors[event.actor] = _governed(actors[event.actor], event.change)
        mask = np.zeros((len(names),) * 2, bool)
        trust = event.change.trust
        if trust:
            a = names.index(event.actor)
            mask[a] = ["*" in trust or b in trust for b in names]
            mask[a, a] = False
        era = scenario.model_copy(update={"actors": dict(actors), "events": []})
        if out and out[-1][0] == r:              # two changes in one round: one era
            mask |= out.pop()[2]
        out.append((r, era, mask))
    return out


def _governed(actor: Any, change: Any) -> Any:
    """An actor as a new government leaves it (``change``: a GovernmentChange)."""
    update: dict[str, Any] = {k: getattr(change, k) for k in
                              ("patience", "reservation", "compliance", "verification")
                              if getattr(change, k) is not None}
    if change.trust:
        update["trust"] = (dict(change.trust) if "*" in change.trust
                           else {**actor.trust, **change.trust})
    if change.forces:
        forces = dict(actor.forces)
        for name, new in change.forces.items():
            given = {k: v for k, v in new.model_dump(exclude_none=True).items()
                     if k in ("reaction", "fatigue", "grievance")}
            forces[name] = forces[name].model_copy(update={
                k: getattr(new, k) for k in given})
        update["forces"] = forces
    return actor.model_copy(update=update)


def _groups(scenario: Scenario) -> np.ndarray:
    """``(A,)``: each actor's bloc as a number; an actor without a bloc is one of its own."""
    names: dict[str, int] = {}
    out = []
    for a, actor in enumerate(scenario.actors.values()):
        key = actor.bloc if actor.bloc is not None else f"\0{a}"
        out.append(names.setdefault(key, len(names)))
    return np.array(out, dtype=int)


def _traded(scenario: Scenario, ix_i: dict[str, int]) -> np.ndarray:
    """``(I, I)`` bool, symmetric: which issues are traded for which (``traded_for``)."""
    out = np.zeros((len(ix_i),) * 2, bool)
    for name, issue in scenario.issues.items():
        for other in issue.traded_for:
            out[ix_i[name], ix_i[other]] = out[ix_i[other], ix_i[name]] = True
    return out


def counterpart_matrix(scenario: Scenario, rivals: np.ndarray) -> np.ndarray:
    """``(A, A)`` bool: who plays the compliance game against whom when an agreement binds
    them together (``environment.counterparts``, docs/model.md 7.12); diagonal False."""
    actors = tuple(scenario.actors)
    A = len(actors)
    rule = scenario.environment.counterparts
    if rule == "all":
        out = np.ones((A, A), bool)
    elif rule == "rivals":
        out = rivals | rivals.T
    elif rule == "across_blocs":
        bloc = [scenario.actors[a].bloc for a in actors]
        out = np.array([[b is None or b != c for c in bloc] for b in bloc], dtype=bool)
    else:
        out = np.zeros((A, A), bool)
        ix = {a: i for i, a in enumerate(actors)}
        for left, right in rule:
            for a in _bound_actors(scenario, (left,)):
                for b in _bound_actors(scenario, (right,)):
                    out[ix[a], ix[b]] = out[ix[b], ix[a]] = True
    out = out.reshape(A, A)
    np.fill_diagonal(out, False)
    return out


# a preference's one_sided as Spec.side codes
SIDES = {None: 0, "more": 1, "less": -1}


class _Drawer:
    """Draws numbers (constant or distribution) for a set of runs, keyed by path.

    ``fixed`` maps paths to per-run values ``(n,)`` that replace the scenario's (a
    sweep's design points); ``read`` collects every path asked for.
    """

    def __init__(self, seed: int, runs: np.ndarray,
                 fixed: Mapping[str, np.ndarray] | None = None):
        self.keys = rnd.run_keys(seed, runs)
        self.n = len(runs)
        self.fixed = fixed or {}
        self.read: set[str] = set()
        self.rename: dict[str, str] = {}

    def renamed(self, prefixes: Mapping[str, str]) -> "_Drawer":
        """This drawer reading the paths under each key of ``prefixes`` at its value instead
        (a new government's numbers at ``events.<j>.set...``, not the actor's)."""
        other = _Drawer.__new__(_Drawer)
        other.__dict__.update(self.__dict__)
        other.rename = dict(prefixes)
        return other

    def _path(self, path: str) -> str:
        for old, new in self.rename.items():
            if path == old or path.startswith(old + "."):
                return new + path[len(old):]
        return path

    def varies(self, value: Any, path: str) -> bool:
        """Whether the runs may differ at ``path`` (a distribution, or a sweep's values);
        a constant is only noted as read."""
        path = self._path(path)
        self.read.add(path)
        return path in self.fixed or not (value is None or isinstance(value, (int, float)))

    def __call__(self, value: Any, path: str) -> np.ndarray:
        path = self._path(path)
        self.read.add(path)
        if path in self.fixed:
            return np.asarray(self.fixed[path], dtype=float).reshape(self.n)
        if value is None:
            return np.full(self.n, np.nan)
        if isinstance(value, (int, float)):
            return np.full(self.n, float(value))
        c = rnd.parameter_counter(path)
        return np.asarray(value.ppf(rnd.uniform(self.keys, c)), dtype=float)


def _per_actor(scenario: Scenario, draw: _Drawer, get: Callable[[Any], Any],
               path: str, default: float = np.nan) -> np.ndarray:
    cols = []
    for name, actor in scenario.actors.items():
        value = get(actor)
        cols.append(draw(value, f"actors.{name}.{path}") if value is not None
                    else np.full(draw.n, default))
    return np.stack(cols, axis=1) if cols else np.zeros((draw.n, 0))


def draw_params(scenario: Scenario, spec: Spec, runs: np.ndarray,
                fixed: Mapping[str, np.ndarray] | None = None) -> Params:
    """Every per-run number for the runs with indices ``runs`` (shape ``(n,)``).

    ``fixed`` maps dotted paths to per-run values ``(n,)`` used instead of the
    scenario's number or distribution at that path (see :func:`drawn_paths`).
    """
    return _draw_params(scenario, spec, _Drawer(spec.seed, np.asarray(runs), fixed))


def _era_params(scenario: Scenario, spec: Spec, draw: _Drawer) -> tuple:
    """Each new government's per-run numbers, ``(round, Params)`` (one per round with a
    new government, as ``Spec.eras``), drawn as the scenario's are, except that what an
    event sets is read at ``events.<j>.set.<key>``."""
    changes = sorted((e.round, j, e) for j, e in enumerate(scenario.events)
                     if e.does == "new_government")
    eras = list(zip(_eras(scenario), spec.eras))
    out: list[tuple[int, Params]] = []
    prefixes: dict[str, str] = {}
    for n, (r, j, event) in enumerate(changes):
        change, base = event.change, f"actors.{event.actor}"
        for key in ("patience", "reservation", "compliance", "verification", "trust"):
            if getattr(change, key) is not None and getattr(change, key) != {}:
                prefixes[f"{base}.{key}"] = f"events.{j}.set.{key}"
        for force, new in change.forces.items():
            for attr in new.model_dump(exclude_none=True):
                if attr in ("reaction", "fatigue", "grievance"):
                    prefixes[f"{base}.forces.{force}.{attr}"] = \
                        f"events.{j}.set.forces.{force}.{attr}"
        if n + 1 == len(changes) or changes[n + 1][0] != r:        # the round's last
            (_, era, _), (_, era_spec, _) = eras[len(out)]
            out.append((r, _draw_params(era, era_spec, draw.renamed(prefixes))))
    return tuple(out)


def drawn_paths(scenario: Scenario) -> frozenset[str]:
    """The dotted paths :func:`draw_params` reads: the per-run numbers of a scenario.

    A sweep may give these a different value in every run of one batch; any other
    path changes the :class:`Spec` and needs a batch of its own.
    """
    drawer = _Drawer(scenario.seed, np.zeros(1, dtype=np.int64))
    _draw_params(scenario, build_spec(scenario), drawer)
    return frozenset(drawer.read)


def _draw_params(scenario: Scenario, spec: Spec, draw: _Drawer) -> Params:
    n, A, K, I = draw.n, len(spec.actors), len(spec.forces), len(spec.issues)

    def force_param(attr: str) -> np.ndarray:
        out = np.zeros((n, A, K))
        for a, name in enumerate(spec.actors):
            for k, force in enumerate(spec.forces):
                fp = scenario.actors[name].forces.get(force)
                if fp is not None:
                    out[:, a, k] = draw(getattr(fp, attr), f"actors.{name}.forces.{force}.{attr}")
        return out

    weight = np.zeros((n, A, I))
    trust = np.zeros((n, A, A))
    for a, name in enumerate(spec.actors):
        actor = scenario.actors[name]
        for i, issue in enumerate(spec.issues):
            pref = actor.preferences.get(issue)
            if pref is not None:
                weight[:, a, i] = draw(pref.weight, f"actors.{name}.preferences.{issue}.weight")
        for b, other in enumerate(spec.actors):
            if b != a:
                value = actor.trust.get(other, actor.trust.get("*", 0.5))
                key = other if other in actor.trust else "*"
                trust[:, a, b] = draw(value, f"actors.{name}.trust.{key}")

    pay = scenario.environment.payoffs
    context = {"n": n, "payoffs": (pay.R, pay.S, pay.T, pay.P)}
    negotiation = _strategy_params(spec.negotiators, spec.actors, "strategy", draw, context)
    compliance = _strategy_params(spec.compliers, spec.actors, "compliance", draw, context)
    env = scenario.environment
    tension = np.stack([draw(getattr(env.tension, w), f"environment.tension.{w}")
                        for w in ("bias", "forces", "mistrust", "agreements")], axis=1)
    noise = draw(env.noise, "environment.noise")
    return Params(
        initial=force_param("initial"), reaction=force_param("reaction"),
        fatigue=force_param("fatigue"), grievance=force_param("grievance"),
        weight=weight,
        patience=_per_actor(scenario, draw, lambda x: x.patience, "patience"),
        reservation=_per_actor(scenario, draw, lambda x: x.reservation, "reservation"),
        trust=trust, negotiation=negotiation, compliance=compliance,
        verification=draw(env.verification, "environment.verification"),
        sanction=draw(env.sanction, "environment.sanction"),
        noise=noise,
        force_noise=_force_noise(scenario, spec, draw, noise),
        reacts_to=_reacts_to(scenario, spec, draw),
        compliance_noise=draw(env.compliance_noise, "environment.compliance_noise"),
        tension=tension,
        hazard=draw(env.crisis.hazard, "environment.crisis.hazard"),
        crisis_exponent=draw(env.crisis.exponent, "environment.crisis.exponent"),
        trust_gain=draw(env.trust.gain, "environment.trust.gain"),
        trust_loss=draw(env.trust.loss, "environment.trust.loss"),
        limits=_draw_limits(scenario, spec, draw),
        verification_of=_draw_verification(scenario, spec, draw),
        eras=_era_params(scenario, spec, draw) if spec.eras else (),
    )


def _force_noise(scenario: Scenario, spec: Spec, draw: _Drawer, noise: np.ndarray
                 ) -> np.ndarray:
    """Each force's sd of the shock ``(n, K)``, drawn at ``forces.<k>.noise``; the
    environment's ``noise`` ``(n,)`` where a force gives none."""
    out = np.empty((draw.n, len(spec.forces)))
    for k, name in enumerate(spec.forces):
        own, path = scenario.forces[name].noise, f"forces.{name}.noise"
        # (a sweep may give a force its own noise where the file gives none)
        out[:, k] = draw(own, path) if draw.varies(own, path) or own is not None else noise
    return out


def _reacts_to(scenario: Scenario, spec: Spec, draw: _Drawer) -> np.ndarray:
    """The coefficient of each linked reaction of ``spec.reacts`` ``(n, M)``, drawn at
    ``actors.<a>.forces.<k>.reacts_to.<j>``."""
    out = np.empty((draw.n, len(spec.reacts)))
    for m, (a, k, j) in enumerate(spec.reacts):
        actor, force, source = spec.actors[a], spec.forces[k], spec.forces[j]
        value = scenario.actors[actor].forces[force].reacts_to[source]
        out[:, m] = draw(value, f"actors.{actor}.forces.{force}.reacts_to.{source}")
    return out


def _draw_verification(scenario: Scenario, spec: Spec, draw: _Drawer) -> np.ndarray | None:
    """``(n, I, A)``: the chance that a defection of actor a is detected under issue i's
    agreement: the issue's entry for the actor, else for its bloc, else its ``'*'`` entry
    (at ``issues.<i>.verification``), else the actor's ``verification``, else the
    environment's; None where no issue or actor gives one and no issue is a regime."""
    actors, issues = scenario.actors, scenario.issues
    if not (any(a.verification is not None for a in actors.values())
            or any(i.verification is not None for i in issues.values()) or spec.verifies.any()):
        return None
    env = draw(scenario.environment.verification, "environment.verification")
    own = [env if actors[a].verification is None
           else draw(actors[a].verification, f"actors.{a}.verification") for a in spec.actors]
    out = np.empty((draw.n, len(spec.issues), len(spec.actors)))
    for i, name in enumerate(spec.issues):
        given = issues[name].verification or {}
        for a, actor in enumerate(spec.actors):
            key = next((k for k in (actor, actors[actor].bloc, "*") if k in given), None)
            path = f"issues.{name}.verification" + ("" if key == "*" else f".{key}")
            out[:, i, a] = own[a] if key is None else draw(given[key], path)
    return out


# the ends of a preference a run may draw: (limit, dotted path below the preference)
_ENDS = (("ideal", "ideal"), ("red_lo", "red_line.min"), ("red_hi", "red_line.max"),
         ("stated_lo", "red_line.stated.min"), ("stated_hi", "red_line.stated.max"))


def _preference_ends(pref: Any) -> dict[str, Any]:
    """The values at each of :data:`_ENDS` that a preference gives or could be given (a
    sweep may set a red line where none is written; a stated one only where written)."""
    line = pref.red_line
    stated = line.stated if line is not None else None
    ends = {"ideal": pref.ideal} if pref.ideal is not None else {}
    if pref.non_negotiable:
        return ends
    ends.update(red_lo=line.min if line else None, red_hi=line.max if line else None)
    if stated is not None:
        ends.update(stated_lo=stated.min, stated_hi=stated.max)
    return ends


def _draw_limits(scenario: Scenario, spec: Spec, draw: _Drawer) -> dict[str, np.ndarray]:
    """Ideals and red lines drawn per run, ``{name: (n, A, I)}`` (see :meth:`Spec.limit`),
    for the names where some run may differ from the spec's constants; none otherwise."""
    drawn: dict[str, dict[tuple[int, int], np.ndarray]] = {}
    paths = dict(_ENDS)
    given = np.zeros((2, *spec.ideal.shape), bool)     # a stated min, max is written
    for a, name in enumerate(spec.actors):
        for i, issue in enumerate(spec.issues):
            pref = scenario.actors[name].preferences.get(issue)
            if pref is None:
                continue
            ends = _preference_ends(pref)
            given[:, a, i] = [ends.get(e) is not None for e in ("stated_lo", "stated_hi")]
            for end, value in ends.items():
                path = f"actors.{name}.preferences.{issue}.{paths[end]}"
                if draw.varies(value, path):
                    drawn.setdefault(end, {})[a, i] = draw(value, path)
    if not drawn:
        return {}
    out: dict[str, np.ndarray] = {}
    for end in ("ideal", "red_lo", "red_hi"):
        if end in drawn:
            out[end] = _fill(spec, getattr(spec, end), drawn[end], end, draw.n)
    for g, end in enumerate(("stated_lo", "stated_hi")):
        true = end.replace("stated", "red")
        if end in drawn or true in out:      # unstated ends follow the true line per run
            base = np.where(given[g], getattr(spec, end), out.get(true, getattr(spec, true)))
            out[end] = _fill(spec, base, drawn.get(end, {}), end, draw.n)
    return out


def _fill(spec: Spec, base: np.ndarray, cells: Mapping[tuple[int, int], np.ndarray], end: str,
          n: int) -> np.ndarray:
    """``base`` ``(A, I)`` or ``(n, A, I)`` as an ``(n, A, I)`` table, with the per-run
    ``cells`` written in (a red line's end kept within the issue's range; NaN: none; an
    ideal on a whole-number issue rounded to the nearest whole number, halves up)."""
    table = np.array(np.broadcast_to(base, (n, *base.shape[-2:])), dtype=float)
    for (a, i), values in cells.items():
        if end == "ideal":
            table[:, a, i] = np.floor(values + 0.5) if spec.whole[i] else values
        elif end.endswith("lo"):
            table[:, a, i] = np.where(np.isnan(values), spec.lo[i], np.maximum(spec.lo[i], values))
        else:
            table[:, a, i] = np.where(np.isnan(values), spec.hi[i], np.minimum(spec.hi[i], values))
    return table


def _strategy_params(strategies: tuple, actors: tuple[str, ...], key: str, draw: _Drawer,
                     context: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """Every strategy's per-run parameters, ``{name: (n, A)}``, NaN where an actor's
    strategy has no such parameter; drawn at ``actors.<actor>.<key>.<name>``."""
    out: dict[str, np.ndarray] = {}
    for a, (strategy, actor) in enumerate(zip(strategies, actors)):
        for name, values in strategy.draw(draw, f"actors.{actor}.{key}", context).items():
            if name not in out:
                out[name] = np.full((draw.n, len(actors)), np.nan)
            out[name][:, a] = values
    return out
