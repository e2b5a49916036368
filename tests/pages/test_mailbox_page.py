"""AppTest of the Data page's "Connect your mailbox" against a real IMAP server (Dovecot, tests/mail/dovecot_server.py):
connect and check, the proposals it finds, "Check now" after new mail, a wrong password, "Disconnect"."""

from __future__ import annotations

import datetime as dt

import keyring
import keyring.backends.fail
import pytest
from dovecot_server import PASSWORD, USER, sample, serve

from rebound.db import Database
from rebound.store import Store
from rebound.ui.mailbox import MAILBOX_SETTING


@pytest.fixture
def dovecot():
    yield from serve()


@pytest.fixture
def no_keyring():
    """No password store on this computer: the password lives in the session only."""
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    yield
    keyring.set_keyring(previous)


def read_store(path):
    db = Database(path)
    return db, Store(db, "local")


def fill_form(at, port, password):
    at.session_state["mailbox_open"] = True
    at.run()
    at.selectbox(key="mailbox_preset").select("Other").run()
    at.text_input(key="mailbox_host").input("127.0.0.1")
    at.number_input(key="mailbox_port").set_value(port)
    at.selectbox(key="mailbox_security").select("plain")
    at.text_input(key="mailbox_user").input(USER)
    at.text_input(key="mailbox_password").input(password)
    next(b for b in at.button if b.label == "Connect and check").click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.mark.slow
def test_connect_check_now_and_disconnect(run_page, db_path, dovecot, no_keyring):
    db, store = read_store(db_path)
    acme = store.applications.add("Acme, Inc.", "Data Analyst", "referral", dt.date(2026, 11, 1))
    db.close()
    dovecot.append([sample("greenhouse_rejection_en"), sample("newsletter_tips")])

    at = fill_form(run_page("pages/data.py", db_path), dovecot.port, PASSWORD)
    assert any("1 new proposal" in s.value for s in at.success), [s.value for s in at.success]
    assert any("Connected" in m.value and "sam" in m.value for m in at.markdown)
    db, store = read_store(db_path)
    proposed = store.mail.findings()
    assert [(r["kind"], r["application_id"]) for r in proposed] == [("rejection", acme)]
    assert PASSWORD not in (store.settings.get(MAILBOX_SETTING) or "")
    db.close()
    assert all(b"\\Seen" not in f for f in dovecot.flags().values())

    dovecot.append([sample("offer_en")])
    at.button(key="mailbox_check").click().run()  # the password is in this session's memory
    assert not at.exception
    assert any("1 new proposal" in s.value and "read 1 new message" in s.value for s in at.success)
    assert any("last checked" in c.value and "read 1 new messages" in c.value for c in at.caption)

    at.button(key="mailbox_disconnect").click().run()
    db, store = read_store(db_path)
    assert store.settings.get(MAILBOX_SETTING) in (None, "")
    assert store.mail.sync_state(f"{USER}@127.0.0.1:{dovecot.port}", "INBOX") is None
    assert len(store.mail.findings()) == 2  # the proposals stay, to confirm or dismiss
    db.close()
    assert any(b.label == "Connect and check" for b in at.button)  # the form again


@pytest.mark.slow
def test_a_wrong_password_is_shown_literally_and_nothing_is_saved(run_page, db_path, dovecot, no_keyring):
    at = fill_form(run_page("pages/data.py", db_path), dovecot.port, "*wrong* <b>pass</b>")
    errors = [e.value for e in at.error]
    assert any("did not accept the user name or password" in e for e in errors), errors
    assert not any("*wrong*" in e or "<b>" in e for e in errors)  # never echoed
    db, store = read_store(db_path)
    assert store.settings.get(MAILBOX_SETTING) is None and store.mail.findings() == []
    db.close()
