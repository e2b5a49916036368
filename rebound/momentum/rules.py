"""Weekly momentum: goal completion, a smoothed score and a forgiving streak (no Streamlit, no SQL).

Explainable on purpose. Each ISO week (Monday-dated):

* each goal's completion is ``min(1, done / target)``;
* the week's completion is the mean over its goals (NaN when the week has no goals);
* momentum follows Loop Habit Tracker's score, ``score = prev * m + week * (1 - m)``,
  so one bad week dents it instead of zeroing it;
* a week is *met* when its completion reaches ``MET_AT``; the streak counts met weeks
  and forgives a single missed week — two missed weeks in a row end it.

The work is plain Python over records (`weekly_momentum_rows`, `goal_component_rows`), so the
first page a visitor opens (Today) never loads pandas; `weekly_momentum` and `goal_components`
wrap the same records as frames for the Goals and Progress pages.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING, Protocol, SupportsFloat, cast

from rebound import content
from rebound.dates import week_of

if TYPE_CHECKING:
    from collections.abc import Iterable

    import pandas as pd


class GoalReads(Protocol):
    """What these rules read from the goals repository (rebound.momentum.goals.GoalsRepository)."""

    def progress(self, start: dt.date | None = None, end: dt.date | None = None) -> list[dict]: ...
    def momentum_start(self) -> dt.date | None: ...
    def momentum_counts(self) -> dict: ...


class HasGoals(Protocol):
    """A store with goals (rebound.store.Store): the rules never see the rest of it."""

    @property
    def goals(self) -> GoalReads: ...


# Loop's smoothing is m = 0.5 ** (sqrt(f) / 13), applied once per day, with f the habit's
# frequency in repetitions per day. Our goals are a once-a-week habit (f = 1/7 per day) but
# we update once per *week*: seven daily steps compose to m_week = 0.5 ** (7 * sqrt(1/7) / 13)
# = 0.5 ** (sqrt(7) / 13). So f = 7 (days per update) reproduces Loop's weekly-habit score:
# m ≈ 0.868, a half-life of 13 / sqrt(7) ≈ 4.9 weeks. One empty week after a run of full
# weeks takes momentum from 100% to ~87% — a dent, not a reset — and about a month of good
# weeks wins back half of what a long break cost.
# The number ranges of the momentum tables: the forms refuse values outside them and backup_checks
# reads them (a restore accepts what the forms accept).
ACTIVITY_MINUTES = (0, 24 * 60)  # one entry is at most a day
CONFIDENCE = (1, 5)  # an interview practice's confidence
GOAL_TARGET = (1, 1_000)  # a weekly target
GOAL_DONE = (0, 100_000)  # a hand-ticked goal's count
LIMITS = {
    ("activities", "minutes"): ACTIVITY_MINUTES,
    ("activities", "confidence"): CONFIDENCE,
    ("goals", "target"): GOAL_TARGET,
    ("goals", "done_count"): GOAL_DONE,
}

FREQUENCY = 7
SMOOTHING = 0.5 ** (math.sqrt(FREQUENCY) / 13)

# A week counts as met when, on average, 80% of its targets were reached: goals are meant to
# be realistic, and "nearly everything" is a good week. Shown to the user beside the streak.
MET_AT = 0.8

# Burnout: more than 15 applications a week for 3 weeks running with no replies at all.
BURNOUT_APPLICATIONS = 15
BURNOUT_WEEKS = 3

STATUS_MET, STATUS_MISSED, STATUS_NO_GOALS, STATUS_IN_PROGRESS = "met", "missed", "no goals", "in progress"

MOMENTUM_COLUMNS = ["week", "goals", "completion", "momentum", "change", "met", "status", "streak", "in_progress"]
COMPONENT_COLUMNS = ["week", "goal_id", "metric", "label", "target", "done", "completion", "unit"]


def metrics() -> dict[str, dict]:
    """Goal metrics by key, in file order (applications, networking, …, custom)."""
    return {m["key"]: m for m in content.load("goal_metrics.toml")["metric"]}


def activity_kinds() -> dict[str, dict]:
    return {k["key"]: k for k in content.load("goal_metrics.toml")["activity_kind"]}


def win_kinds() -> dict[str, str]:
    return dict(content.load("goal_metrics.toml")["win_kinds"])


def metric_label(metric: str, label: str | None = None) -> str:
    if label:
        return label
    return metrics().get(metric, {}).get("label", metric)


def is_learning(metric: str) -> bool:
    """A learning goal ("practise answering salary questions"): no number, done or not yet."""
    return metrics().get(metric, {}).get("measure") == "done"


def is_hand_ticked(metric: str) -> bool:
    """A goal ticked by hand (a custom or learning goal), not counted from the logs."""
    return metric in metrics() and metrics()[metric].get("source", "custom") == "custom"


def goal_progress_text(done: object, target: object, metric: str) -> str:
    """How far a goal is, in words: "2 of 5 applications", "0 of 1 application", "1.5 of 3 hours".

    The unit agrees with the target (goal_metrics.toml's `unit_one` for a target of 1); a metric
    with no singular (a goal ticked by hand, counted in "times") shows "0 of 1" alone.
    The one place this label is made (Today and Goals both show it).
    """
    d, t = _number(cast("SupportsFloat | None", done)), _number(cast("SupportsFloat | None", target))
    if is_learning(metric):
        return "done" if d >= 1 else "not yet"
    shown_done = "0" if math.isnan(d) else (f"{d:g}" if d == int(d) else f"{d:.1f}")
    shown_target = "?" if math.isnan(t) else f"{t:g}"
    info = metrics().get(metric, {})
    unit = str(info.get("unit_one", info.get("unit", ""))) if t == 1 else str(info.get("unit", ""))
    return f"{shown_done} of {shown_target}" + (f" {unit}" if unit else "")


def interview_questions() -> dict:
    """{"common": [{"category", "question", "tip"}], "to_ask": [{"category", "question"}]}."""
    data = content.load("interview_questions.toml")
    return {"common": list(data.get("common", [])), "to_ask": list(data.get("to_ask", []))}


def reframes() -> list[dict]:
    return list(content.load("reframes.toml")["reframe"])


def reframe_of_the_day(day: dt.date) -> dict:
    """The same reframe all day, a different one tomorrow (cycles through the list)."""
    items = reframes()
    return items[day.toordinal() % len(items)]


# -- arithmetic ---------------------------------------------------------------------------
def _is_nan(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def completion(done: object, target: object) -> float:
    """min(1, done / target); NaN for a missing or non-positive target (never a division by zero)."""
    try:  # anything float() refuses (None, text) is caught: the casts only name what gets through
        done, target = float(cast("str | float", done)), float(cast("str | float", target))
    except (TypeError, ValueError):
        return math.nan
    if math.isnan(target) or target <= 0 or math.isnan(done):
        return math.nan
    if math.isinf(target):
        return 0.0
    return min(1.0, max(0.0, done) / target)


def week_completion(completions: Iterable[float]) -> float:
    """Mean completion of a week's goals, ignoring unusable ones; NaN when there are none."""
    values = [float(c) for c in completions if not _is_nan(c)]
    return sum(values) / len(values) if values else math.nan


def smooth(weekly: list[float], in_progress_last: bool = False, m: float = SMOOTHING) -> list[float]:
    """Momentum for each week from its completion.

    - starts at the first week that has goals (earlier weeks: NaN, there is nothing to score);
    - a week with no goals (NaN) carries the score unchanged;
    - an unfinished current week (`in_progress_last`) can lift momentum but not lower it:
      it counts fully once the week is over.
    """
    out: list[float] = []
    prev = math.nan
    last = len(weekly) - 1
    for i, c in enumerate(weekly):
        if _is_nan(c):
            out.append(prev)
            continue
        c = min(1.0, max(0.0, float(c)))
        score = c if math.isnan(prev) else prev * m + c * (1 - m)
        if i == last and in_progress_last and not math.isnan(prev):
            score = max(prev, score)
        out.append(score)
        prev = score
    return out


def week_status(c: float, in_progress: bool = False, met_at: float = MET_AT) -> str:
    if _is_nan(c):
        return STATUS_NO_GOALS
    if c >= met_at - 1e-9:
        return STATUS_MET
    return STATUS_IN_PROGRESS if in_progress else STATUS_MISSED


def streaks(statuses: list[str]) -> list[int]:
    """Met weeks in the current run, week by week.

    A met week adds one; a single missed week is forgiven (the streak holds); a second missed
    week in a row ends it. Weeks with no goals and the unfinished current week pause it.
    """
    out: list[int] = []
    streak, misses = 0, 0
    for status in statuses:
        if status == STATUS_MET:
            streak, misses = streak + 1, 0
        elif status == STATUS_MISSED:
            misses += 1
            if misses >= 2:
                streak = 0
        out.append(streak)
    return out


def momentum_rows(components: list[dict], weeks: list[dt.date], current_week: dt.date | None = None) -> list[dict]:
    """The weekly momentum records (MOMENTUM_COLUMNS; week a date) from goal components over
    the given (consecutive) weeks."""
    weeks = sorted({week_of(_as_date(w)) for w in weeks})
    by_week: dict[dt.date, list[float]] = {w: [] for w in weeks}
    for row in components:
        w = week_of(_as_date(row["week"]))
        if w in by_week:
            by_week[w].append(row["completion"])
    weekly = [week_completion(by_week[w]) for w in weeks]
    goals = [sum(1 for c in by_week[w] if not _is_nan(c)) for w in weeks]
    in_progress = [current_week is not None and w == current_week for w in weeks]
    momentum = smooth(weekly, in_progress_last=bool(in_progress) and in_progress[-1])
    statuses = [week_status(c, p) for c, p in zip(weekly, in_progress)]
    change = [math.nan] + [
        b - a if not (_is_nan(a) or _is_nan(b)) else math.nan for a, b in zip(momentum, momentum[1:])
    ]
    met = [s == STATUS_MET for s in statuses]
    columns = zip(weeks, goals, weekly, momentum, change, met, statuses, streaks(statuses), in_progress)
    return [dict(zip(MOMENTUM_COLUMNS, values)) for values in columns]


def burnout_warning(
    pressure: list[dict], today: dt.date, limit: int = BURNOUT_APPLICATIONS, run: int = BURNOUT_WEEKS
) -> bool:
    """True when, in the `run` weeks ending this week or last week, every week had more than
    `limit` applications and no employer replied at all (pressure: records of week, applications, replies)."""
    if not pressure:
        return False
    rows = {week_of(_as_date(r["week"])): (int(r["applications"]), int(r["replies"])) for r in pressure}
    this_week = week_of(today)
    for end in (this_week, this_week - dt.timedelta(weeks=1)):
        window = [end - dt.timedelta(weeks=i) for i in range(run)]
        if all(rows.get(w, (0, 0))[0] > limit and rows.get(w, (0, 0))[1] == 0 for w in window):
            return True
    return False


# -- from the store ---------------------------------------------------------------------
def goal_component_rows(store: HasGoals, weeks: int | None = None, today: dt.date | None = None) -> list[dict]:
    """One record per goal per week: COMPONENT_COLUMNS, week a date.

    `weeks`: only the last N weeks up to this week (all weeks when None).
    """
    today = today or dt.date.today()
    end = week_of(today)
    start = None if not weeks else end - dt.timedelta(weeks=max(1, int(weeks)) - 1)
    return _components(store.goals.progress(start=start, end=end))


def goal_components(store: HasGoals, weeks: int | None = None, today: dt.date | None = None) -> pd.DataFrame:
    """`goal_component_rows` as a frame (week as datetime64)."""
    return _frame(goal_component_rows(store, weeks, today), COMPONENT_COLUMNS)


def _number(value: SupportsFloat | None) -> float:
    return math.nan if value is None else float(value)


def _components(raw: list[dict]) -> list[dict]:
    known = metrics()
    out = []
    for r in raw:
        done, target = _number(r["done"]), _number(r["target"])
        label = metric_label(r["metric"], r["label"] if isinstance(r["label"], str) else None)
        out.append(
            {
                "week": _as_date(r["week"]),
                "goal_id": r["goal_id"],
                "metric": r["metric"],
                "label": label,
                "target": target,
                "done": done,
                "completion": completion(done, target),
                "unit": known.get(r["metric"], {}).get("unit", ""),
                "progress": goal_progress_text(done, target, r["metric"]),
            }
        )
    return out


def weekly_momentum_rows(store: HasGoals, weeks: int | None = None, today: dt.date | None = None) -> list[dict]:
    """One record per ISO week (week = Monday) from the start of the search to this week.

    Keys: week, goals (count), completion (0..1, NaN without goals), momentum (0..1, NaN
    before the first goal), change (vs last week), met, status (met / missed / no goals /
    in progress), streak, in_progress. `weeks`: only the last N (smoothing still uses the
    whole history).
    """
    today = today or dt.date.today()
    end = week_of(today)
    start = store.goals.momentum_start()
    if start is None:
        return []
    start = min(week_of(_as_date(start)), end)
    span = [start + dt.timedelta(weeks=i) for i in range((end - start).days // 7 + 1)]
    rows = momentum_rows(_components(store.goals.progress(start=start, end=end)), span, current_week=end)
    return rows[-max(1, int(weeks)) :] if weeks else rows


def weekly_momentum(store: HasGoals, weeks: int | None = None, today: dt.date | None = None) -> pd.DataFrame:
    """`weekly_momentum_rows` as a frame (week as datetime64)."""
    return _frame(weekly_momentum_rows(store, weeks, today), MOMENTUM_COLUMNS)


def summary(rows: pd.DataFrame | list[dict] | None) -> dict:
    """The latest momentum, its change since last week, the streak and this week's completion,
    from momentum records (or the frame of them)."""
    if rows is None or len(rows) == 0:
        return {"momentum": None, "change": None, "streak": 0, "completion": None, "status": STATUS_NO_GOALS}
    last = rows.iloc[-1] if hasattr(rows, "iloc") else rows[-1]

    def num(x: SupportsFloat | None) -> float | None:
        return None if x is None or _is_nan(x) else float(x)

    return {
        "momentum": num(last["momentum"]),
        "change": num(last["change"]),
        "streak": int(last["streak"]),
        "completion": num(last["completion"]),
        "status": str(last["status"]),
    }


def _as_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):  # pandas' Timestamp is a datetime
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    import pandas as pd

    if not rows:
        return pd.DataFrame({c: pd.Series(dtype="datetime64[ns]" if c == "week" else "object") for c in columns})
    frame = pd.DataFrame(rows, columns=columns)
    frame["week"] = pd.to_datetime(frame["week"])
    return frame


# -- `rebound stats --json` --------------------------------------------------------------
def _json_num(x: SupportsFloat | None, digits: int = 4) -> float | None:
    return None if x is None or _is_nan(x) else round(float(x), digits)


def stats_extension(store: HasGoals, result: dict, today: dt.date | None = None) -> None:
    """Adds per-week goals, completion and momentum to result["weeks"] and a result["momentum"] summary."""
    rows = weekly_momentum_rows(store, today=today)
    goals_by_week: dict[str, list] = {}
    for c in goal_component_rows(store, today=today):
        goals_by_week.setdefault(c["week"].isoformat(), []).append(
            {
                "metric": c["metric"],
                "label": c["label"],
                "target": int(c["target"]),
                "done": _json_num(c["done"], 2),
                "completion": _json_num(c["completion"]),
            }
        )
    series = []
    for row in rows:
        week = row["week"].isoformat()
        series.append(
            {
                "week": week,
                "goals": goals_by_week.get(week, []),
                "completion": _json_num(row["completion"]),
                "momentum": _json_num(row["momentum"]),
                "met": bool(row["met"]),
                "status": row["status"],
                "streak": int(row["streak"]),
            }
        )
    by_week = {s["week"]: s for s in series}
    for entry in result.get("weeks", []):
        found = by_week.get(str(entry.get("week")))
        if found:
            entry.update(
                {
                    "goals": found["goals"],
                    "completion": found["completion"],
                    "momentum": found["momentum"],
                    "goals_met": found["met"],
                    "streak": found["streak"],
                }
            )
    latest = summary(rows)
    result["momentum"] = {
        "current": _json_num(latest["momentum"]),
        "change": _json_num(latest["change"]),
        "streak": latest["streak"],
        "this_week_completion": _json_num(latest["completion"]),
        "weeks_met": sum(bool(r["met"]) for r in rows),
        "weeks_with_goals": sum(r["goals"] > 0 for r in rows),
        "smoothing": round(SMOOTHING, 4),
        "met_at": MET_AT,
        "weeks": series,
    }
    result.update(store.goals.momentum_counts())
