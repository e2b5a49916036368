"""CV and cover-letter versions through AppTest: named on Outcomes, picked when logging and editing an
application, deleted while used, and their rates side by side on Outcomes and Progress."""

from __future__ import annotations

import datetime as dt

from rebound.db import Database
from rebound.store import Store
from rebound.ui.text import md_escape

HOSTILE = "<img src=x onerror=alert(1)> **v2** [link](http://evil.example)"


def submit(at, label):
    return next(b for b in at.get("form_submit_button") if b.label == label)


def button(at, label):
    return next(b for b in at.button if b.label == label)


def with_store(path, work):
    import streamlit as st

    st.cache_resource.clear()  # AppTest's cached database holds the file
    db = Database(path)
    try:
        return work(Store(db, "local"))
    finally:
        db.close()


def markdown(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_a_version_named_then_picked_by_default_when_logging_and_changed_when_editing(run_page, db_path):
    at = run_page("pages/outcomes.py", db_path)
    assert "add_version_cv" not in [s.key for s in at.selectbox]  # no version named: no picker
    at.session_state["outcomes_materials_open"] = True  # what opening the section does
    at.run()
    at.text_input(key="materials_add_label").input(HOSTILE)
    at.text_area(key="materials_add_changes").input("After Initech's feedback")
    submit(at, "Add version").click().run()
    assert not at.exception and not at.error
    (version,) = with_store(db_path, lambda s: s.materials.all())
    assert version["label"] == HOSTILE and version["changes"] == "After Initech's feedback"
    assert md_escape(HOSTILE) in markdown(at)  # shown literally
    assert "<img" not in markdown(at).replace(md_escape("<img"), "")

    # Logging an application: the newest CV version is chosen already; no cover letter named: no picker.
    picker = at.selectbox(key="add_version_cv")
    assert picker.value == version["id"] and picker.format_func(picker.value) == HOSTILE
    assert "add_version_cover_letter" not in [s.key for s in at.selectbox]
    at.text_input(key="add_company").input("Initech")
    at.text_input(key="add_role").input("Analyst")
    submit(at, "Add application").click().run()
    assert not at.exception and not at.error
    app = with_store(db_path, lambda s: s.applications.all()).iloc[0]
    got = with_store(db_path, lambda s: s.applications.get(int(app["id"])))
    assert int(got["cv_version_id"]) == version["id"]

    # Editing its details: the version it has is shown, and can be set to "Not recorded".
    at.session_state[f"outcomes_edit_open_{int(app['id'])}"] = True
    at.run()
    edit = at.selectbox(key=f"outcomes_edit_{int(app['id'])}_version_cv")
    assert edit.value == version["id"]
    edit.select_index(0)  # "Not recorded"
    submit(at, "Save changes").click().run()
    assert not at.exception and not at.error
    got = with_store(db_path, lambda s: s.applications.get(int(app["id"])))
    assert got["cv_version_id"] is None  # not recorded


def test_a_used_version_deleted_is_kept_as_deleted_version_and_the_application_still_opens(run_page, db_path):
    today = dt.date.today()

    def setup(s):
        vid = s.materials.add("cv", "v1 <b>", today - dt.timedelta(days=40), today=today)
        for i in range(3):
            s.applications.add(f"Firm {i}", "Analyst", "referral", today - dt.timedelta(days=30), cv_version_id=vid)
        return vid

    vid = with_store(db_path, setup)
    at = run_page("pages/outcomes.py", db_path)
    at.session_state["outcomes_materials_open"] = True
    at.run()
    button(at, "Delete").click().run()
    assert "3 applications were sent with this version" in at.warning[0].value
    button(at, "Delete it").click().run()
    assert not at.exception and not at.error
    (kept,) = with_store(db_path, lambda s: s.materials.all(include_deleted=True))
    assert kept["deleted"] and kept["applications"] == 3
    assert md_escape("CV: deleted version: v1 <b>") in markdown(at)  # the rates still name it
    # the application still opens and its edit form still shows the version it was sent with
    app_id = int(with_store(db_path, lambda s: s.applications.all()).iloc[0]["id"])
    at.session_state["outcomes_open"] = app_id
    at.session_state[f"outcomes_edit_open_{app_id}"] = True
    at.run()
    assert not at.exception
    edit = at.selectbox(key=f"outcomes_edit_{app_id}_version_cv")
    assert edit.value == vid and edit.format_func(vid) == "deleted version: v1 <b>"
    submit(at, "Save changes").click().run()
    assert not at.exception and not at.error


def _two_versions(s, today):
    old = s.materials.add("cv", "v1 long", today - dt.timedelta(days=200), today=today)
    new = s.materials.add("cv", HOSTILE, today - dt.timedelta(days=100), "after feedback", today=today)
    s.materials.add("cover_letter", "letter A", today - dt.timedelta(days=200), today=today)
    for i in range(12):  # v1: 12 sent long ago, none answered
        s.applications.add(f"Old {i}", "Analyst", "job board", today - dt.timedelta(days=150), cv_version_id=old)
    for i in range(12):  # v2: 12 sent, 9 answered, 4 of them with an interview
        app = s.applications.add(f"New {i}", "Analyst", "job board", today - dt.timedelta(days=60), cv_version_id=new)
        if i < 9:
            s.applications.add_event(app, "screen", today - dt.timedelta(days=50))
        if i < 4:
            s.applications.add_event(app, "interview", today - dt.timedelta(days=40), round=1)
    return old, new


def test_progress_shows_each_version_side_by_side_with_intervals_and_whether_they_differ(run_page, db_path):
    today = dt.date.today()
    with_store(db_path, lambda s: _two_versions(s, today))
    at = run_page("pages/progress.py", db_path)
    at.session_state["progress_tab"] = "Funnel"
    at.run()
    assert not at.exception
    text = markdown(at)
    assert "Which version gets answers" in text
    assert md_escape("CV: v1 long") in text and md_escape(f"CV: {HOSTILE}") in text
    assert md_escape("0 of 12 (0%, likely 0–24%)") in text
    assert md_escape("9 of 12 (75%, likely 47–91%)") in text  # answers
    assert md_escape("4 of 12 (33%, likely 14–61%)") in text  # interviews
    assert md_escape(f"“{HOSTILE}” gets answers more often than “v1 long”") in text
    assert md_escape("One cover letter version so far") in text
    assert "<img" not in text.replace(md_escape("<img"), "")


def test_progress_with_versions_but_none_used_and_with_no_versions(run_page, db_path):
    today = dt.date.today()

    def setup(s):
        s.applications.add("Initech", "Analyst", "referral", today - dt.timedelta(days=30))
        return None

    with_store(db_path, setup)
    at = run_page("pages/progress.py", db_path)
    at.session_state["progress_tab"] = "Funnel"
    at.run()
    assert "Name the versions of your CV" in "\n".join(c.value for c in at.caption)
    with_store(db_path, lambda s: s.materials.add("cv", "v1", today, today=today))
    at.run()
    text = markdown(at)
    assert md_escape("0 of 0") in text  # no application sent with it: nothing divided by zero
    assert not at.exception
