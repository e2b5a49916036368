"""When-and-where plans (store.plans): "Tuesday 10:00, at the library: send two applications".

A plan is what (free text), a day, an optional time and place, and what it belongs to: a weekly
goal (goal_id) or the small next step after a rejection (application_id, with the small goal the
step set). Specific plans of when and where, not reminders, are what raised applications and offers
(implementation intentions, van Hooft et al. 2005; a detailed weekly plan, Abel et al. 2019).

States: planned → done (done_at) or moved (to a new day, still to do; `moves` counts how often).
A plan counts in the weekly review in the week it was first meant for (`first_day`), so moving it
on never hides it. Checking off a plan of a goal ticked by hand (a custom or learning goal) counts
one on that goal in the same transaction; un-checking takes it back.

The rules (validation, the words of the review and of an overdue plan) are pure and sit above the
repository; the words themselves are content (rebound/content/plans.toml).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import TYPE_CHECKING, Any

from rebound import content
from rebound.dates import fmt_date, utcnow, week_of
from rebound.errors import ValidationError
from rebound.momentum.rules import GOAL_DONE, metrics
from rebound.repository import Repository

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rebound.repository import Run

PLANNED, DONE, MOVED = "planned", "done", "moved"
STATES = (PLANNED, DONE, MOVED)
MAX_WHAT = 300
MAX_PLACE = 120
AHEAD = dt.timedelta(days=366)  # a plan is for the coming year at most
COLUMNS = "id, what, day, at_time, place, goal_id, application_id, state, first_day, moves, done_at, version"


# -- rules (pure) -------------------------------------------------------------------------------
def words() -> dict[str, str]:
    return dict(content.load("plans.toml")["words"])


def shown_on_today() -> int:
    return int(content.load("plans.toml").get("shown_on_today", 5))


def clean_text(value: object, field: str, limit: int) -> str | None:
    """Free text as stored: control characters dropped (a newline becomes a space), invisible
    characters at either end trimmed; None when nothing visible is left. Too long is refused."""
    if value is None:
        return None
    text = "".join(
        " " if ch in "\r\n\t" else ch for ch in str(value) if ch in "\r\n\t" or unicodedata.category(ch) != "Cc"
    )
    visible = text.strip()
    while visible and (unicodedata.category(visible[0]) == "Cf" or unicodedata.category(visible[-1]) == "Cf"):
        visible = (visible[1:] if unicodedata.category(visible[0]) == "Cf" else visible[:-1]).strip()
    if not visible:
        return None
    if len(visible) > limit:
        raise ValidationError(f"{field} is too long ({len(visible):,} characters; at most {limit:,}).")
    return visible


def check_day(day: object, today: dt.date) -> dt.date:
    """A plan's day: today or within the next year. A day in the past is refused with a clear
    message (a plan is for what is still ahead; moving an overdue plan picks a new day)."""
    if isinstance(day, dt.datetime):
        day = day.date()
    if not isinstance(day, dt.date):
        raise ValidationError("Choose the day you will do it.")
    if day < today:
        raise ValidationError(words()["past_day"])
    if day > today + AHEAD:
        raise ValidationError(words()["far_day"])
    return day


def check_time(value: object) -> dt.time | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        value = value.time()
    if isinstance(value, str):
        try:
            value = dt.time.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError("Write the time as hours and minutes, for example 10:00.") from None
    if not isinstance(value, dt.time):
        raise ValidationError("Write the time as hours and minutes, for example 10:00.")
    return value.replace(second=0, microsecond=0, tzinfo=None)


def checked(what: object, day: object, at_time: object, place: object, today: dt.date) -> dict[str, Any]:
    """The plan's fields as stored, or ValidationError with what to change."""
    text = clean_text(what, "What you will do", MAX_WHAT)
    if not text:
        raise ValidationError(words()["what_missing"])
    return {
        "what": text,
        "day": check_day(day, today),
        "at_time": check_time(at_time),
        "place": clean_text(place, "The place", MAX_PLACE),
    }


def day_name(day: dt.date, today: dt.date) -> str:
    """'today', 'tomorrow', 'Monday' within the week either side, else '3 Nov 2026'."""
    delta = (day - today).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "tomorrow"
    if delta == -1:
        return "yesterday"
    if -6 <= delta <= 6:
        return f"{day:%A}"
    return fmt_date(day)


def when_where(plan: dict, today: dt.date) -> str:
    """'Tuesday 10:00, at the library' (plain text: the caller makes user text inert)."""
    when = day_name(plan["day"], today)
    when = when[:1].upper() + when[1:]
    if plan.get("at_time") is not None:
        when += f" {plan['at_time']:%H:%M}"
    if plan.get("place"):
        when += f", at {plan['place']}"
    return when


def overdue_note(plan: dict, today: dt.date) -> str | None:
    """For a plan still to do whose day has passed: 'from Monday — still want to do it?'."""
    if plan.get("state") == DONE or plan["day"] >= today:
        return None
    return words()["overdue"].format(day=day_name(plan["day"], today))


def split_shown(plans: Sequence[dict], limit: int | None = None) -> tuple[list[dict], int]:
    """The first `limit` plans to list and how many more there are ("and N more")."""
    limit = shown_on_today() if limit is None else limit
    return list(plans[:limit]), max(0, len(plans) - limit)


def review_lines(counts: dict[str, int]) -> list[str]:
    """The weekly review's comparison of planned and done, kindly: a summary ('4 of 6 plans done;
    2 moved to another day') and one sentence that never scolds."""
    phrases = content.load("plans.toml")["review"]
    planned, done = int(counts.get("planned", 0)), int(counts.get("done", 0))
    if planned == 0:
        return [phrases["none"]]
    parts = [phrases["summary"].format(done=done, planned=planned)]
    for key in ("moved", "open"):
        if counts.get(key):
            parts.append(phrases[key].format(n=counts[key]))
    summary = "; ".join(parts) + "."
    tone = phrases["all_done"] if done == planned else phrases["none_done"] if done == 0 else phrases["some_done"]
    return [summary, tone]


def _hand_ticked() -> dict[str, int]:
    """Goal metrics ticked by hand -> the most one plan's tick may count up to (1 for a learning goal)."""
    return {
        key: 1 if m.get("measure") == "done" else GOAL_DONE[1]
        for key, m in metrics().items()
        if m.get("source", "custom") == "custom"
    }


def insert_in(
    run: Run,
    fields: dict[str, Any],
    goal_id: int | None = None,
    application_id: int | None = None,
) -> int:
    """Inside the caller's write: one plan of `checked` fields (a goal and its plan land together)."""
    return run(
        "INSERT INTO plans (user_id, what, day, at_time, place, goal_id, application_id, first_day, created_at)"
        " VALUES ($user, $what, $day, $at_time, $place, $goal_id, $application_id, $day, $now) RETURNING id",
        {**fields, "goal_id": goal_id, "application_id": application_id, "now": utcnow()},
    ).fetchone()[0]


# -- repository ---------------------------------------------------------------------------------
class PlansRepository(Repository):
    def add(
        self,
        what: object,
        day: object,
        at_time: object = None,
        place: object = None,
        goal_id: int | None = None,
        application_id: int | None = None,
        today: dt.date | None = None,
    ) -> int:
        fields = checked(what, day, at_time, place, today or dt.date.today())
        with self._write() as run:
            if (
                goal_id is not None
                and not run(
                    "SELECT count(*) FROM goals WHERE user_id = $user AND id = $id", {"id": int(goal_id)}
                ).fetchone()[0]
            ):
                raise ValidationError("That goal no longer exists; nothing was saved.")
            return insert_in(run, fields, goal_id, application_id)

    def get(self, plan_id: int) -> dict | None:
        rows = self._records(f"SELECT {COLUMNS} FROM plans WHERE user_id = $user AND id = $id", {"id": int(plan_id)})
        return rows[0] if rows else None

    def for_today(self, today: dt.date) -> list[dict]:
        """Today's plans and earlier ones still to do, oldest day first, then by time (plans without
        a time after those with one); today's done ones last (they stay, to uncheck)."""
        return self._records(
            f"SELECT {COLUMNS} FROM plans WHERE user_id = $user"
            " AND (day = $today OR (day < $today AND state <> 'done'))"
            " ORDER BY state = 'done', day, at_time NULLS LAST, id",
            {"today": today},
        )

    def for_goals(self, goal_ids: Sequence[int]) -> list[dict]:
        """The plans of these goals, by day."""
        if not goal_ids:
            return []
        return self._records(
            f"SELECT {COLUMNS} FROM plans WHERE user_id = $user AND list_contains($ids, goal_id)"
            " ORDER BY day, at_time NULLS LAST, id",
            {"ids": [int(g) for g in goal_ids]},
        )

    def week_counts(self, week: dt.date) -> dict[str, int]:
        """Plans first meant for the week of `week`: how many, done, moved on (still to do), still open."""
        row = self._rows(
            "SELECT count(*), count(*) FILTER (state = 'done'), count(*) FILTER (state = 'moved'),"
            " count(*) FILTER (state = 'planned')"
            " FROM plans WHERE user_id = $user AND first_day BETWEEN $start AND $start + 6",
            {"start": week_of(week)},
        )[0]
        return {"planned": int(row[0]), "done": int(row[1]), "moved": int(row[2]), "open": int(row[3])}

    def update(
        self,
        plan_id: int,
        what: object,
        day: object,
        at_time: object = None,
        place: object = None,
        version: int | None = None,
        today: dt.date | None = None,
    ) -> int:
        """Edit the plan; with `version` (the one it was read at) only if nobody saved it since, else
        StaleEdit and nothing written. Returns the new version."""
        fields = checked(what, day, at_time, place, today or dt.date.today())
        with self._write() as run:
            return self._versioned_update(run, "plans", plan_id, version, fields, what="plan")

    def done(self, plan_id: int, version: int | None = None) -> int:
        """Check the plan off (and count one on its goal when that goal is ticked by hand)."""
        with self._write() as run:
            state, now = self._state(run, plan_id)
            if state == DONE:  # checked off already (another tab, a double click): nothing to add
                return now
            new = self._versioned_update(
                run, "plans", plan_id, version, {"state": DONE, "done_at": utcnow()}, what="plan"
            )
            self._tick_goal(run, plan_id, +1)
            return new

    def undo_done(self, plan_id: int, version: int | None = None) -> int:
        """Un-check a plan checked off by mistake (its goal's tick goes too)."""
        with self._write() as run:
            state, now = self._state(run, plan_id)
            if state != DONE:
                return now
            new = self._versioned_update(
                run,
                "plans",
                plan_id,
                version,
                {"state": PLANNED, "done_at": None},
                what="plan",
                set_sql={"state": "CASE WHEN moves > 0 THEN 'moved' ELSE 'planned' END"},
            )
            self._tick_goal(run, plan_id, -1)
            return new

    def move(self, plan_id: int, to: object, version: int | None = None, today: dt.date | None = None) -> int:
        """Move the plan to another day (today or later): one click for "tomorrow"."""
        day = check_day(to, today or dt.date.today())
        with self._write() as run:
            if self._state(run, plan_id)[0] == DONE:
                raise ValidationError("That plan is already done; nothing to move.")
            return self._versioned_update(
                run,
                "plans",
                plan_id,
                version,
                {"state": MOVED, "day": day, "moves": None},
                what="plan",
                set_sql={"moves": "moves + 1"},
            )

    def delete(self, plan_id: int) -> None:
        with self._write() as run:
            run("DELETE FROM plans WHERE user_id = $user AND id = $id", {"id": int(plan_id)})

    @staticmethod
    def _state(run: Run, plan_id: int) -> tuple[str, int]:
        row = run(
            "SELECT state, coalesce(version, 1) FROM plans WHERE user_id = $user AND id = $id", {"id": int(plan_id)}
        ).fetchone()
        if row is None:
            raise ValidationError("That plan no longer exists (deleted in another tab or window?); nothing was saved.")
        return str(row[0]), int(row[1])

    def _tick_goal(self, run: Run, plan_id: int, by: int) -> None:
        row = run(
            "SELECT g.id, g.metric FROM plans p JOIN goals g ON g.user_id = p.user_id AND g.id = p.goal_id"
            " WHERE p.user_id = $user AND p.id = $id",
            {"id": int(plan_id)},
        ).fetchone()
        if row is None:
            return
        cap = _hand_ticked().get(row[1])
        if cap is None:  # counted from the logs (applications, activities …): nothing to tick
            return
        run(
            "UPDATE goals SET done_count = least(greatest(0, done_count + $by), $cap)"
            " WHERE user_id = $user AND id = $id",
            {"id": int(row[0]), "by": by, "cap": cap},
        )
