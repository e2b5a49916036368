"""AppTest runs of the Feedback page: empty and demo databases, and the whole journey by widgets."""

from __future__ import annotations

import datetime as dt

import pytest
from clock import TODAY

from rebound.db import Database
from rebound.store import Store

D = dt.timedelta
NAME = 'Zoë "Z" O\'Brien & 王小明 🚀'


@pytest.fixture
def seeded_path(db_path):
    """One application rejected after an interview two days ago, with a reflection tagging two themes."""
    db = Database(db_path)
    store = Store(db, "local")
    app = store.applications.add("Müller & Söhne", "Data Analyst", "referral", TODAY - D(30))
    store.applications.add_event(app, "interview", TODAY - D(10), round=1)
    store.applications.add_event(app, "rejected", TODAY - D(2), stage="interview")
    db.cursor().execute(
        "INSERT INTO reflections (user_id, template, day, answers, themes, application_id)"
        " VALUES ('local', 'after_rejection', ?, '{}', ['storytelling', 'salary'], ?)",
        [TODAY - D(1), app],
    )
    db.close()
    return db_path, app


def texts(at) -> str:
    return "\n".join(
        str(e.value)
        for kind in ("markdown", "caption", "info", "error", "success", "warning")
        for e in getattr(at, kind)
    )


def button(at, label):
    return next(b for b in at.button if b.label == label)


def test_empty_database(run_page, db_path):
    at = run_page("pages/feedback.py", db_path)
    assert at.title[0].value == "Feedback"
    assert "Log an application" in texts(at)
    for section in ("requests", "actions", "ask"):
        at.segmented_control(key="feedback_section").set_value(section).run()
        assert not at.exception
    at.segmented_control(key="feedback_section").set_value("requests").run()
    assert "No feedback requests yet" in texts(at)


def test_demo_database(run_page, demo_db_path):
    at = run_page("pages/feedback.py", demo_db_path)
    assert len(at.code) == 2 and "1. " in at.code[1].value
    for section in ("requests", "actions"):
        at.segmented_control(key="feedback_section").set_value(section).run()
        assert not at.exception and not at.error
    assert len(at.checkbox) > 0


def test_journey_build_send_answer_act(run_page, seeded_path):
    path, app = seeded_path
    at = run_page("pages/feedback.py", path)
    assert "said no after the interview 2 days ago" in texts(at)  # the send nudge
    assert at.multiselect(key=f"feedback_areas_{app}").value == ["communication", "salary expectations"]
    assert at.selectbox(key=f"feedback_stage_{app}").value == "interview"
    assert "Preselected from your reflection" in texts(at)
    ticked = [c for c in at.checkbox if c.value]
    assert len(ticked) == 2

    at.text_input(key=f"feedback_to_name_{app}").input(NAME)
    at.text_input(key=f"feedback_to_email_{app}").input("zoe+jobs@example.com")
    at.text_input(key="feedback_sender").input("Ana-María 🌱")
    at.segmented_control(key="feedback_tone").set_value("formal").run()
    body = at.code[1].value
    assert body.startswith(f"Dear {NAME},") and "Müller & Söhne" in body and body.rstrip().endswith("Ana-María 🌱")

    # edit a question: the message follows
    first = next(t for t in at.text_area if t.key.startswith(f"feedback_edit_{app}_"))
    first.input('Was my "STAR" story about the A&B test clear?').run()
    assert '1. Was my "STAR" story about the A&B test clear?' in at.code[1].value

    at.button(key="feedback_save").click().run()
    assert not at.exception
    assert at.segmented_control(key="feedback_section").value == "requests"
    db = Database(path)
    store = Store(db, "local")
    try:
        (rid,) = store.feedback_requests.all()["id"]
        assert store.feedback_requests.get(rid)["contact_name"] == NAME
        assert store.settings.get("feedback_sender_name") == "Ana-María 🌱"

        button(at, "Mark as sent").click().run()
        assert store.feedback_requests.get(rid)["status"] == "sent"
        assert "Sent today." in texts(at) and "0 days ago" not in texts(at)

        at.text_area(key=f"feedback_text_{rid}").input(
            "Your answers were long and lacked structure; the SQL was fine."
        ).run()
        assert "It sounds like" in texts(at)
        button(at, "Add these themes").click().run()
        assert at.multiselect(key=f"feedback_themes_{rid}").value == ["technical depth", "communication"]
        button(at, "Save their feedback").click().run()
        req = store.feedback_requests.get(rid)
        assert req["status"] == "answered" and req["themes"] == ["technical depth", "communication"]

        idea = next(b for b in at.button if "STAR stories" in b.label)
        idea.click().run()
        assert "STAR stories" in at.text_input(key=f"feedback_act_{rid}_title").value
        button(at, "Add action item").click().run()
        assert not at.exception
        actions = store.actions.open()
        assert list(actions["title"]) == ["Write three STAR stories and rehearse them out loud"]
        assert actions.iloc[0]["source"] == "feedback" and actions.iloc[0]["company"] == "Müller & Söhne"

        # mark it done on the Action items section
        at.segmented_control(key="feedback_section").set_value("actions").run()
        action_id = int(actions.iloc[0]["id"])
        at.checkbox(key=f"feedback_done_open_{action_id}").check().run()
        assert store.actions.open().empty and len(store.actions.all(done=True)) == 1
    finally:
        db.close()


def test_empty_question_set_and_bad_email(run_page, seeded_path):
    path, app = seeded_path
    at = run_page("pages/feedback.py", path)
    for c in at.checkbox:
        if c.value:
            c.uncheck()
    at.run()
    assert "There are no questions to ask yet" in texts(at)
    assert len(at.code) == 0 and not at.error
    at.multiselect(key=f"feedback_areas_{app}").set_value([]).run()
    assert "There are no questions to ask yet" in texts(at)
    at.multiselect(key=f"feedback_areas_{app}").set_value(["preparation"]).run()
    at.text_input(key=f"feedback_to_email_{app}").input("zoe@example.com, boss@example.com").run()
    assert at.error and "email address" in at.error[0].value
    assert len(at.code) == 0
    # the message quotes what was typed: shown literally, never as Markdown or a link
    at.text_input(key=f"feedback_to_email_{app}").input("**me** [x](http://e.x)").run()
    assert "\\*\\*me\\*\\* \\[x\\]\\(http" in at.error[0].value


def test_self_review_adds_action_items_without_feedback(run_page, seeded_path):
    path, app = seeded_path
    at = run_page("pages/feedback.py", path)
    at.segmented_control(key="feedback_section").set_value("actions").run()
    assert set(at.multiselect(key="feedback_self_areas_None").value) == {"communication", "salary expectations"}
    picks = [c for c in at.checkbox if c.key.startswith("feedback_self_None_")]
    picks[0].check()
    picks[2].check()
    at.run()
    button(at, "Add 2 action items").click().run()
    assert not at.exception
    db = Database(path)
    try:
        actions = Store(db, "local").actions.open()
        assert len(actions) == 2 and set(actions["source"]) == {"reflection"}
        assert set(actions["company"]) == {"Müller & Söhne"}
    finally:
        db.close()


def test_rejection_flow_handoff_preselects_the_application(run_page, seeded_path, monkeypatch):
    path, app = seeded_path
    db = Database(path)
    other = Store(db, "local").applications.add("Acme", "Analyst", "job board", TODAY - D(3))
    db.close()
    at = run_page("pages/feedback.py", path)
    assert at.selectbox(key="feedback_app").value == app
    at.session_state["feedback_request"] = {"application_id": other}
    at.run()
    assert at.selectbox(key="feedback_app").value == other


def test_the_application_picker_is_capped_but_a_handoff_always_joins_it(run_page, seeded_path, monkeypatch):
    from rebound import ui

    path, app = seeded_path
    db = Database(path)
    store = Store(db, "local")
    older = [store.applications.add(f"Firm {i}", "Analyst", "job board", TODAY - D(60 + i)) for i in range(4)]
    db.close()
    monkeypatch.setattr(ui, "PICKER_LIMIT", 2)
    at = run_page("pages/feedback.py", path)
    picker = at.selectbox(key="feedback_app")
    assert len(picker.options) == 2 and picker.value == app  # the rejection after an interview leads
    assert "first 2 of 5" in picker.help
    at.session_state["feedback_request"] = {"application_id": older[-1]}  # the oldest, from the rejection steps
    at.run()
    picker = at.selectbox(key="feedback_app")
    assert len(picker.options) == 3 and picker.value == older[-1] and picker.options[-1].startswith("Firm 3")
