"""The one cache (rebound.cache) is correct across processes.

A local DuckDB file is locked to one process, so the in-process data revision is exact there. Where
another process can write (MotherDuck: a second app instance, the CLI) nothing is cached, in the
store's reads and in the pages' derived values alike. There is no MotherDuck here: a database opened
with shared=True (what rebound.config says for md: paths) stands in for it, and a second Database
object with its own revision counter plays the other process, whose writes this one never hears of.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from clock import TODAY

from rebound import config, ui
from rebound import db as db_module
from rebound.cache import RESULTS
from rebound.db import Database
from rebound.store import Store


@pytest.fixture(autouse=True)
def _fresh_cache():
    RESULTS.clear()
    yield
    RESULTS.clear()


def _count(store) -> int:
    return store.applications.count()


def _labels(store) -> list[str]:
    return sorted(store.applications.all()["company"])


def test_motherduck_paths_are_shared_and_local_files_are_not():
    assert config.other_writers_possible("md:rebound") and config.other_writers_possible("motherduck:rebound")
    assert not config.other_writers_possible("data/rebound.duckdb")
    assert not config.other_writers_possible(":memory:")


def test_a_database_config_calls_shared_caches_nothing(db_path, monkeypatch):
    local = Database(db_path)
    assert not local.shared and local.caching
    local.close()
    monkeypatch.setattr(db_module, "other_writers_possible", lambda path: True)  # as for an md: path
    shared = Database(db_path)
    assert shared.shared and not shared.caching
    shared.close()


@pytest.mark.parametrize("read", ["store", "ui.cached", "ui.cached_build"])
def test_a_write_by_another_process_is_seen_by_the_next_read(db_path, read):
    mine, theirs = Database(db_path, shared=True), Database(db_path, shared=True)
    reader, writer = Store(mine, "local"), Store(theirs, "local")
    look = {
        "store": lambda: _count(reader),
        "ui.cached": lambda: len(ui.cached(reader, _labels)),
        "ui.cached_build": lambda: ui.cached_build(reader, "count", lambda: _count(reader)),
    }[read]
    assert look() == 0
    writer.applications.add("Acme", "Analyst", "referral", TODAY)  # bumps only the writer's revision
    assert mine.revision("local") == 0  # this process never heard of that write...
    assert look() == 1  # ...and still reads it
    mine.close()
    theirs.close()


def test_without_the_lock_a_cached_revision_would_be_stale(db_path):
    """Why caching needs the lock: a write this Database does not count leaves cached reads stale."""
    mine = Database(db_path)
    reader = Store(mine, "local")
    assert _count(reader) == 0
    mine.cursor().execute(
        "INSERT INTO applications (user_id, company, role, channel, applied_on)"
        " VALUES ('local', 'Acme', 'Analyst', 'referral', current_date)"
    )  # no bump
    assert _count(reader) == 0  # served from the cache: only safe because no other process can do this
    mine.close()


@pytest.mark.parametrize("read_only", [False, True])
def test_a_local_file_has_one_writer_process(db_path, read_only):
    """The premise of the in-process revision: while Rebound holds a file, no other process can open
    it, to write or even to read (DuckDB's file lock), so no write can pass it by."""
    held = Database(db_path)
    other = subprocess.run(
        [sys.executable, "-c", f"import duckdb; duckdb.connect({db_path!r}, read_only={read_only})"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert other.returncode != 0 and "Could not set lock" in other.stderr
    held.close()


def test_closing_a_database_drops_what_was_cached_from_it(db_path):
    database = Database(db_path)
    store = Store(database, "local")
    _count(store)
    ui.cached(store, _labels)
    assert [k for k in RESULTS.snapshot() if k[0] == database.identity]
    database.close()
    assert not [k for k in RESULTS.snapshot() if k[0] == database.identity]


def test_a_private_in_memory_database_still_caches():
    database = Database(":memory:")
    assert database.caching and not database.shared
    database.close()
