"""The momentum chart of Today, Progress and Goals & wins: Vega-Lite specs with their data inline,
built without pandas."""

from __future__ import annotations

import datetime as dt
import json
import math

from rebound import vega

D = dt.date
NAN = math.nan
WEEKS = [
    {"week": D(2026, 11, 2), "completion": NAN, "momentum": NAN, "met": False, "streak": 0},
    {"week": D(2026, 11, 9), "completion": 1.0, "momentum": 0.4, "met": True, "streak": 3},
    {"week": D(2026, 11, 16), "completion": 0.5, "momentum": 0.45, "met": False, "streak": 3},
]


def test_trend_values_are_ordered_weeks_with_preformatted_text():
    values = vega.trend_values(WEEKS[::-1])  # any order in, weeks in order out
    assert [v["week"] for v in values] == ["2026-11-02", "2026-11-09", "2026-11-16"]  # labelled "2 Nov" by the axis
    assert values[1]["label"] == "Week of 9 Nov 2026"
    assert [v["completion_text"] for v in values] == ["no goals", "100%", "50%"]
    assert [v["momentum_text"] for v in values] == ["–", "40%", "45%"]
    assert [v["streak"] for v in values] == ["", "3", ""]
    assert [v["star"] is not None for v in values] == [False, True, False]
    # NaN is not JSON: a week without goals is null, which Vega leaves undrawn.
    assert values[0]["completion"] is None and values[0]["momentum"] is None


def test_momentum_trend_is_a_layer_of_bars_line_and_stars_with_inline_data():
    spec = vega.momentum_trend(WEEKS)
    assert "data" not in spec  # top-level data would be converted to Arrow by Streamlit, loading pandas
    (child,) = spec["layer"]
    values = child["data"]["values"]
    assert len(values) == 3
    marks = [layer["mark"]["type"] for layer in child["layer"]]
    assert marks == ["bar", "line", "point", "text"]
    bar = child["layer"][0]["encoding"]
    assert bar["y"]["field"] == "completion" and bar["color"]["scale"]["domain"] == list(vega.TREND_LEGEND)
    assert child["encoding"]["x"] == {**child["encoding"]["x"], "field": "week", "type": "ordinal", "sort": None}
    fields = {
        e["field"]
        for layer in child["layer"]
        for e in layer["encoding"].values()
        if isinstance(e, dict) and "field" in e
    }
    assert fields <= set(values[0])  # every encoded field is in the data
    json.loads(json.dumps(spec, allow_nan=False))  # strict JSON, as the browser parses it


def test_datetime_weeks_are_read_as_their_dates():
    values = vega.trend_values([{**WEEKS[1], "week": dt.datetime(2026, 11, 9, 0, 0)}])
    assert values[0]["week"] == "2026-11-09"


COMPONENTS = [
    {
        "week": D(2026, 11, 9),
        "metric": "applications",
        "label": "Applications",
        "done": 3.0,
        "target": 3.0,
        "completion": 1.0,
    },
    {"week": D(2026, 11, 9), "metric": "custom", "label": "Walk", "done": 1.0, "target": 1.0, "completion": 1.0},
    {
        "week": D(2026, 11, 16),
        "metric": "applications",
        "label": "Applications",
        "done": 1.0,
        "target": 3.0,
        "completion": 1 / 3,
    },
    {"week": D(2026, 11, 16), "metric": "custom", "label": "Walk", "done": 2.0, "target": 3.0, "completion": 2 / 3},
    {"week": D(2026, 10, 26), "metric": "custom", "label": "Walk", "done": 1.0, "target": 1.0, "completion": 1.0},
]


def test_goal_shares_stack_to_each_weeks_completion_on_the_trends_weeks():
    spec = vega.goal_shares(WEEKS, COMPONENTS)
    assert "data" not in spec  # inline in the layer, as for the trend
    (child,) = spec["layer"]
    values = child["data"]["values"]
    assert {v["week"] for v in values} == {"2026-11-09", "2026-11-16"}  # a week not drawn above is left out
    by_week: dict[str, float] = {}
    for v in values:
        by_week[v["week"]] = by_week.get(v["week"], 0) + v["share"]
    assert by_week == {"2026-11-09": 1.0, "2026-11-16": 0.5}  # the weeks' completion, as the bars above
    assert child["encoding"]["x"] == vega.momentum_trend(WEEKS)["layer"][0]["encoding"]["x"]  # the same weeks
    assert child["encoding"]["color"]["scale"]["domain"] == ["Applications", "Walk"]
    assert [v["text"] for v in values if v["week"] == "2026-11-16"] == ["1 of 3 (33%)", "2 of 3 (67%)"]
    json.loads(json.dumps(spec, allow_nan=False))


def test_goal_shares_without_goals_in_the_drawn_weeks_is_none():
    assert vega.goal_shares(WEEKS, []) is None
    assert vega.goal_shares(WEEKS[:1], COMPONENTS) is None


def test_plain_cuts_long_labels_and_keeps_text_as_typed():
    assert vega.plain("<b>x</b>") == "<b>x</b>"
    assert vega.plain("a\nb") == "a b" and vega.plain(None) == ""
    cut = vega.plain("x" * 500)
    assert len(cut) == vega.LABEL_CHARS and cut.endswith("…")


def test_description_names_the_first_and_last_week():
    assert vega.momentum_trend(WEEKS)["description"] == (
        "Momentum by week, 2 Nov 2026 to 16 Nov 2026: this week's completion 50%, momentum 45%; "
        "goals met in 1 of 3 weeks."
    )  # the stars are out of the accessibility tree: the words say them


def test_stars_and_streak_labels_stay_out_of_the_accessibility_tree():
    """With no week met their layers are empty, and Vega left an unnamed symbol group (axe: svg-img-alt)."""
    marks = vega.momentum_trend(WEEKS)["layer"][0]["layer"]
    assert [m["mark"].get("aria") for m in marks] == [None, None, False, False]
    assert vega.momentum_trend([])["description"] == "Momentum by week."
