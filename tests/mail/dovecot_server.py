"""A real IMAP server for tests: Debian's Dovecot, started on a free loopback port with its mail, state and
configuration in a temporary folder, filled with IMAP APPEND (tests/mail/test_imap.py, the Data page's
mailbox AppTest). Skipped with a reason where Dovecot is missing; under REBOUND_REQUIRE_BROWSER=1 (CI) it
fails instead.
"""

from __future__ import annotations

import datetime as dt
import imaplib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from rebound.mail import imap

FIXTURES = Path(__file__).parents[1] / "fixtures" / "mail"
USER, PASSWORD = "sam", "correct horse battery"
MAIL_UID = MAIL_GID = 65534  # nobody/nogroup: Dovecot refuses to deliver as root
SAMPLES = [
    "greenhouse_rejection_en",
    "offer_en",
    "job_alert_unfortunately",
    "lever_phone_screen",
    "linkedin_sent",
    "newsletter_tips",
    "workday_rejection",
    "de_rejection_personio",
]
DOVECOT = shutil.which("dovecot") or ("/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None)

CONF = """\
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
default_login_user = dovenull
default_internal_user = dovecot
{ssl}
disable_plaintext_auth = no
auth_failure_delay = 0
auth_mechanisms = plain login
mail_location = maildir:~/Maildir
shutdown_clients = yes
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {root}/passwd
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
  }}
}}
service anvil {{
  chroot =
}}
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Dovecot:
    """One Dovecot on a free loopback port, its mail and state in a temporary folder; stopped by master.pid."""

    def __init__(self, tls: bool = False) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="rebound-dovecot-"))
        self.root.chmod(0o755)  # the mail user (nobody) walks into it
        for name in ("run", "state", "mail"):
            (self.root / name).mkdir()
        os.chown(self.root / "mail", MAIL_UID, MAIL_GID)
        self.port = _free_port()
        (self.root / "passwd").write_text(
            f"{USER}:{{PLAIN}}{PASSWORD}:{MAIL_UID}:{MAIL_GID}::{self.root}/mail/{USER}\n", encoding="utf-8"
        )
        self.tls_port = _free_port() if tls else 0
        self.cert = self.root / "cert.pem"
        ssl_conf = "ssl = no"
        if tls:  # a self-signed certificate for 127.0.0.1: trusted only by a context told to
            subprocess.run(
                ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                 "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(self.root / "key.pem"),
                 "-out", str(self.cert)],
                check=True, capture_output=True, timeout=60,
            )  # fmt: skip
            ssl_conf = f"ssl = yes\nssl_cert = <{self.cert}\nssl_key = <{self.root / 'key.pem'}"
        self.conf = self.root / "dovecot.conf"
        self.conf.write_text(
            CONF.format(root=self.root, port=self.port, tls_port=self.tls_port, ssl=ssl_conf), encoding="utf-8"
        )

    def start(self) -> None:
        # it daemonizes: its output goes to a file, not a pipe a finished run would wait on
        with open(self.root / "start.log", "ab") as out:
            subprocess.run([DOVECOT, "-c", str(self.conf)], check=True, stdout=out, stderr=out, timeout=20)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"Dovecot did not listen on {self.port}: {self.log()}")

    def _master(self) -> int | None:
        pid_file = self.root / "run" / "master.pid"
        return int(pid_file.read_text().strip()) if pid_file.exists() else None

    def _children(self, name: str | None = None) -> list[int]:
        """The master's processes (named `name`, e.g. "imap": one per client connection)."""
        master, found = self._master(), []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
                comm = stat.with_name("comm").read_text().strip()
            except OSError:
                continue
            if int(fields[1]) == master and (name is None or comm == name):
                found.append(int(stat.parent.name))
        return found

    def drop_clients(self) -> None:
        """Cut every client connection (the processes serving them are killed); the server stays up."""
        for pid in self._children("imap"):
            os.kill(pid, signal.SIGKILL)

    def stop(self) -> None:
        """Gone at once (a clean shutdown takes Dovecot ~2.5 s): the master and its processes killed."""
        master = self._master()
        if master is None:
            return
        children = self._children()
        for pid in [master, *children]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and Path(f"/proc/{master}").exists():
            time.sleep(0.02)
        (self.root / "run" / "master.pid").unlink(missing_ok=True)

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

    def client(self) -> imaplib.IMAP4:
        """The test's own connection (it may write: APPEND, CREATE, DELETE); Rebound's never does."""
        conn = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        conn.login(USER, PASSWORD)
        return conn

    def append(self, raws: list[bytes], folder: str = "INBOX", when: dt.datetime | None = None) -> None:
        conn = self.client()
        try:
            date = imaplib.Time2Internaldate(when.timestamp()) if when else None
            for raw in raws:
                typ, data = conn.append(folder, None, date, raw)
                assert typ == "OK", data
        finally:
            conn.logout()

    def flags(self, folder: str = "INBOX") -> dict[int, bytes]:
        conn = self.client()
        try:
            conn.select(folder, readonly=True)
            typ, data = conn.uid("FETCH", "1:*", "(FLAGS)")
            out = {}
            for line in data:
                if isinstance(line, bytes):
                    uid = int(line.split(b"UID ")[1].split()[0].rstrip(b")"))
                    out[uid] = line.split(b"FLAGS (")[1].split(b")")[0]
            return out
        finally:
            conn.logout()

    def account(self, folder: str = "INBOX") -> imap.Account:
        return imap.Account("127.0.0.1", USER, self.port, folder, "plain")

    def url(self, folder: str = "INBOX") -> str:
        return f"imap://{USER}@127.0.0.1:{self.port}/{folder}"

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def serve(tls: bool = False):
    """A fixture's body: yields a started Dovecot (a TLS listener too, with `tls`), stops and removes it after."""
    if DOVECOT is None or os.geteuid() != 0:
        why = "Debian's dovecot-imapd is not installed" if DOVECOT is None else "Dovecot's test setup runs as root"
        if os.environ.get("REBOUND_REQUIRE_BROWSER"):
            pytest.fail(f"{why}: the IMAP tests must run in CI (apt-get install dovecot-imapd)")
        pytest.skip(f"{why} (apt-get install dovecot-imapd); the IMAP tests need a real server")
    server = Dovecot(tls)
    try:
        server.start()
        yield server
    finally:
        server.cleanup()


def sample(name: str) -> bytes:
    return (FIXTURES / f"{name}.eml").read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def with_id(raw: bytes, message_id: str) -> bytes:
    """A copy of a message under another Message-ID (a different message to Rebound)."""
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = [line for line in head.split(b"\r\n") if not line.lower().startswith(b"message-id:")]
    return b"\r\n".join([*lines, f"Message-ID: <{message_id}>".encode()]) + b"\r\n\r\n" + body
