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
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, SupportsFloat, cast

from rebound.dates import fmt_date

if TYPE_CHECKING:  # annotations only: this module never loads pandas
    import pandas as pd

# A Vega-Lite spec, or a piece of one (an encoding, an axis, a layer): JSON-like, as Vega-Lite's
# schema says, which is too wide to spell out here. One inline data row is a Row.
Spec = dict[str, Any]
Row = dict[str, Any]

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


def _number(value: SupportsFloat | None) -> float | None:
    """A JSON-safe number: NaN (no goals yet) becomes null, which Vega leaves undrawn."""
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def _percent(value: float | None, missing: str) -> str:
    return missing if value is None else f"{value:.0%}"


def _day(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value  # pandas' Timestamp is a datetime


def plain(text: object, limit: int = LABEL_CHARS) -> str:
    """User text for a Vega label: one line, cut to `limit` characters (Vega draws it literally)."""
    text = " ".join(str(text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def trend_values(weekly: list[dict]) -> list[Row]:
    """One inline row per week (any order in, oldest first out) from momentum records.

    Tooltips carry preformatted text. No user text goes in.
    """
    rows: list[Row] = []
    for w in sorted(weekly, key=lambda r: _day(r["week"])):
        week = _day(w["week"])
        completion, momentum = _number(w.get("completion")), _number(w.get("momentum"))
        met, streak = bool(w.get("met")), int(w.get("streak") or 0)
        rows.append(
            {
                "week": week.isoformat(),
                "label": f"Week of {week.day} {week:%b %Y}",
                "completion": completion,
                "momentum": momentum,
                "met": met,
                "star": 1.1 if met else None,
                "streak": str(streak) if met and streak else "",
                "completion_text": _percent(completion, "no goals"),
                "momentum_text": _percent(momentum, "–"),
            }
        )
    return rows


def _week_axis(weeks: list[str]) -> Spec:
    """The shared x encoding: every week in date order, labelled in days, never in hours.

    The order is spelled out: with `sort: null` alone, Vega-Lite unions each layer's weeks in the
    order it meets them, and the bar and line layers drop weeks without goals, so a new user's one
    week with goals came first ("30 Nov, 9 Nov, 16 Nov")."""
    return {
        "field": "week",
        "type": "ordinal",
        "sort": None,
        "title": None,
        "scale": {"domain": weeks},
        "axis": {
            "labelAngle": 0,
            "labelOverlap": True,
            "grid": False,
            "ticks": False,
            "labelExpr": WEEK_LABEL if len(weeks) <= 53 else MONTH_LABEL,
        },
    }


def momentum_trend(weekly: list[dict], height: int = 300) -> Spec:
    """The momentum chart for st.vega_lite_chart(spec=...): completion bars, the smoothed momentum
    line, a star with the streak on weeks whose goals were met. Today, Progress and Goals draw it."""
    tooltip = [
        {"field": "label", "title": "Week"},
        {"field": "completion_text", "title": "Completion"},
        {"field": "momentum_text", "title": "Momentum"},
    ]
    values = trend_values(weekly)
    x = _week_axis([v["week"] for v in values])
    y = {
        "type": "quantitative",
        "title": None,
        "scale": {"domain": [0, 1.2]},
        "axis": {"format": ".0%", "values": [0, 0.2, 0.4, 0.6, 0.8, 1.0]},
    }
    legend = {
        "scale": {"domain": list(TREND_LEGEND), "range": list(TREND_LEGEND.values())},
        "legend": {"orient": "top", "title": None, "symbolType": "circle", "columns": 3},
    }
    marks = [
        {
            "mark": {"type": "bar", "cornerRadiusTopLeft": 2, "cornerRadiusTopRight": 2, "width": {"band": 0.75}},
            "encoding": {
                "y": {**y, "field": "completion"},
                "color": {"datum": "Completion", **legend},
                "tooltip": tooltip,
            },
        },
        {
            "mark": {"type": "line", "strokeWidth": 3, "point": {"size": 40}},
            "encoding": {"y": {**y, "field": "momentum"}, "color": {"datum": "Momentum"}, "tooltip": tooltip},
        },
        {
            "transform": [{"filter": "datum.met"}],
            # Out of the accessibility tree (the description says the streak): with no week met, Vega
            # left an empty, unnamed symbol group there (axe: svg-img-alt).
            "mark": {"type": "point", "shape": STAR, "filled": True, "size": 160, "opacity": 1, "aria": False},
            "encoding": {
                "y": {**y, "field": "star"},
                "color": {"datum": "Goals met"},
                "tooltip": [{"field": "label", "title": "Goals met"}, {"field": "streak", "title": "Streak (weeks)"}],
            },
        },
        {
            "transform": [{"filter": "datum.met"}],
            "mark": {
                "type": "text",
                "dy": -13,
                "fontSize": 10,
                "color": TREND_LEGEND["Goals met"],  # reads in both themes
                "aria": False,
            },
            "encoding": {"y": {**y, "field": "star"}, "text": {"field": "streak"}},
        },
    ]
    # The data sits in the one child layer, not at the top: see the module docstring.
    first, last = (values[0], values[-1]) if values else (None, None)
    met = sum(v["met"] for v in values)
    description = "Momentum by week" + (
        f", {first['label'][8:]} to {last['label'][8:]}: this week's completion "
        f"{last['completion_text']}, momentum {last['momentum_text']}; goals met in "
        f"{met} of {len(values)} week{'s' if len(values) != 1 else ''}."
        if first and last
        else "."
    )
    return {
        "height": height,
        "description": description,  # Vega gives it to screen readers
        "layer": [{"data": {"values": values}, "encoding": {"x": x}, "layer": marks}],
    }


def goal_share_values(weekly: list[dict], components: list[dict]) -> list[Row]:
    """One row per goal per week drawn in `weekly`: its share of that week's completion
    (completion ÷ the week's number of goals, so a week's bars stack to its completion)."""
    weeks = {_day(w["week"]) for w in weekly}
    counted = [c for c in components if _day(c["week"]) in weeks and _number(c.get("completion")) is not None]
    per_week: dict[dt.date, int] = {}
    for c in counted:
        per_week[_day(c["week"])] = per_week.get(_day(c["week"]), 0) + 1
    rows: list[Row] = []
    for c in sorted(counted, key=lambda c: _day(c["week"])):
        week, done, target = _day(c["week"]), _number(c.get("done")) or 0.0, _number(c.get("target")) or 0.0
        share = min(1.0, max(0.0, float(c["completion"]))) / per_week[week]
        rows.append(
            {
                "week": week.isoformat(),
                "goal": plain(c.get("label") or c.get("metric")),
                "share": share,
                "label": f"Week of {week.day} {week:%b %Y}",
                "text": f"{done:g} of {target:g} ({min(1.0, float(c['completion'])):.0%})",
            }
        )
    return rows


def goal_shares(weekly: list[dict], components: list[dict], height: int = 170) -> Spec | None:
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
    colour = {
        "field": "goal",
        "type": "nominal",
        "sort": goals,
        "title": None,
        "scale": {"domain": goals, "range": [SERIES[i % len(SERIES)] for i in range(len(goals))]},
        "legend": {"orient": "top", "title": None, "symbolType": "square", "columns": columns, "labelLimit": 240},
    }  # px: Vega ends a longer name with "…"
    y = {
        "field": "share",
        "type": "quantitative",
        "stack": "zero",
        "title": None,
        "scale": {"domain": [0, 1]},
        "axis": {"format": ".0%", "values": [0, 0.5, 1.0]},
    }
    tooltip = [
        {"field": "goal", "title": "Goal"},
        {"field": "label", "title": "Week"},
        {"field": "text", "title": "Done"},
    ]
    description = (
        f"Each goal's share of the week's completion, {len(goals)} goal{'s' if len(goals) != 1 else ''} "
        f"over {len(weeks)} week{'s' if len(weeks) != 1 else ''}."
    )
    rows = -(-len(goals) // columns)
    return {
        "height": height + 20 * rows,
        "description": description,
        "layer": [
            {
                "data": {"values": values},
                "mark": {"type": "bar", "width": {"band": 0.75}},
                "encoding": {
                    "x": _week_axis(weeks),
                    "y": y,
                    "color": colour,
                    "tooltip": tooltip,
                    "order": {"field": "goal", "sort": "ascending"},
                },
            }
        ],
    }


# == Progress's charts ====================================================================================
# Every Progress chart but the Sankey is one of these specs (plotly stays for the Funnel tab, whose
# Sankey Vega-Lite cannot draw). They take rebound.insights' frames but never import pandas: each
# frame is read through `to_dict("records")`, its dates turned into ISO strings or UTC milliseconds,
# its NaN into null. User text (channels, themes, companies, roles, self-care kinds) goes in through
# `plain`: Vega draws it as typed, so it must NOT be HTML-escaped (that would show "&lt;").

# The same colour for the same meaning on every chart (rebound.charts' Sankey uses them too).
COLORS = {
    "Applied": "#5B8DEF",
    "Response": "#3FA7A0",
    "Screen": "#2BB3C0",
    "Interview": "#7C6FE0",
    "Offer": "#3DAA5C",
    "Accepted": "#2E9A4E",
    "Rejected": "#E4705A",
    "Ghosted": "#9A9AA6",
    "Withdrawn": "#B07CC6",
    "No answer yet": "#C7A24A",
    "In progress": "#C7A24A",
}
STAGE_COLORS = {
    "applied": "#C7A24A",
    "screen": "#2BB3C0",
    "interview": "#7C6FE0",
    "final": "#5B8DEF",
    "offer": "#3DAA5C",
}
TREND_COLORS = {"rising": "#E4705A", "new": "#F29D49", "steady": "#5B8DEF", "falling": "#3FA7A0"}
RATE_COLORS = ["#3FA7A0", "#7C6FE0", "#3DAA5C"]
MOOD_RANGE = ["#D9534F", "#E8C547", "#3DAA5C"]
ACTIVITY_RANGE = ["#B5DDC0", "#2E9A4E"]
EMPTY_DAY = "rgba(128,128,128,0.16)"  # a day without anything: faint on white and on near-black
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
DAY_MS = 86_400_000
SMALL_OPACITY = 0.45  # small samples: paler, outlined dashed, and ⚠ in their label


def _records(frame: pd.DataFrame | None) -> list[Row]:
    return [] if frame is None else frame.to_dict("records")


def _date(value: object) -> dt.date | None:
    """A date from a date, datetime, pandas Timestamp or ISO string; None for NaT/None/NaN."""
    if value is None or value != value:  # NaT and NaN are not equal to themselves
        return None
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return _day(cast(dt.date, value))  # a date, a datetime or a Timestamp: what a frame's date column holds


def _key_date(value: object) -> dt.date:
    """The date a row is keyed by (a frame's week or month): always there."""
    day = _date(value)
    if day is None:
        raise ValueError(f"a row without its date: {value!r}")
    return day


def _ms(day: dt.date) -> int:
    """UTC midnight of `day` in milliseconds: the x of a temporal channel on a utc scale."""
    return (day - dt.date(1970, 1, 1)).days * DAY_MS


def _when(ms: float) -> Spec:
    """A Vega-Lite DateTime in UTC for a scale domain or tick value (a bare number there is not
    read as a time)."""
    t = dt.datetime(1970, 1, 1) + dt.timedelta(milliseconds=ms)
    return {"year": t.year, "month": t.month, "date": t.day, "hours": t.hour, "utc": True}


def _count(value: SupportsFloat | None) -> int:
    value = _number(value)
    return 0 if value is None else int(value)


def _add_months(day: dt.date, n: int) -> dt.date:
    m = day.month - 1 + n
    return dt.date(day.year + m // 12, m % 12 + 1, 1)


def _chart(description: str, height: int, layers: list[Spec], **extra: object) -> Spec:
    """A spec whose data rides in its child layers (see the module docstring); `description` is read
    out by screen readers (Vega sets it as the chart's aria-label)."""
    return {"height": height, "description": description, "layer": layers, **extra}


def _columns(domain: list[str], room: int = 48) -> int:
    """How many legend columns fit `room` characters: a phone-wide chart has ~48 beside a narrow
    axis, ~24 beside a bar chart's names."""
    return max(1, min(len(domain), room // (max((len(d) for d in domain), default=1) + 5)))


def _legend(domain: list[str], colours: list[str], room: int = 48, **legend: object) -> Spec:
    """A legend on top in as many columns as fit a phone, so long names wrap to rows instead of
    running off the chart's right edge."""
    columns = _columns(domain, room)
    return {
        "scale": {"domain": domain, "range": colours},
        "legend": {"orient": "top", "title": None, "labelLimit": 240, "columns": columns, **legend},
    }


# Text beside a bar in the theme's text colour: Streamlit paints the chart's background in the
# theme's colour and leaves text marks black (unreadable on dark), so the text is white drawn in
# "difference" blend: black on a light background, near-white on a dark one.
INK = {"color": "#ffffff", "blend": "difference"}


def day_axis(days: Iterable[object], unit: str = "day", field: str = "x") -> Spec:
    """A temporal x encoding that ticks in days, weeks (Mondays) or months (the 1st), never in
    hours: tick values are chosen here from the span of the data, padded so one point sits in the
    middle of a few days, on a UTC scale so no time zone shifts a day.

    unit: "day" (one value per day), "week" (Mondays) or "month" (first of the month)."""
    found = sorted(d for d in (_date(v) for v in days) if d is not None)
    lo, hi = (found[0], found[-1]) if found else (dt.date.today(),) * 2
    span = (hi - lo).days
    pad = max({"day": max(1.0, (6 - span) / 2), "week": 4.0, "month": 16.0}[unit], span * 0.03)
    if unit == "month" or span > 120:
        pad, step, fmt = max(pad, 16.0), (1 if span <= 400 else 3 if span <= 1100 else 12), "%b %Y"
        first = dt.date(lo.year, lo.month, 1)
        ticks = [_add_months(first, i) for i in range(0, span // 28 + 3, step)]
    elif unit == "week" or span > 8:
        fmt = "%-d %b"
        monday = lo - dt.timedelta(days=lo.weekday())
        n = span // 7 + 2
        step = max(1, -(-n // 8))  # at most ~8 labels, every one a Monday
        ticks = [monday + dt.timedelta(weeks=i) for i in range(0, n, step)]
    else:
        fmt = "%-d %b"
        ticks = [lo + dt.timedelta(days=i) for i in range(int(-pad), span + int(pad) + 1)]
    start, end = _ms(lo) - pad * DAY_MS, _ms(hi) + pad * DAY_MS
    return {
        "field": field,
        "type": "temporal",
        "title": None,
        "scale": {"type": "utc", "domain": [_when(start), _when(end)]},
        "axis": {
            "values": [_when(_ms(t)) for t in ticks if start <= _ms(t) <= end],
            "format": fmt,
            "labelOverlap": True,
            "grid": False,
        },
    }


def _month_axis(months: list[str]) -> Spec:
    """Months as bands in date order, labelled "Nov 2026": bars a month wide, never a time of day.
    A few months get outer padding, so one month is a bar, not the whole chart."""
    return {
        "field": "month",
        "type": "ordinal",
        "sort": None,
        "title": None,
        "scale": {"domain": months, "paddingOuter": max(0.2, (6 - len(months)) / 2)},
        "axis": {"labelAngle": 0, "labelOverlap": True, "grid": False, "ticks": False},
    }


def _count_axis(title: str | None, top: float) -> Spec:
    """Whole numbers: one tick per count while counts are small (not 0.2, 0.4 …)."""
    axis: Spec = {"format": "d", "tickMinStep": 1}
    if (_number(top) or 0) <= 6:
        axis["values"] = list(range(0, max(1, _count(top)) + 1))
    return {"type": "quantitative", "title": title, "axis": axis}


def monthly_stack(
    wide: pd.DataFrame | None,
    series: dict[str, str],
    colours: dict[str, str],
    y_title: str,
    what: str,
    description: str,
) -> Spec:
    """Stacked monthly bars from a wide frame (a `month` column, one count column per series);
    `series` maps column → legend label (plain strings: channels are user text)."""
    rows: list[Row] = []
    months: list[str] = []
    records = sorted(_records(wide), key=lambda r: _key_date(r["month"]))
    if records:  # every month from the first to the last, even one without bars
        first, last = _key_date(records[0]["month"]), _key_date(records[-1]["month"])
        day = dt.date(first.year, first.month, 1)
        while day <= last:
            months.append(f"{day:%b %Y}")
            day = _add_months(day, 1)
    top = 0
    for r in records:
        month = f"{_key_date(r['month']):%b %Y}"
        total = 0
        for column, label in series.items():
            n = _count(r.get(column))
            total += n
            if n:
                rows.append({"month": month, "series": label, "n": n, "text": f"{n} {what}"})
        top = max(top, total)
    labels = list(series.values())
    colour = {
        "field": "series",
        "type": "nominal",
        "sort": labels,
        "title": None,
        **_legend(labels, [colours[c] for c in series], symbolType="square"),
    }
    bars = {
        "data": {"values": rows},
        "mark": {"type": "bar", "width": {"band": 0.75}},
        "encoding": {
            "x": _month_axis(months),
            "y": {**_count_axis(y_title, top), "field": "n", "stack": "zero"},
            "color": colour,
            "order": {"field": "series", "sort": "ascending"},
            "tooltip": [
                {"field": "series", "title": "Of"},
                {"field": "month", "title": "Month"},
                {"field": "text", "title": "Count"},
            ],
        },
    }
    legend_rows = -(-len(labels) // _columns(labels)) if labels else 0
    return _chart(description, 280 + 20 * legend_rows, [bars])  # the legend's rows on top of the bars


def channel_mix(wide: pd.DataFrame | None) -> Spec:
    """Applications per month, stacked by channel."""
    channels = [c for c in getattr(wide, "columns", []) if c != "month"]
    series = {c: plain(c) for c in channels}
    colours = {c: SERIES[i % len(SERIES)] for i, c in enumerate(channels)}
    return monthly_stack(
        wide,
        series,
        colours,
        "applications",
        "applications",
        f"Stacked bar chart: applications per month by channel, {len(channels)} channels.",
    )


def rejections_by_stage(wide: pd.DataFrame | None, labels: dict[str, str]) -> Spec:
    """Rejections per month, stacked by the stage they came at (stages with none left out)."""
    stages = [c for c in getattr(wide, "columns", []) if c != "month" and any(_count(r.get(c)) for r in _records(wide))]
    return monthly_stack(
        wide,
        {s: labels.get(s, s) for s in stages},
        {s: STAGE_COLORS.get(s, "#9A9AA6") for s in stages},
        "rejections",
        "rejections",
        "Stacked bar chart: rejections per month by the stage they came at.",
    )


def _rate_text(rate: float | None, part: SupportsFloat | None, whole: int) -> str:
    rate = _number(rate)
    return "–" if not whole or rate is None else f"{rate:.0%} ({_count(part)}/{_count(whole)})"


def _small_marks(kind: str, x: Spec, y: Spec, extra: Spec | None = None) -> Spec:
    """Bars faded and outlined dashed where the sample is small (`small` in the row)."""
    return {
        "mark": {"type": "bar", "strokeWidth": 1.5, **({} if extra is None else extra)},
        "encoding": {
            "x": x,
            "y": y,
            kind: {},
            "opacity": {"condition": {"test": "datum.small", "value": SMALL_OPACITY}, "value": 1},
            "strokeDash": {"condition": {"test": "datum.small", "value": [3, 2]}, "value": [1, 0]},
        },
    }


def rate_bars(
    df: pd.DataFrame | None,
    label: str,
    rates: Iterable[tuple[str, str, str]] = (
        ("response_rate", "responses", "Response rate"),
        ("interview_rate", "interviews", "Interview rate"),
    ),
    what: str = "group",
) -> Spec:
    """Horizontal bars of rates per group, each labelled 'rate (part/whole)' beside it; groups of a
    small sample are faded, outlined dashed, and their label carries ⚠."""
    records = _records(df)
    groups: list[str] = []
    rows: list[Row] = []
    top = 0.0
    for r in records:
        n, small = _count(r["applications"]), bool(r.get("small_sample"))
        name = f"{plain(r[label])} {'⚠' if small else ' '} n={n}"
        groups.append(name)
        for column, part, title in rates:
            rate = _number(r.get(column))
            top = max(top, rate or 0.0)
            rows.append(
                {"group": name, "rate": rate, "series": title, "small": small, "text": _rate_text(rate, r.get(part), n)}
            )
    titles = [t for _, _, t in rates]
    # Room right of the longest bar for its label ("100% (12/12)" must not be cut to "1"); the ticks
    # stop at 100%, so the extra room reads as margin, not as a rate above 100%.
    end = top * 1.45 + 0.1 if top else 1.0
    x = {
        "field": "rate",
        "type": "quantitative",
        "title": None,
        "scale": {"domain": [0, end], "nice": False},
        "axis": {"format": ".0%", "values": [v for v in (0, 0.25, 0.5, 0.75, 1.0) if v <= end]},
    }
    y = {
        "field": "group",
        "type": "nominal",
        "sort": groups,
        "title": None,
        "scale": {"paddingInner": 0.25},
        "axis": {"labelLimit": 200, "ticks": False},
    }
    offset = {"field": "series", "type": "nominal", "sort": titles}
    colour = {
        "field": "series",
        "type": "nominal",
        "sort": titles,
        "title": None,
        **_legend(titles, RATE_COLORS[: len(titles)], room=24, symbolType="square"),
    }
    tooltip = [
        {"field": "group", "title": what.capitalize()},
        {"field": "series", "title": "Rate"},
        {"field": "text", "title": "Value"},
    ]
    bars = _small_marks("color", x, y)
    bars["encoding"].update(color=colour, stroke=colour, yOffset=offset, tooltip=tooltip)
    text = {
        "mark": {"type": "text", "align": "left", "dx": 4, "fontSize": 12, **INK},
        "encoding": {"x": x, "y": y, "yOffset": offset, "text": {"field": "text"}, "tooltip": tooltip},
    }
    return _chart(
        f"Bar chart: response and interview rate by {what}, with the counts behind each rate, "
        f"{len(groups)} {what}{'s' if len(groups) != 1 else ''}.",
        max(160, 50 + 44 * len(groups)) + 22 * -(-len(titles) // _columns(titles, 24)),  # + the legend
        [{"data": {"values": rows}, "layer": [bars, text]}],
    )


def themes(summary: pd.DataFrame | None, top: int = 10) -> Spec:
    """How often each theme was tagged (most first), coloured and labelled by its trend."""
    rows: list[Row] = [
        {
            "theme": plain(r["theme"]),
            "mentions": _count(r["mentions"]),
            "trend": str(r["trend"]),
            "text": f"{_count(r['mentions'])} · {r['trend']}",  # short: it must fit beside a bar on a phone
            "recent": f"{_count(r['recent'])} in the last 90 days",
        }
        for r in _records(summary)[:top]
    ]
    most = max((r["mentions"] for r in rows), default=0)
    x = {
        "field": "mentions",
        "type": "quantitative",
        "title": "mentions",
        "scale": {"domain": [0, most * 1.6 + 1], "nice": False},
        "axis": {"format": "d", "tickMinStep": 1, **({"values": list(range(most + 1))} if most <= 6 else {})},
    }
    y = {
        "field": "theme",
        "type": "nominal",
        "sort": [r["theme"] for r in rows],
        "title": None,
        "axis": {"labelLimit": 200, "ticks": False},
    }
    trends = list(TREND_COLORS)
    tooltip = [
        {"field": "theme", "title": "Theme"},
        {"field": "text", "title": "Mentions"},
        {"field": "recent", "title": "Lately"},
    ]
    bars = {
        "mark": {"type": "bar"},
        "encoding": {
            "x": x,
            "y": y,
            "tooltip": tooltip,
            "color": {
                "field": "trend",
                "type": "nominal",
                "title": None,
                **_legend(trends, list(TREND_COLORS.values()), room=24, symbolType="square"),
            },
        },
    }
    text = {
        "mark": {"type": "text", "align": "left", "dx": 4, "fontSize": 12, **INK},
        "encoding": {"x": x, "y": y, "text": {"field": "text"}, "tooltip": tooltip},
    }
    return _chart(
        f"Bar chart: how often each of {len(rows)} themes was tagged, with its trend.",
        max(200, 70 + 28 * len(rows)),
        [{"data": {"values": rows}, "layer": [bars, text]}],
    )


def coping(ranked: pd.DataFrame | None) -> Spec:
    """The mean 'did it help?' rating (1–5) of each kind of self-care; rarely rated kinds faded, ⚠."""
    rows: list[Row] = []
    for r in _records(ranked):
        helped = _number(r.get("helped"))
        if helped is None:
            continue
        small = bool(r.get("small_sample"))
        rows.append(
            {
                "kind": f"{plain(r['kind'])}{' ⚠' if small else ''}",
                "helped": helped,
                "small": small,
                "text": f"{helped:.1f} ({_count(r['rated'])}×)",
            }
        )  # short: fits beside a bar on a phone
    x = {
        "field": "helped",
        "type": "quantitative",
        "title": "did it help? mean 1–5 (times rated)",
        "scale": {"domain": [0, 6.2], "nice": False},
        "axis": {"values": [1, 2, 3, 4, 5]},
    }
    y = {
        "field": "kind",
        "type": "nominal",
        "sort": [r["kind"] for r in rows],
        "title": None,
        "axis": {"labelLimit": 200, "ticks": False},
    }
    tooltip = [{"field": "kind", "title": "Self-care"}, {"field": "text", "title": "Helped (times rated)"}]
    bars = _small_marks("tooltip", x, y, {"color": "#3FA7A0", "stroke": "#3FA7A0"})
    bars["encoding"]["tooltip"] = tooltip
    text = {
        "mark": {"type": "text", "align": "left", "dx": 4, "fontSize": 12, **INK},
        "encoding": {"x": x, "y": y, "text": {"field": "text"}, "tooltip": tooltip},
    }
    return _chart(
        f"Bar chart: how much each of {len(rows)} kinds of self-care helped, from your ratings.",
        max(200, 70 + 32 * len(rows)),
        [{"data": {"values": rows}, "layer": [bars, text]}],
    )


MOOD_LEGEND = {"Check-in mood": "#5B8DEF", "7-day average": "#3DAA5C", "Rejection": "#E4705A"}


def mood(series: pd.DataFrame | None, rejections: pd.DataFrame | None, height: int = 320) -> Spec:
    """Check-in mood per day (dots), its 7-day average (line) and ▲ on the days a rejection came
    (Progress' Mood & coping tab over months; Check-in's last four weeks, smaller)."""
    days = [
        {
            "x": _ms(day),
            "mood": _number(r["mood"]),
            "rolling": _number(r["rolling"]),
            "label": fmt_date(day, weekday=True),
            "mood_text": "–" if _number(r["mood"]) is None else f"{r['mood']:.1f}",
            "rolling_text": "–" if _number(r["rolling"]) is None else f"{r['rolling']:.1f}",
        }
        for r in _records(series)
        if (day := _date(r["day"]))
    ]
    hits = [
        {
            "x": _ms(day),
            "y": 0.6,
            "label": fmt_date(day, weekday=True),
            "text": f"{_count(r['rejections'])} rejection{'s' if _count(r['rejections']) != 1 else ''}",
        }
        for r in _records(rejections)
        if (day := _date(r["day"]))
    ]
    x = day_axis([r["day"] for r in _records(series)] + [r["day"] for r in _records(rejections)])
    y: Spec = {
        "type": "quantitative",
        "title": "mood (1–10)",
        "scale": {"domain": [0, 10.5], "nice": False},
        "axis": {"values": [0, 2, 4, 6, 8, 10]},
    }
    legend = {**_legend(list(MOOD_LEGEND), list(MOOD_LEGEND.values()), symbolType="circle")}
    tooltip = [
        {"field": "label", "title": "Day"},
        {"field": "mood_text", "title": "Mood"},
        {"field": "rolling_text", "title": "7-day average"},
    ]
    layers: list[Spec] = [
        {
            "data": {"values": days},
            "encoding": {"x": x},
            "layer": [
                {
                    "mark": {"type": "point", "filled": True, "size": 45, "opacity": 0.6},
                    "encoding": {
                        "y": {**y, "field": "mood"},
                        "color": {"datum": "Check-in mood", **legend},
                        "tooltip": tooltip,
                    },
                },
                {
                    "mark": {"type": "line", "strokeWidth": 3},
                    "encoding": {
                        "y": {**y, "field": "rolling"},
                        "color": {"datum": "7-day average"},
                        "tooltip": tooltip,
                    },
                },
            ],
        }
    ]
    if hits:
        layers.append(
            {
                "data": {"values": hits},
                "mark": {"type": "point", "shape": "triangle-up", "filled": True, "size": 90, "opacity": 1},
                "encoding": {
                    "x": x,
                    "y": {**y, "field": "y"},
                    "color": {"datum": "Rejection"},
                    "tooltip": [{"field": "label", "title": "Day"}, {"field": "text", "title": "Came"}],
                },
            }
        )
    return _chart(
        f"Scatter and line chart: check-in mood on {len(days)} day{'s' if len(days) != 1 else ''}, "
        f"with the 7-day average; {len(hits)} day{'s' if len(hits) != 1 else ''} with a rejection marked.",
        height,
        layers,
    )


def mood_vs_activity(weekly: pd.DataFrame | None) -> Spec:
    """One dot per week: how much was done against the week's mean mood; darker is more recent."""
    records = sorted(_records(weekly), key=lambda r: _key_date(r["week"]))
    rows: list[Row] = [
        {
            "actions": _count(r["actions"]),
            "mood": _number(r["mood"]),
            "age": i / max(1, len(records) - 1),
            "label": f"Week of {fmt_date(r['week'])}",
            "mood_text": "–" if _number(r["mood"]) is None else f"{r['mood']:.1f}",
            "done": f"{_count(r['applications'])} applications, {_count(r['activities'])} activities, "
            f"{_count(r['coping'])} self-care",
        }
        for i, r in enumerate(records)
    ]
    top = max((r["actions"] for r in rows), default=0)
    # Short enough for a phone; the caption and the tooltip say what counts as an action.
    x = {
        "field": "actions",
        "type": "quantitative",
        "title": "actions that week",
        "scale": {"zero": True},
        "axis": {"format": "d", "tickMinStep": 1, **({"values": list(range(top + 1))} if top <= 6 else {})},
    }
    y = {
        "field": "mood",
        "type": "quantitative",
        "title": "mean mood",
        "scale": {"domain": [0, 10.5], "nice": False},
        "axis": {"values": [0, 2, 4, 6, 8, 10]},
    }
    dots = {
        "mark": {"type": "point", "filled": True, "size": 110, "color": "#5B8DEF"},
        "encoding": {
            "x": x,
            "y": y,
            "opacity": {
                "field": "age",
                "type": "quantitative",
                "legend": None,
                "scale": {"domain": [0, 1], "range": [0.3, 1]},
            },
            "tooltip": [
                {"field": "label", "title": "Week"},
                {"field": "mood_text", "title": "Mood"},
                {"field": "done", "title": "Done"},
            ],
        },
    }
    return _chart(
        f"Scatter chart: weekly mood against how much you did that week, {len(rows)} weeks.",
        320,
        [{"data": {"values": rows}, "layer": [dots]}],
    )


# The step lines (the median of the last five) are named by the caption, in the dots' colours.
BOUNCE_LEGEND = {"Days to next application": "#5B8DEF", "Days until mood back to usual": "#E4705A"}


def bounce_back(
    bounce: pd.DataFrame | None, apps_trend: Iterable[float] | None, mood_trend: Iterable[float] | None
) -> Spec:
    """One dot per rejection, on its day: days until the next application (blue) and until a check-in
    was back at the usual mood (red), each with the median of the last five as a step line."""
    records = _records(bounce)
    apps, moods = list(apps_trend if apps_trend is not None else []), list(mood_trend if mood_trend is not None else [])
    rows: list[Row] = []
    for i, r in enumerate(records):
        day = _date(r["day"])
        if day is None:
            continue
        who = f"{plain(r.get('company'))} · {plain(r.get('role'))}"
        nxt, back = _number(r.get("days_to_next_application")), _number(r.get("days_to_baseline"))
        rows.append(
            {
                "x": _ms(day),
                "label": fmt_date(day, weekday=True),
                "who": who,
                "next": nxt,
                "back": back,
                "next_typical": _number(apps[i]) if i < len(apps) else None,
                "back_typical": _number(moods[i]) if i < len(moods) else None,
                "next_text": "not yet" if nxt is None else f"after {nxt:g} days",
                "back_text": "not measured" if back is None else f"after {back:g} days",
            }
        )
    x = day_axis([r["day"] for r in records])
    top = max([v for r in rows for v in (r["next"], r["back"]) if v is not None], default=0)
    y = {**_count_axis("days", top), "scale": {"zero": True}}
    legend = _legend(list(BOUNCE_LEGEND), list(BOUNCE_LEGEND.values()), symbolType="circle")
    tooltip = [
        {"field": "label", "title": "Rejected on"},
        {"field": "who", "title": "Application"},
        {"field": "next_text", "title": "Next application"},
        {"field": "back_text", "title": "Mood back"},
    ]
    blue, red = BOUNCE_LEGEND["Days to next application"], BOUNCE_LEGEND["Days until mood back to usual"]
    marks: list[Spec] = [
        {
            "transform": [{"filter": "datum.next_typical != null"}],
            "mark": {"type": "line", "strokeWidth": 3, "interpolate": "step-after", "color": blue, "aria": False},
            "encoding": {"y": {**y, "field": "next_typical"}},
        },
        {
            "transform": [{"filter": "datum.next != null"}],
            "mark": {"type": "point", "filled": True, "size": 55, "opacity": 0.7},
            "encoding": {
                "y": {**y, "field": "next"},
                "color": {"datum": "Days to next application", **legend},
                "tooltip": tooltip,
            },
        },
    ]
    if any(r["back"] is not None for r in rows):
        marks += [
            {
                "transform": [{"filter": "datum.back_typical != null"}],
                "mark": {
                    "type": "line",
                    "strokeWidth": 3,
                    "strokeDash": [4, 3],
                    "interpolate": "step-after",
                    "color": red,
                    "aria": False,
                },
                "encoding": {"y": {**y, "field": "back_typical"}},
            },
            {
                "transform": [{"filter": "datum.back != null"}],
                "mark": {"type": "point", "shape": "diamond", "filled": True, "size": 60, "opacity": 0.7},
                "encoding": {
                    "y": {**y, "field": "back"},
                    "color": {"datum": "Days until mood back to usual"},
                    "tooltip": tooltip,
                },
            },
        ]
    return _chart(
        f"Scatter chart: days to the next application and to your usual mood after each of "
        f"{len(rows)} rejections, with the typical (median of the last five) as a line.",
        340,
        [{"data": {"values": rows}, "encoding": {"x": x}, "layer": marks}],
    )


def _share(value: float | None) -> str:
    """A share as a whole percentage; a few in thousands is "<1%", not "0%"."""
    if value is None:
        return "–"
    return "<1%" if 0 < value < 0.005 else f"{value:.0%}"


def funnel(f: pd.DataFrame | None) -> Spec:
    """The funnel Applied → Response → Screen → Interview → Offer: one bar per stage, centred (the
    funnel's shape), as wide as the applications that reached it, in the stage's colour; beside the
    bars, a column of "count · share of all applications". Stages are fixed names, no user text."""
    records = _records(f)
    total = _count(records[0]["count"]) if records else 0
    rows: list[Row] = []
    for r in records:
        n = _count(r["count"])
        of_all, of_previous = _share(_number(r.get("of_applied"))), _share(_number(r.get("of_previous")))
        rows.append(
            {
                "stage": plain(r["stage"]),
                "left": -n / 2,
                "right": n / 2,
                "text": f"{n:,} · {of_all}",
                "reached": f"{n:,} application{'s' if n != 1 else ''}",
                "of_all": of_all,
                "of_previous": of_previous,
            }
        )
    stages = [r["stage"] for r in rows]
    widest = max(total, 1)
    # The bars fill [-widest/2, widest/2]; the labels' column starts just right of the widest bar,
    # with room for "30,557 · 100%" on a phone-wide chart.
    x = {
        "type": "quantitative",
        "title": None,
        "scale": {"domain": [-widest / 2, widest * 1.2], "nice": False, "zero": False},
        "axis": None,
    }
    y = {
        "field": "stage",
        "type": "nominal",
        "sort": stages,
        "title": None,
        "scale": {"paddingInner": 0.18},
        "axis": {"ticks": False, "domain": False, "labelFontSize": 13},
    }
    tooltip = [
        {"field": "stage", "title": "Stage"},
        {"field": "reached", "title": "Reached"},
        {"field": "of_all", "title": "Of all applications"},
        {"field": "of_previous", "title": "Of the stage before"},
    ]
    bars = {
        "mark": {"type": "bar", "cornerRadius": 2},
        "encoding": {
            "x": {**x, "field": "left"},
            "x2": {"field": "right"},
            "y": y,
            "color": {
                "field": "stage",
                "type": "nominal",
                "scale": {"domain": stages, "range": [COLORS.get(s, "#5B8DEF") for s in stages]},
                "legend": None,
            },
            "tooltip": tooltip,
        },
    }
    text = {
        "mark": {"type": "text", "align": "left", "dx": 8, "fontSize": 13, **INK},
        "encoding": {"x": {**x, "datum": widest / 2}, "y": y, "text": {"field": "text"}, "tooltip": tooltip},
    }
    parts = ", ".join(f"{r['stage']} {r['text'].replace(' · ', ' (')})" for r in rows[1:])
    return _chart(
        f"Funnel of {total:,} application{'s' if total != 1 else ''}"
        + (f": how many reached each stage, with the share of all applications: {parts}." if total else "."),
        60 + 40 * max(1, len(rows)),
        [{"data": {"values": rows}, "layer": [bars, text]}],
    )


def calendar(cal: pd.DataFrame | None, by: str = "actions") -> Spec:
    """A year of days, one column per week (Monday's date) and one row per weekday: the
    contribution-graph look. Every day of the range is a faint square; days with something
    (or with a mood, by="mood") are coloured."""
    rows: list[Row] = []
    for r in _records(cal):
        day, week = _date(r["day"]), _date(r["week"])
        if day is None or week is None:
            continue
        mood_value = _number(r.get("mood"))
        value = mood_value if by == "mood" else (_count(r.get(by)) or None)
        rejections = _count(r.get("rejections"))
        rows.append(
            {
                "week": week.isoformat(),
                "weekday": WEEKDAYS[int(r["weekday"])],
                "value": value,
                "label": fmt_date(day, weekday=True),
                "done": f"{_count(r.get('applications'))} applications, {_count(r.get('activities'))} "
                f"activities, {_count(r.get('coping'))} self-care",
                "mood": "–" if mood_value is None else f"{mood_value:.1f}",
                "rejections": f"{rejections} rejection{'s' if rejections != 1 else ''}" if rejections else "–",
            }
        )
    weeks = sorted({r["week"] for r in rows})
    x = {
        "field": "week",
        "type": "ordinal",
        "sort": None,
        "title": None,
        "scale": {"domain": weeks, "paddingInner": 0.15},
        "axis": {
            "labelAngle": 0,
            "ticks": False,
            "grid": False,
            "domain": False,
            "labelOverlap": True,
            # a month's name under the first week that starts in it
            "labelExpr": "utcdate(toDate(datum.value)) <= 7 ? utcFormat(toDate(datum.value), '%b') : ''",
        },
    }
    y = {
        "field": "weekday",
        "type": "ordinal",
        "sort": WEEKDAYS,
        "title": None,
        "scale": {"domain": WEEKDAYS, "paddingInner": 0.15},
        "axis": {"ticks": False, "domain": False},
    }
    tooltip = [
        {"field": "label", "title": "Day"},
        {"field": "done", "title": "Done"},
        {"field": "mood", "title": "Mood"},
        {"field": "rejections", "title": "Rejections"},
    ]
    if by == "mood":
        colour = {
            "field": "value",
            "type": "quantitative",
            "title": "Mood",
            "scale": {"domain": [1, 5.5, 10], "range": MOOD_RANGE},
        }
    else:
        top = max((r["value"] or 0 for r in rows), default=1)
        colour = {
            "field": "value",
            "type": "quantitative",
            "title": "Actions",
            "scale": {"domain": [1, max(top, 2)], "range": ACTIVITY_RANGE},
            "legend": {"format": "d", "tickMinStep": 1},
        }
    marks = [
        {
            "mark": {"type": "rect", "cornerRadius": 2, "color": EMPTY_DAY},
            "encoding": {"x": x, "y": y, "tooltip": tooltip},
        },
        {
            "transform": [{"filter": "datum.value != null"}],
            "mark": {"type": "rect", "cornerRadius": 2},
            "encoding": {"x": x, "y": y, "color": colour, "tooltip": tooltip},
        },
    ]
    active = sum(1 for r in rows if r["value"] is not None)
    what = "with a check-in" if by == "mood" else "with something done"
    return _chart(
        f"Calendar heatmap of the past year, one square per day: {active} of {len(rows)} days {what}.",
        230,
        [{"data": {"values": rows}, "layer": marks}],
    )


def measure_over_time(
    points: Iterable[tuple[object, object]], title: str, unit: str, since: dt.date | None = None
) -> Spec:
    """One of "your own before and after" measures over time: a dot per point (a rejection, an
    interview, an offer, a week), and a dashed rule on the day the user started writing.
    unit: "days", "rate" (each point 0 or 1: shown as the share of the last five) or "score" (1–5)."""
    rows: list[Row] = []
    window: list[float] = []
    for day_, value in points:
        day, number = _date(day_), _number(cast(SupportsFloat, value))
        if day is None or number is None:
            continue
        window = [*window, number][-5:]
        shown = sum(window) / len(window) if unit == "rate" else number
        text = f"{shown:.0%} of the last {len(window)}" if unit == "rate" else f"{number:g}"
        rows.append({"x": _ms(day), "y": shown, "label": fmt_date(day, weekday=True), "text": text})
    days = [dt.date(1970, 1, 1) + dt.timedelta(milliseconds=r["x"]) for r in rows]
    x = day_axis([*days, *([since] if since else [])])
    top = max((r["y"] for r in rows), default=0)
    if unit == "rate":
        y: Spec = {"type": "quantitative", "title": None, "axis": {"format": ".0%"}, "scale": {"domain": [0, 1]}}
    elif unit == "score":
        y = {"type": "quantitative", "title": None, "scale": {"domain": [1, 5]}, "axis": {"values": [1, 2, 3, 4, 5]}}
    else:
        y = {**_count_axis(unit, top), "scale": {"zero": True}}
    layers: list[Spec] = [
        {
            "data": {"values": rows},
            "mark": {"type": "line" if unit != "days" else "point", "point": unit != "days", "color": SERIES[0]}
            if unit != "days"
            else {"type": "point", "filled": True, "size": 55, "color": SERIES[0]},
            "encoding": {
                "x": x,
                "y": {**y, "field": "y"},
                "tooltip": [{"field": "label", "title": "Day"}, {"field": "text", "title": title}],
            },
        }
    ]
    if since is not None:
        layers.append(
            {
                "data": {"values": [{"x": _ms(since), "label": "started writing"}]},
                "encoding": {"x": x},
                "layer": [
                    {
                        "mark": {"type": "rule", "strokeDash": [5, 4], "color": SERIES[3], "strokeWidth": 2},
                        "encoding": {"tooltip": [{"field": "label", "title": fmt_date(since)}]},
                    },
                    {  # said in words beside the line, not by its colour alone
                        "mark": {"type": "text", "align": "left", "dx": 4, "y": 6, "baseline": "top", **INK},
                        "encoding": {"text": {"field": "label"}},
                    },
                ],
            }
        )
    return _chart(
        f"Chart of {title.lower()}: {len(rows)} points over time"
        + (f", with a dashed line on {fmt_date(since)}, the day you started writing." if since else "."),
        180,
        layers,
    )
