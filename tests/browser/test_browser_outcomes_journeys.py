"""Real Chromium: Outcomes keeps the application the user opened, and writes only what they chose.

- a status change (which renames the picker's entry) never opens another application (issue 14, item 2);
- two tabs of the same user editing one application keep their own view;
- "Log a rejection" from Today opens nothing until the user picks the application (item 3);
- the add form is empty after saving; one kind of event once a day;
- at phone width the open application's actions come before the filters and the table (item 13).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from conftest import page_says, wait_for_toast, wait_idle
from playwright.sync_api import expect

from rebound.db import Database
from rebound.store import Store

pytestmark = pytest.mark.browser

D = dt.timedelta
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def three_applications(db_path):
    """Oldest first: Alder (the one the tests open), Birch, and Cedar, the newest."""
    today = dt.date.today()  # the server's clock (browser tests keep the real one)
    db = Database(db_path)
    store = Store(db, "local")
    ids = {
        name: store.applications.add(name, "Data Analyst", "job board", today - D(days))
        for name, days in (("Alder", 20), ("Birch", 10), ("Cedar", 2))
    }
    db.close()
    return ids


def read_store(app_server, db_path):
    app_server.stop()  # release the file so the test can read it
    db = Database(db_path)
    return db, Store(db, "local")


def main_area(page):
    return page.locator("[data-testid='stMain']")


def picker(page):
    return page.get_by_role("combobox", name="Open an application")


def picked(page) -> str:
    return picker(page).input_value()


def shows(page, pattern: str) -> None:
    """The picker shows `pattern` (a regular expression), waiting for the page to update it."""
    expect(picker(page)).to_have_value(re.compile(pattern), timeout=20_000)


def open_application(page, name):
    picker(page).click()
    page.get_by_role("option", name=re.compile(f"^{name} — ")).click()
    wait_idle(page)
    page.get_by_role("heading", name=f"{name} — Data Analyst").wait_for()


def log_event(page, button, save=True):
    main_area(page).get_by_role("button", name=button, exact=True).click()
    wait_idle(page)
    if save:
        main_area(page).get_by_role("button", name="Save", exact=True).click()
        wait_idle(page)


def test_a_status_change_keeps_the_open_application_and_renames_it_in_the_picker(
    three_applications, app_server, page, db_path
):
    page.goto(f"{app_server.url}/outcomes")
    wait_idle(page)
    page.get_by_role("heading", name="Cedar — Data Analyst").wait_for()  # the newest opens first
    open_application(page, "Alder")
    log_event(page, "Interview")
    page.get_by_role("heading", name="Alder — Data Analyst").wait_for()
    shows(page, r"^Alder — .* · Interview$")
    log_event(page, "Followed up")
    page.get_by_role("heading", name="Alder — Data Analyst").wait_for()
    assert page.get_by_role("heading", name="Cedar — Data Analyst").count() == 0
    shows(page, r"^Alder — Data Analyst · applied .* · Interview$")

    db, store = read_store(app_server, db_path)
    kinds = {name: store.applications.timeline(i)["kind"].tolist() for name, i in three_applications.items()}
    db.close()
    assert kinds == {"Alder": ["applied", "interview", "followed_up"], "Birch": ["applied"], "Cedar": ["applied"]}


def click_row(page, index: int) -> None:
    """Select a table row by its checkbox (the grid is drawn on a canvas: no row elements to click)."""
    grid = main_area(page).get_by_test_id("stDataFrame")
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 35 * (index + 1) + 17)
    wait_idle(page)


@pytest.fixture
def two_tabs(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    yield context.new_page(), context.new_page()
    context.close()


def test_two_tabs_saving_the_same_event_log_it_once(three_applications, app_server, two_tabs, db_path):
    today = dt.date.today()  # the server's clock (browser tests keep the real one)
    first, second = two_tabs
    for tab in (first, second):
        tab.goto(f"{app_server.url}/outcomes")
        wait_idle(tab)
        open_application(tab, "Alder")
        log_event(tab, "Interview", save=False)  # both tabs have the round-1 form open
    first.get_by_role("button", name="Save", exact=True).click()
    wait_idle(first)
    second.get_by_role("button", name="Save", exact=True).click()
    wait_idle(second)
    main_area(second).get_by_text("is already logged for").wait_for()  # refused, with a reason
    second.get_by_role("heading", name="Alder — Data Analyst").wait_for()
    shows(second, r"^Alder — .* · Interview$")  # the second tab now sees the first one's change
    log_event(second, "Followed up")
    second.get_by_role("heading", name="Alder — Data Analyst").wait_for()

    db, store = read_store(app_server, db_path)
    kinds = store.applications.timeline(three_applications["Alder"])["kind"].tolist()
    wins = store.wins.suggested(today)
    db.close()
    assert kinds == ["applied", "interview", "followed_up"]
    assert len(wins) == 1  # one interview, one win to count


def test_a_row_picked_in_one_tab_stays_open_when_another_tab_adds_an_application(
    three_applications, app_server, two_tabs, db_path
):
    first, second = two_tabs
    for tab in (first, second):
        tab.goto(f"{app_server.url}/outcomes")
        wait_idle(tab)
    click_row(second, 1)  # rows: Cedar, Birch, Alder
    second.get_by_role("heading", name="Birch — Data Analyst").wait_for()
    first.get_by_text("Add an application").click()
    wait_idle(first)
    first.get_by_label("Company *").fill("Dogwood")
    first.get_by_label("Role *").fill("Data Analyst")
    first.get_by_role("button", name="Add application").click()
    wait_idle(first)
    heading = first.get_by_role("heading", name="Dogwood — Data Analyst")
    try:
        heading.wait_for()
    except Exception as error:
        raise AssertionError(f"Dogwood did not open; the page shows {page_says(first)}") from error
    log_event(second, "Followed up")  # the second tab's table now starts with Dogwood
    second.get_by_role("heading", name="Birch — Data Analyst").wait_for()
    shows(second, r"^Birch — ")

    db, store = read_store(app_server, db_path)
    followed = {
        name: "followed_up" in store.applications.timeline(i)["kind"].tolist() for name, i in three_applications.items()
    }
    db.close()
    assert followed == {"Alder": False, "Birch": True, "Cedar": False}


def test_log_a_rejection_from_today_writes_only_about_the_application_the_user_chose(
    three_applications, app_server, page, db_path
):
    page.goto(app_server.url)
    wait_idle(page)
    page.get_by_role("link", name="Log a rejection").click()
    wait_idle(page)
    main = main_area(page)
    main.get_by_text("Which application said no?").wait_for()
    assert picked(page) == ""  # nothing chosen for the user
    assert main.get_by_role("button", name="Save", exact=True).count() == 0
    assert main.get_by_role("button", name="Log rejection").count() == 0
    assert main.get_by_role("heading", name=re.compile(" — Data Analyst")).count() == 0
    page.reload()  # a reload still chooses nothing
    wait_idle(page)
    main.get_by_text("Which application said no?").wait_for()
    assert picked(page) == ""
    open_application(page, "Birch")  # not the newest
    main.get_by_text("Reason they gave (optional)").wait_for()  # its rejection form is ready
    main.get_by_role("button", name="Save", exact=True).click()
    wait_idle(page)
    main.get_by_text("That one stings").wait_for()

    db, store = read_store(app_server, db_path)
    statuses = dict(zip(store.applications.all()["company"], store.applications.all()["status"]))
    db.close()
    assert statuses == {"Alder": "applied", "Birch": "rejected", "Cedar": "applied"}


HOSTILE = "**bold** [link](http://x) $x^2$ <b>tag</b>"


def test_the_add_form_is_empty_after_saving_and_the_toast_shows_the_text_literally(app_server, page, db_path):
    page.goto(f"{app_server.url}/outcomes")
    wait_idle(page)
    page.get_by_label("Company *").fill(HOSTILE)
    page.get_by_label("Role *").fill("Analyst _x_")
    page.get_by_label("Location").fill("Berlin")
    page.get_by_role("button", name="Add application").click()
    toast = wait_for_toast(page)
    assert f"Logged {HOSTILE} — Analyst _x_." in toast.inner_text()  # nothing added to it
    assert toast.locator("a, strong, b, em, .katex").count() == 0
    wait_idle(page)
    for label in ("Company *", "Role *", "Location"):
        assert page.get_by_label(label).input_value() == "", label
    page.get_by_label("Company *").fill("Second Co")  # the next one starts from a clean form
    page.get_by_label("Role *").fill("Analyst")
    page.get_by_role("button", name="Add application").click()
    wait_idle(page)
    page.get_by_role("heading", name="Second Co — Analyst").wait_for()
    shows(page, r"^Second Co — Analyst · applied ")

    db, store = read_store(app_server, db_path)
    apps = store.applications.all()
    db.close()
    assert dict(zip(apps["company"], apps["location"].fillna(""))) == {HOSTILE: "Berlin", "Second Co": ""}


@pytest.fixture
def many_applications(db_path):
    today = dt.date.today()  # the server's clock (browser tests keep the real one)
    db = Database(db_path)
    store = Store(db, "local")
    for i in range(40):
        store.applications.add(f"Firm {i:02d}", "Data Analyst", "job board", today - D(days=i))
    db.close()


def test_at_phone_width_the_actions_come_before_the_filters_and_the_table(
    many_applications, app_server, browser, db_path
):
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(f"{app_server.url}/outcomes")
        wait_idle(page)
        page.get_by_role("heading", name="Firm 00 — Data Analyst").wait_for()
        main = main_area(page)
        reject = main.get_by_role("button", name="Log rejection")
        box = reject.bounding_box()
        assert box["y"] + box["height"] <= PHONE["height"], box  # on the first screen, no scrolling
        # The filter's label: the data grid's header row says "Status" too once the grid is drawn.
        status_filter = main.get_by_test_id("stWidgetLabel").get_by_text("Status", exact=True)
        table = main.get_by_test_id("stDataFrame")
        assert box["y"] < status_filter.bounding_box()["y"] < table.bounding_box()["y"]
        followed = main.get_by_role("button", name="Followed up").bounding_box()
        assert followed["y"] + followed["height"] <= PHONE["height"]  # the wrapped row: every action on screen

        # The rejection journey from Today at this width: choose, then save, all near the top.
        page.goto(app_server.url)
        wait_idle(page)
        main.get_by_role("link", name="Log a rejection").click()
        wait_idle(page)
        main.get_by_text("Which application said no?").wait_for()
        open_application(page, "Firm 07")
        save = main.get_by_role("button", name="Save", exact=True)
        save.scroll_into_view_if_needed()
        assert save.bounding_box()["y"] < table.bounding_box()["y"]
        save.click()
        wait_idle(page)
        main.get_by_text("That one stings").wait_for()
    finally:
        context.close()
    db, store = read_store(app_server, db_path)
    rejected = store.applications.all(statuses=["rejected"])["company"].tolist()
    db.close()
    assert rejected == ["Firm 07"]


def test_hostile_text_reaches_outcomes_and_today_literally(app_server, page, db_path):
    today = dt.date.today()  # the server's clock (browser tests keep the real one)
    role = "<script>alert(1)</script> ‏مرحبا 🚀"
    db = Database(db_path)
    store = Store(db, "local")
    store.applications.add(HOSTILE, role, "job board", today - D(days=30), location="$$\\int$$ _x_")
    db.close()
    page.goto(app_server.url)
    wait_idle(page)
    main = main_area(page)
    nudge = main.get_by_text("No answer from **bold** [link](http")  # Today's nudge
    nudge.wait_for()
    # Literal, with no invisible character added (and no automatic link).
    assert f"No answer from {HOSTILE} ({role})" in nudge.inner_text()
    page.goto(f"{app_server.url}/outcomes")
    wait_idle(page)
    heading = main.get_by_role("heading", name=re.compile(re.escape("**bold** [link](http")))
    heading.wait_for()
    assert heading.inner_text() == f"{HOSTILE} — {role}"
    assert picked(page).startswith(f"{HOSTILE} — {role} · applied ")  # the picker: plain text
    main.get_by_text("job board · applied").wait_for()
    assert "$$\\int$$ _x_" in main.get_by_text("job board · applied").inner_text()
    main.get_by_role("button", name="Delete application").click()
    wait_idle(page)
    warning = main.get_by_text("its timeline and its feedback requests")
    warning.wait_for()
    assert f"Delete {HOSTILE} — {role}, its timeline" in warning.inner_text()
    assert main.locator("a[href='http://x'], strong:has-text('bold'), .katex, script:has-text('alert')").count() == 0
    main.get_by_role("button", name="Keep it").click()
    wait_idle(page)
    main.get_by_role("button", name="Delete application").wait_for()
