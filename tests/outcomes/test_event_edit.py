"""Correcting an event on a timeline (issue 25 item 2): saved only at the version it was read at, a
stale save refused with the newer fields, a deleted event a clear refusal, nothing written."""

from __future__ import annotations

import datetime as dt

import pytest

from rebound.errors import StaleEdit, ValidationError
from rebound.store import Store

D = dt.date
TODAY = D(2026, 11, 30)  # a fixed day passed to the code


@pytest.fixture
def rejected(store):
    app = store.applications.add("Acme", "Analyst", "referral", D(2026, 11, 1))
    interview = store.applications.add_event(app, "interview", D(2026, 11, 10), round=1, today=TODAY)
    event = store.applications.add_event(app, "rejected", D(2026, 11, 20), stage="interview", today=TODAY)
    return app, interview, event


def test_an_event_is_corrected_and_its_version_moves_on(store, rejected):
    app, _, event = rejected
    read = store.applications.get_event(event)
    assert (read["kind"], read["stage"], read["version"]) == ("rejected", "interview", 1)
    assert store.applications.update_event(event, D(2026, 11, 21), stage="final", reason="Too junior", version=1) == 2
    now = store.applications.get_event(event)
    assert (now["happened_on"], now["stage"], now["reason"], now["version"]) == (
        D(2026, 11, 21),
        "final",
        "Too junior",
        2,
    )
    assert now["updated_at"] is not None
    assert store.applications.get(app)["status"] == "rejected"


def test_a_stale_save_is_refused_with_the_newer_fields_and_nothing_written(store, rejected):
    _, _, event = rejected
    store.applications.update_event(event, D(2026, 11, 20), stage="interview", reason="From tab A", version=1)
    with pytest.raises(StaleEdit) as stale:
        store.applications.update_event(event, D(2026, 11, 20), stage="interview", reason="From tab B", version=1)
    assert stale.value.theirs["reason"] == "From tab A" and stale.value.version == 2
    assert stale.value.changed_at is not None
    assert store.applications.get_event(event)["reason"] == "From tab A"
    store.applications.update_event(event, D(2026, 11, 20), stage="interview", reason="From tab B", version=2)
    assert store.applications.get_event(event)["reason"] == "From tab B"  # "Keep mine"


def test_editing_an_event_deleted_in_another_tab_says_so(store, rejected):
    _, _, event = rejected
    assert store.applications.delete_event(event) is True
    with pytest.raises(ValidationError, match="no longer exists .deleted in another tab or window"):
        store.applications.update_event(event, D(2026, 11, 20), stage="interview", version=1)
    assert store.applications.delete_event(event) is False  # the second tab's delete: already gone


def test_a_correction_that_would_repeat_another_event_or_break_a_rule_is_refused(store, rejected):
    app, interview, _ = rejected
    store.applications.add_event(app, "interview", D(2026, 11, 12), round=2, today=TODAY)
    with pytest.raises(ValidationError, match="Already on the timeline"):
        store.applications.update_event(interview, D(2026, 11, 12), round=2, version=1, today=TODAY)
    with pytest.raises(ValidationError, match="before you applied"):
        store.applications.update_event(interview, D(2026, 10, 1), round=1, version=1, today=TODAY)
    with pytest.raises(ValidationError, match="future"):
        store.applications.update_event(interview, D(2026, 12, 25), round=1, version=1, today=TODAY)
    assert store.applications.get_event(interview)["version"] == 1  # nothing written


def test_another_users_event_cannot_be_read_or_edited(db, rejected):
    _, _, event = rejected
    bob = Store(db, "bob")
    assert bob.applications.get_event(event) is None
    with pytest.raises(ValidationError):
        bob.applications.update_event(event, D(2026, 11, 20), stage="interview", version=1)
    assert bob.applications.delete_event(event) is False
