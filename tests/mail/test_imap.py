"""Reading a mailbox over IMAP against a real server: Debian's Dovecot, started per test on a loopback port
with a Maildir filled by IMAP APPEND. First sync, incremental sync, flags untouched, a wrong password, a
dropped connection, a renumbered folder (UIDVALIDITY), an oversized message, and the `rebound mail URL` CLI.
"""

from __future__ import annotations

import datetime as dt
import imaplib
import json
import os
import ssl
import subprocess
import sys
from pathlib import Path

import pytest
from dovecot_server import FIXTURES, PASSWORD, SAMPLES, USER, sample, serve, with_id

from rebound.db import Database
from rebound.errors import MailboxError
from rebound.mail import imap
from rebound.mail.scan import scan_paths
from rebound.store import Store


@pytest.fixture
def dovecot():
    yield from serve()


@pytest.fixture
def dovecot_tls():
    yield from serve(tls=True)


def as_json(findings):
    return sorted((f.as_json("new") for f in findings), key=lambda f: f["message_id"])


# -- first sync, incremental, read-only -----------------------------------------------------------
def test_first_sync_reads_each_message_as_its_eml_file_does_and_marks_nothing_read(dovecot, store, monkeypatch):
    dovecot.append([sample(n) for n in SAMPLES])
    acme = store.applications.add("Acme, Inc.", "Data Analyst", "referral", dt.date(2026, 11, 1))
    sent = []
    original = imaplib.IMAP4._command

    def spy(self, name, *args):
        sent.append(name if name != "UID" else f"UID {args[0]}")
        return original(self, name, *args)

    monkeypatch.setattr(imaplib.IMAP4, "_command", spy)
    progress = []
    report = imap.check_mailbox(
        store.mail, dovecot.account(), PASSWORD, on_progress=lambda share, name: progress.append(share)
    )

    assert report.error is None and report.new == len(SAMPLES) and report.result.messages == len(SAMPLES)
    # the same findings as the same messages read from .eml files
    files = scan_paths([FIXTURES / f"{n}.eml" for n in SAMPLES], store.mail.applications())
    assert as_json(report.result.findings) == as_json(files.findings) and files.findings
    assert any(f.application_id == acme and f.kind == "rejection" for f in report.result.findings)
    # proposals, not events: nothing about the application changed
    assert {r["status"] for r in store.mail.findings(None)} == {"proposed"}
    assert len(store.mail.findings()) == len(files.findings)
    assert store.applications.get(acme)["status"] == "applied"
    # read-only for real: EXAMINE and BODY.PEEK, nothing else that could change the mailbox
    assert set(sent) <= {"CAPABILITY", "LOGIN", "EXAMINE", "UID SEARCH", "UID FETCH", "LOGOUT"}, sent
    assert "EXAMINE" in sent and "SELECT" not in sent
    assert all(b"\\Seen" not in flags for flags in dovecot.flags().values())
    state = store.mail.sync_state(dovecot.account().key, "INBOX")
    assert state["last_uid"] == len(SAMPLES) and state["messages"] == len(SAMPLES)
    assert progress[-1] == 1.0 and progress == sorted(progress)


def test_incremental_sync_reads_only_new_mail(dovecot, store):
    dovecot.append([sample(n) for n in SAMPLES[:3]])
    first = imap.check_mailbox(store.mail, dovecot.account(), PASSWORD)
    assert first.result.messages == 3

    again = imap.check_mailbox(store.mail, dovecot.account(), PASSWORD)
    assert (again.new, again.result.messages, again.result.findings) == (0, 0, [])
    assert store.mail.sync_state(dovecot.account().key, "INBOX")["checked_at"] is not None

    dovecot.append([sample(n) for n in SAMPLES[3:]])
    later = imap.check_mailbox(store.mail, dovecot.account(), PASSWORD)
    assert later.new == len(SAMPLES) - 3 and later.result.messages == len(SAMPLES) - 3
    keys = {f.message_key for f in later.result.findings}
    assert keys and keys.isdisjoint(f.message_key for f in first.result.findings)
    assert store.mail.sync_state(dovecot.account().key, "INBOX")["last_uid"] == len(SAMPLES)
    assert all(b"\\Seen" not in flags for flags in dovecot.flags().values())


def test_first_sync_starts_at_the_chosen_day(dovecot, store):
    today = dt.date.today()
    old = dt.datetime.combine(today - dt.timedelta(days=400), dt.time(12), tzinfo=dt.UTC)
    dovecot.append([sample("workday_rejection")], when=old)
    dovecot.append([sample("greenhouse_rejection_en")])

    report = imap.check_mailbox(store.mail, dovecot.account(), PASSWORD)  # default: about six months back
    assert report.result.messages == 1
    assert [f.message_key for f in report.result.findings] == ["<greenhouse_rejection_en.1@fixtures.rebound>"]
    assert store.mail.sync_state(dovecot.account().key, "INBOX")["since"] == imap.default_since(today)

    earlier = imap.check_mailbox(store.mail, dovecot.account(), PASSWORD, since=today - dt.timedelta(days=500))
    assert earlier.result.messages == 2  # a different start day reads the folder again from it
    assert len(store.mail.findings()) == 2  # the one already proposed is recognised, not proposed twice


def test_flags_set_by_the_user_stay_as_they_were(dovecot, store):
    dovecot.append([sample("greenhouse_rejection_en"), sample("offer_en")])
    conn = dovecot.client()
    conn.select("INBOX")
    conn.uid("STORE", "2", "+FLAGS", "(\\Seen \\Flagged)")
    conn.logout()
    before = dovecot.flags()
    imap.check_mailbox(store.mail, dovecot.account(), PASSWORD)
    assert dovecot.flags() == before and b"\\Seen" not in before[1]


# -- failures ------------------------------------------------------------------------------------
def test_wrong_password_is_named_and_writes_nothing(dovecot, store):
    dovecot.append([sample("greenhouse_rejection_en")])
    with pytest.raises(MailboxError) as raised:
        imap.check_mailbox(store.mail, dovecot.account(), "not the password")
    message = str(raised.value)
    assert "did not accept the user name or password" in message and "not the password" not in message
    assert raised.value.__suppress_context__  # imaplib's error (and its call) stay out of any traceback
    assert store.mail.sync_state(dovecot.account().key, "INBOX") is None and store.mail.findings() == []


def test_refused_connection_and_missing_folder_are_named(dovecot, store):
    with pytest.raises(MailboxError, match="no folder 'Jobs'"):
        imap.check_mailbox(store.mail, dovecot.account("Jobs"), PASSWORD)
    dovecot.stop()
    with pytest.raises(MailboxError, match="refused the connection"):
        imap.check_mailbox(store.mail, dovecot.account(), PASSWORD)


@pytest.mark.slow
def test_a_dropped_connection_resumes_where_it_stopped(dovecot, store):
    raws = [with_id(sample(SAMPLES[i % len(SAMPLES)]), f"drop-{i}@test") for i in range(12)]
    dovecot.append(raws)
    calls = []

    def drop_after_three(findings):
        calls.append(len(findings))
        if len(calls) == 3:
            dovecot.drop_clients()  # the connection is cut mid-sync

    # one message per batch, so the drop falls between batches already recorded
    report = imap.check_mailbox(store.mail, dovecot.account(), PASSWORD, on_recorded=drop_after_three, batch_bytes=1)
    assert report.error and "next check goes on from there" in report.error
    stopped_at = store.mail.sync_state(dovecot.account().key, "INBOX")["last_uid"]
    assert stopped_at == 3
    kept = {r["message_key"] for r in store.mail.findings(None)}

    resumed = imap.check_mailbox(store.mail, dovecot.account(), PASSWORD, batch_bytes=1)
    assert resumed.error is None and resumed.new == 12 - stopped_at == resumed.result.messages
    allkeys = {r["message_key"] for r in store.mail.findings(None)}
    assert kept < allkeys and store.mail.sync_state(dovecot.account().key, "INBOX")["last_uid"] == 12
    # every message that is about the search was proposed exactly once
    about = {n for n in SAMPLES if scan_paths([FIXTURES / f"{n}.eml"], []).findings}
    assert allkeys == {f"<drop-{i}@test>" for i in range(12) if SAMPLES[i % len(SAMPLES)] in about}


def test_a_renumbered_folder_is_read_again_from_the_start_day(dovecot, store):
    conn = dovecot.client()
    assert conn.create("Jobs")[0] == "OK"
    conn.logout()
    dovecot.append([sample("greenhouse_rejection_en"), sample("offer_en")], "Jobs")
    first = imap.check_mailbox(store.mail, dovecot.account("Jobs"), PASSWORD)
    assert first.result.messages == 2 and not first.restarted
    before = store.mail.sync_state(dovecot.account().key, "Jobs")

    conn = dovecot.client()  # the folder is deleted and made again: new UIDVALIDITY, UIDs from 1
    assert conn.delete("Jobs")[0] == "OK" and conn.create("Jobs")[0] == "OK"
    conn.logout()
    dovecot.append([sample("offer_en"), sample("greenhouse_rejection_en"), sample("workday_rejection")], "Jobs")

    again = imap.check_mailbox(store.mail, dovecot.account("Jobs"), PASSWORD)
    after = store.mail.sync_state(dovecot.account().key, "Jobs")
    assert again.restarted and after["uidvalidity"] != before["uidvalidity"]
    assert again.result.messages == 3  # all of it, though UID 3 is below nothing read before
    assert after["last_uid"] == 3
    # the two messages seen before are recognised by their Message-ID: only the new one is proposed
    assert len(store.mail.findings()) == len({f.message_key for f in again.result.findings})
    assert "renumbered" in again.summary()


def test_a_message_over_the_size_cap_is_skipped_by_uid_and_the_rest_read(dovecot, store):
    big = (
        b"From: Photos <photos@example.org>\r\nSubject: Holiday pictures\r\nMessage-ID: <big@test>\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\n"
        b"Content-Type: text/plain\r\n\r\nPictures attached.\r\n--XX\r\nContent-Type: image/jpeg\r\n"
        b"Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=a.jpg\r\n\r\n"
        + (b"QUJD" * 19 + b"\r\n") * 4000
        + b"--XX--\r\n"
    )
    dovecot.append([sample("greenhouse_rejection_en"), big, sample("offer_en")])
    report = imap.check_mailbox(store.mail, dovecot.account(), PASSWORD, max_bytes=100_000)
    assert report.too_large == [2] and report.result.messages == 2
    assert any("UID 2" in p.source and "over the" in p.message for p in report.result.problems)
    assert "UID 2" in report.summary()
    assert store.mail.sync_state(dovecot.account().key, "INBOX")["last_uid"] == 3
    again = imap.check_mailbox(store.mail, dovecot.account(), PASSWORD, max_bytes=100_000)
    assert again.too_large == [] and again.new == 0  # named once, not on every check


def test_a_broken_message_is_named_and_the_rest_read(dovecot, store):
    broken = b"\x00\x01 not a mail at all \xff\xfe\r\n"
    dovecot.append([broken, sample("greenhouse_rejection_en")])
    report = imap.check_mailbox(store.mail, dovecot.account(), PASSWORD)
    assert report.error is None
    assert any(p.source.endswith("UID 1") for p in report.result.problems)
    assert [f.message_key for f in report.result.findings] == ["<greenhouse_rejection_en.1@fixtures.rebound>"]


def test_messages_are_read_in_the_fenced_worker_one_worker_per_batch(dovecot, store, monkeypatch):
    """A header bomb is a named problem and the rest are read; a message that breaks the worker (here a
    reader that crashes on it) is named by its UID and the others are still proposed."""
    from hostile_readers import CRASH, crashing
    from test_mail_bombs import header_bomb

    from rebound import fence

    starts = []
    original = fence.run

    def counting(func, *args, **kwargs):
        starts.append(len(args[0]))
        return original(func, *args, **kwargs)

    monkeypatch.setattr(fence, "run", counting)
    dovecot.append([sample("greenhouse_rejection_en"), header_bomb("Subject"), sample("offer_en")])
    report = imap.check_mailbox(store.mail, dovecot.account(), PASSWORD)
    assert starts == [3]  # one worker for the batch, not one per message
    assert [(p.source.split()[-1], "too long" in p.message) for p in report.result.problems] == [("2", True)]
    assert len(store.mail.findings()) == 3  # the bomb's rejection too: its header was cut, its text read

    dovecot.append([CRASH + b"\r\n" + sample("lever_phone_screen"), sample("workday_rejection")])
    later = imap.check_mailbox(store.mail, dovecot.account(), PASSWORD, fenced={"reader": crashing})
    assert [p.source.split()[-1] for p in later.result.problems] == ["4"]
    assert "stopped the reader unexpectedly" in later.result.problems[0].message
    assert later.result.messages == 1 and later.recorded == 1 and later.error is None
    assert store.mail.sync_state(dovecot.account().key, "INBOX")["last_uid"] == 5


def test_a_message_id_seen_before_is_judged_by_content(dovecot, store):
    """An offer resent under a rejection's Message-ID is proposed; the same mail again is a counted duplicate."""
    dovecot.append([sample("greenhouse_rejection_en")])
    first = imap.check_mailbox(store.mail, dovecot.account(), PASSWORD)
    assert first.recorded == 1
    same_id = with_id(sample("offer_en"), "greenhouse_rejection_en.1@fixtures.rebound")
    dovecot.append([same_id])
    offer = imap.check_mailbox(store.mail, dovecot.account(), PASSWORD)
    assert offer.recorded == 1 and offer.duplicates == 0
    assert sorted(r["kind"] for r in store.mail.findings()) == ["offer", "rejection"]

    dovecot.append([same_id, sample("greenhouse_rejection_en")])  # both again, byte for byte
    again = imap.check_mailbox(store.mail, dovecot.account(), PASSWORD)
    assert again.result.messages == 2 and again.recorded == 0 and again.duplicates == 2
    assert "2 were already read before (the same Message-ID and content): skipped as duplicates" in again.summary()
    assert len(store.mail.findings()) == 2

    # the same mail twice more, each in its own batch (the second a repeat of the first): counted once each
    dovecot.append([sample("greenhouse_rejection_en")] * 2)
    apart = imap.check_mailbox(store.mail, dovecot.account(), PASSWORD, batch_bytes=1)
    assert (apart.result.messages, apart.recorded) == (2, 0)
    assert "2 were already read before" in apart.summary()


def test_the_password_is_nowhere_in_the_database(dovecot, db, store):
    dovecot.append([sample("greenhouse_rejection_en")])
    imap.check_mailbox(store.mail, dovecot.account(), PASSWORD)
    for table in store.account.user_tables():
        rows = db.cursor().execute(f'SELECT * FROM "{table}"').fetchall()  # noqa: S608 — names from the catalog
        assert PASSWORD not in repr(rows), table
    db.cursor().execute("CHECKPOINT")
    assert PASSWORD.encode() not in Path(db.path).read_bytes()


# -- TLS -----------------------------------------------------------------------------------------
@pytest.mark.slow
def test_tls_and_starttls_verify_the_certificate(dovecot_tls, store):
    server = dovecot_tls
    server.append([sample("greenhouse_rejection_en")])
    trusted = ssl.create_default_context(cafile=str(server.cert))
    implicit = imap.Account("127.0.0.1", USER, server.tls_port, "INBOX", "tls")
    report = imap.check_mailbox(store.mail, implicit, PASSWORD, context=trusted)
    assert report.error is None and report.result.messages == 1
    starttls = imap.Account("127.0.0.1", USER, server.port, "INBOX", "starttls")
    assert imap.check_mailbox(store.mail, starttls, PASSWORD, context=trusted).error is None

    # the system's authorities do not know this certificate: refused before the password is sent
    logins = server.log().count("Login: user=<sam>")
    assert logins >= 3  # the test's APPEND and the two checks above
    for account in (implicit, starttls):
        with pytest.raises(MailboxError, match="certificate of 127.0.0.1 could not be verified"):
            imap.check_mailbox(store.mail, account, PASSWORD)
    assert server.log().count("Login: user=<sam>") == logins


# -- the command line ----------------------------------------------------------------------------
def rebound(*args, password=PASSWORD):
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    env.pop("REBOUND_IMAP_PASSWORD", None)
    if password is not None:
        env["REBOUND_IMAP_PASSWORD"] = password
    return subprocess.run(
        [sys.executable, "-m", "rebound", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.slow
def test_cli_reads_a_mailbox_url_beside_files_with_the_same_json_contract(dovecot, tmp_path):
    db = str(tmp_path / "r.duckdb")
    dovecot.append([sample("greenhouse_rejection_en"), sample("job_alert_unfortunately")])
    offer = str(FIXTURES / "offer_en.eml")

    dry = rebound("mail", dovecot.url(), offer, "--json", "--db", db)
    assert dry.returncode == 0, dry.stderr
    data = json.loads(dry.stdout)
    assert set(data) == {"messages", "findings"} and data["messages"] == 3
    assert {f["status"] for f in data["findings"]} == {"new"}
    assert {f["kind"] for f in data["findings"]} >= {"rejection", "offer"}

    applied = json.loads(rebound("mail", dovecot.url(), "--json", "--apply", "--db", db).stdout)
    assert {f["status"] for f in applied["findings"]} == {"proposed"} and applied["messages"] == 2
    dovecot.append([sample("workday_rejection")])
    later = json.loads(rebound("mail", dovecot.url(), "--json", "--apply", "--yes", "--db", db).stdout)
    assert later["messages"] == 1 and [f["status"] for f in later["findings"]] == ["confirmed"]
    assert all(b"\\Seen" not in flags for flags in dovecot.flags().values())

    database = Database(db)
    store = Store(database, "local")
    assert store.mail.sync_state(dovecot.account().key, "INBOX")["last_uid"] == 3
    database.close()


@pytest.mark.slow
def test_cli_names_a_wrong_password_a_missing_one_and_plain_imap_off_this_computer(dovecot, tmp_path):
    db = str(tmp_path / "r.duckdb")
    wrong = rebound("mail", dovecot.url(), "--db", db, password="nope")
    assert wrong.returncode == 1 and "did not accept the user name or password" in wrong.stderr
    assert "Traceback" not in wrong.stderr
    missing = rebound("mail", dovecot.url(), "--db", db, password=None)
    assert missing.returncode == 2 and "REBOUND_IMAP_PASSWORD" in missing.stderr
    plain = rebound("mail", "imap://sam@mail.example.org/INBOX", "--db", db)
    assert plain.returncode == 2 and "unencrypted" in plain.stderr
