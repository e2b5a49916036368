"""Real browser: log a rejection on Outcomes, then walk the rejection flow to a saved reflection."""

import os

import pytest
from conftest import wait_idle
from playwright.sync_api import expect

from rebound.db import Database
from rebound.store import Store
from rebound.wellbeing import acknowledgements

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("REBOUND_SHOTS")  # a folder: save screenshots of each step for review
WENT_WELL = "<script>alert('x')</script> **bold** [link](javascript:alert(1)) — שלום, مرحبا"
REFRAME = "One role, one shortlist.\nNot a verdict on me. 🌱"


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"flow_{name}.png"), full_page=True)


def _nav(page, name):
    page.locator(".st-key-rebound_nav").get_by_role("link", name=name).click()
    wait_idle(page)


def test_rejection_flow_from_outcomes_to_saved_reflection(app_server, page, db_path):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(app_server.url)
    wait_idle(page)
    # log the rejection on the Outcomes page
    page.get_by_text("Add your first application").click()
    wait_idle(page)
    page.get_by_role("textbox", name="Company *").fill("Kōwhai & Co")
    page.get_by_role("textbox", name="Role *").fill("Data Analyst")
    page.get_by_role("button", name="Add application").click()
    wait_idle(page)
    page.get_by_role("button", name="Log rejection").click()
    wait_idle(page)
    page.get_by_role("button", name="Save", exact=True).click()
    wait_idle(page)
    page.get_by_text("Start with a check-in").click()
    wait_idle(page)

    # step 1: check-in, linked to the rejected application
    page.get_by_text("After the rejection from Kōwhai & Co").wait_for()
    page.get_by_text("Step 1 of 5").wait_for()
    page.get_by_role("button", name="sadness").click()
    wait_idle(page)
    page.get_by_role("button", name="self-doubt").click()
    wait_idle(page)
    page.get_by_role("textbox", name="A note (optional)").fill("Hard day. <b>not bold</b>")
    _shot(page, "1_checkin")
    page.get_by_role("button", name="Save and continue").click()
    wait_idle(page)

    # step 2: coping — an acknowledgement, ideas, skippable
    page.get_by_text("Step 2 of 5").wait_for()
    ack = page.get_by_test_id("stAlertContentInfo").first.inner_text()
    assert any(variant in ack for variant in acknowledgements()["groups"]["rejection"]), ack
    _shot(page, "2_coping")
    page.get_by_role("button", name="Skip this step").click()
    wait_idle(page)

    # step 3: reflection; a draft survives a visit to another page
    page.get_by_text("Step 3 of 5").wait_for()
    page.get_by_role("textbox", name="What went well?").fill(WENT_WELL)
    page.keyboard.press("Tab")  # commit, and let that rerun finish before typing on
    wait_idle(page)
    page.get_by_role("textbox", name="A reframe").fill(REFRAME)
    page.keyboard.press("Tab")
    wait_idle(page)
    page.get_by_role("textbox", name="One small next step").fill("Walk three times this week")
    page.keyboard.press("Tab")
    wait_idle(page)
    # A page switch that arrives while a commit is still queued drops that commit (Streamlit
    # discards widget values on a page change), so the test lets each commit land first.
    _nav(page, "Reflect")
    page.get_by_role("heading", name="Reflect").wait_for()
    _nav(page, "Check-in")
    page.get_by_text("Step 3 of 5").wait_for()
    expect(page.get_by_role("textbox", name="What went well?")).to_have_value(WENT_WELL)
    expect(page.get_by_role("textbox", name="A reframe")).to_have_value(REFRAME)
    expect(page.get_by_role("textbox", name="One small next step")).to_have_value("Walk three times this week")
    _shot(page, "3_reflection")
    page.get_by_role("button", name="Save reflection and continue").click()
    wait_idle(page)

    # step 4: feedback request — a link to the Feedback page; skip it
    page.get_by_text("Step 4 of 5").wait_for()
    expect(page.get_by_role("link", name="Draft a feedback request")).to_be_visible()
    page.get_by_role("button", name="Skip this step").click()
    wait_idle(page)

    # step 5: one small personal goal, prefilled from the reflection's next step
    page.get_by_text("Step 5 of 5").wait_for()
    expect(page.get_by_role("textbox", name="My small goal")).to_have_value("Walk three times this week")
    page.get_by_role("spinbutton", name="How many times this week?").fill("3")
    page.get_by_role("spinbutton", name="How many times this week?").press("Enter")
    wait_idle(page)
    _shot(page, "5_next_step")
    page.get_by_role("button", name="Set this goal").click()
    wait_idle(page)
    page.get_by_text("You walked through the steps").wait_for()
    _shot(page, "6_finished")

    # the journal shows the answer as plain text; nothing ran
    _nav(page, "Reflect")
    page.get_by_role("tab", name="📓 Journal").click()
    wait_idle(page)
    page.get_by_text("3 answers").click()
    page.get_by_text(WENT_WELL).wait_for()
    _shot(page, "7_journal")
    assert not dialogs
    assert page.locator("a[href^='javascript']").count() == 0

    app_server.stop()  # release the file so the test can read it
    db = Database(db_path)
    store = Store(db, "local")
    app_id = int(store.applications.all()["id"].iloc[0])
    reflections = store.reflections.journal(kinds=("reflection",))
    checkins = store.checkins.all()
    goals = store.scope.df("SELECT metric, label, target FROM goals WHERE user_id = $user")
    db.close()
    assert len(reflections) == 1
    saved = reflections.iloc[0]
    assert saved["template"] == "after_rejection"
    assert int(saved["application_id"]) == app_id
    assert saved["answers"] == {"went_well": WENT_WELL, "reframe": REFRAME, "next_step": "Walk three times this week"}
    assert len(checkins) == 1 and int(checkins.iloc[0]["application_id"]) == app_id
    assert checkins.iloc[0]["emotions"] == ["sadness", "self-doubt"]
    assert goals.to_dict("records") == [{"metric": "custom", "label": "Walk three times this week", "target": 3}]
