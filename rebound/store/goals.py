"""Weekly goals (per ISO week, Monday-dated), including small personal goals ticked by hand."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from rebound.outcomes import ValidationError

MAX_TARGET = 1_000


def week_of(day: dt.date) -> dt.date:
    """The Monday of the ISO week containing `day`."""
    return day - dt.timedelta(days=day.weekday())


class GoalsStore:
    def add_goal(self, week: dt.date, metric: str, target: int, label: str | None = None) -> int:
        """metric is a tracked metric (applications, networking, …) or 'custom' with a label."""
        try:
            target = int(target)
        except (TypeError, ValueError):
            raise ValidationError("The target must be a whole number.") from None
        if not 1 <= target <= MAX_TARGET:
            raise ValidationError(f"A weekly target must be between 1 and {MAX_TARGET:,}.")
        label = (label or "").strip() or None
        if metric == "custom" and not label:
            raise ValidationError("Describe the goal, for example “walk three times this week”.")
        if label and len(label) > 300:
            raise ValidationError("Keep the goal under 300 characters.")
        with self._write() as run:
            return run("INSERT INTO goals (user_id, week, metric, label, target) VALUES ($user, $week, $metric, $label, $target)"
                       " RETURNING id", {"week": week_of(week), "metric": metric, "label": label, "target": target}
                       ).fetchone()[0]

    def goals_for_week(self, week: dt.date) -> pd.DataFrame:
        return self._df("SELECT id, week, metric, label, target, done_count FROM goals"
                        " WHERE user_id = $user AND week = $week ORDER BY id", {"week": week_of(week)})

    def tick_goal(self, goal_id: int, by: int = 1) -> None:
        """Count one more (or one fewer) for a hand-ticked goal; never below zero."""
        with self._write() as run:
            run("UPDATE goals SET done_count = greatest(0, done_count + $by) WHERE user_id = $user AND id = $id",
                {"id": goal_id, "by": int(by)})

    def delete_goal(self, goal_id: int) -> None:
        with self._write() as run:
            run("DELETE FROM goals WHERE user_id = $user AND id = $id", {"id": goal_id})
