"""Momentum and streak arithmetic, with worked examples, and the public API on a real store."""

from __future__ import annotations

import datetime as dt
import json
import math

import pandas as pd
import pytest

from rebound import momentum as M
from rebound.store import Store

TODAY = dt.date(2026, 11, 25)  # a Wednesday
THIS_WEEK = dt.date(2026, 11, 23)
m = M.SMOOTHING


def weeks_ago(n: int) -> dt.date:
    return THIS_WEEK - dt.timedelta(weeks=n)


# -- completion ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "done, target, expected",
    [
        (3, 5, 0.6),
        (5, 5, 1.0),
        (12, 5, 1.0),
        (0, 5, 0.0),
        (1.5, 3, 0.5),
        (-2, 5, 0.0),
        (1, 1000, 0.001),
    ],
)
def test_completion_is_done_over_target_capped_at_one(done, target, expected):
    assert M.completion(done, target) == pytest.approx(expected)


@pytest.mark.parametrize("target", [0, -3, None, "x", float("nan")])
def test_completion_without_a_usable_target_is_nan_not_a_division_error(target):
    assert math.isnan(M.completion(3, target))


def test_huge_target_gives_a_tiny_completion_not_an_error():
    assert M.completion(5, 10**12) == pytest.approx(5e-12)
    assert M.completion(5, float("inf")) == 0.0


def test_week_completion_is_the_mean_and_nan_for_an_empty_week():
    assert M.week_completion([1.0, 0.5, 0.0]) == pytest.approx(0.5)
    assert M.week_completion([1.0, float("nan")]) == 1.0
    assert math.isnan(M.week_completion([]))


# -- smoothing -------------------------------------------------------------------------------
def test_smoothing_constant_is_loops_weekly_habit_score():
    # Loop: m = 0.5 ** (sqrt(f) / 13); a weekly habit updated daily for 7 days == one weekly step.
    daily = 0.5 ** (math.sqrt(1 / 7) / 13)
    assert m == pytest.approx(daily**7)
    assert m == pytest.approx(0.8684, abs=1e-4)


def test_worked_example_one_bad_week_dents_instead_of_zeroing():
    # Weeks: full, full, nothing, full.
    out = M.smooth([1.0, 1.0, 0.0, 1.0])
    assert out[0] == 1.0  # starts at the first week's completion
    assert out[1] == 1.0
    assert out[2] == pytest.approx(0.8684, abs=1e-4)  # 1*m + 0*(1-m): a dent, not a reset
    assert out[3] == pytest.approx(0.8684 * m + (1 - m), abs=1e-4)  # ≈ 0.886
    assert out[3] == pytest.approx(0.8858, abs=1e-3)


def test_worked_example_recovery_from_a_bad_start():
    out = M.smooth([0.0, 0.5, 1.0])
    assert out == pytest.approx([0.0, 0.5 * (1 - m), 0.5 * (1 - m) * m + (1 - m)])


def test_weeks_without_goals_carry_the_score_unchanged():
    nan = float("nan")
    out = M.smooth([nan, nan, 0.5, nan, nan, 1.0])
    assert math.isnan(out[0]) and math.isnan(out[1])  # before the first goal: nothing to score
    assert out[2] == 0.5
    assert out[3] == out[4] == 0.5  # carried
    assert out[5] == pytest.approx(0.5 * m + (1 - m))


def test_unfinished_week_can_lift_momentum_but_not_lower_it():
    assert M.smooth([1.0, 0.2], in_progress_last=True)[-1] == 1.0
    lifted = M.smooth([0.4, 1.0], in_progress_last=True)[-1]
    assert lifted == pytest.approx(0.4 * m + (1 - m))
    assert M.smooth([1.0, 0.2], in_progress_last=False)[-1] == pytest.approx(m + 0.2 * (1 - m))


# -- streak ------------------------------------------------------------------------------------
MET, MISSED, NONE, OPEN = M.STATUS_MET, M.STATUS_MISSED, M.STATUS_NO_GOALS, M.STATUS_IN_PROGRESS


@pytest.mark.parametrize(
    "statuses, expected",
    [
        ([MET, MET, MET], [1, 2, 3]),
        ([MET, MET, MISSED, MET], [1, 2, 2, 3]),  # one missed week is forgiven
        ([MET, MET, MISSED, MISSED, MET], [1, 2, 2, 0, 1]),  # two in a row end the streak
        ([MET, MISSED, MET, MISSED, MET], [1, 1, 2, 2, 3]),  # alternating misses never break it
        ([NONE, NONE, MET, NONE, MET], [0, 0, 1, 1, 2]),  # weeks without goals pause it
        ([MET, MISSED, NONE, MISSED], [1, 1, 1, 0]),  # misses either side of a pause are consecutive
        ([MET, MET, OPEN], [1, 2, 2]),  # the unfinished week isn't a miss
        ([], []),
    ],
)
def test_streak(statuses, expected):
    assert M.streaks(statuses) == expected


def test_week_status():
    assert M.week_status(0.8) == MET
    assert M.week_status(0.79) == MISSED
    assert M.week_status(0.5, in_progress=True) == OPEN
    assert M.week_status(1.0, in_progress=True) == MET
    assert M.week_status(float("nan")) == NONE


# -- the weekly frame ------------------------------------------------------------------------------
def comps(rows):
    return [{"week": week, "completion": completion} for week, completion in rows]


def test_frame_with_goals_added_mid_search_and_a_missed_week():
    weeks = [weeks_ago(i) for i in range(5, -1, -1)]  # six weeks, oldest first
    rows = M.momentum_rows(
        comps(
            [
                (weeks[2], 1.0),
                (weeks[2], 0.5),  # goals start in the third week: 75%
                (weeks[3], 1.0),
                (weeks[3], 1.0),  # met
                (weeks[4], 0.0),
                (weeks[4], 0.2),  # missed
                (weeks[5], 1.0),  # this week, already met
            ]
        ),
        weeks,
        current_week=THIS_WEEK,
    )
    frame = pd.DataFrame(rows, columns=M.MOMENTUM_COLUMNS)  # columns, to read the records by key
    assert all(list(r) == M.MOMENTUM_COLUMNS for r in rows)
    assert frame["week"].tolist() == weeks
    assert frame["completion"].iloc[:2].isna().all() and frame["momentum"].iloc[:2].isna().all()
    assert frame["status"].tolist() == [NONE, NONE, MISSED, MET, MISSED, MET]
    assert frame["goals"].tolist() == [0, 0, 2, 2, 2, 1]
    expected = [0.75, 0.75 * m + (1 - m)]
    expected.append(expected[-1] * m + 0.1 * (1 - m))
    expected.append(expected[-1] * m + 1.0 * (1 - m))
    assert frame["momentum"].iloc[2:].tolist() == pytest.approx(expected)
    assert frame["streak"].tolist() == [0, 0, 0, 1, 1, 2]
    assert frame["met"].tolist() == [False, False, False, True, False, True]
    assert frame["in_progress"].tolist() == [False] * 5 + [True]


def test_frame_of_no_weeks_is_empty_with_columns():
    assert M.momentum_rows(comps([]), []) == []
    frame = M.weekly_momentum(_NoSearch())
    assert frame.empty and list(frame.columns) == M.MOMENTUM_COLUMNS


class _NoGoals:
    def momentum_start(self):
        return None


class _NoSearch:
    """A store with nothing logged yet (its goals repository has no first week)."""

    goals = _NoGoals()


# -- burnout --------------------------------------------------------------------------------------
def pressure(rows):
    return [dict(zip(["week", "applications", "replies"], row)) for row in rows]


def test_burnout_after_three_heavy_weeks_without_replies():
    heavy = pressure([(weeks_ago(2), 18, 0), (weeks_ago(1), 20, 0), (weeks_ago(0), 16, 0)])
    assert M.burnout_warning(heavy, TODAY)
    # …or the three weeks ending last week (this week has only just started)
    early = pressure([(weeks_ago(3), 18, 0), (weeks_ago(2), 20, 0), (weeks_ago(1), 16, 0), (weeks_ago(0), 2, 0)])
    assert M.burnout_warning(early, TODAY)


@pytest.mark.parametrize(
    "rows",
    [
        [(weeks_ago(2), 18, 0), (weeks_ago(1), 20, 1), (weeks_ago(0), 16, 0)],  # someone replied
        [(weeks_ago(2), 15, 0), (weeks_ago(1), 20, 0), (weeks_ago(0), 16, 0)],  # 15 is not more than 15
        [(weeks_ago(1), 30, 0), (weeks_ago(0), 30, 0)],  # only two weeks
        [],
    ],
)
def test_no_burnout_warning(rows):
    assert not M.burnout_warning(pressure(rows), TODAY)


# -- against a real store ----------------------------------------------------------------------------
def test_weekly_momentum_and_components_from_the_store(store):
    store.goals.add(weeks_ago(1), "applications", 2)
    store.goals.add(weeks_ago(1), "skills_hours", 2)
    store.goals.add(THIS_WEEK, "applications", 4)
    store.applications.add("Acme", "Analyst", "job board", weeks_ago(1) + dt.timedelta(days=2), today=TODAY)
    store.applications.add("Beta", "Analyst", "referral", weeks_ago(1) + dt.timedelta(days=3), today=TODAY)
    store.activities.add(weeks_ago(1), "course", "SQL", 60, today=TODAY)
    store.applications.add("Gamma", "Analyst", "job board", TODAY, today=TODAY)

    comp = M.goal_components(store, today=TODAY)
    assert list(comp.columns) == M.COMPONENT_COLUMNS
    assert comp[["metric", "done", "target"]].values.tolist() == [
        ["applications", 2.0, 2.0],
        ["skills_hours", 1.0, 2.0],
        ["applications", 1.0, 4.0],
    ]
    assert comp["completion"].tolist() == pytest.approx([1.0, 0.5, 0.25])
    assert comp["label"].tolist() == ["Applications", "Skills hours", "Applications"]
    assert len(M.goal_components(store, weeks=1, today=TODAY)) == 1

    frame = M.weekly_momentum(store, today=TODAY)
    assert frame["week"].tolist() == [pd.Timestamp(weeks_ago(1)), pd.Timestamp(THIS_WEEK)]
    assert frame["completion"].tolist() == pytest.approx([0.75, 0.25])
    assert frame["status"].tolist() == [MISSED, OPEN]
    assert frame["momentum"].tolist() == pytest.approx([0.75, 0.75])  # this week can't lower it yet
    assert len(M.weekly_momentum(store, weeks=1, today=TODAY)) == 1
    summary = M.summary(frame)
    assert summary["momentum"] == pytest.approx(0.75) and summary["streak"] == 0

    # The same figures as plain records, with plain dates: what Today uses, without pandas.
    rows = M.weekly_momentum_rows(store, today=TODAY)
    assert [r["week"] for r in rows] == [weeks_ago(1), THIS_WEEK]
    assert [r["status"] for r in rows] == [MISSED, OPEN] and M.summary(rows) == summary
    assert M.weekly_momentum_rows(store, weeks=1, today=TODAY) == rows[-1:]
    comp_rows = M.goal_component_rows(store, today=TODAY)
    assert [(c["week"], c["completion"]) for c in comp_rows] == [
        (weeks_ago(1), 1.0),
        (weeks_ago(1), 0.5),
        (THIS_WEEK, 0.25),
    ]


def test_empty_store_gives_empty_frames_not_errors(store):
    assert M.weekly_momentum_rows(store, today=TODAY) == [] and M.goal_component_rows(store, today=TODAY) == []
    assert M.weekly_momentum(store, today=TODAY).empty
    assert M.goal_components(store, today=TODAY).empty
    assert M.summary(M.weekly_momentum(store, today=TODAY))["momentum"] is None


def test_applications_without_goals_give_weeks_with_no_score(store):
    store.applications.add("Acme", "Analyst", "job board", weeks_ago(2), today=TODAY)
    frame = M.weekly_momentum(store, today=TODAY)
    assert len(frame) == 3
    assert frame["momentum"].isna().all() and (frame["status"] == NONE).all() and (frame["streak"] == 0).all()


def test_momentum_is_per_user(db):
    mine, theirs = Store(db, "me"), Store(db, "them")
    mine.goals.add(THIS_WEEK, "applications", 1)
    mine.applications.add("Acme", "Analyst", "job board", TODAY, today=TODAY)
    theirs.goals.add(THIS_WEEK, "applications", 1)
    assert M.weekly_momentum(mine, today=TODAY)["completion"].tolist() == [1.0]
    assert M.weekly_momentum(theirs, today=TODAY)["completion"].tolist() == [0.0]


def test_stats_extension_is_json_and_fills_weeks(store):
    from rebound.insights.summary import stats

    store.goals.add(THIS_WEEK, "applications", 2)
    store.applications.add("Acme", "Analyst", "job board", TODAY, today=TODAY)
    result = {"weeks": [{"week": THIS_WEEK.isoformat(), "applications": 1}]}
    M.stats_extension(store, result, today=TODAY)
    json.dumps(result, allow_nan=False)
    week = result["weeks"][0]
    assert week["completion"] == 0.5 and week["goals"][0]["target"] == 2 and week["momentum"] == 0.5
    assert result["momentum"]["current"] == 0.5 and result["momentum"]["weeks"][-1]["status"] == OPEN
    full = stats(store)
    json.dumps(full, default=str, allow_nan=False)
    assert "momentum" in full


def test_content_loads():
    assert set(M.metrics()) >= {
        "applications",
        "networking",
        "informational_interviews",
        "skills_hours",
        "mock_interviews",
        "self_care",
        "custom",
    }
    assert len(M.interview_questions()["common"]) >= 10 and len(M.interview_questions()["to_ask"]) >= 5
    assert M.reframe_of_the_day(TODAY) == M.reframe_of_the_day(TODAY)
    assert M.reframe_of_the_day(TODAY) != M.reframe_of_the_day(TODAY + dt.timedelta(days=1))
