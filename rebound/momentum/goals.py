"""Weekly goals (store.goals) (per ISO week, Monday-dated), including small personal goals ticked by hand.

How much of each goal is done is counted in SQL from the logs: applications sent that week,
activities of the metric's kinds (count or hours), self-care sessions from `coping`, and the
hand-ticked `done_count` for custom goals. Which metric counts what lives in
rebound/content/goal_metrics.toml.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, cast

from rebound.dates import week_of
from rebound.drafts.repository import drop_draft
from rebound.errors import ValidationError
from rebound.momentum import plans
from rebound.momentum.rules import GOAL_DONE, GOAL_TARGET, is_hand_ticked, is_learning, metrics
from rebound.repository import Repository
from rebound.vocab import RESPONSE_EVENTS, sql_in

if TYPE_CHECKING:
    import pandas as pd


MAX_TARGET = GOAL_TARGET[1]


def _metric_map() -> list[dict]:
    return [
        {
            "metric": key,
            "source": m.get("source", "custom"),
            "kinds": list(m.get("kinds", [])),
            "measure": m.get("measure", "count"),
        }
        for key, m in metrics().items()
    ]


def validate_target(target: object) -> int:
    if isinstance(target, bool):
        raise ValidationError("The target must be a whole number.")
    try:
        value = float(cast("str | float", target))  # whatever float() refuses is refused below
    except (TypeError, ValueError):
        raise ValidationError("The target must be a whole number.") from None
    if value != value or value in (float("inf"), float("-inf")) or value != int(value):
        raise ValidationError("The target must be a whole number.")
    value = int(value)
    if value <= 0:
        raise ValidationError("A target of zero or less isn't a goal: set at least 1, or remove the goal.")
    if value > MAX_TARGET:
        raise ValidationError(
            f"A weekly target of {value:,} is more than anyone can do; keep it at {MAX_TARGET:,} or less."
        )
    return value


# done per goal, counted from the logs. $start/$end are Mondays (inclusive).
GOAL_PROGRESS_SQL = """
WITH mm AS (SELECT unnest($metric_map, recursive := true)),
g AS (
    SELECT id, week, metric, label, target, done_count FROM goals
    WHERE user_id = $user AND week BETWEEN $start AND $end
),
app_w AS (
    SELECT date_trunc('week', applied_on)::DATE AS week, count(*)::DOUBLE AS n FROM applications
    WHERE user_id = $user AND applied_on BETWEEN $start AND $end + 6 GROUP BY 1
),
act_w AS (
    SELECT date_trunc('week', day)::DATE AS week, kind, count(*)::DOUBLE AS n,
           sum(greatest(coalesce(minutes, 0), 0)) / 60.0 AS hours
    FROM activities WHERE user_id = $user AND day BETWEEN $start AND $end + 6 GROUP BY 1, 2
),
cope_w AS (
    SELECT date_trunc('week', day)::DATE AS week, count(*)::DOUBLE AS n FROM coping
    WHERE user_id = $user AND day BETWEEN $start AND $end + 6 GROUP BY 1
)
SELECT g.id AS goal_id, g.week, g.metric, g.label, g.target,
    CASE mm.source
        WHEN 'applications' THEN coalesce((SELECT a.n FROM app_w a WHERE a.week = g.week), 0)
        WHEN 'activities' THEN coalesce((
            SELECT sum(CASE WHEN mm.measure = 'hours' THEN x.hours ELSE x.n END) FROM act_w x
            WHERE x.week = g.week AND list_contains(mm.kinds, x.kind)), 0)
        WHEN 'coping' THEN coalesce((SELECT c.n FROM cope_w c WHERE c.week = g.week), 0)
        ELSE g.done_count::DOUBLE
    END AS done
FROM g LEFT JOIN mm ON mm.metric = g.metric
ORDER BY g.week, g.id
"""


class GoalsRepository(Repository):
    def add(
        self,
        week: dt.date,
        metric: str,
        target: int,
        label: str | None = None,
        draft: str | None = None,
        plan: dict | None = None,
        today: dt.date | None = None,
    ) -> int:
        """metric is a tracked metric (applications, networking, …), 'custom' with a label, or
        'learning' with a label (no number: done or not yet, its target is 1).

        With `plan` ({"what", "day", "at_time", "place"} and optionally "application_id": the
        rejection whose next step this is) the goal's when-and-where plan is saved with it, in the
        same transaction (rebound/momentum/plans.py); a plan with no day is no plan and is ignored."""
        if metric not in metrics():
            raise ValidationError(f"Unknown goal {metric!r}; choose one of: {', '.join(metrics())}.")
        target = 1 if is_learning(metric) else validate_target(target)
        if not isinstance(week, dt.date):
            raise ValidationError("Please choose the week for this goal.")
        label = (label or "").strip() or None
        if is_learning(metric) and not label:
            raise ValidationError("Say what you want to learn, for example “practise answering salary questions”.")
        if metric == "custom" and not label:
            raise ValidationError("Describe the goal, for example “walk three times this week”.")
        plan_fields = None
        if plan and plan.get("day") is not None:
            plan_fields = plans.checked(
                plan.get("what") or label or metrics()[metric]["label"],
                plan["day"],
                plan.get("at_time"),
                plan.get("place"),
                today or dt.date.today(),
            )
        if label and len(label) > 300:
            raise ValidationError("Keep the goal under 300 characters.")
        monday = week_of(week)
        with self._write() as run:
            drop_draft(run, draft)  # the form's draft goes with the save (rebound/drafts)
            if not is_hand_ticked(metric):
                clash = run(
                    "SELECT count(*) FROM goals WHERE user_id = $user AND week = $week AND metric = $metric",
                    {"week": monday, "metric": metric},
                ).fetchone()[0]
                if clash:
                    name = metrics()[metric]["label"].lower()
                    raise ValidationError(f"This week already has a goal for {name}; change its target instead.")
            goal_id = run(
                "INSERT INTO goals (user_id, week, metric, label, target) VALUES ($user, $week, $metric, $label, $target)"
                " RETURNING id",
                {"week": monday, "metric": metric, "label": label, "target": target},
            ).fetchone()[0]
            if plan_fields is not None:
                plans.insert_in(run, plan_fields, goal_id, (plan or {}).get("application_id"))
            return goal_id

    def update(self, goal_id: int, target: int, label: str | None = None, version: int | None = None) -> int:
        """Save the goal's target and label; with `version` (the one it was read at) only if nobody
        saved it since, else StaleEdit and nothing written. Returns the new version."""
        with self._write() as run:
            row = run("SELECT metric, label FROM goals WHERE user_id = $user AND id = $id", {"id": goal_id}).fetchone()
            if row is None:
                raise ValidationError("That goal no longer exists.")
            target = 1 if is_learning(row[0]) else validate_target(target)
            new_label = row[1] if label is None else ((label or "").strip() or None)
            if is_hand_ticked(row[0]) and not new_label:
                raise ValidationError("Describe the goal, for example “walk three times this week”.")
            if new_label and len(new_label) > 300:
                raise ValidationError("Keep the goal under 300 characters.")
            return self._versioned_update(
                run, "goals", goal_id, version, {"target": target, "label": new_label}, what="goal"
            )

    def for_week(self, week: dt.date) -> pd.DataFrame:
        return self._df(
            "SELECT id, week, metric, label, target, done_count, version FROM goals"
            " WHERE user_id = $user AND week = $week ORDER BY id",
            {"week": week_of(week)},
        )

    def tick(self, goal_id: int, by: int = 1) -> None:
        """Count one more (or one fewer) for a hand-ticked goal; never below zero."""
        by = max(-MAX_TARGET, min(MAX_TARGET, int(by)))
        with self._write() as run:
            run(
                "UPDATE goals SET done_count = least(greatest($lo, done_count + $by), $hi)"
                " WHERE user_id = $user AND id = $id",
                {"id": goal_id, "by": by, "lo": GOAL_DONE[0], "hi": GOAL_DONE[1]},
            )

    def set_done(self, goal_id: int, done: bool) -> None:
        """A learning goal (or any goal ticked by hand) marked done (done_count 1) or not yet (0)."""
        with self._write() as run:
            run(
                "UPDATE goals SET done_count = $n WHERE user_id = $user AND id = $id",
                {"id": goal_id, "n": 1 if done else 0},
            )

    def delete(self, goal_id: int) -> None:
        """The goal goes; its plans stay (they were the user's own words), no longer tied to it."""
        with self._write() as run:
            run("UPDATE plans SET goal_id = NULL WHERE user_id = $user AND goal_id = $id", {"id": goal_id})
            run("DELETE FROM goals WHERE user_id = $user AND id = $id", {"id": goal_id})

    def previous_week(self, week: dt.date) -> dt.date | None:
        """The latest week before `week` that has goals."""
        return self._one("SELECT max(week) FROM goals WHERE user_id = $user AND week < $week", {"week": week_of(week)})

    def carry_forward(self, week: dt.date) -> int:
        """Copy the targets of the latest earlier week with goals into `week` (custom and learning
        goals start at zero again); goals the week already has are kept, not duplicated. Returns how many were added."""
        monday = week_of(week)
        with self._write() as run:
            rows = run(
                """
                INSERT INTO goals (user_id, week, metric, label, target)
                SELECT $user, $week, p.metric, p.label, p.target FROM goals p
                WHERE p.user_id = $user
                  AND p.week = (SELECT max(week) FROM goals WHERE user_id = $user AND week < $week)
                  AND NOT EXISTS (
                      SELECT 1 FROM goals c WHERE c.user_id = $user AND c.week = $week AND c.metric = p.metric
                        AND (NOT list_contains($hand, p.metric) OR coalesce(c.label, '') = coalesce(p.label, '')))
                ORDER BY p.id
                RETURNING id""",
                {"week": monday, "hand": [m for m in metrics() if is_hand_ticked(m)]},
            ).fetchall()
        return len(rows)

    def progress(self, start: dt.date | None = None, end: dt.date | None = None) -> list[dict]:
        """Records of goal_id, week, metric, label, target, done for every goal in [start, end] (Mondays)."""
        start = week_of(start) if start else dt.date(1970, 1, 5)
        end = week_of(end) if end else dt.date(9999, 12, 27)
        return self._records(GOAL_PROGRESS_SQL, {"metric_map": _metric_map(), "start": start, "end": end})

    def momentum_start(self) -> dt.date | None:
        """The first week of the search: the earliest goal or application."""
        return self._one(
            "SELECT min(w) FROM (SELECT min(week) AS w FROM goals WHERE user_id = $user"
            " UNION ALL SELECT min(date_trunc('week', applied_on))::DATE FROM applications WHERE user_id = $user)"
        )

    def weekly_pressure(self, start: dt.date, end: dt.date) -> list[dict]:
        """Records of week, applications sent, replies (employer answers: vocab.RESPONSE_EVENTS) per week from `start` to `end`."""
        return self._records(
            f"""
            WITH weeks AS (SELECT unnest(generate_series($start, $end, INTERVAL 7 DAY))::DATE AS week)
            SELECT w.week,
                (SELECT count(*) FROM applications a WHERE a.user_id = $user
                    AND date_trunc('week', a.applied_on)::DATE = w.week) AS applications,
                (SELECT count(*) FROM events e WHERE e.user_id = $user
                    AND e.kind IN {sql_in(RESPONSE_EVENTS)}
                    AND date_trunc('week', e.happened_on)::DATE = w.week) AS replies
            FROM weeks w ORDER BY w.week""",
            {"start": week_of(start), "end": week_of(end)},
        )

    def has_momentum_data(self) -> bool:
        """Any goals, activities, contacts or wins (a user may start with goals before applying)."""
        return bool(
            self._one(
                "SELECT EXISTS (SELECT 1 FROM goals WHERE user_id = $user)"
                " OR EXISTS (SELECT 1 FROM activities WHERE user_id = $user)"
                " OR EXISTS (SELECT 1 FROM contacts WHERE user_id = $user)"
                " OR EXISTS (SELECT 1 FROM wins WHERE user_id = $user)"
            )
        )

    def momentum_counts(self) -> dict:
        """How many activities, contacts and wins the user has logged."""
        row = self._rows(
            "SELECT (SELECT count(*) FROM activities WHERE user_id = $user),"
            " (SELECT count(*) FROM contacts WHERE user_id = $user),"
            " (SELECT count(*) FROM wins WHERE user_id = $user)"
        )[0]
        return {"activities": int(row[0]), "contacts": int(row[1]), "wins": int(row[2])}
