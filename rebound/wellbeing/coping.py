"""Coping and self-care sessions (store.coping): user-scoped SQL."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from rebound.drafts.repository import drop_draft
from rebound.errors import ValidationError
from rebound.repository import Repository, as_dates
from rebound.wellbeing.rules import social_kinds, validate_coping

if TYPE_CHECKING:
    import pandas as pd

    from rebound.wellbeing.rules import Number, Rating


class CopingRepository(Repository):
    def add(
        self,
        day: dt.date | None,
        kind: str,
        with_whom: str | None = None,
        minutes: Number = None,
        helped: Number = None,
        note: str | None = None,
        draft: str | None = None,
    ) -> int:
        fields = validate_coping(day, kind, with_whom, minutes, helped, note)
        with self._write() as run:
            drop_draft(run, draft)
            return run(
                "INSERT INTO coping (user_id, day, kind, with_whom, minutes, helped, note)"
                " VALUES ($user, $day, $kind, $with_whom, $minutes, $helped, $note) RETURNING id",
                fields,
            ).fetchone()[0]

    def update(
        self,
        coping_id: int,
        day: dt.date | None,
        kind: str,
        with_whom: str | None = None,
        minutes: Number = None,
        helped: Number = None,
        note: str | None = None,
        draft: str | None = None,
    ) -> None:
        fields = validate_coping(day, kind, with_whom, minutes, helped, note)
        with self._write() as run:
            drop_draft(run, draft)
            done = run(
                "UPDATE coping SET day = $day, kind = $kind, with_whom = $with_whom, minutes = $minutes,"
                " helped = $helped, note = $note WHERE user_id = $user AND id = $id RETURNING id",
                {**fields, "id": int(coping_id)},
            ).fetchall()
            if not done:
                raise ValidationError("That entry no longer exists.")

    def delete(self, coping_id: int) -> None:
        with self._write() as run:
            run("DELETE FROM coping WHERE user_id = $user AND id = $id", {"id": int(coping_id)})

    def all(self, start: dt.date | None = None, end: dt.date | None = None, limit: int | None = None) -> pd.DataFrame:
        where: list[str] = ["user_id = $user"]
        params: dict[str, object] = {}
        self._between("day", start, end, where, params)
        sql = (
            f"SELECT id, day, kind, with_whom, minutes, helped, note FROM coping WHERE {' AND '.join(where)}"
            " ORDER BY day DESC, id DESC"
        )
        if limit:
            sql += f" LIMIT {int(limit)}"
        df = self._df(sql, params)
        df["day"] = as_dates(df["day"])
        return df

    def ratings(self) -> list[Rating]:
        """(kind, times rated, mean helped, the person it helped most with) from the user's own log."""
        return self._rows("""
            WITH rated AS (SELECT kind, helped, nullif(trim(with_whom), '') AS who FROM coping
                           WHERE user_id = $user AND helped IS NOT NULL),
            who AS (SELECT kind, arg_max(who, h) AS best_who FROM (
                        SELECT kind, who, avg(helped) + count(*) / 1000.0 AS h FROM rated
                        WHERE who IS NOT NULL GROUP BY ALL) GROUP BY kind)
            SELECT r.kind, count(*) AS n, avg(r.helped) AS mean, any_value(w.best_who) AS best_who
            FROM rated r LEFT JOIN who w USING (kind) GROUP BY r.kind ORDER BY r.kind
        """)

    def social_days(self, since: dt.date) -> list[dt.date]:
        """Days with social contact logged: a social kind, or any self-care done with someone."""
        return [
            r[0]
            for r in self._rows(
                "SELECT DISTINCT day FROM coping WHERE user_id = $user AND day >= $since"
                " AND (list_contains($social, kind) OR nullif(trim(with_whom), '') IS NOT NULL) ORDER BY day",
                {"since": since, "social": sorted(social_kinds())},
            )
        ]

    def weekly(self) -> pd.DataFrame:
        """Per ISO week: sessions, minutes, mean 'did it help', and sessions with someone."""
        return self._df(
            "SELECT date_trunc('week', day)::DATE AS week, count(*) AS sessions,"
            " coalesce(sum(minutes), 0) AS minutes, avg(helped) AS helped_mean,"
            " count(*) FILTER (WHERE list_contains($social, kind) OR nullif(trim(with_whom), '') IS NOT NULL) AS social"
            " FROM coping WHERE user_id = $user GROUP BY 1 ORDER BY 1",
            {"social": sorted(social_kinds())},
        )
