"""The feedback store: requests through their states, nudges, action items, isolation, demo, stats."""

from __future__ import annotations

import datetime as dt

import pytest

from rebound.errors import ValidationError
from rebound.store import Store

TODAY = dt.date(2026, 11, 25)
D = dt.timedelta


@pytest.fixture
def app_id(store):
    app = store.applications.add("Müller & Söhne", "Data Analyst", "referral", TODAY - D(30), today=TODAY)
    store.applications.add_event(app, "screen", TODAY - D(20), today=TODAY)
    store.applications.add_event(app, "interview", TODAY - D(10), round=1, today=TODAY)
    store.applications.add_event(app, "rejected", TODAY - D(2), stage="interview", today=TODAY)
    return app


def add_reflection(store, app, themes, day=TODAY - D(1)):
    """A reflection as the Reflect page stores it (raw SQL: this area only reads the table)."""
    rid = (
        store.db.cursor()
        .execute(
            "INSERT INTO reflections (user_id, template, day, answers, themes, application_id)"
            " VALUES (?, 'after_rejection', ?, '{}', ?, ?) RETURNING id",
            [store.user_id, day, themes, app],
        )
        .fetchone()[0]
    )
    store.db.bump(store.user_id)  # reads are cached per data revision
    return rid


def count(store, table):
    return store.db.cursor().execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_request_lifecycle(store, app_id):
    rid = store.feedback_requests.save(
        app_id,
        "technical",
        "warm",
        ["Was my SQL deep enough?", "  "],
        'Zoë "Z" & 王',
        "zoe@example.com",
        "Alex 🌱",
        today=TODAY - D(1),
    )
    req = store.feedback_requests.get(rid)
    assert req["status"] == "drafted" and req["questions"] == ["Was my SQL deep enough?"]
    assert req["contact_name"] == 'Zoë "Z" & 王' and req["drafted_on"] == TODAY - D(1)
    assert 'Hi Zoë "Z" & 王,' in req["message"] and "Müller & Söhne" in req["message"]
    assert req["subject"] == "Thank you, and a small request about the Data Analyst role"

    store.feedback_requests.mark_sent(rid, TODAY, today=TODAY)
    assert store.feedback_requests.get(rid)["status"] == "sent"
    store.feedback_requests.save_received(
        rid, "Your SQL was fine; structure your stories more.", ["Communication", "my own theme"], TODAY, today=TODAY
    )
    req = store.feedback_requests.get(rid)
    assert req["status"] == "answered" and req["themes"] == ["communication", "my own theme"]
    assert store.feedback_requests.theme_counts() == {"communication": 1, "my own theme": 1}
    df = store.feedback_requests.all()
    assert list(df["id"]) == [rid] and df.iloc[0]["company"] == "Müller & Söhne"


def test_update_draft_and_save_as_sent_in_one_go(store, app_id):
    rid = store.feedback_requests.save(app_id, "technical", "brief", ["Q1?"], today=TODAY)
    assert (
        store.feedback_requests.save(
            app_id, "final", "formal", ["Q2?", "Q3?"], request_id=rid, today=TODAY, sent_on=TODAY
        )
        == rid
    )
    req = store.feedback_requests.get(rid)
    assert req["stage"] == "final" and req["questions"] == ["Q2?", "Q3?"] and req["sent_on"] == TODAY
    assert len(store.feedback_requests.all()) == 1


def test_sent_earlier_than_drafted_moves_the_draft_date(store, app_id):
    rid = store.feedback_requests.save(app_id, "technical", "brief", ["Q?"], today=TODAY)
    store.feedback_requests.mark_sent(rid, TODAY - D(1), today=TODAY)
    req = store.feedback_requests.get(rid)
    assert req["drafted_on"] == req["sent_on"] == TODAY - D(1)


def test_answer_without_marking_sent_marks_it_sent(store, app_id):
    rid = store.feedback_requests.save(app_id, "technical", "brief", ["Q?"], today=TODAY)
    store.feedback_requests.save_received(rid, "Thanks for asking!", [], TODAY, today=TODAY)
    req = store.feedback_requests.get(rid)
    assert req["sent_on"] == TODAY and req["status"] == "answered"


def test_bad_input_writes_nothing(store, app_id):
    before = count(store, "feedback_requests")
    with pytest.raises(ValidationError, match="no questions"):
        store.feedback_requests.save(app_id, "technical", "warm", ["", " "], today=TODAY)
    with pytest.raises(ValidationError, match="email"):
        store.feedback_requests.save(app_id, "technical", "warm", ["Q?"], contact_email="nope", today=TODAY)
    with pytest.raises(ValidationError, match="no longer exists"):
        store.feedback_requests.save(999_999, "technical", "warm", ["Q?"], today=TODAY)
    with pytest.raises(ValidationError, match="future"):
        store.feedback_requests.save(app_id, "technical", "warm", ["Q?"], today=TODAY, sent_on=TODAY + D(1))
    assert count(store, "feedback_requests") == before
    rid = store.feedback_requests.save(app_id, "technical", "warm", ["Q?"], today=TODAY)
    store.feedback_requests.mark_sent(rid, TODAY - D(3), today=TODAY)
    with pytest.raises(ValidationError, match="Paste"):
        store.feedback_requests.save_received(rid, "   ", [], today=TODAY)
    with pytest.raises(ValidationError, match="before you sent"):
        store.feedback_requests.save_received(rid, "ok", [], TODAY - D(5), today=TODAY)
    with pytest.raises(ValidationError, match="future"):
        store.feedback_requests.mark_sent(rid, TODAY + D(1), today=TODAY)
    assert store.feedback_requests.get(rid)["status"] == "sent"


def test_close_reopen_unsend_delete(store, app_id):
    rid = store.feedback_requests.save(app_id, "technical", "warm", ["Q?"], today=TODAY)
    store.feedback_requests.mark_sent(rid, TODAY, today=TODAY)
    store.feedback_requests.close(rid, today=TODAY)
    assert store.feedback_requests.get(rid)["status"] == "no answer"
    store.feedback_requests.reopen(rid)
    assert store.feedback_requests.get(rid)["status"] == "sent"
    store.feedback_requests.unmark_sent(rid)
    assert store.feedback_requests.get(rid)["status"] == "drafted"
    action = store.actions.add("resume", "Update bullets", TODAY, "feedback", rid)
    store.feedback_requests.delete(rid)
    assert store.feedback_requests.get(rid) is None
    left = store.actions.all()
    assert list(left["id"]) == [action] and left.iloc[0]["source"] == "manual"  # the plan stays


def test_stage_default_and_application_order(store, app_id):
    other = store.applications.add("Acme", "Analyst", "job board", TODAY - D(5), today=TODAY)
    assert store.feedback_requests.stage_default(app_id) == "interview"  # not "technical": the kind is not recorded
    assert store.feedback_requests.stage_default(other) == "application"  # no screen or interview logged
    apps = store.feedback_requests.applications()
    assert list(apps["id"]) == [app_id, other]  # rejection after interview first
    assert apps.iloc[0]["rejected_stage"] == "interview" and apps.iloc[0]["reached"] == "interview"


def test_reflection_areas_preselect(store, app_id):
    assert store.feedback_requests.reflection_areas(app_id)["areas"] == []
    add_reflection(store, app_id, ["storytelling", "salary"], TODAY - D(2))
    newest = add_reflection(store, app_id, ["technical depth", "my own tag"], TODAY - D(1))
    found = store.feedback_requests.reflection_areas(app_id)
    assert found["areas"] == ["technical depth", "communication", "salary expectations"]
    assert found["reflection_id"] == newest and found["day"] == TODAY - D(1)
    add_reflection(store, None, ["storytelling"])
    overall = store.feedback_requests.reflection_areas()
    assert overall["areas"][0] == "communication"  # the most tagged theme comes first
    assert list(store.feedback_requests.reflection_applications()["id"]) == [app_id]


def test_feedback_nudges(store, app_id):
    nudges = store.feedback_requests.nudges(TODAY)
    assert [n.kind for n in nudges] == ["send"] and nudges[0].application_id == app_id
    assert "Müller & Söhne" in nudges[0].message
    rid = store.feedback_requests.save(app_id, "technical", "warm", ["Q?"], today=TODAY)
    assert [(n.kind, n.request_id) for n in store.feedback_requests.nudges(TODAY)] == [("send_draft", rid)]
    store.feedback_requests.mark_sent(rid, TODAY - D(1), today=TODAY)
    assert store.feedback_requests.nudges(TODAY) == []
    sent_on = TODAY - D(1)
    assert store.feedback_requests.nudges(sent_on + D(9)) == []  # 9 days: still patient
    nudges = store.feedback_requests.nudges(sent_on + D(10))
    assert [n.kind for n in nudges] == ["no_answer"] and "never answer" in nudges[0].message
    assert store.feedback_requests.nudges(sent_on + D(31)) == []  # old silence is not nagged about forever
    store.feedback_requests.close(rid, today=TODAY)
    assert store.feedback_requests.nudges(TODAY + D(9)) == []


def test_no_send_nudge_for_screen_rejections(store):
    app = store.applications.add("Acme", "Analyst", "job board", TODAY - D(10), today=TODAY)
    store.applications.add_event(app, "rejected", TODAY - D(1), stage="screen", today=TODAY)
    assert store.feedback_requests.nudges(TODAY) == []


def test_actions(store, app_id):
    rid = store.feedback_requests.save(app_id, "technical", "warm", ["Q?"], today=TODAY)
    a = store.actions.add("mock interview", "Mock with a friend", TODAY + D(7), "feedback", rid)
    b = store.actions.add("resume", "Rewrite bullets", TODAY - D(1))
    c = store.actions.add("other", "Undated idea")
    ids = list(store.actions.open()["id"])
    assert ids == [b, a, c]  # soonest due first, undated last
    assert list(store.actions.open(due_before=TODAY)["id"]) == [b]
    row = store.actions.open().set_index("id").loc[a]
    assert row["company"] == "Müller & Söhne" and row["source"] == "feedback"
    store.actions.set_done(b, True, today=TODAY)
    assert b not in list(store.actions.open()["id"])
    assert list(store.actions.all(done=True)["id"]) == [b]
    store.actions.set_done(b, False)
    assert b in list(store.actions.open()["id"])
    store.actions.update(c, "learn a skill", "Learn dbt", TODAY + D(3))
    assert store.actions.open().set_index("id").loc[c]["title"] == "Learn dbt"
    store.actions.delete(c)
    assert c not in list(store.actions.all()["id"])
    assert store.actions.counts() == {"open": 2, "done": 0}
    assert store.feedback_requests.get(rid)["n_actions"] == 1


def test_add_actions_is_all_or_nothing(store):
    with pytest.raises(ValidationError, match="Describe"):
        store.actions.add_many([{"kind": "resume", "title": "Fine"}, {"kind": "resume", "title": " "}])
    with pytest.raises(ValidationError, match="no longer exists"):
        store.actions.add_many([{"kind": "resume", "title": "Fine"}], "feedback", 424242)
    with pytest.raises(ValidationError):
        store.actions.add_many([])
    assert count(store, "actions") == 0


def test_users_are_isolated(store, app_id):
    rid = store.feedback_requests.save(app_id, "technical", "warm", ["Q?"], today=TODAY)
    action = store.actions.add("resume", "Mine", TODAY)
    add_reflection(store, app_id, ["salary"])
    other = Store(store.db, "someone-else")
    assert other.feedback_requests.all().empty and other.actions.open().empty
    assert other.feedback_requests.get(rid) is None and other.feedback_requests.nudges(TODAY) == []
    assert (
        other.feedback_requests.reflection_areas(app_id)["areas"] == [] and other.feedback_requests.applications().empty
    )
    with pytest.raises(ValidationError, match="no longer exists"):
        other.feedback_requests.mark_sent(rid, TODAY, today=TODAY)
    with pytest.raises(ValidationError, match="no longer exists"):
        other.feedback_requests.save(app_id, "technical", "warm", ["Q?"], today=TODAY)
    other.actions.set_done(action, True)
    other.actions.delete(action)
    other.feedback_requests.delete(rid)
    assert list(store.actions.open()["id"]) == [action]
    assert store.feedback_requests.get(rid)["status"] == "drafted"


def test_demo_and_stats(demo_db_path):
    from rebound.db import Database
    from rebound.insights.summary import stats

    db = Database(demo_db_path)
    try:
        store = Store(db, "local")
        requests = store.feedback_requests.all()
        assert not requests.empty
        assert {"answered"} <= set(requests["status"])
        answered = requests[requests["status"] == "answered"]
        assert (answered["n_actions"] > 0).all() and all(len(t) for t in answered["themes"])
        assert not store.actions.open().empty
        result = stats(store)["feedback"]
        assert result["requests"]["answered"] == len(answered)
        assert result["actions"]["open"] == len(store.actions.open())
    finally:
        db.close()
