"""The benchmark harness on tiny scales: it builds, measures, checks targets and writes JSON.

Not a timed test: nothing here asserts a duration, so a slow machine cannot fail it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # the benchmark lives beside the package, in benchmarks/

from benchmarks import bench  # noqa: E402
from rebound.db import Database  # noqa: E402
from rebound.store import Store  # noqa: E402


def test_pages_in_app_are_every_page_default_first():
    pages = bench.pages_in_app()
    assert set(pages) == {f"pages/{f.name}" for f in (ROOT / "pages").glob("*.py") if f.name != "__init__.py"}
    assert pages[0] == "pages/today.py"  # the default page
    assert len(pages) == len(set(pages))


def _small(path) -> Database:
    from rebound.demo import generate

    db = Database(str(path))
    generate(Store(db, bench.HEAVY_USER), weeks=4, seed=3, per_week=(3, 5), follow_ups=(1, 2))
    return db


def test_follow_ups_add_events_only_when_asked(tmp_path):
    from rebound.demo import generate

    counts = {}
    for name, extra in (("plain", {}), ("follow", {"follow_ups": (2, 3)})):
        db = Database(str(tmp_path / f"{name}.duckdb"))
        generate(Store(db, "local"), weeks=6, seed=5, today=dt.date(2026, 11, 25), **extra)
        counts[name] = dict(db.cursor().execute("SELECT kind, count(*) FROM events GROUP BY 1").fetchall())
        if name == "follow":
            bad = (
                db.cursor()
                .execute(
                    "SELECT count(*) FROM events f JOIN applications a ON a.id = f.application_id"
                    " WHERE f.kind = 'followed_up' AND (f.happened_on <= a.applied_on OR f.happened_on >"
                    " (SELECT coalesce(min(e.happened_on), DATE '2999-01-01') FROM events e WHERE e.application_id ="
                    " f.application_id AND e.kind IN ('rejected', 'ghosted', 'withdrawn', 'accepted')))"
                )
                .fetchone()[0]
            )
            assert bad == 0, "follow-ups fall after applying and before the application closed"
        db.close()
    assert "followed_up" not in counts["plain"]
    assert counts["follow"]["followed_up"] > 0


def test_cohort_copy_gives_each_user_the_same_data_with_fresh_ids(tmp_path):
    db = _small(tmp_path / "c.duckdb")
    local = Store(db, bench.HEAVY_USER)
    before = local.applications.all()
    mine = bench.table_counts(db)
    bench.copy_users(db, bench.HEAVY_USER, ["u1", "u2"])
    cur = db.cursor()
    for user in ("u1", "u2"):
        assert bench.table_counts(db, user) == mine
        orphans = cur.execute(
            "SELECT count(*) FROM events e WHERE e.user_id = ? AND NOT EXISTS (SELECT 1 FROM applications a"
            " WHERE a.id = e.application_id AND a.user_id = e.user_id)",
            [user],
        ).fetchone()[0]
        assert orphans == 0, "each copy's events point at that copy's applications"
    assert bench.table_counts(db, None)["users"] == 3
    assert local.applications.all().equals(before)
    # The sequence moved past the copies: new rows get fresh ids.
    new_id = Store(db, "u2").applications.add("Acme", "Analyst", "referral", dt.date.today())
    assert cur.execute("SELECT count(*) FROM applications WHERE id = ?", [new_id]).fetchone()[0] == 1
    db.close()


@pytest.mark.slow
def test_the_cohort_takes_new_rows_once_opened_again(tmp_path):
    """The cohort as the benchmark builds and opens it: three years of the heavy user, copied.
    The sequence moved past the copies fell back once the file was closed (DuckDB kept what a
    read-only statement drew only in memory), and every page's first rerun after a write took a
    copied id."""
    heavy, cohort = tmp_path / "heavy.duckdb", tmp_path / "cohort.duckdb"
    bench.build_heavy(heavy, {"weeks": 156, "profile": "heavy"}, dt.date.today())
    bench.build_cohort(cohort, heavy, 3)
    db = Database(str(cohort))
    try:
        for n in range(3):
            Store(db, bench.HEAVY_USER).applications.add(f"Benchmark write {n}", "Analyst", "referral", dt.date.today())
    finally:
        db.close()


@pytest.mark.slow
def test_the_demo_command_makes_the_benchmarks_heavy_user(tmp_path):
    from rebound import cli

    today = dt.date.today()
    made = tmp_path / "cli.duckdb"
    assert cli.main(["demo", "--db", str(made), "--profile", "heavy", "--years", "1"]) == 0
    built = tmp_path / "bench.duckdb"
    bench.build_heavy(built, {**bench.FULL, "weeks": 52}, today)
    a, b = Database(str(made)), Database(str(built))
    try:
        assert bench.table_counts(a) == bench.table_counts(b)
        assert bench.table_counts(a)["applications"] > 900  # 15-24 a week
        cols = ["company", "role", "channel", "applied_on", "status"]
        assert Store(a, "local").applications.all()[cols].equals(Store(b, "local").applications.all()[cols])
    finally:
        a.close()
        b.close()


def test_linkedin_export_has_the_real_header_and_dates():
    text = bench.linkedin_csv(20, today=dt.date(2026, 11, 25)).decode()
    lines = text.splitlines()
    assert lines[0] == (
        "Application Date,Contact Email,Contact Phone Number,Company Name,Job Title,Job Url,"
        "Resume Name,Question And Answers"
    )
    assert len(lines) == 21
    assert re.match(r'"?\d{1,2}/\d{1,2}/\d{2}, \d{1,2}:\d{2} (AM|PM)"?,', lines[1])


def test_linkedin_export_imports_every_row(tmp_path):
    importers = pytest.importorskip("rebound.importing")
    db = Database(str(tmp_path / "i.duckdb"))
    store = Store(db, "local")
    plan, written = importers.import_files(store, [("Job Applications.csv", bench.linkedin_csv(60))])
    assert written["applications"] == 60 == store.applications.count()
    db.close()


def _fake(pages: dict, cold=None, imp=None) -> dict:
    return {
        "scales": {"empty": {}, "heavy": {}, "cohort": {}},
        "pages": pages,
        "cold_start": cold or {},
        "import": imp or {},
    }


def test_targets_pass_and_fail_on_the_right_side_of_each_limit():
    results = _fake(
        {
            "fast": {"empty": {"median_ms": 100}, "heavy": {"median_ms": 140}, "cohort": {"median_ms": 150}},
            "slow": {"empty": {"median_ms": 100}, "heavy": {"median_ms": 260}, "cohort": {"median_ms": 400}},
            "broken": {"empty": {"error": "boom"}, "heavy": {"median_ms": 50}},
        },
        cold={"hello": {"median_s": 2.0}, "Rebound, heavy db": {"median_s": 3.1}, bench.DATA_HELLO: {"median_s": 2.6}},
        imp={"rows": 10_000, "median_s": 2.0, "progress_calls": 5},
    )
    checks = {c["target"]: c["pass"] for c in bench.check_targets(results)}
    assert checks["fast: heavy ≤ 1.5× empty"] and checks["fast: heavy < 250 ms"]
    assert checks["fast: cohort ≤ 1.2× heavy"]
    assert checks["slow: heavy ≤ 1.5× empty"] is False  # 2.6×
    assert checks["slow: heavy < 250 ms"] is False
    assert checks["slow: cohort ≤ 1.2× heavy"] is False
    assert checks["broken: heavy ≤ 1.5× empty"] is None  # no figure: neither pass nor fail
    assert checks["cold start (Rebound, heavy db) ≤ 1.5× hello-world"] is False  # 1.55×
    assert not any(bench.DATA_HELLO in target for target in checks)  # the data floor is reported only
    assert checks["import 10,000 LinkedIn rows < 5 s"] is True
    assert checks["import reports progress"] is True


def test_scaling_is_judged_against_the_starter_database_with_heavy_over_empty_still_printed():
    results = _fake(
        {"pages/today.py": {"empty": {"median_ms": 20}, "starter": {"median_ms": 50}, "heavy": {"median_ms": 60}}}
    )
    results["scales"]["starter"] = {}
    checks = {c["target"]: c for c in bench.check_targets(results)}
    today = checks["pages/today.py: heavy ≤ 1.5× starter"]
    assert today["pass"] and today["value"] == pytest.approx(1.2)
    assert not any(t.endswith("× empty") for t in checks)
    results.update(machine=bench.machine(), started="now")
    table = bench.render(results)
    assert "3.00×" in table and "1.20×" in table  # heavy/empty still shown, next to heavy/starter
    assert "targets compare heavy with starter" in table


def test_rounds_pool_their_reruns():
    by_scale: dict = {}
    bench.merge_runs(
        by_scale, "heavy", {"first_ms": 90, "median_ms": 10, "runs_ms": [10, 12], "cpu_ms": 8, "cpu_runs_ms": [8, 9]}
    )
    bench.merge_runs(
        by_scale,
        "heavy",
        {"first_ms": 50, "median_ms": 30, "runs_ms": [30, 31, 32], "cpu_ms": 20, "cpu_runs_ms": [20, 21, 22]},
    )
    heavy = by_scale["heavy"]
    assert heavy["runs_ms"] == [10, 12, 30, 31, 32] and heavy["median_ms"] == 30
    assert heavy["cpu_ms"] == 20 and heavy["first_ms"] == 90  # the first run comes from the first round
    bench.merge_runs(by_scale, "heavy", {"error": "boom"})
    assert by_scale["heavy"] == {"error": "boom"}  # a page that broke in any round is reported broken


@pytest.mark.slow
def test_quick_run_writes_json_and_a_table(tmp_path, capsys):
    out = tmp_path / "bench.json"
    code = bench.main(
        [
            "--quick",
            "--out",
            str(out),
            "--cache",
            str(tmp_path / "db"),
            "--skip-cold",
            "--skip-browser",
            "--years",
            "1,3",
            "--pages",
            "pages/today.py",
            "pages/outcomes.py",
            "--runs",
            "1",
            "--warmup",
            "0",
            "--users",
            "2",
            "--import-rows",
            "100",
        ]
    )
    assert code == 0
    results = json.loads(out.read_text())
    assert results["floor"]["hello"]["median_ms"] > 0
    for page in ("pages/today.py", "pages/outcomes.py"):
        for scale in ("empty", "starter", "heavy", "cohort"):
            entry = results["pages"][page][scale]
            assert "error" not in entry, entry
            assert entry["median_ms"] > 0 and len(entry["runs_ms"]) == 1
    assert results["scales"]["heavy"]["counts"]["applications"] > 0
    assert (
        0
        < results["scales"]["starter"]["counts"]["applications"]
        < results["scales"]["heavy"]["counts"]["applications"]
    )
    assert results["scales"]["cohort"]["all_users"]["users"] == 2
    targets = [t["target"] for t in results["targets"]]
    assert "pages/today.py: heavy ≤ 1.5× starter" in targets and "pages/outcomes.py: heavy ≤ 1.5× starter" in targets
    assert results["analytics"]["store.applications()"]["heavy"]["median_ms"] > 0
    assert results["import"].get("applications") == 100 or "skipped" in results["import"]
    assert results["targets"] and all("pass" in t for t in results["targets"])
    printed = capsys.readouterr().out
    assert "Warm rerun" in printed and "Targets:" in printed
    # Growth: the heavy user over 1 and 3 "years" (QUICK's tiny version), with the first visit after a write.
    assert set(results["growth"]) == {"1y", "3y"}
    for label in ("1y", "3y"):
        assert results["growth"][label]["pages"]["pages/today.py"]["after_write_ms"] > 0
        assert results["growth"][label]["analytics"]["store.rejection_recovery()"]["median_ms"] > 0
    assert results["pages"]["pages/today.py"]["heavy"]["after_write_ms"] > 0
    assert "Growth: the heavy user" in printed and "after a write pages/today.py" in printed
    # A second run reuses the cached databases.
    bench.main(
        [
            "--quick",
            "--out",
            str(out),
            "--cache",
            str(tmp_path / "db"),
            "--skip-cold",
            "--skip-import",
            "--skip-browser",
            "--skip-growth",
            "--skip-analytics",
            "--pages",
            "pages/today.py",
            "--runs",
            "1",
            "--warmup",
            "0",
            "--users",
            "2",
        ]
    )
    assert json.loads(out.read_text())["scales"]["heavy"]["cached"] is True


def _browser_result(plotly_on_today: bool = False) -> dict:
    page = {
        "first_s": 3.0,
        "return_s": 1.2,
        "first_x": 1.5,
        "return_x": 1.2,
        "return_x_chart": 1.6,
        "return_x_chart_rounds": {"x": 1.6, "x_min": 1.4, "x_max": 1.9, "rounds": 5},
        "js_first": 3e6,
        "js_return": 0,
        "charts": {"plotly": 0, "vega": 1},
        "largest_js": [["PlotlyChart.D9.js", 4.7e6]] if plotly_on_today else [["embed.CX.js", 7e5]],
    }
    return {
        "heavy": {
            "rounds": 5,
            "hello": {
                "first_s": 2.0,
                "return_s": 1.0,
                "click_s": 0.1,
                "js_first": 2e6,
                "js_return": 0,
                "deep_first_s": 2.2,
                "deep_return_s": 1.1,
                "switch_s": 0.1,
                "chart_first_s": 2.1,
                "chart_return_s": 1.1,
            },
            "pages": {
                "pages/today.py": page,
                "pages/goals.py": {**page, "return_x_chart": 1.4, "switch_s": 0.2, "switch_x_chart": 2.0},
            },
            "tabs": {"Funnel": {"s": 0.3, "x": 3.0, "x_chart_tab": 1.2, "js": 0, "charts": {"plotly": 2, "vega": 0}}},
            "actions": {
                "save a check-in": {
                    "s": 0.12,
                    "x": 1.2,
                    "x_chart": 1.5,
                    "x_chart_rounds": {"x": 1.5, "x_min": 1.25, "x_max": 3.0, "rounds": 5},
                },
                "rerun Check-in (nothing changed)": {"s": 0.08, "x": 0.8, "x_chart": 3.0},
            },
            "progress_after_write": {"s": 2.0, "x": 2.0},
        }
    }


def test_browser_targets_and_table():
    results = _fake({})
    results["browser"] = _browser_result()
    checks = {c["target"]: c["pass"] for c in bench.check_targets(results)}
    assert checks["browser pages/today.py: first visit ≤ 1.5× hello-world"] is True  # exactly 1.5
    assert checks["browser pages/today.py: return visit ≤ 1.5× the one-chart floor reached the same way"] is False
    assert checks["browser pages/goals.py: return visit ≤ 1.5× the one-chart floor reached the same way"] is True
    assert checks["browser Progress tab Funnel: click ≤ 1.5× the chart-tab floor"] is True
    assert checks["browser save a check-in: click ≤ 1.5× a click on the one-chart floor"] is True
    assert checks["browser pages/goals.py: switch to it in the sidebar ≤ 1.5× the one-chart floor's"] is False
    assert not any(t.startswith("browser pages/today.py: switch") for t in checks)  # not measured there
    assert not any(t.startswith("browser rerun") for t in checks)  # a page's rerun is a floor, not a target
    assert not any("bundle" in t for t in checks)
    results["browser"] = _browser_result(plotly_on_today=True)
    checks = {c["target"]: c["pass"] for c in bench.check_targets(results)}
    assert checks["browser pages/today.py: no plotly bundle without a plotly chart"] is False
    results.update(machine=bench.machine(), started="now")
    table = bench.render(results)
    assert "Browser on heavy, app.py" in table and "5 interleaved rounds" in table
    assert "Progress, first visit after a write: 2.00 s" in table
    assert "a switch in the sidebar 0.10 s" in table and "0.20s" in table
    assert "1.60× (1.40–1.90)" in table  # a return visit: the median per-round ratio and its spread
    assert "×c 1.50× (1.25–3.00)" in table


def _raw(rounds: list[dict], pages: dict, **more) -> dict:
    return {
        "default_page": "pages/today.py",
        "floors": rounds,
        "pages": pages,
        "switches": {},
        "tabs": {},
        "actions": {},
        "progress_after_write_s": [],
        "flow": [],
        **more,
    }


def _floors(scale: float) -> dict:
    """One round's floors, every figure times `scale` (a round on a slower moment)."""
    return {
        "hello": {k: v * scale for k, v in {"first_s": 2.0, "return_s": 1.0, "click_s": 0.1, "rerun_s": 0.1}.items()},
        "hello_nav": {"deep_first_s": 2.5 * scale, "deep_return_s": 1.5 * scale, "switch_s": 0.08 * scale},
        "hello_chart": {
            "first_s": 2.0 * scale,
            "return_s": 1.0 * scale,
            "deep_first_s": 2.4 * scale,
            "deep_return_s": 1.2 * scale,
            "click_s": 0.2 * scale,
            "rerun_s": 0.1 * scale,
            "switch_s": 0.1 * scale,
        },
    }


def test_each_page_is_read_against_floors_of_the_same_kind():
    from benchmarks import browser as harness

    def visit(first, back):
        return {"first_s": first, "return_s": back, "js_first": 1, "js_return": 0, "charts": {}, "largest_js": []}

    raw = _raw(
        [_floors(1.0)],
        {"pages/today.py": [visit(3.0, 1.2)], "pages/goals.py": [visit(3.0, 1.2)]},
        switches={"pages/today.py": [0.15]},
        actions={"save a check-in": [0.3], "rerun Check-in (nothing changed)": [0.12]},
    )
    summary = harness.summarize(raw)
    pages = summary["pages"]
    assert pages["pages/today.py"]["first_x_same_way"] == pytest.approx(1.5)  # the root: hello-world's own visit
    assert pages["pages/goals.py"]["first_x_same_way"] == pytest.approx(1.2)  # its address: the deep-link floor
    assert pages["pages/goals.py"]["return_x_same_way"] == pytest.approx(0.8)
    assert pages["pages/today.py"]["return_x_chart"] == pytest.approx(1.2)  # ÷ the chart floor at its root
    assert pages["pages/goals.py"]["return_x_chart"] == pytest.approx(1.0)  # ÷ the chart floor at /other
    assert pages["pages/today.py"]["switch_x_chart"] == pytest.approx(1.5)
    assert "switch_s" not in pages["pages/goals.py"]
    actions = summary["actions"]
    assert actions["save a check-in"]["x_chart"] == pytest.approx(1.5)  # a click ÷ a click
    assert actions["rerun Check-in (nothing changed)"]["x_chart"] == pytest.approx(1.2)  # R ÷ R
    assert "x_page_rerun" not in actions["save a check-in"]  # no click ÷ R


def test_ratios_are_taken_round_by_round_then_their_median_and_spread():
    from benchmarks import browser as harness

    # Three rounds on a machine whose speed changes from round to round: Rebound is 1.5× its floor
    # in each, which the ratio of the medians (2.4 / 1.2 = 2.0×) would not say.
    backs = [1.2 * 1.5, 1.2 * 2.0 * 1.5, 1.2 * 3.0 * 1.5]
    visits = [
        {"first_s": 3.0, "return_s": b, "js_first": 1, "js_return": 0, "charts": {}, "largest_js": []} for b in backs
    ]
    skewed = [_floors(1.0), _floors(2.0), _floors(3.0)]
    skewed[2]["hello_chart"]["deep_return_s"] = 1.2 * 3.0 * 1.5 / 1.8  # one round at 1.8×
    summary = harness.summarize(_raw(skewed, {"pages/goals.py": visits}))
    r = summary["pages"]["pages/goals.py"]["return_x_chart_rounds"]
    assert r == {"x": pytest.approx(1.5), "x_min": pytest.approx(1.5), "x_max": pytest.approx(1.8), "rounds": 3}
    assert summary["rounds"] == 3
    assert harness.per_round([1.0, None, 2.0], [0.5, 1.0, None]) == {"x": 2.0, "x_min": 2.0, "x_max": 2.0, "rounds": 1}


def test_growth_exponent_tells_linear_from_quadratic():
    assert bench.growth_exponent([(1, 10), (10, 100), (30, 300)]) == pytest.approx(1.0)
    assert bench.growth_exponent([(1, 1), (10, 100), (30, 900)]) == pytest.approx(2.0)
    assert bench.growth_exponent([(1, 5)]) is None


def test_growth_targets_compare_30_years_with_3():
    results = _fake({})
    results["growth"] = {
        "3y": {"pages": {"pages/progress.py": {"after_write_ms": 400}}},
        "30y": {"pages": {"pages/progress.py": {"after_write_ms": 1300}}},
    }
    checks = {c["target"]: c for c in bench.check_targets(results)}
    assert checks["Progress first visit after a write, 30 years < 1000 ms"]["pass"] is False
    assert checks["Progress first visit after a write, 30 years ≤ 3.0× 3 years"]["value"] == pytest.approx(3.25)


@pytest.mark.browser
def test_the_browser_harness_waits_for_the_rerun_a_click_caused(tmp_path, browser):
    """Settled means the server finished the run the click caused: its output is on the page."""
    from benchmarks import browser as harness

    # The session's Chromium (conftest): a second sync Playwright in one process refuses to start.
    script = tmp_path / "hello.py"
    script.write_text(harness.HELLO_BROWSER_APP)
    with harness.Server(str(script)) as server:
        tab = harness.Tab(browser)
        try:
            first, js_first = tab.visit(server.url)
            back, js_back = tab.visit(server.url)
            for _ in range(3):  # a fast rerun may never show 'running' in the DOM: counted from the socket
                took = tab.click(tab.page.get_by_role("button", name="Click me"))
                assert tab.page.get_by_text("Clicked.").count() == 1 and took > 0
            runs = tab.page.evaluate("window.__benchFinished")
            assert harness.page_rerun(tab) > 0  # R: the script ran once more, and the page settled
            assert tab.page.evaluate("window.__benchFinished") == runs + 1
        finally:
            tab.close()
    assert first > 0 and back > 0
    assert js_first["bytes"] > 1_000_000  # Streamlit's own bundle came over the network …
    assert js_back["bytes"] == 0 and js_back["cached"] > 10  # … and from the cache on the return visit


@pytest.mark.browser
def test_page_switches_wait_for_the_page_the_sidebar_link_opened(tmp_path, browser):
    from benchmarks import browser as harness

    script = tmp_path / "two_pages.py"
    script.write_text(harness.HELLO_NAV_APP)
    with harness.Server(str(script)) as server:
        tab = harness.Tab(browser)
        try:
            took = harness.page_switches(tab, server.url, {"hello": "", "other": "other"})
            assert list(took) == ["other", "hello"] and all(t > 0 for t in took.values())
            assert tab.page.get_by_role("heading", name="Hello, world").count() == 1  # the last switch, drawn
            tab.click(harness._sidebar_link(tab, server.url, "other"))
            assert tab.page.get_by_text("Another page with nothing on it.").count() == 1
        finally:
            tab.close()
        floor = harness.measure_hello_nav(browser, server.url, rounds=1)
    assert all(floor[k] > 0 for k in harness.HELLO_NAV)


@pytest.mark.browser
def test_the_one_chart_floor_is_measured_every_way_rebound_is_reached(tmp_path, browser):
    from benchmarks import browser as harness

    script = tmp_path / "one_chart.py"
    script.write_text(harness.HELLO_CHART_APP)
    with harness.Server(str(script)) as server:
        floor = harness.measure_hello_chart(browser, server.url, rounds=1)
        tab = harness.Tab(browser)
        try:
            tab.visit(f"{server.url}/other")
            assert tab.charts() == {"plotly": 0, "vega": 1}  # its one chart, drawn (settled waits for it)
            assert tab.page.get_by_role("heading", name="Another page").count() == 1
            tab.click(tab.page.get_by_role("button", name="Click me"))
            assert tab.page.get_by_text("Clicked.").count() == 1
        finally:
            tab.close()
    assert set(floor) == set(harness.HELLO_CHART)
    assert all(floor[k] > 0 for k in harness.HELLO_CHART)


def test_the_probe_comparison_prints_both_ways_and_where_the_health_check_was_asked():
    from benchmarks import browser as harness

    def side(a: float, b: float, asked: tuple) -> dict:
        return {
            "median_s": {"progress": {"app.py": a, "serve.py": b}},
            "ratio": {"progress": harness.per_round([b, b * 1.2], [a, a])},
            "health_asked_ms": {"progress": {"app.py": asked[0], "serve.py": asked[1]}},
        }

    lines = harness.render_probe({"rebound": side(0.6, 0.5, (180, 60)), "floor": side(0.3, 0.25, (150, 40))})
    text = "\n".join(lines)
    assert "Rebound /progress: app.py 0.600 s, serve.py 0.500 s, 0.92× (0.83–1.00) over 2 rounds" in text
    assert "asked 180 ms after the navigation started (app.py) against 60 ms (serve.py)" in text
    assert "two-page hello-world /progress" in text
