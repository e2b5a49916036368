"""Today's momentum trend as one Vega-Lite spec: plain dicts, no pandas, no plotly.

Today is the page every visitor opens first, so its chart must not load plotly's
multi-megabyte bundle in the browser, nor pandas and pyarrow on the server. The data rides
inline in a nested layer: Streamlit converts a spec's *top-level* data to Arrow (which loads
pandas), but leaves a layer's own data alone.
"""

from __future__ import annotations

import datetime as dt
import math

# A five-pointed star as an SVG path in Vega's unit square (Vega has no built-in star shape).
STAR = "M0,-1L0.24,-0.33L0.95,-0.31L0.38,0.12L0.59,0.81L0,0.4L-0.59,0.81L-0.38,0.12L-0.95,-0.31L-0.24,-0.33Z"
# Short legend labels: Today's chart is half a page wide. Stars carry the streak as a label.
TREND_LEGEND = {"Completion": "rgba(91,141,239,0.45)", "Momentum": "#3DAA5C", "Goals met": "#F29D49"}


def _number(value) -> float | None:
    """A JSON-safe number: NaN (no goals yet) becomes null, which Vega leaves undrawn."""
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def _percent(value: float | None, missing: str) -> str:
    return missing if value is None else f"{value:.0%}"


def trend_values(weekly: list[dict]) -> list[dict]:
    """One inline row per week (any order in, oldest first out) from momentum records.

    Weeks are ordinal labels ("9 Nov"), so no time zone can move them; tooltips carry
    preformatted text. No user text goes in: Vega draws labels as plain text anyway.
    """
    rows = []
    for w in sorted(weekly, key=lambda r: r["week"]):
        week = w["week"].date() if isinstance(w["week"], dt.datetime) else w["week"]
        completion, momentum = _number(w.get("completion")), _number(w.get("momentum"))
        met, streak = bool(w.get("met")), int(w.get("streak") or 0)
        rows.append({
            "week": f"{week.day} {week:%b}", "label": f"Week of {week.day} {week:%b %Y}",
            "completion": completion, "momentum": momentum, "met": met, "star": 1.1 if met else None,
            "streak": str(streak) if met and streak else "",
            "completion_text": _percent(completion, "no goals"), "momentum_text": _percent(momentum, "–"),
        })
    return rows


def momentum_trend(weekly: list[dict], height: int = 300) -> dict:
    """Today's small momentum chart for st.vega_lite_chart(spec=...): the same reading as the
    Goals page's plotly chart (completion bars, the smoothed momentum line, a star with the
    streak on weeks whose goals were met)."""
    tooltip = [{"field": "label", "title": "Week"}, {"field": "completion_text", "title": "Completion"},
               {"field": "momentum_text", "title": "Momentum"}]
    values = trend_values(weekly)
    # The week order is spelled out: with `sort: null` alone, Vega-Lite unions each layer's weeks in
    # the order it meets them, and the bar and line layers drop weeks without goals, so a new
    # user's one week with goals came first ("30 Nov, 9 Nov, 16 Nov").
    x = {"field": "week", "type": "ordinal", "sort": None, "title": None,
         "scale": {"domain": [v["week"] for v in values]},
         "axis": {"labelAngle": 0, "labelOverlap": True, "grid": False, "ticks": False}}
    y = {"type": "quantitative", "title": None, "scale": {"domain": [0, 1.2]},
         "axis": {"format": ".0%", "values": [0, 0.2, 0.4, 0.6, 0.8, 1.0]}}
    legend = {"scale": {"domain": list(TREND_LEGEND), "range": list(TREND_LEGEND.values())},
              "legend": {"orient": "top", "title": None, "symbolType": "circle", "columns": 3}}
    marks = [
        {"mark": {"type": "bar", "cornerRadiusTopLeft": 2, "cornerRadiusTopRight": 2, "width": {"band": 0.75}},
         "encoding": {"y": {**y, "field": "completion"}, "color": {"datum": "Completion", **legend},
                      "tooltip": tooltip}},
        {"mark": {"type": "line", "strokeWidth": 3, "point": {"size": 40}},
         "encoding": {"y": {**y, "field": "momentum"}, "color": {"datum": "Momentum"}, "tooltip": tooltip}},
        {"transform": [{"filter": "datum.met"}],
         "mark": {"type": "point", "shape": STAR, "filled": True, "size": 160, "opacity": 1},
         "encoding": {"y": {**y, "field": "star"}, "color": {"datum": "Goals met"},
                      "tooltip": [{"field": "label", "title": "Goals met"},
                                  {"field": "streak", "title": "Streak (weeks)"}]}},
        {"transform": [{"filter": "datum.met"}],
         "mark": {"type": "text", "dy": -13, "fontSize": 10, "color": TREND_LEGEND["Goals met"]},  # reads in both themes
         "encoding": {"y": {**y, "field": "star"}, "text": {"field": "streak"}}},
    ]
    # The data sits in the one child layer, not at the top: see the module docstring.
    last = values[-1] if values else None
    description = ("Momentum by week" + (f", {values[0]['week']} to {last['week']}: this week's completion "
                                         f"{last['completion_text']}, momentum {last['momentum_text']}." if last else "."))
    return {"height": height, "description": description,  # Vega gives it to screen readers
            "layer": [{"data": {"values": values}, "encoding": {"x": x}, "layer": marks}]}
