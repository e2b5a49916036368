"""Findings from the user's mail (store.mail): recorded as proposals, then confirmed (one transaction that
writes the event, creating the application if none matched), edited or dismissed."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING

from rebound.errors import ValidationError
from rebound.outcomes.rules import NewEvent, validate_application, validate_event
from rebound.outcomes.status import STATUS_CTE
from rebound.repository import Repository, SettingsRepository, UserScope
from rebound.vocab import MEETING_EVENTS, PROGRESS_STAGES, REJECTION_STAGES

if TYPE_CHECKING:
    from collections.abc import Iterable

    from rebound.mail.scan import Finding
    from rebound.outcomes.repository import ApplicationsRepository
    from rebound.repository import Run

MAIL_KINDS = ("rejection", "interview", "assessment", "offer", "received")
MAIL_STATUSES = ("proposed", "confirmed", "dismissed")
BATCH_SETTING = "mail_rejections_batch"  # "1": rejections found in mail wait for one calm batch
UNNAMED_ROLE = "Role not named in the mail"
_TYPES = {  # the columns record() writes, with their SQL types (Repository._insert_rows)
    "message_key": "VARCHAR",
    "mail_date": "DATE",
    "sender": "VARCHAR",
    "subject": "VARCHAR",
    "kind": "VARCHAR",
    "company": "VARCHAR",
    "role": "VARCHAR",
    "application_id": "BIGINT",
    "confidence": "DOUBLE",
    "stage": "VARCHAR",
    "sentence": "VARCHAR",
    "reason": "VARCHAR",
    "content_hash": "VARCHAR",
}


def variant_key(message_key: str, content_hash: str) -> str:
    """The key of a mail that reuses a recorded Message-ID with other content."""
    return f"{message_key}~{content_hash[:16]}" if content_hash else message_key


def event_for(kind: str, stage: str | None) -> str | None:
    """The timeline event a confirmed finding writes (a received acknowledgement writes none)."""
    if kind == "rejection":
        return "rejected"
    if kind == "interview":
        return stage if stage in MEETING_EVENTS else "interview"
    if kind == "assessment":
        return "screen"  # a test or take-home is the first answer past applying: the screening stage
    if kind == "offer":
        return "offer"
    return None


def _furthest(*stages: str | None) -> str:
    known = [s for s in stages if s in REJECTION_STAGES]
    return max(known, key=PROGRESS_STAGES.index) if known else "applied"


class MailRepository(Repository):
    def __init__(self, scope: UserScope, settings: SettingsRepository, applications: ApplicationsRepository) -> None:
        super().__init__(scope)
        self.settings = settings
        self.outcomes = applications  # the one door to applications and their timelines

    # -- reading ----------------------------------------------------------------------------
    def statuses(self, keys: Iterable[str]) -> dict[str, str]:
        """{message_key: status} for the messages of these keys this user's database has seen."""
        keys = [str(k) for k in keys]
        if not keys:
            return {}
        return dict(
            self._rows(
                "SELECT message_key, status FROM mail_findings WHERE user_id = $user"
                " AND message_key IN (SELECT unnest($keys))",
                {"keys": keys},
            )
        )

    def applications(self) -> list[dict]:
        """What matching needs of each application (id, company, role, status, applied_on), as plain
        records: a scan from the command line never loads pandas."""
        return self._records(
            f"WITH {STATUS_CTE} SELECT id, company, role, status, applied_on FROM app_status"
            " ORDER BY applied_on DESC, id DESC"
        )

    def known(self, keys: Iterable[str]) -> dict[str, dict]:
        """{message_key: {id, status, application_id}} for the messages of these keys already recorded."""
        keys = [str(k) for k in keys]
        if not keys:
            return {}
        rows = self._rows(
            "SELECT message_key, id, status, application_id FROM mail_findings WHERE user_id = $user"
            " AND message_key IN (SELECT unnest($keys))",
            {"keys": keys},
        )
        return {k: {"id": i, "status": st, "application_id": a} for k, i, st, a in rows}

    def findings(self, status: str | None = "proposed") -> list[dict]:
        """Findings newest mail first, with the matched application's company and role."""
        where = "AND f.status = $status" if status else ""
        return self._records(
            "SELECT f.id, f.message_key, f.mail_date, f.sender, f.subject, f.kind, f.company, f.role,"
            " f.application_id, f.confidence, f.stage, f.sentence, f.reason, f.status, f.event_id,"
            " a.company AS app_company, a.role AS app_role"
            " FROM mail_findings f LEFT JOIN applications a ON a.id = f.application_id AND a.user_id = $user"
            f" WHERE f.user_id = $user {where} ORDER BY f.mail_date DESC NULLS LAST, f.id DESC",
            {"status": status} if status else None,
        )

    def pending_counts(self) -> dict[str, int]:
        """{kind: proposals waiting} for this user."""
        return dict(
            self._rows(
                "SELECT kind, count(*) FROM mail_findings WHERE user_id = $user AND status = 'proposed' GROUP BY kind"
            )
        )

    def batch_rejections(self) -> bool:
        return self.settings.get(BATCH_SETTING) == "1"

    # -- mailbox sync state (rebound/mail/imap.py): where the last check stopped, never a password --
    def sync_state(self, account: str, folder: str) -> dict | None:
        """{uidvalidity, last_uid, since, checked_at, messages, found} of one account's folder, or None."""
        rows = self._records(
            "SELECT uidvalidity, last_uid, since, checked_at, messages, found FROM mail_sync"
            " WHERE user_id = $user AND account = $account AND folder = $folder",
            {"account": account, "folder": folder},
        )
        return rows[0] if rows else None

    def save_sync_state(
        self, account: str, folder: str, uidvalidity: int, last_uid: int, since: dt.date, messages: int, found: int
    ) -> None:
        """Where reading stopped (joins the caller's transaction: the findings of a batch and its
        last UID land together)."""
        with self._write() as run:
            run(
                "INSERT OR REPLACE INTO mail_sync (user_id, account, folder, uidvalidity, last_uid, since,"
                " checked_at, messages, found) VALUES ($user, $account, $folder, $uidvalidity, $last_uid, $since,"
                " current_timestamp, $messages, $found)",
                {
                    "account": account,
                    "folder": folder,
                    "uidvalidity": uidvalidity,
                    "last_uid": last_uid,
                    "since": since,
                    "messages": messages,
                    "found": found,
                },
            )

    def forget_sync(self, account: str) -> int:
        """Forget every folder's sync state of an account (Disconnect)."""
        with self._write() as run:
            return len(
                run(
                    "DELETE FROM mail_sync WHERE user_id = $user AND account = $account RETURNING folder",
                    {"account": account},
                ).fetchall()
            )

    # -- writing ----------------------------------------------------------------------------
    def record(self, findings: Iterable[Finding]) -> int:
        """Record new findings as proposals in one transaction (one INSERT for all of them); returns how
        many were added. See record_counted."""
        return self.record_counted(findings)[0]

    def record_counted(self, findings: Iterable[Finding]) -> tuple[int, int]:
        """Record new findings as proposals in one transaction; (added, duplicates).

        A Message-ID already recorded is judged by what the mail says (Finding.content_hash): the same
        content is a duplicate, left as it is (a dismissed finding stays dismissed) and counted; other
        content is a new proposal under the key "<Message-ID>~<digest>" (the finding's message_key is
        set to it, so a caller's later lookups by key find its row)."""
        rows = [f for f in findings if f.kind in MAIL_KINDS]
        if not rows:
            return 0, 0
        with self._write() as run:
            keys = {f.message_key for f in rows} | {variant_key(f.message_key, f.content_hash) for f in rows}
            known: dict[str, str | None] = dict(
                run(
                    "SELECT message_key, content_hash FROM mail_findings WHERE user_id = $user"
                    " AND message_key IN (SELECT unnest($keys))",
                    {"keys": sorted(keys)},
                ).fetchall()
            )
            new: list[Finding] = []
            for f in rows:
                if f.message_key in known:
                    seen = known[f.message_key]
                    if seen is None or not f.content_hash or seen == f.content_hash:
                        continue  # the same mail again (or one recorded before contents were compared)
                    f.message_key = variant_key(f.message_key, f.content_hash)
                    if f.message_key in known:
                        continue  # this other content was recorded before too
                known[f.message_key] = f.content_hash or None
                new.append(f)
            self._insert_rows(run, "mail_findings", _TYPES, [{c: getattr(f, c) for c in _TYPES} for f in new])
        return len(new), len(rows) - len(new)

    def edit(
        self, finding_id: int, kind: str, company: str, role: str, application_id: int | None, reason: str | None
    ) -> None:
        if kind not in MAIL_KINDS:
            raise ValidationError(f"Unknown kind {kind!r}.")
        with self._write() as run:
            if (
                application_id is not None
                and not run(
                    "SELECT 1 FROM applications WHERE user_id = $user AND id = $app", {"app": application_id}
                ).fetchone()
            ):
                raise ValidationError("That application no longer exists.")
            done = run(
                "UPDATE mail_findings SET kind = $kind, company = $company, role = $role, application_id = $app,"
                " reason = $reason WHERE user_id = $user AND id = $id AND status = 'proposed' RETURNING id",
                {
                    "id": finding_id,
                    "kind": kind,
                    "company": (company or "").strip()[:300],
                    "role": (role or "").strip()[:300],
                    "app": application_id,
                    "reason": (reason or "").strip()[:2000] or None,
                },
            ).fetchall()
            if not done:
                raise ValidationError("That proposal was already confirmed or dismissed.")

    def dismiss(self, ids: Iterable[int]) -> int:
        ids = [int(i) for i in ids]
        if not ids:
            return 0
        with self._write() as run:
            return len(
                run(
                    "UPDATE mail_findings SET status = 'dismissed', decided_at = current_timestamp"
                    " WHERE user_id = $user AND id IN (SELECT unnest($ids)) AND status = 'proposed'"
                    " RETURNING id",
                    {"ids": ids},
                ).fetchall()
            )

    def confirm(self, ids: Iterable[int], today: dt.date | None = None) -> list[dict]:
        """Confirm proposals in ONE transaction: all land or none. Returns what each wrote:
        {finding_id, kind, application_id, event_id, event, created_application, already}; `already`
        says the event was on the timeline (the finding is confirmed, pointing at it, not written twice)."""
        today = today or dt.date.today()
        ids = [int(i) for i in ids]
        with self._write() as run:
            return [self._confirm(run, i, today) for i in ids]

    def confirm_one(self, finding_id: int, today: dt.date | None = None) -> dict:
        return self.confirm([finding_id], today)[0]

    def _confirm(self, run: Run, finding_id: int, today: dt.date) -> dict:
        row = run(
            "SELECT kind, company, role, application_id, stage, reason, mail_date, subject, message_key"
            " FROM mail_findings WHERE user_id = $user AND id = $id AND status = 'proposed'",
            {"id": finding_id},
        ).fetchone()
        if row is None:
            raise ValidationError("That proposal was already confirmed or dismissed.")
        kind, company, role, app_id, stage, reason, mail_date, subject, key = row
        day = min(mail_date or today, today)
        if (
            app_id is not None
            and not run("SELECT 1 FROM applications WHERE user_id = $user AND id = $app", {"app": app_id}).fetchone()
        ):
            app_id = None  # deleted since the scan: create it again from the mail
        # Everything is validated before anything is written, so a refusal leaves no half-confirmed
        # finding even inside a caller's larger transaction (the CLI's --apply --yes).
        new_app = None
        if app_id is None:
            if not (company or "").strip():
                raise ValidationError(
                    f"“{subject or 'A mail'}” matches no application and names no company: "
                    "edit it to pick an application or type the company."
                )
            new_app = validate_application(company, role or UNNAMED_ROLE, "other", day, today=today)
            applied_on, status = new_app["applied_on"], "applied"
        else:
            applied_on, status = run(
                f"WITH {STATUS_CTE} SELECT applied_on, status FROM app_status WHERE id = $id", {"id": app_id}
            ).fetchone()
        event = event_for(kind, stage)
        wanted = None
        if event is not None:
            reached = _furthest(status, stage) if event == "rejected" else None
            note = ("Assessment: " if kind == "assessment" else "From your mail: ") + (subject or "")[:200]
            reason_ = (reason or "") if event == "rejected" else ""
            # round None: the interview already logged that day, else the next round (the outcomes command's rule)
            wanted = NewEvent(app_id or 0, event, max(day, applied_on), None, reached, reason_, note)
            if new_app is not None:  # checked before the application is written (a refusal writes nothing)
                validate_event(
                    event,
                    wanted.happened_on,
                    applied_on,
                    1 if event == "interview" else None,
                    reached,
                    reason_,
                    note,
                    today,
                )
        if new_app is not None:
            app_id = self.outcomes.add_in(
                run,
                new_app["company"],
                new_app["role"],
                new_app["channel"],
                new_app["applied_on"],
                source="mail",
                source_key=key,
                today=today,
            )
        created = new_app is not None
        event_id, already = None, ""
        if wanted is not None:
            # through the outcomes command: validated, numbered, and an event already on the timeline
            # (logged on Outcomes, or by another mail) is not written twice: the finding points at it
            (logged,) = self.outcomes.log_events(
                run, [replace(wanted, application_id=app_id)], today=today, repeats="merge"
            )
            event_id, already = logged.event_id, logged.message
        run(
            "UPDATE mail_findings SET status = 'confirmed', application_id = $app, event_id = $event,"
            " decided_at = current_timestamp WHERE user_id = $user AND id = $id",
            {"id": finding_id, "app": app_id, "event": event_id},
        )
        return {
            "finding_id": finding_id,
            "kind": kind,
            "application_id": int(app_id),
            "event_id": event_id,
            "event": event,
            "created_application": created,
            "already": already,  # "Already on the timeline: Rejected on 7 Dec 2026", or "" when it was written
        }
