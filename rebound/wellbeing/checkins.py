"""Mood check-ins (store.checkins): user-scoped SQL."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from rebound.drafts.repository import drop_draft
from rebound.outcomes.status import existing_application
from rebound.repository import Repository, as_list
from rebound.wellbeing.rules import validate_checkin

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    import pandas as pd

    from rebound.repository import Run
    from rebound.wellbeing.rules import Number

    Progress = Callable[[float, str], object]  # progress(fraction, message), e.g. a Streamlit progress bar's


class CheckinsRepository(Repository):
    # `draft`: the form's draft id, deleted in the same transaction as the save (see rebound/drafts).
    def add(
        self,
        mood: Number,
        energy: Number = None,
        emotions: Iterable[str] = (),
        note: str | None = None,
        application_id: int | float | None = None,
        checked_at: dt.datetime | dt.date | None = None,
        draft: str | None = None,
    ) -> int:
        fields = validate_checkin(mood, energy, emotions, note, checked_at)
        with self._write() as run:
            fields["application_id"] = existing_application(run, application_id)
            drop_draft(run, draft)
            return self._insert_in(run, [fields])[0]

    def _insert_in(self, run: Run, rows: list[dict[str, object]]) -> list[int]:
        """The one INSERT of check-ins: rows validate_checkin made (with an application_id checked
        by existing_application, or None). Returns the new ids, in order."""
        if not rows:
            return []
        ids = [r[0] for r in run("SELECT nextval('row_id') FROM range($n)", {"n": len(rows)}).fetchall()]
        columns = {"id": "BIGINT", "checked_at": "TIMESTAMP", "mood": "INTEGER", "energy": "INTEGER"}
        columns |= {"emotions": "VARCHAR[]", "note": "VARCHAR", "application_id": "BIGINT"}
        self._insert_rows(run, "checkins", columns, [{**r, "id": i} for i, r in zip(ids, rows)])
        return ids

    def import_checkins(
        self, checkins: pd.DataFrame, during: Callable[[], object] | None = None, progress: Progress | None = None
    ) -> dict[str, int]:
        """Mood check-ins from a file (checked_at, mood, note) in one transaction, each validated as
        the check-in form's are; one already there (the same moment and mood) is skipped."""
        progress = progress or (lambda fraction, message: None)
        rows = []
        for r in checkins.to_dict("records"):
            at = r["checked_at"]
            at = at.to_pydatetime() if hasattr(at, "to_pydatetime") else at
            note = r.get("note")
            rows.append(validate_checkin(int(r["mood"]), None, (), note if isinstance(note, str) else None, at))
        if not rows:
            return {"checkins": 0}
        with self._write() as run:
            seen = {
                (at, mood) for at, mood in run("SELECT checked_at, mood FROM checkins WHERE user_id = $user").fetchall()
            }
            new = []
            for row in rows:
                if (row["checked_at"], row["mood"]) not in seen:
                    seen.add((row["checked_at"], row["mood"]))
                    new.append({**row, "application_id": None})
            progress(0.9, f"Writing {len(new):,} check-ins")
            self._insert_in(run, new)
            if during:
                during()
        return {"checkins": len(new)}

    def update(
        self,
        checkin_id: int,
        mood: Number,
        energy: Number = None,
        emotions: Iterable[str] = (),
        note: str | None = None,
        application_id: int | float | None = None,
        checked_at: dt.datetime | dt.date | None = None,
        draft: str | None = None,
        version: int | None = None,
    ) -> int:
        """Save the check-in; with `version` (the one it was read at) only if nobody saved it since,
        else StaleEdit and nothing written (the draft is kept too). Returns the new version."""
        fields = validate_checkin(mood, energy, emotions, note, checked_at)
        with self._write() as run:
            fields["application_id"] = existing_application(run, application_id)
            drop_draft(run, draft)
            return self._versioned_update(
                run,
                "checkins",
                checkin_id,
                version,
                fields,
                what="check-in",
                set_sql={"emotions": "$emotions::VARCHAR[]"},
            )

    def delete(self, checkin_id: int) -> None:
        with self._write() as run:
            run("DELETE FROM checkins WHERE user_id = $user AND id = $id", {"id": int(checkin_id)})

    def get(self, checkin_id: int) -> dict[str, Any] | None:
        df = self.all(ids=[int(checkin_id)])
        return None if df.empty else df.iloc[0].to_dict()

    def all(
        self,
        start: dt.date | None = None,
        end: dt.date | None = None,
        application_id: int | None = None,
        ids: Iterable[int] | None = None,
        limit: int | None = None,
    ) -> pd.DataFrame:
        """Newest first, with the linked application's company and role."""
        where: list[str] = ["c.user_id = $user"]
        params: dict[str, object] = {}
        if start:
            where.append("c.checked_at::DATE >= $start")
            params["start"] = start
        if end:
            where.append("c.checked_at::DATE <= $end")
            params["end"] = end
        if application_id is not None:
            where.append("c.application_id = $app")
            params["app"] = int(application_id)
        if ids is not None:
            where.append("list_contains($ids, c.id)")
            params["ids"] = [int(i) for i in ids]
        sql = (
            "SELECT c.id, c.checked_at, c.mood, c.energy, c.emotions, c.note, c.application_id,"
            " a.company, a.role FROM checkins c"
            " LEFT JOIN applications a ON a.id = c.application_id AND a.user_id = $user"
            f" WHERE {' AND '.join(where)} ORDER BY c.checked_at DESC, c.id DESC"
        )
        if limit:
            sql += f" LIMIT {int(limit)}"
        df = self._df(sql, params)
        df["emotions"] = df["emotions"].map(as_list)
        return df

    def count(self) -> int:
        return self._one("SELECT count(*) FROM checkins WHERE user_id = $user")

    def weekly(self) -> pd.DataFrame:
        """Per ISO week (Monday): mean mood and energy and the number of check-ins."""
        return self._df(
            "SELECT date_trunc('week', checked_at)::DATE AS week, avg(mood) AS mood_mean, count(*) AS n,"
            " avg(energy) AS energy_mean, min(mood) AS mood_min"
            " FROM checkins WHERE user_id = $user GROUP BY 1 ORDER BY 1"
        )
