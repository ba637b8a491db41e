"""Random small scenarios for property tests (Hypothesis), shared by the engine's and the
Mesa engine's tests: each example is a whole scenario as a mapping, to be written as YAML
and validated like a user's file."""

from __future__ import annotations

from hypothesis import strategies as st

NEGOTIATION = ["linear", "boulware", "conceder", "tit_for_tat", "grit", "hardliner",
               "time_dependent"]
COMPLIANCE = ["always_comply", "always_defect", "tit_for_tat", "grim", "tit_for_two_tats",
              "suspicious_tit_for_tat", "alternate", "random", "generous_tit_for_tat",
              "conditional", "deterred"]


def number(lo: float, hi: float) -> st.SearchStrategy[float]:
    """Floats in [lo, hi] rounded to 3 decimals (clean YAML), ends included."""
    return st.floats(lo, hi, allow_nan=False).map(lambda v: min(hi, max(lo, round(v, 3))))


@st.composite
def preferences(draw, lo: float, hi: float, whole: bool = False) -> dict:
    pref: dict = {"weight": draw(number(0, 2))}
    kind = draw(st.sampled_from(["free", "min", "max", "both", "non_negotiable"]))
    if kind == "non_negotiable":
        pref["non_negotiable"] = True
        if draw(st.booleans()):
            pref["ideal"] = hi
        return pref
    # on a whole-number issue the ideal is whole; red lines around it then hold a whole
    # level (the ideal) even where their ends are fractional
    ideal = float(round(draw(number(lo, hi)))) if whole else draw(number(lo, hi))
    pref["ideal"] = ideal
    if draw(st.integers(0, 3)) == 0:
        pref["one_sided"] = draw(st.sampled_from(["more", "less"]))
    line = {}
    if kind in ("min", "both"):
        line["min"] = draw(number(lo, ideal))
    if kind in ("max", "both"):
        line["max"] = draw(number(ideal, hi))
    if line:
        pref["red_line"] = line
    return pref


@st.composite
def strategies(draw) -> dict:
    kind = draw(st.sampled_from(NEGOTIATION))
    if kind == "time_dependent":
        return {"type": kind, "exponent": draw(number(0.1, 5))}
    if kind == "tit_for_tat":
        return {"type": kind, "reciprocity": draw(number(0, 2)), "opening": draw(number(0, 0.3))}
    if kind == "grit":
        return {"type": kind, "step": draw(number(0, 0.3)), "wait": draw(st.integers(1, 3))}
    return {"type": kind}


@st.composite
def compliance(draw) -> dict:
    kind = draw(st.sampled_from(COMPLIANCE))
    if kind in ("random", "generous_tit_for_tat") and draw(st.booleans()):
        return {"type": kind, "p": draw(number(0, 1))}
    if kind == "deterred" and draw(st.booleans()):
        return {"type": kind, "temperature": draw(st.sampled_from([0.0, 0.5, 3.0])),
                "retaliation": draw(number(0, 4)), "trust_weight": draw(number(0, 1))}
    return {"type": kind}


@st.composite
def scenarios(draw) -> dict:
    """A random valid scenario as plain data (2-3 actors, 1-2 forces, 1-3 issues)."""
    rubinstein = draw(st.integers(0, 5)) == 0
    actors = [f"a{j}" for j in range(2 if rubinstein else draw(st.integers(2, 3)))]
    forces = {f"f{k}": {"label": f"Force {k}", "max": draw(number(10, 500))}
              for k in range(draw(st.integers(1, 2)))}
    for force in forces.values():
        noise = draw(st.sampled_from([None, None, 0.0, 1.0, 25.0]))
        if noise is not None:
            force["noise"] = noise       # its own sd, in its unit (else environment.noise)
    issues = {}
    for i in range(draw(st.integers(1, 3))):
        lo = draw(number(-20, 50))     # a range may reach below 0; forces may not
        hi = lo + draw(number(1, 400))
        whole = draw(st.integers(0, 2)) == 0
        if whole:                      # whole levels: whole ends
            lo, hi = float(round(lo)), float(round(lo) + max(1, round(hi - lo)))
        issue = {"label": f"Issue {i}", "range": [lo, hi]}
        if whole:
            issue["whole"] = True
        if draw(st.booleans()):
            issue["caps"] = draw(st.sampled_from(sorted(forces)))
        if draw(st.integers(0, 3)) == 0:
            issue["binds"] = draw(st.lists(st.sampled_from(actors + ["bloc"]), min_size=1,
                                           max_size=2, unique=True))
        issues[f"i{i}"] = issue
    data_actors = {}
    for name in actors:
        actor: dict = {
            "rivals": draw(st.lists(st.sampled_from([a for a in actors if a != name]),
                                    unique=True)),
            "forces": {},
            "preferences": {},
            "strategy": {"type": "rubinstein",
                         "horizon": draw(st.sampled_from(["finite", "infinite"]))}
            if rubinstein else draw(strategies()),
            "compliance": draw(compliance()),
            "patience": draw(number(0.5, 1)),
            "reservation": draw(number(0, 0.6)),
            "trust": draw(number(0, 1)),
        }
        if name == "a0" or draw(st.booleans()):   # 'bloc' is a name binds may use
            actor["bloc"] = "bloc"
        for force, spec in forces.items():
            if draw(st.integers(0, 4)) > 0:
                actor["forces"][force] = {
                    "initial": draw(number(0, spec["max"])), "reaction": draw(number(0, 0.6)),
                    "fatigue": draw(number(0, 0.6)), "grievance": draw(number(-5, 10))}
                others = [f for f in forces if f != force]
                if others and draw(st.integers(0, 2)) == 0:   # a force reacting to another
                    actor["forces"][force]["reacts_to"] = {
                        draw(st.sampled_from(others)): draw(number(0, 0.3))}
        for issue, spec in issues.items():
            if rubinstein or draw(st.integers(0, 4)) > 0:
                actor["preferences"][issue] = draw(preferences(*spec["range"],
                                                               spec.get("whole", False)))
        if draw(st.integers(0, 4)) == 0:
            actor["insists"] = draw(st.lists(st.sampled_from(sorted(issues)), min_size=1,
                                             max_size=2, unique=True))
        data_actors[name] = actor
    sessions = []
    for _ in range(draw(st.integers(1, 2))):
        who = draw(st.permutations(actors))
        who = who if rubinstein else who[:draw(st.integers(2, len(actors)))]
        agenda = draw(st.lists(st.sampled_from(sorted(issues)), min_size=1,
                               max_size=1 if rubinstein else 3, unique=True))
        session = {"venue": "V", "participants": list(who), "agenda": agenda,
                   "rounds": draw(st.integers(1, 5)), "package": draw(st.booleans())}
        if not rubinstein and draw(st.integers(0, 3)) == 0:
            # the mediator proposes the same levels every round, and a mediated package
            # costs the engine ~0.1-0.5 s a round: one round says it all
            chair = draw(st.sampled_from(["anonymous", "protocol", "named"]))
            if chair != "named":
                session["protocol"] = "mediated"
            if chair != "anonymous":         # a party in the chair (named implies mediated)
                session["mediator"] = draw(st.sampled_from(list(who)))
            session["rounds"] = 1
        if draw(st.integers(0, 3)) == 0:     # linkage for this session only
            session["insists"] = {draw(st.sampled_from(list(who))): draw(
                st.lists(st.sampled_from(agenda), min_size=1, max_size=2, unique=True))}
        sessions.append(session)
    environment = {
        "verification": draw(number(0, 1)),
        "tolerance": draw(st.sampled_from([None, 1, 2, 3])),
        "noise": draw(st.sampled_from([0.0, 1.0, 10.0])),
        "compliance_noise": draw(number(0, 0.3)),
        "sanction": draw(st.sampled_from([0.0, 0.0, 1.5])),
        "withdrawal": draw(st.booleans()),
        "crisis": {"hazard": draw(number(0, 0.3)), "exponent": draw(number(1, 3))},
    }
    return {"armsim": 1, "name": "Random", "seed": draw(st.integers(0, 2**31)),
            "dt": draw(st.sampled_from([0.5, 1.0])), "aftermath": draw(st.integers(0, 12)),
            "forces": forces, "issues": issues, "actors": data_actors, "sessions": sessions,
            "environment": environment}
