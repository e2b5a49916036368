"""Real browser: the four days of writing resume on day 2. Day 1 was written yesterday (put in the
database before the server starts); Today offers day 2, its link opens Reflect on day 2, and saving
it keeps day 2 for today. With REBOUND_SHOTS set, screenshots of what issue 28's writing adds, light
and dark, desktop and phone."""

import datetime as dt
import os

import pytest
from browser_helpers import full_height
from conftest import AppServer, page_says, wait_idle
from playwright.sync_api import expect

from rebound.db import Database
from rebound.store import Store

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("REBOUND_SHOTS")  # a folder: save screenshots of each view for review
TEXT = "Day two: <b>not bold</b> **not bold** — שלום 🌱"


def _prepare(db_path: str, today: dt.date) -> None:
    db = Database(db_path)
    try:
        s = Store(db, "local")
        app = s.applications.add("Acme", "Analyst", "job board", today - dt.timedelta(days=30))
        s.applications.add_event(app, "rejected", today - dt.timedelta(days=2), stage="interview")
        s.reflections.add("four_days_1", {"what_happened": "It hurt."}, day=today - dt.timedelta(days=1))
        s.reflections.add("next_no", {"first_thought": "<i>I'll never</i> get one", "first_hour": "Walk."})
    finally:
        db.close()


def _written(db_path: str) -> list:
    db = Database(db_path)
    try:
        return Store(db, "local").reflections.written([f"four_days_{n}" for n in range(1, 5)])
    finally:
        db.close()


def _shot(page, name: str) -> None:
    """The whole page (the viewport grown to it, then put back) into REBOUND_SHOTS."""
    if SHOTS:
        size = dict(page.viewport_size)
        full_height(page, size["height"])
        page.screenshot(path=os.path.join(SHOTS, f"writing_{name}.png"), full_page=True)
        page.set_viewport_size(size)


def test_four_days_of_writing_resume_on_day_two(db_path, browser):
    today = dt.date.today()
    _prepare(db_path, today)
    server = AppServer(db_path)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto(server.url)
        wait_idle(page)
        note = page.locator(".st-key-writing_today")
        expect(note).to_contain_text("Your four days of writing: day 2 of 4 is open", timeout=30_000)
        _shot(page, "today_desktop_light")
        note.get_by_role("link", name="Write day 2 of 4").click()
        wait_idle(page)
        page.get_by_role("heading", name="Reflect").wait_for()
        main = page.locator("[data-testid='stMain']")
        expect(main).to_contain_text("Four days of writing — day 2 of 4")
        box = page.get_by_role("textbox", name="How has it touched your life")
        expect(box).to_be_visible()
        box.fill(TEXT)
        box.press("Tab")  # commit the value, as leaving the box does
        wait_idle(page)
        _shot(page, "reflect_desktop_light")
        page.get_by_role("button", name="Save reflection").click()
        wait_idle(page)
        expect(main).to_contain_text("Day 2 is written. Day 3 opens tomorrow", timeout=30_000)
    except AssertionError as error:
        raise AssertionError(f"{error}\n\nThe page says:\n{page_says(page)}") from error
    finally:
        context.close()
        server.stop()
    assert _written(db_path) == [("four_days_1", today - dt.timedelta(days=1)), ("four_days_2", today)]


@pytest.mark.skipif(not SHOTS, reason="screenshots for review: set REBOUND_SHOTS to a folder")
def test_screenshots_of_the_writing_light_and_dark_desktop_and_phone(db_path, browser):
    today = dt.date.today()
    _prepare(db_path, today)
    db = Database(db_path)
    try:
        s = Store(db, "local")
        s.confidence.set_enabled(True)
        start = today - dt.timedelta(days=60)
        for i in range(8):  # rejections before and after the first day of writing (day 1, yesterday: moved back)
            day = start - dt.timedelta(days=80) + dt.timedelta(days=17 * i)
            app = s.applications.add(f"R{i}", "Analyst", "job board", day - dt.timedelta(days=60))
            s.applications.add_event(app, "rejected", day, stage="applied")
            s.applications.add(f"N{i}", "Analyst", "referral", day + dt.timedelta(days=9 if day < start else 3))
        s.reflections.add("four_days_1", {"what_happened": "The first time."}, day=start)
        for w in range(6):
            s.confidence.save([2 + w % 3, 3, 2 + w // 3], week=today - dt.timedelta(weeks=w), today=today)
    finally:
        db.close()
    server = AppServer(db_path)
    try:
        for scheme in ("light", "dark"):
            for device, viewport in (
                ("desktop", {"width": 1400, "height": 1000}),
                ("phone", {"width": 390, "height": 844}),
            ):
                context = browser.new_context(viewport=viewport, color_scheme=scheme, is_mobile=device == "phone")
                page = context.new_page()
                page.set_default_timeout(30_000)
                try:
                    page.goto(server.url)
                    wait_idle(page)
                    page.locator(".st-key-writing_today").wait_for()
                    _shot(page, f"today_{device}_{scheme}")
                    page.goto(f"{server.url}/reflect?write=four_days")
                    wait_idle(page)
                    page.get_by_text("Four days of writing — day 2 of 4").wait_for()
                    _shot(page, f"reflect_{device}_{scheme}")
                    page.goto(f"{server.url}/checkin")
                    wait_idle(page)
                    page.get_by_text("Mood right now").first.wait_for()
                    page.get_by_text("This week's confidence check").first.click()  # answered: open it
                    page.get_by_text("How confident am I that this search will lead somewhere?").wait_for()
                    wait_idle(page)
                    _shot(page, f"checkin_{device}_{scheme}")
                    page.goto(f"{server.url}/progress")
                    wait_idle(page)
                    page.get_by_role("tab", name="Resilience").click()
                    wait_idle(page)
                    page.get_by_text("Your own before and after").wait_for()
                    page.get_by_text("Your own before and after").scroll_into_view_if_needed()
                    _shot(page, f"progress_{device}_{scheme}")
                finally:
                    context.close()
    finally:
        server.stop()
