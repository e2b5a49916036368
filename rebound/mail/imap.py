"""Read a mailbox where it lives, over IMAP, and strictly read-only.

- TLS with a verified certificate (implicit TLS, or STARTTLS); plain IMAP only to this computer
  (a loopback address), so a password never crosses a network unencrypted.
- EXAMINE, never SELECT, and BODY.PEEK[]: no message becomes read; no STORE, COPY, MOVE or EXPUNGE is
  ever sent (the connection class refuses them).
- Incremental: a folder's UIDVALIDITY and the last UID read are kept (store.mail.sync_state); the next
  check fetches only higher UIDs. A new UIDVALIDITY (the server renumbered the folder) reads it again
  from the start date; the findings already recorded are recognised by their Message-ID.
- Bounded memory: sizes first (RFC822.SIZE), then bodies in batches of at most `batch_bytes`; a
  message over `max_bytes` is skipped and named by its UID; every batch is handed to `on_batch`
  (which records its findings and its last UID in one transaction), so a dropped connection loses
  at most the batch in flight and the next check goes on from there.
- Each message is read exactly as a .eml file is (rebound.mail.parse.read_eml_file, then
  rebound.mail.scan.scan_items), in the fenced worker (rebound.fence: the OS bounds its memory and CPU
  time), one worker per batch of bodies: findings are proposals the user confirms; one broken message,
  or one that breaks a ceiling, becomes a named problem and the rest are still read.
- A Message-ID already recorded is judged by content (store.mail.record_counted): the same mail again is
  a duplicate, counted in the summary; other content under the same id (an offer after a rejection) is
  a new proposal.
"""

from __future__ import annotations

import datetime as dt
import imaplib
import ipaddress
import re
import socket
import ssl
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from rebound.errors import MailboxError
from rebound.mail.parse import Problem
from rebound.mail.scan import ScanResult, fenced_messages, merge

if TYPE_CHECKING:
    from rebound.mail.repository import MailRepository
    from rebound.mail.scan import Finding

IMAPS_PORT = 993
IMAP_PORT = 143
DEFAULT_FOLDER = "INBOX"
DEFAULT_SINCE_DAYS = 182  # a first sync reads about six months back unless the user picks a day
MAX_MESSAGE_BYTES = 25 * 1024 * 1024  # a larger message (an attachment) is skipped, its UID named
BATCH_BYTES = 8 * 1024 * 1024  # bodies fetched per round trip, at most (one larger message goes alone)
SIZE_CHUNK = 500  # UIDs per size request
TIMEOUT = 30.0  # seconds without an answer before a check gives up
# Commands a read-only check may send; anything else (SELECT, STORE, COPY, MOVE, EXPUNGE, APPEND …) is refused.
READ_ONLY_COMMANDS = frozenset(
    {"CAPABILITY", "LOGIN", "AUTHENTICATE", "STARTTLS", "EXAMINE", "UID", "LOGOUT", "NOOP", "ID", "ENABLE"}
)
READ_ONLY_UID_COMMANDS = frozenset({"SEARCH", "FETCH"})

# Server presets for the common providers (all implicit TLS on 993). Each needs an app password for IMAP
# when the account has two-step sign-in (Gmail, iCloud and Fastmail always; Outlook for personal accounts).
PRESETS: dict[str, tuple[str, int]] = {
    "Gmail": ("imap.gmail.com", IMAPS_PORT),
    "Outlook": ("outlook.office365.com", IMAPS_PORT),
    "Fastmail": ("imap.fastmail.com", IMAPS_PORT),
    "iCloud": ("imap.mail.me.com", IMAPS_PORT),
}
APP_PASSWORD_HELP = {
    "gmail.com": "Gmail needs an app password for IMAP: create one at https://myaccount.google.com/apppasswords",
    "googlemail.com": "Gmail needs an app password for IMAP: create one at https://myaccount.google.com/apppasswords",
    "office365.com": "Outlook needs an app password when two-step verification is on: "
    "https://account.live.com/proofs/AppPassword",
    "outlook.com": "Outlook needs an app password when two-step verification is on: "
    "https://account.live.com/proofs/AppPassword",
    "fastmail.com": "Fastmail needs an app password for IMAP: Settings → Privacy & Security → App passwords",
    "me.com": "iCloud needs an app-specific password for IMAP: https://account.apple.com → Sign-In and Security",
    "icloud.com": "iCloud needs an app-specific password for IMAP: https://account.apple.com → Sign-In and Security",
}


# -- where to read --------------------------------------------------------------------------------
def is_loopback(host: str) -> bool:
    """This computer: 127.0.0.0/8, ::1 or localhost (never resolved: a name could point anywhere)."""
    name = host.strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Account:
    host: str
    user: str
    port: int = IMAPS_PORT
    folder: str = DEFAULT_FOLDER
    security: str = "tls"  # tls (implicit, port 993), starttls, or plain (loopback only)

    def __post_init__(self) -> None:
        if not self.host or not self.user:
            raise MailboxError("A mailbox needs a server and a user name.")
        if self.security not in ("tls", "starttls", "plain"):
            raise MailboxError(f"Unknown connection security {self.security!r}: use tls, starttls or plain.")
        if self.security == "plain" and not is_loopback(self.host):
            raise MailboxError(
                f"Plain IMAP would send your password to {self.host} unencrypted: Rebound uses it only on this "
                f"computer (127.0.0.1). Use imaps://{self.user}@{self.host}/{self.folder} (TLS, port 993)."
            )
        if not 0 < self.port < 65536:
            raise MailboxError(f"{self.port} is not a port number.")

    @property
    def key(self) -> str:
        """Names the account in the sync state and the keyring: user@host:port (no password, no folder)."""
        return f"{self.user}@{self.host.lower()}:{self.port}"

    @property
    def label(self) -> str:
        return f"{self.user}@{self.host}/{self.folder}"


def parse_url(url: str) -> Account:
    """imaps://USER@HOST[:PORT]/FOLDER (TLS), or imap://USER@127.0.0.1:PORT/FOLDER (plain, this computer only)."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in ("imaps", "imap"):
        raise MailboxError(f"{url!r} is not a mailbox address: use imaps://USER@HOST/FOLDER.")
    if parts.password is not None:
        raise MailboxError(
            "Put no password in the mailbox address (it would stay in your shell's history): "
            "Rebound reads it from REBOUND_IMAP_PASSWORD, the keyring, or asks for it."
        )
    if not parts.username or not parts.hostname:
        raise MailboxError(f"{url!r} needs a user and a server: imaps://USER@HOST/FOLDER.")
    try:
        port = parts.port
    except ValueError as error:
        raise MailboxError(f"{url!r} has a port that is not a number.") from error
    folder = unquote(parts.path.lstrip("/")) or DEFAULT_FOLDER
    security = "tls" if scheme == "imaps" else "plain"
    return Account(
        parts.hostname,
        unquote(parts.username),
        port or (IMAPS_PORT if security == "tls" else IMAP_PORT),
        folder,
        security,
    )


# -- what a check found ---------------------------------------------------------------------------
@dataclass
class SyncState:
    uidvalidity: int
    last_uid: int
    since: dt.date


@dataclass
class SyncReport:
    account: Account
    state: SyncState
    result: ScanResult = field(default_factory=ScanResult)
    new: int = 0  # messages the server had that this check had not read
    too_large: list[int] = field(default_factory=list)  # UIDs skipped for their size
    restarted: bool = False  # the folder's UIDVALIDITY changed: read again from `since`
    error: str | None = None  # the connection dropped: what was read before is kept
    recorded: int = 0  # new proposals this check recorded (check_mailbox with record=True)
    duplicates: int = 0  # findings already recorded (same Message-ID, same content): not proposed again

    def summary(self) -> str:
        r = self.result
        text = (
            f"{self.account.label}: read {r.messages:,} new message{'s' if r.messages != 1 else ''}; "
            f"{len(r.findings)} about your job search."
        )
        if self.restarted:
            text += f" The server renumbered this folder, so it was read again from {self.state.since:%d %b %Y}."
        # Recorded: the database's count (every batch's own repeats, and mail recorded before, this check's
        # earlier batches included); not recorded: the repeats this check read. The first is never smaller.
        duplicates = max(self.duplicates, r.duplicates)
        if duplicates:
            text += (
                f" {duplicates} {'was' if duplicates == 1 else 'were'} already read before (the same Message-ID "
                "and content): skipped as duplicates."
            )
        if self.too_large:
            text += f" Skipped as too large: UID {', '.join(map(str, self.too_large[:20]))}."
        if r.problems:
            text += f" {len(r.problems)} could not be read exactly (named below)."
        if self.error:
            text += f" {self.error}"
        return text


# -- the connection -------------------------------------------------------------------------------
class _ReadOnly:
    """Mixed into imaplib's classes: refuses every command that could change the mailbox, and any
    literal larger than a message may be (a hostile server's endless literal)."""

    max_literal = MAX_MESSAGE_BYTES + 1024 * 1024

    def _command(self, name: str, *args: Any) -> Any:
        if name not in READ_ONLY_COMMANDS or (
            name == "UID" and (not args or str(args[0]).upper() not in READ_ONLY_UID_COMMANDS)
        ):
            raise MailboxError(f"Rebound reads mail only; it never sends {name} {args[:1]}.")
        return super()._command(name, *args)  # type: ignore[misc]

    def read(self, size: int) -> bytes:
        if size > self.max_literal:
            raise imaplib.IMAP4.abort(f"the server sent an item of {size:,} bytes, more than a message may have")
        return super().read(size)  # type: ignore[misc]


class _IMAP4(_ReadOnly, imaplib.IMAP4):
    pass


class _IMAP4_SSL(_ReadOnly, imaplib.IMAP4_SSL):
    pass


def tls_context() -> ssl.SSLContext:
    """Certificates verified against the system's authorities, host names checked."""
    return ssl.create_default_context()


def _where(account: Account) -> str:
    return f"{account.host}:{account.port}"


def _connect(account: Account, timeout: float, context: ssl.SSLContext | None) -> imaplib.IMAP4:
    where = _where(account)
    try:
        if account.security == "tls":
            return _IMAP4_SSL(account.host, account.port, ssl_context=context or tls_context(), timeout=timeout)
        conn = _IMAP4(account.host, account.port, timeout=timeout)
        if account.security == "starttls":
            try:
                conn.starttls(ssl_context=context or tls_context())
            except imaplib.IMAP4.error as error:
                conn.shutdown()
                raise MailboxError(
                    f"{where} does not offer STARTTLS, so the password could only go unencrypted: "
                    "Rebound did not send it. Use implicit TLS (port 993) if the server has it."
                ) from error
        return conn
    except ssl.SSLCertVerificationError as error:
        raise MailboxError(
            f"The certificate of {account.host} could not be verified ({error.verify_message}): the connection "
            "may not be the server you meant, so Rebound did not send your password. Check the server name."
        ) from error
    except ssl.SSLError as error:
        raise MailboxError(
            f"{where} did not complete a TLS handshake ({error.reason or error}). Is the port right (993 for imaps)?"
        ) from error
    except socket.gaierror as error:
        raise MailboxError(f"The server {account.host} was not found. Check its name.") from error
    except ConnectionRefusedError as error:
        raise MailboxError(f"{where} refused the connection: no IMAP server answers on that port.") from error
    except TimeoutError as error:
        raise MailboxError(f"{where} did not answer within {timeout:g} seconds. Try again later.") from error
    except (OSError, imaplib.IMAP4.error) as error:
        raise MailboxError(f"Could not connect to {where}: {error}.") from error


_APP_PASSWORD = re.compile(
    r"application-specific password|app(?:lication)?[- ]password|app-specific|\[WEBALERT|web login required"
    r"|BasicAuthBlocked|basic authentication is disabled",
    re.IGNORECASE,
)
_WRONG = re.compile(r"AUTHENTICATIONFAILED|invalid credentials|authentication failed|LOGIN failed|AUTHENTICATE failed")


def _provider_help(host: str) -> str | None:
    host = host.lower()
    return next((text for domain, text in APP_PASSWORD_HELP.items() if host.endswith(domain)), None)


def login_message(account: Account, reply: str) -> str:
    """The user's message for a refused sign-in, from the server's own reply (quoted, never trusted as markup)."""
    reply = " ".join(reply.split())[:300]
    helped = _provider_help(account.host)
    if _APP_PASSWORD.search(reply):
        return f"{account.host} wants an app password, not your usual password ({reply}). " + (
            helped or "Create one in your mail provider's security settings."
        )
    if _WRONG.search(reply):
        return f"{account.host} did not accept the user name or password for {account.user} ({reply}). " + (
            helped or "Check both; many providers want an app password for IMAP, not your usual password."
        )
    return f"{account.host} refused the sign-in for {account.user}: {reply or 'no reason given'}."


def _text(data: Sequence[Any] | None) -> str:
    return " ".join(d.decode("utf-8", "replace") if isinstance(d, bytes) else str(d) for d in (data or []) if d)


def open_mailbox(
    account: Account, password: str, timeout: float = TIMEOUT, context: ssl.SSLContext | None = None
) -> imaplib.IMAP4:
    """A signed-in connection (not yet in a folder). Raises MailboxError with the user's message."""
    conn = _connect(account, timeout, context)
    try:
        if password.isascii():
            conn.login(account.user, password)
        else:  # imaplib's LOGIN sends ASCII only; AUTHENTICATE PLAIN carries UTF-8
            secret = f"\0{account.user}\0{password}".encode()
            conn.authenticate("PLAIN", lambda _challenge: secret)
    except imaplib.IMAP4.error as error:
        _close(conn)
        raise MailboxError(login_message(account, str(error))) from None  # never the password in a traceback
    except TimeoutError as error:
        _close(conn)
        raise MailboxError(f"{_where(account)} did not answer the sign-in within {timeout:g} seconds.") from error
    except OSError as error:
        _close(conn)
        raise MailboxError(f"{_where(account)} closed the connection during sign-in ({error}).") from None
    return conn


def _close(conn: imaplib.IMAP4) -> None:
    try:
        conn.logout()
    except Exception:
        try:
            conn.shutdown()
        except Exception:
            pass


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def examine(conn: imaplib.IMAP4, account: Account) -> int:
    """Open the folder read-only (EXAMINE); its UIDVALIDITY."""
    typ, data = conn.select(_quoted(account.folder), readonly=True)
    if typ != "OK":
        raise MailboxError(f"{account.host} has no folder {account.folder!r} ({_text(data)}).")
    _, values = conn.response("UIDVALIDITY")
    try:
        return int(values[0])
    except (TypeError, ValueError, IndexError) as error:
        raise MailboxError(f"{account.host} did not say the folder's UIDVALIDITY; it cannot be read safely.") from error


_UID = re.compile(rb"\bUID (\d+)")
_SIZE = re.compile(rb"\bRFC822\.SIZE (\d+)")


def _uids(conn: imaplib.IMAP4, *criteria: str) -> list[int]:
    typ, data = conn.uid("SEARCH", *criteria)
    if typ != "OK":
        raise MailboxError(f"The server refused to list the folder's messages ({_text(data)}).")
    return sorted({int(n) for line in data if line for n in line.split()})


def _sizes(conn: imaplib.IMAP4, uids: Sequence[int]) -> dict[int, int]:
    typ, data = conn.uid("FETCH", _set(uids), "(RFC822.SIZE)")
    if typ != "OK":
        raise MailboxError(f"The server refused to give message sizes ({_text(data)}).")
    sizes = {}
    for line in data:
        head = line[0] if isinstance(line, tuple) else line
        if isinstance(head, bytes):
            uid, size = _UID.search(head), _SIZE.search(head)
            if uid and size:
                sizes[int(uid.group(1))] = int(size.group(1))
    return sizes


def _bodies(conn: imaplib.IMAP4, uids: Sequence[int]) -> dict[int, bytes]:
    typ, data = conn.uid("FETCH", _set(uids), "(BODY.PEEK[])")
    if typ != "OK":
        raise MailboxError(f"The server refused to send messages ({_text(data)}).")
    found = {}
    pending: bytes | None = None  # a body whose UID comes after it: (BODY[] {n} ... UID 7)
    for item in data:
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], bytes):
            uid = _UID.search(item[0])
            if uid:
                found[int(uid.group(1))] = item[1]
                pending = None
            else:
                pending = item[1]
        elif isinstance(item, bytes) and pending is not None:
            uid = _UID.search(item)
            if uid:
                found[int(uid.group(1))] = pending
            pending = None
    return found


def _set(uids: Sequence[int]) -> str:
    return ",".join(map(str, uids))


def _batches(uids: Sequence[int], sizes: dict[int, int], batch_bytes: int) -> Iterator[list[int]]:
    batch: list[int] = []
    total = 0
    for uid in uids:
        size = sizes.get(uid, 0)
        if batch and total + size > batch_bytes:
            yield batch
            batch, total = [], 0
        batch.append(uid)
        total += size
    if batch:
        yield batch


def _imap_date(day: dt.date) -> str:
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    return f"{day.day:02d}-{months[day.month - 1]}-{day.year}"  # IMAP's date, never the locale's


def default_since(today: dt.date | None = None) -> dt.date:
    return (today or dt.date.today()) - dt.timedelta(days=DEFAULT_SINCE_DAYS)


OnBatch = Callable[[ScanResult, SyncState], None]
OnProgress = Callable[[float, str], None]


def read_mailbox(
    account: Account,
    password: str,
    applications: list[dict],
    state: SyncState | None = None,
    since: dt.date | None = None,
    on_batch: OnBatch | None = None,
    on_progress: OnProgress | None = None,
    *,
    max_bytes: int = MAX_MESSAGE_BYTES,
    batch_bytes: int = BATCH_BYTES,
    timeout: float = TIMEOUT,
    context: ssl.SSLContext | None = None,
    fenced: dict[str, Any] | None = None,
) -> SyncReport:
    """Read what is new in one folder and scan it; `on_batch(findings of the batch, state after it)` is
    called after every batch (record both in one transaction). `since`: the first day to read on a
    first sync (or a new one: a different day from the state's reads the folder again from it).

    `fenced`: keywords for rebound.mail.scan.fenced_messages (the worker's ceilings, its reader).

    Raises MailboxError before anything was read (sign-in, certificate, folder); a connection that
    drops later ends the check with `report.error` set, everything before it handed to on_batch.
    """
    since = since or (state.since if state else default_since())
    conn = open_mailbox(account, password, timeout, context)
    try:
        uidvalidity = examine(conn, account)
        restarted = state is not None and state.uidvalidity != uidvalidity
        if state is not None and not restarted and state.since == since:
            last = state.last_uid
            uids = [u for u in _uids(conn, "UID", f"{last + 1}:*") if u > last]  # n:* always holds the newest
        else:
            last = 0
            uids = _uids(conn, "SINCE", _imap_date(since))
        report = SyncReport(account, SyncState(uidvalidity, last, since), new=len(uids), restarted=restarted)
        _read(conn, account, uids, applications, report, on_batch, on_progress, max_bytes, batch_bytes, fenced or {})
    finally:
        _close(conn)
    return report


def _read(
    conn: imaplib.IMAP4,
    account: Account,
    uids: list[int],
    applications: list[dict],
    report: SyncReport,
    on_batch: OnBatch | None,
    on_progress: OnProgress | None,
    max_bytes: int,
    batch_bytes: int,
    fenced: dict[str, Any],
) -> None:
    done = 0
    total = len(uids) or 1
    try:
        for start in range(0, len(uids), SIZE_CHUNK):
            chunk = uids[start : start + SIZE_CHUNK]
            sizes = _sizes(conn, chunk)
            wanted = []
            for uid in chunk:
                if sizes.get(uid, 0) > max_bytes:
                    report.too_large.append(uid)
                    report.result.problems.append(
                        Problem(
                            f"{account.label} UID {uid}",
                            f"is {sizes[uid] / 1024 / 1024:,.1f} MB, over the {max_bytes / 1024 / 1024:,.0f} MB "
                            "Rebound reads; skipped (an attachment this size is not a job-search reply).",
                        )
                    )
                else:
                    wanted.append(uid)
            if not wanted and chunk:  # a chunk of only oversized mail still moves the mark on
                _handoff(report, ScanResult(), chunk[-1], on_batch)
            batches = list(_batches(wanted, sizes, batch_bytes))
            for i, batch in enumerate(batches):
                bodies = _bodies(conn, batch)
                found = _scan(account, batch, bodies, applications, fenced)
                del bodies
                # UIDs are in order: the mark covers the oversized ones before it (named, never fetched),
                # and after the chunk's last batch every UID of the chunk
                _handoff(report, found, chunk[-1] if i == len(batches) - 1 else batch[-1], on_batch)
                done += len(batch)
                if on_progress:
                    on_progress(min(1.0, (done + len(report.too_large)) / total), account.folder)
    except TimeoutError:
        report.error = (
            f"{account.host} stopped answering after {report.result.messages:,} of {report.new:,} new messages; "
            "what was read is kept, and the next check goes on from there."
        )
    except (imaplib.IMAP4.abort, OSError) as error:
        report.error = (
            f"The connection to {account.host} dropped after {report.result.messages:,} of {report.new:,} new "
            f"messages ({error}); what was read is kept, and the next check goes on from there."
        )
    except imaplib.IMAP4.error as error:
        report.error = f"{account.host} stopped answering as IMAP should ({error}); the next check goes on from there."
    except MailboxError as error:
        report.error = f"{error} What was read before is kept; the next check goes on from there."
    if on_progress:
        on_progress(1.0, account.folder)


def _scan(
    account: Account,
    batch: Sequence[int],
    bodies: dict[int, bytes],
    applications: list[dict],
    fenced: dict[str, Any],
) -> ScanResult:
    """One batch's messages read in the fenced worker (rebound.mail.scan.fenced_messages: the OS bounds
    its memory and CPU time; a message that breaks a ceiling is a named problem, the rest still read)."""
    missing = ScanResult()
    raw: list[tuple[str, bytes]] = []
    for uid in batch:
        name = f"{account.label} UID {uid}"
        body = bodies.get(uid)
        if body is None:
            missing.problems.append(
                Problem(name, "was not sent by the server (deleted meanwhile, or unreadable there); skipped.")
            )
        else:
            raw.append((name, body))
    return merge(fenced_messages(raw, applications, **fenced), missing)


def _handoff(report: SyncReport, found: ScanResult, last_uid: int, on_batch: OnBatch | None) -> None:
    report.state.last_uid = max(report.state.last_uid, last_uid)
    if on_batch:
        on_batch(found, SyncState(report.state.uidvalidity, report.state.last_uid, report.state.since))
    merge(report.result, found)


# -- a check, recorded ----------------------------------------------------------------------------
def check_mailbox(
    mail: MailRepository,
    account: Account,
    password: str,
    since: dt.date | None = None,
    record: bool = True,
    on_recorded: Callable[[list[Finding]], object] | None = None,
    on_progress: OnProgress | None = None,
    **options: Any,
) -> SyncReport:
    """Read what is new in one folder from where the last check stopped (store.mail's sync state).

    `record`: each batch's findings become proposals and the folder's new mark is saved, together in
    one transaction (`on_recorded(findings)` runs inside it, e.g. the CLI's --yes confirming them).
    Without it nothing is written: the check shows what is new since the last recorded one.
    `options` go to read_mailbox (max_bytes, batch_bytes, timeout, context, fenced)."""
    saved = mail.sync_state(account.key, account.folder)
    state = SyncState(int(saved["uidvalidity"]), int(saved["last_uid"]), saved["since"]) if saved else None
    counts = {"messages": 0, "found": 0, "duplicates": 0}

    def save(found: ScanResult, new_state: SyncState) -> None:
        counts["messages"] += found.messages
        with mail.db.transaction():
            added, duplicates = mail.record_counted(found.findings)
            counts["found"] += added
            counts["duplicates"] += duplicates + found.duplicates  # the database's, and the batch's own
            if on_recorded is not None:
                on_recorded(found.findings)
            mail.save_sync_state(
                account.key,
                account.folder,
                new_state.uidvalidity,
                new_state.last_uid,
                new_state.since,
                counts["messages"],
                counts["found"],
            )

    report = read_mailbox(
        account,
        password,
        mail.applications(),
        state,
        since,
        save if record else None,
        on_progress,
        **options,
    )
    report.recorded = counts["found"]
    report.duplicates = counts["duplicates"]
    if record and report.error is None and report.result.messages == 0:  # nothing new: the check still counts
        s = report.state
        mail.save_sync_state(account.key, account.folder, s.uidvalidity, s.last_uid, s.since, 0, 0)
    return report
