"""The wellbeing store: check-ins, coping, reflections, the journal, stats and demo data."""

import datetime as dt
import json

import pytest
from clock import TODAY

from rebound.dates import utcnow
from rebound.errors import ValidationError
from rebound.insights.summary import stats
from rebound.store import Store

NASTY = "<script>alert(1)</script> **bold** [x](javascript:y) — שלום עולם, مرحبا 🌱\n\tsecond line  "


@pytest.fixture
def app(store):
    app_id = store.applications.add("Kōwhai & Co", "Data Analyst", "job board", TODAY - dt.timedelta(days=20))
    store.applications.add_event(app_id, "rejected", TODAY - dt.timedelta(days=1), stage="interview")
    return app_id


def test_checkin_round_trips_text_exactly(store, app):
    cid = store.checkins.add(3, 4, ["sadness", "self-doubt", "my own feeling"], NASTY, app)
    got = store.checkins.get(cid)
    assert got["note"] == NASTY and got["mood"] == 3 and got["energy"] == 4
    assert got["emotions"] == ["sadness", "self-doubt", "my own feeling"]
    assert got["application_id"] == app and got["company"] == "Kōwhai & Co"
    long = "x" * 50_000
    store.checkins.update(cid, 7, None, [], long, None)
    got = store.checkins.get(cid)
    assert got["note"] == long and got["mood"] == 7 and got["emotions"] == [] and got["application_id"] is None


def test_bad_input_writes_nothing(store, app):
    revision = store.revision
    for call in [
        lambda: store.checkins.add(0),
        lambda: store.checkins.add(5, application_id=99999),
        lambda: store.coping.add(TODAY, "nope"),
        lambda: store.reflections.add("after_rejection", {}),
        lambda: store.reflections.add("after_rejection", {"went_well": "x"}, application_id=424242),
    ]:
        with pytest.raises(ValidationError):
            call()
    assert store.revision == revision
    assert store.checkins.count() == 0 and store.reflections.count() == 0 and store.coping.all().empty
    with pytest.raises(ValidationError):
        store.reflections.update(123456, {"entry": "x"})
    with pytest.raises(ValidationError):
        store.checkins.update(123456, 5)


def test_coping_log_ratings_and_social_days(store, app):
    store.coping.add(TODAY, "friend", "Sam", 30, 5)
    store.coping.add(TODAY - dt.timedelta(days=1), "friend", "Alex", 60, 3)
    store.coping.add(TODAY - dt.timedelta(days=2), "exercise", None, 20, 4)
    store.coping.add(TODAY - dt.timedelta(days=3), "hobby", " Ana ", 45, None)  # with someone: social
    cid = store.coping.add(TODAY - dt.timedelta(days=9), "rest", None, None, 2)
    ratings = {r[0]: r[1:] for r in store.coping.ratings()}
    assert ratings["friend"] == (2, 4.0, "Sam") and ratings["exercise"] == (1, 4.0, None)
    assert "hobby" not in ratings  # not rated
    assert store.coping.social_days(TODAY - dt.timedelta(days=7)) == [
        TODAY - dt.timedelta(days=3),
        TODAY - dt.timedelta(days=1),
        TODAY,
    ]
    log = store.coping.all(start=TODAY - dt.timedelta(days=5))
    assert len(log) == 4 and log["day"].iloc[0] == TODAY
    store.coping.update(cid, TODAY, "nature", "", 15, 5, "river")
    store.coping.delete(int(log["id"].iloc[0]))
    log = store.coping.all()
    assert len(log) == 4 and log.iloc[0]["kind"] == "nature" and log.iloc[0]["note"] == "river"
    assert store.applications.recent_rejections(TODAY - dt.timedelta(days=7))[0][1:3] == ("Kōwhai & Co", app)


def test_reflection_round_trip_edit_and_delete(store, app):
    answers = {"went_well": NASTY, "reframe": "רק תפקיד אחד", "improve": "   "}
    rid = store.reflections.add("after_rejection", answers, ["preparation", "Mein Thema"], app)
    got = store.reflections.get(rid)
    assert got["answers"] == {"went_well": NASTY, "reframe": "רק תפקיד אחד"}
    assert got["themes"] == ["preparation", "Mein Thema"] and got["application_id"] == app
    assert got["day"] == TODAY
    store.reflections.update(
        rid, {"went_well": "better", "custom_old_prompt": "kept"}, [], None, TODAY - dt.timedelta(days=3)
    )
    got = store.reflections.get(rid)
    assert got["answers"] == {"went_well": "better", "custom_old_prompt": "kept"}
    assert got["themes"] == [] and got["application_id"] is None and got["day"] == TODAY - dt.timedelta(days=3)
    assert got["template"] == "after_rejection"
    store.reflections.delete(rid)
    assert store.reflections.get(rid) is None


def test_journal_search_and_filters(store, app):
    other = store.applications.add("Zephyr", "Analyst", "referral", TODAY - dt.timedelta(days=10))
    r1 = store.reflections.add(
        "after_rejection",
        {"went_well": "Explained the Café dashboard well"},
        ["storytelling"],
        app,
        TODAY - dt.timedelta(days=1),
    )
    r2 = store.reflections.add(
        "weekly_review", {"done": "Five applications; 100% effort"}, ["timing"], None, TODAY - dt.timedelta(days=10)
    )
    r3 = store.reflections.add(
        "after_interview", {"went_well": "Good rapport"}, ["storytelling", "nerves"], other, TODAY
    )
    c1 = store.checkins.add(3, 3, ["sadness"], "Quiet evening after the café", app)

    def ids(df):
        return [(k, int(i)) for k, i in zip(df["kind"], df["id"])]

    assert ids(store.reflections.journal()) == [
        ("checkin", c1),
        ("reflection", r3),
        ("reflection", r1),
        ("reflection", r2),
    ]
    assert set(ids(store.reflections.journal("cafe"))) == {("reflection", r1), ("checkin", c1)}  # accents and case
    assert ids(store.reflections.journal("dashboard CAFÉ")) == [("reflection", r1)]  # every word must match
    assert ids(store.reflections.journal("100%")) == [("reflection", r2)]  # no wildcards
    assert ids(store.reflections.journal("zephyr")) == [("reflection", r3)]  # company
    assert ids(store.reflections.journal("sadness")) == [("checkin", c1)]  # emotions
    assert ids(store.reflections.journal(themes=["storytelling"])) == [("reflection", r3), ("reflection", r1)]
    assert ids(store.reflections.journal(templates=["weekly_review"])) == [("reflection", r2)]
    assert ids(store.reflections.journal(kinds=("checkin",))) == [("checkin", c1)]
    assert ids(store.reflections.journal(application_id=app)) == [("checkin", c1), ("reflection", r1)]
    assert ids(store.reflections.journal(start=TODAY - dt.timedelta(days=5), end=TODAY - dt.timedelta(days=1))) == [
        ("reflection", r1)
    ]
    assert store.reflections.journal(kinds=()).empty and store.reflections.journal("nothing-like-this").empty
    assert len(store.reflections.journal(limit=2)) == 2
    assert store.reflections.used_themes()[0] == "storytelling"
    assert set(store.reflections.journal_applications()["id"]) == {app, other}


def test_other_users_never_see_or_touch_my_entries(db, store, app):
    mine = store.reflections.add("journal", {"entry": "private"})
    cid = store.checkins.add(5, note="private")
    store.coping.add(TODAY, "friend", "Sam", 10, 5)
    them = Store(db, "someone-else")
    assert them.reflections.journal().empty and them.checkins.all().empty and them.coping.all().empty
    assert them.coping.ratings() == [] and them.reflections.used_themes() == []
    them.reflections.delete(mine)
    them.checkins.delete(cid)
    with pytest.raises(ValidationError):
        them.reflections.update(mine, {"entry": "hijack"})
    with pytest.raises(ValidationError):
        them.checkins.add(5, application_id=app)  # not their application
    assert store.reflections.get(mine)["answers"] == {"entry": "private"} and store.checkins.count() == 1


def test_stats_extension_adds_weekly_mood_and_coping(store, app):
    monday = TODAY - dt.timedelta(days=TODAY.weekday())
    store.checkins.add(2, 3, [], None, app, monday)
    store.checkins.add(6, None, [], None, None, monday)
    store.coping.add(monday, "friend", None, 30, 4)
    store.coping.add(monday, "rest", None, None, None)
    result = stats(store)
    json.dumps(result)
    week = next(w for w in result["weeks"] if w["week"] == monday.isoformat())
    assert week["mood_mean"] == 4.0 and week["mood_n"] == 2
    assert week["coping_sessions"] == 2 and week["coping_minutes"] == 30 and week["coping_helped_mean"] == 4.0
    assert result["mood_weeks"] == [
        {"week": monday.isoformat(), "mood_mean": 4.0, "mood_n": 2, "mood_min": 2, "energy_mean": 3.0}
    ]
    assert result["coping_weeks"][0]["coping_social"] == 1
    assert result["checkins"] == 2 and result["reflections"] == 0
    earlier = [w for w in result["weeks"] if w["week"] != monday.isoformat()]
    assert all(w["mood_n"] == 0 and w["mood_mean"] is None for w in earlier)


def test_stats_lists_a_week_that_has_only_check_ins(store):
    """Every Monday used to lose its own week from `stats --json`: the weeks ended at the last outcome."""
    monday = dt.date(2026, 11, 9)
    app_id = store.applications.add("Acme", "Analyst", "referral", monday - dt.timedelta(days=20))
    store.applications.add_event(app_id, "rejected", monday - dt.timedelta(days=1), stage="applied")  # a Sunday
    store.checkins.add(4, 3, [], None, app_id, monday)
    store.coping.add(monday + dt.timedelta(weeks=2), "rest")  # two weeks on, with a quiet week between
    weeks = stats(store)["weeks"]
    assert [w["week"] for w in weeks] == [
        "2026-10-19",
        "2026-10-26",
        "2026-11-02",
        "2026-11-09",
        "2026-11-16",
        "2026-11-23",
    ]
    assert weeks[3]["mood_n"] == 1 and weeks[3]["applications"] == 0 and weeks[3]["rejections"] == 0
    assert weeks[4]["mood_n"] == 0 and weeks[4]["coping_sessions"] == 0 and weeks[5]["coping_sessions"] == 1


def test_demo_fits_its_applications(store):
    from rebound.demo import generate

    written = generate(store, weeks=12, seed=3)
    assert written["checkins"] > 10 and written["coping"] > 5 and written["reflections"] > 0
    apps = set(store.applications.all()["id"])
    checkins = store.checkins.all()
    linked = checkins.dropna(subset=["application_id"])
    assert set(linked["application_id"].astype(int)) <= apps and not linked.empty
    assert checkins["mood"].between(1, 10).all()
    assert (checkins["checked_at"] <= utcnow()).all()
    # a rejection's check-in is lower than the ones that follow it for the same application
    first = linked.sort_values("checked_at").groupby("application_id")["mood"].agg(["first", "last", "count"])
    several = first[first["count"] > 1]
    assert not several.empty and (several["first"] <= several["last"]).all()
    refl = store.reflections.journal(kinds=("reflection",))
    assert refl["day"].max() <= TODAY
    rejected = store.reflections.journal(templates=["after_rejection"])
    assert set(rejected["application_id"].astype(int)) <= apps
    assert stats(store)["mood_weeks"]
