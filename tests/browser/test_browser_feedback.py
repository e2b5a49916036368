"""Real Chromium: build a request → mark it sent → paste the feedback → an action item → on Today."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import unquote

import pytest
from conftest import wait_idle

from rebound.db import Database
from rebound.store import Store

D = dt.timedelta
NAME = 'Zoë "Z" & 王小明'
FEEDBACK = "Thanks for asking! Your SQL was solid, but the stories were long & lacked structure."
ACTION = "Rehearse two STAR stories out loud 🎤"


@pytest.fixture
def seeded(db_path):
    today = dt.date.today()  # the server's clock (browser tests keep the real one)
    db = Database(db_path)
    store = Store(db, "local")
    app = store.applications.add("Müller & Söhne", "Data Analyst", "referral", today - D(30))
    store.applications.add_event(app, "interview", today - D(10), round=1)
    store.applications.add_event(app, "rejected", today - D(1), stage="interview")
    db.cursor().execute(
        "INSERT INTO reflections (user_id, template, day, answers, themes, application_id)"
        " VALUES ('local', 'after_rejection', ?, '{}', ['storytelling'], ?)",
        [today - D(1), app],
    )
    db.close()
    return db_path


@pytest.mark.browser
def test_feedback_journey_reaches_today(seeded, app_server, page):
    today = dt.date.today()  # the server's clock (browser tests keep the real one)
    page.goto(app_server.url)
    wait_idle(page)
    page.locator(".st-key-rebound_nav").get_by_role("link", name="Feedback").click()
    wait_idle(page)
    main = page.locator("[data-testid='stMain']")
    main.get_by_text("said no after the interview yesterday").wait_for()
    main.get_by_text("Preselected from your reflection").wait_for()

    for label, value in (
        ("Interviewer's name", NAME),
        ("Their email", "zoe+jobs@example.com"),
        ("Your name, for the sign-off", "Ana 🌱"),
    ):
        box = main.get_by_label(label, exact=True)
        box.fill(value)
        box.press("Enter")
        wait_idle(page)
    code = main.locator("[data-testid='stCode']").nth(1)
    assert f"Hi {NAME}," in code.inner_text()
    # which kind of interview it was is not recorded: the email must not guess "technical"
    assert "during the interview for the Data Analyst role" in code.inner_text()
    assert "technical" not in code.inner_text().lower()

    href = main.locator("a[href^='mailto:']").first.get_attribute("href")
    assert href.startswith("mailto:zoe%2Bjobs@example.com?subject=")
    assert "%0D%0A" in href and " " not in href and "+" not in href.split("?", 1)[1]
    assert f"Hi {NAME}," in unquote(href)
    assert main.get_by_role("button", name=re.compile("Download .eml")).count() == 1

    main.get_by_role("button", name=re.compile("Save draft")).click()
    wait_idle(page)
    main.get_by_role("button", name=re.compile("Mark as sent")).click()
    wait_idle(page)
    main.get_by_text("Did they answer?").wait_for()
    main.get_by_text("Sent today.").wait_for()
    assert main.get_by_text("0 days ago").count() == 0

    answer = main.get_by_label("What they said", exact=True)
    answer.fill(FEEDBACK)
    answer.press("Control+Enter")
    wait_idle(page)
    main.get_by_text("It sounds like").wait_for()
    main.get_by_role("button", name=re.compile("Add these themes")).click()
    wait_idle(page)
    main.get_by_role("button", name=re.compile("Save their feedback")).click()
    wait_idle(page)
    main.get_by_text("Action items from this feedback").wait_for()
    main.locator("[data-testid='stMarkdownContainer']").get_by_text(FEEDBACK).wait_for()

    # due today, so Today lists it among what is due (the date field is typed segment by segment)
    main.get_by_role("spinbutton", name="year, Due").click()  # ui.DATE_INPUT_FORMAT: YYYY-MM-DD
    page.keyboard.type(today.strftime("%Y%m%d"))
    title = main.get_by_label("Action item", exact=True)
    title.fill(ACTION)
    main.get_by_role("button", name=re.compile("Add action item")).click()
    wait_idle(page)

    page.locator(".st-key-rebound_nav").get_by_role("link", name="Today").click()
    wait_idle(page)
    today_main = page.locator("[data-testid='stMain']")
    today_main.get_by_text(f"Action item due (today): {ACTION}").wait_for()
