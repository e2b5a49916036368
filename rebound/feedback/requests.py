"""Feedback requests (drafted → sent → answered) and their themes (store.feedback_requests):
user-scoped SQL. Today shows the feedback nudges; action items made from a request are in actions.py.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, TypedDict

from rebound import vocab
from rebound.dates import fmt_date
from rebound.errors import ValidationError
from rebound.feedback import rules as fb
from rebound.repository import Repository, SettingsRepository, UserScope

if TYPE_CHECKING:
    from collections.abc import Iterable

    import pandas as pd

    from rebound.repository import Run


_REQUEST_COLUMNS = f"""
    f.id, f.application_id, a.company, a.role, f.stage, f.tone, f.questions, f.contact_name, f.contact_email,
    f.subject, f.message, f.drafted_on, f.sent_on, f.answered_on, f.closed_on, f.feedback_text, f.themes, f.version,
    {vocab.feedback_status_sql("f")} AS status,
    (SELECT count(*) FROM actions x WHERE x.user_id = $user AND x.source = 'feedback' AND x.source_id = f.id) AS n_actions
"""


def _date(value: object, what: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if not isinstance(value, dt.date):
        raise ValidationError(f"Please choose the date {what}.")
    return value


class ReflectionAreas(TypedDict):
    """FeedbackRequestsRepository.reflection_areas: what the user's reflections say to ask about."""

    areas: list[str]
    themes: list[str]
    reflection_id: int | None
    day: dt.date | None


class FeedbackRequestsRepository(Repository):
    def __init__(self, scope: UserScope, settings: SettingsRepository) -> None:
        super().__init__(scope)
        self.settings = settings

    def applications(self) -> pd.DataFrame:
        """Applications to ask about, rejections after an interview first (most recent first).

        Columns: id, company, role, status, applied_on, rejected_stage, rejected_on, reached
        (furthest stage: applied, screen, interview, final, offer), requests (how many exist).
        """
        return self._df(f"""
            WITH rej AS (
                SELECT application_id, arg_max(stage, happened_on) AS rejected_stage, max(happened_on) AS rejected_on
                FROM events WHERE user_id = $user AND kind = 'rejected' GROUP BY 1),
            reached AS (
                SELECT application_id, max({vocab.sql_rank("kind", vocab.STAGE_RANK)}) AS lvl
                FROM events WHERE user_id = $user GROUP BY 1),
            req AS (SELECT application_id, count(*) AS n FROM feedback_requests WHERE user_id = $user GROUP BY 1)
            SELECT a.id, a.company, a.role, a.applied_on, r.rejected_stage, r.rejected_on,
                   {vocab.sql_array(vocab.PROGRESS_STAGES)}[coalesce(x.lvl, 0) + 1] AS reached,
                   coalesce(q.n, 0) AS requests
            FROM applications a
            LEFT JOIN rej r ON r.application_id = a.id
            LEFT JOIN reached x ON x.application_id = a.id
            LEFT JOIN req q ON q.application_id = a.id
            WHERE a.user_id = $user
            ORDER BY (r.rejected_stage IN {vocab.sql_in(vocab.INTERVIEW_STAGES)}) DESC NULLS LAST,
                     r.rejected_on DESC NULLS LAST, a.applied_on DESC, a.id DESC
        """)

    def stage_default(self, application_id: int) -> str:
        """The feedback stage to start with: from the rejection's stage, else the furthest event."""
        row = self._rows(
            "SELECT (SELECT arg_max(stage, happened_on) FROM events WHERE user_id = $user AND application_id = $id"
            "        AND kind = 'rejected'),"
            f" (SELECT arg_max(kind, {vocab.sql_rank('kind', vocab.STAGE_RANK)}) FROM events"
            "        WHERE user_id = $user AND application_id = $id"
            f"        AND kind IN {vocab.sql_in(vocab.STAGE_EVENTS)})",
            {"id": int(application_id)},
        )
        rejected_stage, furthest = row[0] if row else (None, None)
        return fb.stage_for_event(rejected_stage or furthest)

    def reflection_areas(self, application_id: int | None = None) -> ReflectionAreas:
        """Areas the user felt unsure about, from their reflections' theme tags.

        With an application: its reflections (all of them, newest first). Without: every
        reflection, areas ordered by how often they were tagged. Returns
        {"areas": [...], "themes": [...], "reflection_id": newest id or None, "day": its date or None}.
        """
        if application_id is not None:
            rows = self._rows(
                "SELECT id, day, themes FROM reflections WHERE user_id = $user AND application_id = $id"
                " ORDER BY day DESC, id DESC",
                {"id": int(application_id)},
            )
            themes: list[str] = []
            for _, _, tags in rows:
                themes.extend(t for t in (tags or []) if t not in themes)
            areas = fb.areas_from_themes(themes)
        else:
            rows = self._rows(
                "SELECT id, day, themes FROM reflections WHERE user_id = $user ORDER BY day DESC, id DESC LIMIT 1"
            )
            counts = self._rows(
                "SELECT t, count(*) AS n FROM (SELECT unnest(themes) AS t FROM reflections"
                " WHERE user_id = $user) GROUP BY t ORDER BY n DESC, t"
            )
            themes = [t for t, _ in counts]
            areas = []
            for theme in themes:  # most tagged first
                areas.extend(a for a in fb.areas_from_themes([theme]) if a not in areas)
        return {
            "areas": areas,
            "themes": themes,
            "reflection_id": rows[0][0] if rows else None,
            "day": rows[0][1] if rows else None,
        }

    def reflection_applications(self) -> pd.DataFrame:
        """Applications with at least one reflection: id, company, role, last_day (newest first)."""
        return self._df(
            "SELECT a.id, a.company, a.role, max(r.day) AS last_day FROM reflections r"
            " JOIN applications a ON a.id = r.application_id AND a.user_id = $user"
            " WHERE r.user_id = $user GROUP BY a.id, a.company, a.role ORDER BY last_day DESC, a.id DESC"
        )

    def save(
        self,
        application_id: int,
        stage: str,
        tone: str,
        questions: Iterable[str],
        contact_name: str = "",
        contact_email: str = "",
        sender: str = "",
        today: dt.date | None = None,
        request_id: int | None = None,
        sent_on: dt.date | None = None,
        version: int | None = None,
    ) -> int:
        """Compose and store a draft (or update one, at `version` if given: StaleEdit and nothing
        written if it was saved since), optionally already sent; returns its id.

        Validates everything first; one transaction."""
        today = today or dt.date.today()
        if sent_on is not None:
            sent_on = _date(sent_on, "you sent it")
            if sent_on > today:
                raise ValidationError("That date is in the future. Mark it sent once it has gone.")
        with self._write() as run:
            app = run(
                "SELECT company, role FROM applications WHERE user_id = $user AND id = $id", {"id": int(application_id)}
            ).fetchone()
            if app is None:
                raise ValidationError("That application no longer exists.")
            draft = fb.compose(tone, questions, app[0], app[1], stage, contact_name, contact_email, sender)
            fields = {
                "app": int(application_id),
                "stage": stage,
                "tone": tone,
                "questions": list(draft.questions),
                "name": draft.to_name or None,
                "email": draft.to_email or None,
                "subject": draft.subject,
                "message": draft.body,
                "today": min(today, sent_on or today),
                "sent": sent_on,
            }
            if request_id is None:
                return run(
                    "INSERT INTO feedback_requests (user_id, application_id, stage, tone, questions, contact_name,"
                    " contact_email, subject, message, drafted_on, sent_on) VALUES ($user, $app, $stage, $tone,"
                    " $questions::VARCHAR[], $name, $email, $subject, $message, $today, $sent) RETURNING id",
                    fields,
                ).fetchone()[0]
            self._versioned_update(
                run,
                "feedback_requests",
                request_id,
                version,
                {
                    "application_id": fields["app"],
                    "stage": stage,
                    "tone": tone,
                    "questions": fields["questions"],
                    "contact_name": fields["name"],
                    "contact_email": fields["email"],
                    "subject": fields["subject"],
                    "message": fields["message"],
                    "sent_on": sent_on,
                    "drafted_on": sent_on,
                },
                what="feedback request",
                set_sql={
                    "questions": "$questions::VARCHAR[]",
                    "sent_on": "coalesce($sent_on, sent_on)",
                    "drafted_on": "least(drafted_on, coalesce($drafted_on, drafted_on))",
                },
            )
            return int(request_id)

    def all(self, application_id: int | None = None, status: str | None = None) -> pd.DataFrame:
        """Requests, most recently touched first, with company, role, status and number of action items."""
        where: list[str] = ["f.user_id = $user"]
        params: dict[str, object] = {}
        if application_id is not None:
            where.append("f.application_id = $app")
            params["app"] = int(application_id)
        sql = (
            f"SELECT {_REQUEST_COLUMNS} FROM feedback_requests f"
            " LEFT JOIN applications a ON a.id = f.application_id AND a.user_id = $user"
            f" WHERE {' AND '.join(where)}"
            " ORDER BY coalesce(f.answered_on, f.closed_on, f.sent_on, f.drafted_on) DESC, f.id DESC"
        )
        df = self._df(sql, params)
        if status is not None:
            df = df[df["status"] == status].reset_index(drop=True)
        return df

    def get(self, request_id: int) -> dict[str, Any] | None:
        import pandas as pd

        df = self._df(
            f"SELECT {_REQUEST_COLUMNS} FROM feedback_requests f"
            " LEFT JOIN applications a ON a.id = f.application_id AND a.user_id = $user"
            " WHERE f.user_id = $user AND f.id = $id",
            {"id": int(request_id)},
        )
        if df.empty:
            return None
        row = df.iloc[0].to_dict()
        for key in ("questions", "themes"):
            row[key] = list(row[key]) if row[key] is not None else []
        for key in ("drafted_on", "sent_on", "answered_on", "closed_on"):
            row[key] = None if pd.isna(row[key]) else pd.Timestamp(row[key]).date()
        return row

    def _update_request(self, run: Run, request_id: int, sql_set: str, params: dict[str, object]) -> None:
        done = run(
            f"UPDATE feedback_requests SET {sql_set}, version = coalesce(version, 1) + 1,"
            " updated_at = current_timestamp WHERE user_id = $user AND id = $id RETURNING id",
            {**params, "id": int(request_id)},
        ).fetchall()
        if not done:
            raise ValidationError("That feedback request no longer exists.")

    def mark_sent(self, request_id: int, sent_on: dt.date | None = None, today: dt.date | None = None) -> None:
        today = today or dt.date.today()
        sent_on = _date(sent_on or today, "you sent it")
        if sent_on > today:
            raise ValidationError("That date is in the future. Mark it sent once it has gone.")
        with self._write() as run:
            # Drafted elsewhere earlier? The draft date follows the send date back.
            self._update_request(
                run,
                request_id,
                "sent_on = $sent, drafted_on = least(drafted_on, $sent), closed_on = NULL",
                {"sent": sent_on},
            )

    def unmark_sent(self, request_id: int) -> None:
        """Back to a draft (only while no answer is recorded)."""
        with self._write() as run:
            self._update_request(
                run,
                request_id,
                "sent_on = CASE WHEN answered_on IS NULL THEN NULL ELSE sent_on END, closed_on = NULL",
                {},
            )

    def save_received(
        self,
        request_id: int,
        text: str,
        themes: Iterable[str] = (),
        answered_on: dt.date | None = None,
        today: dt.date | None = None,
    ) -> None:
        """What they said, with theme tags; marks the request answered (and sent, if it wasn't)."""
        today = today or dt.date.today()
        text = fb.clean_feedback(text)
        themes = fb.clean_themes(themes)
        answered_on = _date(answered_on or today, "they answered")
        if answered_on > today:
            raise ValidationError("That date is in the future.")
        with self._write() as run:
            sent = run(
                "SELECT sent_on, drafted_on FROM feedback_requests WHERE user_id = $user AND id = $id",
                {"id": int(request_id)},
            ).fetchone()
            if sent is None:
                raise ValidationError("That feedback request no longer exists.")
            if sent[0] is not None and answered_on < sent[0]:
                raise ValidationError(f"That is before you sent the request ({fmt_date(sent[0])}).")
            self._update_request(
                run,
                request_id,
                "feedback_text = $text, themes = $themes::VARCHAR[], answered_on = $answered, closed_on = NULL,"
                " sent_on = coalesce(sent_on, $answered), drafted_on = least(drafted_on, $answered)",
                {"text": text, "themes": themes, "answered": answered_on},
            )

    def close(self, request_id: int, today: dt.date | None = None) -> None:
        """No answer came: stop reminding (it stays in the history; an answer can still be added)."""
        with self._write() as run:
            self._update_request(run, request_id, "closed_on = $today", {"today": today or dt.date.today()})

    def reopen(self, request_id: int) -> None:
        with self._write() as run:
            self._update_request(run, request_id, "closed_on = NULL", {})

    def delete(self, request_id: int) -> None:
        """The request goes; action items made from it stay (they are the user's plan), unlinked."""
        with self._write() as run:
            run(
                "UPDATE actions SET source = 'manual', source_id = NULL"
                " WHERE user_id = $user AND source = 'feedback' AND source_id = $id",
                {"id": int(request_id)},
            )
            run("DELETE FROM feedback_requests WHERE user_id = $user AND id = $id", {"id": int(request_id)})

    def theme_counts(self) -> dict[str, int]:
        """How often each theme was tagged on received feedback, most frequent first."""
        return dict(
            self._rows(
                "SELECT t, count(*) AS n FROM (SELECT unnest(themes) AS t FROM feedback_requests"
                " WHERE user_id = $user AND answered_on IS NOT NULL) GROUP BY t ORDER BY n DESC, t"
            )
        )

    def status_counts(self) -> dict[str, int]:
        counts = {s: 0 for s in vocab.FEEDBACK_STATUSES}
        counts.update(
            dict(
                self._rows(
                    f"SELECT {vocab.feedback_status_sql()} AS s, count(*) FROM feedback_requests WHERE user_id = $user GROUP BY 1"
                )
            )
        )
        return counts

    def _feedback_setting(self, key: str, default: int) -> int:
        try:
            return int(self.settings.get(key) or default)
        except (TypeError, ValueError):
            return default

    def nudges(self, today: dt.date | None = None) -> list[fb.FeedbackNudge]:
        """Suggestions for Today: send a request soon after a rejection that came after an interview;
        a gentle word when a sent request has had no answer for 10 days. Each has `.message`,
        `.kind` (send | send_draft | no_answer), `.application_id`, `.request_id`, `.page`."""
        today = today or dt.date.today()
        send_within = self._feedback_setting("feedback_send_within_days", fb.SEND_WITHIN_DAYS)
        remind_after = self._feedback_setting("feedback_remind_after_days", fb.REMIND_AFTER_DAYS)
        rejections = self._rows(
            f"""
            WITH rej AS (
                SELECT application_id, arg_max(stage, happened_on) AS stage, max(happened_on) AS rejected_on
                FROM events WHERE user_id = $user AND kind = 'rejected' AND happened_on >= $since GROUP BY 1)
            SELECT r.application_id, a.company, a.role, r.stage, r.rejected_on,
                   (SELECT max(f.id) FROM feedback_requests f WHERE f.user_id = $user
                      AND f.application_id = r.application_id AND f.sent_on IS NULL AND f.closed_on IS NULL),
                   EXISTS (SELECT 1 FROM feedback_requests f WHERE f.user_id = $user
                      AND f.application_id = r.application_id AND (f.sent_on IS NOT NULL OR f.closed_on IS NOT NULL))
            FROM rej r JOIN applications a ON a.id = r.application_id AND a.user_id = $user
            WHERE r.stage IN {vocab.sql_in(vocab.INTERVIEW_STAGES)}
            ORDER BY r.rejected_on DESC
        """,
            {"since": today - dt.timedelta(days=send_within)},
        )
        unanswered = self._rows(
            "SELECT f.id, f.application_id, coalesce(a.company, 'an employer'), coalesce(a.role, 'a role'), f.sent_on"
            " FROM feedback_requests f LEFT JOIN applications a ON a.id = f.application_id AND a.user_id = $user"
            " WHERE f.user_id = $user AND f.sent_on IS NOT NULL AND f.answered_on IS NULL AND f.closed_on IS NULL"
            " AND f.sent_on <= $after ORDER BY f.sent_on",
            {"after": today - dt.timedelta(days=remind_after)},
        )
        return fb.feedback_nudges_for(rejections, unanswered, today, send_within, remind_after)
