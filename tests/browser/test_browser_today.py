"""Real Chromium: Today after an imported history, at phone width, in both colour schemes.

- many long-quiet applications are one line with one reversible action, not hundreds (issue 14, item 10);
- at 390x844 the sidebar closes once a page is picked (item 13);
- Today and Outcomes render without an exception at desktop and phone width, light and dark
  (screenshots kept in REBOUND_SHOTS when set, else in the test's temporary folder).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from conftest import wait_idle

from rebound.db import Database
from rebound.store import Store

pytestmark = pytest.mark.browser

D = dt.timedelta
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1400, "height": 1000}
QUIET = 60


@pytest.fixture
def quiet_history(db_path):
    """An imported history: QUIET applications never answered, a few recent ones, one interview."""
    today = dt.date.today()  # the server's clock (browser tests keep the real one)
    db = Database(db_path)
    store = Store(db, "local")
    for i in range(QUIET):
        store.applications.add(f"Silent {i:02d}", "Data Analyst", "job board", today - D(days=40 + i * 9))
    for i in range(2):
        store.applications.add(f"Recent {i}", "Data Analyst", "referral", today - D(days=i))
    live = store.applications.add("Live Co", "Analyst", "referral", today - D(days=12))
    store.applications.add_event(live, "interview", today - D(days=2), round=1)
    db.close()
    return db_path


def statuses(app_server, db_path) -> dict:
    app_server.stop()
    db = Database(db_path)
    apps = Store(db, "local").applications.all()
    db.close()
    return dict(zip(apps["company"], apps["status"]))


def test_an_imported_history_is_one_line_with_one_reversible_action(quiet_history, app_server, page, db_path):
    page.goto(app_server.url)
    wait_idle(page)
    main = page.locator("[data-testid='stMain']")
    main.get_by_text(f"{QUIET} applications have had no answer for 21 days or more").wait_for()
    # The line's button is drawn a moment after its text (same run, later delta): wait for it, then count.
    main.get_by_role("button", name=f"Mark {QUIET} as ghosted").wait_for()
    assert main.get_by_text("No answer from Silent").count() == 0  # not one line per application
    assert main.get_by_role("button", name="as ghosted").count() == 1
    main.get_by_role("button", name=f"Mark {QUIET} as ghosted").click()
    wait_idle(page)
    main.get_by_text(f"Marked {QUIET} quiet applications as ghosted").wait_for()
    main.get_by_text("can be reopened on Outcomes").wait_for()
    assert main.get_by_text("have had no answer").count() == 0
    main.get_by_role("button", name="Undo").click()
    wait_idle(page)
    main.get_by_text(f"{QUIET} applications have had no answer").wait_for()
    main.get_by_role("button", name=f"Mark {QUIET} as ghosted").click()  # settle for good this time
    wait_idle(page)
    main.get_by_role("button", name="OK").click()
    wait_idle(page)
    assert main.get_by_role("button", name="Undo").count() == 0

    found = statuses(app_server, db_path)
    assert sum(s == "ghosted" for s in found.values()) == QUIET
    assert (found["Recent 0"], found["Recent 1"], found["Live Co"]) == ("applied", "applied", "interview")


def test_outcomes_offers_the_same_one_step_for_its_waiting_list(quiet_history, app_server, page, db_path):
    page.goto(f"{app_server.url}/outcomes")
    wait_idle(page)
    main = page.locator("[data-testid='stMain']")
    main.get_by_text(f"{QUIET} waiting on an answer").click()
    wait_idle(page)
    main.get_by_text(f"{QUIET} have had no answer for 21 days or more").wait_for()
    main.get_by_role("button", name=f"Mark {QUIET} as ghosted").click()
    wait_idle(page)
    main.get_by_text(f"Marked {QUIET} quiet applications as ghosted").wait_for()
    assert sum(s == "ghosted" for s in statuses(app_server, db_path).values()) == QUIET


def test_at_phone_width_the_sidebar_closes_after_picking_a_page(quiet_history, app_server, browser):
    """A narrow window with a desktop browser's user agent: Streamlit alone closes it only on phones."""
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(app_server.url)
        wait_idle(page)
        sidebar = page.get_by_test_id("stSidebar")
        page.get_by_test_id("stExpandSidebarButton").click()
        page.wait_for_function("document.querySelector(\"[data-testid='stSidebar']\").dataset.collapsed === 'false'")
        page.locator(".st-key-rebound_nav").get_by_role("link", name="Outcomes").click()
        wait_idle(page)
        page.wait_for_function(
            "document.querySelector(\"[data-testid='stSidebar']\").dataset.collapsed === 'true'", timeout=5_000
        )
        page.get_by_role("heading", name="Outcomes").first.wait_for()
        assert sidebar.bounding_box() is None or sidebar.bounding_box()["x"] + sidebar.bounding_box()["width"] <= 0
    finally:
        context.close()


def shots_dir(tmp_path) -> Path:
    folder = Path(os.environ.get("REBOUND_SHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_today_and_outcomes_render_at_desktop_and_phone(quiet_history, app_server, browser, scheme, tmp_path):
    folder = shots_dir(tmp_path)
    for size_name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        context = browser.new_context(viewport=viewport, color_scheme=scheme)
        try:
            page = context.new_page()
            for name, path in (("today", ""), ("outcomes", "/outcomes")):
                page.goto(app_server.url + path)
                wait_idle(page)
                page.get_by_role("heading", name=name.capitalize()).first.wait_for()
                page.wait_for_timeout(500)  # charts and fonts settle
                assert page.get_by_test_id("stException").count() == 0, (name, size_name, scheme)
                page.screenshot(path=str(folder / f"{name}_{size_name}_{scheme}.png"))
        finally:
            context.close()


@pytest.fixture
def linkedin_history(db_path):
    """LinkedIn's 'Job Applications' export (2023): every application long silent."""
    from conftest import ROOT

    from rebound.importing import import_files

    files = sorted((ROOT / "tests" / "fixtures").glob("Job Applications*.csv"))
    db = Database(db_path)
    store = Store(db, "local")
    import_files(store, [(f.name, f.read_bytes()) for f in files])
    count = store.applications.count()
    db.close()
    assert count >= 5
    return count


def test_imported_linkedin_history_settle_then_log_a_rejection_for_the_chosen_one(
    linkedin_history, app_server, page, db_path
):
    page.goto(app_server.url)
    wait_idle(page)
    main = page.locator("[data-testid='stMain']")
    main.get_by_text(f"{linkedin_history} applications have had no answer").wait_for()
    main.get_by_role("button", name=f"Mark {linkedin_history} as ghosted").click()
    wait_idle(page)
    main.get_by_text(f"Marked {linkedin_history} quiet applications as ghosted").wait_for()

    main.get_by_role("link", name="Log a rejection").click()
    wait_idle(page)
    main.get_by_text("Which application said no?").wait_for()
    assert main.get_by_role("button", name="Save", exact=True).count() == 0
    main.get_by_text(f"{linkedin_history} applications still waiting (open or ghosted)").wait_for()
    page.get_by_role("combobox", name="Open an application").click()
    options = page.get_by_role("option")
    chosen = options.nth(options.count() - 1).inner_text()  # the oldest: far from the newest
    options.nth(options.count() - 1).click()
    wait_idle(page)
    company = chosen.split(" — ")[0]
    main.get_by_text("Reason they gave (optional)").wait_for()
    main.get_by_role("button", name="Save", exact=True).click()
    wait_idle(page)
    main.get_by_text("That one stings").wait_for()

    found = statuses(app_server, db_path)
    assert [c for c, s in found.items() if s == "rejected"] == [company]
    assert sum(s == "ghosted" for s in found.values()) == linkedin_history - 1
