"""Every picker that names an application keeps the one the form or page was about, even when
several applications read alike (the same company, role and day, as repeated imports make):
a select box sends back the label it shows, so each label must name one application."""

from __future__ import annotations

import datetime as dt

import pytest

from rebound.db import Database
from rebound.store import Store


def _twins(db_path, n: int = 3, rejected: bool = False) -> list[int]:
    """n applications to Stark Industries for the same role on the same day (oldest id first)."""
    s = Store(Database(db_path), "local")
    day = dt.date.today() - dt.timedelta(days=20)
    ids = [s.applications.add("Stark Industries", "Data Analyst", "job board", day) for _ in range(n)]
    if rejected:
        for i in ids:
            s.applications.add_event(i, "rejected", day + dt.timedelta(days=5), stage="applied")
    s.db.close()
    return ids


def _store(at_or_none, db_path) -> Store:
    import streamlit as st

    from rebound import ui

    st.cache_resource.clear()  # release the app's connection to the file
    ui.clear_cached()
    return Store(Database(db_path), "local")


def _unique(box) -> list[str]:
    labels = list(box.options)
    assert len(set(labels)) == len(labels), labels
    return labels


def _button(at, label):
    return next(b for b in at.button if b.label == label)


@pytest.mark.parametrize("kind", ["reflection", "checkin"])
def test_a_journal_edit_keeps_its_application(run_page, db_path, kind):
    ids = _twins(db_path)
    about = ids[1]  # neither the first nor the last of the alike labels
    s = Store(Database(db_path), "local")
    if kind == "reflection":
        rid = s.reflections.add("after_interview", {"went_well": "first thoughts"}, ["nerves"], application_id=about)
    else:
        rid = s.checkins.add(4, 5, ["anxiety"], "before the call", application_id=about)
    s.db.close()
    at = run_page("pages/reflect.py", db_path)
    at.session_state["reflect_tabs"] = "📓 Journal"
    at.run()
    at.button(key=f"journal_edit_{kind}_{rid}").click().run()
    box = next(b for b in at.selectbox if b.key and b.key.startswith(f"wb:journal:edit:{kind}:{rid}:application"))
    assert box.value == about
    _unique(box)
    if kind == "reflection":
        next(w for w in at.text_area if w.key.startswith(f"wb:journal:edit:{kind}:{rid}:")).input("second")
    else:
        next(w for w in at.slider if w.key.startswith(f"wb:journal:edit:{kind}:{rid}:mood")).set_value(8)
    _button(at, "Save changes").click().run()
    assert not at.exception and not at.error
    s = _store(at, db_path)
    saved = (s.reflections if kind == "reflection" else s.checkins).get(rid)
    assert saved["application_id"] == about
    if kind == "reflection":
        assert saved["answers"] == {"went_well": "second"}
    else:
        assert saved["mood"] == 8


def test_the_outcomes_picker_opens_the_one_picked(run_page, db_path):
    ids = _twins(db_path)
    at = run_page("pages/outcomes.py", db_path)
    box = at.selectbox(key="outcomes_picker")
    labels = _unique(box)
    assert labels[0] == f"Stark Industries — Data Analyst · applied {_applied(db_path)} · Applied · #{ids[-1]}"
    box.set_value(ids[1]).run()
    assert not at.exception
    assert at.session_state["outcomes_open"] == ids[1]
    assert at.selectbox(key="outcomes_picker").value == ids[1]


def _applied(db_path) -> str:
    from rebound.dates import fmt_date

    return fmt_date(dt.date.today() - dt.timedelta(days=20))


def test_the_checkin_page_starts_the_steps_for_the_one_picked(run_page, db_path):
    ids = _twins(db_path, rejected=True)
    at = run_page("pages/checkin.py", db_path)
    box = at.selectbox(key="checkin_flow_app")
    _unique(box)
    box.set_value(ids[1]).run()
    _button(at, "Start the steps").click().run()
    assert not at.exception
    assert at.session_state["rejection_flow"]["application_id"] == ids[1]


def test_the_feedback_picker_keeps_the_one_picked(run_page, db_path):
    ids = _twins(db_path, rejected=True)
    at = run_page("pages/feedback.py", db_path)
    box = at.selectbox(key="feedback_app")
    _unique(box)
    box.set_value(ids[1]).run()
    assert not at.exception
    assert at.selectbox(key="feedback_app").value == ids[1]
    at.run()  # a plain rerun keeps it too
    assert at.selectbox(key="feedback_app").value == ids[1]


def test_a_new_checkin_files_on_the_application_picked(run_page, db_path):
    ids = _twins(db_path)
    at = run_page("pages/checkin.py", db_path)
    box = next(b for b in at.selectbox if b.key and b.key.startswith("wb:checkin:new:application"))
    _unique(box)
    box.set_value(ids[1]).run()
    _button(at, "Save check-in").click().run()
    assert not at.exception and not at.error
    s = _store(at, db_path)
    assert s.checkins.all()["application_id"].tolist() == [ids[1]]
