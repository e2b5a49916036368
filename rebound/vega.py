"""The momentum chart as Vega-Lite specs: plain dicts, no pandas, no plotly.

One implementation for Today, Progress and Goals & wins. Today is the page every visitor opens
first and Progress opens on its Momentum tab, so neither may load plotly's multi-megabyte bundle
in the browser for it, and Today must not load pandas and pyarrow on the server. The data rides
inline in a nested layer: Streamlit converts a spec's *top-level* data to Arrow (which loads
pandas), but leaves a layer's own data alone.

Weeks are ordinal ISO dates ("2026-11-09") labelled by the axis in UTC, so no time zone can move
them and no tick can ever show a time of day. Goal labels are user text: they go in as plain
strings, cut short, which Vega draws as text (its tooltips escape HTML).
"""

from __future__ import annotations

import datetime as dt
import math

# A five-pointed star as an SVG path in Vega's unit square (Vega has no built-in star shape).
STAR = "M0,-1L0.24,-0.33L0.95,-0.31L0.38,0.12L0.59,0.81L0,0.4L-0.59,0.81L-0.38,0.12L-0.95,-0.31L-0.24,-0.33Z"
# Short legend labels: Today's chart is half a page wide. Stars carry the streak as a label.
TREND_LEGEND = {"Completion": "rgba(91,141,239,0.45)", "Momentum": "#3DAA5C", "Goals met": "#F29D49"}
# Mid-tone colours that read on white and on near-black (rebound.charts uses the same).
SERIES = ["#5B8DEF", "#E4705A", "#3FA7A0", "#C7A24A", "#B07CC6", "#3DAA5C", "#E58AB5", "#9A9AA6", "#F29D49"]
LABEL_CHARS = 40
# Up to a year of weeks, every week is labelled by its Monday ("9 Nov", thinned where they would
# overlap); beyond, only each month's first Monday ("Nov 2026"), so years cannot be confused.
WEEK_LABEL = "utcFormat(toDate(datum.value), '%-d %b')"
MONTH_LABEL = "utcdate(toDate(datum.value)) <= 7 ? utcFormat(toDate(datum.value), '%b %Y') : ''"


def _number(value) -> float | None:
    """A JSON-safe number: NaN (no goals yet) becomes null, which Vega leaves undrawn."""
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def _percent(value: float | None, missing: str) -> str:
    return missing if value is None else f"{value:.0%}"


def _day(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value  # pandas' Timestamp is a datetime


def plain(text, limit: int = LABEL_CHARS) -> str:
    """User text for a Vega label: one line, cut to `limit` characters (Vega draws it literally)."""
    text = " ".join(str(text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def trend_values(weekly: list[dict]) -> list[dict]:
    """One inline row per week (any order in, oldest first out) from momentum records.

    Tooltips carry preformatted text. No user text goes in.
    """
    rows = []
    for w in sorted(weekly, key=lambda r: _day(r["week"])):
        week = _day(w["week"])
        completion, momentum = _number(w.get("completion")), _number(w.get("momentum"))
        met, streak = bool(w.get("met")), int(w.get("streak") or 0)
        rows.append({
            "week": week.isoformat(), "label": f"Week of {week.day} {week:%b %Y}",
            "completion": completion, "momentum": momentum, "met": met, "star": 1.1 if met else None,
            "streak": str(streak) if met and streak else "",
            "completion_text": _percent(completion, "no goals"), "momentum_text": _percent(momentum, "–"),
        })
    return rows


def _week_axis(weeks: list[str]) -> dict:
    """The shared x encoding: every week in date order, labelled in days, never in hours.

    The order is spelled out: with `sort: null` alone, Vega-Lite unions each layer's weeks in the
    order it meets them, and the bar and line layers drop weeks without goals, so a new user's one
    week with goals came first ("30 Nov, 9 Nov, 16 Nov")."""
    return {"field": "week", "type": "ordinal", "sort": None, "title": None, "scale": {"domain": weeks},
            "axis": {"labelAngle": 0, "labelOverlap": True, "grid": False, "ticks": False,
                     "labelExpr": WEEK_LABEL if len(weeks) <= 53 else MONTH_LABEL}}


def momentum_trend(weekly: list[dict], height: int = 300) -> dict:
    """The momentum chart for st.vega_lite_chart(spec=...): completion bars, the smoothed momentum
    line, a star with the streak on weeks whose goals were met. Today, Progress and Goals draw it."""
    tooltip = [{"field": "label", "title": "Week"}, {"field": "completion_text", "title": "Completion"},
               {"field": "momentum_text", "title": "Momentum"}]
    values = trend_values(weekly)
    x = _week_axis([v["week"] for v in values])
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
         # Out of the accessibility tree (the description says the streak): with no week met, Vega
         # left an empty, unnamed symbol group there (axe: svg-img-alt).
         "mark": {"type": "point", "shape": STAR, "filled": True, "size": 160, "opacity": 1, "aria": False},
         "encoding": {"y": {**y, "field": "star"}, "color": {"datum": "Goals met"},
                      "tooltip": [{"field": "label", "title": "Goals met"},
                                  {"field": "streak", "title": "Streak (weeks)"}]}},
        {"transform": [{"filter": "datum.met"}],
         "mark": {"type": "text", "dy": -13, "fontSize": 10, "color": TREND_LEGEND["Goals met"],  # reads in both themes
                  "aria": False},
         "encoding": {"y": {**y, "field": "star"}, "text": {"field": "streak"}}},
    ]
    # The data sits in the one child layer, not at the top: see the module docstring.
    first, last = (values[0], values[-1]) if values else (None, None)
    met = sum(v["met"] for v in values)
    description = ("Momentum by week" + (f", {first['label'][8:]} to {last['label'][8:]}: this week's completion "
                                         f"{last['completion_text']}, momentum {last['momentum_text']}; goals met in "
                                         f"{met} of {len(values)} week{'s' if len(values) != 1 else ''}." if last else "."))
    return {"height": height, "description": description,  # Vega gives it to screen readers
            "layer": [{"data": {"values": values}, "encoding": {"x": x}, "layer": marks}]}


def goal_share_values(weekly: list[dict], components: list[dict]) -> list[dict]:
    """One row per goal per week drawn in `weekly`: its share of that week's completion
    (completion ÷ the week's number of goals, so a week's bars stack to its completion)."""
    weeks = {_day(w["week"]) for w in weekly}
    counted = [c for c in components if _day(c["week"]) in weeks and _number(c.get("completion")) is not None]
    per_week: dict[dt.date, int] = {}
    for c in counted:
        per_week[_day(c["week"])] = per_week.get(_day(c["week"]), 0) + 1
    rows = []
    for c in sorted(counted, key=lambda c: _day(c["week"])):
        week, done, target = _day(c["week"]), _number(c.get("done")) or 0.0, _number(c.get("target")) or 0.0
        share = min(1.0, max(0.0, float(c["completion"]))) / per_week[week]
        rows.append({"week": week.isoformat(), "goal": plain(c.get("label") or c.get("metric")),
                     "share": share, "label": f"Week of {week.day} {week:%b %Y}",
                     "text": f"{done:g} of {target:g} ({min(1.0, float(c['completion'])):.0%})"})
    return rows


def goal_shares(weekly: list[dict], components: list[dict], height: int = 170) -> dict | None:
    """Each goal's share of each week's completion, stacked, on the same weeks as momentum_trend
    (None when no week drawn has a goal). Goal names are the legend, as plain strings; `height`
    is the bars' own, the legend's rows come on top (Streamlit fits the whole chart to the height)."""
    values = goal_share_values(weekly, components)
    if not values:
        return None
    weeks = [v["week"] for v in trend_values(weekly)]
    goals = list(dict.fromkeys(v["goal"] for v in values))
    # A legend in as many columns as fit a phone-wide chart (~48 characters), so long names wrap
    # to rows instead of running off the chart's right edge.
    columns = max(1, min(len(goals), 48 // (max(len(g) for g in goals) + 4)))
    colour = {"field": "goal", "type": "nominal", "sort": goals, "title": None,
              "scale": {"domain": goals, "range": [SERIES[i % len(SERIES)] for i in range(len(goals))]},
              "legend": {"orient": "top", "title": None, "symbolType": "square", "columns": columns,
                         "labelLimit": 240}}  # px: Vega ends a longer name with "…"
    y = {"field": "share", "type": "quantitative", "stack": "zero", "title": None, "scale": {"domain": [0, 1]},
         "axis": {"format": ".0%", "values": [0, 0.5, 1.0]}}
    tooltip = [{"field": "goal", "title": "Goal"}, {"field": "label", "title": "Week"},
               {"field": "text", "title": "Done"}]
    description = (f"Each goal's share of the week's completion, {len(goals)} goal{'s' if len(goals) != 1 else ''} "
                   f"over {len(weeks)} week{'s' if len(weeks) != 1 else ''}.")
    rows = -(-len(goals) // columns)
    return {"height": height + 20 * rows, "description": description,
            "layer": [{"data": {"values": values},
                       "mark": {"type": "bar", "width": {"band": 0.75}},
                       "encoding": {"x": _week_axis(weeks), "y": y, "color": colour, "tooltip": tooltip,
                                    "order": {"field": "goal", "sort": "ascending"}}}]}
