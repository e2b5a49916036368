"""A journal of changes (DuckDB's .wal) that a crash cut short: said once, kept aside, never silent.

Measured (DuckDB 1.5.3 and 1.5.5, the versions CI runs): DuckDB opens a database whose .wal was cut
short without any error or message; it replays every transaction whose entries are complete, drops
the one the cut went through, and removes the .wal at the next checkpoint (a cut inside the first
transaction leaves nothing replayed). These tests make a real .wal (a process that writes and is
killed with SIGKILL before any checkpoint), cut it, and check what Rebound says and keeps.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from rebound.cli import main
from rebound.db import Database, wal_cut_short
from rebound.store import Store

ROOT = Path(__file__).resolve().parents[2]
CRASH = """
import datetime as dt, os, signal, sys
from rebound.db import Database
from rebound.store import Store

db = Database(sys.argv[1])  # creates and migrates the file (a checkpoint): what follows is only in the .wal
store = Store(db, "local")
for n in range(int(sys.argv[2])):
    store.applications.add(f"Company {n}", "Analyst", "referral", dt.date(2026, 11, 1) + dt.timedelta(days=n))
os.kill(os.getpid(), signal.SIGKILL)  # no checkpoint, no close: the last rows live only in the .wal
"""


def crashed(path: Path, saves: int) -> bytes:
    """A database at `path` whose last `saves` applications (one transaction each) are only in its .wal."""
    done = subprocess.run([sys.executable, "-c", CRASH, str(path), str(saves)], cwd=ROOT, capture_output=True)
    assert done.returncode == -9, done.stderr.decode()
    wal = Path(f"{path}.wal")
    assert wal.is_file() and wal.stat().st_size > 0
    return wal.read_bytes()


def companies(path: Path) -> list[str]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return [r[0] for r in con.execute("SELECT company FROM applications ORDER BY company").fetchall()]
    finally:
        con.close()


@pytest.fixture(scope="module")
def journal(tmp_path_factory) -> tuple[Path, bytes]:
    """One crashed database (kept closed, copied by each test) and its complete .wal: three saves."""
    path = tmp_path_factory.mktemp("crash") / "rebound.duckdb"
    return path, crashed(path, 3)


def _copy(journal, tmp_path: Path, wal: bytes) -> Path:
    source, _ = journal
    path = tmp_path / "rebound.duckdb"
    path.write_bytes(source.read_bytes())
    Path(f"{path}.wal").write_bytes(wal)
    return path


def test_a_journal_cut_short_is_said_and_kept_aside(journal, tmp_path):
    _, wal = journal
    cut = wal[:-3]  # the crash hit while the last save's commit mark was being written
    path = _copy(journal, tmp_path, cut)
    db = Database(str(path))
    try:
        assert db.notice and db.notice.startswith(
            "The last changes before the crash could not be recovered: the journal of changes was cut short"
        )
        kept = list(tmp_path.glob("rebound.duckdb.wal.cut-*"))
        assert len(kept) == 1 and kept[0].read_bytes() == cut and str(kept[0]) in db.notice
        # what DuckDB does with it: the complete saves come back, the cut one is gone, silently
        assert sorted(Store(db, "local").applications.all()["company"]) == ["Company 0", "Company 1"]
    finally:
        db.close()
    assert not Path(f"{path}.wal").exists()  # DuckDB folded the log in and removed it: only the copy is left
    again = Database(str(path))
    assert again.notice is None  # said once, for the crash it was
    again.close()


def test_a_complete_journal_says_nothing(journal, tmp_path):
    _, wal = journal
    path = _copy(journal, tmp_path, wal)  # killed after its last commit: nothing lost
    db = Database(str(path))
    assert db.notice is None
    assert len(Store(db, "local").applications.all()) == 3
    db.close()
    assert not list(tmp_path.glob("*.cut-*"))


def test_every_cut_of_a_real_journal_is_found(journal):
    """Cut at every byte: a cut is found unless it falls exactly after a commit mark (then the log
    reads as a complete one, and DuckDB replays every save it holds)."""
    _, wal = journal
    ends = []  # where each transaction's commit mark ends
    pos = 8
    while pos < len(wal):
        size = int.from_bytes(wal[pos : pos + 8], "little")
        if wal[pos + 16 : pos + 19] == b"\x64\x00\x64":
            ends.append(pos + 16 + size)
        pos += 16 + size
    assert pos == len(wal) and ends[-1] == len(wal) and len(ends) >= 3
    folder = Path(f"{journal[0]}.cuts")
    folder.mkdir(exist_ok=True)
    probe = folder / "probe.wal"
    for n in range(len(wal) + 1):
        probe.write_bytes(wal[:n])
        assert wal_cut_short(probe) is (n not in ends and n not in (0, 8)), n


def test_a_journal_in_a_format_rebound_does_not_know_is_not_judged(tmp_path):
    wal = tmp_path / "x.wal"
    wal.write_bytes(b"\x64\x00\x62\x65\x00\x03\xff\xff" + b"\x00" * 5)  # a later log format
    assert not wal_cut_short(wal)
    wal.write_bytes(b"")
    assert not wal_cut_short(wal)


def test_a_file_another_process_holds_keeps_no_copy(journal, tmp_path):
    """The lock refuses the open: the log that process is writing is neither judged nor copied."""
    _, wal = journal
    path = _copy(journal, tmp_path, wal[:-3])
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('open', flush=True); time.sleep(60)",
            str(path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout and holder.stdout.readline().strip() == "open"
        from rebound.errors import DatabaseLockedError

        with pytest.raises(DatabaseLockedError):
            Database(str(path))
        assert not list(tmp_path.glob("*.cut-*"))
    finally:
        holder.kill()
        holder.wait()


def test_the_cli_says_it_in_one_line(journal, tmp_path, capsys):
    _, wal = journal
    path = _copy(journal, tmp_path, wal[:-3])
    assert main(["stats", "--json", "--db", str(path)]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(
        "rebound: warning: The last changes before the crash could not be recovered: the journal of changes was cut short"
    )


@pytest.mark.slow
def test_the_app_says_it_above_the_page_until_acknowledged(journal, tmp_path, run_page):
    _, wal = journal
    path = _copy(journal, tmp_path, wal[:-3])
    at = run_page("pages/data.py", str(path))
    said = [w.value for w in at.warning if "journal of changes was cut short" in w.value]
    assert len(said) == 1 and said[0].startswith("The last changes before the crash could not be recovered")
    at.button(key="database_notice_ok").click().run()
    assert not [w for w in at.warning if "journal of changes" in w.value]
