"""What the Today page shows, gathered from every area of the store (no Streamlit, no pandas).

Each nudge is a suggestion only: nothing is changed until the user acts on it. Everything
here works on plain records, so the first page a visitor opens starts without loading
pandas (a cold start's largest single cost).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from rebound import momentum, vega, wellbeing


@dataclass(frozen=True)
class TodayNudge:
    area: str        # outcomes, feedback, actions, wellbeing, contacts
    icon: str
    message: str
    page: str        # where to act on it


def _overdue(due: dt.date, today: dt.date) -> str:
    days = (today - due).days
    return "today" if days <= 0 else "1 day overdue" if days == 1 else f"{days} days overdue"


def nudges(store, today: dt.date | None = None, limit_per_area: int = 4) -> list[TodayNudge]:
    """Today's nudges from every area, most pressing areas first."""
    today = today or dt.date.today()
    out: list[TodayNudge] = []

    # Feeling: a recent rejection with nobody to talk to comes first.
    since = today - dt.timedelta(days=wellbeing.SOCIAL_WINDOW_DAYS)
    rejections = [(r[0], r[1]) for r in store.recent_rejections(since)]
    found = wellbeing.isolation_nudge(rejections, store.social_days(since), today)
    if found is not None:
        out.append(TodayNudge("wellbeing", "🫂", found.message, "pages/checkin.py"))

    for n in store.nudges(today)[:limit_per_area]:
        out.append(TodayNudge("outcomes", "👻" if n.kind == "ghost" else "⏰", n.message, "pages/outcomes.py"))
    for n in store.feedback_nudges(today)[:limit_per_area]:
        out.append(TodayNudge("feedback", "✉️", n.message, "pages/feedback.py"))
    for a in store.due_actions(today)[:limit_per_area]:  # undated items are never nagged about
        out.append(TodayNudge("actions", "✅", f"Action item due ({_overdue(a['due_on'], today)}): {a['title']}",
                              "pages/feedback.py"))
    for c in store.contact_nudges(today)[:limit_per_area]:
        where = f" ({c['company']})" if c["company"] else ""
        overdue = int(c["days_overdue"])
        when = "due today" if overdue <= 0 else f"was due {overdue} day{'s' if overdue != 1 else ''} ago"
        out.append(TodayNudge("contacts", "🤝", f"Follow up with {c['name']}{where}: {when}.", "pages/goals.py"))
    return out


def burnout(store, today: dt.date | None = None) -> bool:
    """More than 15 applications a week for 3 weeks with no replies at all."""
    today = today or dt.date.today()
    this_week = momentum.week_of(today)
    start = this_week - dt.timedelta(weeks=momentum.BURNOUT_WEEKS)
    return momentum.burnout_warning(store.weekly_pressure(start, this_week), today)


def week_progress(store, today: dt.date | None = None) -> list[dict]:
    """This week's goals as records with label, done, target, unit and completion (empty when none are set)."""
    return momentum.goal_component_rows(store, weeks=1, today=today or dt.date.today())


TREND_WEEKS = 12


def momentum_view(store, today: dt.date | None = None) -> tuple[dict, dict | None]:
    """This week's momentum summary and the last TREND_WEEKS weeks as a Vega-Lite spec (None
    before any week has goals to draw): both from one momentum computation."""
    weekly = momentum.weekly_momentum_rows(store, None, today)
    recent = weekly[-TREND_WEEKS:]
    drawable = any(not math.isnan(r["momentum"]) for r in recent)  # NaN until the first week with goals
    return momentum.summary(weekly), vega.momentum_trend(recent) if drawable else None
