"""AppTest of correcting a timeline event on Outcomes (issue 25 item 2): two tabs editing the same
event, the stale save refused with both shown; one tab deleting what the other edits: a clear message."""

from __future__ import annotations

import datetime as dt

import pytest

from rebound.db import Database
from rebound.store import Store


def _stored(db_path) -> tuple[Database, Store]:
    import streamlit as st

    from rebound import ui

    st.cache_resource.clear()  # release the app's connection to the file
    ui.clear_cached()
    db = Database(db_path)
    return db, Store(db, "local")


def _event(db_path, event_id):
    db, store = _stored(db_path)
    try:
        return store.applications.get_event(event_id)
    finally:
        db.close()


@pytest.fixture
def rejection(db_path):
    db = Database(db_path)
    store = Store(db, "local")
    app = store.applications.add("Acme", "Analyst", "referral", dt.date(2026, 11, 1))
    event = store.applications.add_event(app, "rejected", dt.date(2026, 11, 20), stage="applied", reason="Old")
    db.close()
    return app, event


def _open_edit(at, app, event):
    at.selectbox(key="outcomes_picker").set_value(app).run()
    at.button(key=f"outcomes_edit_ev_{event}").click().run()
    assert not at.exception


def _reason(at):
    return next(t for t in at.text_area if t.label == "Reason they gave (optional)" and t.value != "")


def _click(at, label):
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception


def test_two_tabs_editing_one_event_the_stale_save_shows_both_and_keeps_mine_on_request(run_page, db_path, rejection):
    app, event = rejection
    tab_a, tab_b = run_page("pages/outcomes.py", db_path), run_page("pages/outcomes.py", db_path)
    _open_edit(tab_a, app, event)
    _open_edit(tab_b, app, event)
    _reason(tab_a).input("Reason from tab A")
    _click(tab_a, "Save")
    assert _event(db_path, event)["reason"] == "Reason from tab A"
    _reason(tab_b).input("Reason from tab B")
    _click(tab_b, "Save")
    said = " ".join(w.value for w in tab_b.warning) + " ".join(m.value for m in tab_b.markdown)
    assert "Not saved: changed in another tab or window at" in said and "Reason from tab A" in said
    assert "Reason from tab B" in said  # theirs and mine side by side
    assert not any("saved" in t.value.lower() for t in tab_b.toast)
    assert _event(db_path, event)["reason"] == "Reason from tab A"  # nothing written by the stale save
    _click(tab_b, "Keep mine")
    now = _event(db_path, event)
    assert (now["reason"], now["version"]) == ("Reason from tab B", 3)


def test_one_tab_deletes_the_event_the_other_is_editing(run_page, db_path, rejection):
    app, event = rejection
    tab_a, tab_b = run_page("pages/outcomes.py", db_path), run_page("pages/outcomes.py", db_path)
    _open_edit(tab_b, app, event)
    tab_a.selectbox(key="outcomes_picker").set_value(app).run()
    tab_b_reason = _reason(tab_b)
    tab_a.button(key=f"outcomes_del_ev_{event}").click().run()
    assert not tab_a.exception and _event(db_path, event) is None
    tab_b_reason.input("Too late")
    _click(tab_b, "Save")
    said = " ".join(e.value for e in tab_b.error) + " ".join(w.value for w in tab_b.warning)
    assert "removed in another tab or window" in said or "no longer exists" in said
    assert _event(db_path, event) is None  # nothing came back


def test_deleting_an_event_another_tab_deleted_is_no_error(run_page, db_path, rejection):
    app, event = rejection
    tab_a, tab_b = run_page("pages/outcomes.py", db_path), run_page("pages/outcomes.py", db_path)
    for tab in (tab_a, tab_b):
        tab.selectbox(key="outcomes_picker").set_value(app).run()
    tab_a.button(key=f"outcomes_del_ev_{event}").click().run()
    tab_b.button(key=f"outcomes_del_ev_{event}").click().run()
    assert not tab_b.exception and _event(db_path, event) is None
    assert f"outcomes_del_ev_{event}" not in [b.key for b in tab_b.button]  # its row is gone from tab B too


def test_a_form_read_before_another_tab_saved_says_so_and_shows_the_newer_version_on_request(
    run_page, db_path, rejection
):
    app, event = rejection
    tab_a, tab_b = run_page("pages/outcomes.py", db_path), run_page("pages/outcomes.py", db_path)
    _open_edit(tab_a, app, event)
    _open_edit(tab_b, app, event)
    _reason(tab_a).input("Reason from tab A")
    _click(tab_a, "Save")
    tab_b.run()  # a rerun of the other tab, its form still as it was read
    assert any("Changed in another tab or window since this form was opened" in c.value for c in tab_b.caption)
    assert _reason(tab_b).value == "Old"
    _click(tab_b, "Show the newer version")
    assert _reason(tab_b).value == "Reason from tab A"
    assert not any("Changed in another tab or window" in c.value for c in tab_b.caption)
