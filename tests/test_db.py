"""The data layer: configuration, migrations, transactions, friendly errors."""

import datetime as dt
import subprocess
import sys

import duckdb
import pytest

from rebound.config import DEFAULT_DB, demo_db_path, resolve_db_path
from rebound.db import Database, DatabaseFileError, DatabaseLockedError, migrations
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
    con.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,"
                " applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)")
    con.execute("INSERT INTO schema_version (version, name) VALUES (1, ?)", [name])
    con.execute("INSERT INTO applications (user_id, company, role, channel, applied_on)"
                " VALUES ('local', 'Öresund AB', 'Analyst', 'referral', DATE '2026-01-05')")
    con.execute("INSERT INTO events (user_id, application_id, kind, happened_on) VALUES ('local', 1, 'screen', DATE '2026-01-09')")
    con.close()
    db = Database(path)
    assert db.applied_versions() == {v for v, _, _ in migrations()}
    apps = Store(db, "local").applications()
    assert apps["company"].tolist() == ["Öresund AB"] and apps["status"].tolist() == ["screen"]
    db.close()


def test_a_failed_write_leaves_nothing(store):
    with pytest.raises(RuntimeError):
        with store._write() as run:
            run("INSERT INTO applications (user_id, company, role, channel, applied_on)"
                " VALUES ($user, 'A', 'B', 'other', DATE '2026-01-01')")
            raise RuntimeError("crash mid-write")
    assert store.application_count() == 0


def test_revision_changes_on_every_write(store):
    before = store.revision
    store.add_application("Acme", "Analyst", "job board", dt.date(2026, 1, 1))
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
        [sys.executable, "-c", f"import duckdb, time; c = duckdb.connect({db_path!r}); print('ready', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True)
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
