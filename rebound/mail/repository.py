"""Findings from the user's mail (store.mail): recorded as proposals, then confirmed (one transaction that
writes the event, creating the application if none matched), edited or dismissed."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from rebound.dates import fmt_date, utcnow
from rebound.errors import ValidationError
from rebound.outcomes.rules import NewEvent, validate_application, validate_event
from rebound.outcomes.status import STATUS_CTE
from rebound.repository import Repository, SettingsRepository, UserScope
from rebound.vocab import MEETING_EVENTS, PROGRESS_STAGES, REJECTION_STAGES, event_label

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


_LINKED = {  # what a record linked to an application or event is called in a refused undo
    "checkins": "a check-in",
    "reflections": "a reflection",
    "feedback_requests": "a feedback request",
    "mail_findings": "another finding from your mail",
    "wins": "a win",
    "actions": "an action item",
    "activities": "an activity",
    "contacts": "a contact",
}


def app_line(company: object, role: object, applied_on: object = None) -> str:
    """'Acme — Analyst · applied 1 Nov 2026': an application as a confirmation's preview names it."""
    text = f"{company or 'an employer not named'} — {role or UNNAMED_ROLE}"
    return text + (f" · applied {fmt_date(applied_on)}" if applied_on else "")


@dataclass(frozen=True)
class Step:
    """What confirming one proposal does: the application it lands on (`creates`: a new one), the
    event it adds there (None: an acknowledgement adds none) or, in `already`, why it adds nothing."""

    finding_id: int
    application: str
    creates: bool
    event: str | None
    already: str = ""


@dataclass(frozen=True)
class Plan:
    """What confirming proposals will do, read by doing it and rolling it back (MailRepository.preview):
    `steps` in order, and the proposals it would refuse, with why (nothing of those is written)."""

    steps: tuple[Step, ...]
    refused: tuple[tuple[int, str], ...] = ()

    @property
    def ids(self) -> list[int]:
        """The proposals that will be confirmed (those refused are left as they are)."""
        return [s.finding_id for s in self.steps]

    def sections(self) -> list[tuple[str, list[str]]]:
        """The preview, the same in the app and the CLI: (title, items) for the new applications, the
        events on which application, what is already there, what will not be confirmed (none empty)."""
        new = [s.application for s in self.steps if s.creates]
        events = [f"{s.event} → {s.application}" for s in self.steps if s.event and not s.already]
        there = [f"{s.already} → {s.application}" for s in self.steps if s.already]
        quiet = [s.application for s in self.steps if s.event is None and not s.already]
        return [
            (title, items)
            for title, items in (
                (f"New application{'s' if len(new) != 1 else ''} it will create ({len(new)}):", new),
                (f"Event{'s' if len(events) != 1 else ''} it will add ({len(events)}):", events),
                ("Already on the timeline, not added again:", there),
                ("Acknowledgements marked as read (no event):", quiet),
                ("Not confirmed (left as they are):", [why for _, why in self.refused]),
            )
            if items
        ]

    def lines(self) -> list[str]:
        """The preview as plain text lines (the CLI prints them)."""
        return [line for title, items in self.sections() for line in (title, *(f"  • {i}" for i in items))]


class PlanChanged(ValidationError):
    """A confirmation that would no longer do what its preview listed (another tab changed something
    in between): nothing was written."""


class _Rollback(Exception):
    """Ends a dry run: the transaction rolls back."""


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
            " coalesce(f.version, 1) AS version, f.updated_at,"
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
        self,
        finding_id: int,
        kind: str,
        company: str,
        role: str,
        application_id: int | None,
        reason: str | None,
        version: int | None = None,
    ) -> int:
        """Change a proposal before it is confirmed; with `version` (the one the form was read at) only
        if nobody saved it since, else StaleEdit and nothing written. Returns the new version.
        Refused (ValidationError) once it is confirmed or dismissed, or gone."""
        if kind not in MAIL_KINDS:
            raise ValidationError(f"Unknown kind {kind!r}.")
        with self._write() as run:
            status = run(
                "SELECT status FROM mail_findings WHERE user_id = $user AND id = $id", {"id": int(finding_id)}
            ).fetchone()
            if status is None:
                raise ValidationError("That proposal no longer exists; nothing was saved.")
            if status[0] != "proposed":
                raise ValidationError(
                    f"That proposal was already {status[0]} (in another tab or window?); nothing was saved."
                )
            if (
                application_id is not None
                and not run(
                    "SELECT 1 FROM applications WHERE user_id = $user AND id = $app", {"app": application_id}
                ).fetchone()
            ):
                raise ValidationError("That application no longer exists.")
            fields = {
                "kind": kind,
                "company": (company or "").strip()[:300],
                "role": (role or "").strip()[:300],
                "application_id": application_id,
                "reason": (reason or "").strip()[:2000] or None,
            }
            return self._versioned_update(
                run, "mail_findings", finding_id, version, fields, what="mail proposal", where="status = 'proposed'"
            )

    def dismiss(self, ids: Iterable[int]) -> int:
        ids = [int(i) for i in ids]
        if not ids:
            return 0
        with self._write() as run:
            return len(
                run(
                    "UPDATE mail_findings SET status = 'dismissed', decided_at = current_timestamp,"
                    " version = coalesce(version, 1) + 1, updated_at = $now WHERE user_id = $user"
                    " AND id IN (SELECT unnest($ids)) AND status = 'proposed' RETURNING id",
                    {"ids": ids, "now": utcnow()},
                ).fetchall()
            )

    def preview(self, ids: Iterable[int], today: dt.date | None = None) -> Plan:
        """What `confirm(ids)` would do, found by doing it in a transaction that is rolled back: the
        same code, so the preview cannot differ from the confirmation (which checks it again, see
        `confirm(expect=...)`). A proposal that would be refused is listed with why, and left out."""
        if self.db.in_transaction:  # a joined transaction cannot be rolled back alone
            raise RuntimeError("preview() rolls its own transaction back: call it outside a transaction")
        today = today or dt.date.today()
        steps: list[Step] = []
        refused: list[tuple[int, str]] = []
        try:
            with self._write() as run:
                for i in (int(i) for i in ids):
                    try:  # a refusal writes nothing of that proposal (validated before writing)
                        done = self._confirm(run, i, today)
                    except ValidationError as error:
                        refused.append((i, str(error)))
                        continue
                    steps.append(self._step(run, done))
                raise _Rollback
        except _Rollback:
            pass
        return Plan(tuple(steps), tuple(refused))

    def confirm(self, ids: Iterable[int], today: dt.date | None = None, expect: Plan | None = None) -> list[dict]:
        """Confirm proposals in ONE transaction: all land or none. Returns what each wrote:
        {finding_id, kind, application_id, event_id, event, created_application, already}; `already`
        says the event was on the timeline (the finding is confirmed, pointing at it, not written twice).
        With `expect` (the preview shown), refused (PlanChanged, nothing written) unless it does exactly
        what that preview listed. What it wrote is kept for one Undo (`undo_confirm`), replacing the
        previous confirmation's."""
        today = today or dt.date.today()
        ids = [int(i) for i in ids]
        with self._write() as run:
            before = dict(
                run(
                    "SELECT id, application_id FROM mail_findings WHERE user_id = $user AND id IN (SELECT unnest($ids))",
                    {"ids": ids},
                ).fetchall()
            )
            done = [self._confirm(run, i, today) for i in ids]
            if expect is not None and tuple(self._step(run, d) for d in done) != expect.steps:
                raise PlanChanged(
                    "Something changed since this list was shown (in another tab or window?); nothing was "
                    "confirmed. Look at the new list, then confirm again."
                )
            self._remember(run, done, before)
        return done

    def confirm_one(self, finding_id: int, today: dt.date | None = None) -> dict:
        return self.confirm([finding_id], today)[0]

    def _step(self, run: Run, done: dict) -> Step:
        """One confirmation's Step, read inside its transaction."""
        company, role, applied_on = run(
            "SELECT company, role, applied_on FROM applications WHERE user_id = $user AND id = $id",
            {"id": done["application_id"]},
        ).fetchone()
        event = None
        if done["event_id"] is not None:
            kind, day, round_, stage = run(
                "SELECT kind, happened_on, round, stage FROM events WHERE user_id = $user AND id = $id",
                {"id": done["event_id"]},
            ).fetchone()
            event = f"{event_label(kind, round_, stage)} on {fmt_date(day)}"
        return Step(
            done["finding_id"], app_line(company, role, applied_on), done["created_application"], event, done["already"]
        )

    def _remember(self, run: Run, done: list[dict], before: dict[int, int | None]) -> None:
        """Keep what a confirmation wrote (only the latest confirmation's), for `undo_confirm`."""
        run("DELETE FROM mail_confirms WHERE user_id = $user")
        if not done:
            return
        versions = dict(
            run(
                "SELECT id, coalesce(version, 1) FROM mail_findings WHERE user_id = $user"
                " AND id IN (SELECT unnest($ids))",
                {"ids": [d["finding_id"] for d in done]},
            ).fetchall()
        )
        confirm_id = run("SELECT nextval('row_id')").fetchone()[0]
        undo = {
            "confirm_id": confirm_id,
            "findings": [
                {
                    "id": d["finding_id"],
                    "application_id": before.get(d["finding_id"]),
                    "version": versions[d["finding_id"]],
                }
                for d in done
            ],
            "events": sorted({d["event_id"] for d in done if d["event_id"] is not None and not d["already"]}),
            "applications": sorted({d["application_id"] for d in done if d["created_application"]}),
        }
        run(
            "INSERT INTO mail_confirms (id, user_id, confirmed_at, undo) VALUES ($id, $user, $at, $undo)",
            {"id": confirm_id, "at": utcnow(), "undo": json.dumps(undo)},
        )

    def last_confirm(self) -> dict | None:
        """The confirmation Undo can still take back: {id, confirmed_at, findings, applications,
        events} (how many of each it confirmed or created), or None."""
        row = self._one(
            "SELECT id, confirmed_at, undo FROM mail_confirms WHERE user_id = $user ORDER BY confirmed_at DESC LIMIT 1"
        )
        if row is None:
            return None
        confirm_id, at, undo = row
        undo = json.loads(undo)
        if undo.get("confirm_id") != confirm_id:  # a backup was restored since: its ids were re-drawn
            return None
        return {
            "id": int(confirm_id),
            "confirmed_at": at,
            "findings": len(undo["findings"]),
            "applications": len(undo["applications"]),
            "events": len(undo["events"]),
        }

    def keep_confirm(self, confirm_id: int) -> None:
        """'Keep': Undo is no longer offered nor accepted for that confirmation."""
        with self._write() as run:
            run("DELETE FROM mail_confirms WHERE user_id = $user AND id = $id", {"id": int(confirm_id)})

    def undo_confirm(self, confirm_id: int) -> int:
        """Put back what one confirmation wrote, in ONE transaction: the events and applications it
        created removed, its proposals back to pending (linked as before). Returns how many proposals.

        Refused (ValidationError naming what, nothing written) when something since depends on it: an
        application it created edited, merged, given another event or linked to a check-in, reflection,
        feedback request or win; an event it added edited, removed or counted as a win; a proposal
        changed since; an undo already done or kept; or a backup restored since (its ids were re-drawn)."""
        with self._write() as run:
            row = run(
                "SELECT undo FROM mail_confirms WHERE user_id = $user AND id = $id", {"id": int(confirm_id)}
            ).fetchone()
            if row is None:
                raise ValidationError(
                    "That confirmation was already undone or kept (in another tab or window?); nothing was changed."
                )
            undo = json.loads(row[0])
            if undo.get("confirm_id") != int(confirm_id):
                raise ValidationError("That confirmation can no longer be undone: a backup was restored since.")
            self._check_undo(run, undo)
            finding_ids = [f["id"] for f in undo["findings"]]
            run("DELETE FROM events WHERE user_id = $user AND id IN (SELECT unnest($ids))", {"ids": undo["events"]})
            run(
                "DELETE FROM applications WHERE user_id = $user AND id IN (SELECT unnest($ids))",
                {"ids": undo["applications"]},
            )
            run(
                "UPDATE mail_findings f SET status = 'proposed', application_id = b.app, event_id = NULL,"
                " decided_at = NULL, version = coalesce(f.version, 1) + 1, updated_at = $now"
                " FROM (SELECT unnest($ids) AS id, unnest($apps) AS app) b WHERE f.user_id = $user AND f.id = b.id",
                {"ids": finding_ids, "apps": [f["application_id"] for f in undo["findings"]], "now": utcnow()},
            )
            run("DELETE FROM mail_confirms WHERE user_id = $user AND id = $id", {"id": int(confirm_id)})
        return len(finding_ids)

    def _check_undo(self, run: Run, undo: dict) -> None:
        """Inside undo_confirm's write: refuse (ValidationError) if anything since depends on what it wrote."""
        nothing = " Nothing was undone."
        ours = {f["id"] for f in undo["findings"]}
        findings = {
            i: (status, int(version), subject)
            for i, status, version, subject in run(
                "SELECT id, status, coalesce(version, 1), subject FROM mail_findings WHERE user_id = $user"
                " AND id IN (SELECT unnest($ids))",
                {"ids": sorted(ours)},
            ).fetchall()
        }
        for f in undo["findings"]:
            now = findings.get(f["id"])
            if now is None or now[0] != "confirmed" or now[1] != f["version"]:
                subject = now[2] if now else None
                raise ValidationError(f"The proposal “{subject or 'a mail'}” was changed since." + nothing)
        apps = {
            int(i): (app_line(c, r), int(v))
            for i, c, r, v in run(
                "SELECT id, company, role, coalesce(version, 1) FROM applications WHERE user_id = $user"
                " AND id IN (SELECT unnest($ids))",
                {"ids": undo["applications"]},
            ).fetchall()
        }
        for app_id in undo["applications"]:
            if app_id not in apps:
                raise ValidationError("An application it created was deleted or merged since." + nothing)
            name, version = apps[app_id]
            if version != 1:
                raise ValidationError(f"You edited {name} since it was created from your mail." + nothing)
        events = {
            int(i): (event_label(k, r, s), day, int(a), int(v))
            for i, k, r, s, day, a, v in run(
                "SELECT e.id, e.kind, e.round, e.stage, e.happened_on, e.application_id, coalesce(e.version, 1)"
                " FROM events e WHERE e.user_id = $user AND e.id IN (SELECT unnest($ids))",
                {"ids": undo["events"]},
            ).fetchall()
        }
        names = dict(
            run(
                "SELECT id, company || ' — ' || role FROM applications WHERE user_id = $user"
                " AND id IN (SELECT unnest($ids))",
                {"ids": sorted({e[2] for e in events.values()})},
            ).fetchall()
        )
        for event_id in undo["events"]:
            if event_id not in events:
                raise ValidationError("An event it added was removed since." + nothing)
            label, day, app_id, version = events[event_id]
            if version != 1:
                raise ValidationError(
                    f"The event “{label}” of {names.get(app_id, 'an application')} was edited since." + nothing
                )
        later = run(
            "SELECT e.application_id, e.kind, e.round, e.stage, e.happened_on FROM events e WHERE e.user_id = $user"
            " AND e.application_id IN (SELECT unnest($apps)) AND e.id NOT IN (SELECT unnest($events)) LIMIT 1",
            {"apps": undo["applications"], "events": undo["events"]},
        ).fetchone()
        if later is not None:
            raise ValidationError(
                f"{apps[int(later[0])][0]} has “{event_label(later[1], later[2], later[3])}” on "
                f"{fmt_date(later[4])}, logged since." + nothing
            )
        for column, ids, what in (
            ("application_id", undo["applications"], lambda i: apps[i][0]),
            ("event_id", undo["events"], lambda i: f"“{events[i][0]}” of {names.get(events[i][2], 'an application')}"),
        ):
            for table, row_id, linked in self.outcomes.linked_in(run, column, ids):
                if table == "mail_findings" and row_id in ours:
                    continue
                kind = _LINKED.get(table, f"a record ({table.replace('_', ' ')})")
                raise ValidationError(f"{kind[0].upper()}{kind[1:]} is linked to {what(linked)} since." + nothing)

    def _confirm(self, run: Run, finding_id: int, today: dt.date) -> dict:
        row = run(
            "SELECT kind, company, role, application_id, stage, reason, mail_date, subject, message_key, status"
            " FROM mail_findings WHERE user_id = $user AND id = $id",
            {"id": finding_id},
        ).fetchone()
        if row is None:
            raise ValidationError("That proposal no longer exists; nothing was confirmed.")
        kind, company, role, app_id, stage, reason, mail_date, subject, key, status = row
        if status != "proposed":  # another tab (or the CLI) decided it first: nothing is written twice
            raise ValidationError(
                f"“{subject or 'That mail'}” was already {status} (in another tab or window?); nothing was added twice."
            )
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
            " decided_at = current_timestamp, version = coalesce(version, 1) + 1, updated_at = $now"
            " WHERE user_id = $user AND id = $id",
            {"id": finding_id, "app": app_id, "event": event_id, "now": utcnow()},
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
