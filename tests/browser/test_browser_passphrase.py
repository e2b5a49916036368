"""Real browser: a journal set to a passphrase on the Passphrase page, then unlocked once per session.

The journey: a plain journal; the Passphrase page encrypts it (after the box that says a forgotten
passphrase cannot be recovered); a new tab sees only the unlock prompt, a wrong passphrase is
refused in words, the right one opens the journal and a move to another page does not ask again."""

import datetime as dt

import pytest
from conftest import AppServer, wait_idle
from playwright.sync_api import expect
from test_browser_journey import nav, no_exception

from rebound import passphrase
from rebound.db import Database
from rebound.store import Store

pytestmark = pytest.mark.browser

WORDS = "correct horse battery"


def test_set_a_passphrase_then_unlock_once_per_session(db_path, browser):
    db = Database(db_path)
    Store(db, "local").applications.add("Acme Robotics", "Analyst", "referral", dt.date.today())
    db.close()
    server = AppServer(db_path)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.goto(server.url)
        wait_idle(page)
        nav(page, "Passphrase")
        main = page.get_by_test_id("stMain")
        expect(main.get_by_text("A forgotten passphrase cannot be recovered.")).to_be_visible()
        main.get_by_role("textbox", name="New passphrase", exact=True).fill(WORDS)
        main.get_by_role("textbox", name="The same passphrase again", exact=True).fill(WORDS)
        main.get_by_text("I understand that a forgotten passphrase cannot be recovered").click()
        main.get_by_role("button", name="Encrypt my journal").click()
        wait_idle(page)
        expect(main.get_by_text("Your journal is encrypted now.")).to_be_visible()
        no_exception(page)
        assert passphrase.is_encrypted(db_path)
        nav(page, "Outcomes")  # this session stays unlocked
        expect(main.get_by_text("Acme Robotics").first).to_be_visible()

        other = context.new_page()  # a new tab: a new session, which asks for itself
        other.set_default_timeout(20_000)
        other.goto(f"{server.url}/outcomes")
        wait_idle(other)
        body = other.get_by_test_id("stMain")
        expect(body.get_by_role("textbox", name="Passphrase", exact=True)).to_be_visible()
        assert other.locator(".st-key-rebound_nav").count() == 0  # nothing of the app behind the prompt
        expect(body.get_by_text("Acme Robotics")).to_have_count(0)
        expect(other.get_by_role("dialog")).to_have_count(0)  # no "page not found": the address is kept
        body.get_by_role("textbox", name="Passphrase", exact=True).fill("not the passphrase")
        body.get_by_role("button", name="Unlock").click()
        wait_idle(other)
        expect(body.get_by_text("That passphrase does not open this database")).to_be_visible()
        body.get_by_role("textbox", name="Passphrase", exact=True).fill(WORDS)
        body.get_by_role("button", name="Unlock").click()
        wait_idle(other)
        expect(body.get_by_text("Acme Robotics").first).to_be_visible()  # the page the address asked for
        nav(other, "Today")
        expect(body.get_by_role("textbox", name="Passphrase", exact=True)).to_have_count(0)
        no_exception(other)
    finally:
        context.close()
        server.stop()
