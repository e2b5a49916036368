"""Real browser: issue 14's leftovers on Goals and Data — one emoji per win, no "None" in the momentum
table, the import's "settle old silences" step with the same Undo as Today and Outcomes (its ghosting
dated when each silence became long), and a private session's restore not promising a copy aside."""

import datetime as dt

import pytest
from conftest import AppServer, wait_idle
from playwright.sync_api import expect
from test_browser_journey import QUIET_ROWS, UPLOAD, linkedin_export, nav, no_exception

from rebound.db import Database
from rebound.store import Store

pytestmark = pytest.mark.browser


def _seed(db_path, fill) -> None:
    db = Database(db_path)
    try:
        fill(Store(db, "local"))
    finally:
        db.close()


def _tab(page, url: str, path: str, tab: str) -> None:
    page.goto(f"{url}/{path}")
    wait_idle(page)
    page.get_by_role("tab", name=tab).click()
    wait_idle(page)
    no_exception(page)


def test_a_counted_win_shows_its_emoji_once(db_path, browser):
    today = dt.date.today()  # the server's clock (browser tests keep the real one)

    def fill(store):
        app = store.applications.add("Kōwhai & Co", "Data Analyst", "referral", today - dt.timedelta(days=6))
        store.applications.add_event(app, "screen", today)

    _seed(db_path, fill)
    server = AppServer(db_path)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        page.set_default_timeout(20_000)
        _tab(page, server.url, "goals", "🏆 Wins")
        main = page.get_by_test_id("stMain")
        line = main.get_by_text("Kōwhai & Co asked you for a screening call (Data Analyst)")
        expect(line).to_have_count(1)
        assert line.inner_text().count("📞") == 1  # the suggestion
        main.get_by_role("button", name="Count it").click()
        wait_idle(page)
        counted = main.get_by_text("Kōwhai & Co asked you for a screening call (Data Analyst) ·")
        expect(counted).to_have_count(1)
        assert counted.inner_text().count("📞") == 1  # the win: its kind's emoji, not that and the title's
    finally:
        context.close()
        server.stop()


def test_the_momentum_table_says_which_weeks_had_no_such_goal(db_path, browser):
    today = dt.date.today()  # the server's clock (browser tests keep the real one)
    monday = today - dt.timedelta(days=today.weekday())

    def fill(store):
        store.goals.add(monday - dt.timedelta(days=14), "applications", 3)
        store.goals.add(monday, "networking", 2)

    _seed(db_path, fill)
    server = AppServer(db_path)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        page.set_default_timeout(20_000)
        _tab(page, server.url, "goals", "📈 Momentum")
        grid = page.locator("[data-testid='stDataFrame']").last
        grid.wait_for()
        # The grid is drawn on a canvas, which draws an empty cell as a grey "None"; its accessible table
        # holds the cells' text (empty for such a cell).
        read = """g => [...g.querySelectorAll('tr')].map(r => [...r.querySelectorAll('th, td')]
                         .map(c => c.textContent.trim()))"""
        for _ in range(100):  # until the grid has drawn its rows
            rows = grid.evaluate(read)
            if len(rows) == 4 and "Networking contacts" in rows[0]:
                break
            page.wait_for_timeout(100)
        header = rows[0]
        body = [row for row in rows[1:] if len(row) == len(header)]
        goals = [header.index("Applications"), header.index("Networking contacts")]
        assert [[row[i] for i in goals] for row in body] == [["—", "0/2"], ["—", "—"], ["0/3", "—"]]
    finally:
        context.close()
        server.stop()


def test_the_imports_old_silences_are_settled_with_an_undo_and_dated_when_they_went_quiet(db_path, browser, tmp_path):
    server = AppServer(db_path)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    total = 4 + QUIET_ROWS
    try:
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.goto(f"{server.url}/data")
        wait_idle(page)
        main = page.get_by_test_id("stMain")
        page.locator(UPLOAD).set_input_files([str(linkedin_export(tmp_path))])
        wait_idle(page)
        main.get_by_role("button", name=f"Import {total} applications").click()
        wait_idle(page)
        main.get_by_text(f"{total} of these have had no answer for over 21 days").wait_for()
        main.get_by_role("button", name=f"Mark {total} as ghosted").click()
        wait_idle(page)
        no_exception(page)
        main.get_by_text(f"Marked {total} quiet applications as ghosted.").wait_for()  # the shared Undo offer
        main.get_by_role("button", name="Undo").click()
        wait_idle(page)
        page.get_by_text(f"Undone: {total} back to waiting.").wait_for()
        expect(main.get_by_role("button", name="Undo")).to_have_count(0)
        # Today offers the same step for all of them; this time it stays
        page.goto(server.url)
        wait_idle(page)
        main.get_by_role("button", name=f"Mark {total} as ghosted").click()
        wait_idle(page)
        main.get_by_role("button", name="OK").click()
        wait_idle(page)
        no_exception(page)
    finally:
        context.close()
        server.stop()
    db = Database(db_path)
    try:
        store = Store(db, "local")
        after = store.settings.get_int("ghost_after_days")
        rows = store.scope.rows(
            "SELECT a.applied_on, e.happened_on FROM events e JOIN applications a"
            " ON a.id = e.application_id WHERE e.user_id = $user AND e.kind = 'ghosted'"
        )
        assert len(rows) == total
        # never answered: quiet since they were sent, so ghosted `after` days later, not today
        assert all(ghosted == applied + dt.timedelta(days=after) for applied, ghosted in rows)
    finally:
        db.close()


def test_a_private_session_does_not_promise_to_keep_a_copy_aside(db_path, browser, monkeypatch):
    monkeypatch.setenv("REBOUND_HOSTED", "1")
    server = AppServer(db_path)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto(server.url)
        wait_idle(page)
        page.get_by_role("button", name="Try a private demo session").click()
        wait_idle(page)
        nav(page, "Data")  # in this session: a new page load would start another
        main = page.get_by_test_id("stMain")
        main.get_by_role("tab", name="🛟 Backup & restore").click()
        wait_idle(page)
        main.get_by_text("This private session keeps nothing").wait_for()
        expect(main.get_by_text("saved aside as a backup file")).to_have_count(0)
    finally:
        context.close()
        server.stop()


def test_your_own_data_is_kept_aside_before_a_restore(app_server, page):
    _tab(page, app_server.url, "data", "🛟 Backup & restore")
    page.get_by_test_id("stMain").get_by_text("your current data is saved aside as a backup file").wait_for()
