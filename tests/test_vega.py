"""Today's momentum trend: one Vega-Lite spec with its data inline, built without pandas."""

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
    assert [v["week"] for v in values] == ["2 Nov", "9 Nov", "16 Nov"]
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
    fields = {e["field"] for layer in child["layer"] for e in layer["encoding"].values()
              if isinstance(e, dict) and "field" in e}
    assert fields <= set(values[0])  # every encoded field is in the data
    json.loads(json.dumps(spec, allow_nan=False))  # strict JSON, as the browser parses it


def test_datetime_weeks_are_read_as_their_dates():
    values = vega.trend_values([{**WEEKS[1], "week": dt.datetime(2026, 11, 9, 0, 0)}])
    assert values[0]["week"] == "9 Nov"
