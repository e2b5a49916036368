"""Checking a remembered mailbox in the background when the app opens.

When the user asked Rebound to remember the mailbox's password (the OS keyring, on their own computer),
opening the app starts one check of each folder in a thread, so the page never waits for the server:
what it finds joins the proposals (nothing changes until the user confirms), and Today counts them.

- One check at a time per mailbox, database and user in this process: a second open (another tab, a
  reload) while one runs joins it instead of starting another.
- Never in a tight loop: after a check ends (found something, nothing, or failed) the next one starts
  no sooner than MIN_INTERVAL later, however often the app is opened.
- A failure (a wrong password, a server down, anything unexpected) is kept as a plain sentence with its
  time, for a quiet note; never a traceback.
- Stoppable between batches (`stop_all`, before the database is closed, e.g. to change its passphrase):
  a batch's findings and its mark land together or not at all, so a stopped check loses nothing.
- The thread writes through the mail repository it is given: rebound.db.Database hands each thread its
  own cursor, and writes in one process take turns (its write lock), so the check's transactions and
  the page's never interleave. It touches no Streamlit.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rebound.dates import utcnow
from rebound.errors import MailboxError
from rebound.mail import imap

if TYPE_CHECKING:
    from rebound.mail.repository import MailRepository

MIN_INTERVAL = dt.timedelta(minutes=10)  # between the end of one background check and the start of the next


@dataclass
class Outcome:
    """One background check: started, then (once the thread ends) finished, with what it recorded."""

    started_at: dt.datetime
    finished_at: dt.datetime | None = None
    recorded: int = 0  # new proposals
    messages: int = 0  # new messages read
    errors: list[str] = field(default_factory=list)  # each folder's failure, as the user reads it
    no_password: bool = False  # nothing remembered (any more): no check was made
    stop: threading.Event = field(default_factory=threading.Event, repr=False)  # asked to stop (stop_all)

    @property
    def running(self) -> bool:
        return self.finished_at is None

    @property
    def failed(self) -> bool:
        return not self.running and bool(self.errors)


Key = tuple[str, str, str]  # (database, user, account)
_LOCK = threading.Lock()
_CHECKS: dict[Key, tuple[Outcome, threading.Thread]] = {}


def key_of(mail: MailRepository, account_key: str) -> Key:
    return (mail.db.identity, mail.user_id, account_key)


def status(mail: MailRepository, account_key: str) -> Outcome | None:
    """The latest background check of this mailbox in this process (running or finished), or None."""
    with _LOCK:
        kept = _CHECKS.get(key_of(mail, account_key))
    return kept[0] if kept else None


def start(
    mail: MailRepository,
    accounts: Sequence[imap.Account],
    password_for: Callable[[str], str | None],
    *,
    now: Callable[[], dt.datetime] = utcnow,
    **options: Any,
) -> Outcome | None:
    """Check these folders (one mailbox) in a background thread; returns the check now running (a new
    one, or the one already running), or None when one ended less than MIN_INTERVAL ago.
    `password_for(account key)` is asked in the thread (a keyring lookup may take a moment); `options`
    go to imap.check_mailbox."""
    if not accounts:
        return None
    key = key_of(mail, accounts[0].key)
    with _LOCK:
        kept = _CHECKS.get(key)
        if kept is not None:
            last, _ = kept
            if last.running:
                return last
            if last.finished_at is not None and now() - last.finished_at < MIN_INTERVAL:
                return None
        outcome = Outcome(now())
        thread = threading.Thread(
            target=_check,
            args=(outcome, mail, list(accounts), password_for, now, options),
            name=f"rebound-mail-check-{accounts[0].key}",
            daemon=True,  # a server stopping does not wait for a slow IMAP server
        )
        _CHECKS[key] = (outcome, thread)
        thread.start()
    return outcome


def _check(
    outcome: Outcome,
    mail: MailRepository,
    accounts: list[imap.Account],
    password_for: Callable[[str], str | None],
    now: Callable[[], dt.datetime],
    options: dict[str, Any],
) -> None:
    try:
        password = password_for(accounts[0].key)
        if not password:
            outcome.no_password = True
            return

        def progress(_share: float, _folder: str) -> None:  # called after each batch is recorded
            if outcome.stop.is_set():
                raise _Stopped

        for account in accounts:
            if outcome.stop.is_set():
                raise _Stopped
            try:
                report = imap.check_mailbox(mail, account, password, on_progress=progress, **options)
            except MailboxError as error:
                outcome.errors.append(f"{account.folder}: {error}")
                continue
            outcome.recorded += report.recorded
            outcome.messages += report.result.messages
            if report.error:
                outcome.errors.append(f"{account.folder}: {report.error}")
    except _Stopped:
        outcome.errors.append("The check was stopped before it ended; what it read is kept.")
    except Exception as error:  # noqa: BLE001 (a thread's error would only reach stderr; the user gets a sentence)
        outcome.errors.append(f"The check stopped unexpectedly ({type(error).__name__}); it will be tried again later.")
    finally:
        outcome.finished_at = now()


class _Stopped(Exception):
    pass


def stop_all(timeout: float = imap.TIMEOUT + 5) -> None:
    """Ask every running check to stop after the batch it is recording, and wait for them (at most
    `timeout` seconds each): before the database they write is closed."""
    with _LOCK:
        kept = list(_CHECKS.values())
    for outcome, _ in kept:
        outcome.stop.set()
    for _, thread in kept:
        thread.join(timeout)


def wait(mail: MailRepository, account_key: str, timeout: float | None = None) -> Outcome | None:
    """Wait for this mailbox's background check to end (tests, and a server shutting down)."""
    with _LOCK:
        kept = _CHECKS.get(key_of(mail, account_key))
    if kept is None:
        return None
    kept[1].join(timeout)
    return kept[0]


def forget(mail: MailRepository, account_key: str) -> None:
    """Drop what is kept of this mailbox's checks (Disconnect): a running one finishes on its own."""
    with _LOCK:
        _CHECKS.pop(key_of(mail, account_key), None)


def wait_all(timeout: float | None = None) -> None:
    """Wait for every background check of this process to end (tests)."""
    with _LOCK:
        threads = [thread for _, thread in _CHECKS.values()]
    for thread in threads:
        thread.join(timeout)
