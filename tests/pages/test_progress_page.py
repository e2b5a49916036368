"""The Progress page through AppTest on empty, small and demo data, and in a real browser."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from clock import frozen

from rebound.db import Database
from rebound.insights.repository import InsightsRepository
from rebound.store import Store

PAGE = "pages/progress.py"
TABS = ["Momentum", "Calendar", "Funnel", "Channels", "Where rejections happen", "Mood & coping", "Resilience"]


def _open_tab(at, tab):
    at.session_state["progress_tab"] = tab
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _open_export(at):
    """Open the folded "Export the Sankey" expander, as a click would (a rerun on change)."""
    at.session_state["progress_sankey_export"] = True
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_funnel_tab_builds_no_code_block_while_folded_and_no_data_grid(run_page, small_db_path):
    """The code block loads 1.6 MB of syntax highlighter and st.dataframe 1.3 MB of grid in the
    browser: a folded export and a six-row table need neither."""
    at = _open_tab(run_page(PAGE, small_db_path), "Funnel")
    assert (
        not at.get("code")
        and not at.get("download_button")
        or all(b.label != "SankeyMATIC text" for b in at.get("download_button"))
    )
    assert not at.dataframe and not at.table  # st.table loads 0.74 MB of Arrow formatting: text instead
    (table,) = [
        m.value
        for m in at.markdown
        if m.value.startswith("| Stage | Reached | Of the stage before | Where they stopped |")
    ]
    assert len(table.splitlines()) >= 2 + 4, table  # header, alignment, a row per stage
    _open_export(at)
    assert at.get("code") and "Applied [" in at.get("code")[0].value
    assert any(b.label == "SankeyMATIC text" for b in at.get("download_button"))


def test_funnel_tab_draws_the_sankey_only_once_the_flow_diagram_is_opened(run_page, small_db_path):
    """Plotly's bundle is 4.7 MB in the browser: the Funnel tab shows the funnel in Vega-Lite and sends
    the Sankey (the one plotly chart) only when its expander is opened, as a click would."""
    at = _open_tab(run_page(PAGE, small_db_path), "Funnel")
    assert len(at.get("vega_lite_chart")) == 1 and not at.get("plotly_chart")
    at.session_state["progress_sankey_flow"] = True
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert len(at.get("plotly_chart")) == 1 and len(at.get("vega_lite_chart")) == 1
    _open_export(at)  # the export still has the HTML of the same Sankey
    assert any(b.label == "Interactive HTML" for b in at.get("download_button"))


def _texts(at):
    return " ".join([m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info])


@pytest.fixture
def small_db_path(db_path):
    """Three applications, one rejection, two check-ins: too little for findings, enough for charts."""
    db = Database(db_path)
    store = Store(db, "local")
    today = dt.date.today()
    a = store.applications.add("Acme", "Senior Data Analyst", "job board", today - dt.timedelta(days=20))
    b = store.applications.add("Bolt", "Data Engineer", "referral", today - dt.timedelta(days=15))
    store.applications.add("Cask", "Analyst", "recruiter", today - dt.timedelta(days=3))
    store.applications.add_event(a, "rejected", today - dt.timedelta(days=10), stage="applied")
    store.applications.add_event(b, "screen", today - dt.timedelta(days=8))
    with store.scope.write() as run:
        for days, mood in ((12, 6), (9, 4)):
            run(
                "INSERT INTO checkins (user_id, checked_at, mood) VALUES ($user, $at, $mood)",
                {"at": dt.datetime.combine(today - dt.timedelta(days=days), dt.time(9)), "mood": mood},
            )
    db.close()
    return db_path


def test_empty_database_shows_clear_empty_states(run_page, db_path):
    at = run_page(PAGE, db_path)
    assert at.title[0].value == "Progress"
    text = _texts(at)
    assert "Findings in words appear once there is enough to go on" in text
    expected = {
        "Momentum": "No weekly goals yet",
        "Calendar": "Nothing logged in the last year yet",
        "Funnel": "Log your applications",
        "Channels": "Once you log applications",
        "Where rejections happen": "No rejections logged",
        "Mood & coping": "No check-ins yet",
        "Resilience": "Nothing to measure yet",
    }
    for tab, message in expected.items():
        _open_tab(at, tab)
        assert message in _texts(at), tab
        assert not at.get("plotly_chart") and not at.get("vega_lite_chart"), tab


def test_small_data_draws_charts_and_flags_small_samples(run_page, small_db_path):
    at = run_page(PAGE, small_db_path)
    assert "So far: 3 applications, 1 rejection." in _texts(at)
    _open_tab(at, "Funnel")
    assert len(at.get("vega_lite_chart")) == 1 and not at.get("plotly_chart")  # the Sankey waits to be opened
    assert "With fewer than 10 applications" in _texts(at)
    code = _open_export(at).get("code")[0].value
    assert code.splitlines()[:6] == [
        "Job board [1] Applied",
        "Recruiter [1] Applied",
        "Referral [1] Applied",
        "Applied [2] Response",
        "Applied [1] No answer yet",
        "Response [1] Rejected",
    ]
    _open_tab(at, "Channels")
    assert len(at.get("vega_lite_chart")) == 2 and not at.get("plotly_chart")  # plotly only for the Funnel tab
    _open_tab(at, "Mood & coping")
    assert "Only a few check-ins so far" in _texts(at)
    assert "This needs at least three weeks with a check-in." in _texts(at)
    _open_tab(at, "Resilience")
    # the bounce-back chart, and below it "your own before and after": days to the next application
    # (the one measure with a value; the mood's needs check-ins before the rejection)
    assert len(at.get("vega_lite_chart")) == 2 and not at.get("plotly_chart")


def test_funnel_filters_by_channel(run_page, small_db_path):
    at = run_page(PAGE, small_db_path)
    _open_tab(at, "Funnel")
    at.multiselect(key="progress_funnel_channels").set_value(["referral"]).run()
    assert not at.exception
    assert _open_export(at).get("code")[0].value.splitlines() == [
        "Referral [1] Applied",
        "Applied [1] Response",
        "Response [1] Screen",
        "Screen [1] In progress",
    ]


def test_demo_data_every_tab(run_page, demo_db_path):
    at = run_page(PAGE, demo_db_path)
    assert "What your data says" in _texts(at)
    for tab in TABS:
        _open_tab(at, tab)
        if tab == "Momentum":  # Vega-Lite, as on Today: the tab a visit opens on loads no plotly
            assert len(at.get("vega_lite_chart")) == 2 and not at.get("plotly_chart")
        else:  # every chart is Vega-Lite (the funnel too): the Sankey waits behind its expander
            assert at.get("vega_lite_chart") and not at.get("plotly_chart"), f"{tab} drew no Vega-Lite chart"
        assert "How to read it" in _texts(at), tab
        assert at.get("download_button"), f"{tab} has no download"


def test_rerun_with_nothing_changed_recomputes_nothing(run_page, demo_db_path, monkeypatch):
    at = run_page(PAGE, demo_db_path)
    _open_tab(at, "Resilience")
    calls = []
    original = InsightsRepository.rejection_recovery
    monkeypatch.setattr(
        InsightsRepository, "rejection_recovery", lambda self, *a, **k: calls.append(1) or original(self, *a, **k)
    )
    at.run()
    _open_tab(at, "Funnel")
    assert not at.exception and calls == []


def _loaded(page, chunk: str) -> bool:
    """Whether the browser fetched a Streamlit JavaScript chunk whose name starts with `chunk`."""
    return page.evaluate(
        "c => performance.getEntriesByType('resource').some(r => r.name.split('/').pop().startsWith(c + '.'))", chunk
    )


@pytest.mark.browser
def test_progress_page_in_a_browser(page, demo_db_path, tmp_path):
    from conftest import AppServer, wait_idle

    server = AppServer(demo_db_path)
    try:
        page.set_default_timeout(60_000)  # the shared CI machine can be slow
        page.set_viewport_size({"width": 1400, "height": 2200})
        page.goto(server.url)
        wait_idle(page)
        page.get_by_role("link", name="Progress").click()
        wait_idle(page)
        page.get_by_text("What your data says").wait_for()
        shots = Path(tmp_path)
        for tab in TABS:
            page.get_by_role("tab", name=tab).click()
            wait_idle(page)
            page.locator("[data-testid='stVegaLiteChart'] svg").first.wait_for()
            page.get_by_text("How to read it").first.wait_for()
            page.screenshot(path=str(shots / f"progress-{tab.split()[0].lower()}.png"))
            if tab in ("Momentum", "Calendar", "Funnel"):  # Vega-Lite: no plotly bundle until the Sankey opens
                assert not _loaded(page, "PlotlyChart")
            if tab == "Funnel":  # its folded export and small table load no highlighter and no data grid
                page.get_by_role("table").first.wait_for()
                assert not _loaded(page, "StreamlitSyntaxHighlighter") and not _loaded(page, "DataFrame")
        page.get_by_role("tab", name="Funnel").click()
        wait_idle(page)
        assert not _loaded(page, "PlotlyChart")
        page.get_by_text("Show where every application went").click()  # the Sankey: plotly, loaded now
        page.locator(".js-plotly-plot .main-svg").first.wait_for()
        assert _loaded(page, "PlotlyChart")
        wait_idle(page)
        page.get_by_text("Export the Sankey").click()
        export = page.get_by_role("button", name="SankeyMATIC text")
        export.wait_for()
        page.locator("[data-testid='stCode']").wait_for()
        assert _loaded(page, "StreamlitSyntaxHighlighter")  # built once opened (and the check above can see it)
        wait_idle(page)  # a click while a rerun replaces the button can be lost
        with page.expect_download() as download:
            export.click()
        assert "Applied [" in Path(download.value.path()).read_text()
        wait_idle(page)
        with page.expect_download() as download:  # the Sankey's own page, plotly.js inlined
            page.get_by_role("button", name="Interactive HTML").click()
        html = Path(download.value.path()).read_text()
        assert download.value.suggested_filename == "rebound-sankey.html" and "Applied (" in html
        errors = page.locator("[data-testid='stException']")
        assert errors.count() == 0
    finally:
        server.stop()


@pytest.fixture(scope="module")
def two_years_path(tmp_path_factory) -> str:
    """Two years of demo data: check-ins and rejections in both."""
    from rebound.demo import generate

    path = str(tmp_path_factory.mktemp("progress") / "two-years.duckdb")
    database = Database(path)
    with frozen():  # the tests' today (a module fixture runs before the clock fixture)
        generate(Store(database, "local"), weeks=104, seed=5)
    database.close()
    return path


def _chart_days(at, described: str) -> list[dt.date]:
    """The days of every mark the Vega-Lite chart whose description starts with `described` draws
    (its layers' x, UTC milliseconds)."""
    import json

    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    (spec,) = [s for s in specs if s.get("description", "").startswith(described)]
    values = [v for layer in spec["layer"] for v in layer.get("data", {}).get("values", [])]
    return [dt.date(1970, 1, 1) + dt.timedelta(milliseconds=v["x"]) for v in values]


@pytest.mark.parametrize(
    "tab, key, chart",
    [
        ("Mood & coping", "progress_mood_period", "Scatter and line chart: check-in mood"),
        ("Resilience", "progress_bounce_period", "Scatter chart: days to the next application"),
    ],
)
def test_a_long_search_shows_its_last_year_unless_another_period_is_picked(run_page, two_years_path, tab, key, chart):
    """Two years of mood and rejections drew every day (a heavy user's three years took ~3× as long to
    draw as a tenth of them): the chart shows the last year, and "All" brings the rest back."""
    today = dt.date.today()
    at = _open_tab(run_page(PAGE, two_years_path), tab)
    assert at.segmented_control(key=key).value == "1 year"
    days = _chart_days(at, chart)
    assert days and min(days) >= today - dt.timedelta(days=364), min(days)
    at.segmented_control(key=key).set_value("All").run()
    assert not at.exception, [e.message for e in at.exception]
    assert min(_chart_days(at, chart)) < today - dt.timedelta(days=500)
    at.segmented_control(key=key).set_value("3 months").run()
    assert min(_chart_days(at, chart)) >= today - dt.timedelta(days=90)


def test_a_short_search_has_no_period_to_pick(run_page, small_db_path):
    """Under three months of data every period draws the same chart, so none is offered."""
    at = _open_tab(run_page(PAGE, small_db_path), "Mood & coping")
    assert _chart_days(at, "Scatter and line chart: check-in mood")
    assert "progress_mood_period" not in [c.key for c in at.segmented_control]


def test_the_diagnosis_leads_with_its_sentence_and_links_to_the_lever(run_page, db_path, today):
    """A search whose applications go unanswered: Progress says so in one sentence with its numbers and
    links to the page where that lever is worked on; the Funnel tab has each step with its interval."""
    db = Database(db_path)
    store = Store(db, "local")
    for i in range(30):
        store.applications.add(f"<b>Co</b> {i}", "Analyst", "job board", today - dt.timedelta(days=30 + i))
    app = store.applications.add("Kind", "Analyst", "referral", today - dt.timedelta(days=40))
    store.applications.add_event(app, "screen", today - dt.timedelta(days=35))
    db.close()
    at = run_page(PAGE, db_path)
    assert not at.exception
    (verdict,) = [m.value.replace("\\", "") for m in at.markdown if m.value.startswith("🧭")]  # unescaped
    assert "Your search loses most before any answer" in verdict and "1 of 31 (3%, likely" in verdict
    assert [p.label for p in at.main.get("page_link") if "feedback" in p.proto.page.lower()] == [
        "Ask employers for feedback"
    ]
    at = _open_tab(at, "Funnel")
    (steps,) = [m.value.replace("\\", "") for m in at.markdown if m.value.startswith("| Step | Got through")]
    assert "Applied → Response | 1 of 31 (3%, likely" in steps


def test_no_diagnosis_before_there_is_enough_to_say(run_page, small_db_path):
    at = run_page(PAGE, small_db_path)
    assert not at.exception
    assert not [m for m in at.markdown if m.value.startswith("🧭")]
