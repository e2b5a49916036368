"""The background check of a remembered mailbox (rebound.mail.background) against a real Dovecot: it runs
in a thread on its own cursor, one at a time per mailbox, never again within MIN_INTERVAL (a failure is
not retried in a loop), and a failure is kept as a sentence, never raised."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from dovecot_server import PASSWORD, sample, serve

from rebound.mail import background


@pytest.fixture
def dovecot():
    yield from serve()


def password(_key: str) -> str:
    return PASSWORD


def test_a_check_runs_in_a_thread_and_records_proposals(dovecot, store):
    dovecot.append([sample("greenhouse_rejection_en"), sample("offer_en"), sample("newsletter_tips")])
    account = dovecot.account()
    started = background.start(store.mail, [account], password)
    assert started is not None
    done = background.wait(store.mail, account.key, timeout=60)
    assert done is started and not done.running and not done.failed
    assert (done.recorded, done.messages) == (2, 3)
    assert {r["status"] for r in store.mail.findings()} == {"proposed"} and len(store.mail.findings()) == 2
    assert store.mail.sync_state(account.key, "INBOX")["last_uid"] == 3
    assert all(b"\\Seen" not in f for f in dovecot.flags().values())


def test_a_second_start_while_one_runs_joins_it(dovecot, store):
    dovecot.append([sample("greenhouse_rejection_en")])
    account = dovecot.account()
    go = threading.Event()
    asked = []

    def slow_password(key: str) -> str:
        asked.append(key)
        go.wait(30)
        return PASSWORD

    first = background.start(store.mail, [account], slow_password)
    second = background.start(store.mail, [account], slow_password)
    assert first is second and first is not None and first.running
    go.set()
    background.wait(store.mail, account.key, timeout=60)
    assert asked == [account.key] and first.recorded == 1
    assert background.start(store.mail, [account], slow_password) is None  # just checked: not again yet


def test_a_failure_is_a_sentence_and_is_not_retried_in_a_loop(dovecot, store):
    account = dovecot.account()
    clock = [dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)]
    failed = background.start(store.mail, [account], lambda _key: "wrong", now=lambda: clock[0])
    background.wait(store.mail, account.key, timeout=60)
    assert failed is not None and failed.failed
    assert "did not accept the user name or password" in failed.errors[0] and "wrong" not in failed.errors[0]
    clock[0] += dt.timedelta(minutes=1)
    assert background.start(store.mail, [account], password, now=lambda: clock[0]) is None
    assert background.status(store.mail, account.key) is failed
    clock[0] += background.MIN_INTERVAL
    dovecot.stop()
    down = background.start(store.mail, [account], password, now=lambda: clock[0])
    background.wait(store.mail, account.key, timeout=60)
    assert down is not None and down is not failed and "refused the connection" in down.errors[0]


def test_nothing_remembered_makes_no_check(dovecot, store):
    account = dovecot.account()
    outcome = background.start(store.mail, [account], lambda _key: None)
    background.wait(store.mail, account.key, timeout=30)
    assert outcome is not None and outcome.no_password and not outcome.failed
    assert store.mail.sync_state(account.key, "INBOX") is None


def test_an_unexpected_error_is_kept_as_a_sentence(dovecot, store):
    account = dovecot.account()

    def broken(_key: str) -> str:
        raise RuntimeError("a bug, with a traceback nobody should see")

    outcome = background.start(store.mail, [account], broken)
    background.wait(store.mail, account.key, timeout=30)
    assert outcome is not None and outcome.failed
    assert outcome.errors == ["The check stopped unexpectedly (RuntimeError); it will be tried again later."]


def test_a_check_asked_to_stop_stops_and_writes_nothing_half(dovecot, store):
    """Before its database is closed (a passphrase change), a running check is stopped between batches."""
    dovecot.append([sample("greenhouse_rejection_en"), sample("offer_en")])
    account = dovecot.account()
    go = threading.Event()

    def slow_password(_key: str) -> str:
        go.wait(30)
        return PASSWORD

    outcome = background.start(store.mail, [account], slow_password)
    stopper = threading.Thread(target=background.stop_all)
    stopper.start()
    go.set()
    stopper.join(60)
    assert outcome is not None and not outcome.running
    assert outcome.errors == ["The check was stopped before it ended; what it read is kept."]
    assert store.mail.sync_state(account.key, "INBOX") is None and store.mail.findings() == []
