"""The people in the search and when to follow up with them (store.contacts): user-scoped SQL."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from rebound.errors import ValidationError
from rebound.momentum.fields import MAX_NOTE, day_field, text_field
from rebound.repository import Repository

if TYPE_CHECKING:
    import pandas as pd


class ContactsRepository(Repository):
    def _fields(
        self,
        name: str | None,
        company: str | None,
        how_met: str | None,
        last_contact_on: dt.date | None,
        next_follow_up_on: dt.date | None,
        notes: str | None,
        today: dt.date,
    ) -> dict[str, str | dt.date | None]:
        name = text_field(name, "The name")
        if not name:
            raise ValidationError("Please enter the contact's name.")
        last = day_field(last_contact_on, "last contact date", today)
        nxt = day_field(next_follow_up_on, "follow-up date", today, allow_future=True)
        if last and nxt and nxt < last:
            raise ValidationError("The next follow-up is before the last contact; pick a later date.")
        return {
            "name": name,
            "company": text_field(company, "The company"),
            "how_met": text_field(how_met, "How you met"),
            "last": last,
            "next": nxt,
            "notes": text_field(notes, "The notes", MAX_NOTE),
        }

    def add(
        self,
        name: str,
        company: str | None = "",
        how_met: str | None = "",
        last_contact_on: dt.date | None = None,
        next_follow_up_on: dt.date | None = None,
        notes: str | None = "",
        today: dt.date | None = None,
    ) -> int:
        fields = self._fields(
            name, company, how_met, last_contact_on, next_follow_up_on, notes, today or dt.date.today()
        )
        with self._write() as run:
            return run(
                "INSERT INTO contacts (user_id, name, company, how_met, last_contact_on, next_follow_up_on, notes)"
                " VALUES ($user, $name, $company, $how_met, $last, $next, $notes) RETURNING id",
                fields,
            ).fetchone()[0]

    def update(
        self,
        contact_id: int,
        name: str,
        company: str | None = "",
        how_met: str | None = "",
        last_contact_on: dt.date | None = None,
        next_follow_up_on: dt.date | None = None,
        notes: str | None = "",
        today: dt.date | None = None,
        version: int | None = None,
    ) -> int:
        """Save the contact; with `version` (the one it was read at) only if nobody saved it since,
        else StaleEdit and nothing written. Returns the new version."""
        fields = self._fields(
            name, company, how_met, last_contact_on, next_follow_up_on, notes, today or dt.date.today()
        )
        columns = {
            "name": fields["name"],
            "company": fields["company"],
            "how_met": fields["how_met"],
            "last_contact_on": fields["last"],
            "next_follow_up_on": fields["next"],
            "notes": fields["notes"],
        }
        with self._write() as run:
            return self._versioned_update(run, "contacts", contact_id, version, columns, what="contact")

    def mark_contacted(
        self,
        contact_id: int,
        day: dt.date | None = None,
        next_follow_up_on: dt.date | None = None,
        today: dt.date | None = None,
    ) -> None:
        """Record that you were in touch today; the follow-up moves to `next_follow_up_on` (or is cleared)."""
        today = today or dt.date.today()
        day = day_field(day or today, "contact date", today)
        nxt = day_field(next_follow_up_on, "follow-up date", today, allow_future=True)
        if nxt and nxt < day:
            raise ValidationError("The next follow-up is before the contact date; pick a later date.")
        with self._write() as run:
            done = run(
                "UPDATE contacts SET last_contact_on = greatest(coalesce(last_contact_on, $day), $day),"
                " next_follow_up_on = $next, version = coalesce(version, 1) + 1, updated_at = current_timestamp"
                " WHERE user_id = $user AND id = $id RETURNING id",
                {"id": contact_id, "day": day, "next": nxt},
            ).fetchall()
            if not done:
                raise ValidationError("That contact no longer exists.")

    def delete(self, contact_id: int) -> None:
        """The contact goes; activities with them stay, unlinked."""
        with self._write() as run:
            run(
                "UPDATE activities SET contact_id = NULL WHERE user_id = $user AND contact_id = $id", {"id": contact_id}
            )
            run("DELETE FROM contacts WHERE user_id = $user AND id = $id", {"id": contact_id})

    def all(self) -> pd.DataFrame:
        return self._df("""
            SELECT c.id, c.name, c.company, c.how_met, c.last_contact_on, c.next_follow_up_on, c.notes, c.version,
                   (SELECT count(*) FROM activities a WHERE a.user_id = $user AND a.contact_id = c.id) AS activities,
                   (SELECT count(*) FROM activities a WHERE a.user_id = $user AND a.contact_id = c.id
                       AND a.kind = 'informational interview') AS informational_interviews
            FROM contacts c WHERE c.user_id = $user
            ORDER BY c.next_follow_up_on NULLS LAST, lower(c.name)""")

    def nudges(self, today: dt.date | None = None) -> list[dict]:
        """Records of contacts whose follow-up date has come (most overdue first): id, name,
        company, last_contact_on, next_follow_up_on, days_overdue."""
        today = today or dt.date.today()
        return self._records(
            """
            SELECT id, name, company, last_contact_on, next_follow_up_on,
                   datediff('day', next_follow_up_on, $today) AS days_overdue
            FROM contacts WHERE user_id = $user AND next_follow_up_on IS NOT NULL AND next_follow_up_on <= $today
            ORDER BY next_follow_up_on, lower(name)""",
            {"today": today},
        )
