"""What the Today page shows, gathered from every area of the store (no Streamlit).

Each nudge is a suggestion only: nothing is changed until the user acts on it.
Areas built by other parts of the app are used when present (feature-detected), so
Today keeps working while any of them is missing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from rebound import momentum


@dataclass(frozen=True)
class TodayNudge:
    area: str        # outcomes, feedback, actions, wellbeing, contacts
    icon: str
    message: str
    page: str        # where to act on it


def _message(item) -> str | None:
    for attr in ("message", "text", "title"):
        value = getattr(item, attr, None)
        if isinstance(value, str) and value.strip():
            return value
        if isinstance(item, dict) and isinstance(item.get(attr), str) and item[attr].strip():
            return item[attr]
    return item if isinstance(item, str) and item.strip() else None


def _items(result) -> list:
    if result is None:
        return []
    if isinstance(result, pd.DataFrame):
        return [row._asdict() for row in result.itertuples(index=False)]
    return list(result)


def _due_actions(actions, today: dt.date) -> list[str]:
    """Open action items that are due (or overdue); undated ones are not nagged about."""
    out = []
    for item in _items(actions):
        row = item if isinstance(item, dict) else getattr(item, "__dict__", {})
        title = row.get("title") or _message(item)
        due = row.get("due_on")
        if isinstance(due, (pd.Timestamp, dt.datetime)):
            due = due.date()
        done = row.get("done_on")
        if not title or not (done is None or pd.isna(done)):
            continue
        if isinstance(due, dt.date) and due <= today:
            when = "today" if due == today else f"{(today - due).days} days overdue" if (today - due).days > 1 \
                else "1 day overdue"
            out.append(f"Action item due ({when}): {title}")
    return out


def nudges(store, today: dt.date | None = None, limit_per_area: int = 4) -> list[TodayNudge]:
    """Today's nudges from every area, most pressing areas first."""
    today = today or dt.date.today()
    out: list[TodayNudge] = []

    # Feeling: a recent rejection with nobody to talk to comes first.
    try:
        from rebound import wellbeing
    except ImportError:  # the wellbeing area is optional
        wellbeing = None
    if wellbeing is not None and hasattr(wellbeing, "isolation_nudge") and hasattr(store, "recent_rejections") \
            and hasattr(store, "social_days"):
        window = getattr(wellbeing, "SOCIAL_WINDOW_DAYS", 7)
        since = today - dt.timedelta(days=window)
        rejections = [(r[0], r[1]) for r in store.recent_rejections(since)]
        found = wellbeing.isolation_nudge(rejections, store.social_days(since), today)
        if found is not None:
            out.append(TodayNudge("wellbeing", "🫂", found.message, "pages/checkin.py"))

    for n in store.nudges(today)[:limit_per_area]:
        out.append(TodayNudge("outcomes", "👻" if n.kind == "ghost" else "⏰", n.message, "pages/outcomes.py"))

    if hasattr(store, "feedback_nudges"):
        for item in _items(store.feedback_nudges(today))[:limit_per_area]:
            text = _message(item)
            if text:
                out.append(TodayNudge("feedback", "✉️", text, "pages/feedback.py"))
    if hasattr(store, "open_actions"):
        for text in _due_actions(store.open_actions(), today)[:limit_per_area]:
            out.append(TodayNudge("actions", "✅", text, "pages/feedback.py"))

    for row in store.contact_nudges(today).head(limit_per_area).itertuples(index=False):
        where = f" ({row.company})" if isinstance(row.company, str) and row.company else ""
        overdue = int(row.days_overdue)
        when = "due today" if overdue <= 0 else f"was due {overdue} day{'s' if overdue != 1 else ''} ago"
        out.append(TodayNudge("contacts", "🤝", f"Follow up with {row.name}{where}: {when}.",
                              "pages/goals.py"))
    return out


def burnout(store, today: dt.date | None = None) -> bool:
    """More than 15 applications a week for 3 weeks with no replies at all."""
    today = today or dt.date.today()
    this_week = momentum.week_of(today)
    start = this_week - dt.timedelta(weeks=momentum.BURNOUT_WEEKS)
    return momentum.burnout_warning(store.weekly_pressure(start, this_week), today)


def week_progress(store, today: dt.date | None = None) -> pd.DataFrame:
    """This week's goals with done, target and completion (empty when none are set)."""
    today = today or dt.date.today()
    return momentum.goal_components(store, weeks=1, today=today)


TREND_WEEKS = 12


def momentum_view(store, today: dt.date | None = None) -> tuple[dict, tuple | None]:
    """This week's momentum summary and the last TREND_WEEKS weeks as (data, Vega-Lite spec),
    or None for the chart before any week has goals: both from one momentum computation."""
    from rebound import charts

    frame = momentum.weekly_momentum(store, None, today)
    recent = frame.tail(TREND_WEEKS)
    trend = None if recent.empty or not recent["momentum"].notna().any() else charts.momentum_trend(recent)
    return momentum.summary(frame), trend
