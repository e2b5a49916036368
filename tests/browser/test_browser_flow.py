"""Real browser at phone width: the rejection flow resumes after a reload at the same step for the
same application, Today points back into it, and an idea chip becomes the goal that is set."""

import datetime as dt
import os

import pytest
from conftest import AppServer, wait_idle
from playwright.sync_api import expect

from rebound.db import Database
from rebound.store import Store

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("REBOUND_SHOTS")
PHONE = {"width": 390, "height": 844}
WENT_WELL = "I stayed calm on the SQL question. <i>not italic</i> **not bold**"
IDEA = "Walk three times this week"


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"flow_phone_{name}.png"), full_page=True)


def _seed(db_path) -> tuple[int, int]:
    """Two recent rejections after an interview: the newest is the picker's default, we choose the other."""
    today = dt.date.today()  # the server's clock (browser tests keep the real one)
    db = Database(db_path)
    store = Store(db, "local")
    ids = []
    for company, role, days in (("Kōwhai & Co", "Data Analyst", 5), ("Aroha Ltd", "Analyst", 1)):
        app = store.applications.add(company, role, "referral", today - dt.timedelta(days=30))
        store.applications.add_event(app, "interview", today - dt.timedelta(days=days + 3), round=1)
        store.applications.add_event(app, "rejected", today - dt.timedelta(days=days), stage="interview")
        ids.append(app)
    db.close()
    return ids[0], ids[1]


def _step(page, n: int):
    page.get_by_text("After the rejection from Kōwhai & Co (Data Analyst)").wait_for()
    page.get_by_text(f"Step {n} of 5").wait_for()


def test_flow_resumes_after_reload_and_an_idea_becomes_the_goal(db_path, browser):
    chosen, other = _seed(db_path)
    server = AppServer(db_path)
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.goto(f"{server.url}/checkin")
        wait_idle(page)
        # start the steps for the older rejection (not the picker's default)
        page.get_by_text("Had a rejection lately?").wait_for()
        picker = page.get_by_role("combobox", name="Which one")
        picker.click()
        picker.press_sequentially("Kōwhai")  # the select filters as you type
        page.get_by_role("option").filter(has_text="Kōwhai & Co — Data Analyst").first.wait_for()
        picker.press("Enter")
        wait_idle(page)
        page.get_by_role("button", name="Start the steps").click()
        wait_idle(page)
        _step(page, 1)
        page.get_by_role("button", name="Skip this step").click()
        wait_idle(page)
        _step(page, 2)
        page.get_by_role("button", name="Skip this step").click()
        wait_idle(page)
        _step(page, 3)
        page.get_by_role("textbox", name="What went well?").fill(WENT_WELL)
        page.keyboard.press("Tab")
        wait_idle(page)

        # a reload mid-way: same step, same application, the reflection offered back
        page.reload()
        wait_idle(page)
        _step(page, 3)
        page.get_by_text("You have an unsaved reflection from today").wait_for()
        _shot(page, "1_after_reload")
        page.get_by_role("button", name="Resume your draft from today").click()
        wait_idle(page)
        expect(page.get_by_role("textbox", name="What went well?")).to_have_value(WENT_WELL)

        # Today (opened afresh: a new session, as from a bookmark) points back into the unfinished steps
        page.goto(server.url)
        wait_idle(page)
        page.get_by_text(
            "You're partway through the steps after the rejection from Kōwhai & Co — Data Analyst: step 3 of 5"
        ).wait_for()
        _shot(page, "2_today")
        page.get_by_role("link", name="Continue the steps").click()
        wait_idle(page)
        _step(page, 3)
        page.get_by_role("button", name="Resume your draft from today").click()
        wait_idle(page)
        expect(page.get_by_role("textbox", name="What went well?")).to_have_value(WENT_WELL)
        page.get_by_role("button", name="Save reflection and continue").click()
        wait_idle(page)
        _step(page, 4)
        page.get_by_role("button", name="Skip this step").click()
        wait_idle(page)

        # the last step: the idea chip fills the goal box (its value, not only the placeholder)
        _step(page, 5)
        goal_box = page.get_by_role("textbox", name="My small goal")
        expect(goal_box).to_have_value("")
        _shot(page, "2c_step5")
        page.get_by_test_id("stButtonGroup").get_by_text(IDEA, exact=True).click()
        wait_idle(page)
        expect(goal_box).to_have_value(IDEA)
        expect(page.get_by_role("spinbutton", name="How many times this week?")).to_have_value("3")
        _shot(page, "3_idea_chosen")
        page.get_by_role("button", name="Set this goal").click()
        wait_idle(page)
        page.get_by_text("You walked through the steps").wait_for()
        expect(page.get_by_text("the goal is missing")).to_have_count(0)
        page.get_by_role("button", name="Done").click()
        wait_idle(page)
    finally:
        context.close()
        server.stop()

    db = Database(db_path)
    try:
        store = Store(db, "local")
        goals = store.scope.df("SELECT metric, label, target FROM goals WHERE user_id = $user")
        assert goals.to_dict("records") == [{"metric": "custom", "label": IDEA, "target": 3}]
        reflections = store.reflections.journal(kinds=("reflection",))
        assert len(reflections) == 1 and int(reflections.iloc[0]["application_id"]) == chosen != other
        assert reflections.iloc[0]["answers"] == {"went_well": WENT_WELL}
        assert store.drafts.all() == {}  # saved or done: nothing kept that is not needed
    finally:
        db.close()
