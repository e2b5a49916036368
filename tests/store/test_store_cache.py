"""The store's read cache: keyed by user + data revision, so a write is always seen."""

from __future__ import annotations

from clock import TODAY

from rebound.db import Database
from rebound.store import Store


def _count_sql(monkeypatch, db):
    """Count the statements that reach DuckDB through db.cursor()."""
    calls = []
    real = db.cursor

    class Spy:
        def __init__(self, cur):
            self._cur = cur

        def execute(self, *a, **k):
            calls.append(a[0])
            return self._cur.execute(*a, **k)

        def __getattr__(self, name):
            return getattr(self._cur, name)

    monkeypatch.setattr(db, "cursor", lambda: Spy(real()))
    return calls


def test_a_repeated_read_sends_no_sql(store, monkeypatch):
    store.applications.add("Acme", "Analyst", "referral", TODAY)
    first = store.applications.all()
    calls = _count_sql(monkeypatch, store.db)
    again = store.applications.all()
    assert calls == []
    assert again.equals(first)


def test_a_write_is_seen_by_the_next_read(store):
    assert store.applications.count() == 0
    store.applications.add("Acme", "Analyst", "referral", TODAY)
    assert store.applications.count() == 1
    assert len(store.applications.all()) == 1
    app_id = int(store.applications.all()["id"].iloc[0])
    store.applications.add_event(app_id, "rejected", TODAY, stage="applied")
    assert store.applications.all()["status"].iloc[0] == "rejected"


def test_changing_a_returned_frame_does_not_change_the_cache(store):
    store.applications.add("Acme", "Analyst", "referral", TODAY)
    df = store.applications.all()
    df.loc[0, "company"] = "Changed"
    del df["role"]
    fresh = store.applications.all()
    assert fresh["company"].iloc[0] == "Acme" and "role" in fresh.columns


def test_users_are_cached_apart(db):
    alice, bob = Store(db, "alice"), Store(db, "bob")
    alice.applications.add("Acme", "Analyst", "referral", TODAY)
    assert alice.applications.count() == 1 and bob.applications.count() == 0
    bob.applications.add("Beta", "Analyst", "referral", TODAY)
    assert alice.applications.count() == 1 and bob.applications.count() == 1


def test_a_write_through_another_database_object_on_the_same_file_is_seen(db_path):
    one, two = Database(db_path), Database(db_path)
    reader, writer = Store(one, "local"), Store(two, "local")
    assert reader.applications.count() == 0
    writer.applications.add("Acme", "Analyst", "referral", TODAY)
    assert reader.applications.count() == 1  # revisions are shared per file in this process
    one.close()
    two.close()


def test_reads_inside_a_write_see_the_transaction(store):
    assert store.applications.count() == 0
    with store.scope.write() as run:
        run(
            "INSERT INTO applications (user_id, company, role, channel, applied_on)"
            " VALUES ($user, 'Acme', 'Analyst', 'referral', current_date)"
        )
        assert store.applications.count() == 1  # not the cached 0
    assert store.applications.count() == 1


def test_the_cache_can_be_turned_off(db_path, monkeypatch):
    database = Database(db_path, cache=False)  # the benchmark's uncached figures
    store = Store(database, "local")
    store.applications.count()
    calls = _count_sql(monkeypatch, database)
    store.applications.count()
    assert len(calls) == 1
    database.close()
