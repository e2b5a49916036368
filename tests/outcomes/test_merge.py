"""Re-applications (derived from the names) and merging two rows that are one application, with Undo."""

from __future__ import annotations

import datetime as dt
import json
import time

import pandas as pd
import pytest

from rebound.errors import StaleEdit, ValidationError
from rebound.outcomes import application_key, ordinal
from rebound.store import Store

D = dt.date


def add(store, company="Acme", role="Data Analyst", applied=D(2026, 10, 1), **kw):
    return store.applications.add(company, role, kw.pop("channel", "job board"), applied, **kw)


def everything(store, user: str | None = None) -> dict[str, list]:
    """Every row of every table (every user's, or `user`'s), sorted; the kept application's version and save moment
    aside (a save bumps them, an undo too: what the user sees is the rest)."""
    out = {}
    cur = store.db.cursor()
    tables = [
        r[0]
        for r in cur.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
            " AND table_catalog = current_database() AND table_name <> 'schema_version'"
        ).fetchall()
    ]
    for table in tables:
        cols = [
            r[0]
            for r in cur.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ?"
                " AND table_catalog = current_database() ORDER BY ordinal_position",
                [table],
            ).fetchall()
            if not (table == "applications" and r[0] in ("version", "updated_at"))
        ]
        select = ", ".join(f'"{c}"' for c in cols)
        where = " WHERE user_id = ?" if user else ""
        out[table] = sorted(
            map(repr, cur.execute(f'SELECT {select} FROM "{table}"{where}', [user] if user else []).fetchall())
        )
    return out


def link_everything(store, app_id: int, event_id: int) -> dict[str, int]:
    """One record of each kind that links an application (and a win and a mail finding that link
    the event): the ids, by table."""
    ids = {}
    with store.scope.write() as run:
        for table, sql in {
            "checkins": "INSERT INTO checkins (user_id, checked_at, mood, application_id)"
            " VALUES ($user, TIMESTAMP '2026-10-20 09:00', 4, $app) RETURNING id",
            "reflections": "INSERT INTO reflections (user_id, template, day, answers, application_id)"
            " VALUES ($user, 'after_rejection', DATE '2026-10-21', '{}', $app) RETURNING id",
            "feedback_requests": "INSERT INTO feedback_requests (user_id, application_id, drafted_on)"
            " VALUES ($user, $app, DATE '2026-10-22') RETURNING id",
            "mail_findings": "INSERT INTO mail_findings (user_id, message_key, kind, application_id, event_id)"
            " VALUES ($user, 'm-' || $app, 'rejection', $app, $event) RETURNING id",
            "wins": "INSERT INTO wins (user_id, day, title, event_id)"
            " VALUES ($user, DATE '2026-10-23', 'Got a screen', $event) RETURNING id",
        }.items():
            ids[table] = run(sql, {"app": app_id, "event": event_id}).fetchone()[0]
    return ids


def column(store, table, column_name, row_id):
    return store.scope.one(f"SELECT {column_name} FROM {table} WHERE id = $id", {"id": row_id})


# -- re-applications ------------------------------------------------------------------------------
def test_ordinals():
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111, 1002)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th", "1,002nd",
    ]  # fmt: skip
    assert application_key("  ACME  Inc ", "Data   Analyst") == application_key("acme inc", "data analyst")


def test_a_reapplication_is_recognised_from_the_names(store):
    first = add(store, "Acme", "Data Analyst", D(2025, 8, 14))
    store.applications.add_event(first, "rejected", D(2025, 9, 1), stage="screen")
    second = add(store, "  ACME ", "data   analyst", D(2026, 2, 3))
    add(store, "Acme", "Data Engineer", D(2026, 3, 3))  # another role
    Store(store.db, "someone-else").applications.add("Acme", "Data Analyst", "referral", D(2024, 1, 5))
    third = add(store, "acme", "Data Analyst", D(2026, 11, 2))

    again = store.applications.reapplications(third)
    assert (again.position, again.count) == (3, 3)
    assert again.line == "Applied again: 3rd time since Aug 2025"
    assert again.others == ((first, D(2025, 8, 14), "rejected"), (second, D(2026, 2, 3), "applied"))
    assert store.applications.reapplications(second).line == "Applied again: 2nd time since Aug 2025"
    assert store.applications.reapplications(first).line == "Applied here again later: 2 more times"
    lone = store.applications.reapplications(add(store, "Globex", "Analyst"))
    assert (lone.count, lone.line, lone.others) == (1, "", ())
    assert store.applications.reapplications(999_999) is None


def test_an_imported_reapplication_is_recognised_too(store):
    first = add(store, "Acme", "Data Analyst", D(2026, 5, 1))
    apps = pd.DataFrame(
        [{"key": 1, "company": "acme", "role": "DATA ANALYST", "channel": "job board", "applied_on": D(2026, 9, 9)}]
    )
    events = pd.DataFrame(columns=["key", "kind", "happened_on"])
    store.applications.import_applications(apps, events, "csv")
    imported = int(store.applications.all()["id"].max())
    assert imported != first
    assert store.applications.reapplications(imported).line == "Applied again: 2nd time since May 2026"


# -- merge --------------------------------------------------------------------------------------
@pytest.fixture
def pair(store):
    """Two rows that are one application (two exports), each with a timeline and linked records,
    and another user's alike rows that nothing may touch."""
    keep = add(store, "Acme", "Data Analyst", D(2026, 10, 5), url="https://acme.example/job")
    other = add(store, "acme", "data analyst", D(2026, 10, 1), location="Berlin", notes="from LinkedIn")
    apps = store.applications
    screen_keep = apps.add_event(keep, "screen", D(2026, 10, 8))
    apps.add_event(keep, "interview", D(2026, 10, 12), round=1)
    screen_other = apps.add_event(other, "screen", D(2026, 10, 8))  # the same event, from the other export
    apps.add_event(other, "interview", D(2026, 10, 12), round=1, note="with the team lead")  # other details
    apps.add_event(other, "rejected", D(2026, 10, 20), stage="interview", reason="Went with someone internal")
    linked_keep = link_everything(store, keep, screen_keep)
    linked_other = link_everything(store, other, screen_other)
    someone = Store(store.db, "someone-else")
    their = someone.applications.add("Acme", "Data Analyst", "referral", D(2026, 10, 1))
    their_event = someone.applications.add_event(their, "screen", D(2026, 10, 8))
    link_everything(someone, their, their_event)
    return keep, other, screen_keep, screen_other, linked_keep, linked_other


def test_merge_combines_the_timelines_and_moves_every_linked_record(store, pair):
    keep, other, screen_keep, screen_other, linked_keep, linked_other = pair
    theirs_before = everything(store, "someone-else")

    merge_id = store.applications.merge(keep, other)

    apps = store.applications
    assert apps.get(other) is None
    kept = apps.get(keep)
    assert pd.Timestamp(kept["applied_on"]).date() == D(2026, 10, 1)  # the earlier of the two
    assert (kept["url"], kept["location"], kept["notes"]) == ("https://acme.example/job", "Berlin", "from LinkedIn")
    assert kept["status"] == "rejected"
    timeline = apps.timeline(keep)
    assert timeline["kind"].tolist() == ["applied", "screen", "interview", "interview", "rejected"]
    assert timeline["happened_on"].tolist() == sorted(timeline["happened_on"].tolist())  # in date order
    assert sorted(timeline["note"].fillna("").tolist()) == ["", "", "", "", "with the team lead"]
    # every linked record now belongs to the kept application; the repeated event's, to the one kept
    for table in ("checkins", "reflections", "feedback_requests", "mail_findings"):
        assert column(store, table, "application_id", linked_other[table]) == keep, table
        assert column(store, table, "application_id", linked_keep[table]) == keep, table
    assert column(store, "wins", "event_id", linked_other["wins"]) == screen_keep
    assert column(store, "mail_findings", "event_id", linked_other["mail_findings"]) == screen_keep
    assert store.scope.one("SELECT count(*) FROM events WHERE id = $id", {"id": screen_other}) == 0
    # another user's alike application and its records are untouched
    assert everything(store, "someone-else") == theirs_before
    assert store.scope.one("SELECT count(*) FROM merges") == 1
    assert apps.last_merge(keep)["id"] == merge_id
    assert apps.last_merge(keep)["company"] == "acme"


def test_undo_restores_exactly_the_state_before(store, pair):
    keep, other, *_ = pair
    before = everything(store)
    merge_id = store.applications.merge(keep, other)
    assert everything(store) != before
    assert store.applications.undo_merge(merge_id) == other
    assert everything(store) == before
    assert store.applications.get(other)["status"] == "rejected"
    assert store.applications.last_merge(keep) is None
    with pytest.raises(ValidationError, match="already undone"):
        store.applications.undo_merge(merge_id)
    assert everything(store) == before


def test_a_merge_of_a_merge_undoes_in_turn(store):
    a, b, c = (add(store, "Acme", "Analyst", D(2026, 10, d)) for d in (1, 2, 3))
    store.applications.add_event(c, "screen", D(2026, 10, 9))
    before = everything(store)
    first = store.applications.merge(b, c)
    middle = everything(store)
    second = store.applications.merge(a, b)
    assert store.applications.timeline(a)["kind"].tolist() == ["applied", "screen"]
    store.applications.undo_merge(second)
    assert everything(store) == middle
    store.applications.undo_merge(first)
    assert everything(store) == before


def test_undo_is_refused_once_the_kept_application_was_edited(store, pair):
    keep, other, *_ = pair
    merge_id = store.applications.merge(keep, other)
    store.applications.update(keep, "Acme", "Senior Data Analyst", "job board", D(2026, 10, 1))
    edited = everything(store)
    with pytest.raises(ValidationError, match="edited since the merge"):
        store.applications.undo_merge(merge_id)
    assert everything(store) == edited


def test_keeping_a_merge_forgets_its_undo(store, pair):
    keep, other, *_ = pair
    merge_id = store.applications.merge(keep, other)
    store.applications.keep_merge(merge_id)
    assert store.applications.last_merge(keep) is None
    with pytest.raises(ValidationError, match="already undone"):
        store.applications.undo_merge(merge_id)


def test_deleting_the_kept_application_drops_its_undo(store, pair):
    keep, other, *_ = pair
    store.applications.merge(keep, other)
    store.applications.delete(keep)
    assert store.scope.one("SELECT count(*) FROM merges") == 0


@pytest.mark.parametrize("case", ["itself", "another user's", "gone", "stale other", "stale kept"])
def test_refusals_write_nothing(store, pair, case):
    keep, other, *_ = pair
    someone = Store(store.db, "someone-else")
    their = int(someone.applications.all()["id"].iloc[0])
    kept_version = store.applications.get(keep)["version"]
    other_version = store.applications.get(other)["version"]
    if case == "gone":
        store.applications.delete(other)
    if case == "stale other":  # saved in another tab since the merge was offered
        store.applications.update(other, "acme", "data analyst", "referral", D(2026, 10, 1))
    if case == "stale kept":
        store.applications.update(keep, "Acme", "Data Analyst", "referral", D(2026, 10, 5))
    before = everything(store)
    target, error, message = {
        "itself": (keep, ValidationError, "into itself"),
        "another user's": (their, ValidationError, "belongs to another user"),
        "gone": (other, ValidationError, "no longer exists"),
        "stale other": (other, StaleEdit, "changed in another tab"),
        "stale kept": (other, StaleEdit, "changed in another tab"),
    }[case]
    with pytest.raises(error, match=message):
        store.applications.merge(keep, target, keep_version=kept_version, other_version=other_version)
    assert everything(store) == before
    if case == "another user's":  # and the other way round: theirs is not ours to merge into
        with pytest.raises(ValidationError, match="belongs to another user"):
            store.applications.merge(their, keep)
        assert everything(store) == before


def test_ten_thousand_applications_to_one_company_and_role(store):
    rows = [
        {"company": "Acme", "role": "Data Analyst", "channel": "job board", "applied_on": D(2020, 1, 1) + dt.timedelta(days=n % 1900)}
        for n in range(10_000)
    ]  # fmt: skip
    with store.scope.write() as run:
        ids = store.applications.add_applications_in(run, rows, "csv", today=D(2026, 11, 25))
    events = [(ids[n], "screen", D(2025, 6, 10)) for n in range(0, 10_000, 2)]
    with store.scope.write() as run:
        from rebound.outcomes.rules import NewEvent

        store.applications.log_events(run, [NewEvent(i, k, d) for i, k, d in events], repeats="merge")
    started = time.perf_counter()
    again = store.applications.reapplications(ids[-1])
    took_reapplied = time.perf_counter() - started
    assert again.count == 10_000 and len(again.others) == 9_999
    assert again.line.startswith("Applied again: ")
    started = time.perf_counter()
    merge_id = store.applications.merge(ids[0], ids[2])  # both with a screen on the same day: kept once
    store.applications.undo_merge(merge_id)
    took_merge = time.perf_counter() - started
    print(f"10,000 alike: reapplications {took_reapplied:.2f}s, merge + undo {took_merge:.2f}s")
    assert took_reapplied < 5 and took_merge < 5


def test_the_undo_record_names_what_it_holds(store, pair):
    keep, other, *_ = pair
    merge_id = store.applications.merge(keep, other)
    undo = json.loads(store.scope.one("SELECT undo FROM merges WHERE id = $id", {"id": merge_id}))
    assert undo["kept_id"] == keep and undo["merged_id"] == other
    assert [r["id"] for r in undo["deleted"]["applications"]] == [other]
    assert {t for t, *_ in undo["relinked"]} >= {"events", "checkins", "reflections", "feedback_requests", "wins"}


def test_a_restored_backup_keeps_the_merge_and_refuses_its_undo(store, pair, tmp_path):
    from rebound.backup import make_backup, restore_backup

    keep, other, *_ = pair
    merge_id = store.applications.merge(keep, other)
    restore_backup(store, make_backup(store))  # every id re-drawn
    assert store.applications.count() == 1
    kept = int(store.applications.all()["id"].iloc[0])
    assert store.applications.last_merge(kept) is None  # nothing offered that cannot be undone
    restored = store.scope.one("SELECT id FROM merges")
    assert restored != merge_id
    after_restore = everything(store)
    with pytest.raises(ValidationError, match="backup was restored"):
        store.applications.undo_merge(restored)
    assert everything(store) == after_restore


@pytest.mark.parametrize("keep_it", [False, True])
def test_importing_the_same_export_again_does_not_bring_back_the_row_merged_away(store, keep_it):
    apps = pd.DataFrame(
        [
            {"key": 1, "company": "Acme", "role": "Analyst", "channel": "job board", "applied_on": D(2026, 9, 1), "source_key": "a"},
            {"key": 2, "company": "ACME", "role": "analyst", "channel": "job board", "applied_on": D(2026, 9, 2), "source_key": "b"},
        ]
    )  # fmt: skip
    events = pd.DataFrame(columns=["key", "kind", "happened_on"])
    assert store.applications.import_applications(apps, events, "csv")["applications"] == 2
    first, second = sorted(int(i) for i in store.applications.all()["id"])
    merge_id = store.applications.merge(first, second)
    if keep_it:
        store.applications.keep_merge(merge_id)
        with pytest.raises(ValidationError, match="already undone or kept"):
            store.applications.undo_merge(merge_id)
    assert store.account.existing_source_keys("csv") == {"a", "b"}  # what the import's preview counts
    assert store.applications.import_applications(apps, events, "csv") == {"applications": 0, "events": 0}
    assert store.applications.count() == 1
