"""The page's figures, drawn in the browser: ECharts options (plain dicts, no solara).

solara ships ECharts 5.4 in its offline assets (``solara.FigureEcharts``); the page
sends these options and the browser draws them, so a round's figure costs a few
milliseconds of Python and no picture. The numbers are those of the PNG figures:

- :func:`tension`: tension before the talks and after each round played, the sessions
  as bands (their names staggered so that they never overlap), agreements and a crisis;
- :func:`forces`: a panel per force, each holding actor's level, an agreed ceiling in
  force dashed;
- :func:`dance`: the negotiation dance, a panel per session
  (:func:`armsim.plot.dance_data.dances_of`, as in ``armsim run``'s dance.png);
- :func:`rates`: an ensemble's rates, one or two settings side by side.

``scale`` enlarges every text (projector mode). Every number is finite or None (JSON).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from armsim.plot.data import FigureData, short_venue

#: matplotlib's tab10, the colours of armsim's PNG figures
COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf"]
MEDIATOR = "#262626"
BANDS = ["rgba(31,119,180,0.07)", "rgba(255,127,14,0.08)", "rgba(44,160,44,0.08)"]
STAR = ("path://M50,0 L61,35 L98,35 L68,57 L79,91 L50,70 L21,91 L32,57 L2,35 L39,35 Z")


def _num(x: Any, digits: int = 4) -> float | None:
    x = float(x)
    return round(x, digits) if math.isfinite(x) else None


def _text(scale: float, size: float = 13) -> dict[str, Any]:
    return {"fontSize": round(size * scale)}


def _axis(name: str, scale: float, **kw: Any) -> dict[str, Any]:
    return {"name": name, "nameLocation": "middle", "nameGap": round(30 * scale),
            "nameTextStyle": _text(scale, 13), "axisLabel": _text(scale, 12),
            "splitLine": {"lineStyle": {"opacity": 0.4}}, **kw}


def _title(text: str, scale: float, **kw: Any) -> dict[str, Any]:
    return {"text": text, "left": 8, "top": 4, "textStyle": _text(scale, 15), **kw}


def sessions(data: FigureData) -> list[tuple[str, int, int]]:
    """(short venue, first round, end round) per session."""
    return [(short_venue(v), a, b) for v, a, b in data.sessions()]


def _bands(data: FigureData, scale: float, names: bool = True) -> dict[str, Any]:
    """The sessions as shaded bands; their names at the top, staggered by row."""
    areas = []
    for j, (venue, start, end) in enumerate(sessions(data)):
        label = {"show": names, "formatter": venue, "position": "insideTop",
                 "offset": [0, round((j % 3) * 16 * scale)], "color": "#444",
                 **_text(scale, 12)}
        areas.append([{"xAxis": start - 0.5, "itemStyle": {"color": BANDS[j % 3]},
                       "label": label}, {"xAxis": end - 0.5}])
    return {"silent": True, "data": areas}


def tension(data: FigureData, start: float | None, now: float, played: int,
            talk_rounds: int, agreements: list[int], crisis: int, scale: float = 1.0
            ) -> dict[str, Any]:
    """Tension of the run so far (``data``: the run as one-run results)."""
    values = data.traces.get("tension", np.zeros((1, 0)))[0]
    points = ([[-1, _num(start)]] if start is not None else []) + [
        [t, _num(v)] for t, v in enumerate(values)]
    lines = [{"xAxis": t, "lineStyle": {"color": "#2ca02c", "width": 2},
              "label": {"formatter": "agreement", "color": "#2ca02c", "position": "insideEndTop",
                        **_text(scale, 11)}}
             for t in agreements]
    if crisis >= 0:
        lines.append({"xAxis": crisis, "lineStyle": {"color": "#000", "width": 3},
                      "label": {"formatter": "crisis", "fontWeight": "bold",
                                "position": "insideEndTop", **_text(scale, 13)}})
    right = max(talk_rounds, played, 1) + 0.5
    plural = "" if played == 1 else "s"
    return {
        "animation": False,
        "title": _title(f"Tension {now:.2f} after {played} round{plural}", scale),
        "grid": {"left": round(60 * scale), "right": 20, "top": round(48 * scale),
                 "bottom": round(52 * scale)},
        "tooltip": {"trigger": "axis", "textStyle": _text(scale, 13)},
        "xAxis": _axis("round (-1: before the talks)", scale, type="value", min=-1.5,
                       max=right, minInterval=1),
        "yAxis": _axis("tension (0 calm, 1 brink)", scale, type="value", min=0, max=1),
        "series": [{"name": "tension", "type": "line", "data": points, "symbolSize": 7,
                    "showSymbol": len(points) <= 20,
                    "lineStyle": {"width": 3, "color": "#d62728"},
                    "itemStyle": {"color": "#d62728"},
                    "markArea": _bands(data, scale),
                    "markLine": {"symbol": "none", "silent": True, "data": lines}}],
    }


def forces(data: FigureData, levels: np.ndarray, ceilings: list[tuple[int, float]],
           played: int, talk_rounds: int, k: int = 0, scale: float = 1.0) -> dict[str, Any]:
    """Force ``k``: each holding actor's level so far; an agreed ceiling in force dashed."""
    spec = data.spec
    if not len(spec.forces):
        return {"title": _title("This scenario has no forces", scale)}
    trace = data.traces.get("forces")                                     # (1, T, A, K)
    right = max(talk_rounds, played, 1) + 0.5
    marks = [{"yAxis": _num(level), "lineStyle": {"type": "dashed", "color": "#333", "width": 2},
              "label": {"formatter": "agreed ceiling", "position": "insideEndTop",
                        **_text(scale, 11)}}
             for force, level in ceilings if force == k]
    series = []
    for j, a in enumerate(np.flatnonzero(spec.has_force[:, k])):
        values = trace[0, :, a, k] if trace is not None else np.zeros(0)
        now = f" ({levels[a, k]:.3g})" if len(values) else ""
        item = {"name": data.actor_label(a) + now, "type": "line", "showSymbol": False,
                "data": [[t, _num(v, 3)] for t, v in enumerate(values)],
                "lineStyle": {"width": 3, "color": COLOURS[a % 10]},
                "itemStyle": {"color": COLOURS[a % 10]}}
        if j == 0:
            item["markArea"] = _bands(data, scale)
            item["markLine"] = {"symbol": "none", "silent": True, "data": marks}
        series.append(item)
    unit = data.force_unit(k)
    return {"animation": False,
            "title": _title(_short(data.force_label(k), 60), scale,
                            subtext="dashed: an agreed ceiling in force",
                            subtextStyle=_text(scale, 11)),
            "grid": {"left": round(60 * scale), "right": 20, "top": round(62 * scale),
                     "bottom": round(80 * scale)},
            "tooltip": {"trigger": "axis", "textStyle": _text(scale, 12)},
            "legend": {"bottom": 0, "textStyle": _text(scale, 12)},
            "xAxis": _axis("round", scale, type="value", min=-0.5, max=right, minInterval=1),
            "yAxis": _axis(unit or "level", scale, type="value", min=0,
                           nameGap=round(44 * scale)),
            "series": series}


def _short(label: str, width: int = 44) -> str:
    label = label.split(" (")[0]
    return label if len(label) <= width else label[:width - 2].rsplit(" ", 1)[0] + "..."


def dance(data: FigureData, panels: list[Any], j: int = -1, scale: float = 1.0
          ) -> dict[str, Any]:
    """The negotiation dance of one session (``panels[j]``: a ``Dance``; the latest by
    default), as in ``armsim run``'s dance.png."""
    if not panels:
        return {"title": _title("No offers yet: the dance shows them once they are made",
                                scale)}
    what = panels[j]
    a, b = what.pair
    first, last = int(what.rounds[0]), int(what.rounds[-1])
    rounds = f"round {first}" if first == last else f"rounds {first}-{last}"
    return {"animation": False,
            "title": _title(f"{short_venue(what.venue)}, {rounds}: numbers are rounds", scale,
                            subtext=_parties(data, what), subtextStyle=_text(scale, 11)),
            "grid": {"left": round(64 * scale), "right": round(60 * scale),
                     "top": round(64 * scale), "bottom": round(150 * scale)},
            "xAxis": {"type": "value", "min": 0, "max": 1,
                      "name": f"utility of {data.actor_label(a)} (1: all it wants)",
                      "nameLocation": "middle", "nameGap": round(28 * scale),
                      "nameTextStyle": _text(scale, 12), "axisLabel": _text(scale, 11)},
            "yAxis": {"type": "value", "min": 0, "max": 1,
                      "name": f"utility of {data.actor_label(b)}", "nameLocation": "middle",
                      "nameGap": round(40 * scale), "nameTextStyle": _text(scale, 12),
                      "axisLabel": _text(scale, 11)},
            "series": _panel(data, what, 0, scale),
            "tooltip": {"trigger": "item", "textStyle": _text(scale, 12)},
            "legend": {"bottom": 0, "left": "center", "itemGap": 8,
                       "textStyle": _text(scale, 11)}}


def _parties(data: FigureData, what: Any) -> str:
    names = [data.actor_label(p) for p in what.parties]
    return " and ".join(names) if len(names) == 2 else "at the table: " + ", ".join(names)


def _panel(data: FigureData, what: Any, j: int, scale: float) -> list[dict[str, Any]]:
    on = {"xAxisIndex": j, "yAxisIndex": j}
    r = what.reservation
    out = [{"name": "Pareto frontier of the two, within the red lines", "type": "line",
            **on, "showSymbol": False, "lineStyle": {"width": 5, "color": "#9467bd"},
            "itemStyle": {"color": "#9467bd"},
            "data": [[_num(u0), _num(u1)] for u0, u1 in what.frontier.utility],
            "markLine": {"symbol": "none", "silent": True, "data": [
                {"xAxis": _num(r[0]), "lineStyle": {"type": "dashed",
                                                    "color": COLOURS[what.pair[0] % 10]},
                 "label": {"formatter": "reservation", **_text(scale, 10)}},
                {"yAxis": _num(r[1]), "lineStyle": {"type": "dashed",
                                                    "color": COLOURS[what.pair[1] % 10]},
                 "label": {"formatter": "reservation", "position": "insideEndTop",
                           **_text(scale, 10)}}]}},
           *([{"name": "Pareto frontier if red lines were ignored", "type": "line", **on,
               "showSymbol": False, "lineStyle": {"width": 2, "type": "dotted",
                                                  "color": "#9467bd"},
               "itemStyle": {"color": "#9467bd"},
               "data": [[_num(u0), _num(u1)] for u0, u1 in what.unbounded.utility]}]
             if what.unbounded.utility.shape != what.frontier.utility.shape
             or not np.allclose(what.unbounded.utility, what.frontier.utility) else []),
           {"name": "status quo (no deal)", "type": "scatter", **on, "symbol": "rect",
            "symbolSize": round(14 * scale), "itemStyle": {"color": "#737373"},
            "data": [[_num(what.status_quo[0]), _num(what.status_quo[1])]]},
           {"name": "offers in turn", "type": "line", **on, "showSymbol": False,
            "lineStyle": {"color": "#999", "width": 1}, "tooltip": {"show": False},
            "data": [[_num(u0), _num(u1)] for u0, u1 in what.utility]}]
    if what.nash is not None:
        out.append({"name": "Nash point of all at the table (a mediator's proposal)",
                    "type": "scatter", **on, "symbol": STAR, "symbolSize": round(26 * scale),
                    "itemStyle": {"color": "gold", "borderColor": "#222", "borderWidth": 1},
                    "data": [[_num(what.nash.utility[0]), _num(what.nash.utility[1])]]})
    by: dict[int, list] = {}
    placed: list[tuple[float, float]] = []
    for (u0, u1), t, p, crosses in zip(what.utility, what.rounds, what.proposer, what.crosses):
        # the labels of offers that (nearly) coincide go side by side
        stack = sum(abs(u0 - a) < 0.04 and abs(u1 - b) < 0.04 for a, b in placed)
        placed.append((u0, u1))
        by.setdefault(int(p), []).append({
            "value": [_num(u0), _num(u1)], "name": f"round {int(t)}",
            "label": {"show": True, "formatter": str(int(t)), "position": "right",
                      "offset": [round((2 + 18 * (stack % 4)) * scale),
                                 round(-14 * (stack // 4) * scale)],
                      "fontWeight": "bold", **_text(scale, 12)},
            "itemStyle": {"color": "#fff" if crosses else None}})
    for p, points in by.items():
        colour = MEDIATOR if p < 0 else COLOURS[p % 10]
        name = "offer by the mediator" if p < 0 else f"offer by {data.actor_label(p)}"
        for point in points:
            style = point["itemStyle"]
            style["borderColor"], style["borderWidth"] = colour, 2.5
            if style["color"] is None:
                style["color"] = colour
        out.append({"name": name, "type": "scatter", **on, "symbolSize": round(14 * scale),
                    "itemStyle": {"color": colour}, "label": {"color": colour},
                    "data": points, "z": 5})
    return out


def rates(rows_a: list[dict[str, Any]], rows_b: list[dict[str, Any]] | None,
          labels: tuple[str, str], scale: float = 1.0) -> dict[str, Any]:
    """An ensemble's rates as bars (two settings side by side), intervals in the labels."""
    from armsim.app.ensemble import interval

    names = [row["label"] for row in rows_a if "rate" in row]
    series = []
    for rows, label, colour in ((rows_a, labels[0], "#1f77b4"), (rows_b, labels[1], "#ff7f0e")):
        if rows is None:
            continue
        series.append({"name": label, "type": "bar", "itemStyle": {"color": colour},
                       "data": [{"value": _num(100 * row["rate"], 2),
                                 "label": {"show": True, "position": "right",
                                           "formatter": interval(row), **_text(scale, 11)}}
                                for row in rows if "rate" in row]})
    return {"animation": False, "legend": {"top": 0, "textStyle": _text(scale, 12)},
            "grid": {"left": round(190 * scale), "right": round(130 * scale), "top": 30,
                     "bottom": 30},
            "xAxis": {"type": "value", "min": 0, "max": 100, "name": "% of runs",
                      "axisLabel": _text(scale, 11)},
            "yAxis": {"type": "category", "data": names, "inverse": True,
                      "axisLabel": _text(scale, 12)},
            "series": series, "tooltip": {"trigger": "axis"}}
