"""What the Today page shows, gathered from every area of the store (no Streamlit, no pandas).

Each nudge is a suggestion only: nothing is changed until the user acts on it. Everything
here works on plain records, so the first page a visitor opens starts without loading
pandas (a cold start's largest single cost).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from rebound import momentum, vega, wellbeing

if TYPE_CHECKING:
    from rebound.store import Store


@dataclass(frozen=True)
class TodayNudge:
    area: str  # outcomes, feedback, actions, wellbeing, contacts
    icon: str
    message: str
    page: str  # where to act on it: a page's key (rebound.ui.nav.Destination)
    action: str | None = None  # "settle_quiet": one button marks every long-quiet application as ghosted
    count: int = 1  # how many nudges of one kind this line stands for


# More nudges than this of one kind become one line: an imported history can hold hundreds of
# "no answer … mark as ghosted?" questions, and a list that long buries the person it should help.
GROUP_ABOVE = 3
T = TypeVar("T")


def _overdue(due: dt.date, today: dt.date) -> str:
    days = (today - due).days
    return "today" if days <= 0 else "1 day overdue" if days == 1 else f"{days} days overdue"


def _oldest(items: list[dict], today: dt.date) -> str:
    days = (today - min(a["due_on"] for a in items)).days
    return "" if days <= 0 else f", the oldest {_overdue(today - dt.timedelta(days=days), today)}"


def _plural(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def _one_or_grouped(
    items: list[T], single: Callable[[T], TodayNudge], grouped: Callable[[list[T]], TodayNudge]
) -> list[TodayNudge]:
    """One nudge per item, or a single line for them all when there are more than GROUP_ABOVE."""
    if len(items) > GROUP_ABOVE:
        return [grouped(items)]
    return [single(item) for item in items]


def nudges(store: Store, today: dt.date | None = None) -> list[TodayNudge]:
    """Today's nudges from every area, most pressing areas first; many of one kind as one line."""
    today = today or dt.date.today()
    out: list[TodayNudge] = []

    # Feeling: a recent rejection with nobody to talk to comes first.
    since = today - dt.timedelta(days=wellbeing.SOCIAL_WINDOW_DAYS)
    rejections = [(r[0], r[1]) for r in store.applications.recent_rejections(since)]
    found = wellbeing.isolation_nudge(rejections, store.coping.social_days(since), today)
    if found is not None:
        out.append(TodayNudge("wellbeing", "🫂", found.message, "checkin"))

    outcomes = store.applications.nudges(today)
    ghost_after = store.settings.get_int("ghost_after_days")
    follow_after = store.settings.get_int("follow_up_after_days")
    out += _one_or_grouped(
        [n for n in outcomes if n.kind == "ghost"],
        lambda n: TodayNudge("outcomes", "👻", n.message, "outcomes"),
        lambda ns: TodayNudge(
            "outcomes",
            "👻",
            f"{_plural(len(ns), 'application has', 'applications have')} had no answer for "
            f"{ghost_after} days or more — mark them as ghosted? Any of them can be reopened later.",
            "outcomes",
            action="settle_quiet",
            count=len(ns),
        ),
    )
    out += _one_or_grouped(
        [n for n in outcomes if n.kind != "ghost"],
        lambda n: TodayNudge("outcomes", "⏰", n.message, "outcomes"),
        lambda ns: TodayNudge(
            "outcomes",
            "⏰",
            f"{_plural(len(ns), 'application has', 'applications have')} been quiet for "
            f"{follow_after} days or more: a short follow-up on the ones you care about most?",
            "outcomes",
            count=len(ns),
        ),
    )
    out += _one_or_grouped(
        list(store.feedback_requests.nudges(today)),
        lambda n: TodayNudge("feedback", getattr(n, "icon", "✉️"), n.message, "feedback"),
        lambda ns: TodayNudge(
            "feedback",
            "✉️",
            _plural(len(ns), "feedback request is", "feedback requests are") + " waiting for a next step.",
            "feedback",
            count=len(ns),
        ),
    )
    out += _one_or_grouped(
        list(store.actions.due(today)),  # undated items are never nagged about
        lambda a: TodayNudge(
            "actions", "✅", f"Action item due ({_overdue(a['due_on'], today)}): {a['title']}", "feedback"
        ),
        lambda items: TodayNudge(
            "actions",
            "✅",
            f"{_plural(len(items), 'action item is', 'action items are')} due{_oldest(items, today)}.",
            "feedback",
            count=len(items),
        ),
    )
    out += _one_or_grouped(
        list(store.contacts.nudges(today)),
        _contact_nudge,
        lambda cs: TodayNudge(
            "contacts", "🤝", f"{_plural(len(cs), 'person is', 'people are')} due a follow-up.", "goals", count=len(cs)
        ),
    )
    return out


def _contact_nudge(c: dict) -> TodayNudge:
    where = f" ({c['company']})" if c["company"] else ""
    overdue = int(c["days_overdue"])
    when = "due today" if overdue <= 0 else f"was due {overdue} day{'s' if overdue != 1 else ''} ago"
    return TodayNudge("contacts", "🤝", f"Follow up with {c['name']}{where}: {when}.", "goals")


def points_delta(change: float | None) -> str | None:
    """Momentum's change as a metric delta in points; None (no arrow) when it rounds to no change."""
    if change is None or math.isnan(change):
        return None
    points = round(change * 100)
    return None if points == 0 else f"{points:+d} pts"


def burnout(store: Store, today: dt.date | None = None) -> bool:
    """More than 15 applications a week for 3 weeks with no replies at all."""
    today = today or dt.date.today()
    this_week = momentum.week_of(today)
    start = this_week - dt.timedelta(weeks=momentum.BURNOUT_WEEKS)
    return momentum.burnout_warning(store.goals.weekly_pressure(start, this_week), today)


def week_progress(store: Store, today: dt.date | None = None) -> list[dict]:
    """This week's goals as records with label, done, target, unit and completion (empty when none are set)."""
    return momentum.goal_component_rows(store, weeks=1, today=today or dt.date.today())


TREND_WEEKS = 12


def momentum_view(store: Store, today: dt.date | None = None) -> tuple[dict, dict | None]:
    """This week's momentum summary and the last TREND_WEEKS weeks as a Vega-Lite spec (None
    before any week has goals to draw): both from one momentum computation."""
    weekly = momentum.weekly_momentum_rows(store, None, today)
    recent = weekly[-TREND_WEEKS:]
    drawable = any(not math.isnan(r["momentum"]) for r in recent)  # NaN until the first week with goals
    return momentum.summary(weekly), vega.momentum_trend(recent) if drawable else None
