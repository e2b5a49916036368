"""Real browser: a half-written reflection survives a reload, a closed tab and a server restart,
is offered back ("Resume your draft from …") and can be discarded."""

import os
import re

import pytest
from conftest import AppServer, wait_idle
from playwright.sync_api import expect

from rebound.db import Database
from rebound.store import Store

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("REBOUND_SHOTS")  # a folder: save screenshots of each step for review
TEXT = "Ten minutes of writing: <b>not bold</b> **not bold** $x^2$ — שלום 🌱\nA second line."
RESUME = re.compile(r"Resume your draft from today at \d\d:\d\d$")


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"drafts_{name}.png"), full_page=True)


def _open_reflect(page, url):
    page.goto(f"{url}/reflect")
    wait_idle(page)
    page.get_by_role("heading", name="Reflect").wait_for()


def _resume(page):
    """The draft is offered (and the form hidden) until the user chooses; resume it."""
    page.get_by_text("You have an unsaved reflection “Journal”").wait_for()
    page.get_by_text("Ten minutes of writing: <b>not bold</b> **not bold** $x^2$").wait_for()  # shown literally
    button = page.get_by_role("button", name=RESUME)
    expect(button).to_have_count(1)
    button.click()
    wait_idle(page)
    expect(page.get_by_role("textbox", name="Write freely")).to_have_value(TEXT)


def _drafts(db_path):
    db = Database(db_path)
    try:
        return Store(db, "local").drafts()
    finally:
        db.close()


def test_reflection_draft_survives_reload_closed_tab_and_restart_then_discard(db_path, browser):
    dialogs = []
    server = AppServer(db_path)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        _open_reflect(page, server.url)
        page.get_by_role("radio", name="Journal").click()
        wait_idle(page)
        page.get_by_role("textbox", name="Write freely").fill(TEXT)
        page.keyboard.press("Tab")  # commit: the draft is written now
        wait_idle(page)

        # 1. a reload: the text is offered back, and resumes
        page.reload()
        wait_idle(page)
        _shot(page, "1_offered_after_reload")
        expect(page.get_by_role("textbox", name="Write freely")).to_have_count(0)  # hidden until chosen
        _resume(page)
        _shot(page, "2_resumed")

        # 2. the tab closed: a new browser context (no cookies, no session) still gets it
        context.close()
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(20_000)
        _open_reflect(page, server.url)
        _resume(page)

        # 3. a server restart
        context.close()
        server.stop()
        server = AppServer(db_path)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(20_000)
        _open_reflect(page, server.url)
        _resume(page)

        # 4. Discard: gone from the page, from a reload and from the database
        page.reload()
        wait_idle(page)
        page.get_by_role("button", name="Discard").click()
        wait_idle(page)
        expect(page.get_by_text("You have an unsaved reflection")).to_have_count(0)
        page.reload()
        wait_idle(page)
        page.get_by_role("heading", name="Reflect").wait_for()
        page.get_by_role("textbox", name="What went well?").wait_for()  # the default template, empty
        expect(page.get_by_text("You have an unsaved reflection")).to_have_count(0)
        _shot(page, "3_discarded")
        assert not dialogs
    finally:
        context.close()
        server.stop()
    assert _drafts(db_path) == {}


def test_saving_a_resumed_draft_keeps_the_reflection_and_drops_the_draft(app_server, page, db_path):
    _open_reflect(page, app_server.url)
    page.get_by_role("textbox", name="What went well?").fill(TEXT)
    page.keyboard.press("Tab")
    wait_idle(page)
    page.reload()
    wait_idle(page)
    page.get_by_text("You have an unsaved reflection from today").wait_for()
    page.get_by_role("button", name=RESUME).click()
    wait_idle(page)
    expect(page.get_by_role("textbox", name="What went well?")).to_have_value(TEXT)
    page.get_by_role("button", name="Save reflection").click()
    wait_idle(page)
    page.get_by_text("Your reflection is saved in your journal.").wait_for()
    page.reload()
    wait_idle(page)
    page.get_by_role("textbox", name="What went well?").wait_for()
    expect(page.get_by_text("You have an unsaved reflection")).to_have_count(0)
    app_server.stop()
    db = Database(db_path)
    try:
        store = Store(db, "local")
        reflections = store.journal(kinds=("reflection",))
        assert len(reflections) == 1 and reflections.iloc[0]["answers"] == {"went_well": TEXT}
        assert store.drafts() == {}
    finally:
        db.close()


@pytest.mark.xfail(strict=False, reason="issue 14 item 6, open: on a busy server Streamlit stops the closing tab's "
                   "run before it saves the words typed since the box was last left (see test_browser_journey.py's "
                   "strict test_words_still_in_the_box_survive_a_reload_on_a_busy_server)")
def test_words_still_in_the_text_box_survive_a_reload(app_server, page, db_path):
    """Streamlit sends a text box's value only when it loses focus: the page commits it on leaving."""
    _open_reflect(page, app_server.url)
    box = page.get_by_role("textbox", name="What went well?")
    box.click()
    page.keyboard.type("typed, and the cursor is still here")
    page.reload()  # no Tab, no click elsewhere
    wait_idle(page)
    page.get_by_text("You have an unsaved reflection from today").wait_for()
    page.get_by_role("button", name=RESUME).click()
    wait_idle(page)
    expect(page.get_by_role("textbox", name="What went well?")).to_have_value("typed, and the cursor is still here")
