"""Real browser: connect a mailbox on the Data page (a real IMAP server, Dovecot) → a rejection is proposed →
confirm → the rejection lands on the right application and the rejection flow opens for it. The mailbox
is left as it was: nothing marked read."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import wait_idle
from dovecot_server import PASSWORD, USER, sample, serve
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from rebound.db import Database
from rebound.store import Store

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def dovecot():
    yield from serve()


@pytest.fixture
def acme(db_path, monkeypatch):
    # the app's server process gets no keyring: the password stays in the browser session's memory
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    db = Database(db_path)
    store = Store(db, "local")
    app_id = store.applications.add("Acme, Inc.", "Data Analyst", "referral", dt.date(2026, 11, 1))
    store.applications.add_event(app_id, "interview", dt.date(2026, 11, 12), round=1)
    store.applications.add("Globex", "Data Analyst", "job board", dt.date(2026, 11, 3))
    db.close()
    return app_id


def choose(page, label: str, option: str) -> None:
    box, item = page.get_by_role("combobox", name=label), page.get_by_role("option", name=option, exact=True)
    box.click()
    try:
        item.wait_for(timeout=2_000)
    except PlaywrightTimeout:
        box.click()
    item.click()


def test_connect_a_mailbox_confirm_its_rejection_and_the_flow_opens(dovecot, acme, app_server, page, db_path):
    dovecot.append([sample("greenhouse_rejection_en"), sample("newsletter_tips")])
    page.goto(f"{app_server.url}/data")
    wait_idle(page)
    page.get_by_text("Your mailbox: connect and check (read-only)").click()
    wait_idle(page)
    choose(page, "Provider", "Other")
    wait_idle(page)
    page.get_by_label("IMAP server", exact=True).fill("127.0.0.1")
    page.get_by_label("Port", exact=True).fill(str(dovecot.port))
    choose(page, "Encryption", "None: a server on this computer only")
    page.get_by_label("User (usually your e-mail address)", exact=True).fill(USER)
    page.get_by_label("App password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Connect and check").click()
    wait_idle(page)
    page.get_by_text("1 new proposal").first.wait_for()
    page.get_by_text("Rejected by Acme, Inc. (Data Analyst) on 23 Nov 2026").first.wait_for()

    page.get_by_role("button", name="Confirm", exact=True).click()
    wait_idle(page)
    page.get_by_text("That's a hard one.").wait_for()
    page.get_by_text("Take a few minutes now").click()
    wait_idle(page)
    page.get_by_text("Step 1 of 5").first.wait_for()

    app_server.stop()  # release the file so the test can read it
    db = Database(db_path)
    store = Store(db, "local")
    try:
        assert store.applications.get(acme)["status"] == "rejected"
        (finding,) = store.mail.findings("confirmed")
        assert finding["application_id"] == acme
        assert PASSWORD not in repr(store.settings.get("mailbox"))
    finally:
        db.close()
    assert all(b"\\Seen" not in flags for flags in dovecot.flags().values())
