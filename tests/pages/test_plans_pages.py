"""When-and-where plans on the pages (AppTest): Today's plans, a goal's plan and a learning goal on
Goals, the plan of the rejection path's next step, and the weekly review's comparison."""

from __future__ import annotations

import datetime as dt

from clock import TODAY
from conftest import open_page

from rebound import momentum as M
from rebound.db import Database
from rebound.store import Store

THIS_WEEK = M.week_of(TODAY)
MONDAY = THIS_WEEK  # TODAY is a Wednesday


def _db(path) -> Store:
    return Store(Database(path), "local")


def _button(at, label):
    return next(b for b in at.button if b.label == label)


def _text(at) -> str:
    return "\n".join(
        [m.value for m in at.markdown]
        + [c.value for c in at.caption]
        + [i.value for i in at.info]
        + [s.value for s in at.subheader]
        + [e.label for e in at.expander]
    )


def _with_plans(db_path, clock, plans: list[dict]) -> list[int]:
    """An application (so Today is not the welcome) and `plans`, each made on its own day."""
    s = _db(db_path)
    s.applications.add("Acme", "Analyst", "job board", TODAY - dt.timedelta(days=20))
    ids = []
    for p in plans:
        made = p.pop("made", TODAY)
        clock.move_to(dt.datetime.combine(made, dt.time(9)))
        ids.append(s.plans.add(today=made, **p))
    clock.move_to(dt.datetime.combine(TODAY, dt.time(9)))
    s.db.close()
    return ids


def test_today_without_plans_shows_no_plans_section(run_page, db_path, clock):
    _with_plans(db_path, clock, [{"what": "later", "day": TODAY + dt.timedelta(days=2)}])
    at = run_page("pages/today.py", db_path)
    assert "Today's plans" not in _text(at)
    assert not [b for b in at.button if b.key and b.key.startswith("plan_")]


def test_today_shows_todays_plans_and_an_overdue_one_kindly_and_checks_off_in_one_click(run_page, db_path, clock):
    overdue, todays = _with_plans(
        db_path,
        clock,
        [
            {"what": "call Ana", "day": MONDAY, "made": MONDAY},
            {"what": "send two applications", "day": TODAY, "at_time": "10:00", "place": "the library"},
        ],
    )
    at = run_page("pages/today.py", db_path)
    text = _text(at)
    assert "Today's plans" in text
    assert "**Today 10\\:00, at the library:** send two applications" in text
    assert "from Monday — still want to do it?" in text
    at.button(key=f"plan_done_{todays}").click().run()
    assert not at.exception and not at.error
    assert _db(db_path).plans.get(todays)["state"] == "done"
    assert "✅ **Today 10\\:00, at the library:** send two applications" in _text(at)
    assert at.button(key=f"plan_undo_{todays}")  # checked off by mistake: one click back
    at.button(key=f"plan_tomorrow_{overdue}").click().run()
    moved = _db(db_path).plans.get(overdue)
    assert (moved["state"], moved["day"]) == ("moved", TODAY + dt.timedelta(days=1))
    assert "from Monday" not in _text(at)
    at.button(key=f"plan_undo_{todays}").click().run()
    assert _db(db_path).plans.get(todays)["state"] == "planned"


def test_moving_to_a_chosen_day(run_page, db_path, clock):
    [pid] = _with_plans(db_path, clock, [{"what": "mock interview", "day": TODAY}])
    at = run_page("pages/today.py", db_path)
    at.date_input(key=f"plan_day_{pid}").set_value(TODAY + dt.timedelta(days=3))
    at.button(key=f"plan_move_{pid}").click().run()
    assert not at.exception
    assert _db(db_path).plans.get(pid)["day"] == TODAY + dt.timedelta(days=3)
    assert "Today's plans" not in _text(at)


def test_fifty_plans_a_day_show_the_first_few_and_how_many_more(run_page, db_path, clock):
    _with_plans(db_path, clock, [{"what": f"plan number {i}", "day": TODAY} for i in range(50)])
    at = run_page("pages/today.py", db_path)
    done_buttons = [b for b in at.button if b.key and b.key.startswith("plan_done_")]
    assert len(done_buttons) == 5
    assert [e.label for e in at.expander if "more" in e.label] == ["and 45 more"]
    assert "plan number 49" in _text(at)  # the rest are listed in the expander, without buttons


def test_hostile_text_in_a_plan_is_shown_literally(run_page, db_path, clock):
    what = "<b>bold</b> **stars** $x^2$ [cv](javascript:alert(1))"
    _with_plans(db_path, clock, [{"what": what, "day": TODAY, "place": "<i>café</i>"}])
    at = run_page("pages/today.py", db_path)
    text = _text(at)
    assert "\\<b\\>bold\\</b\\> \\*\\*stars\\*\\* \\$x\\^2\\$ \\[cv\\]\\(javascript\\:alert\\(1\\)\\)" in text
    assert "at \\<i\\>café\\</i\\>" in text
    assert "<b>bold</b>" not in text


def test_goals_a_goal_with_its_plan_and_the_weeks_review(run_page, db_path):
    at = run_page("pages/goals.py", db_path)
    at.number_input(key="goals_new_target").set_value(2)
    at.date_input(key="goals_new_plan_day").set_value(TODAY)
    at.selectbox(key="goals_new_plan_time").set_value("10:00")
    at.text_input(key="goals_new_plan_place").input("the library")
    _button(at, "Add to this week").click().run()
    assert not at.exception and not at.error
    s = _db(db_path)
    [goal] = list(s.goals.for_week(THIS_WEEK)["id"])
    [plan] = s.plans.for_goals([goal])
    assert (plan["what"], plan["at_time"], plan["place"]) == ("Applications", dt.time(10), "the library")
    s.plans.done(plan["id"])
    s.db.close()
    at.run()
    text = _text(at)
    assert "**Plans for this week:** 1 of 1 plans done\\." in text
    assert "✅ **Today 10\\:00, at the library:** Applications" in text


def test_goals_a_plan_without_a_day_is_refused_clearly_and_keeps_what_was_typed(run_page, db_path):
    s = _db(db_path)
    gid = s.goals.add(THIS_WEEK, "networking", 2)
    s.db.close()
    at = run_page("pages/goals.py", db_path)
    assert at.text_input(key=f"goals_plan_{gid}_what").value == "Networking contacts"  # the goal's words
    at.text_input(key=f"goals_plan_{gid}_what").input("coffee with Priya")
    at.text_input(key=f"goals_plan_{gid}_place").input("the café")
    _button(at, "Save the plan").click().run()
    assert any("Choose the day" in e.value for e in at.error)
    assert at.text_input(key=f"goals_plan_{gid}_what").value == "coffee with Priya"  # nothing lost
    assert at.text_input(key=f"goals_plan_{gid}_place").value == "the café"
    assert _db(db_path).plans.for_goals([gid]) == []
    at.date_input(key=f"goals_plan_{gid}_day").set_value(TODAY)
    _button(at, "Save the plan").click().run()
    assert not at.error
    assert [p["what"] for p in _db(db_path).plans.for_goals([gid])] == ["coffee with Priya"]


def test_goals_a_learning_goal_has_no_number_and_is_done_or_not_yet(run_page, db_path):
    at = run_page("pages/goals.py", db_path)
    at.selectbox(key="goals_new_metric").set_value("learning").run()
    assert not [n for n in at.number_input if n.key == "goals_new_target"]  # no number to set
    _button(at, "Add to this week").click().run()
    assert any("what you want to learn" in e.value for e in at.error)
    at.text_input(key="goals_new_label").input("practise answering salary questions")
    _button(at, "Add to this week").click().run()
    assert not at.error
    bars = [p.proto.text for p in at.get("progress")]
    assert any("practise answering salary questions: not yet · a learning goal" in b for b in bars)
    gid = int(_db(db_path).goals.for_week(THIS_WEEK)["id"].iloc[0])
    at.button(key=f"goals_learned_{gid}").click().run()
    bars = [p.proto.text for p in at.get("progress")]
    assert any("practise answering salary questions: done ✅ · a learning goal" in b for b in bars)
    at.button(key=f"goals_unlearned_{gid}").click().run()
    assert any(": not yet" in p.proto.text for p in at.get("progress"))


def test_the_next_step_after_a_rejection_can_be_a_when_and_where_plan_that_shows_on_today(run_page, db_path):
    s = _db(db_path)
    app = s.applications.add("Acme", "Analyst", "job board", TODAY - dt.timedelta(days=9))
    s.applications.add_event(app, "rejected", TODAY)
    s.db.close()
    at = run_page("pages/today.py", db_path)
    at.session_state["rejection_flow"] = {"application_id": app, "status": {}, "step": "next_step"}
    open_page(at, "pages/checkin.py").run()
    next(w for w in at.text_input if w.key.split(":")[-2] == "label").input("Walk by the river")
    next(w for w in at.date_input if w.key.split(":")[-2] == "plan_day").set_value(TODAY)
    next(w for w in at.selectbox if w.key.split(":")[-2] == "plan_time").set_value("17:30")
    next(w for w in at.text_input if w.key.split(":")[-2] == "plan_place").input("the river path")
    _button(at, "Set this goal").click().run()
    assert not at.exception and not at.error
    [plan] = _db(db_path).plans.for_today(TODAY)
    assert (plan["what"], plan["application_id"], plan["place"]) == ("Walk by the river", app, "the river path")
    open_page(at, "pages/today.py").run()
    assert "**Today 17\\:30, at the river path:** Walk by the river" in _text(at)
    at.button(key=f"plan_done_{plan['id']}").click().run()
    s = _db(db_path)
    assert s.plans.get(plan["id"])["state"] == "done"
    assert s.goals.progress(THIS_WEEK, THIS_WEEK)[0]["done"] == 1.0  # the small goal counts it


def test_the_next_step_needs_no_plan(run_page, db_path):
    s = _db(db_path)
    app = s.applications.add("Acme", "Analyst", "job board", TODAY - dt.timedelta(days=9))
    s.db.close()
    at = run_page("pages/today.py", db_path)
    at.session_state["rejection_flow"] = {"application_id": app, "status": {}, "step": "next_step"}
    open_page(at, "pages/checkin.py").run()
    next(w for w in at.text_input if w.key.split(":")[-2] == "label").input("Call grandma")
    _button(at, "Set this goal").click().run()
    assert not at.error
    s = _db(db_path)
    assert list(s.goals.for_week(TODAY)["label"]) == ["Call grandma"]
    assert s.plans.for_goals(list(s.goals.for_week(TODAY)["id"])) == []


def test_the_weekly_review_compares_planned_and_done(run_page, db_path):
    s = _db(db_path)
    ids = [s.plans.add(f"plan {i}", TODAY, today=TODAY) for i in range(3)]
    s.plans.done(ids[0])
    s.plans.move(ids[1], TODAY + dt.timedelta(days=1), today=TODAY)
    s.db.close()
    at = run_page("pages/reflect.py", db_path)
    at.segmented_control[0].set_value("weekly_review").run()
    assert not at.exception
    review = [i.value for i in at.info if "Your plans this week" in i.value]
    assert review and "1 of 3 plans done; 1 moved to another day; 1 still open\\." in review[0]
    assert "not failure" in review[0]
