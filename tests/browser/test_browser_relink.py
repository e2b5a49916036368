"""Real Chromium: a re-application says so on Outcomes; Merge takes the other row's timeline and its
check-in, and Undo (still offered by a new server) puts everything back."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from conftest import AppServer, wait_idle
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from rebound.db import Database
from rebound.outcomes.rules import month_year
from rebound.store import Store

pytestmark = pytest.mark.browser


def test_reapplication_shown_then_merge_with_a_check_in_and_undo(app_server, page, db_path):
    today = dt.date.today()  # the server's clock (browser tests keep the real one)
    db = Database(db_path)
    store = Store(db, "local")
    other = store.applications.add("Acme <b>", "Data Analyst", "job board", today - dt.timedelta(days=20))
    store.applications.add_event(other, "screen", today - dt.timedelta(days=15))
    keep = store.applications.add("acme <B>", "data  analyst", "referral", today - dt.timedelta(days=5))
    checkin = store.checkins.add(3, application_id=other)
    db.close()

    page.goto(f"{app_server.url}/outcomes")
    wait_idle(page)
    main = page.locator("[data-testid='stMain']")
    main.get_by_role("heading", name="acme <B> — data  analyst").wait_for()  # the newest is open
    first_month = month_year(today - dt.timedelta(days=20))
    main.get_by_text(f"Applied again: 2nd time since {first_month}").wait_for()
    main.get_by_text(re.compile(r"earlier: applied .* · Screen")).wait_for()

    main.get_by_text("Merge with another application").click()
    wait_idle(page)
    choose = main.get_by_role("combobox", name="Application to merge into this one")
    choose.wait_for()
    option = page.get_by_role("option", name=re.compile(r"^Acme <b> — Data Analyst"))
    for _ in range(3):  # a rerun that lands while the list opens closes it again: open it once more
        choose.click()
        try:
            option.wait_for(timeout=5_000)
            break
        except PlaywrightTimeout:
            wait_idle(page)
    option.click()
    wait_idle(page)
    main.get_by_role("button", name="Merge into this one").click()
    wait_idle(page)
    main.get_by_text("Merged Acme <b> — Data Analyst").wait_for()  # literally, not as HTML
    expect(main.get_by_text("Applied again")).to_have_count(0)  # one application now
    main.get_by_text(re.compile(r"· Screen$")).first.wait_for()  # its timeline came along

    # the check-in went with it (read with the server stopped: DuckDB lets one program open the file)
    app_server.stop()
    db = Database(db_path)
    store = Store(db, "local")
    try:
        assert store.applications.count() == 1
        assert store.checkins.get(checkin)["application_id"] == keep
    finally:
        db.close()
    server = AppServer(db_path)  # a new server: Undo is still offered (it is kept in the database)
    try:
        page.goto(f"{server.url}/outcomes")
        wait_idle(page)
        main.get_by_text("Merged Acme <b> — Data Analyst").wait_for()
        main.get_by_role("button", name="Undo merge").click()
        wait_idle(page)
        page.get_by_text("Merge undone").first.wait_for()
        main.get_by_text(f"Applied again: 2nd time since {first_month}").wait_for()
    finally:
        server.stop()

    db = Database(db_path)
    store = Store(db, "local")
    try:
        assert store.applications.count() == 2
        assert store.checkins.get(checkin)["application_id"] == other
        assert store.applications.timeline(other)["kind"].tolist() == ["applied", "screen"]
        assert store.applications.timeline(keep)["kind"].tolist() == ["applied"]
    finally:
        db.close()
