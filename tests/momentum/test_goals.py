"""Goals, activities, contacts and wins in the store; the Goals & wins page in AppTest."""

from __future__ import annotations

import datetime as dt
import json
import random

import pytest
from clock import TODAY

from rebound import momentum as M
from rebound.errors import ValidationError
from rebound.store import Store

THIS_WEEK = M.week_of(TODAY)
LAST_WEEK = THIS_WEEK - dt.timedelta(weeks=1)


# -- goals ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "target, message",
    [
        (0, "zero or less"),
        (-3, "zero or less"),
        (10**9, "more than anyone"),
        ("lots", "whole number"),
        (2.5, "whole number"),
        (float("nan"), "whole number"),
        (float("inf"), "whole number"),
        (None, "whole number"),
    ],
)
def test_bad_targets_are_refused_with_a_clear_message_and_nothing_written(store, target, message):
    with pytest.raises(ValidationError, match=message):
        store.goals.add(THIS_WEEK, "applications", target)
    assert store.goals.for_week(THIS_WEEK).empty


def test_goal_rules(store):
    with pytest.raises(ValidationError, match="Describe the goal"):
        store.goals.add(THIS_WEEK, "custom", 3, "   ")
    with pytest.raises(ValidationError, match="Unknown goal"):
        store.goals.add(THIS_WEEK, "juggling", 3)
    gid = store.goals.add(TODAY, "applications", 5)  # any day means its ISO week
    assert store.goals.for_week(THIS_WEEK)["week"].iloc[0].date() == THIS_WEEK
    with pytest.raises(ValidationError, match="already has a goal for applications"):
        store.goals.add(THIS_WEEK, "applications", 3)
    store.goals.add(THIS_WEEK, "custom", 3, "Walk three times")
    store.goals.add(THIS_WEEK, "custom", 1, "Call grandma")  # several custom goals are fine
    store.goals.update(gid, 7)
    assert store.goals.for_week(THIS_WEEK)["target"].tolist() == [7, 3, 1]
    with pytest.raises(ValidationError):
        store.goals.update(gid, 0)
    with pytest.raises(ValidationError, match="no longer exists"):
        store.goals.update(999_999, 3)


def test_custom_goal_ticks_never_go_below_zero(store):
    gid = store.goals.add(THIS_WEEK, "custom", 3, "Walk")
    store.goals.tick(gid, -1)
    store.goals.tick(gid)
    store.goals.tick(gid)
    progress = store.goals.progress(THIS_WEEK, THIS_WEEK)
    assert [g["done"] for g in progress] == [2.0]


def test_carry_forward_copies_the_latest_week_with_goals_once(store):
    three_back = THIS_WEEK - dt.timedelta(weeks=3)
    store.goals.add(three_back, "applications", 5)
    store.goals.add(three_back, "networking", 2)
    walk = store.goals.add(three_back, "custom", 3, "Walk")
    store.goals.tick(walk, 3)
    assert store.goals.previous_week(THIS_WEEK) == three_back
    store.goals.add(THIS_WEEK, "networking", 4)  # already set: kept, not duplicated
    assert store.goals.carry_forward(THIS_WEEK) == 2
    assert store.goals.carry_forward(THIS_WEEK) == 0
    week = store.goals.for_week(THIS_WEEK)
    assert sorted(zip(week["metric"], week["target"], week["done_count"])) == [
        ("applications", 5, 0),
        ("custom", 3, 0),
        ("networking", 4, 0),
    ]
    assert store.goals.carry_forward(three_back) == 0  # nothing earlier to copy


def test_done_is_counted_from_every_log(store):
    for metric, target in [
        ("applications", 3),
        ("networking", 2),
        ("informational_interviews", 1),
        ("skills_hours", 2),
        ("mock_interviews", 1),
        ("self_care", 2),
        ("interview_practice", 2),
    ]:
        store.goals.add(LAST_WEEK, metric, target)
    monday = LAST_WEEK
    for i in range(4):
        store.applications.add(f"Co {i}", "Analyst", "job board", monday + dt.timedelta(days=i))
    store.applications.add("Too early", "Analyst", "job board", monday - dt.timedelta(days=1))
    cid = store.contacts.add("Priya", "Kestrel")
    store.activities.add(monday, "networking", "coffee", contact_id=cid)
    store.activities.add(monday + dt.timedelta(days=6), "event", "meetup")
    store.activities.add(monday + dt.timedelta(days=7), "networking", "next week")  # not this week
    store.activities.add(monday, "informational interview", "chat", contact_id=cid)
    store.activities.add(monday, "course", "stats", 45)
    store.activities.add(monday, "volunteering", "food bank", 45)
    store.activities.add(monday, "interview practice", "Tell me about yourself.", confidence=3)
    with store.scope.write() as run:
        for day in (monday, monday + dt.timedelta(days=2)):
            run("INSERT INTO coping (user_id, day, kind) VALUES ($user, $day, 'exercise')", {"day": day})
    done = {g["metric"]: g["done"] for g in store.goals.progress(LAST_WEEK, LAST_WEEK)}
    assert done == {
        "applications": 4,
        "networking": 2,
        "informational_interviews": 1,
        "skills_hours": 1.5,
        "mock_interviews": 0,
        "self_care": 2,
        "interview_practice": 1,
    }


def test_goals_are_per_user(db):
    mine, theirs = Store(db, "me"), Store(db, "them")
    gid = mine.goals.add(THIS_WEEK, "applications", 2)
    assert theirs.goals.for_week(THIS_WEEK).empty
    theirs.goals.delete(gid)
    theirs.goals.tick(gid)
    theirs.goals.add(LAST_WEEK, "networking", 1)
    assert mine.goals.carry_forward(THIS_WEEK) == 0
    assert len(mine.goals.for_week(THIS_WEEK)) == 1
    assert len(theirs.goals.progress()) == 1


# -- activities ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"kind": "juggling"}, "Unknown activity"),
        ({"kind": "networking", "day": TODAY + dt.timedelta(days=1)}, "future"),
        ({"kind": "course", "minutes": None}, "How long"),
        ({"kind": "course", "minutes": -5}, "negative"),
        ({"kind": "course", "minutes": 5000}, "longer than a day"),
        ({"kind": "interview practice", "title": "Why us?"}, "How confident"),
        ({"kind": "interview practice", "title": "Why us?", "confidence": 9}, "1 \\(shaky\\)"),
        ({"kind": "interview practice", "confidence": 3}, "Which question"),
        ({"kind": "networking", "contact_id": 123456}, "no longer exists"),
    ],
)
def test_bad_activities_are_refused(store, kwargs, message):
    args = {"day": TODAY, **kwargs}
    with pytest.raises(ValidationError, match=message):
        store.activities.add(**args)
    assert store.activities.all().empty


def test_activity_with_a_contact_updates_last_contact(store):
    cid = store.contacts.add("Tom", "Granite", last_contact_on=TODAY - dt.timedelta(days=30))
    store.activities.add(TODAY - dt.timedelta(days=2), "informational interview", "chat", contact_id=cid)
    store.activities.add(TODAY - dt.timedelta(days=10), "networking", "older chat", contact_id=cid)
    c = store.contacts.all().iloc[0]
    assert c["last_contact_on"].date() == TODAY - dt.timedelta(days=2)
    assert c["informational_interviews"] == 1 and c["activities"] == 2
    acts = store.activities.all()
    assert acts["contact"].tolist() == ["Tom", "Tom"]
    store.contacts.delete(cid)
    assert store.activities.all()["contact_id"].isna().all()


def test_practice_summary(store):
    q = "Tell me about yourself."
    store.activities.add(TODAY - dt.timedelta(days=3), "interview practice", q, confidence=2)
    store.activities.add(TODAY, "interview practice", q, confidence=4)
    row = store.activities.practice_summary().iloc[0]
    assert (row["question"], row["times"], row["latest_confidence"], row["best_confidence"]) == (q, 2, 4, 4)


# -- contacts ---------------------------------------------------------------------------------
def test_contacts_and_follow_up_nudges(store):
    with pytest.raises(ValidationError, match="name"):
        store.contacts.add("  ")
    with pytest.raises(ValidationError, match="before the last contact"):
        store.contacts.add("Ana", last_contact_on=TODAY, next_follow_up_on=TODAY - dt.timedelta(days=1))
    due = store.contacts.add("Ana", "Yarrow", next_follow_up_on=TODAY - dt.timedelta(days=3))
    store.contacts.add("Later", next_follow_up_on=TODAY + dt.timedelta(days=3))
    store.contacts.add("Never")
    nudges = store.contacts.nudges(TODAY)
    assert [(c["name"], c["company"], c["days_overdue"]) for c in nudges] == [("Ana", "Yarrow", 3)]
    store.contacts.mark_contacted(due, TODAY, TODAY + dt.timedelta(days=14))
    assert store.contacts.nudges(TODAY) == []
    assert store.contacts.all().set_index("name").loc["Ana", "last_contact_on"].date() == TODAY


# -- wins --------------------------------------------------------------------------------------
def test_wins_and_suggestions_from_events(store):
    app = store.applications.add("Kestrel", "Analyst", "referral", TODAY - dt.timedelta(days=10))
    screen = store.applications.add_event(app, "screen", TODAY - dt.timedelta(days=5))
    offer = store.applications.add_event(app, "offer", TODAY - dt.timedelta(days=1))
    store.applications.add_event(app, "followed_up", TODAY - dt.timedelta(days=4))
    suggestions = store.wins.suggested(TODAY)
    assert [s["event_id"] for s in suggestions] == [offer, screen]
    assert suggestions[0]["kind"] == "offer" and "Kestrel" in suggestions[0]["title"]
    store.wins.add(suggestions[0]["title"], day=suggestions[0]["day"], kind="offer", event_id=offer)
    with pytest.raises(ValidationError, match="already"):
        store.wins.add("again", event_id=offer)
    store.wins.dismiss_suggestion(screen)
    assert store.wins.suggested(TODAY) == []
    with pytest.raises(ValidationError, match="even a small thing|Even a small thing"):
        store.wins.add("   ")
    with pytest.raises(ValidationError, match="future"):
        store.wins.add("tomorrow", day=TODAY + dt.timedelta(days=1))
    store.wins.add("A kind word from a recruiter", kind="kind word")
    assert len(store.wins.all()) == 2


# -- demo --------------------------------------------------------------------------------------
def test_demo_extension_writes_goals_activities_contacts_and_wins(store):
    from rebound.demo import generate

    written = generate(store, weeks=12, seed=3)
    assert written["goals"] > 0 and written["activities"] > 0 and written["contacts"] > 0 and written["wins"] > 0
    frame = M.weekly_momentum(store)
    assert frame["momentum"].notna().any()
    assert frame["momentum"].dropna().between(0, 1).all()
    assert frame.iloc[:2]["goals"].eq(0).all()  # goals start mid-search
    assert not store.goals.for_week(THIS_WEEK).empty


def test_demo_extension_is_deterministic(tmp_path):
    from rebound.db import Database
    from rebound.demo import momentum as demo_momentum

    out = []
    for name in ("a", "b"):
        db = Database(str(tmp_path / f"{name}.duckdb"))
        s = Store(db, "local")
        out.append(demo_momentum.generate(s, random.Random(5), TODAY, 8))
        out.append(M.weekly_momentum(s)["completion"].fillna(-1).tolist())
        db.close()
    assert out[0] == out[2] and out[1] == out[3]


# -- the page (AppTest) ------------------------------------------------------------------------------
def test_goals_page_on_an_empty_database(run_page, db_path):
    at = run_page("pages/goals.py", db_path)
    assert at.title[0].value == "Goals & wins"
    assert any("No goals yet" in i.value for i in at.info)


def open_tab(at, label):
    """Goals draws only the open tab (a rerun on change), as a browser click would choose it."""
    at.session_state["goals_tab"] = label
    at.run()
    assert not at.exception


def test_goals_page_on_demo_data(run_page, demo_db_path):
    at = run_page("pages/goals.py", demo_db_path)
    open_tab(at, "📈 Momentum")
    labels = [m.label for m in at.metric]
    assert "Momentum" in labels and "Streak" in labels
    assert not at.error
    # The same Vega-Lite momentum chart as Today and Progress (and each goal's share below it), no plotly.
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    assert len(specs) == 2 and not at.get("plotly_chart")
    trend = specs[0]["layer"][0]
    assert [m["mark"]["type"] for m in trend["layer"]] == ["bar", "line", "point", "text"]
    assert len(trend["data"]["values"]) == 26 and specs[0]["description"].startswith("Momentum by week")


def _form_button(at, label):
    return next(b for b in at.button if b.label == label)


def test_goals_page_set_a_goal_bad_target_then_good(run_page, db_path):
    at = run_page("pages/goals.py", db_path)
    at.number_input(key="goals_new_target").set_value(0)
    _form_button(at, "Add to this week").click()
    at.run()
    assert any("zero or less" in e.value for e in at.error)
    at.number_input(key="goals_new_target").set_value(3)
    _form_button(at, "Add to this week").click()
    at.run()
    assert not at.exception and not at.error
    assert any("Applications: 0 of 3" in p.proto.text for p in at.get("progress"))


def test_goals_page_custom_goal_needs_a_description(run_page, db_path):
    at = run_page("pages/goals.py", db_path)
    at.selectbox(key="goals_new_metric").set_value("custom")
    at.run()
    _form_button(at, "Add to this week").click()
    at.run()
    assert any("Describe the goal" in e.value for e in at.error)


def test_goals_page_log_activity_and_win(run_page, db_path):
    at = run_page("pages/goals.py", db_path)
    open_tab(at, "📒 Activity log")
    at.selectbox(key="goals_act_kind").set_value("course")
    at.run()
    at.text_input(key="goals_act_title").input("Statistics")
    at.number_input(key="goals_act_minutes").set_value(90)
    _form_button(at, "Log it").click()
    at.run()
    assert not at.error and not at.exception
    open_tab(at, "🏆 Wins")
    at.text_input(key="goals_win_title").input("Finished a course *module*")
    _form_button(at, "Save the win").click()
    at.run()
    assert not at.exception
    assert any("Finished a course \\*module\\*" in md.value for md in at.markdown)


def test_activities_contacts_and_wins_are_per_user(db):
    mine, theirs = Store(db, "me"), Store(db, "them")
    cid = mine.contacts.add("Priya", next_follow_up_on=TODAY)
    mine.activities.add(TODAY, "networking", "coffee", contact_id=cid)
    win = mine.wins.add("A kind word")
    with pytest.raises(ValidationError, match="no longer exists"):
        theirs.activities.add(TODAY, "networking", "sneaky", contact_id=cid)
    with pytest.raises(ValidationError, match="no longer exists"):
        theirs.contacts.mark_contacted(cid, TODAY)
    theirs.contacts.delete(cid)
    theirs.wins.delete(win)
    assert theirs.activities.all().empty and theirs.contacts.all().empty and theirs.wins.all().empty
    assert theirs.contacts.nudges(TODAY) == [] and not theirs.goals.has_momentum_data()
    assert len(mine.activities.all()) == 1 and len(mine.contacts.all()) == 1 and len(mine.wins.all()) == 1
    assert mine.goals.momentum_counts() == {"activities": 1, "contacts": 1, "wins": 1}


def test_goal_progress_agrees_with_its_target():
    assert M.goal_progress_text(0, 1, "applications") == "0 of 1 application"
    assert M.goal_progress_text(2, 5, "applications") == "2 of 5 applications"
    assert M.goal_progress_text(0.5, 1, "skills_hours") == "0.5 of 1 hour"
    assert M.goal_progress_text(1.25, 3, "skills_hours") == "1.2 of 3 hours"
    assert M.goal_progress_text(0, 1, "custom") == "0 of 1"  # not "0 of 1 times", nor "of 1 time"
    assert M.goal_progress_text(2, 3, "custom") == "2 of 3 times"
    for key, metric in M.metrics().items():
        assert M.goal_progress_text(0, 1, key) != f"0 of 1 {metric['unit']}" or not metric["unit"].endswith("s")


def test_today_and_goals_show_a_goal_of_one_in_the_singular(run_page, db_path):
    from rebound.db import Database
    from rebound.store import Store

    database = Database(db_path)
    store = Store(database, "local")
    store.goals.add(M.week_of(TODAY), "custom", 1, "Walk")
    store.goals.add(M.week_of(TODAY), "applications", 1)
    database.close()
    for page in ("pages/today.py", "pages/goals.py"):
        at = run_page(page, db_path)
        shown = " ".join(str(p.proto.text) for p in at.get("progress"))
        assert "Walk: 0 of 1" in shown and "0 of 1 application" in shown, (page, shown)
        assert "1 times" not in shown and "1 applications" not in shown, (page, shown)
