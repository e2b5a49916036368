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
        return Store(db, "local").drafts.all()
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
        reflections = store.reflections.journal(kinds=("reflection",))
        assert len(reflections) == 1 and reflections.iloc[0]["answers"] == {"went_well": TEXT}
        assert store.drafts.all() == {}
    finally:
        db.close()


# -- words still in the box when the page goes away (nothing committed them) --------------------------
# A busy server, made deterministic: every script run starts 0.4 s late, so the run that the reload's
# blur asks for is stopped (Streamlit's disconnect_session) before its on_change keeps the words.
SLOW_SERVER = """# Written by tests/browser/test_browser_drafts.py: every script run starts 0.4 s late, as on a busy machine.
import time
import streamlit.runtime.scriptrunner.script_runner as sr
_run = sr.ScriptRunner._run_script_thread
def _late(self, *a, **k):
    time.sleep(0.4)
    return _run(self, *a, **k)
sr.ScriptRunner._run_script_thread = _late
"""
MIRROR = "rebound:typed-words"  # the page's sessionStorage entry (rebound/ui/drafts.py TYPED_WORDS)


def busy_server(db_path, tmp_path, monkeypatch) -> AppServer:
    (tmp_path / "slow").mkdir(exist_ok=True)
    (tmp_path / "slow" / "sitecustomize.py").write_text(SLOW_SERVER)
    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join(filter(None, [str(tmp_path / "slow"), os.environ.get("PYTHONPATH")]))
    )
    return AppServer(db_path)


@pytest.fixture
def busy(db_path, browser, tmp_path, monkeypatch):
    server = busy_server(db_path, tmp_path, monkeypatch)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        yield server, page
    finally:
        context.close()
        server.stop()


def _mirrored(page) -> dict:
    return page.evaluate(f"JSON.parse(sessionStorage.getItem('{MIRROR}') || '{{}}')")


def _type_then_reload(page, url, words):
    _open_reflect(page, url)
    page.get_by_role("textbox", name="What went well?").click()
    page.keyboard.type(words)
    page.reload()  # no Tab, no click elsewhere: the words never reached the server
    wait_idle(page)


def test_words_still_in_the_text_box_survive_a_reload(busy, db_path):
    """Nothing was ever committed (no draft in the database): the words come back into the box,
    reach the database, and leave the browser's storage once the server has them."""
    server, page = busy
    words = "typed, and the cursor is still here <b>x</b> 🌱"
    _type_then_reload(page, server.url, words)
    box = page.get_by_role("textbox", name="What went well?")
    expect(box).to_have_value(words)
    wait_idle(page)
    page.wait_for_function(f"!sessionStorage.getItem('{MIRROR}')", timeout=10_000)  # kept: gone from the browser
    page.reload()  # now an ordinary draft from the database, offered as usual
    wait_idle(page)
    page.get_by_role("button", name=RESUME).click()
    wait_idle(page)
    expect(box).to_have_value(words)
    server.stop()
    assert _drafts(db_path)["reflect:after_rejection"][0]["a:went_well"] == words


def test_discarded_words_do_not_come_back(busy, db_path):
    server, page = busy
    _open_reflect(page, server.url)
    page.get_by_role("textbox", name="Where is there room to improve?").fill("kept before the reload")
    page.keyboard.press("Tab")  # committed: a draft in the database, offered after the reload
    wait_idle(page)
    page.get_by_role("textbox", name="What went well?").click()
    page.keyboard.type("lost on the busy server, then discarded")
    page.reload()
    wait_idle(page)
    page.get_by_role("button", name="Discard").click()
    wait_idle(page)
    box = page.get_by_role("textbox", name="What went well?")
    expect(box).to_have_attribute("data-draft-checked", "1")  # the page script has decided about it
    expect(box).to_have_value("")
    assert _mirrored(page) == {}
    server.stop()
    assert _drafts(db_path) == {}


def test_saved_words_do_not_come_back_after_a_reload(busy, db_path):
    server, page = busy
    _open_reflect(page, server.url)
    page.get_by_role("textbox", name="What went well?").click()
    page.keyboard.type("saved straight from the box")
    page.get_by_role("button", name="Save reflection").click()
    wait_idle(page)
    page.get_by_text("Your reflection is saved in your journal.").wait_for()
    assert _mirrored(page) == {}
    page.reload()
    wait_idle(page)
    box = page.get_by_role("textbox", name="What went well?")
    expect(box).to_have_attribute("data-draft-checked", "1")  # the page script has decided about it
    expect(box).to_have_value("")
    expect(page.get_by_text("You have an unsaved reflection")).to_have_count(0)
    server.stop()
    assert _drafts(db_path) == {}
