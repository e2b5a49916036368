"""Fault injection: kill bulk writers at random moments, damage the files Rebound reads.

Every case ends the same way: the database opens (or, for a damaged file, Rebound says clearly
which file is damaged and leaves it untouched) and holds exactly the rows it had before the
operation or exactly the rows it has after a complete one, never anything in between.

The kills come from outside (SIGKILL after a random delay, seeded, spread over the operation's
own run time): no test hook in the product. A later bulk writer (applying a mail scan, say) joins
by adding a case to BULK_WRITERS.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from rebound.cli import main
from rebound.db import Database, DatabaseFileError
from rebound.demo import generate
from rebound.store import Store

pytestmark = pytest.mark.slow  # every test here runs Rebound in another process

ROOT = Path(__file__).resolve().parents[2]
KILLS = 5
SEED = 15
VOLATILE = {"created_at", "updated_at", "applied_at"}  # set by the clock at write time


def rows(path: str) -> dict:
    """Every user's rows in every table, without ids (re-drawn) and write-time clocks; order-free."""
    con = duckdb.connect(path, read_only=True)
    try:
        out = {}
        tables = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables"
                " WHERE table_schema = 'main' AND table_name != 'schema_version'"
            ).fetchall()
        ]
        for table in tables:
            cols = con.execute(
                "SELECT column_name, data_type FROM information_schema.columns"
                " WHERE table_name = ? ORDER BY ordinal_position",
                [table],
            ).fetchall()
            keep = [
                (c, t)
                for c, t in cols
                if c not in VOLATILE and not (c == "id" or (c.endswith("_id") and c != "user_id"))
            ]
            # the demo's latest check-in is "now": compare moments by their day
            select = ", ".join(f'"{c}"::DATE' if t.startswith("TIMESTAMP") else f'"{c}"' for c, t in keep)
            out[table] = sorted(map(repr, con.execute(f'SELECT {select} FROM "{table}"').fetchall()))
        return out
    finally:
        con.close()


def _cli(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "rebound", *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _run(*args: str) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "rebound", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    return time.perf_counter() - started, done


def _seed_database(path: str) -> None:
    db = Database(path)
    generate(Store(db, "local"), weeks=10, seed=5)
    Store(db, "someone-else").applications.add("Another user's", "Analyst", "referral", dt.date(2026, 1, 5))
    db.close()


def _linkedin(tmp_path: Path) -> Path:
    sys.path.insert(0, str(Path(__file__).parent))
    from test_import import linkedin_csv

    big = tmp_path / "Job Applications.csv"
    big.write_bytes(linkedin_csv(3000))
    return big


def _backup(tmp_path: Path) -> Path:
    from rebound.backup import make_backup

    db = Database(":memory:")
    store = Store(db, "local")
    generate(store, weeks=30, seed=11, follow_ups=(1, 3))
    out = tmp_path / "backup.zip"
    out.write_bytes(make_backup(store))
    db.close()
    return out


# name -> (prepare inputs in tmp_path -> extra CLI args)
BULK_WRITERS = {
    "import": lambda tmp: ["import", str(_linkedin(tmp))],
    "restore": lambda tmp: ["restore", str(_backup(tmp)), "--yes"],
    "demo": lambda tmp: ["demo", "--weeks", "40", "--seed", "3", "--force"],
    "mail": lambda tmp: ["mail", str(ROOT / "tests" / "fixtures" / "mail"), "--apply", "--yes"],
}


@pytest.mark.parametrize("writer", list(BULK_WRITERS))
def test_sigkill_at_random_moments_leaves_before_or_after(tmp_path, writer):
    base = str(tmp_path / "base.duckdb")
    _seed_database(base)
    args = BULK_WRITERS[writer](tmp_path)
    before = rows(base)

    finished = str(tmp_path / "finished.duckdb")
    shutil.copy(base, finished)
    took, done = _run(*args, "--db", finished)
    assert done.returncode == 0, done.stderr
    after = rows(finished)
    assert after != before

    between = []  # states a kill may leave besides before and after, each one a finished command's
    if writer == "mail":  # --apply --yes records the proposals, lists them, then confirms them: a kill
        recorded = str(tmp_path / "recorded.duckdb")  # in between leaves them waiting on the Data page,
        shutil.copy(base, recorded)  # exactly as `--apply` without --yes does
        assert _run(*args[:-1], "--db", recorded)[1].returncode == 0
        between.append(rows(recorded))

    rng = random.Random(f"{SEED}-{writer}")
    outcomes = []
    for i in range(KILLS):
        path = str(tmp_path / f"killed-{i}.duckdb")
        shutil.copy(base, path)
        delay = rng.uniform(0.3 * took, took)  # the first ~third of a run is Python starting up
        proc = _cli(*args, "--db", path)
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        proc.stdout.close()
        proc.stderr.close()
        db = Database(path)  # opens (replaying or dropping what the .wal holds) and migrates
        db.close()
        state = rows(path)
        assert state in (before, after, *between), f"kill {i} after {delay:.2f}s left a partial state"
        outcomes.append("before" if state == before else "after" if state == after else "recorded")
        if state == before and "before" not in outcomes[:-1]:  # and the operation still goes through
            assert _run(*args, "--db", path)[1].returncode == 0
            assert rows(path) == after
    if writer == "restore":  # no half-written copy kept aside, whatever the moment
        assert list(tmp_path.glob("backups/*/*.partial")) == []
    print(writer, f"ran {took:.1f}s; kills left:", outcomes)


def _unsaved_transaction(path: str) -> None:
    """Commit one bulk write that stays in the .wal (no checkpoint), then die without closing."""
    subprocess.run(
        [
            sys.executable,
            "-c",
            (
                f"import duckdb, os; c = duckdb.connect({path!r}); c.execute(\"SET checkpoint_threshold = '1GB'\"); "
                "c.execute(\"INSERT INTO wins (user_id, day, title) SELECT 'local', DATE '2026-01-02', 'win ' || range "
                'FROM range(500)"); os._exit(0)'
            ),
        ],
        check=True,
        timeout=60,
    )


def test_a_truncated_wal_opens_with_the_rows_before_or_after(tmp_path):
    base = str(tmp_path / "base.duckdb")
    _seed_database(base)
    before = rows(base)
    _unsaved_transaction(base)
    wal = Path(base + ".wal")
    assert wal.stat().st_size > 0
    full = str(tmp_path / "full.duckdb")
    shutil.copy(base, full)
    shutil.copy(wal, full + ".wal")
    after = rows(full)
    assert after != before
    size = wal.stat().st_size
    for cut in (1, size // 4, size // 2, size - 8, size - 1):  # a crash while the log was being written
        path = str(tmp_path / f"cut-{cut}.duckdb")
        shutil.copy(base, path)
        with open(path + ".wal", "wb") as fh:
            fh.write(wal.read_bytes()[:cut])
        db = Database(path)
        assert db.notice and "the journal of changes was cut short" in db.notice, cut  # never silently
        db.close()
        assert rows(path) in (before, after), f"a .wal cut at {cut} of {size} bytes"


def test_a_corrupt_wal_is_named_and_moving_it_aside_keeps_the_rows_before(tmp_path):
    base = str(tmp_path / "base.duckdb")
    _seed_database(base)
    before = rows(base)
    _unsaved_transaction(base)
    wal = base + ".wal"
    data = bytearray(Path(wal).read_bytes())
    rng = random.Random(SEED)
    for i in range(3):
        damaged = bytearray(data)
        at = rng.randrange(len(data) // 3, len(data) - 16)
        damaged[at : at + 8] = b"\xde\xad\xbe\xef\xde\xad\xbe\xef"
        path = str(tmp_path / f"corrupt-{i}.duckdb")
        shutil.copy(base, path)
        Path(path + ".wal").write_bytes(bytes(damaged))
        with pytest.raises(DatabaseFileError, match=r"\.wal .*damaged.*Move only"):
            Database(path)
        assert Path(path + ".wal").read_bytes() == bytes(damaged)  # left as it was
        assert not list(tmp_path.glob(f"corrupt-{i}.duckdb.wal.cut-*"))  # refused: no copy kept either
        os.rename(path + ".wal", path + ".wal.damaged")
        Database(path).close()
        assert rows(path) == before


@pytest.mark.parametrize("damage", ["truncate-quarter", "truncate-half", "truncate-block", "scribble"])
def test_a_damaged_database_file_is_named_and_left_untouched(tmp_path, damage, capsys):
    path = str(tmp_path / "damaged.duckdb")
    _seed_database(path)
    before = rows(path)
    data = bytearray(Path(path).read_bytes())
    if damage.startswith("truncate"):
        keep = {
            "truncate-quarter": len(data) // 4,
            "truncate-half": len(data) // 2,
            "truncate-block": len(data) - 262144,
        }[damage]
        data = data[:keep]
    else:
        rng = random.Random(SEED)
        for _ in range(20):  # scribble over blocks that hold rows (past the 12 KB of headers)
            at = rng.randrange(12288, len(data) - 64)
            data[at : at + 64] = bytes(rng.randrange(256) for _ in range(64))
    Path(path).write_bytes(bytes(data))
    # The CLI reads every row of every table for a backup: it either succeeds with the rows
    # intact or names the damaged file; never a traceback.
    code = main(["backup", "--db", path, "-o", str(tmp_path / "out.zip")])  # raises on a raw duckdb error
    err = capsys.readouterr().err
    if code == 0:
        assert rows(path) == before
    else:
        assert code == 1 and "damaged" in err and path in err, err
        assert Path(path).read_bytes() == bytes(data)  # untouched


def _linkedin_zip(tmp_path: Path) -> Path:
    import zipfile

    out = tmp_path / "Basic_LinkedInDataExport.zip"
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("Jobs/Job Applications.csv", _linkedin(tmp_path).read_bytes())
    return out


@pytest.mark.parametrize("what", ["import", "restore"])
def test_a_truncated_input_file_is_refused_and_changes_nothing(tmp_path, what, capsys):
    path = str(tmp_path / "base.duckdb")
    _seed_database(path)
    before = rows(path)
    source = _linkedin_zip(tmp_path) if what == "import" else _backup(tmp_path)
    data = source.read_bytes()
    for cut in (len(data) // 3, len(data) // 2, len(data) - 10):  # a download or copy cut short
        source.write_bytes(data[:cut])
        args = ["import", str(source)] if what == "import" else ["restore", str(source), "--yes"]
        assert main([*args, "--db", path]) == 1  # a raw exception would fail the test here
        err = capsys.readouterr().err
        assert "damaged" in err or "not a readable" in err, err
        assert rows(path) == before
