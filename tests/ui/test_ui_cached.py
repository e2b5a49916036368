"""ui.cached: analytics computed once per user and data revision, handed out as safe copies."""

from __future__ import annotations

import pandas as pd
import pytest
from clock import TODAY

from rebound import ui
from rebound.cache import RESULTS
from rebound.db import Database
from rebound.store import Store


@pytest.fixture(autouse=True)
def _fresh_cache():
    ui.clear_cached()
    yield
    ui.clear_cached()


def _counting(calls: list):
    def apps_by_channel(store, channel):
        calls.append((store.user_id, channel))
        apps = store.applications.all()
        return {
            "frame": apps[apps["channel"] == channel],
            "ids": apps["id"].tolist(),
            "pair": (channel, [1]),
            "rows": [{"company": c, "on": d} for c, d in zip(apps["company"], apps["applied_on"])],
        }

    return apps_by_channel


def test_a_repeat_is_served_from_the_cache_until_the_data_changes(db_path):
    db = Database(db_path)
    s = Store(db, "local")
    s.applications.add("Acme", "Analyst", "referral", TODAY)
    calls: list = []
    fn = _counting(calls)
    first = ui.cached(s, fn, "referral")
    again = ui.cached(s, fn, "referral")
    assert len(calls) == 1 and again["ids"] == first["ids"]
    ui.cached(s, fn, "job board")  # other arguments: computed apart
    assert len(calls) == 2
    s.applications.add("Beta", "Analyst", "referral", TODAY)  # a write bumps the revision
    fresh = ui.cached(s, fn, "referral")
    assert len(calls) == 3 and len(fresh["frame"]) == 2
    db.close()


def test_users_never_share_a_result(db_path):
    db = Database(db_path)
    alice, bob = Store(db, "alice"), Store(db, "bob")
    alice.applications.add("Acme", "Analyst", "referral", TODAY)
    calls: list = []
    fn = _counting(calls)
    assert len(ui.cached(alice, fn, "referral")["frame"]) == 1
    assert len(ui.cached(bob, fn, "referral")["frame"]) == 0
    assert [c[0] for c in calls] == ["alice", "bob"]
    db.close()


def test_changing_what_it_returned_leaves_the_cache_alone(db_path):
    db = Database(db_path)
    s = Store(db, "local")
    s.applications.add("Acme", "Analyst", "referral", TODAY)
    fn = _counting([])
    got = ui.cached(s, fn, "referral")
    got["frame"]["company"] = "changed"
    got["frame"]["extra"] = 1
    got["ids"].append(99)
    got["pair"][1].append(2)
    got["new"] = True
    got["rows"][0]["company"] = "changed"  # records, as Today uses them
    got["rows"].append({})
    again = ui.cached(s, fn, "referral")
    assert [r["company"] for r in again["rows"]] == ["Acme"]
    assert again["frame"]["company"].tolist() == ["Acme"] and "extra" not in again["frame"]
    assert again["ids"] == [got["ids"][0]] and again["pair"] == ("referral", [1]) and "new" not in again
    db.close()


def test_the_cache_is_bounded(db_path, monkeypatch):
    db = Database(db_path)
    s = Store(db, "local")
    monkeypatch.setattr(RESULTS, "entries", 3)
    calls: list = []

    def square(store, n):
        calls.append(n)
        return pd.Series([n * n])

    for n in range(5):
        ui.cached(s, square, n)
    assert len(RESULTS) == 3
    ui.cached(s, square, 4)  # still there
    ui.cached(s, square, 0)  # evicted: computed again
    assert calls == [0, 1, 2, 3, 4, 0]
    db.close()
