"""Opening the app with a remembered mailbox (its password in the keyring) checks it in the background,
against a real Dovecot: the page does not wait, Today then counts the new proposals with a link to review
them, a failure is a quiet note with its time, and a hosted copy makes no check."""

from __future__ import annotations

import datetime as dt
import json
import threading

import keyring
import pytest
from conftest import open_page
from dovecot_server import PASSWORD, USER, sample, serve
from test_imap_offline import MemoryKeyring

import rebound.ui
from rebound.db import Database
from rebound.mail import background, credentials
from rebound.store import Store
from rebound.ui.mailbox import MAILBOX_SETTING


@pytest.fixture
def dovecot():
    yield from serve()


class SlowKeyring(MemoryKeyring):
    """A password store in this process whose first answer waits until `go` is set (as a slow OS store
    might): the page must not wait for it, nor for the server."""

    def __init__(self):
        super().__init__()
        self.go = threading.Event()
        self.go.set()
        self.asked = 0

    def get_password(self, service, username):
        self.asked += 1
        if self.asked == 1:  # the background check's lookup (the Data page asks too, later)
            self.go.wait(30)
        return super().get_password(service, username)


@pytest.fixture
def ring():
    """A password store in this process: the remembered mailbox's password lives here."""
    previous = keyring.get_keyring()
    backend = SlowKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def remembered(db_path, dovecot, ring):
    """A database with an application and the saved mailbox (no password in it), the password remembered."""
    db = Database(db_path)
    store = Store(db, "local")
    store.applications.add("Acme, Inc.", "Data Analyst", "referral", dt.date(2026, 11, 1))
    config = {"host": "127.0.0.1", "port": dovecot.port, "user": USER, "security": "plain", "folders": ["INBOX"]}
    store.settings.set(MAILBOX_SETTING, json.dumps(config))
    db.close()
    credentials.remember_password(dovecot.account().key, PASSWORD)
    yield db_path
    background.wait_all(60)  # no check outlives its test's database


def mail_links(at) -> list[str]:
    return [el.proto.label for el in at.get("page_link") if "from your mail" in el.proto.label]


def captions(at) -> list[str]:
    return [c.value for c in at.caption]


@pytest.mark.slow
def test_opening_the_app_checks_the_mailbox_in_the_background_and_today_counts_the_updates(
    run_page, remembered, dovecot, ring
):
    dovecot.append([sample("greenhouse_rejection_en"), sample("offer_en"), sample("newsletter_tips")])
    ring.go.clear()  # the check cannot finish before the page has
    at = run_page("pages/today.py", remembered)
    assert mail_links(at) == [] and "📬 Checking your mail in the background…" in captions(at)  # no waiting
    # the Data page meanwhile: its Check now waits for the running check instead of starting a second
    at.session_state["mailbox_open"] = True
    open_page(at, "pages/data.py").run()
    assert at.button(key="mailbox_check").disabled
    ring.go.set()
    background.wait_all(60)
    open_page(at, "pages/today.py").run()
    assert not at.exception, [e.message for e in at.exception]
    assert mail_links(at) == ["2 updates from your mail"]
    link = next(el for el in at.get("page_link") if el.proto.label == "2 updates from your mail")
    assert "data" in link.proto.page  # where they are confirmed, edited or dismissed
    db = Database(remembered)
    assert {r["status"] for r in Store(db, "local").mail.findings()} == {"proposed"}  # proposals, nothing confirmed
    db.close()

    # a new message arrives; the same session opening pages again starts no second check
    dovecot.append([sample("workday_rejection")])
    at.run()
    background.wait_all(60)
    at.run()
    assert mail_links(at) == ["2 updates from your mail"]
    assert ring.asked == 2  # the one check's lookup, and the Data page's own: no second check


@pytest.mark.slow
def test_a_failed_check_is_a_quiet_note_with_its_time(run_page, remembered, dovecot, ring):
    credentials.remember_password(dovecot.account().key, "not the password")
    at = run_page("pages/today.py", remembered)
    background.wait_all(60)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    notes = [c for c in captions(at) if "could not be checked" in c]
    assert len(notes) == 1, captions(at)
    assert "did not accept the user name or password" in notes[0] and "UTC" in notes[0]
    assert "not the password" not in notes[0] and "Traceback" not in notes[0]
    assert not at.error  # quiet: a caption, not an error box


@pytest.mark.slow
def test_a_hosted_copy_makes_no_background_check(run_page, remembered, dovecot, ring, monkeypatch):
    monkeypatch.setattr(rebound.ui, "hosted", lambda: True)
    dovecot.append([sample("greenhouse_rejection_en")])
    at = run_page("pages/today.py", remembered)
    background.wait_all(30)
    at.run()
    assert mail_links(at) == [] and ring.asked == 0  # the keyring is not even asked
    db = Database(remembered)
    assert Store(db, "local").mail.sync_state(dovecot.account().key, "INBOX") is None
    db.close()
