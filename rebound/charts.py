"""The Sankey of where every application went (which Vega-Lite cannot draw) and its
self-contained HTML export: Progress's one plotly chart, drawn only when the Funnel tab's flow
diagram is opened, so no tab loads plotly's bundle in the browser until then. Every other chart,
the funnel too, is Vega-Lite (rebound.vega), whose palette this shares.

Transparent backgrounds (Streamlit's light or dark theme shows through), mid-tone colours that
read on white and on near-black. Plotly renders node labels and hover text as HTML-like markup,
so every piece of user text goes through `safe` first.
"""

from __future__ import annotations

import html
import math
from typing import TYPE_CHECKING

import plotly.graph_objects as go

from rebound import vega

if TYPE_CHECKING:
    import pandas as pd

COLORS = vega.COLORS  # the same colour for the same meaning as the Vega-Lite charts
GRID = "rgba(128,128,128,0.22)"
CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}

LABEL_CHARS = 40


def safe(text: object, limit: int = LABEL_CHARS) -> str:
    """User text shown literally by plotly: cut to `limit` characters, then HTML-escaped (and `$`
    too, so a label is never typeset as LaTeX). Plotly decodes the entities back to the typed text."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    text = " ".join(str(text).split())  # line breaks would not show anyway
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return html.escape(text, quote=False).replace("$", "&#36;")


def _style(fig: go.Figure, height: int = 340, legend: bool = True, **layout: object) -> go.Figure:
    fig.update_layout(
        height=height,
        margin=dict(l=8, r=8, t=36 if legend else 12, b=8),
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        font=dict(size=13),
        hoverlabel=dict(font_size=13),
        showlegend=legend,
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0, title_text=""),
        **layout,
    )
    fig.update_xaxes(gridcolor=GRID, zeroline=False)
    fig.update_yaxes(gridcolor=GRID, zeroline=False)
    return fig


# -- Sankey ----------------------------------------------------------------------------------------
ENDINGS = ["No answer yet", "Ghosted", "Withdrawn", "In progress", "Accepted", "Rejected"]


def sankey(links: pd.DataFrame) -> go.Figure:
    labels = list(dict.fromkeys(list(links["source"]) + list(links["target"])))
    index = {label: i for i, label in enumerate(labels)}
    totals = {
        label: int(
            max(links.loc[links["source"] == label, "value"].sum(), links.loc[links["target"] == label, "value"].sum())
        )
        for label in labels
    }

    def rgba(hex_: str, a: float) -> str:
        h = hex_.lstrip("#")
        return f"rgba({int(h[0:2], 16)},{int(h[2:4], 16)},{int(h[4:6], 16)},{a})"

    # Fixed columns (stages left to right, every ending on the right) and endings stacked in a set
    # order, so small nodes don't pile their labels on top of each other.
    stage_x = {"Applied": 0.001, "Response": 0.22, "Screen": 0.44, "Interview": 0.64, "Offer": 0.82}
    ends = [name for name in ENDINGS if name in totals] + [
        name for name in labels if name not in stage_x and name not in ENDINGS
    ]
    total_end = sum(totals[name] for name in ends) or 1
    gap = 0.05
    room = max(0.2, 1 - gap * (len(ends) - 1))
    y, top = {}, 0.0
    for name in ends:
        h = room * totals[name] / total_end
        y[name] = min(0.999, max(0.001, top + h / 2))
        top += h + gap
    for name in ["Applied", "Response", "Screen", "Interview", "Offer"]:
        if name in totals:
            h = totals[name] / max(totals.get("Applied", 1), 1)
            y[name] = min(0.999, max(0.001, 1 - h / 2 if name != "Applied" else 0.5))
    fig = go.Figure(
        go.Sankey(
            arrangement="snap",
            valueformat="d",
            node=dict(
                label=[f"{safe(name)} ({totals[name]})" for name in labels],
                pad=14,
                thickness=16,
                x=[stage_x.get(name, 0.999) for name in labels],
                y=[y.get(name, 0.5) for name in labels],
                color=[COLORS.get(name, "#9A9AA6") for name in labels],
                line=dict(width=0),
                hovertemplate="%{label}<extra></extra>",
            ),
            link=dict(
                source=[index[s] for s in links["source"]],
                target=[index[t] for t in links["target"]],
                value=links["value"].tolist(),
                color=[rgba(COLORS.get(t, "#9A9AA6"), 0.35) for t in links["target"]],
                hovertemplate="%{source.label} → %{target.label}: %{value}<extra></extra>",
            ),
        )
    )
    return _style(fig, height=420, legend=False)


def sankey_html(fig: go.Figure, title: str = "Rebound: my job search") -> str:
    """A self-contained HTML page of the Sankey (plotly.js inlined, works offline), on white."""
    out = go.Figure(fig)
    out.update_layout(
        title=dict(text=title),
        paper_bgcolor="white",
        plot_bgcolor="white",
        font=dict(color="#222222"),
        margin=dict(t=60),
    )
    return out.to_html(full_html=True, include_plotlyjs=True, config=CONFIG)
