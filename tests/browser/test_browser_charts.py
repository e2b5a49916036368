"""Real browser: Today's trend and every Progress tab read well with 0, 1, 2, 5 points and the demo,
in light and dark schemes, at desktop and phone width; user text in charts and toasts stays text.

Screenshots go to tmp_path (or to $REBOUND_SHOTS when set, to look at them).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from pathlib import Path

import pytest
from conftest import AppServer, wait_for_toast, wait_idle
from test_charts import HOSTILE, fill

from rebound import momentum
from rebound.db import Database
from rebound.store import Store

pytestmark = pytest.mark.browser

TABS = ["Momentum", "Calendar", "Funnel", "Channels", "Where rejections happen", "Mood & coping", "Resilience"]
VEGA = "[data-testid='stVegaLiteChart'] svg"
TIME_TICK = re.compile(r"\d:\d\d|\.\d{3}")  # "23:59:59.999", "00:00:00.0005"


def _shots(tmp_path) -> Path:
    out = Path(os.environ.get("REBOUND_SHOTS") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    return out


def _db(path: str, build) -> str:
    db = Database(path)
    build(Store(db, "local"))
    db.close()
    return path


def _points(n):
    def build(store):
        if n == "demo":
            from rebound.demo import generate

            generate(store, weeks=26, seed=11)
        else:
            fill(store, n)

    return build


# -- Today's trend ----------------------------------------------------------------------------------
def _new_user(store):
    """A new user: an application three weeks ago, goals only this week."""
    today = dt.date.today()  # the server's clock (browser tests keep the real one)
    store.applications.add("Acme", "Analyst", "referral", today - dt.timedelta(days=21), today=today)
    store.goals.tick(store.goals.add(momentum.week_of(today), "custom", 2, "Walk"), 1)


def _imported_history(store):
    """Goals in a few scattered weeks, months back, as after an import: most weeks have none."""
    today = dt.date.today()  # the server's clock (browser tests keep the real one)
    for weeks_ago in (40, 30, 12, 2, 0):
        store.goals.tick(
            store.goals.add(momentum.week_of(today - dt.timedelta(weeks=weeks_ago)), "custom", 1, "Walk"), 1
        )
    for weeks_ago in (11, 10, 9, 7, 3, 1):
        store.applications.add(
            f"C{weeks_ago}", "Analyst", "referral", today - dt.timedelta(weeks=weeks_ago), today=today
        )


def _trend_weeks(page) -> list[dt.date]:
    today = dt.date.today()  # the server's clock (browser tests keep the real one)
    chart = page.locator("[data-testid='stVegaLiteChart'] svg").first
    chart.wait_for()
    labels = chart.locator(".role-axis-label text").all_text_contents()
    weeks = [lab for lab in labels if not lab.endswith("%")]
    assert weeks, labels
    year = today.year
    parsed = [dt.datetime.strptime(f"{w} {year}", "%d %b %Y").date() for w in weeks]
    return [d.replace(year=year - 1) if d > today + dt.timedelta(days=7) else d for d in parsed]


@pytest.mark.parametrize("build", [_new_user, _imported_history], ids=["new user", "imported history"])
def test_todays_trend_lists_weeks_in_date_order(page, tmp_path, build):
    today = dt.date.today()  # the server's clock (browser tests keep the real one)
    server = AppServer(_db(str(tmp_path / "t.duckdb"), build))
    try:
        page.goto(server.url)
        wait_idle(page)
        weeks = _trend_weeks(page)
        assert weeks == sorted(weeks), weeks  # was "30 Nov, 9 Nov, 16 Nov, 23 Nov"
        assert weeks[-1] == momentum.week_of(today)
        page.screenshot(path=str(_shots(tmp_path) / f"today-trend-{build.__name__.strip('_')}.png"))
    finally:
        server.stop()


# -- every Progress tab, 0/1/2/5/demo, light and dark ---------------------------------------------------
CHECK_CHART = """() => {
  const problems = [];
  for (const plot of document.querySelectorAll('.js-plotly-plot')) {
    const svg = plot.querySelector('svg.main-svg').getBoundingClientRect();
    for (const t of plot.querySelectorAll('.xaxislayer-above text, .yaxislayer-above text'))
      problems.push({kind: 'tick', text: t.textContent});
    for (const t of plot.querySelectorAll('text.bartext, .textpoint text')) {
      const r = t.getBoundingClientRect();
      if (t.textContent && (r.right > svg.right + 1 || r.left < svg.left - 1 || r.top < svg.top - 1))
        problems.push({kind: 'cut', text: t.textContent});
    }
    if (plot.querySelector('a, img, script')) problems.push({kind: 'markup', text: plot.querySelector('a, img, script').outerHTML});
  }
  for (const chart of document.querySelectorAll("[data-testid='stVegaLiteChart']")) {
    for (const t of chart.querySelectorAll('.role-axis-label text')) problems.push({kind: 'tick', text: t.textContent});
    const svg = chart.querySelector('svg');
    if (!svg) { problems.push({kind: 'cut', text: 'vega chart not drawn'}); continue; }
    const box = svg.getBoundingClientRect();
    for (const t of chart.querySelectorAll('.role-mark text, .role-legend-label text')) {
      const r = t.getBoundingClientRect();
      if (t.textContent && r.width && (r.right > box.right + 1 || r.left < box.left - 1 || r.top < box.top - 1))
        problems.push({kind: 'cut', text: t.textContent});
    }
    if (chart.querySelector('a, img, script')) problems.push({kind: 'markup', text: chart.querySelector('a, img, script').outerHTML});
  }
  return problems;
}"""


def _check_charts(page, where: str) -> None:
    found = page.evaluate(CHECK_CHART)
    ticks = [p["text"] for p in found if p["kind"] == "tick"]
    assert not [t for t in ticks if TIME_TICK.search(t)], (where, ticks)
    assert not [p for p in found if p["kind"] in ("cut", "markup")], (where, found)
    assert page.locator("[data-testid='stException']").count() == 0, where


MOOD_DOTS = "[data-testid='stVegaLiteChart'] .mark-symbol path"


def _pick_a_shorter_period(page, shots: Path) -> None:
    """The mood chart shows the last year (all of half a year's demo); "3 months" redraws it with
    fewer days, and "All" brings them back."""
    everything = page.locator(MOOD_DOTS).count()
    page.get_by_text("3 months", exact=True).click()
    wait_idle(page)
    page.wait_for_function(f'document.querySelectorAll("{MOOD_DOTS}").length < {everything}')
    fewer = page.locator(MOOD_DOTS).count()
    assert 0 < fewer < everything, (fewer, everything)
    page.screenshot(path=str(shots / "demo-light-mood-3-months.png"))
    page.get_by_text("All", exact=True).click()
    wait_idle(page)
    page.wait_for_function(f'document.querySelectorAll("{MOOD_DOTS}").length === {everything}')


@pytest.mark.parametrize("n", [0, 1, 2, 5, "demo"], ids=lambda n: f"{n}pts" if n != "demo" else "demo")
def test_today_and_every_progress_tab_read_well(browser, tmp_path, n):
    today = dt.date.today()  # the server's clock (browser tests keep the real one)
    server = AppServer(_db(str(tmp_path / "p.duckdb"), _points(n)))
    shots = _shots(tmp_path)
    try:
        for scheme in ("light", "dark"):
            context = browser.new_context(viewport={"width": 1400, "height": 2400}, color_scheme=scheme)
            page = context.new_page()
            page.set_default_timeout(60_000)
            try:
                page.goto(server.url)
                wait_idle(page)
                if n:
                    weeks = _trend_weeks(page)
                    assert weeks == sorted(weeks)
                page.screenshot(path=str(shots / f"{n}-{scheme}-today.png"))
                page.get_by_role("link", name="Progress").click()
                wait_idle(page)
                if n:  # the first tab, Momentum, is the same Vega-Lite chart as Today's: no plotly loaded
                    weeks = _trend_weeks(page)
                    assert weeks == sorted(weeks) and weeks[-1] == momentum.week_of(today)
                    assert not page.evaluate(
                        "performance.getEntriesByType('resource').some(r => /PlotlyChart/.test(r.name))"
                    )
                for tab in TABS:
                    page.get_by_role("tab", name=tab).click()
                    wait_idle(page)
                    if n and not (n == 1 and tab == "Resilience"):
                        page.locator(VEGA).first.wait_for()  # every tab is Vega-Lite, the funnel too
                        page.wait_for_timeout(300)
                    assert page.locator(".js-plotly-plot").count() == 0, tab
                    if tab in TABS[: TABS.index("Funnel") + 1]:  # no tab fetches plotly: only the flow diagram
                        assert not page.evaluate(
                            "performance.getEntriesByType('resource').some(r => /PlotlyChart/.test(r.name))"
                        ), tab
                    _check_charts(page, f"{n} {scheme} {tab}")
                    page.screenshot(path=str(shots / f"{n}-{scheme}-{tab.split()[0].lower()}.png"))
                    if tab == "Funnel" and n:  # the funnel's labels: "count · share of all"
                        labels = page.locator(f"{VEGA} .role-mark text").all_text_contents()
                        assert any(re.fullmatch(r"[\d,]+ · 100%", t) for t in labels), labels
                        page.get_by_text("Show where every application went").click()  # plotly, now
                        wait_idle(page)
                        page.locator(".js-plotly-plot .main-svg").first.wait_for()
                        page.wait_for_timeout(300)  # plotly lays out text after the first paint
                        _check_charts(page, f"{n} {scheme} flow diagram")
                        page.screenshot(path=str(shots / f"{n}-{scheme}-flow.png"))
                    if tab == "Mood & coping" and n == "demo" and scheme == "light":  # half a year of mood
                        _pick_a_shorter_period(page, shots)
                    if tab == "Resilience" and n == 1:  # one rejection, nothing measured: words, not an empty chart
                        page.get_by_text("there is nothing to measure yet").wait_for()
                        assert page.locator("[data-testid='stVegaLiteChart']").count() == 0
                page.get_by_role("link", name="Goals & wins").click()  # the same momentum chart on Goals
                wait_idle(page)
                page.get_by_role("tab", name="📈 Momentum").click()
                wait_idle(page)
                if n:
                    page.locator(VEGA).first.wait_for()
                    assert page.locator(".js-plotly-plot").count() == 0  # Vega-Lite, as on Today and Progress
                    _trend_weeks(page)  # date labels in days, in order
                _check_charts(page, f"{n} {scheme} Goals momentum")
                page.screenshot(path=str(shots / f"{n}-{scheme}-goals-momentum.png"))
            finally:
                context.close()
    finally:
        server.stop()


@pytest.mark.parametrize("n", [1, "demo"], ids=["1pt", "demo"])
def test_rate_labels_are_not_cut_at_phone_width(browser, tmp_path, n):
    server = AppServer(_db(str(tmp_path / "p.duckdb"), _points(n)))
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(f"{server.url}/progress")
        wait_idle(page)
        for tab in ("Funnel", "Channels", "Where rejections happen"):
            page.get_by_role("tab", name=tab).click()
            wait_idle(page)
            page.locator(VEGA).first.wait_for()
            page.wait_for_timeout(300)
            for chart in page.locator("[data-testid='stVegaLiteChart']").all():
                chart.scroll_into_view_if_needed()
            _check_charts(page, f"phone {tab}")
            labels = page.locator(f"{VEGA} .role-mark text").all_text_contents()
            if tab == "Funnel":  # "153 · 100%" beside the widest bar, inside the chart (checked above)
                assert any(re.fullmatch(r"[\d,]+ · 100%", t) for t in labels), labels
            else:
                assert any(re.fullmatch(r"100% \(\d+/\d+\)", t) for t in labels) or n == "demo", labels
            page.screenshot(path=str(_shots(tmp_path) / f"phone-{n}-{tab.split()[0].lower()}.png"), full_page=True)
    finally:
        context.close()
        server.stop()


# -- hostile text in charts and toasts -----------------------------------------------------------------------
def test_hostile_text_stays_text_in_charts_and_toasts(page, tmp_path):
    today = dt.date.today()  # the server's clock (browser tests keep the real one)

    def build(store):
        fill(store, len(HOSTILE), HOSTILE, spacing=5)
        store.goals.add(momentum.week_of(today), "custom", 1, HOSTILE[0])

    server = AppServer(_db(str(tmp_path / "h.duckdb"), build))
    try:
        page.set_viewport_size({"width": 1400, "height": 2400})
        page.goto(f"{server.url}/progress")
        wait_idle(page)
        for tab in TABS:
            page.get_by_role("tab", name=tab).click()
            wait_idle(page)
            page.wait_for_timeout(300)
            _check_charts(page, f"hostile {tab}")
            if tab == "Momentum":  # the goal named <img …> is a legend entry, shown as typed
                page.locator(
                    f"{VEGA} .role-legend-label text", has_text="<img src=x onerror=alert(1)>"
                ).first.wait_for()
                # …and its bar's tooltip (Vega's tooltip is HTML) shows it as typed, not as an image
                page.locator(
                    f"{VEGA} .role-mark path[aria-label*='goal: <img src=x'][aria-label*='(100%)']"
                ).first.hover()
                tip = page.locator("#vg-tooltip-element")
                tip.get_by_text("<img src=x onerror=alert(1)>", exact=True).wait_for()
                assert tip.locator("img, a").count() == 0
            if tab == "Where rejections happen":  # a theme named <img …> is an axis label, shown as typed
                page.locator(f"{VEGA} .role-axis-label text", has_text="<img src=x onerror=alert(1)>").first.wait_for()
            if tab == "Resilience":  # …and a company in a bounce-back dot's tooltip
                page.locator(f"{VEGA} .role-mark path[aria-label*='<a href=']").first.hover()
                tip = page.locator("#vg-tooltip-element")
                tip.get_by_text('<a href="http://evil.test">x</a>', exact=False).first.wait_for()
                assert tip.locator("img, a").count() == 0
        page.screenshot(path=str(_shots(tmp_path) / "hostile-progress.png"))
        # the data behind the charts: a theme or company like =HYPERLINK(…) stays text in a spreadsheet
        for tab, name in (("Where rejections happen", "rebound-themes.csv"), ("Resilience", "rebound-bounce-back.csv")):
            page.get_by_role("tab", name=tab).click()
            wait_idle(page)
            # by its key, not its place: which tabs' buttons are in the page varies with timing
            button = page.locator(f".st-key-progress_dl_{name.removeprefix('rebound-').removesuffix('.csv')} button")
            button.wait_for()
            with page.expect_download(timeout=60_000) as download:  # its file is made on the click's rerun
                button.click()
            assert download.value.suggested_filename == name
            cells = [
                c for row in csv.reader(io.StringIO(Path(download.value.path()).read_text("utf-8-sig"))) for c in row
            ]
            assert any(c.startswith("'=hyperlink") or c.startswith("'=HYPERLINK") for c in cells), (name, cells[:20])
            assert not any(c[:1] in ("=", "+", "@") for c in cells), name
        page.goto(f"{server.url}/goals")
        wait_idle(page)
        page.locator("[data-testid='stProgress']", has_text="<img src=x onerror=alert(1)>: 0 of 1").wait_for()
        row = page.locator("[data-testid='stHorizontalBlock']", has_text="<img src=x onerror=alert(1)>: 0 of 1").last
        row.get_by_role("button").first.click()  # "done one more time"
        toast = wait_for_toast(page, "Goal reached: <img src=x onerror=alert(1)>")
        assert "Goal reached: <img src=x onerror=alert(1)>" in toast.inner_text()  # as typed, not an image
        assert toast.locator("img, a").count() == 0
        wait_idle(page)
        page.screenshot(path=str(_shots(tmp_path) / "hostile-goals-toast.png"))
    finally:
        server.stop()
