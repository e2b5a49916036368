"""The data layer: configuration, migrations, transactions, friendly errors."""

import datetime as dt
import subprocess
import sys

import duckdb
import pytest

from rebound.config import DEFAULT_DB, demo_db_path, resolve_db_path
from rebound.db import Database, migrations
from rebound.errors import DatabaseFileError, DatabaseLockedError
from rebound.store import Store


def test_db_path_precedence_flag_env_secrets_default():
    env = {"REBOUND_DB": "env.duckdb"}
    secrets = {"REBOUND_DB": "secret.duckdb"}
    assert resolve_db_path(["--db", "flag.duckdb"], env, secrets) == "flag.duckdb"
    assert resolve_db_path([], env, secrets) == "env.duckdb"
    assert resolve_db_path([], {}, secrets) == "secret.duckdb"
    assert resolve_db_path([], {}, {"rebound": {"db": "md:rebound"}}) == "md:rebound"
    assert resolve_db_path([], {}, {}) == str(DEFAULT_DB) == "data/rebound.duckdb"
    assert resolve_db_path(["--other", "x"], {}, None) == str(DEFAULT_DB)


def test_demo_database_sits_beside_the_real_one():
    assert demo_db_path("data/rebound.duckdb") == "data/rebound.demo.duckdb"
    assert demo_db_path("md:rebound") == ":memory:"


def test_migrations_are_numbered_and_applied_once(db_path):
    versions = [v for v, _, _ in migrations()]
    assert versions == sorted(set(versions)) and versions[0] == 1
    db = Database(db_path)
    assert db.applied_versions() == set(versions)
    assert db.migrate() == []  # re-running is a no-op
    db.close()
    db = Database(db_path)
    assert db.migrate() == []
    db.close()


def test_older_database_upgrades_keeping_every_row(tmp_path):
    """A file made with only migration 001 gains later migrations and keeps its rows."""
    path = str(tmp_path / "v1.duckdb")
    _, name, sql = migrations()[0]
    con = duckdb.connect(path)
    con.execute(sql)
    con.execute(
        "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,"
        " applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)"
    )
    con.execute("INSERT INTO schema_version (version, name) VALUES (1, ?)", [name])
    con.execute(
        "INSERT INTO applications (user_id, company, role, channel, applied_on)"
        " VALUES ('local', 'Öresund AB', 'Analyst', 'referral', DATE '2026-01-05')"
    )
    con.execute(
        "INSERT INTO events (user_id, application_id, kind, happened_on) VALUES ('local', 1, 'screen', DATE '2026-01-09')"
    )
    con.close()
    db = Database(path)
    assert db.applied_versions() == {v for v, _, _ in migrations()}
    apps = Store(db, "local").applications.all()
    assert apps["company"].tolist() == ["Öresund AB"] and apps["status"].tolist() == ["screen"]
    db.close()


def test_a_failed_write_leaves_nothing(store):
    with pytest.raises(RuntimeError):
        with store.scope.write() as run:
            run(
                "INSERT INTO applications (user_id, company, role, channel, applied_on)"
                " VALUES ($user, 'A', 'B', 'other', DATE '2026-01-01')"
            )
            raise RuntimeError("crash mid-write")
    assert store.applications.count() == 0


def test_revision_changes_on_every_write(store):
    before = store.revision
    store.applications.add("Acme", "Analyst", "job board", dt.date(2026, 1, 1))
    assert store.revision == before + 1


def test_non_duckdb_file_gives_a_clear_message_and_is_left_untouched(tmp_path):
    path = tmp_path / "notes.duckdb"
    content = b"these are my notes, not a database\n" * 50
    path.write_bytes(content)
    with pytest.raises(DatabaseFileError, match="not a Rebound database"):
        Database(str(path))
    assert path.read_bytes() == content


def test_locked_file_names_the_cause_and_what_to_do(db_path):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; c = duckdb.connect({db_path!r}); print('ready', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(DatabaseLockedError) as info:
            Database(db_path)
        message = str(info.value)
        assert "in use by another program" in message and "Close the other" in message
        assert str(holder.pid) in message
    finally:
        holder.kill()
        holder.wait()


# -- damaged files: a clear message naming the damaged file, never a raw duckdb traceback -----------------
def _filled(path: str) -> int:
    from rebound.demo import generate
    from rebound.store import Store

    db = Database(path)
    generate(Store(db, "local"), weeks=20, seed=1)
    n = db.cursor().execute("SELECT count(*) FROM applications").fetchone()[0]
    db.close()
    return n


def test_a_half_truncated_database_is_named_damaged(tmp_path):
    import os

    path = str(tmp_path / "cut.duckdb")
    _filled(path)
    size = os.path.getsize(path)
    with open(path, "r+b") as fh:
        fh.truncate(size // 2)
    with pytest.raises(DatabaseFileError, match="is damaged: it is shorter than the database it holds"):
        Database(path)
    assert os.path.getsize(path) == size // 2  # left untouched
    run = subprocess.run(
        [sys.executable, "-m", "rebound", "stats", "--db", path], capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 1 and "is damaged" in run.stderr and "Traceback" not in run.stderr


def _with_unsaved_change(path: str) -> None:
    """A process that wrote one row and died before DuckDB checkpointed it: the row is only in the .wal."""
    subprocess.run(
        [
            sys.executable,
            "-c",
            (
                f"import duckdb, os; c = duckdb.connect({path!r}); c.execute(\"SET checkpoint_threshold = '1GB'\"); "
                "c.execute(\"INSERT INTO wins (user_id, day, title) VALUES ('local', DATE '2026-01-02', 'only in the log')\"); "
                "os._exit(0)"
            ),
        ],
        check=True,
        timeout=60,
    )


def test_a_corrupt_wal_is_blamed_on_the_wal_and_moving_it_aside_recovers(tmp_path):
    import os

    path = str(tmp_path / "walled.duckdb")
    apps = _filled(path)
    _with_unsaved_change(path)
    wal = path + ".wal"
    size = os.path.getsize(wal)
    with open(wal, "r+b") as fh:
        fh.seek(size // 2)
        fh.write(b"\xde\xad\xbe\xef" * 8)
    with pytest.raises(DatabaseFileError) as info:
        Database(path)
    message = str(info.value)
    assert f"{path}.wal" in message and "Move only" in message and "move this file away" not in message
    run = subprocess.run(
        [sys.executable, "-m", "rebound", "stats", "--db", path], capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 1 and ".wal" in run.stderr and "Traceback" not in run.stderr
    os.rename(wal, wal + ".damaged")  # what the message says to do
    db = Database(path)
    assert db.cursor().execute("SELECT count(*) FROM applications").fetchone()[0] == apps  # every checkpointed row
    db.close()


def test_the_cli_lock_message_does_not_mention_a_page(db_path):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; c = duckdb.connect({db_path!r}); print('ready', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        run = subprocess.run(
            [sys.executable, "-m", "rebound", "stats", "--db", db_path], capture_output=True, text=True, timeout=60
        )
        assert run.returncode == 1 and "in use by another program" in run.stderr
        assert "page" not in run.stderr and "try again" in run.stderr
    finally:
        holder.kill()
        holder.wait()


def test_nested_transactions_join_the_outer_one(store):
    with pytest.raises(RuntimeError):
        with store.scope.write():
            store.applications.add("Inner write", "Analyst", "referral", dt.date(2026, 1, 5))
            store.settings.set("ghost_after_days", 30)
            raise RuntimeError("the outer transaction fails after the inner ones finished")
    assert store.applications.count() == 0 and store.settings.get("ghost_after_days") == "21"


def _app_error(db_path: str, monkeypatch) -> str:
    """The message the app shows for a database that can't open (no exception escapes)."""
    import streamlit as st
    from conftest import ROOT
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("REBOUND_DB", db_path)
    monkeypatch.chdir(ROOT)
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    st.cache_resource.clear()
    assert not at.exception, [e.message for e in at.exception]
    return " ".join(e.value for e in at.error)


def test_the_app_names_a_damaged_file_and_asks_to_reload_when_locked(tmp_path, monkeypatch):
    import os

    cut = str(tmp_path / "cut.duckdb")
    _filled(cut)
    with open(cut, "r+b") as fh:
        fh.truncate(os.path.getsize(cut) // 2)
    assert "is damaged" in _app_error(cut, monkeypatch)

    locked = str(tmp_path / "locked.duckdb")
    Database(locked).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; c = duckdb.connect({locked!r}); print('ready', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        message = _app_error(locked, monkeypatch)
        assert "in use by another program" in message and message.endswith("Then reload this page.")
    finally:
        holder.kill()
        holder.wait()


def test_a_file_already_open_in_this_process_is_not_judged_again(tmp_path):
    """While a file is open, DuckDB's instance counts blocks its writes added before they reach the file
    (in memory and the .wal until a checkpoint; seen as a false "damaged" when a test read the file beside
    a page's store under load). A second open in the same process shares that instance, so only the first
    open compares the file with its header. Here the file on disk is made shorter than the open
    instance's count, as a checkpoint in flight leaves it: the second open is not refused."""
    import os

    path = str(tmp_path / "growing.duckdb")
    _filled(path)
    first = Database(path)
    try:
        size = os.path.getsize(path)
        with open(path, "r+b") as fh:  # shorter than the instance's count of blocks, while it is open
            fh.truncate(size - 2 * 262_144)
        second = Database(path)
        try:
            assert second.cursor().execute("SELECT 1").fetchone() == (1,)
        finally:
            second.close()
    finally:
        first.close()
