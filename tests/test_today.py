"""The Today page: welcome on first run, progress, momentum, nudges from every area; plus a real browser journey."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from types import SimpleNamespace

import pytest
from clock import TODAY
from conftest import ROOT, wait_idle

from rebound import momentum as M
from rebound import today as T
from rebound.db import Database
from rebound.feedback import action_kinds
from rebound.store import Store

THIS_WEEK = M.week_of(TODAY)


# -- domain ---------------------------------------------------------------------------------------
def test_nudges_gather_outcomes_contacts_and_optional_areas(db):
    store = Store(db, "local")
    # a feedback nudge of any kind (the feedback area's own are tested in test_feedback_store)
    store.feedback_requests = SimpleNamespace(
        nudges=lambda today: [SimpleNamespace(message="Send your feedback request to Kestrel?")]
    )
    app = store.applications.add("Quiet Co", "Analyst", "job board", TODAY - dt.timedelta(days=30))
    assert app
    store.contacts.add("Priya", "Kestrel", next_follow_up_on=TODAY)
    store.contacts.add("Sam", next_follow_up_on=TODAY - dt.timedelta(days=3))
    kind = next(iter(action_kinds()))
    store.actions.add(kind, "Rewrite resume summary", due_on=TODAY - dt.timedelta(days=2))
    store.actions.add(kind, "Due today", due_on=TODAY)
    store.actions.add(kind, "Not due yet", due_on=TODAY + dt.timedelta(days=5))
    store.actions.add(kind, "No date")
    store.actions.set_done(store.actions.add(kind, "Done already", due_on=TODAY - dt.timedelta(days=1)))
    found = T.nudges(store, TODAY)
    areas = [n.area for n in found]
    assert "outcomes" in areas and "contacts" in areas and "feedback" in areas and "actions" in areas
    texts = " | ".join(n.message for n in found)
    assert "Priya (Kestrel): due today" in texts and "Follow up with Sam: was due 3 days ago." in texts
    actions = [n.message for n in found if n.area == "actions"]
    assert actions == ["Action item due (2 days overdue): Rewrite resume summary", "Action item due (today): Due today"]


def test_many_nudges_of_one_kind_become_one_line(store):
    for i in range(10):
        store.applications.add(f"Quiet {i}", "Analyst", "job board", TODAY - dt.timedelta(days=40 + i))
    for i in range(5):
        store.applications.add(f"Waiting {i}", "Analyst", "job board", TODAY - dt.timedelta(days=10))
    store.applications.add("Only one", "Analyst", "referral", TODAY)
    for name in ("Priya", "Sam"):
        store.contacts.add(name, next_follow_up_on=TODAY)
    found = T.nudges(store, TODAY)
    assert [(n.area, n.icon, n.count, n.action) for n in found] == [
        ("outcomes", "👻", 10, "settle_quiet"),
        ("outcomes", "⏰", 5, None),
        ("contacts", "🤝", 1, None),
        ("contacts", "🤝", 1, None),
    ]
    assert found[0].message == (
        "10 applications have had no answer for 21 days or more — mark them as ghosted? "
        "Any of them can be reopened later."
    )
    assert found[1].message.startswith("5 applications have been quiet for 7 days or more")
    kind = next(iter(action_kinds()))
    for days in range(4):
        store.actions.add(kind, f"Item {days}", due_on=TODAY - dt.timedelta(days=days))
    actions = [n for n in T.nudges(store, TODAY) if n.area == "actions"]
    assert [n.message for n in actions] == ["4 action items are due, the oldest 3 days overdue."]


def test_a_change_that_rounds_to_nothing_shows_no_arrow():
    assert [T.points_delta(c) for c in (None, float("nan"), 0.0, 0.004, -0.0049, 0.02, -0.031)] == [
        None,
        None,
        None,
        None,
        None,
        "+2 pts",
        "-3 pts",
    ]


def test_nudges_work_without_the_optional_areas(store):
    assert T.nudges(store, TODAY) == []


@pytest.mark.parametrize(
    ("today", "label"),
    [
        (TODAY, "Week of 23 Nov 2026"),
        (dt.date(2026, 12, 7), "Week of 7 Dec 2026"),  # a Monday, a one-digit day: no leading zero
        (dt.date(2028, 2, 29), "Week of 28 Feb 2028"),
        (dt.date(2027, 1, 3), "Week of 28 Dec 2026"),  # a Sunday: the week began in the year before
    ],
)
def test_momentum_trend_covers_the_last_twelve_weeks_once_there_are_goals(store, today, label):
    assert T.momentum_view(store, today)[1] is None  # nothing to draw yet
    for week in range(15):
        store.goals.add(M.week_of(today) - dt.timedelta(weeks=week), "custom", 2, "Walk outside")
    spec = T.momentum_view(store, today)[1]
    values = spec["layer"][0]["data"]["values"]
    assert len(values) == T.TREND_WEEKS and values[-1]["label"] == label
    assert [layer["mark"]["type"] for layer in spec["layer"][0]["layer"]][:2] == ["bar", "line"]


def test_burnout_from_the_store(store):
    for week in range(3):
        monday = THIS_WEEK - dt.timedelta(weeks=week + 1)
        for i in range(16):
            store.applications.add(f"Co {week}-{i}", "Analyst", "job board", monday + dt.timedelta(days=i % 5))
    assert T.burnout(store, TODAY)
    app = store.applications.add("Replied", "Analyst", "job board", THIS_WEEK - dt.timedelta(weeks=2))
    store.applications.add_event(app, "rejected", THIS_WEEK - dt.timedelta(weeks=2) + dt.timedelta(days=1))
    assert not T.burnout(store, TODAY)


# Run in a fresh interpreter (the test process itself has pandas loaded long ago) in which pandas,
# numpy and pyarrow cannot be imported at all. Not "are they in sys.modules afterwards": DuckDB 1.5's
# parameter binding imports pandas, if installed, for the first bound value (it checks each one against
# pandas.NaT/NA; ~0.3 s of a cold start), and treats a failed import as "no pandas". So this checks
# what Rebound controls: nothing on Today's path, from store to chart, needs them.
NO_PANDAS_RUN = """
import sys

class NoDataFrames:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("pandas", "pyarrow", "numpy"):
            raise ImportError(f"{name} is blocked: Today must not need it")

sys.meta_path.insert(0, NoDataFrames())
from streamlit.testing.v1 import AppTest
at = AppTest.from_file("app.py", default_timeout=60).run()
assert not at.exception, [e.message for e in at.exception]
assert [s.value for s in at.subheader][:2] == ["This week", "Worth a look"], [s.value for s in at.subheader]
assert len(at.get("vega_lite_chart")) == 1 and len(at.get("progress")) >= 1 and at.markdown
print(sorted(m for m in ("pandas", "pyarrow", "numpy") if m in sys.modules))
"""


@pytest.mark.slow
@pytest.mark.real_clock  # the demo is made here and read by another process
def test_today_renders_without_loading_pandas(demo_db_path):
    """Today is the page every visitor opens first, and importing pandas (with numpy and pyarrow)
    is the largest part of a cold start; so its whole path, from store to chart, is plain records."""
    result = subprocess.run(
        [sys.executable, "-c", NO_PANDAS_RUN],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "REBOUND_DB": demo_db_path},
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "[]"


# -- AppTest ---------------------------------------------------------------------------------------
def test_empty_database_shows_the_welcome(run_page, db_path):
    at = run_page("pages/today.py", db_path)
    assert any("Welcome to Rebound" in s.value for s in at.subheader)
    assert [b.label for b in at.button] == ["Add your first application", "Explore with demo data"]


def test_goals_alone_skip_the_welcome_and_show_progress(run_page, db_path):
    db = Database(db_path)
    s = Store(db, "local")
    s.goals.add(THIS_WEEK, "custom", 2, "Walk outside")
    db.close()
    at = run_page("pages/today.py", db_path)
    assert not any("Welcome" in s.value for s in at.subheader)
    assert any("Walk outside: 0 of 2" in p.proto.text for p in at.get("progress"))


def test_demo_database_shows_progress_momentum_nudges_and_reframe(run_page, demo_db_path):
    at = run_page("pages/today.py", demo_db_path)
    metrics = {m.label: m.value for m in at.metric}
    assert set(metrics) >= {"Goals this week", "Momentum", "Streak"}
    assert metrics["Momentum"].endswith("%")
    trend = at.get("vega_lite_chart")
    assert len(trend) == 1 and not at.get("plotly_chart"), "the momentum trend is Vega-Lite, not plotly"
    assert at.get("progress"), "this week's goals are shown"
    headers = [s.value for s in at.subheader]
    assert "Worth a look" in headers and "Reframe of the day" in headers
    from rebound import ui

    shared = Store(ui.open_database(demo_db_path), "local")  # the app's own connection to the file
    found = T.nudges(shared, TODAY)
    grouped = [n for n in found if n.action == "settle_quiet"]
    assert len(grouped) == 1 and grouped[0].count > T.GROUP_ABOVE  # the demo's silences: one line
    assert any(b.label == f"Mark {grouped[0].count:,} as ghosted" for b in at.button)
    paragraphs = sum(len(m.value.split("\n\n")) for m in at.markdown if m.value[:1] in {n.icon[:1] for n in found})
    assert paragraphs == len(found) > 1  # one paragraph per nudge line
    assert any(M.reframe_of_the_day(TODAY)["text"] in i.value for i in at.info)


def test_carry_forward_from_today(run_page, db_path):
    db = Database(db_path)
    s = Store(db, "local")
    s.goals.add(THIS_WEEK - dt.timedelta(weeks=1), "applications", 4)
    db.close()
    at = run_page("pages/today.py", db_path)
    next(b for b in at.button if b.label == "Carry those targets forward").click()
    at.run()
    assert not at.exception
    assert any("Applications: 0 of 4" in p.proto.text for p in at.get("progress"))


def test_burnout_warning_on_the_page(run_page, db_path):
    db = Database(db_path)
    s = Store(db, "local")
    for week in range(3):
        monday = THIS_WEEK - dt.timedelta(weeks=week + 1)
        for i in range(17):
            s.applications.add(f"Co {week}-{i}", "Analyst", "job board", monday + dt.timedelta(days=i % 5))
    db.close()
    at = run_page("pages/today.py", db_path)
    assert any("varying channels" in w.value for w in at.warning)


def test_suggested_win_is_counted_and_celebrated(run_page, db_path):
    db = Database(db_path)
    s = Store(db, "local")
    app = s.applications.add("Kestrel <b>Labs</b>", "Analyst", "referral", TODAY - dt.timedelta(days=10))
    s.applications.add_event(app, "offer", TODAY - dt.timedelta(days=1))
    db.close()
    at = run_page("pages/today.py", db_path)
    assert any("Offer from Kestrel \\<b\\>Labs\\</b\\>" in m.value for m in at.markdown)  # escaped, never HTML
    next(b for b in at.button if b.label == "Count it").click()
    at.run()
    assert not at.exception
    assert at.get("balloons") or at.toast
    db = Database(db_path)
    wins = Store(db, "local").wins.all()
    db.close()
    assert len(wins) == 1 and wins["kind"].tolist() == ["offer"]


def test_todays_momentum_shows_no_delta_for_no_change(run_page, db_path, monkeypatch):
    db = Database(db_path)
    Store(db, "local").goals.add(THIS_WEEK, "custom", 2, "Walk outside")
    db.close()
    real = T.momentum_view

    def nudged(change):
        def view(store, today=None):
            summary, trend = real(store, today)
            return {**summary, "momentum": 0.5, "change": change}, trend

        return view

    monkeypatch.setattr(T, "momentum_view", nudged(0.004))  # +0.4 points: shown as "+0 pts" before
    at = run_page("pages/today.py", db_path)
    momentum = next(m for m in at.metric if m.label == "Momentum")
    assert momentum.delta in (None, "")
    monkeypatch.setattr(T, "momentum_view", nudged(-0.03))
    from rebound import ui

    ui.clear_cached()  # the page caches its momentum view per data revision
    at.run()
    assert next(m for m in at.metric if m.label == "Momentum").delta == "-3 pts"


def test_settle_the_long_silences_from_today_and_undo(run_page, db_path):
    db = Database(db_path)
    s = Store(db, "local")
    quiet = [
        s.applications.add(f"Quiet {i}", "Analyst", "job board", TODAY - dt.timedelta(days=30 + i)) for i in range(5)
    ]
    s.applications.add("Fresh", "Analyst", "job board", TODAY)
    db.close()
    at = run_page("pages/today.py", db_path)
    assert any("5 applications have had no answer" in m.value for m in at.markdown)
    assert not any("No answer from Quiet" in m.value for m in at.markdown)  # one line, not five
    next(b for b in at.button if b.label == "Mark 5 as ghosted").click()
    at.run()
    assert not at.exception
    assert any("Marked 5 quiet applications as ghosted" in m.value for m in at.markdown)
    assert not any("have had no answer" in m.value for m in at.markdown)
    from rebound import ui

    shared = Store(ui.open_database(db_path), "local")
    assert {shared.applications.get(i)["status"] for i in quiet} == {"ghosted"}
    next(b for b in at.button if b.label == "Undo").click()
    at.run()
    assert {shared.applications.get(i)["status"] for i in quiet} == {"applied"}
    assert any("5 applications have had no answer" in m.value for m in at.markdown)


def test_log_a_win_quick_action_with_bad_then_good_input(run_page, db_path):
    db = Database(db_path)
    Store(db, "local").applications.add("Acme", "Analyst", "job board", TODAY)
    db.close()
    at = run_page("pages/today.py", db_path)
    save = next(b for b in at.button if b.label == "Save the win")
    save.click()
    at.run()
    assert any("Even a small thing counts" in e.value for e in at.error)
    at.text_input(key="today_win_title").input("Good chat with a mentor")
    next(b for b in at.button if b.label == "Save the win").click()
    at.run()
    assert not at.error and not at.exception


# -- real browser -----------------------------------------------------------------------------------
@pytest.mark.browser
def test_set_goals_log_activities_and_see_progress_on_today(app_server, page, db_path):
    page.goto(f"{app_server.url}/goals")
    wait_idle(page)
    # Set a networking goal of 2 for this week.
    page.get_by_label("Goal", exact=True).click()
    page.get_by_role("option", name="Networking contacts").click()
    wait_idle(page)
    target = page.get_by_label("Target (conversations per week)")
    target.fill("2")
    target.press("Tab")
    page.get_by_role("button", name="Add to this week").click()
    wait_idle(page)
    page.get_by_text("Networking contacts: 0 of 2").wait_for()

    # Log a networking conversation in the activity log.
    page.get_by_role("tab", name="Activity log").click()
    wait_idle(page)
    page.get_by_label("What was it?").fill("Coffee with Priya")
    page.get_by_role("button", name="Log it").click()
    wait_idle(page)

    # Today shows the progress.
    page.get_by_role("link", name="Today").first.click()
    wait_idle(page)
    page.get_by_text("Networking contacts: 1 of 2").wait_for()
    page.get_by_text("Goals this week").wait_for()  # streamed in with the rest of the page
    page.locator("[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg").first.wait_for()
    page.screenshot(path=str(app_server_shot(db_path)), full_page=True)

    app_server.stop()
    db = Database(db_path)
    store = Store(db, "local")
    acts = store.activities.all()
    frame = M.weekly_momentum(store)
    db.close()
    assert acts["title"].tolist() == ["Coffee with Priya"]
    assert frame["completion"].iloc[-1] == pytest.approx(0.5)


def app_server_shot(db_path: str):
    from pathlib import Path

    return Path(db_path).with_name("today.png")
