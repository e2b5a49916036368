"""Applications, timelines, derived status, duplicates and nudges."""

import datetime as dt

import pytest

from rebound.outcomes import Nudge, ValidationError, normalized, nudges_for
from rebound.store import Store

D = dt.date


def add(store, company="Acme", role="Data Analyst", channel="job board", applied=D(2026, 10, 1), **kw):
    return store.applications.add(company, role, channel, applied, **kw)


def test_status_is_derived_from_the_timeline(store):
    app = add(store)
    assert store.applications.get(app)["status"] == "applied"
    store.applications.add_event(app, "screen", D(2026, 10, 5))
    store.applications.add_event(app, "interview", D(2026, 10, 9), round=1)
    store.applications.add_event(app, "interview", D(2026, 10, 15), round=2)
    row = store.applications.get(app)
    assert (row["status"], row["round"]) == ("interview", 2)
    store.applications.add_event(app, "rejected", D(2026, 10, 20), stage="interview", reason="More senior candidate")
    assert store.applications.get(app)["status"] == "rejected"
    # status lives nowhere but the timeline
    assert "status" not in store.scope.df("SELECT * FROM applications").columns


def test_same_day_events_keep_the_order_they_were_logged(store):
    app = add(store)
    store.applications.add_event(app, "screen", D(2026, 10, 5))
    store.applications.add_event(app, "rejected", D(2026, 10, 5), stage="screen")
    assert store.applications.get(app)["status"] == "rejected"


def test_ghosted_can_be_reopened_and_followups_do_not_change_status(store):
    app = add(store)
    store.applications.add_event(app, "screen", D(2026, 10, 3))
    store.applications.add_event(app, "followed_up", D(2026, 10, 12))
    assert store.applications.get(app)["status"] == "screen"
    store.applications.add_event(app, "ghosted", D(2026, 11, 1))
    assert store.applications.get(app)["status"] == "ghosted"
    store.applications.add_event(app, "reopened", D(2026, 11, 3))
    assert store.applications.get(app)["status"] == "screen"
    kinds = store.applications.timeline(app)["kind"].tolist()
    assert kinds == ["applied", "screen", "followed_up", "ghosted", "reopened"]


def test_rejection_keeps_stage_and_reason(store):
    app = add(store)
    store.applications.add_event(
        app, "rejected", D(2026, 10, 6), stage="screen", reason="Role “paused” — إعادة الهيكلة"
    )
    ev = store.applications.timeline(app).iloc[-1]
    assert (ev["stage"], ev["reason"]) == ("screen", "Role “paused” — إعادة الهيكلة")


@pytest.mark.parametrize(
    "company,role,message",
    [
        ("", "Analyst", "company name"),
        ("   ", "Analyst", "company name"),
        ("Acme", "", "role"),
        ("A" * 301, "Analyst", "too long"),
    ],
)
def test_empty_or_huge_fields_are_refused_and_nothing_is_written(store, company, role, message):
    with pytest.raises(ValidationError, match=message):
        add(store, company=company, role=role)
    assert store.applications.count() == 0


def test_long_notes_emoji_and_rtl_round_trip_unchanged(store):
    notes = ("مرحبا بالعالم — שלום 👩🏽‍💻 <b>not bold</b> =SUM(A1) \u200f" * 200)[:10_000]
    assert len(notes) == 10_000
    app = add(store, company="株式会社 Ωmega 🚀", role="Analyst\u202eRTL", notes=notes)
    row = store.applications.get(app)
    assert row["notes"] == notes and row["company"] == "株式会社 Ωmega 🚀" and row["role"] == "Analyst\u202eRTL"


def test_future_dates_are_refused(store):
    today = dt.date.today()
    with pytest.raises(ValidationError, match="future"):
        add(store, applied=today + dt.timedelta(days=1))
    app = add(store, applied=today - dt.timedelta(days=3))
    with pytest.raises(ValidationError, match="future"):
        store.applications.add_event(app, "rejected", today + dt.timedelta(days=1), stage="applied")
    with pytest.raises(ValidationError, match="before you applied"):
        store.applications.add_event(app, "screen", today - dt.timedelta(days=10))
    assert store.applications.timeline(app)["kind"].tolist() == ["applied"]


def test_links_are_web_addresses_only(store):
    app = add(store, url="jobs.example.com/123")
    assert store.applications.get(app)["url"] == "https://jobs.example.com/123"
    with pytest.raises(ValidationError, match="http"):
        add(store, url="javascript:alert(1)")


def test_applied_here_before_matches_case_spacing_and_punctuation(store):
    add(store, company="Acme Corp", role="Senior Data-Analyst")
    assert len(store.applications.similar(" acme corp ", "senior data analyst")) == 1
    assert store.applications.similar("Acme Corp", "Product Manager").empty
    assert len(store.applications.similar("ACME  corp.", "Senior Data Analyst")) == 1
    assert normalized("  Senior   DATA-analyst ") == "senior data analyst"


def test_applied_here_before_knows_every_script_and_leaves_out_the_one_being_edited(store):
    app = add(store, company="Straße_Köln", role="Ünited (2)")
    assert normalized("Straße_Köln") == "strasse köln"  # casefold, and "_" is punctuation
    assert list(store.applications.similar("STRASSE köln", "ünited 2")["id"]) == [app]
    assert store.applications.similar("Strasse Koln", "Ünited 2").empty  # an accent is a different letter
    assert store.applications.similar("Straße Köln", "Ünited 2", exclude_id=app).empty


def test_edit_and_delete(store):
    app = add(store)
    store.applications.add_event(app, "screen", D(2026, 10, 5))
    store.applications.update(app, "Acme", "Lead Analyst", "referral", D(2026, 10, 2), notes="edited")
    row = store.applications.get(app)
    assert (row["role"], row["channel"], row["notes"], row["status"]) == (
        "Lead Analyst",
        "referral",
        "edited",
        "screen",
    )
    with pytest.raises(ValidationError, match="after its first event"):
        store.applications.update(app, "Acme", "Lead Analyst", "referral", D(2026, 10, 6))
    store.applications.delete(app)
    assert store.applications.count() == 0
    assert store.scope.one("SELECT count(*) FROM events WHERE user_id = $user") == 0


def test_filters(store):
    a = add(store, company="A", channel="referral", applied=D(2026, 9, 1))
    add(store, company="B", channel="job board", applied=D(2026, 10, 1))
    store.applications.add_event(a, "rejected", D(2026, 9, 10), stage="applied")
    assert store.applications.all(statuses=["rejected"])["company"].tolist() == ["A"]
    assert store.applications.all(channels=["job board"])["company"].tolist() == ["B"]
    assert store.applications.all(start=D(2026, 9, 15))["company"].tolist() == ["B"]
    assert store.applications.all(end=D(2026, 9, 15))["company"].tolist() == ["A"]


def test_another_users_rows_are_invisible_and_untouchable(db):
    mine, theirs = Store(db, "me"), Store(db, "them")
    app = add(theirs)
    assert mine.applications.all().empty and mine.applications.get(app) is None
    with pytest.raises(ValidationError):
        mine.applications.add_event(app, "screen", D(2026, 10, 5))
    mine.applications.delete(app)
    assert theirs.applications.count() == 1


def test_nudges_are_suggestions_for_open_applications():
    today = D(2026, 11, 25)
    rows = [
        (1, "A", "r", "applied", today - dt.timedelta(days=6)),
        (2, "B", "r", "applied", today - dt.timedelta(days=7)),
        (3, "C", "r", "interview", today - dt.timedelta(days=21)),
        (4, "D", "r", "rejected", today - dt.timedelta(days=60)),
        (5, "E", "r", "ghosted", today - dt.timedelta(days=60)),
        (6, "F", "r", "offer", today - dt.timedelta(days=30)),
    ]
    got = {(n.application_id, n.kind) for n in nudges_for(rows, today, 7, 21)}
    assert got == {(2, "follow_up"), (3, "ghost"), (6, "follow_up")}
    assert "mark as ghosted" in Nudge("ghost", 3, "C", "r", "interview", 21).message


def test_store_nudges_use_the_settings_and_change_nothing(store):
    today = dt.date.today()
    app = add(store, applied=today - dt.timedelta(days=10))
    assert [n.kind for n in store.applications.nudges(today)] == ["follow_up"]
    store.settings.set("ghost_after_days", 9)
    assert [n.kind for n in store.applications.nudges(today)] == ["ghost"]
    assert store.applications.get(app)["status"] == "applied"
    store.applications.add_event(app, "followed_up", today)
    assert store.applications.nudges(today) == []


def test_deleting_an_application_keeps_the_journal_but_unlinks_it(store):
    app = add(store)
    store.applications.add_event(app, "rejected", D(2026, 10, 5), stage="applied")
    with store.scope.write() as run:
        run(
            "INSERT INTO checkins (user_id, checked_at, mood, application_id) VALUES ($user, TIMESTAMP '2026-10-05 09:00', 4, $id)",
            {"id": app},
        )
        run(
            "INSERT INTO reflections (user_id, template, day, answers, application_id) VALUES ($user, 'journal', DATE '2026-10-05', '{}', $id)",
            {"id": app},
        )
        run(
            "INSERT INTO feedback_requests (user_id, application_id, drafted_on) VALUES ($user, $id, DATE '2026-10-06')",
            {"id": app},
        )
    store.applications.delete(app)
    counts = store.scope.rows(
        "SELECT (SELECT count(*) FROM checkins WHERE user_id = $user AND application_id IS NULL),"
        " (SELECT count(*) FROM reflections WHERE user_id = $user AND application_id IS NULL),"
        " (SELECT count(*) FROM feedback_requests WHERE user_id = $user)"
    )
    assert counts == [(1, 1, 0)]


def test_mark_several_ghosted_at_once_only_touches_mine(db):
    today = dt.date.today()
    mine, theirs = Store(db, "me"), Store(db, "them")
    a, b = (
        add(mine, applied=today - dt.timedelta(days=90)),
        add(mine, company="B", applied=today - dt.timedelta(days=90)),
    )
    left = add(mine, company="Not asked", applied=today - dt.timedelta(days=90))
    other = add(theirs, applied=today - dt.timedelta(days=90))
    assert len(mine.applications.mark_quiet_ghosted(today, app_ids=[a, b, other])) == 2
    assert [mine.applications.get(i)["status"] for i in (a, b, left)] == ["ghosted", "ghosted", "applied"]
    assert theirs.applications.get(other)["status"] == "applied"
    assert mine.applications.mark_quiet_ghosted(today, app_ids=[]) == []


def test_a_settled_silence_is_dated_when_it_became_long_not_on_the_day_of_the_click(store):
    """Ghosted on last activity + the ghosting setting: a year-old application did not go quiet today."""
    today = dt.date.today()
    after = store.settings.get_int("ghost_after_days")
    old = add(store, applied=today - dt.timedelta(days=400))
    chased = add(store, company="Chased", applied=today - dt.timedelta(days=200))
    store.applications.add_event(chased, "followed_up", today - dt.timedelta(days=150))
    store.applications.mark_quiet_ghosted(today)
    ghosted = lambda i: [d.date() for d in store.applications.timeline(i).query("kind == 'ghosted'")["happened_on"]]  # noqa: E731
    assert ghosted(old) == [today - dt.timedelta(days=400 - after)]
    assert ghosted(chased) == [today - dt.timedelta(days=150 - after)]


def test_the_same_event_on_the_same_day_is_refused_with_a_message(store):
    app = add(store)
    store.applications.add_event(app, "interview", D(2026, 10, 9), round=1)
    with pytest.raises(ValidationError, match="Interview \\(round 1\\) is already logged for 9 Oct 2026"):
        store.applications.add_event(app, "interview", D(2026, 10, 9), round=1)
    store.applications.add_event(
        app, "interview", D(2026, 10, 9), round=2
    )  # a second round the same day is a new event
    store.applications.add_event(app, "followed_up", D(2026, 10, 12))
    with pytest.raises(ValidationError, match="Followed up is already logged"):
        store.applications.add_event(app, "followed_up", D(2026, 10, 12))
    store.applications.add_event(app, "followed_up", D(2026, 10, 13))  # another day is another follow-up
    assert store.applications.timeline(app)["kind"].tolist() == [
        "applied",
        "interview",
        "interview",
        "followed_up",
        "followed_up",
    ]


def test_a_repeated_interview_gives_one_win_suggestion(store):
    today = dt.date.today()
    app = add(store, applied=today - dt.timedelta(days=5))
    store.applications.add_event(app, "interview", today, round=1)
    with pytest.raises(ValidationError):
        store.applications.add_event(app, "interview", today, round=1)
    assert len(store.wins.suggested(today)) == 1


def test_ghosting_twice_or_reopening_an_open_application_is_refused(store):
    app = add(store)
    with pytest.raises(ValidationError, match="Only a ghosted application can be reopened"):
        store.applications.add_event(app, "reopened", D(2026, 11, 1))
    store.applications.add_event(app, "ghosted", D(2026, 11, 1))
    with pytest.raises(ValidationError, match="already marked as ghosted"):
        store.applications.add_event(app, "ghosted", D(2026, 11, 2))
    store.applications.add_event(app, "reopened", D(2026, 11, 3))
    store.applications.add_event(app, "ghosted", D(2026, 11, 3))  # ghosted again after a reopen: a real change
    assert store.applications.get(app)["status"] == "ghosted"


def test_mark_quiet_ghosted_settles_only_the_long_silences_and_can_be_undone(db):
    today = dt.date.today()
    mine, theirs = Store(db, "me"), Store(db, "them")
    quiet = [add(mine, company=f"Quiet {i}", applied=today - dt.timedelta(days=40)) for i in range(3)]
    recent = add(mine, company="Recent", applied=today - dt.timedelta(days=10))  # a follow-up, not a ghost
    closed = add(mine, company="Closed", applied=today - dt.timedelta(days=60))
    mine.applications.add_event(closed, "rejected", today - dt.timedelta(days=50), stage="applied")
    other = add(theirs, applied=today - dt.timedelta(days=40))
    events = mine.applications.mark_quiet_ghosted(today)
    assert len(events) == 3
    status = lambda s, i: s.applications.get(i)["status"]  # noqa: E731
    assert [status(mine, i) for i in quiet] == ["ghosted"] * 3
    assert (status(mine, recent), status(mine, closed), status(theirs, other)) == ("applied", "rejected", "applied")
    assert mine.applications.mark_quiet_ghosted(today) == []  # nothing left to settle; nothing ghosted twice
    assert theirs.applications.undo_ghosted(events) == 0  # another user cannot take them back
    assert mine.applications.undo_ghosted(events) == 3
    assert [status(mine, i) for i in quiet] == ["applied"] * 3
    assert (
        mine.applications.mark_quiet_ghosted(today, app_ids=[recent, closed]) == []
    )  # not quiet long, or closed: left alone
