"""Real Chromium: a weekly goal written as a when-and-where plan shows on Today on its day and is
checked off there in one click (issue 28, item 1). The server runs on the real clock, so the plan
is made for the real today."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from conftest import wait_idle
from playwright.sync_api import expect

from rebound.db import Database
from rebound.store import Store

pytestmark = pytest.mark.browser


def _no_exception(page) -> None:
    errors = page.get_by_test_id("stException")
    assert errors.count() == 0, errors.first.inner_text()


def test_a_goal_planned_for_today_shows_on_today_and_is_checked_off(app_server, page, db_path):
    today = dt.date.today()  # the server's clock (browser tests keep the real one)
    page.goto(f"{app_server.url}/goals")
    wait_idle(page)
    main = page.get_by_test_id("stMain")
    main.get_by_text("When and where?").first.wait_for()
    main.get_by_role("spinbutton", name="year, Day").click()  # ui.DATE_INPUT_FORMAT: YYYY-MM-DD, by segment
    page.keyboard.type(today.strftime("%Y%m%d"))
    main.get_by_label("Where", exact=True).fill("the <b>library</b>")
    main.get_by_role("button", name=re.compile("Add to this week")).click()
    wait_idle(page)
    _no_exception(page)
    main.get_by_text("Today, at the <b>library</b>: Applications").wait_for()  # listed under the goal, literally

    page.locator(".st-key-rebound_nav").get_by_role("link", name="Today", exact=True).click()
    wait_idle(page)
    main.get_by_role("heading", name="Today's plans").wait_for()
    row = main.locator("[class*='st-key-plan_row_']")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Today, at the <b>library</b>: Applications")
    row.get_by_role("button", name="Done").click()
    wait_idle(page)
    _no_exception(page)
    expect(row.get_by_role("button", name="Undo")).to_be_visible()
    expect(row).to_contain_text("✅")
    app_server.stop()
    db = Database(db_path)
    [plan] = Store(db, "local").plans.for_today(today)
    db.close()
    assert (plan["state"], plan["place"], plan["day"]) == ("done", "the <b>library</b>", today)
