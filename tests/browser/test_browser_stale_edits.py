"""Real Chromium, two tabs on one server: a save over a newer version is refused, not lost (issue 25,
item 2). Tab A saves the role; tab B, still showing the form as it was, saves another role: B is
told what A saved and when, nothing says "saved", B's text stays, and "Keep mine" then saves it."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import page_says, wait_idle

from rebound.db import Database
from rebound.store import Store

pytestmark = pytest.mark.browser


@pytest.fixture
def one_application(db_path):
    db = Database(db_path)
    app_id = Store(db, "local").applications.add(
        "Acme", "Data Analyst", "job board", dt.date.today() - dt.timedelta(days=5)
    )
    db.close()
    return app_id


@pytest.fixture
def two_tabs(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    yield context.new_page(), context.new_page()
    context.close()


def _open_details(tab, url):
    tab.goto(f"{url}/outcomes")
    # a server's first run imports everything: on a loaded machine it can outlast wait_idle's 30 s
    tab.get_by_role("heading", name="Acme — Data Analyst").wait_for(timeout=120_000)
    wait_idle(tab)
    tab.get_by_text("Edit details", exact=True).click()
    wait_idle(tab)
    return tab.get_by_label("Role *", exact=True)


def _save(tab):
    tab.get_by_role("button", name="Save changes", exact=True).click()
    wait_idle(tab)


def test_two_tabs_same_field_the_stale_save_is_refused_and_kept(one_application, app_server, two_tabs, db_path):
    first, second = two_tabs
    role_a, role_b = _open_details(first, app_server.url), _open_details(second, app_server.url)
    role_a.fill("Role from tab A")
    _save(first)
    first.get_by_role("heading", name="Acme — Role from tab A").wait_for()
    role_b.fill("Role from tab B")
    _save(second)
    main = second.get_by_test_id("stMain")
    warning = main.get_by_text("Not saved: changed in another tab or window at")
    warning.wait_for(), page_says(second)
    assert "Role from tab A" in main.inner_text()
    assert "Changes saved" not in second.locator("body").inner_text()
    assert second.get_by_label("Role *", exact=True).input_value() == "Role from tab B"  # not lost
    second.get_by_role("button", name="Keep mine", exact=True).click()
    wait_idle(second)
    second.get_by_role("heading", name="Acme — Role from tab B").wait_for()
    app_server.stop()  # release the file
    db = Database(db_path)
    try:
        assert Store(db, "local").applications.get(one_application)["role"] == "Role from tab B"
    finally:
        db.close()
