"""Every chart on Progress, Goals and Today reads well with 0, 1, 2 and 5 data points and shows
user text literally: figure objects and Vega-Lite specs checked directly, then the pages through
AppTest with hostile text in every field (toasts and chart specs inspected, not only markdown)."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from clock import TODAY
from conftest import open_page

from rebound import charts, momentum, vega
from rebound import insights as ins
from rebound import today as today_mod
from rebound.db import Database
from rebound.store import Store
from rebound.vocab import CHANNELS

LONG = "Ä" * 10_000
HOSTILE = [
    "<img src=x onerror=alert(1)>",
    '<a href="http://evil.test">x</a>',
    "**bold** [l](http://x) $x^2$",
    LONG,
    "שלום עולם مرحبا",  # right to left
    "Kōwhai 🚀🎉",
    '=HYPERLINK("https://evil.test","x")',
]
RAW = ["<img", "<a href", "$x^2$", 'evil.test">']  # what must never reach a chart or a toast unescaped


# -- data ---------------------------------------------------------------------------------------
def fill(store: Store, n: int, texts=None, spacing: int = 16, today: dt.date = TODAY) -> None:
    """n data points of everything Progress and Goals draw, `spacing` days apart, ending today:
    applications (each rejected the day it was sent), check-ins, rated self-care, themed
    reflections, a custom goal met per week, a contact due, an activity. `texts` go into every
    free-text field; texts longer than the forms allow are written as an import or restore could."""
    texts = texts or [f"Company {i}" for i in range(max(n, 1))]
    coping = ["nature", "exercise", "friend"]
    stages = ["applied", "screen", "interview"]
    for i in range(n):
        day = today - dt.timedelta(days=spacing * i)
        text = texts[i % len(texts)]
        short = text[:100]
        app = store.applications.add(short, f"{short} Data Analyst", CHANNELS[i % 3], day, today=today)
        store.applications.add_event(app, "rejected", day, stage=stages[i % 3], today=today)
        store.checkins.add(3 + i % 6, checked_at=day)  # today: now; earlier days: noon
        store.coping.add(day, coping[i % 3], helped=4)
        store.reflections.add("journal", {"entry": short}, themes=[text[:100]], day=day)
        goal = store.goals.add(momentum.week_of(day), "custom", 1, short)
        store.goals.tick(goal, 1)
        store.activities.add(day, "networking", short, 30, today=today)
        store.contacts.add(short, short, short, day, today, today=today)
        if len(text) > 100:  # longer than any form allows: as an import or a restore could bring it
            with store.scope.write() as run:
                run(
                    "UPDATE applications SET company = $t, role = $t || ' Data Analyst' WHERE id = $id",
                    {"t": text, "id": app},
                )
                run("UPDATE goals SET label = $t WHERE id = $id", {"t": text, "id": goal})
                run("UPDATE reflections SET themes = [$t] WHERE user_id = $user AND day = $d", {"t": text, "d": day})
                run("UPDATE contacts SET name = $t WHERE user_id = $user AND name = $s", {"t": text, "s": short})


def figures(store: Store) -> dict:
    """Every chart Progress can draw from this store's data (those with data): Vega-Lite specs
    (dicts), but the Sankey the Funnel tab draws once its flow diagram is opened (plotly)."""
    overview = ins.load_overview(store, TODAY)
    funnel = ins.load_funnel(store)
    channel = ins.load_channels(store)
    pat = ins.load_patterns(store, TODAY)
    out = {}
    if overview["calendar"]["actions"].sum():
        out["calendar"] = vega.calendar(overview["calendar"])
        out["calendar_mood"] = vega.calendar(overview["calendar"], "mood")
    if funnel["funnel"]["count"].iloc[0]:
        out["funnel"] = vega.funnel(funnel["funnel"])
        out["sankey"] = charts.sankey(funnel["links"])
    if not channel["conversion"].empty:
        out["conversion"] = vega.rate_bars(channel["conversion"], "channel", what="channel")
        out["mix"] = vega.channel_mix(channel["mix"])
    if pat["stage_totals"]["rejections"].sum():
        out["rejections"] = vega.rejections_by_stage(pat["by_stage"], ins.REJECTION_STAGE_LABELS)
    if not pat["themes"].empty:
        out["themes"] = vega.themes(pat["themes"])
    if not pat["roles"].empty:
        out["seniority"] = vega.rate_bars(pat["seniority"], "seniority")
        out["keywords"] = vega.rate_bars(pat["keywords"], "keyword", what="keyword")
    if not overview["mood"].empty:
        out["mood"] = vega.mood(overview["mood"], overview["rejection_days"])
    if not overview["coping_ranked"].empty:
        out["coping"] = vega.coping(overview["coping_ranked"])
    if len(overview["weekly"]):
        out["mood_activity"] = vega.mood_vs_activity(overview["weekly"])
    if ins.bounce_measured(overview["bounce"]):
        out["bounce"] = vega.bounce_back(overview["bounce"], overview["apps_trend"], overview["mood_trend"])
    return out


PLOTLY = {"sankey"}  # plotly, only once the Funnel tab's flow diagram is opened; the funnel is Vega-Lite


def vega_specs(store: Store) -> dict:
    return {k: v for k, v in figures(store).items() if k not in PLOTLY}


@pytest.fixture(params=[0, 1, 2, 5], ids=lambda n: f"{n}pts")
def points(request, store):
    fill(store, request.param)
    return request.param, store


def _encodings(spec):
    """Every encoding channel in a (layered) spec, with its mark's layer."""
    if isinstance(spec, dict):
        yield from (spec.get("encoding") or {}).items()
        for child in spec.get("layer", []):
            yield from _encodings(child)


def _values(spec):
    """Every inline data row of a (layered) spec."""
    rows = list(((spec.get("data") or {}).get("values")) or [])
    for child in spec.get("layer", []):
        rows += _values(child)
    return rows


def _texts(spec, field: str = "text"):
    return [r[field] for r in _values(spec) if field in r]


# -- every spec is plain JSON ------------------------------------------------------------------------
def test_every_spec_is_json_with_a_description_and_no_top_level_data(points):
    n, store = points
    specs = vega_specs(store)
    if n:
        assert set(specs) >= {"calendar", "funnel", "conversion", "mix", "rejections", "themes", "mood", "coping"}
        assert ("bounce" in specs) == (n > 1)  # one rejection: nothing to measure its bounce-back against
    for name, spec in specs.items():
        json.dumps(spec, allow_nan=False)  # NaN is no JSON: Vega would refuse the spec
        assert spec["description"].strip(), name  # read out by screen readers
        assert "data" not in spec, name  # top-level data would be converted to Arrow (pandas on the server)


# -- the funnel ---------------------------------------------------------------------------------------
STAGES = ["Applied", "Response", "Screen", "Interview", "Offer"]


def test_funnel_shows_each_stage_count_and_share_of_all_applications(points):
    """What the plotly funnel showed: a bar per stage as wide as its count, "count · share of all"."""
    n, store = points
    spec = vega.funnel(ins.load_funnel(store)["funnel"])
    json.dumps(spec, allow_nan=False)
    rows = _values(spec)
    assert [r["stage"] for r in rows] == STAGES
    assert all(r["right"] - r["left"] == int(r["reached"].split()[0].replace(",", "")) for r in rows)
    assert all(r["left"] == -r["right"] for r in rows)  # centred: the funnel's shape
    if not n:
        assert spec["description"] == "Funnel of 0 applications." and rows[0]["text"] == "0 · –"
        return
    assert rows[0]["text"] == f"{n} · 100%" and rows[1]["text"] == f"{n} · 100%"  # each was answered (rejected)
    assert (
        spec["description"].startswith(f"Funnel of {n} application") and f"Response {n} (100%)" in spec["description"]
    )
    bars, text = spec["layer"][0]["layer"]
    assert bars["mark"]["type"] == "bar" and bars["encoding"]["color"]["scale"]["domain"] == STAGES
    assert [t["field"] for t in bars["encoding"]["tooltip"]] == ["stage", "reached", "of_all", "of_previous"]
    # the labels' column starts right of the widest bar, with room for it inside the chart
    domain = bars["encoding"]["x"]["scale"]["domain"]
    assert text["encoding"]["x"]["datum"] == n / 2 and domain == [-n / 2, n * 1.2]


def test_funnel_of_thousands_says_under_one_percent_not_zero():
    import pandas as pd

    f = pd.DataFrame(
        {
            "stage": STAGES,
            "count": [30_557, 9_001, 4_000, 1_200, 8],
            "of_applied": [1.0, 0.2946, 0.1309, 0.0393, 8 / 30_557],
            "of_previous": [float("nan"), 0.2946, 0.444, 0.3, 4 / 1_200],
        }
    )
    rows = _values(vega.funnel(f))
    assert [r["text"] for r in rows] == ["30,557 · 100%", "9,001 · 29%", "4,000 · 13%", "1,200 · 4%", "8 · <1%"]
    assert rows[0]["of_previous"] == "–" and rows[4]["of_previous"] == "<1%"


# -- date axes --------------------------------------------------------------------------------------
DATE_CHARTS = {"mood", "bounce"}  # temporal x; monthly bars and the calendar are bands labelled by date
MONTH_CHARTS = {"mix", "rejections"}


def _date_axes(spec):
    return [enc for channel, enc in _encodings(spec) if channel == "x" and enc.get("type") == "temporal"]


def _when(d: dict) -> dt.datetime:
    return dt.datetime(d["year"], d["month"], d["date"], d.get("hours", 0))


def test_every_date_axis_ticks_in_days_weeks_or_months(points):
    n, store = points
    specs = vega_specs(store)
    drawn = DATE_CHARTS & set(specs)
    if n:
        assert drawn >= {"mood"}
    for name in drawn:
        axes = _date_axes(specs[name])
        assert axes, f"{name}: no date axis"
        for axis in axes:
            assert axis["scale"]["type"] == "utc", name  # no time zone moves a day
            assert not re.search(r"%[HIMSLfpl]", axis["axis"]["format"]), (name, axis["axis"]["format"])
            ticks = [_when(v) for v in axis["axis"]["values"]]
            assert ticks and all(t.hour == 0 for t in ticks), name  # every tick a midnight: a day, never a time
            gaps = {(b - a).days for a, b in zip(ticks, ticks[1:])}
            assert gaps <= {1} or all(g % 7 == 0 for g in gaps) or all(27 <= g <= 366 for g in gaps), (name, gaps)
            if any(g % 7 == 0 for g in gaps) and 1 not in gaps:
                assert all(t.weekday() == 0 for t in ticks), name  # weekly ticks fall on Mondays
            lo, hi = (_when(v) for v in axis["scale"]["domain"])
            assert hi - lo >= dt.timedelta(days=2), (name, lo, hi)  # one point: days around it, not ms
    for name in MONTH_CHARTS & set(specs):
        months = [enc for channel, enc in _encodings(specs[name]) if channel == "x"][0]["scale"]["domain"]
        assert all(re.fullmatch(r"[A-Z][a-z]{2} \d{4}", m) for m in months), months  # "Nov 2026"
        assert len(months) >= 1 and _values(specs[name])


def test_one_day_of_data_is_padded_to_days_around_it():
    spec = vega.mood(ins.mood_series(_one_checkin()), ins.rejection_days(_one_checkin()))
    axis = _date_axes(spec)[0]
    assert axis["axis"]["format"] == "%-d %b"
    ticks = [_when(v) for v in axis["axis"]["values"]]
    assert {(b - a).days for a, b in zip(ticks, ticks[1:])} == {1}
    lo, hi = (_when(v) for v in axis["scale"]["domain"])
    assert lo < dt.datetime(2026, 11, 30) < hi and (hi - lo).days >= 6


def _one_checkin():
    import pandas as pd

    return pd.DataFrame(
        {
            "day": [dt.date(2026, 11, 30)],
            "applications": [1],
            "activities": [0],
            "coping": [0],
            "rejections": [1],
            "checkins": [1],
            "mood": [6.0],
        }
    )


@pytest.mark.parametrize(
    "span, step, fmt", [(0, 1, "%-d %b"), (5, 1, "%-d %b"), (30, 7, "%-d %b"), (200, 28, "%b %Y"), (900, 89, "%b %Y")]
)
def test_date_axis_ticks_follow_the_span(span, step, fmt):
    days = [dt.date(2026, 1, 5), dt.date(2026, 1, 5) + dt.timedelta(days=span)]
    axis = vega.day_axis(days)
    ticks = [_when(v) for v in axis["axis"]["values"]]
    assert axis["axis"]["format"] == fmt
    assert min((b - a).days for a, b in zip(ticks, ticks[1:])) >= step


def test_months_are_filled_and_one_month_is_a_bar_not_the_whole_chart(points):
    n, store = points
    specs = vega_specs(store)
    for name in MONTH_CHARTS & set(specs):
        x = [enc for channel, enc in _encodings(specs[name]) if channel == "x"][0]
        months = x["scale"]["domain"]
        spread = {dt.datetime.strptime(m, "%b %Y").date() for m in months}
        assert len(spread) == len(months)
        if len(months) < 6:
            assert x["scale"]["paddingOuter"] >= (6 - len(months)) / 2  # a few months sit in the middle


# -- labels at 100% --------------------------------------------------------------------------------
def test_rate_labels_at_100_percent_have_room(points):
    n, store = points
    specs = vega_specs(store)
    for name in ("conversion", "keywords", "seniority"):
        if name not in specs:
            continue
        spec = specs[name]
        rows = _values(spec)
        assert max(r["rate"] for r in rows) == 1.0  # every application here was answered (a rejection is an answer)
        assert any(t.startswith("100% (") and t.endswith(")") for t in _texts(spec))  # "100% (2/2)", not "1"
        x = [enc for channel, enc in _encodings(spec) if channel == "x"][0]
        assert x["scale"]["domain"][1] >= 1.15 and x["scale"]["nice"] is False, name  # room for the label
        assert max(x["axis"]["values"]) <= 1.0  # no tick claims a rate above 100%
        marks = [layer["mark"]["type"] for layer in spec["layer"][0]["layer"]]
        assert marks == ["bar", "text"]


def test_small_samples_are_flagged(points):
    n, store = points
    specs = vega_specs(store)
    for name in ("conversion", "keywords", "seniority", "coping"):
        if name not in specs:
            continue
        rows = _values(specs[name])
        label = "kind" if name == "coping" else "group"
        assert all(("⚠" in r[label]) == r["small"] for r in rows), name
        bars = specs[name]["layer"][0]["layer"][0]
        assert bars["encoding"]["opacity"]["condition"]["test"] == "datum.small"


def test_rejections_are_marked_on_mood(points):
    n, store = points
    spec = vega_specs(store).get("mood")
    if not n:
        assert spec is None
        return
    triangles = [layer for layer in spec["layer"] if layer.get("mark", {}).get("shape") == "triangle-up"]
    assert len(triangles) == 1 and len(triangles[0]["data"]["values"]) == n  # each one rejected the day it was sent


def test_text_beside_bars_reads_in_both_themes(store):
    fill(store, 5)
    for name, spec in vega_specs(store).items():
        for layer in spec["layer"][0].get("layer", []):
            if layer.get("mark", {}).get("type") == "text":
                assert layer["mark"]["blend"] == "difference" and layer["mark"]["color"] == "#ffffff", name


# -- Today's trend: weeks in date order -----------------------------------------------------------------
def test_todays_trend_for_a_new_user_lists_weeks_in_date_order(store):
    """A new user whose only goals are this week's: Vega-Lite used to put that week first."""
    store.goals.add(momentum.week_of(TODAY), "custom", 2, "Walk")
    store.applications.add("Acme", "Analyst", "referral", TODAY - dt.timedelta(days=21), today=TODAY)
    _, spec = today_mod.momentum_view(store, TODAY)
    _assert_weeks_in_order(spec)


def test_todays_trend_after_an_import_of_older_history_lists_weeks_in_date_order(store):
    for weeks_ago in (40, 30, 12, 2):
        store.goals.add(momentum.week_of(TODAY - dt.timedelta(weeks=weeks_ago)), "custom", 1, "Walk")
    _, spec = today_mod.momentum_view(store, TODAY)
    _assert_weeks_in_order(spec)


def _assert_weeks_in_order(spec):
    (child,) = spec["layer"]
    values = child["data"]["values"]
    domain = child["encoding"]["x"]["scale"]["domain"]
    weeks = [dt.datetime.strptime(v["label"], "Week of %d %b %Y").date() for v in values]
    assert weeks == sorted(weeks) and len(set(weeks)) == len(weeks)
    assert domain == [v["week"] for v in values]  # the axis order is the date order, whatever the layers drop
    assert weeks[-1] == momentum.week_of(TODAY)
    json.loads(json.dumps(spec, allow_nan=False))


def test_vega_trend_describes_itself_for_screen_readers(store):
    store.goals.tick(store.goals.add(momentum.week_of(TODAY), "custom", 2, "Walk"), 1)
    _, spec = today_mod.momentum_view(store, TODAY)
    assert spec["description"].startswith("Momentum by week") and "completion 50%" in spec["description"]


# -- the momentum chart (Vega-Lite) on Today, Progress and Goals: 0, 1, 2, 5 weeks ---------------------
def _momentum_specs(store, weeks=None):
    weekly = momentum.weekly_momentum_rows(store, weeks, TODAY)
    return (
        weekly,
        vega.momentum_trend(weekly),
        vega.goal_shares(weekly, momentum.goal_component_rows(store, weeks, TODAY)),
    )


def test_momentum_chart_reads_well_with_few_points(points):
    n, store = points
    weekly, trend, shares = _momentum_specs(store)
    json.loads(json.dumps([trend, shares], allow_nan=False))  # strict JSON, as the browser parses it
    assert trend["description"].startswith("Momentum by week")
    if not n:
        assert weekly == [] and shares is None and trend["layer"][0]["data"]["values"] == []
        return
    _assert_weeks_in_order(trend)
    (child,) = shares["layer"]
    assert child["encoding"]["x"]["scale"]["domain"] == trend["layer"][0]["encoding"]["x"]["scale"]["domain"]
    assert {v["week"] for v in child["data"]["values"]} <= set(child["encoding"]["x"]["scale"]["domain"])
    for spec in (trend, shares):  # weeks are dates labelled in days: no time of day can appear
        axis = (spec["layer"][0].get("encoding") or {})["x"]["axis"]
        assert axis["labelExpr"] == vega.WEEK_LABEL and not re.search(r"%[HIMSLfp]", axis["labelExpr"])
    assert shares["description"].startswith("Each goal's share")


def test_momentum_weeks_over_a_year_are_labelled_by_month_and_never_merge(store):
    for weeks_ago in (150, 100, 48, 0):  # Mondays a few years apart can share a day and month
        store.goals.tick(
            store.goals.add(momentum.week_of(TODAY - dt.timedelta(weeks=weeks_ago)), "custom", 1, "Walk"), 1
        )
    weekly, trend, _ = _momentum_specs(store)
    domain = trend["layer"][0]["encoding"]["x"]["scale"]["domain"]
    assert len(domain) == len(set(domain)) == len(weekly) == 151
    assert trend["layer"][0]["encoding"]["x"]["axis"]["labelExpr"] == vega.MONTH_LABEL


def test_goal_names_reach_the_momentum_chart_as_plain_cut_strings(store):
    fill(store, 5, HOSTILE)
    _, trend, shares = _momentum_specs(store)
    goals = {v["goal"] for v in shares["layer"][0]["data"]["values"]}
    assert "<img src=x onerror=alert(1)>" in goals  # Vega draws text, not HTML: shown as typed
    assert "**bold** [l](http://x) $x^2$" in goals
    assert any(g.endswith("…") and len(g) == vega.LABEL_CHARS for g in goals)  # 10,000 characters are cut
    assert LONG[:200] not in json.dumps(shares)
    assert not any(h[:12] in json.dumps(trend) for h in HOSTILE)  # the trend itself holds no user text


def test_vega_trend_holds_no_user_text(store):
    fill(store, 5, HOSTILE)
    _, spec = today_mod.momentum_view(store, TODAY)
    text = json.dumps(spec)
    assert not any(h[:12] in text for h in HOSTILE)
    assert vega.trend_values([]) == []


# -- user text is escaped in every figure ---------------------------------------------------------------
def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)
    elif hasattr(value, "tolist"):
        yield from _strings(value.tolist())


def assert_inert(spec, where: str) -> None:
    """No hostile text raw in a plotly spec: no tag, no LaTeX, nothing 10,000 characters long."""
    for s in _strings(spec):
        assert not any(raw in s for raw in RAW), (where, s[:200])
        assert LONG[:200] not in s, (where, len(s))  # a 10,000-character label is cut


def assert_plain(spec, where: str) -> None:
    """User text in a Vega-Lite spec: as typed (Vega draws text literally, its tooltips escape HTML),
    never HTML-escaped (it would show "&lt;img"), and cut short."""
    for s in _strings(spec):
        assert "&lt;" not in s and "&amp;" not in s and "&#36;" not in s, (where, s[:200])
        assert LONG[:200] not in s, (where, len(s))


def test_user_text_reaches_every_figure_escaped(store):
    """Plotly figures (the Funnel tab) get user text HTML-escaped; Vega-Lite specs get it as plain,
    cut strings."""
    fill(store, 5, HOSTILE)
    figs = figures(store)
    assert {"bounce", "themes", "keywords", "conversion", "sankey"} <= set(figs)
    for name, fig in figs.items():
        if name in PLOTLY:
            assert_inert(fig.to_plotly_json(), name)
        else:
            assert_plain(fig, name)
    assert not any(h[:12] in json.dumps(figs["funnel"]) for h in HOSTILE)  # stages only: no user text
    shown = [s for name in ("bounce", "themes", "conversion", "keywords") for s in _strings(figs[name])]
    assert any('<a href="http://evil.test">x</a>' in s for s in shown)  # shown as typed
    assert any("ä" * (vega.LABEL_CHARS - 1) + "…" in s.casefold() for s in shown)  # 10,000 characters cut to 40
    assert any("שלום עולם مرحبا" in s for s in shown) and any("**bold** [l](http://x) $x^2$" in s for s in shown)


def test_safe_cuts_then_escapes():
    assert charts.safe("<b>") == "&lt;b&gt;"
    assert charts.safe("a & b") == "a &amp; b"
    assert charts.safe(None) == "" and charts.safe(float("nan")) == ""
    cut = charts.safe("<" * 100)
    assert cut.count("&lt;") == charts.LABEL_CHARS - 1 and cut.endswith("…")  # an entity is never cut in half
    assert charts.safe("line\nbreak") == "line break"


# -- deltas ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "change, text",
    [
        (None, None),
        (float("nan"), None),
        (0.0, None),
        (0.004, None),
        (0.005, None),
        (-0.004, None),
        (0.012, "+1 points"),
        (-0.2, "-20 points"),
    ],
)
def test_a_change_that_rounds_to_zero_has_no_delta(change, text):
    assert ins.change_text(change, "points", scale=100) == text


def test_days_delta_of_zero_is_none():
    assert ins.change_text(0.0, "days lately") is None and ins.change_text(2.0, "days lately") == "+2 days lately"
    assert ins.change_text(-1.0, "days lately", one="day lately") == "-1 day lately"


# -- resilience --------------------------------------------------------------------------------------------
def test_one_rejection_with_nothing_measured_is_not_drawn(store):
    fill(store, 1)
    bounce = ins.load_overview(store, TODAY)["bounce"]
    assert len(bounce) == 1 and not ins.bounce_measured(bounce)
    table = ins.bounce_table(bounce)
    assert "None" not in table.astype(str).to_string() and table.loc[0, "Next application"] == "not yet"


# -- the pages with hostile text (AppTest) ---------------------------------------------------------------------
def _hostile_db(path: str) -> str:
    db = Database(path)
    fill(Store(db, "local"), len(HOSTILE), HOSTILE, spacing=5)
    db.close()
    return path


def _specs(at):
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def _vega_specs(at):
    return [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]


def _assert_no_raw_markup(texts, where):
    for text in texts:
        assert not re.search(r"(?<!\\)<(img|a )", text), (where, text[:200])
        assert "**bold**" not in text and "](http://x)" not in text.replace("\\]\\(", ""), (where, text[:200])


PROGRESS_TABS = ["Momentum", "Calendar", "Funnel", "Channels", "Where rejections happen", "Mood & coping", "Resilience"]


def test_progress_with_hostile_text_in_every_field(run_page, db_path):
    at = run_page("pages/progress.py", _hostile_db(db_path))
    drawn = 0
    for tab in PROGRESS_TABS:
        at.session_state["progress_tab"] = tab
        at.run()
        assert not at.exception, (tab, [e.message for e in at.exception])
        for chart in at.get("plotly_chart"):
            assert chart.proto.alt.strip(), (tab, "a chart without a text alternative")
        for spec in _specs(at):
            assert_inert(spec, tab)
            drawn += 1
        for spec in _vega_specs(at):
            assert spec.get("description", "").strip(), (tab, "a chart without a text alternative")
            assert_plain(spec, tab)
            drawn += 1
        _assert_no_raw_markup(
            [m.value for m in at.markdown] + [c.value for c in at.caption] + [t.value for t in at.toast], tab
        )
    assert drawn >= 12


GOALS_TABS = ["🎯 Weekly goals", "📒 Activity log", "🤝 Contacts", "🏆 Wins", "🗣️ Interview prep", "📈 Momentum"]


def test_goals_with_hostile_text_every_tab_and_toast(run_page, db_path):
    path = _hostile_db(db_path)
    db = Database(path)
    store = Store(db, "local")
    week = momentum.week_of(TODAY)
    goal = store.goals.add(week, "custom", 1, HOSTILE[0])
    bold = store.goals.add(week, "custom", 1, HOSTILE[2])
    db.close()
    at = run_page("pages/goals.py", path)
    toasts = []
    for key in (f"goals_tick_{goal}", f"goals_tick_{bold}"):  # reaching a goal named in hostile text
        at.button(key=key).click().run()
        assert not at.exception, [e.message for e in at.exception]
        toasts += [t.value for t in at.toast]
    assert any(t.startswith("Goal reached: \\<img") for t in toasts), toasts
    assert any("\\*\\*bold\\*\\*" in t for t in toasts), toasts
    at.session_state["goals_tab"] = "🤝 Contacts"
    at.run()
    done = [b for b in at.button if b.key and b.key.startswith("goals_contact_done_")]
    assert done, "no follow-up due"
    done[0].click().run()
    toasts += [t.value for t in at.toast]
    assert any(t.startswith("Nice — keeping in touch with") for t in toasts), toasts
    _assert_no_raw_markup(toasts, "toasts")
    for tab in GOALS_TABS:
        at.session_state["goals_tab"] = tab
        at.run()
        assert not at.exception, (tab, [e.message for e in at.exception])
        for spec in _specs(at):
            assert_inert(spec, tab)
        _assert_no_raw_markup(
            [m.value for m in at.markdown] + [c.value for c in at.caption] + [t.value for t in at.toast], tab
        )


def test_no_change_shows_no_delta_on_progress_and_goals(run_page, db_path):
    """Two weeks of goals met in full: momentum did not move, so no "+0 pts" arrow anywhere."""
    db = Database(db_path)
    store = Store(db, "local")
    fill(store, 2, spacing=7)
    weekly = momentum.weekly_momentum_rows(store, None, TODAY)
    db.close()
    assert weekly[-1]["change"] == 0
    at = run_page("pages/progress.py", db_path)
    assert [m.label for m in at.metric][:1] == ["Momentum"]
    assert all(not m.delta for m in at.metric), [(m.label, m.delta) for m in at.metric]
    open_page(at, "pages/goals.py").run()
    at.session_state["goals_tab"] = "📈 Momentum"
    at.run()
    assert [m.label for m in at.metric][:1] == ["Momentum"]
    assert all(not m.delta for m in at.metric), [(m.label, m.delta) for m in at.metric]


def test_resilience_with_no_change_shows_no_delta(run_page, db_path):
    """Seven rejections three days apart: the bounce-back is the same early and late ("+0 days" was shown)."""
    db = Database(db_path)
    fill(Store(db, "local"), 7, spacing=3)
    db.close()
    at = run_page("pages/progress.py", db_path)
    at.session_state["progress_tab"] = "Resilience"
    at.run()
    assert not at.exception
    shown = {m.label: m.delta for m in at.metric}
    assert shown["Typical days to your next application"] in (None, "")
    assert "about the same" in " ".join(c.value for c in at.caption)
