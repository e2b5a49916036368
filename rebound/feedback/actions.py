"""Action items (store.actions): from feedback, from the user's own reflection (self-review) or
added by hand; Today shows the open ones that are due.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from rebound.errors import ValidationError
from rebound.feedback import rules as fb
from rebound.repository import Repository

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    import pandas as pd

    from rebound.repository import Run


ACTION_SOURCES = ("feedback", "reflection", "manual")


class ActionsRepository(Repository):
    def _check_source(self, run: Run, source: str, source_id: int | None) -> int | None:
        if source not in ACTION_SOURCES:
            raise ValidationError(f"Unknown source {source!r}.")
        if source_id is None:
            return None
        table = {"feedback": "feedback_requests", "reflection": "reflections"}.get(source)
        if (
            table
            and run(f"SELECT 1 FROM {table} WHERE user_id = $user AND id = $id", {"id": int(source_id)}).fetchone()
            is None
        ):
            raise ValidationError(f"That {source} no longer exists.")
        return int(source_id)

    def add(
        self, kind: str, title: str, due_on: dt.date | None = None, source: str = "manual", source_id: int | None = None
    ) -> int:
        return self.add_many([{"kind": kind, "title": title, "due_on": due_on}], source, source_id)[0]

    def add_many(
        self, items: Iterable[Mapping[str, Any]], source: str = "manual", source_id: int | None = None
    ) -> list[int]:
        """Several action items in one transaction: all are added or none. items: dicts of kind, title, due_on."""
        cleaned = [fb.validate_action(i.get("kind"), i.get("title"), i.get("due_on")) for i in items]
        if not cleaned:
            raise ValidationError("Choose at least one action item to add.")
        ids: list[int] = []
        with self._write() as run:
            source_id = self._check_source(run, source, source_id)
            for fields in cleaned:
                ids.append(
                    run(
                        "INSERT INTO actions (user_id, source, source_id, kind, title, due_on)"
                        " VALUES ($user, $source, $source_id, $kind, $title, $due_on) RETURNING id",
                        {**fields, "source": source, "source_id": source_id},
                    ).fetchone()[0]
                )
        return ids

    def update(self, action_id: int, kind: str, title: str, due_on: dt.date | None = None) -> None:
        fields = fb.validate_action(kind, title, due_on)
        with self._write() as run:
            done = run(
                "UPDATE actions SET kind = $kind, title = $title, due_on = $due_on"
                " WHERE user_id = $user AND id = $id RETURNING id",
                {**fields, "id": int(action_id)},
            ).fetchall()
            if not done:
                raise ValidationError("That action item no longer exists.")

    def set_done(self, action_id: int, done: bool = True, today: dt.date | None = None) -> None:
        """Mark done (today) or not done again."""
        with self._write() as run:
            run(
                "UPDATE actions SET done_on = $done_on WHERE user_id = $user AND id = $id",
                {"done_on": (today or dt.date.today()) if done else None, "id": int(action_id)},
            )

    def delete(self, action_id: int) -> None:
        with self._write() as run:
            run("DELETE FROM actions WHERE user_id = $user AND id = $id", {"id": int(action_id)})

    def _select(self, where: str, params: dict[str, object], order: str) -> pd.DataFrame:
        return self._df(
            f"""
            SELECT x.id, x.kind, x.title, x.due_on, x.done_on, x.source, x.source_id,
                   coalesce(fa.id, ra.id) AS application_id, coalesce(fa.company, ra.company) AS company,
                   coalesce(fa.role, ra.role) AS role, x.created_at
            FROM actions x
            LEFT JOIN feedback_requests f ON x.source = 'feedback' AND f.id = x.source_id AND f.user_id = $user
            LEFT JOIN applications fa ON fa.id = f.application_id AND fa.user_id = $user
            LEFT JOIN reflections r ON x.source = 'reflection' AND r.id = x.source_id AND r.user_id = $user
            LEFT JOIN applications ra ON ra.id = r.application_id AND ra.user_id = $user
            WHERE x.user_id = $user AND {where}
            ORDER BY {order}""",
            params,
        )

    def open(self, due_before: dt.date | None = None) -> pd.DataFrame:
        """Action items not done yet, soonest due first (undated last).

        due_before: only items due on or before that date. Columns: id, kind, title, due_on,
        done_on (always empty here), source (feedback | reflection | manual), source_id,
        application_id, company, role (when it came from an application's feedback or reflection), created_at.
        """
        where = "x.done_on IS NULL"
        params: dict[str, object] = {}
        if due_before is not None:
            where += " AND x.due_on <= $due_before"
            params["due_before"] = due_before
        return self._select(where, params, "x.due_on NULLS LAST, x.id")

    def due(self, today: dt.date) -> list[dict]:
        """Records of open action items due on or before `today` (title, due_on), soonest first:
        Today's nudges. Undated items are never nagged about."""
        return self._records(
            "SELECT title, due_on FROM actions WHERE user_id = $user AND done_on IS NULL"
            " AND due_on <= $today ORDER BY due_on, id",
            {"today": today},
        )

    def all(self, done: bool | None = None, source: str | None = None, source_id: int | None = None) -> pd.DataFrame:
        """Action items, open first (by due date), then done (most recent first)."""
        where: list[str] = ["TRUE"]
        params: dict[str, object] = {}
        if done is True:
            where.append("x.done_on IS NOT NULL")
        elif done is False:
            where.append("x.done_on IS NULL")
        if source is not None:
            where.append("x.source = $source")
            params["source"] = source
        if source_id is not None:
            where.append("x.source_id = $source_id")
            params["source_id"] = int(source_id)
        return self._select(
            " AND ".join(where), params, "x.done_on IS NOT NULL, x.done_on DESC, x.due_on NULLS LAST, x.id"
        )

    def counts(self) -> dict[str, int]:
        row = self._rows(
            "SELECT count(*) FILTER (WHERE done_on IS NULL), count(*) FILTER (WHERE done_on IS NOT NULL)"
            " FROM actions WHERE user_id = $user"
        )[0]
        return {"open": int(row[0]), "done": int(row[1])}
