"""Plotly figures for the Progress page, built from rebound.insights frames with graph_objects
(the momentum chart of Today, Progress and Goals & wins is Vega-Lite: see rebound.vega).

One theme for every chart: transparent backgrounds (Streamlit's light or dark theme shows
through), mid-tone colours that read on white and on near-black, the same colour for the
same meaning everywhere (rejected is always coral, ghosted always grey, …).

Plotly renders trace names, text, hover text and tick labels as HTML-like markup, so every
piece of user text goes through `safe` first. Date axes go through `date_axis`, so one day of
data ticks in days, not milliseconds.
"""

from __future__ import annotations

import datetime as dt
import html
import math

import pandas as pd
import plotly.graph_objects as go

from rebound import vega

# Mid-tone colours: enough contrast on #ffffff and on #0e1117.
COLORS = {
    "Applied": "#5B8DEF", "Response": "#3FA7A0", "Screen": "#2BB3C0", "Interview": "#7C6FE0",
    "Offer": "#3DAA5C", "Accepted": "#2E9A4E", "Rejected": "#E4705A", "Ghosted": "#9A9AA6",
    "Withdrawn": "#B07CC6", "No answer yet": "#C7A24A", "In progress": "#C7A24A",
}
SERIES = vega.SERIES  # one palette for both chart libraries
STAGE_COLORS = {"applied": "#C7A24A", "screen": "#2BB3C0", "interview": "#7C6FE0", "final": "#5B8DEF",
                "offer": "#3DAA5C"}
TREND_COLORS = {"rising": "#E4705A", "new": "#F29D49", "steady": "#5B8DEF", "falling": "#3FA7A0"}
MOOD_SCALE = [[0.0, "#D9534F"], [0.5, "#E8C547"], [1.0, "#3DAA5C"]]
ACTIVITY_SCALE = [[0.0, "rgba(61,170,92,0.18)"], [1.0, "rgba(46,154,78,1.0)"]]
GRID = "rgba(128,128,128,0.22)"
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


DAY_MS = 86_400_000
MONDAY = "2000-01-03"  # weekly ticks fall on Mondays, the day Rebound's weeks start
LABEL_CHARS, HOVER_CHARS = 40, 80


def safe(text, limit: int = LABEL_CHARS) -> str:
    """User text shown literally by plotly: cut to `limit` characters, then HTML-escaped (and `$`
    too, so a label is never typeset as LaTeX). Plotly decodes the entities back to the typed text."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    text = " ".join(str(text).split())  # line breaks would not show anyway
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return html.escape(text, quote=False).replace("$", "&#36;")


def date_axis(fig: go.Figure, values, unit: str = "day", **where) -> go.Figure:
    """A date x axis that ticks in days, weeks or months, never hours: padded so a single point sits
    in the middle of a few days, and with ticks chosen from the span of the data.

    unit: "day" (one value per day), "week" (Mondays) or "month" (first of the month).
    """
    days = pd.to_datetime(pd.Series(list(values), dtype="object"), errors="coerce").dropna()
    if days.empty:
        today = pd.Timestamp(dt.date.today())
        lo = hi = today
    else:
        lo, hi = days.min().normalize(), days.max().normalize()
    span = (hi - lo).days
    pad = {"day": max(1.0, (6 - span) / 2), "week": 4.0, "month": 16.0}[unit]
    if unit == "month" or span > 120:
        dtick, fmt = ("M1" if span <= 400 else "M3" if span <= 1100 else "M12"), "%b %Y"
        pad = max(pad, 16.0)
    elif unit == "week" or span > 8:
        dtick, fmt = 7 * DAY_MS, "%-d %b"
    else:
        dtick, fmt = DAY_MS, "%-d %b"
    fig.update_xaxes(type="date", dtick=dtick, tick0=MONDAY, tickformat=fmt, hoverformat="%-d %b %Y",
                     range=[lo - pd.Timedelta(days=pad), hi + pd.Timedelta(days=pad)], **where)
    return fig


def count_axis(fig: go.Figure, top, **where) -> go.Figure:
    """A y axis of whole numbers: one tick per count while counts are small (not 0.2, 0.4 …)."""
    top = 0 if top is None or (isinstance(top, float) and math.isnan(top)) else float(top)
    fig.update_yaxes(rangemode="tozero", tickformat=",d", **({"dtick": 1} if top <= 6 else {}), **where)
    return fig


def _style(fig: go.Figure, height: int = 340, legend: bool = True, **layout) -> go.Figure:
    fig.update_layout(
        height=height, margin=dict(l=8, r=8, t=36 if legend else 12, b=8),
        paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)",
        font=dict(size=13), hoverlabel=dict(font_size=13), showlegend=legend,
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0, title_text=""),
        **layout,
    )
    fig.update_xaxes(gridcolor=GRID, zeroline=False)
    fig.update_yaxes(gridcolor=GRID, zeroline=False)
    return fig


def _rate_text(rate: float, part: int, whole: int) -> str:
    return "–" if whole == 0 or (isinstance(rate, float) and math.isnan(rate)) else f"{rate:.0%} ({part}/{whole})"


# -- calendar ------------------------------------------------------------------------------------
def calendar(cal: pd.DataFrame, by: str = "actions") -> go.Figure:
    """A year of days, one column per week and one row per weekday (contribution-graph style)."""
    c = cal.copy()
    mood_txt = c["mood"].map(lambda m: "–" if pd.isna(m) else f"{m:.1f}")
    c["hover"] = (c["day"].dt.strftime("%a %d %b %Y") + "<br>" + c["applications"].astype(str) + " applications, "
                  + c["activities"].astype(str) + " activities, " + c["coping"].astype(str) + " self-care<br>Mood "
                  + mood_txt + c["rejections"].map(lambda n: f"<br>{n} rejection(s)" if n else ""))
    grid_z = c.pivot(index="weekday", columns="week", values=by).reindex(range(7))
    hover = c.pivot(index="weekday", columns="week", values="hover").reindex(range(7)).fillna("").values
    if by == "mood":
        scale, zmin, zmax, title = MOOD_SCALE, 1, 10, "Mood"
    else:
        top = max(1, float(cal[by].max() or 1))
        scale, zmin, zmax, title = ACTIVITY_SCALE, 0.5, max(top, 1.5), "Actions"
    z = grid_z.where(grid_z > 0) if by != "mood" else grid_z  # empty days stay blank
    in_range = c.pivot(index="weekday", columns="week", values="actions").reindex(range(7)).notna()
    blank = in_range.astype(float).where(in_range)  # every day of the year as a faint cell
    fig = go.Figure(go.Heatmap(z=blank.values, x=list(grid_z.columns), y=WEEKDAYS, showscale=False,
                               colorscale=[[0, "rgba(128,128,128,0.13)"], [1, "rgba(128,128,128,0.13)"]],
                               xgap=3, ygap=3, text=hover, hovertemplate="%{text}<extra></extra>", hoverongaps=False))
    fig.add_trace(go.Heatmap(
        z=z.values, x=list(grid_z.columns), y=WEEKDAYS, colorscale=scale, zmin=zmin, zmax=zmax,
        xgap=3, ygap=3, text=hover, hovertemplate="%{text}<extra></extra>", hoverongaps=False,
        colorbar=dict(title=dict(text=title), thickness=10, len=0.9),
    ))
    fig.update_yaxes(autorange="reversed", showgrid=False)
    fig.update_xaxes(showgrid=False, tickformat="%b", dtick="M1")
    return _style(fig, height=230, legend=False)


# -- funnel and Sankey -----------------------------------------------------------------------------
def funnel(f: pd.DataFrame) -> go.Figure:
    fig = go.Figure(go.Funnel(
        y=f["stage"], x=f["count"], texttemplate="%{value} · %{percentInitial:.0%}",
        textposition=["inside" if c >= 0.45 * max(f["count"].max(), 1) else "outside" for c in f["count"]],
        marker=dict(color=[COLORS.get(s, "#5B8DEF") for s in f["stage"]]),
        connector=dict(line=dict(color=GRID, width=1)),
        hovertemplate="%{y}: %{x}<br>%{percentInitial:.0%} of applications<extra></extra>",
    ))
    return _style(fig, height=320, legend=False)


ENDINGS = ["No answer yet", "Ghosted", "Withdrawn", "In progress", "Accepted", "Rejected"]


def sankey(links: pd.DataFrame) -> go.Figure:
    labels = list(dict.fromkeys(list(links["source"]) + list(links["target"])))
    index = {label: i for i, label in enumerate(labels)}
    totals = {label: int(max(links.loc[links["source"] == label, "value"].sum(),
                             links.loc[links["target"] == label, "value"].sum())) for label in labels}

    def rgba(hex_, a):
        h = hex_.lstrip("#")
        return f"rgba({int(h[0:2], 16)},{int(h[2:4], 16)},{int(h[4:6], 16)},{a})"

    # Fixed columns (stages left to right, every ending on the right) and endings stacked in a set
    # order, so small nodes don't pile their labels on top of each other.
    stage_x = {"Applied": 0.001, "Response": 0.22, "Screen": 0.44, "Interview": 0.64, "Offer": 0.82}
    ends = [l for l in ENDINGS if l in totals] + [l for l in labels if l not in stage_x and l not in ENDINGS]
    total_end = sum(totals[l] for l in ends) or 1
    gap = 0.05
    room = max(0.2, 1 - gap * (len(ends) - 1))
    y, top = {}, 0.0
    for l in ends:
        h = room * totals[l] / total_end
        y[l] = min(0.999, max(0.001, top + h / 2))
        top += h + gap
    for l in ["Applied", "Response", "Screen", "Interview", "Offer"]:
        if l in totals:
            h = totals[l] / max(totals.get("Applied", 1), 1)
            y[l] = min(0.999, max(0.001, 1 - h / 2 if l != "Applied" else 0.5))
    fig = go.Figure(go.Sankey(
        arrangement="snap", valueformat="d",
        node=dict(label=[f"{safe(l)} ({totals[l]})" for l in labels], pad=14, thickness=16,
                  x=[stage_x.get(l, 0.999) for l in labels], y=[y.get(l, 0.5) for l in labels],
                  color=[COLORS.get(l, "#9A9AA6") for l in labels], line=dict(width=0),
                  hovertemplate="%{label}<extra></extra>"),
        link=dict(source=[index[s] for s in links["source"]], target=[index[t] for t in links["target"]],
                  value=links["value"].tolist(),
                  color=[rgba(COLORS.get(t, "#9A9AA6"), 0.35) for t in links["target"]],
                  hovertemplate="%{source.label} → %{target.label}: %{value}<extra></extra>"),
    ))
    return _style(fig, height=420, legend=False)


def sankey_html(fig: go.Figure, title: str = "Rebound: my job search") -> str:
    """A self-contained HTML page of the Sankey (plotly.js inlined, works offline), on white."""
    out = go.Figure(fig)
    out.update_layout(title=dict(text=title), paper_bgcolor="white", plot_bgcolor="white",
                      font=dict(color="#222222"), margin=dict(t=60))
    return out.to_html(full_html=True, include_plotlyjs=True, config=CONFIG)


# -- channels ---------------------------------------------------------------------------------------
def channel_mix(wide: pd.DataFrame) -> go.Figure:
    fig = go.Figure()
    channels = [c for c in wide.columns if c != "month"]
    for i, ch in enumerate(channels):
        fig.add_trace(go.Bar(x=wide["month"], y=wide[ch], name=safe(ch), marker_color=SERIES[i % len(SERIES)],
                             width=20 * DAY_MS, hovertemplate="%{fullData.name}<br>%{x|%b %Y}: %{y}<extra></extra>"))
    fig.update_layout(barmode="stack", legend_traceorder="normal")
    date_axis(fig, wide["month"] if "month" in wide else [], "month")
    fig.update_xaxes(hoverformat="%b %Y")
    fig.update_yaxes(title_text="applications")
    count_axis(fig, wide[channels].sum(axis=1).max() if channels and len(wide) else 0)
    return _style(fig, height=320)


def rate_bars(df: pd.DataFrame, label: str, rates=(("response_rate", "responses", "Response rate"),
                                                    ("interview_rate", "interviews", "Interview rate"))) -> go.Figure:
    """Horizontal bars of rates per group, each labelled 'rate (part/whole)'; small samples are faded
    and hatched and their label says so."""
    d = df.iloc[::-1]
    names = [f"{safe(v)} ⚠ n={int(n)}" if small else f"{safe(v)}  n={int(n)}"
             for v, n, small in zip(d[label], d["applications"], d["small_sample"])]
    fig = go.Figure()
    colors = ["#3FA7A0", "#7C6FE0", "#3DAA5C"]
    for i, (col, part, title) in enumerate(rates):
        fig.add_trace(go.Bar(
            y=names, x=d[col], orientation="h", name=title, marker_color=colors[i % len(colors)],
            marker_opacity=[0.45 if s else 1.0 for s in d["small_sample"]],
            marker_pattern_shape=["/" if s else "" for s in d["small_sample"]],
            text=[_rate_text(r, int(p), int(n)) for r, p, n in zip(d[col], d[part], d["applications"])],
            textposition="outside", cliponaxis=False,
            hovertemplate="%{y}<br>" + title + ": %{text}<extra></extra>",
        ))
    fig.update_layout(barmode="group", bargap=0.25)
    # Room right of the longest bar for its label ("100% (12/12)" must not be cut to "1"); the ticks
    # stop at 100%, so the extra room reads as margin, not as a rate above 100%.
    top = float(pd.concat([d[c] for c, _, _ in rates]).max() or 0) if len(d) else 0.0
    top = 0.0 if math.isnan(top) else top
    end = top * 1.45 + 0.1 if top else 1.0
    fig.update_xaxes(tickformat=".0%", range=[0, end], tickvals=[v for v in (0, 0.25, 0.5, 0.75, 1.0) if v <= end])
    return _style(fig, height=max(240, 70 + 48 * len(d)))


# -- rejections and themes -----------------------------------------------------------------------------
def rejections_by_stage(wide: pd.DataFrame, labels: dict) -> go.Figure:
    fig = go.Figure()
    for stage in [c for c in wide.columns if c != "month"]:
        if wide[stage].sum() == 0:
            continue
        fig.add_trace(go.Bar(x=wide["month"], y=wide[stage], name=safe(labels.get(stage, stage)),
                             marker_color=STAGE_COLORS.get(stage, "#9A9AA6"), width=20 * DAY_MS,
                             hovertemplate="%{fullData.name}<br>%{x|%b %Y}: %{y}<extra></extra>"))
    fig.update_layout(barmode="stack", legend_traceorder="normal")
    date_axis(fig, wide["month"] if "month" in wide else [], "month")
    fig.update_xaxes(hoverformat="%b %Y")
    fig.update_yaxes(title_text="rejections")
    stages = [c for c in wide.columns if c != "month"]
    count_axis(fig, wide[stages].sum(axis=1).max() if stages and len(wide) else 0)
    return _style(fig, height=320)


def themes(summary: pd.DataFrame, top: int = 10) -> go.Figure:
    d = summary.head(top).iloc[::-1]
    fig = go.Figure(go.Bar(
        y=[safe(t) for t in d["theme"]], x=d["mentions"], orientation="h",
        marker_color=[TREND_COLORS.get(t, "#5B8DEF") for t in d["trend"]],
        text=[f"{m} · {t}" for m, t in zip(d["mentions"], d["trend"])],  # short: it must fit beside a bar on a phone
        customdata=[f"{r} in the last 90 days" for r in d["recent"]],
        textposition="outside", cliponaxis=False, hovertemplate="%{y}: %{text} (%{customdata})<extra></extra>",
    ))
    top = float(d["mentions"].max()) if len(d) else 0.0
    fig.update_xaxes(title_text="mentions", range=[0, top * 1.6 + 1], tickformat=",d", **({"dtick": 1} if top <= 6 else {}))
    return _style(fig, height=max(220, 60 + 30 * len(d)), legend=False)


# -- mood and coping ------------------------------------------------------------------------------------
def mood(series: pd.DataFrame, rejections: pd.DataFrame) -> go.Figure:
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=series["day"], y=series["mood"], mode="markers", name="Check-in mood",
                             marker=dict(color="#5B8DEF", size=6, opacity=0.55),
                             hovertemplate="%{x|%a %d %b}: mood %{y:.1f}<extra></extra>"))
    fig.add_trace(go.Scatter(x=series["day"], y=series["rolling"], mode="lines", name="7-day average",
                             line=dict(color="#3DAA5C", width=3),
                             hovertemplate="%{x|%d %b}: 7-day average %{y:.1f}<extra></extra>"))
    if not rejections.empty:
        fig.add_trace(go.Scatter(x=rejections["day"], y=[0.6] * len(rejections), mode="markers", name="Rejection",
                                 marker=dict(symbol="triangle-up", size=10, color="#E4705A"),
                                 customdata=rejections["rejections"],
                                 hovertemplate="%{x|%a %d %b}: %{customdata} rejection(s)<extra></extra>"))
    fig.update_yaxes(range=[0, 10.5], dtick=2, title_text="mood (1–10)")
    date_axis(fig, list(series["day"]) + list(rejections["day"]), "day")
    return _style(fig, height=320)


def coping(ranked: pd.DataFrame) -> go.Figure:
    d = ranked.dropna(subset=["helped"]).iloc[::-1]
    fig = go.Figure(go.Bar(
        y=[f"{safe(k)} ⚠" if s else safe(k) for k, s in zip(d["kind"], d["small_sample"])], x=d["helped"],
        orientation="h",
        marker_color="#3FA7A0", marker_opacity=[0.45 if s else 1.0 for s in d["small_sample"]],
        marker_pattern_shape=["/" if s else "" for s in d["small_sample"]],
        text=[f"{h:.1f} ({int(r)}×)" for h, r in zip(d["helped"], d["rated"])],  # short: fits beside a bar on a phone
        textposition="outside", cliponaxis=False, hovertemplate="%{y}: %{text}<extra></extra>",
    ))
    fig.update_xaxes(range=[0, 6.2], tickvals=[1, 2, 3, 4, 5], title_text="did it help? mean 1–5 (times rated)")
    return _style(fig, height=max(220, 60 + 34 * len(d)), legend=False)


def mood_vs_activity(weekly: pd.DataFrame) -> go.Figure:
    w = weekly.sort_values("week")
    age = list(range(len(w)))
    fig = go.Figure(go.Scatter(
        x=w["actions"], y=w["mood"], mode="markers",
        marker=dict(size=11, color=age, colorscale=[[0, "rgba(91,141,239,0.35)"], [1, "rgba(91,141,239,1)"]],
                    line=dict(width=0)),
        customdata=list(zip(w["week"].dt.strftime("%d %b %Y"), w["applications"], w["activities"], w["coping"])),
        hovertemplate=("Week of %{customdata[0]}<br>Mood %{y:.1f}<br>%{customdata[1]} applications, "
                       "%{customdata[2]} activities, %{customdata[3]} self-care<extra></extra>"),
    ))
    top = float(w["actions"].max()) if len(w) else 0.0
    # Short enough for a phone; the caption and the hover say what counts as an action.
    fig.update_xaxes(title_text="actions that week", rangemode="tozero",
                     tickformat=",d", **({"dtick": 1} if top <= 6 else {}))
    fig.update_yaxes(title_text="mean mood", range=[0, 10.5])
    return _style(fig, height=320, legend=False)


# -- resilience -----------------------------------------------------------------------------------------
def bounce_back(bounce: pd.DataFrame, apps_trend: pd.Series, mood_trend: pd.Series) -> go.Figure:
    fig = go.Figure()
    days = pd.to_datetime(bounce["day"])
    label = [f"{safe(c)} · {safe(r)}" for c, r in zip(bounce["company"], bounce["role"])]
    fig.add_trace(go.Scatter(x=days, y=bounce["days_to_next_application"], mode="markers",
                             name="Days to next application", marker=dict(color="#5B8DEF", size=7, opacity=0.6),
                             text=label, hovertemplate="%{x|%d %b}: %{text}<br>next application after %{y} days<extra></extra>"))
    fig.add_trace(go.Scatter(x=days, y=apps_trend, mode="lines", name="…typical (median of last 5)",
                             line=dict(color="#5B8DEF", width=3, shape="hv"), connectgaps=True,
                             hoverinfo="skip"))
    if bounce["days_to_baseline"].notna().any():
        fig.add_trace(go.Scatter(x=days, y=bounce["days_to_baseline"], mode="markers",
                                 name="Days until mood back to usual", marker=dict(color="#E4705A", size=7, opacity=0.6,
                                                                                   symbol="diamond"),
                                 text=label, hovertemplate="%{x|%d %b}: %{text}<br>mood back after %{y} days<extra></extra>"))
        fig.add_trace(go.Scatter(x=days, y=mood_trend, mode="lines", name="…typical (median of last 5)",
                                 line=dict(color="#E4705A", width=3, dash="dot", shape="hv"),
                                 connectgaps=True, hoverinfo="skip"))
    fig.update_yaxes(title_text="days")
    count_axis(fig, pd.concat([pd.to_numeric(bounce[c], errors="coerce")
                               for c in ("days_to_next_application", "days_to_baseline")]).max())
    date_axis(fig, days, "day")
    return _style(fig, height=340)
