"""Versioned saves: an edit names the version it was read at and lands only if the row is still at it
(compare-and-set inside the UPDATE), so a stale tab's save is refused with what is there now."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from rebound.errors import StaleEdit, ValidationError
from rebound.store import Store

DAY = dt.date(2026, 3, 2)


def _app(store: Store) -> tuple[int, int]:
    app_id = store.applications.add("Acme", "Analyst", "referral", DAY)
    return app_id, int(store.applications.get(app_id)["version"])


def test_a_save_at_the_version_read_lands_and_moves_the_version(store):
    app_id, read = _app(store)
    new = store.applications.update(app_id, "Acme", "Role from tab A", "referral", DAY, version=read)
    assert new == read + 1
    saved = store.applications.get(app_id)
    assert saved["role"] == "Role from tab A" and saved["version"] == new and saved["updated_at"] is not None


def test_a_save_over_a_newer_version_is_refused_with_theirs(store):
    app_id, read = _app(store)
    store.applications.update(app_id, "Acme", "Role from tab A", "referral", DAY, version=read)
    with pytest.raises(StaleEdit) as refused:
        store.applications.update(app_id, "Acme", "Role from tab B", "referral", DAY, version=read)
    assert store.applications.get(app_id)["role"] == "Role from tab A"  # nothing written
    assert refused.value.theirs["role"] == "Role from tab A" and refused.value.version == read + 1
    assert refused.value.changed_at is not None
    assert "saved" not in str(refused.value).replace("nothing was saved", "")
    # Keeping mine: save again at the version now shown.
    store.applications.update(app_id, "Acme", "Role from tab B", "referral", DAY, version=refused.value.version)
    assert store.applications.get(app_id)["role"] == "Role from tab B"


def test_a_deleted_record_is_a_clear_message_not_a_conflict(store):
    app_id, read = _app(store)
    store.applications.delete(app_id)
    with pytest.raises(ValidationError, match="no longer exists") as gone:
        store.applications.update(app_id, "Acme", "Analyst", "referral", DAY, version=read)
    assert not isinstance(gone.value, StaleEdit)


def test_another_users_record_is_never_touched(db):
    mine, theirs = Store(db, "me"), Store(db, "them")
    app_id, read = _app(theirs)
    with pytest.raises(ValidationError, match="no longer exists"):
        mine.applications.update(app_id, "Mine", "Analyst", "referral", DAY, version=read)
    assert theirs.applications.get(app_id)["company"] == "Acme"


def test_two_saves_at_the_same_version_at_once_land_once(db):
    """Compare-and-set, not read-then-write: of two concurrent saves read at one version, one wins."""
    store = Store(db, "local")
    app_id, read = _app(store)
    barrier = threading.Barrier(2)
    results: list[object] = []

    def save(role: str) -> None:
        barrier.wait()
        try:
            results.append(store.applications.update(app_id, "Acme", role, "referral", DAY, version=read))
        except StaleEdit as error:  # the loser is refused, with what the winner saved
            results.append(error)

    threads = [threading.Thread(target=save, args=(r,)) for r in ("A", "B")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(type(r).__name__ for r in results) == ["StaleEdit", "int"], results
    assert store.applications.get(app_id)["version"] == read + 1


def _version(store: Store, table: str, record_id: int) -> int:
    return int(store.db.cursor().execute(f"SELECT version FROM {table} WHERE id = ?", [record_id]).fetchone()[0])


def _checkin(store: Store):
    cid = store.checkins.add(4, 5, ["anxiety"], "before the call")
    return "checkins", cid, lambda note, v: store.checkins.update(cid, 4, 5, ["anxiety"], note, version=v), "note"


def _reflection(store: Store):
    rid = store.reflections.add("journal", {"entry": "first"}, ["nerves"])
    return (
        "reflections",
        rid,
        lambda text, v: store.reflections.update(rid, {"entry": text}, ["nerves"], version=v),
        "answers",
    )


def _contact(store: Store):
    cid = store.contacts.add("Ana", "Acme", today=DAY)
    return (
        "contacts",
        cid,
        lambda how, v: store.contacts.update(cid, "Ana", "Acme", how, today=DAY, version=v),
        "how_met",
    )


def _goal(store: Store):
    gid = store.goals.add(DAY, "custom", 2, label="walk")
    return "goals", gid, lambda label, v: store.goals.update(gid, 2, label, version=v), "label"


def _feedback(store: Store):
    app = store.applications.add("Acme", "Analyst", "referral", DAY)
    store.applications.add_event(app, "rejected", DAY + dt.timedelta(days=3), stage="applied")
    rid = store.feedback_requests.save(
        app, "application", "brief", ["What could I improve?"], today=DAY + dt.timedelta(days=4)
    )

    def save(name: str, v: int | None) -> int:
        store.feedback_requests.save(
            app,
            "application",
            "brief",
            ["What could I improve?"],
            contact_name=name,
            request_id=rid,
            version=v,
            today=DAY + dt.timedelta(days=4),
        )
        return _version(store, "feedback_requests", rid)

    return "feedback_requests", rid, save, "contact_name"


@pytest.mark.parametrize("make", [_checkin, _reflection, _contact, _goal, _feedback])
def test_every_edited_record_refuses_a_stale_save(store, make):
    table, record_id, save, column = make(store)
    read = _version(store, table, record_id)
    assert save("tab A", read) == read + 1  # a save at the version read lands
    with pytest.raises(StaleEdit) as refused:  # tab B, read at the same version, is refused
        save("tab B", read)
    assert "tab A" in str(refused.value.theirs[column]) and refused.value.version == read + 1
    now = store.db.cursor().execute(f"SELECT {column} FROM {table} WHERE id = ?", [record_id]).fetchone()[0]
    assert "tab A" in str(now) and "tab B" not in str(now)  # nothing written
    assert save("tab B", refused.value.version) == read + 2  # keep mine: saved at the version shown
    assert save("no version", None) == read + 3  # a writer that reads and writes at once


def test_marking_a_contact_or_a_request_moves_its_version(store):
    """Other writes to an edited record count as a newer version, so a form read before them is stale."""
    cid = store.contacts.add("Ana", "Acme", today=DAY)
    read = _version(store, "contacts", cid)
    store.contacts.mark_contacted(cid, day=DAY, today=DAY)
    with pytest.raises(StaleEdit):
        store.contacts.update(cid, "Ana", "Acme", "meetup", today=DAY, version=read)
