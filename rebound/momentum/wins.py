"""Small wins, logged or suggested from good news on the timeline (store.wins): user-scoped SQL."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from rebound.errors import ValidationError
from rebound.momentum.fields import day_field, text_field
from rebound.momentum.rules import win_kinds
from rebound.repository import Repository, SettingsRepository, UserScope

if TYPE_CHECKING:
    import pandas as pd


SUGGEST_WINS_DAYS = 60
# Events worth celebrating, with the win they suggest.
# event -> (win kind, title). No emoji in the title: a win is shown with its kind's emoji (win_kinds).
WIN_EVENTS = {
    "screen": ("interview request", "{company} asked you for a screening call ({role})"),
    "interview": ("interview request", "Invited to interview at {company} ({role})"),
    "final": ("interview request", "Reached the final round at {company} ({role})"),
    "offer": ("offer", "Offer from {company} ({role})"),
    "accepted": ("offer", "Accepted the offer from {company} ({role})"),
}
DISMISSED_KEY = "wins.dismissed_events"


class WinsRepository(Repository):
    def __init__(self, scope: UserScope, settings: SettingsRepository) -> None:
        super().__init__(scope)
        self.settings = settings

    def add(
        self,
        title: str | None,
        day: dt.date | None = None,
        kind: str | None = None,
        event_id: int | None = None,
        today: dt.date | None = None,
    ) -> int:
        today = today or dt.date.today()
        title = text_field(title, "The win")
        if not title:
            raise ValidationError("What went well? Even a small thing counts.")
        day = day_field(day or today, "date", today)
        if kind is not None and kind not in win_kinds():
            raise ValidationError(f"Unknown kind of win {kind!r}.")
        with self._write() as run:
            if event_id is not None:
                ok = run(
                    "SELECT count(*) FROM events WHERE user_id = $user AND id = $id", {"id": int(event_id)}
                ).fetchone()[0]
                if not ok:
                    raise ValidationError("That event no longer exists.")
                if run(
                    "SELECT count(*) FROM wins WHERE user_id = $user AND event_id = $id", {"id": int(event_id)}
                ).fetchone()[0]:
                    raise ValidationError("That one is already in your wins.")
            return run(
                "INSERT INTO wins (user_id, day, title, kind, event_id) VALUES ($user, $day, $title, $kind, $event)"
                " RETURNING id",
                {"day": day, "title": title, "kind": kind, "event": None if event_id is None else int(event_id)},
            ).fetchone()[0]

    def all(self, start: dt.date | None = None, end: dt.date | None = None) -> pd.DataFrame:
        where = ["user_id = $user"]
        params: dict[str, object] = {}
        self._between("day", start, end, where, params)
        return self._df(
            f"SELECT id, day, title, kind, event_id FROM wins WHERE {' AND '.join(where)} ORDER BY day DESC, id DESC",
            params,
        )

    def delete(self, win_id: int) -> None:
        with self._write() as run:
            run("DELETE FROM wins WHERE user_id = $user AND id = $id", {"id": win_id})

    def _dismissed_events(self) -> set[int]:
        raw = self.settings.get(DISMISSED_KEY) or ""
        return {int(x) for x in raw.split(",") if x.strip().isdigit()}

    def dismiss_suggestion(self, event_id: int) -> None:
        ids = sorted(self._dismissed_events() | {int(event_id)})[-500:]
        self.settings.set(DISMISSED_KEY, ",".join(map(str, ids)))

    def suggested(self, today: dt.date | None = None, days: int = SUGGEST_WINS_DAYS) -> list[dict]:
        """Good news from the timeline (screens, interviews, offers) not yet logged as a win or dismissed."""
        today = today or dt.date.today()
        rows = self._rows(
            """
            SELECT e.id, e.kind, e.happened_on, a.company, a.role FROM events e
            JOIN applications a ON a.id = e.application_id AND a.user_id = $user
            WHERE e.user_id = $user AND e.kind IN (SELECT unnest($kinds))
              AND e.happened_on BETWEEN $since AND $today
              AND NOT EXISTS (SELECT 1 FROM wins w WHERE w.user_id = $user AND w.event_id = e.id)
            ORDER BY e.happened_on DESC, e.id DESC""",
            {"kinds": list(WIN_EVENTS), "since": today - dt.timedelta(days=days), "today": today},
        )
        dismissed = self._dismissed_events()
        out = []
        for event_id, kind, day, company, role in rows:
            if event_id in dismissed:
                continue
            win_kind, template = WIN_EVENTS[kind]
            out.append(
                {
                    "event_id": event_id,
                    "event": kind,
                    "day": day,
                    "kind": win_kind,
                    "title": template.format(company=company, role=role),
                }
            )
        return out
