"""When-and-where plans (store.plans, rebound/momentum/plans.py): the rules and the repository."""

from __future__ import annotations

import datetime as dt

import pytest
from clock import TODAY

from rebound import momentum as M
from rebound.dates import fmt_date
from rebound.errors import StaleEdit, ValidationError
from rebound.momentum import plans as P
from rebound.store import Store

TOMORROW = TODAY + dt.timedelta(days=1)
THIS_WEEK = M.week_of(TODAY)


# -- rules --------------------------------------------------------------------------------------
def test_a_plan_reads_as_when_and_where():
    plan = {"day": TODAY + dt.timedelta(days=6), "at_time": dt.time(10, 0), "place": "the library"}
    assert P.when_where(plan, TODAY) == f"{plan['day']:%A} 10:00, at the library"
    assert P.when_where({"day": TODAY, "at_time": None, "place": None}, TODAY) == "Today"
    assert P.when_where({"day": TOMORROW}, TODAY) == "Tomorrow"
    far = TODAY + dt.timedelta(days=30)
    assert P.when_where({"day": far}, TODAY) == fmt_date(far)  # a date, not a weekday, beyond a week


def test_an_overdue_plan_is_asked_about_kindly():
    monday = THIS_WEEK  # TODAY is a Wednesday
    assert TODAY.weekday() == 2
    note = P.overdue_note({"day": monday, "state": "planned"}, TODAY)
    assert note == "from Monday — still want to do it?"
    assert P.overdue_note({"day": TODAY, "state": "planned"}, TODAY) is None
    assert P.overdue_note({"day": monday, "state": "done"}, TODAY) is None


@pytest.mark.parametrize(
    "counts, expected",
    [
        ({"planned": 6, "done": 4, "moved": 2, "open": 0}, "4 of 6 plans done; 2 moved to another day."),
        ({"planned": 3, "done": 1, "moved": 1, "open": 1}, "1 of 3 plans done; 1 moved to another day; 1 still open."),
        ({"planned": 2, "done": 2, "moved": 0, "open": 0}, "2 of 2 plans done."),
    ],
)
def test_the_weekly_review_compares_planned_and_done(counts, expected):
    lines = P.review_lines(counts)
    assert lines[0] == expected
    assert len(lines) == 2


def test_the_weekly_review_never_shames():
    harsh = ("fail", "only", "should", "lazy", "missed", "behind", "poor", "bad")
    for counts in (
        {"planned": 0},
        {"planned": 5, "done": 0, "moved": 3, "open": 2},
        {"planned": 5, "done": 2, "moved": 3},
        {"planned": 5, "done": 5},
    ):
        text = " ".join(P.review_lines(counts)).lower()
        words = set(text.replace(".", " ").replace(",", " ").replace(":", " ").split())
        assert not words & set(harsh), (counts, text)
    assert "not failure" in P.review_lines({"planned": 5, "done": 2, "moved": 3})[1]  # the one "fail" is "not"


def test_the_first_few_and_how_many_more():
    many = [{"id": i} for i in range(50)]
    shown, more = P.split_shown(many)
    assert len(shown) == P.shown_on_today() == 5 and more == 45
    assert P.split_shown(many[:3]) == (many[:3], 0)


@pytest.mark.parametrize(
    "what, message",
    [
        ("", "Say what you will do"),
        ("   \n\t ", "Say what you will do"),
        ("\u200b\u200b", "Say what you will do"),  # only invisible characters
        ("\x00\x07", "Say what you will do"),
        ("x" * 301, "too long"),
    ],
)
def test_empty_or_huge_plans_are_refused_with_a_clear_message(store, what, message):
    with pytest.raises(ValidationError, match=message):
        store.plans.add(what, TODAY, today=TODAY)
    assert store.plans.for_today(TODAY) == []


def test_a_day_in_the_past_is_refused_clearly_and_a_year_ahead_is_the_limit(store):
    with pytest.raises(ValidationError, match="already passed"):
        store.plans.add("send two applications", TODAY - dt.timedelta(days=1), today=TODAY)
    with pytest.raises(ValidationError, match="more than a year ahead"):
        store.plans.add("send two applications", TODAY + dt.timedelta(days=400), today=TODAY)
    with pytest.raises(ValidationError, match="Choose the day"):
        store.plans.add("send two applications", None, today=TODAY)
    with pytest.raises(ValidationError, match="hours and minutes"):
        store.plans.add("send two applications", TODAY, at_time="half past ten", today=TODAY)
    with pytest.raises(ValidationError, match="place is too long"):
        store.plans.add("send two applications", TODAY, place="p" * 121, today=TODAY)
    assert store.plans.for_today(TODAY) == []


def test_odd_unicode_and_hostile_text_are_kept_as_written(store):
    what = "<b>send</b> **two** $x^2$ [cv](javascript:alert(1)) 🧑🏽‍💻 مرحبا \u202eevil"
    pid = store.plans.add(f"  {what}\n", TODAY, at_time="10:00", place="<script>café</script>", today=TODAY)
    plan = store.plans.get(pid)
    assert plan["what"] == what
    assert plan["place"] == "<script>café</script>"
    assert plan["at_time"] == dt.time(10, 0)


# -- repository ---------------------------------------------------------------------------------
def test_today_lists_todays_plans_and_earlier_ones_still_to_do(store, clock):
    clock.move_to(dt.datetime.combine(THIS_WEEK, dt.time(9)))  # Monday
    monday = THIS_WEEK
    early = store.plans.add("call Ana", monday, at_time="09:00", today=monday)
    done_early = store.plans.add("update my CV", monday, today=monday)
    store.plans.done(done_early)
    later = store.plans.add("send two applications", TODAY, at_time="10:00", place="the library", today=monday)
    no_time = store.plans.add("walk", TODAY, today=monday)
    done_today = store.plans.add("breakfast with Ana", TODAY, at_time="08:00", today=monday)
    store.plans.add("next week", TODAY + dt.timedelta(days=7), today=monday)
    clock.move_to(dt.datetime.combine(TODAY, dt.time(9)))
    store.plans.done(done_today)
    ids = [p["id"] for p in store.plans.for_today(TODAY)]
    # the done one of Monday is not brought back, today's done one comes last; next week waits
    assert ids == [early, later, no_time, done_today]


def test_moving_is_one_call_and_keeps_the_week_it_was_meant_for(store):
    pid = store.plans.add("send two applications", TODAY, today=TODAY)
    store.plans.move(pid, TOMORROW, today=TODAY)
    plan = store.plans.get(pid)
    assert (plan["day"], plan["state"], plan["moves"], plan["first_day"]) == (TOMORROW, "moved", 1, TODAY)
    assert store.plans.for_today(TODAY) == []
    assert [p["id"] for p in store.plans.for_today(TOMORROW)] == [pid]
    with pytest.raises(ValidationError, match="already passed"):
        store.plans.move(pid, TODAY - dt.timedelta(days=3), today=TODAY)
    assert store.plans.get(pid)["day"] == TOMORROW


def test_done_and_undone(store):
    pid = store.plans.add("send two applications", TODAY, today=TODAY)
    store.plans.move(pid, TOMORROW, today=TODAY)
    store.plans.done(pid)
    plan = store.plans.get(pid)
    assert plan["state"] == "done" and plan["done_at"] is not None
    store.plans.done(pid)  # twice (a double click, another tab): still done once
    with pytest.raises(ValidationError, match="already done"):
        store.plans.move(pid, TOMORROW, today=TODAY)
    store.plans.undo_done(pid)
    plan = store.plans.get(pid)
    assert (plan["state"], plan["done_at"]) == ("moved", None)  # it had been moved: it is again


def test_the_weekly_review_counts_plans_in_the_week_first_meant_for(store):
    week = THIS_WEEK
    ids = [store.plans.add(f"plan {i}", TODAY, today=TODAY) for i in range(6)]
    for pid in ids[:4]:
        store.plans.done(pid)
    next_monday = week + dt.timedelta(days=7)
    store.plans.move(ids[4], next_monday, today=TODAY)  # moved into next week: still counts in this one
    store.plans.move(ids[5], TOMORROW, today=TODAY)
    assert store.plans.week_counts(week) == {"planned": 6, "done": 4, "moved": 2, "open": 0}
    assert store.plans.week_counts(next_monday) == {"planned": 0, "done": 0, "moved": 0, "open": 0}
    assert P.review_lines(store.plans.week_counts(week))[0] == "4 of 6 plans done; 2 moved to another day."


def test_a_stale_tab_cannot_overwrite_a_newer_edit(store):
    pid = store.plans.add("send two applications", TODAY, today=TODAY)
    read = store.plans.get(pid)["version"]
    store.plans.update(pid, "send three applications", TODAY, "10:00", "home", version=read, today=TODAY)
    with pytest.raises(StaleEdit):
        store.plans.done(pid, version=read)
    with pytest.raises(StaleEdit):
        store.plans.move(pid, TOMORROW, version=read, today=TODAY)
    plan = store.plans.get(pid)
    assert (plan["what"], plan["state"], plan["day"]) == ("send three applications", "planned", TODAY)


def test_every_query_is_scoped_to_the_user(db):
    mine, theirs = Store(db, "me"), Store(db, "someone else")
    pid = mine.plans.add("my plan", TODAY, today=TODAY)
    assert theirs.plans.for_today(TODAY) == [] and theirs.plans.get(pid) is None
    with pytest.raises(ValidationError, match="no longer exists"):
        theirs.plans.done(pid)
    theirs.plans.delete(pid)
    assert mine.plans.get(pid)["state"] == "planned"
    assert theirs.plans.week_counts(TODAY)["planned"] == 0


def test_a_goal_and_its_plan_land_together_or_not_at_all(store):
    plan = {"what": "send two applications", "day": TODAY, "at_time": "10:00", "place": "the library"}
    gid = store.goals.add(THIS_WEEK, "applications", 2, plan=plan, today=TODAY)
    [saved] = store.plans.for_goals([gid])
    assert (saved["what"], saved["place"], saved["at_time"]) == ("send two applications", "the library", dt.time(10))
    with pytest.raises(ValidationError, match="already passed"):
        store.goals.add(THIS_WEEK, "networking", 2, plan={**plan, "day": TODAY - dt.timedelta(days=2)}, today=TODAY)
    assert list(store.goals.for_week(THIS_WEEK)["metric"]) == ["applications"]  # the goal did not land either
    # no day: no plan, and nothing else is required
    store.goals.add(THIS_WEEK, "self_care", 2, plan={"day": None, "at_time": None, "place": ""}, today=TODAY)
    assert len(store.plans.for_goals(list(store.goals.for_week(THIS_WEEK)["id"]))) == 1


def test_checking_off_a_plan_of_a_hand_ticked_goal_counts_on_the_goal(store):
    walk = store.goals.add(THIS_WEEK, "custom", 3, "walk", plan={"day": TODAY}, today=TODAY)
    sent = store.goals.add(THIS_WEEK, "applications", 3, plan={"day": TODAY}, today=TODAY)
    walk_plan, sent_plan = (store.plans.for_goals([g])[0]["id"] for g in (walk, sent))
    assert store.plans.get(walk_plan)["what"] == "walk"  # the goal's words when the plan has none
    store.plans.done(walk_plan)
    store.plans.done(sent_plan)
    done = {r["goal_id"]: r["done"] for r in store.goals.progress(THIS_WEEK, THIS_WEEK)}
    assert done == {walk: 1.0, sent: 0.0}  # applications are counted from the log, not from plans
    store.plans.undo_done(walk_plan)
    assert {r["goal_id"]: r["done"] for r in store.goals.progress(THIS_WEEK, THIS_WEEK)}[walk] == 0.0


def test_deleting_a_goal_keeps_its_plans(store):
    gid = store.goals.add(THIS_WEEK, "custom", 1, "call grandma", plan={"day": TODAY}, today=TODAY)
    [plan] = store.plans.for_goals([gid])
    store.goals.delete(gid)
    assert store.plans.get(plan["id"])["goal_id"] is None


# -- learning goals -----------------------------------------------------------------------------
def test_a_learning_goal_has_no_number_and_is_done_or_not_yet(store):
    with pytest.raises(ValidationError, match="what you want to learn"):
        store.goals.add(THIS_WEEK, "learning", 1, "")
    gid = store.goals.add(THIS_WEEK, "learning", 99, "practise answering salary questions")
    assert int(store.goals.for_week(THIS_WEEK).set_index("id").loc[gid, "target"]) == 1  # no number kept
    [row] = M.goal_component_rows(store, 1, TODAY)
    assert (row["progress"], row["completion"]) == ("not yet", 0.0)
    store.goals.set_done(gid, True)
    store.goals.set_done(gid, True)
    [row] = M.goal_component_rows(store, 1, TODAY)
    assert (row["progress"], row["completion"]) == ("done", 1.0)
    store.goals.set_done(gid, False)
    assert M.goal_component_rows(store, 1, TODAY)[0]["progress"] == "not yet"
    # a plan of it, checked off, marks it done (once, however many plans)
    for _ in range(2):
        store.plans.done(store.plans.add("salary questions with Ana", TODAY, goal_id=gid, today=TODAY))
    assert M.goal_component_rows(store, 1, TODAY)[0]["done"] == 1.0


def test_two_learning_goals_in_a_week_and_both_carried_forward(store):
    store.goals.add(THIS_WEEK - dt.timedelta(weeks=1), "learning", 1, "salary questions")
    store.goals.add(THIS_WEEK - dt.timedelta(weeks=1), "learning", 1, "how start-ups hire")
    assert store.goals.carry_forward(THIS_WEEK) == 2
    assert store.goals.carry_forward(THIS_WEEK) == 0  # not duplicated
    assert sorted(store.goals.for_week(THIS_WEEK)["label"]) == ["how start-ups hire", "salary questions"]


# -- backup and restore ---------------------------------------------------------------------------
def test_plans_back_up_and_restore_with_their_goal_and_a_tampered_state_is_refused(store):
    import io
    import zipfile

    import pyarrow as pa
    import pyarrow.parquet as pq

    from rebound.backup import make_backup, restore_backup

    gid = store.goals.add(THIS_WEEK, "learning", 1, "salary questions", plan={"day": TODAY}, today=TODAY)
    store.plans.done(store.plans.for_goals([gid])[0]["id"])
    data = make_backup(store)
    restore_backup(store, data, keep_aside=False)
    [goal] = list(store.goals.for_week(THIS_WEEK)["id"])
    [plan] = store.plans.for_goals([goal])  # the link to its goal survives the new ids
    assert (plan["what"], plan["state"]) == ("salary questions", "done")

    src = zipfile.ZipFile(io.BytesIO(data))
    files = {n: src.read(n) for n in src.namelist()}
    table = pq.read_table(io.BytesIO(files["tables/plans.parquet"]))
    table = table.set_column(table.schema.get_field_index("state"), "state", pa.array(["<b>hacked</b>"]))
    out = io.BytesIO()
    pq.write_table(table, out)
    files["tables/plans.parquet"] = out.getvalue()
    import hashlib
    import json

    manifest = json.loads(files["manifest.json"])
    entry = manifest["tables"]["plans"]
    for key in [k for k in entry if "sha" in k]:
        entry[key] = hashlib.sha256(files["tables/plans.parquet"]).hexdigest()
    files["manifest.json"] = json.dumps(manifest).encode()
    tampered = io.BytesIO()
    with zipfile.ZipFile(tampered, "w") as z:
        for n, b in files.items():
            z.writestr(n, b)
    with pytest.raises(ValidationError, match="plans"):
        restore_backup(store, tampered.getvalue(), keep_aside=False)
    assert store.plans.for_goals([goal])[0]["state"] == "done"  # nothing changed
