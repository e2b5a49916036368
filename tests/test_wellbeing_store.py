"""The wellbeing store: check-ins, coping, reflections, the journal, stats and demo data."""

import datetime as dt
import json

import pytest

from rebound.insights.summary import stats
from rebound.errors import ValidationError
from rebound.store import Store
from rebound.wellbeing import utcnow

TODAY = dt.date.today()
NASTY = "<script>alert(1)</script> **bold** [x](javascript:y) — שלום עולם, مرحبا 🌱\n\tsecond line  "


@pytest.fixture
def app(store):
    app_id = store.add_application("Kōwhai & Co", "Data Analyst", "job board", TODAY - dt.timedelta(days=20))
    store.add_event(app_id, "rejected", TODAY - dt.timedelta(days=1), stage="interview")
    return app_id


def test_checkin_round_trips_text_exactly(store, app):
    cid = store.add_checkin(3, 4, ["sadness", "self-doubt", "my own feeling"], NASTY, app)
    got = store.checkin(cid)
    assert got["note"] == NASTY and got["mood"] == 3 and got["energy"] == 4
    assert got["emotions"] == ["sadness", "self-doubt", "my own feeling"]
    assert got["application_id"] == app and got["company"] == "Kōwhai & Co"
    long = "x" * 50_000
    store.update_checkin(cid, 7, None, [], long, None)
    got = store.checkin(cid)
    assert got["note"] == long and got["mood"] == 7 and got["emotions"] == [] and got["application_id"] is None


def test_bad_input_writes_nothing(store, app):
    revision = store.revision
    for call in [lambda: store.add_checkin(0), lambda: store.add_checkin(5, application_id=99999),
                 lambda: store.add_coping(TODAY, "nope"), lambda: store.add_reflection("after_rejection", {}),
                 lambda: store.add_reflection("after_rejection", {"went_well": "x"}, application_id=424242)]:
        with pytest.raises(ValidationError):
            call()
    assert store.revision == revision
    assert store.checkin_count() == 0 and store.reflection_count() == 0 and store.coping_log().empty
    with pytest.raises(ValidationError):
        store.update_reflection(123456, {"entry": "x"})
    with pytest.raises(ValidationError):
        store.update_checkin(123456, 5)


def test_coping_log_ratings_and_social_days(store, app):
    store.add_coping(TODAY, "friend", "Sam", 30, 5)
    store.add_coping(TODAY - dt.timedelta(days=1), "friend", "Alex", 60, 3)
    store.add_coping(TODAY - dt.timedelta(days=2), "exercise", None, 20, 4)
    store.add_coping(TODAY - dt.timedelta(days=3), "hobby", " Ana ", 45, None)  # with someone: social
    cid = store.add_coping(TODAY - dt.timedelta(days=9), "rest", None, None, 2)
    ratings = {r[0]: r[1:] for r in store.coping_ratings()}
    assert ratings["friend"] == (2, 4.0, "Sam") and ratings["exercise"] == (1, 4.0, None)
    assert "hobby" not in ratings  # not rated
    assert store.social_days(TODAY - dt.timedelta(days=7)) == [
        TODAY - dt.timedelta(days=3), TODAY - dt.timedelta(days=1), TODAY]
    log = store.coping_log(start=TODAY - dt.timedelta(days=5))
    assert len(log) == 4 and log["day"].iloc[0] == TODAY
    store.update_coping(cid, TODAY, "nature", "", 15, 5, "river")
    store.delete_coping(int(log["id"].iloc[0]))
    log = store.coping_log()
    assert len(log) == 4 and log.iloc[0]["kind"] == "nature" and log.iloc[0]["note"] == "river"
    assert store.recent_rejections(TODAY - dt.timedelta(days=7))[0][1:3] == ("Kōwhai & Co", app)


def test_reflection_round_trip_edit_and_delete(store, app):
    answers = {"went_well": NASTY, "reframe": "רק תפקיד אחד", "improve": "   "}
    rid = store.add_reflection("after_rejection", answers, ["preparation", "Mein Thema"], app)
    got = store.reflection(rid)
    assert got["answers"] == {"went_well": NASTY, "reframe": "רק תפקיד אחד"}
    assert got["themes"] == ["preparation", "Mein Thema"] and got["application_id"] == app
    assert got["day"] == TODAY
    store.update_reflection(rid, {"went_well": "better", "custom_old_prompt": "kept"}, [], None,
                            TODAY - dt.timedelta(days=3))
    got = store.reflection(rid)
    assert got["answers"] == {"went_well": "better", "custom_old_prompt": "kept"}
    assert got["themes"] == [] and got["application_id"] is None and got["day"] == TODAY - dt.timedelta(days=3)
    assert got["template"] == "after_rejection"
    store.delete_reflection(rid)
    assert store.reflection(rid) is None


def test_journal_search_and_filters(store, app):
    other = store.add_application("Zephyr", "Analyst", "referral", TODAY - dt.timedelta(days=10))
    r1 = store.add_reflection("after_rejection", {"went_well": "Explained the Café dashboard well"},
                              ["storytelling"], app, TODAY - dt.timedelta(days=1))
    r2 = store.add_reflection("weekly_review", {"done": "Five applications; 100% effort"}, ["timing"],
                              None, TODAY - dt.timedelta(days=10))
    r3 = store.add_reflection("after_interview", {"went_well": "Good rapport"}, ["storytelling", "nerves"],
                              other, TODAY)
    c1 = store.add_checkin(3, 3, ["sadness"], "Quiet evening after the café", app)
    ids = lambda df: [(k, int(i)) for k, i in zip(df["kind"], df["id"])]
    assert ids(store.journal()) == [("checkin", c1), ("reflection", r3), ("reflection", r1), ("reflection", r2)]
    assert set(ids(store.journal("cafe"))) == {("reflection", r1), ("checkin", c1)}  # accents and case
    assert ids(store.journal("dashboard CAFÉ")) == [("reflection", r1)]            # every word must match
    assert ids(store.journal("100%")) == [("reflection", r2)]                      # no wildcards
    assert ids(store.journal("zephyr")) == [("reflection", r3)]                    # company
    assert ids(store.journal("sadness")) == [("checkin", c1)]                      # emotions
    assert ids(store.journal(themes=["storytelling"])) == [("reflection", r3), ("reflection", r1)]
    assert ids(store.journal(templates=["weekly_review"])) == [("reflection", r2)]
    assert ids(store.journal(kinds=("checkin",))) == [("checkin", c1)]
    assert ids(store.journal(application_id=app)) == [("checkin", c1), ("reflection", r1)]
    assert ids(store.journal(start=TODAY - dt.timedelta(days=5), end=TODAY - dt.timedelta(days=1))) == \
        [("reflection", r1)]
    assert store.journal(kinds=()).empty and store.journal("nothing-like-this").empty
    assert len(store.journal(limit=2)) == 2
    assert store.used_themes()[0] == "storytelling"
    assert set(store.journal_applications()["id"]) == {app, other}


def test_other_users_never_see_or_touch_my_entries(db, store, app):
    mine = store.add_reflection("journal", {"entry": "private"})
    cid = store.add_checkin(5, note="private")
    store.add_coping(TODAY, "friend", "Sam", 10, 5)
    them = Store(db, "someone-else")
    assert them.journal().empty and them.checkins().empty and them.coping_log().empty
    assert them.coping_ratings() == [] and them.used_themes() == []
    them.delete_reflection(mine)
    them.delete_checkin(cid)
    with pytest.raises(ValidationError):
        them.update_reflection(mine, {"entry": "hijack"})
    with pytest.raises(ValidationError):
        them.add_checkin(5, application_id=app)  # not their application
    assert store.reflection(mine)["answers"] == {"entry": "private"} and store.checkin_count() == 1


def test_stats_extension_adds_weekly_mood_and_coping(store, app):
    monday = TODAY - dt.timedelta(days=TODAY.weekday())
    store.add_checkin(2, 3, [], None, app, monday)
    store.add_checkin(6, None, [], None, None, monday)
    store.add_coping(monday, "friend", None, 30, 4)
    store.add_coping(monday, "rest", None, None, None)
    result = stats(store)
    json.dumps(result)
    week = next(w for w in result["weeks"] if w["week"] == monday.isoformat())
    assert week["mood_mean"] == 4.0 and week["mood_n"] == 2
    assert week["coping_sessions"] == 2 and week["coping_minutes"] == 30 and week["coping_helped_mean"] == 4.0
    assert result["mood_weeks"] == [{"week": monday.isoformat(), "mood_mean": 4.0, "mood_n": 2, "mood_min": 2,
                                     "energy_mean": 3.0}]
    assert result["coping_weeks"][0]["coping_social"] == 1
    assert result["checkins"] == 2 and result["reflections"] == 0
    earlier = [w for w in result["weeks"] if w["week"] != monday.isoformat()]
    assert all(w["mood_n"] == 0 and w["mood_mean"] is None for w in earlier)


def test_demo_fits_its_applications(store):
    from rebound.demo import generate

    written = generate(store, weeks=12, seed=3)
    assert written["checkins"] > 10 and written["coping"] > 5 and written["reflections"] > 0
    apps = set(store.applications()["id"])
    checkins = store.checkins()
    linked = checkins.dropna(subset=["application_id"])
    assert set(linked["application_id"].astype(int)) <= apps and not linked.empty
    assert checkins["mood"].between(1, 10).all()
    assert (checkins["checked_at"] <= utcnow()).all()
    # a rejection's check-in is lower than the ones that follow it for the same application
    first = linked.sort_values("checked_at").groupby("application_id")["mood"].agg(["first", "last", "count"])
    several = first[first["count"] > 1]
    assert not several.empty and (several["first"] <= several["last"]).all()
    refl = store.journal(kinds=("reflection",))
    assert refl["day"].max() <= TODAY
    rejected = store.journal(templates=["after_rejection"])
    assert set(rejected["application_id"].astype(int)) <= apps
    assert stats(store)["mood_weeks"]
