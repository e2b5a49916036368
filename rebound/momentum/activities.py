"""Activities: networking, skills work, interview practice, … (store.activities): user-scoped SQL."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from rebound.errors import ValidationError
from rebound.momentum.fields import MAX_NOTE, day_field, text_field
from rebound.momentum.rules import ACTIVITY_MINUTES, CONFIDENCE, activity_kinds
from rebound.repository import Repository

if TYPE_CHECKING:
    from collections.abc import Iterable

    import pandas as pd


MAX_MINUTES = ACTIVITY_MINUTES[1]


class ActivitiesRepository(Repository):
    def add(
        self,
        day: dt.date | None,
        kind: str,
        title: str | None = "",
        minutes: float | str | None = None,
        contact_id: int | None = None,
        confidence: int | None = None,
        note: str | None = "",
        today: dt.date | None = None,
    ) -> int:
        today = today or dt.date.today()
        kinds = activity_kinds()
        if kind not in kinds:
            raise ValidationError(f"Unknown activity {kind!r}; choose one of: {', '.join(kinds)}.")
        day = day_field(day, "date", today)
        if day is None:
            raise ValidationError("Please choose the date of the activity.")
        title = text_field(title, "The description")
        note = text_field(note, "The note", MAX_NOTE)
        if minutes is None or minutes == "":
            minutes = None
        else:
            try:
                minutes = int(minutes)
            except (TypeError, ValueError):
                raise ValidationError("Minutes must be a whole number.") from None
            if minutes < 0:
                raise ValidationError("Minutes can't be negative.")
            if minutes > MAX_MINUTES:
                raise ValidationError("One entry can't be longer than a day (1,440 minutes); log each day separately.")
        if kinds[kind].get("hours") and not minutes:
            raise ValidationError("How long was it? Skills work counts towards your goal in hours.")
        if kinds[kind].get("confidence"):
            if confidence is None:
                raise ValidationError("How confident did you feel answering it (1–5)?")
            if not title:
                raise ValidationError("Which question did you practise?")
        if confidence is not None:
            confidence = int(confidence)
            if not CONFIDENCE[0] <= confidence <= CONFIDENCE[1]:
                raise ValidationError("Confidence is from 1 (shaky) to 5 (nailed it).")
        with self._write() as run:
            if contact_id is not None:
                found = run(
                    "SELECT count(*) FROM contacts WHERE user_id = $user AND id = $id", {"id": int(contact_id)}
                ).fetchone()[0]
                if not found:
                    raise ValidationError("That contact no longer exists.")
                # Talking to someone is contact: keep "last contact" current.
                run(
                    "UPDATE contacts SET last_contact_on = greatest(coalesce(last_contact_on, $day), $day)"
                    " WHERE user_id = $user AND id = $id",
                    {"id": int(contact_id), "day": day},
                )
            return run(
                "INSERT INTO activities (user_id, day, kind, title, minutes, contact_id, confidence, note)"
                " VALUES ($user, $day, $kind, $title, $minutes, $contact, $confidence, $note) RETURNING id",
                {
                    "day": day,
                    "kind": kind,
                    "title": title,
                    "minutes": minutes,
                    "contact": None if contact_id is None else int(contact_id),
                    "confidence": confidence,
                    "note": note,
                },
            ).fetchone()[0]

    def all(
        self,
        start: dt.date | None = None,
        end: dt.date | None = None,
        kinds: Iterable[str] | None = None,
        limit: int | None = None,
    ) -> pd.DataFrame:
        where = ["a.user_id = $user"]
        params: dict[str, object] = {}
        self._between("a.day", start, end, where, params)
        if kinds:
            where.append("a.kind IN (SELECT unnest($kinds))")
            params["kinds"] = list(kinds)
        sql = (
            "SELECT a.id, a.day, a.kind, a.title, a.minutes, a.confidence, a.note, a.contact_id, c.name AS contact"
            " FROM activities a LEFT JOIN contacts c ON c.id = a.contact_id AND c.user_id = $user"
            f" WHERE {' AND '.join(where)} ORDER BY a.day DESC, a.id DESC"
        )
        if limit:
            sql += " LIMIT $limit"
            params["limit"] = int(limit)
        return self._df(sql, params)

    def delete(self, activity_id: int) -> None:
        with self._write() as run:
            run("DELETE FROM activities WHERE user_id = $user AND id = $id", {"id": activity_id})

    def practice_summary(self) -> pd.DataFrame:
        """Per practised question: times practised, last date, latest and best confidence."""
        return self._df("""
            SELECT title AS question, count(*) AS times, max(day) AS last_practised,
                   arg_max(confidence, (day, id)) AS latest_confidence, max(confidence) AS best_confidence
            FROM activities WHERE user_id = $user AND kind = 'interview practice' AND title IS NOT NULL
            GROUP BY title ORDER BY last_practised DESC, question""")
