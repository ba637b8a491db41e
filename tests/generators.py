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


# --- agreements as treaties write them (issue 13) ---------------------------------------

@st.composite
def treaty_terms(draw, data: dict) -> None:
    """Add, at random, the keys of issue 13 to a scenario from :func:`scenarios` (in place):
    who plays whom, trades, verification per issue and actor and regimes, ceilings on
    totals and sums of forces, entry into force, phases, terms and extensions, the
    session calendar (gaps, interim deals, reopening) and outside events. Every addition
    keeps the file valid (warnings aside)."""
    actors, issues, forces = list(data["actors"]), list(data["issues"]), list(data["forces"])
    env = data["environment"]
    env["counterparts"] = draw(st.sampled_from(
        ["across_blocs", "all", "rivals", [[actors[0], actors[1]]], [["bloc", actors[-1]]]]))
    for name, issue in data["issues"].items():
        others = [i for i in issues if i != name]
        if others and draw(st.integers(0, 3)) == 0:
            issue["traded_for"] = [draw(st.sampled_from(others))]
        if draw(st.integers(0, 2)) == 0:
            issue["verification"] = (draw(number(0, 1)) if draw(st.booleans()) else
                                     {draw(st.sampled_from(actors + ["bloc"])): draw(number(0, 1)),
                                      "*": draw(number(0, 1))})
        if others and draw(st.integers(0, 4)) == 0:
            issue["verifies"] = [draw(st.sampled_from(others))]
            issue["detection"] = [draw(number(0, 1)), draw(number(0, 1))]
        if "caps" in issue or draw(st.integers(0, 3)) == 0:
            issue["caps"] = (draw(st.lists(st.sampled_from(forces), min_size=1, max_size=2,
                                           unique=True)) if len(forces) > 1
                             else forces[0])
            issue["ceiling"] = draw(st.sampled_from(["each", "bloc", "total"]))
            if draw(st.booleans()):
                after = sorted(draw(st.lists(st.integers(0, 6), min_size=1, max_size=3,
                                             unique=True)))
                shares = sorted(draw(st.lists(number(0, 1), min_size=len(after),
                                              max_size=len(after))))
                issue["phases"] = [{"after": a, "share": s} for a, s in zip(after, shares)]
        issue["enters_into_force"] = draw(st.sampled_from([0, 0, 1, 3]))
        if draw(st.booleans()):
            issue["duration"] = draw(st.integers(1, 6))
            if draw(st.booleans()):
                issue["extension"] = {"rounds": draw(st.integers(1, 4)),
                                      "times": draw(st.integers(1, 2)),
                                      "automatic": draw(st.booleans())}
    for actor in data["actors"].values():
        if draw(st.integers(0, 3)) == 0:
            actor["verification"] = draw(number(0, 1))
    for s, session in enumerate(data["sessions"]):
        session["gap"] = draw(st.sampled_from([0, 0, 1, 3]))
        session["interim"] = draw(st.booleans())
        session["reopens"] = s > 0 and draw(st.booleans())
        if draw(st.integers(0, 3)) == 0:
            session["enters_into_force"] = draw(st.integers(0, 2))
    events = []
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["withdraw", "suspend", "resume", "new_government"]))
        actor = draw(st.sampled_from(actors))
        event: dict = {"round": draw(st.integers(0, 12)), "does": kind}
        if kind in ("withdraw", "new_government") or draw(st.booleans()):
            event["actor"] = actor
        if kind != "new_government" and draw(st.booleans()):
            event["issues"] = [draw(st.sampled_from(issues))]
        if kind == "new_government":
            change: dict = {"compliance": draw(compliance())}
            if draw(st.booleans()):
                change["patience"] = draw(number(0.5, 1))
                change["trust"] = draw(number(0, 1))
            held = list(data["actors"][actor]["forces"])
            if held and draw(st.booleans()):
                change["forces"] = {held[0]: {"grievance": draw(number(-5, 10))}}
            event["set"] = change
        events.append(event)
    data["events"] = events


@st.composite
def treaties(draw) -> dict:
    """A random valid scenario (:func:`scenarios`) with the keys of issue 13 added."""
    data = draw(scenarios())
    draw(treaty_terms(data))
    return data
