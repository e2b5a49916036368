"""SIGKILL of the fenced worker mid-import, mid-restore and mid-mail: the command says plainly that
the reader stopped, and the database holds exactly what it held before (the worker only reads; the
parent writes after it answers, in one transaction)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_faults import _backup, _seed_database, rows
from test_import import linkedin_csv

ROOT = Path(__file__).resolve().parents[2]


def _mbox(tmp: Path) -> Path:
    """A mailbox big enough to be read for a few seconds: many copies of the fixtures' messages."""
    messages = sorted((ROOT / "tests" / "fixtures" / "mail").glob("*.eml"))
    out = tmp / "big.mbox"
    with open(out, "wb") as fh:
        for i in range(400):
            for m in messages:
                raw = m.read_bytes().replace(b"\r\n", b"\n")
                raw = raw.replace(b"Message-ID: <", f"Message-ID: <{i}-".encode(), 1)
                fh.write(b"From someone@example.com Mon Dec  7 09:00:00 2026\n" + raw.rstrip(b"\n") + b"\n\n")
    return out


def _csv(tmp: Path) -> Path:
    out = tmp / "Job Applications.csv"
    out.write_bytes(linkedin_csv(60_000))
    return out


READERS = {
    "import": lambda tmp: ["import", str(_csv(tmp))],
    "restore": lambda tmp: ["restore", str(_backup(tmp)), "--yes"],
    "mail": lambda tmp: ["mail", str(_mbox(tmp)), "--apply", "--yes"],
}


def _worker_of(pid: int) -> int | None:
    """The fenced worker among the children of `pid`, if it is running."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return None
    for child in map(int, children):
        try:
            if b"rebound.fence" in Path(f"/proc/{child}/cmdline").read_bytes():
                return child
        except OSError:
            continue
    return None


@pytest.mark.slow
@pytest.mark.parametrize("reader", list(READERS))
def test_sigkill_of_the_worker_writes_nothing_and_says_so(tmp_path, reader):
    path = str(tmp_path / "base.duckdb")
    _seed_database(path)
    before = rows(path)
    args = READERS[reader](tmp_path)
    proc = subprocess.Popen(
        [sys.executable, "-m", "rebound", *args, "--db", path],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    worker, deadline = None, time.monotonic() + 120
    while worker is None and proc.poll() is None and time.monotonic() < deadline:
        worker = _worker_of(proc.pid)
        time.sleep(0.01)
    assert worker is not None, "the command read without a fenced worker"
    time.sleep(0.5)  # into its work: past the interpreter's start
    os.kill(worker, signal.SIGKILL)
    out, err = proc.communicate(timeout=120)
    message = err.decode()
    assert proc.returncode == 1, (out, message)
    assert "its reader stopped unexpectedly (signal SIGKILL). Nothing was changed." in message
    assert "Traceback" not in message
    assert rows(path) == before
    assert list(tmp_path.glob("backups/*/*")) == []  # a restore that never read kept nothing aside
