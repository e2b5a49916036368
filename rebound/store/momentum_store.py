"""Activities (networking, skills, interview practice, …), contacts and small wins."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from rebound.errors import ValidationError

if TYPE_CHECKING:
    import pandas as pd

MAX_MINUTES = 24 * 60
MAX_TEXT = 300
MAX_NOTE = 5_000
SUGGEST_WINS_DAYS = 60
# Events worth celebrating, with the win they suggest.
WIN_EVENTS = {
    "screen": ("interview request", "📞 {company} asked you for a screening call ({role})"),
    "interview": ("interview request", "🗣️ Invited to interview at {company} ({role})"),
    "final": ("interview request", "🏁 Reached the final round at {company} ({role})"),
    "offer": ("offer", "🎉 Offer from {company} ({role})"),
    "accepted": ("offer", "🤝 Accepted the offer from {company} ({role})"),
}
DISMISSED_KEY = "wins.dismissed_events"


def _text(value, field: str, limit: int = MAX_TEXT) -> str | None:
    value = (value or "").strip()
    if len(value) > limit:
        raise ValidationError(f"{field} is too long ({len(value):,} characters; at most {limit:,}).")
    return value or None


def _day(value, field: str, today: dt.date, allow_future: bool = False) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        raise ValidationError(f"Please choose a date for {field}.")
    if not allow_future and value > today:
        raise ValidationError(f"The {field} is in the future; log things once they have happened.")
    return value


class MomentumStore:
    # -- activities --------------------------------------------------------
    def add_activity(self, day: dt.date, kind: str, title: str = "", minutes=None, contact_id=None,
                     confidence=None, note: str = "", today: dt.date | None = None) -> int:
        from rebound.momentum import activity_kinds

        today = today or dt.date.today()
        kinds = activity_kinds()
        if kind not in kinds:
            raise ValidationError(f"Unknown activity {kind!r}; choose one of: {', '.join(kinds)}.")
        day = _day(day, "date", today)
        if day is None:
            raise ValidationError("Please choose the date of the activity.")
        title = _text(title, "The description")
        note = _text(note, "The note", MAX_NOTE)
        if minutes in ("", None):
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
            if not 1 <= confidence <= 5:
                raise ValidationError("Confidence is from 1 (shaky) to 5 (nailed it).")
        with self._write() as run:
            if contact_id is not None:
                found = run("SELECT count(*) FROM contacts WHERE user_id = $user AND id = $id",
                            {"id": int(contact_id)}).fetchone()[0]
                if not found:
                    raise ValidationError("That contact no longer exists.")
                # Talking to someone is contact: keep "last contact" current.
                run("UPDATE contacts SET last_contact_on = greatest(coalesce(last_contact_on, $day), $day)"
                    " WHERE user_id = $user AND id = $id", {"id": int(contact_id), "day": day})
            return run(
                "INSERT INTO activities (user_id, day, kind, title, minutes, contact_id, confidence, note)"
                " VALUES ($user, $day, $kind, $title, $minutes, $contact, $confidence, $note) RETURNING id",
                {"day": day, "kind": kind, "title": title, "minutes": minutes,
                 "contact": None if contact_id is None else int(contact_id), "confidence": confidence, "note": note},
            ).fetchone()[0]

    def activities(self, start: dt.date | None = None, end: dt.date | None = None, kinds=None,
                   limit: int | None = None) -> pd.DataFrame:
        where, params = ["a.user_id = $user"], {}
        self._between("a.day", start, end, where, params)
        if kinds:
            where.append("a.kind IN (SELECT unnest($kinds))")
            params["kinds"] = list(kinds)
        sql = ("SELECT a.id, a.day, a.kind, a.title, a.minutes, a.confidence, a.note, a.contact_id, c.name AS contact"
               " FROM activities a LEFT JOIN contacts c ON c.id = a.contact_id AND c.user_id = $user"
               f" WHERE {' AND '.join(where)} ORDER BY a.day DESC, a.id DESC")
        if limit:
            sql += " LIMIT $limit"
            params["limit"] = int(limit)
        return self._df(sql, params)

    def delete_activity(self, activity_id: int) -> None:
        with self._write() as run:
            run("DELETE FROM activities WHERE user_id = $user AND id = $id", {"id": activity_id})

    def practice_summary(self) -> pd.DataFrame:
        """Per practised question: times practised, last date, latest and best confidence."""
        return self._df("""
            SELECT title AS question, count(*) AS times, max(day) AS last_practised,
                   arg_max(confidence, (day, id)) AS latest_confidence, max(confidence) AS best_confidence
            FROM activities WHERE user_id = $user AND kind = 'interview practice' AND title IS NOT NULL
            GROUP BY title ORDER BY last_practised DESC, question""")

    # -- contacts ----------------------------------------------------------
    def _contact_fields(self, name, company, how_met, last_contact_on, next_follow_up_on, notes, today):
        name = _text(name, "The name")
        if not name:
            raise ValidationError("Please enter the contact's name.")
        last = _day(last_contact_on, "last contact date", today)
        nxt = _day(next_follow_up_on, "follow-up date", today, allow_future=True)
        if last and nxt and nxt < last:
            raise ValidationError("The next follow-up is before the last contact; pick a later date.")
        return {"name": name, "company": _text(company, "The company"), "how_met": _text(how_met, "How you met"),
                "last": last, "next": nxt, "notes": _text(notes, "The notes", MAX_NOTE)}

    def add_contact(self, name, company="", how_met="", last_contact_on=None, next_follow_up_on=None,
                    notes="", today: dt.date | None = None) -> int:
        fields = self._contact_fields(name, company, how_met, last_contact_on, next_follow_up_on, notes,
                                      today or dt.date.today())
        with self._write() as run:
            return run("INSERT INTO contacts (user_id, name, company, how_met, last_contact_on, next_follow_up_on, notes)"
                       " VALUES ($user, $name, $company, $how_met, $last, $next, $notes) RETURNING id", fields).fetchone()[0]

    def update_contact(self, contact_id: int, name, company="", how_met="", last_contact_on=None,
                       next_follow_up_on=None, notes="", today: dt.date | None = None) -> None:
        fields = self._contact_fields(name, company, how_met, last_contact_on, next_follow_up_on, notes,
                                      today or dt.date.today())
        with self._write() as run:
            done = run("UPDATE contacts SET name=$name, company=$company, how_met=$how_met, last_contact_on=$last,"
                       " next_follow_up_on=$next, notes=$notes WHERE user_id = $user AND id = $id RETURNING id",
                       {**fields, "id": contact_id}).fetchall()
            if not done:
                raise ValidationError("That contact no longer exists.")

    def mark_contacted(self, contact_id: int, day: dt.date | None = None, next_follow_up_on: dt.date | None = None,
                       today: dt.date | None = None) -> None:
        """Record that you were in touch today; the follow-up moves to `next_follow_up_on` (or is cleared)."""
        today = today or dt.date.today()
        day = _day(day or today, "contact date", today)
        nxt = _day(next_follow_up_on, "follow-up date", today, allow_future=True)
        if nxt and nxt < day:
            raise ValidationError("The next follow-up is before the contact date; pick a later date.")
        with self._write() as run:
            done = run("UPDATE contacts SET last_contact_on = greatest(coalesce(last_contact_on, $day), $day),"
                       " next_follow_up_on = $next WHERE user_id = $user AND id = $id RETURNING id",
                       {"id": contact_id, "day": day, "next": nxt}).fetchall()
            if not done:
                raise ValidationError("That contact no longer exists.")

    def delete_contact(self, contact_id: int) -> None:
        """The contact goes; activities with them stay, unlinked."""
        with self._write() as run:
            run("UPDATE activities SET contact_id = NULL WHERE user_id = $user AND contact_id = $id", {"id": contact_id})
            run("DELETE FROM contacts WHERE user_id = $user AND id = $id", {"id": contact_id})

    def contacts(self) -> pd.DataFrame:
        return self._df("""
            SELECT c.id, c.name, c.company, c.how_met, c.last_contact_on, c.next_follow_up_on, c.notes,
                   (SELECT count(*) FROM activities a WHERE a.user_id = $user AND a.contact_id = c.id) AS activities,
                   (SELECT count(*) FROM activities a WHERE a.user_id = $user AND a.contact_id = c.id
                       AND a.kind = 'informational interview') AS informational_interviews
            FROM contacts c WHERE c.user_id = $user
            ORDER BY c.next_follow_up_on NULLS LAST, lower(c.name)""")

    def contact_nudges(self, today: dt.date | None = None) -> list[dict]:
        """Records of contacts whose follow-up date has come (most overdue first): id, name,
        company, last_contact_on, next_follow_up_on, days_overdue."""
        today = today or dt.date.today()
        return self._records("""
            SELECT id, name, company, last_contact_on, next_follow_up_on,
                   datediff('day', next_follow_up_on, $today) AS days_overdue
            FROM contacts WHERE user_id = $user AND next_follow_up_on IS NOT NULL AND next_follow_up_on <= $today
            ORDER BY next_follow_up_on, lower(name)""", {"today": today})

    # -- wins --------------------------------------------------------------
    def add_win(self, title, day: dt.date | None = None, kind: str | None = None, event_id: int | None = None,
                today: dt.date | None = None) -> int:
        from rebound.momentum import win_kinds

        today = today or dt.date.today()
        title = _text(title, "The win")
        if not title:
            raise ValidationError("What went well? Even a small thing counts.")
        day = _day(day or today, "date", today)
        if kind is not None and kind not in win_kinds():
            raise ValidationError(f"Unknown kind of win {kind!r}.")
        with self._write() as run:
            if event_id is not None:
                ok = run("SELECT count(*) FROM events WHERE user_id = $user AND id = $id", {"id": int(event_id)}).fetchone()[0]
                if not ok:
                    raise ValidationError("That event no longer exists.")
                if run("SELECT count(*) FROM wins WHERE user_id = $user AND event_id = $id",
                       {"id": int(event_id)}).fetchone()[0]:
                    raise ValidationError("That one is already in your wins.")
            return run("INSERT INTO wins (user_id, day, title, kind, event_id) VALUES ($user, $day, $title, $kind, $event)"
                       " RETURNING id", {"day": day, "title": title, "kind": kind,
                                         "event": None if event_id is None else int(event_id)}).fetchone()[0]

    def wins(self, start: dt.date | None = None, end: dt.date | None = None) -> pd.DataFrame:
        where, params = ["user_id = $user"], {}
        self._between("day", start, end, where, params)
        return self._df(f"SELECT id, day, title, kind, event_id FROM wins WHERE {' AND '.join(where)}"
                        " ORDER BY day DESC, id DESC", params)

    def delete_win(self, win_id: int) -> None:
        with self._write() as run:
            run("DELETE FROM wins WHERE user_id = $user AND id = $id", {"id": win_id})

    def _dismissed_events(self) -> set[int]:
        raw = self.setting(DISMISSED_KEY) or ""
        return {int(x) for x in raw.split(",") if x.strip().isdigit()}

    def dismiss_win_suggestion(self, event_id: int) -> None:
        ids = sorted(self._dismissed_events() | {int(event_id)})[-500:]
        self.set_setting(DISMISSED_KEY, ",".join(map(str, ids)))

    def suggested_wins(self, today: dt.date | None = None, days: int = SUGGEST_WINS_DAYS) -> list[dict]:
        """Good news from the timeline (screens, interviews, offers) not yet logged as a win or dismissed."""
        today = today or dt.date.today()
        rows = self._rows("""
            SELECT e.id, e.kind, e.happened_on, a.company, a.role FROM events e
            JOIN applications a ON a.id = e.application_id AND a.user_id = $user
            WHERE e.user_id = $user AND e.kind IN (SELECT unnest($kinds))
              AND e.happened_on BETWEEN $since AND $today
              AND NOT EXISTS (SELECT 1 FROM wins w WHERE w.user_id = $user AND w.event_id = e.id)
            ORDER BY e.happened_on DESC, e.id DESC""",
            {"kinds": list(WIN_EVENTS), "since": today - dt.timedelta(days=days), "today": today})
        dismissed = self._dismissed_events()
        out = []
        for event_id, kind, day, company, role in rows:
            if event_id in dismissed:
                continue
            win_kind, template = WIN_EVENTS[kind]
            out.append({"event_id": event_id, "event": kind, "day": day, "kind": win_kind,
                        "title": template.format(company=company, role=role)})
        return out

    def has_momentum_data(self) -> bool:
        """Any goals, activities, contacts or wins (a user may start with goals before applying)."""
        return bool(self._one("SELECT EXISTS (SELECT 1 FROM goals WHERE user_id = $user)"
                              " OR EXISTS (SELECT 1 FROM activities WHERE user_id = $user)"
                              " OR EXISTS (SELECT 1 FROM contacts WHERE user_id = $user)"
                              " OR EXISTS (SELECT 1 FROM wins WHERE user_id = $user)"))

    def momentum_counts(self) -> dict:
        """How many activities, contacts and wins the user has logged."""
        row = self._rows("SELECT (SELECT count(*) FROM activities WHERE user_id = $user),"
                         " (SELECT count(*) FROM contacts WHERE user_id = $user),"
                         " (SELECT count(*) FROM wins WHERE user_id = $user)")[0]
        return {"activities": int(row[0]), "contacts": int(row[1]), "wins": int(row[2])}

    def bulk_insert_momentum_demo(self, goals: list[dict], activities: list[dict], contacts: list[dict],
                                  wins: list[dict]) -> dict:
        """Demo rows in one transaction. activities/contacts link by `contact_key`."""
        with self._write() as run:
            ids = {}
            for c in contacts:
                ids[c["key"]] = run(
                    "INSERT INTO contacts (user_id, name, company, how_met, last_contact_on, next_follow_up_on, notes)"
                    " VALUES ($user, $name, $company, $how_met, $last, $next, NULL) RETURNING id",
                    {"name": c["name"], "company": c.get("company"), "how_met": c.get("how_met"),
                     "last": c.get("last_contact_on"), "next": c.get("next_follow_up_on")}).fetchone()[0]
            for g in goals:
                run("INSERT INTO goals (user_id, week, metric, label, target, done_count)"
                    " VALUES ($user, $week, $metric, $label, $target, $done)",
                    {"week": g["week"], "metric": g["metric"], "label": g.get("label"), "target": g["target"],
                     "done": g.get("done_count", 0)})
            for a in activities:
                run("INSERT INTO activities (user_id, day, kind, title, minutes, contact_id, confidence)"
                    " VALUES ($user, $day, $kind, $title, $minutes, $contact, $confidence)",
                    {"day": a["day"], "kind": a["kind"], "title": a.get("title"), "minutes": a.get("minutes"),
                     "contact": ids.get(a.get("contact_key")), "confidence": a.get("confidence")})
            for w in wins:
                run("INSERT INTO wins (user_id, day, title, kind, event_id) VALUES ($user, $day, $title, $kind, $event)",
                    {"day": w["day"], "title": w["title"], "kind": w.get("kind"), "event": w.get("event_id")})
        return {"goals": len(goals), "activities": len(activities), "contacts": len(contacts), "wins": len(wins)}
