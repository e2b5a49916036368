"""Applications and their stage timelines (store.applications): user-scoped SQL, and the ONE door
through which anything writes them: add_applications_in and log_events take the caller's
transaction (`run`), so the Outcomes page, mail confirmations, imports, the demo and restores all
pass the same validation, round numbering and repeated-event rule.

An event only exists on an application's timeline and the status is derived from it (the read
model in rebound.outcomes.status), so applications and their events are one repository."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from rebound.dates import fmt_date
from rebound.errors import ValidationError
from rebound.outcomes.rules import (
    NewEvent,
    already_there,
    check_not_repeated,
    normalized,
    nudges_for,
    repeat_of,
    validate_application,
    validate_event,
)
from rebound.outcomes.status import STATUS_CTE
from rebound.repository import Repository, SettingsRepository, UserScope
from rebound.vocab import OPEN_STATUSES, sql_in

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    import pandas as pd

    from rebound.outcomes.rules import Nudge
    from rebound.repository import Run

    Progress = Callable[[float, str], object]  # progress(fraction, message), e.g. a Streamlit progress bar's
    During = Callable[[], object]  # run inside the transaction before it commits (tests interrupt there)


def _missing(value: object) -> bool:
    """None, NaN or pandas' NA/NaT: a cell a frame left empty."""
    if value is None or isinstance(value, str):  # the usual cells, answered first
        return value is None
    try:
        return bool(value != value)  # NaN and NaT differ from themselves
    except TypeError:  # pandas.NA: neither equal nor unequal
        return True


def _text(value: object) -> str:
    """A frame's cell as text: '' where it is empty."""
    return "" if _missing(value) else str(value)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A frame's rows as plain Python dicts (None where a cell is empty), converted column by column
    through Arrow: DataFrame.to_dict("records") boxes every cell, ~1 s on an import's 10,000 rows."""
    import pyarrow as pa

    def values(column: pd.Series) -> list[object]:
        try:
            return pa.array(column, from_pandas=True).to_pylist()
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # a column of mixed kinds: cell by cell
            return column.tolist()

    names = [str(c) for c in frame.columns]  # plain strings: iterating the Index itself is slow
    return [dict(zip(names, row)) for row in zip(*(values(frame[c]) for c in names))]


@dataclass(frozen=True)
class Logged:
    """What log_events did with one event: `added`, or not (a repeat merged into the event already
    on the timeline, whose id `event_id` then is, with the message to show)."""

    event_id: int
    added: bool
    message: str = ""


class ApplicationsRepository(Repository):
    def __init__(self, scope: UserScope, settings: SettingsRepository) -> None:
        super().__init__(scope)
        self.settings = settings

    # -- applications ------------------------------------------------------
    def add(
        self,
        company: str,
        role: str,
        channel: str,
        applied_on: dt.date,
        url: str = "",
        location: str = "",
        notes: str = "",
        source: str = "manual",
        source_key: str | None = None,
        today: dt.date | None = None,
    ) -> int:
        with self._write() as run:
            return self.add_in(run, company, role, channel, applied_on, url, location, notes, source, source_key, today)

    def add_in(
        self,
        run: Run,
        company: str,
        role: str,
        channel: str,
        applied_on: dt.date,
        url: str = "",
        location: str = "",
        notes: str = "",
        source: str = "manual",
        source_key: str | None = None,
        today: dt.date | None = None,
    ) -> int:
        """One application, inside the caller's transaction (`run`): see add_applications_in."""
        row = {"company": company, "role": role, "channel": channel, "applied_on": applied_on, "url": url}
        row |= {"location": location, "notes": notes, "source_key": source_key}
        return self.add_applications_in(run, [row], source, today)[0]

    def add_applications_in(
        self, run: Run, rows: Iterable[Mapping[str, object]], source: str, today: dt.date | None = None
    ) -> list[int]:
        """THE one way to add applications, inside the caller's transaction (`run`): each row
        (company, role, channel, applied_on, and optionally url, location, notes, source_key) is
        validated by rules.validate_application before any is written. The Outcomes page, mail
        confirmations, imports and the demo write through it. Returns the new ids, in order."""
        today = today or dt.date.today()
        checked = []
        for row in rows:
            applied_on = row["applied_on"]
            if isinstance(applied_on, dt.datetime):  # a file's moment (pandas Timestamp too): its day
                applied_on = applied_on.date()
            fields = validate_application(
                _text(row["company"]),
                _text(row["role"]),
                _text(row["channel"]),
                applied_on,  # type: ignore[arg-type]  # validate_application refuses what is not a date
                _text(row.get("url")),
                _text(row.get("location")),
                _text(row.get("notes")),
                today,
            )
            checked.append({**fields, "source_key": row.get("source_key") or None})
        if not checked:
            return []
        ids = [r[0] for r in run("SELECT nextval('row_id') FROM range($n)", {"n": len(checked)}).fetchall()]
        types = {"id": "BIGINT", "source": "VARCHAR", "applied_on": "DATE"}
        columns = ("id", "source", "company", "role", "url", "channel", "location", "applied_on", "notes", "source_key")
        rows = [{**row, "id": i, "source": source} for i, row in zip(ids, checked)]
        self._insert_rows(run, "applications", {c: types.get(c, "VARCHAR") for c in columns}, rows)
        return ids

    def import_applications(
        self,
        apps: pd.DataFrame,
        events: pd.DataFrame,
        source: str,
        today: dt.date | None = None,
        during: During | None = None,
        progress: Progress | None = None,
    ) -> dict[str, int]:
        """Applications and their stage events from a file (or the demo) in ONE transaction, through
        add_applications_in and log_events. `apps.key` links `events.key`; ids are assigned here.
        Rows whose (source, source_key) an earlier import wrote are left out (again inside the
        transaction: a second run adds nothing even if the data changed since the preview); an event
        already on the timeline is merged, counted as "already there"."""
        progress = progress or (lambda fraction, message: None)
        if apps.empty:
            return {"applications": 0, "events": 0}
        with self._write() as run:
            progress(0.88, "Checking for applications already in Rebound")
            existing = {
                r[0]
                for r in run(
                    "SELECT source_key FROM applications WHERE user_id = $user AND source = $source"
                    " AND source_key IS NOT NULL",
                    {"source": source},
                ).fetchall()
            }
            if "source_key" in apps.columns:
                keyed = apps["source_key"].notna()
                apps = apps[~(keyed & (apps["source_key"].isin(existing) | apps["source_key"].duplicated()))]
                apps = apps.reset_index(drop=True)
            if apps.empty:
                return {"applications": 0, "events": 0}
            progress(0.9, f"Writing {len(apps):,} applications")
            records = _records(apps)
            ids = dict(zip((r["key"] for r in records), self.add_applications_in(run, records, source, today)))
            progress(0.95, f"Writing {len(events):,} stage events")
            logged = self.log_events(
                run,
                [
                    NewEvent(
                        ids[e["key"]],
                        e["kind"],
                        e["happened_on"],
                        None if _missing(e.get("round")) else int(e["round"]),
                        _text(e.get("stage")) or None,
                        _text(e.get("reason")),
                        _text(e.get("note")),
                    )
                    for e in _records(events)
                    if e["key"] in ids
                ],
                today,
                repeats="merge",
            )
            if during:
                during()
        added = sum(1 for e in logged if e.added)
        written = {"applications": len(ids), "events": added}
        return written | ({"already there": len(logged) - added} if len(logged) > added else {})

    def update(
        self,
        app_id: int,
        company: str,
        role: str,
        channel: str,
        applied_on: dt.date,
        url: str = "",
        location: str = "",
        notes: str = "",
        today: dt.date | None = None,
        version: int | None = None,
    ) -> int:
        """Save the details; with `version` (the one the form was read at) only if nobody saved them
        since, else StaleEdit and nothing written. Returns the new version."""
        fields = validate_application(company, role, channel, applied_on, url, location, notes, today)
        with self._write() as run:
            first = run(
                "SELECT min(happened_on) FROM events WHERE user_id = $user AND application_id = $id", {"id": app_id}
            ).fetchone()[0]
            if first is not None and applied_on > first:
                raise ValidationError(f"The application date is after its first event ({fmt_date(first)}).")
            return self._versioned_update(run, "applications", app_id, version, fields, what="application")

    def delete(self, app_id: int) -> None:
        """The application goes with its timeline and feedback requests; the user's own
        check-ins, reflections and action items stay, no longer linked to it."""
        params = {"id": app_id}
        with self._write() as run:
            run(
                "UPDATE actions SET source = 'manual', source_id = NULL WHERE user_id = $user AND source = 'feedback'"
                " AND source_id IN (SELECT id FROM feedback_requests WHERE user_id = $user AND application_id = $id)",
                params,
            )
            run("DELETE FROM feedback_requests WHERE user_id = $user AND application_id = $id", params)
            run("UPDATE checkins SET application_id = NULL WHERE user_id = $user AND application_id = $id", params)
            run("UPDATE reflections SET application_id = NULL WHERE user_id = $user AND application_id = $id", params)
            run(
                "UPDATE wins SET event_id = NULL WHERE user_id = $user AND event_id IN"
                " (SELECT id FROM events WHERE user_id = $user AND application_id = $id)",
                params,
            )
            run("DELETE FROM events WHERE user_id = $user AND application_id = $id", params)
            run("DELETE FROM applications WHERE user_id = $user AND id = $id", params)

    def get(self, app_id: int) -> dict | None:
        df = self._df(f"WITH {STATUS_CTE} SELECT * FROM app_status WHERE id = $id", {"id": app_id})
        return None if df.empty else df.iloc[0].to_dict()

    def all(
        self,
        statuses: Iterable[str] | None = None,
        channels: Iterable[str] | None = None,
        start: dt.date | None = None,
        end: dt.date | None = None,
    ) -> pd.DataFrame:
        """All applications with their derived status, newest first, optionally filtered."""
        where: list[str] = []
        params: dict[str, object] = {}
        if statuses:
            where.append("status IN (SELECT unnest($statuses))")
            params["statuses"] = list(statuses)
        if channels:
            where.append("channel IN (SELECT unnest($channels))")
            params["channels"] = list(channels)
        self._between("applied_on", start, end, where, params)
        clause = ("WHERE " + " AND ".join(where)) if where else ""
        return self._df(
            f"WITH {STATUS_CTE} SELECT id, company, role, channel, location, applied_on, status, round,"
            f" status_on, last_activity_on, url, notes, source FROM app_status {clause}"
            " ORDER BY applied_on DESC, id DESC",
            params,
        )

    def count(self) -> int:
        return self._one("SELECT count(*) FROM applications WHERE user_id = $user")

    def similar(self, company: str, role: str, exclude_id: int | None = None) -> pd.DataFrame:
        """Earlier applications to the same company and role ('applied here before?').
        Matched on the names alone, then only the matches' statuses are read: asked on every save,
        it must not work out the status of years of applications."""
        key = (normalized(company), normalized(role))
        names = self._rows("SELECT id, company, role FROM applications WHERE user_id = $user")
        ids = [i for i, c, r in names if i != exclude_id and (normalized(c), normalized(r)) == key]
        if not ids:  # the usual answer, without the status query (it walks every event even to find none)
            import pandas as pd  # as the account repository does: pandas loads with the first frame

            return pd.DataFrame(columns=["id", "company", "role", "applied_on", "status"])
        return self._df(
            f"WITH {STATUS_CTE} SELECT id, company, role, applied_on, status FROM app_status"
            " WHERE list_contains($ids, id) ORDER BY applied_on DESC, id DESC",
            {"ids": ids},
        )

    # -- timeline ----------------------------------------------------------
    def add_event(
        self,
        app_id: int,
        kind: str,
        happened_on: dt.date,
        round: int | None = None,
        stage: str | None = None,
        reason: str = "",
        note: str = "",
        today: dt.date | None = None,
    ) -> int:
        """Log one event as the user asks it (Outcomes): a repeat is refused with its reason."""
        event = NewEvent(app_id, kind, happened_on, 1 if kind == "interview" and round is None else round, stage)
        event = replace(event, reason=reason, note=note)
        with self._write() as run:
            return self.log_events(run, [event], today=today)[0].event_id

    def log_events(
        self, run: Run, events: Iterable[NewEvent], today: dt.date | None = None, repeats: str = "refuse"
    ) -> list[Logged]:
        """THE one way onto a timeline: the Outcomes page, mail confirmations, imports, the demo and
        restores all write events here, inside the caller's transaction (`run`, from a `_write()` of
        the same store). Each event is validated (rules.validate_event), an interview without a round
        gets the next one, and the repeated-event rule (rules.repeat_of) is applied against the
        timeline and the events before it in the same call (read inside the write: two tabs saving
        the same event at once still log it once).

        repeats="refuse": a repeat raises ValidationError (an event logged now: the current status
        counts, so ghosting the ghosted is refused too). repeats="merge": a repeat of the same kind,
        day and round is not written; its Logged carries the id of the event already there and
        rules.already_there's message (a mail, a file or a backup: history as it was lived).
        Nothing is written until every event has passed: a refusal writes none of them."""
        events = list(events)
        if not events:
            return []
        if repeats not in ("refuse", "merge"):
            raise ValueError(f"repeats must be 'refuse' or 'merge', not {repeats!r}")
        today = today or dt.date.today()
        app_ids = sorted({int(e.application_id) for e in events})
        apps = {
            int(i): (applied_on, status)
            for i, applied_on, status in run(
                f"WITH {STATUS_CTE} SELECT id, applied_on, status FROM app_status WHERE list_contains($ids, id)",
                {"ids": app_ids},
            ).fetchall()
        }
        # (application, day) -> [(kind, round, id or the position of a row written by this call)]
        logged: dict[tuple[int, dt.date], list[tuple[str, int | None, int | tuple[int]]]] = defaultdict(list)
        rounds: dict[int, int] = defaultdict(int)
        for app, day, kind, round_, event_id in run(
            "SELECT application_id, happened_on, kind, round, id FROM events WHERE user_id = $user"
            " AND list_contains($ids, application_id) ORDER BY happened_on, id",
            {"ids": app_ids},
        ).fetchall():
            logged[(app, day)].append((kind, round_, event_id))
            if kind == "interview":
                rounds[app] = max(rounds[app], round_ or 0)
        rows: list[dict] = []
        placed: list[tuple[int | tuple[int], str]] = []  # per event: its id (or row position), a repeat's message
        for event in events:
            app = int(event.application_id)
            if app not in apps:
                raise ValidationError("That application no longer exists.")
            applied_on, status = apps[app]
            if isinstance(event.happened_on, dt.datetime):  # a file's moment (pandas Timestamp too): its day
                event = replace(event, happened_on=event.happened_on.date())
            same_day = logged[(app, event.happened_on)]
            round_ = event.round
            if event.kind == "interview" and round_ is None:  # the interview of that day, else the next round
                round_ = next((r for k, r, _ in same_day if k == "interview"), rounds[app] + 1)
            fields = validate_event(
                event.kind, event.happened_on, applied_on, round_, event.stage, event.reason, event.note, today
            )
            day, round_ = fields["happened_on"], fields["round"]
            if repeats == "refuse":
                check_not_repeated(event.kind, day, round_, status, [(k, r) for k, r, _ in same_day])
            elif repeat_of(event.kind, round_, None, [(k, r) for k, r, _ in same_day]):
                there = next(i for k, r, i in same_day if (k, r) == (event.kind, round_))
                placed.append((there, already_there(event.kind, day, round_)))
                continue
            position = (len(rows),)
            rows.append({**fields, "application_id": app, "id": event.id, "created_at": event.created_at})
            placed.append((position, ""))
            same_day.append((event.kind, round_, position))
            if event.kind == "interview":
                rounds[app] = max(rounds[app], round_ or 0)
        drawn = iter(
            r[0]
            for r in run(
                "SELECT nextval('row_id') FROM range($n)", {"n": sum(1 for r in rows if r["id"] is None)}
            ).fetchall()
        )
        for row in rows:
            if row["id"] is None:
                row["id"] = next(drawn)
        columns = {"id": "BIGINT", "application_id": "BIGINT", "kind": "VARCHAR", "happened_on": "DATE"}
        columns |= {"round": "INTEGER", "stage": "VARCHAR", "reason": "VARCHAR", "note": "VARCHAR"}
        self._insert_rows(run, "events", columns | {"created_at": "TIMESTAMP"}, [r for r in rows if r["created_at"]])
        self._insert_rows(run, "events", columns, [r for r in rows if not r["created_at"]])  # created now
        return [
            Logged(rows[where[0]]["id"] if isinstance(where, tuple) else where, not message, message)
            for where, message in placed
        ]

    def restore_events_in(
        self, run: Run, rows: Iterable[Mapping[str, object]], today: dt.date | None = None
    ) -> tuple[int, dict[int, int]]:
        """A backup's events (rows with their re-drawn id and application_id, and the row's
        created_at) through log_events, inside the restore's transaction. An event the backup holds
        twice is restored once. Returns (how many were written, {a repeat's id: the kept one's id})."""
        events = [
            NewEvent(
                0 if _missing(r.get("application_id")) else int(r["application_id"]),  # type: ignore[call-overload]  # 0: refused as gone
                _text(r.get("kind")),
                r.get("happened_on"),  # type: ignore[arg-type]  # validate_event refuses what is not a date
                None if _missing(r.get("round")) else int(r["round"]),  # type: ignore[call-overload]
                _text(r.get("stage")) or None,
                _text(r.get("reason")),
                _text(r.get("note")),
                None if _missing(r.get("id")) else int(r["id"]),  # type: ignore[call-overload]
                r.get("created_at"),  # type: ignore[arg-type]
            )
            for r in rows
        ]
        logged = self.log_events(run, events, today, repeats="merge")
        merged = {e.id: done.event_id for e, done in zip(events, logged) if not done.added and e.id is not None}
        return len(events) - len(merged), merged

    def mark_quiet_ghosted(self, today: dt.date | None = None, app_ids: Iterable[int] | None = None) -> list[int]:
        """Settle the long silences in one step: every open application with no answer for the
        ghosting setting's days (the "mark as ghosted?" nudges), or only those of `app_ids` (an
        import's), is marked as ghosted on the day its silence became long (last activity + that
        setting), as if marked then: timelines and charts place it there, not on the day of the click.
        Returns the new events' ids, for `undo_ghosted`; each application can also be reopened."""
        today = today or dt.date.today()
        wanted = None if app_ids is None else {int(i) for i in app_ids}
        after = self.settings.get_int("ghost_after_days")
        quiet = {
            n.application_id: today - dt.timedelta(days=max(n.days_quiet - after, 0))
            for n in self.nudges(today)
            if n.kind == "ghost" and (wanted is None or n.application_id in wanted)
        }
        if not quiet:
            return []
        with self._write() as run:
            return [
                r[0]
                for r in run(
                    f"WITH {STATUS_CTE}, settled AS (SELECT unnest($ids) AS id, unnest($days) AS day)"
                    " INSERT INTO events (user_id, application_id, kind, happened_on)"
                    " SELECT $user, s.id, 'ghosted', q.day FROM app_status s JOIN settled q ON q.id = s.id"
                    " WHERE s.applied_on <= q.day AND s.status IN (SELECT unnest($open)) RETURNING id",
                    {"ids": list(quiet), "days": list(quiet.values()), "open": list(OPEN_STATUSES)},
                ).fetchall()
            ]

    def undo_ghosted(self, event_ids: Iterable[int]) -> int:
        """Take back ghosted events (e.g. the ids `mark_quiet_ghosted` returned); returns how many."""
        ids = [int(i) for i in event_ids]
        if not ids:
            return 0
        with self._write() as run:
            return len(
                run(
                    "DELETE FROM events WHERE user_id = $user AND kind = 'ghosted'"
                    " AND id IN (SELECT unnest($ids)) RETURNING id",
                    {"ids": ids},
                ).fetchall()
            )

    def delete_event(self, event_id: int) -> None:
        with self._write() as run:
            run("DELETE FROM events WHERE user_id = $user AND id = $id", {"id": event_id})

    def timeline(self, app_id: int) -> pd.DataFrame:
        """Applied first, then every event in the order it happened."""
        return self._df(
            "SELECT NULL::BIGINT AS id, 'applied' AS kind, applied_on AS happened_on, NULL::INTEGER AS round,"
            " NULL AS stage, NULL AS reason, NULL AS note, 0 AS ord_key, 0::BIGINT AS tie"
            " FROM applications WHERE user_id = $user AND id = $id"
            " UNION ALL SELECT id, kind, happened_on, round, stage, reason, note, 1, id"
            " FROM events WHERE user_id = $user AND application_id = $id"
            " ORDER BY happened_on, ord_key, tie",
            {"id": app_id},
        ).drop(columns=["ord_key", "tie"])

    def next_interview_round(self, app_id: int) -> int:
        n = self._one(
            "SELECT max(round) FROM events WHERE user_id = $user AND application_id = $id AND kind = 'interview'",
            {"id": app_id},
        )
        return int(n or 0) + 1

    # -- nudges ------------------------------------------------------------
    def nudges(self, today: dt.date | None = None) -> list[Nudge]:
        today = today or dt.date.today()
        rows = self._rows(
            f"WITH {STATUS_CTE} SELECT id, company, role, status, last_activity_on FROM app_status"
            f" WHERE status IN {sql_in(OPEN_STATUSES)}"
        )
        return nudges_for(
            rows, today, self.settings.get_int("follow_up_after_days"), self.settings.get_int("ghost_after_days")
        )

    # -- recent events (Today's nudges, the isolation check) ------------------
    def recent_rejections(self, since: dt.date) -> list[tuple]:
        """(day, company, application_id, role, stage) of rejections on or after `since`, newest first."""
        return self.events_since("rejected", since)

    def events_since(self, kind: str, since: dt.date) -> list[tuple]:
        """(day, company, application_id, role, stage) of one kind of event on or after `since`, newest first."""
        return self._rows(
            "SELECT e.happened_on, a.company, a.id, a.role, e.stage FROM events e"
            " JOIN applications a ON a.id = e.application_id AND a.user_id = $user"
            " WHERE e.user_id = $user AND e.kind = $kind AND e.happened_on >= $since"
            " ORDER BY e.happened_on DESC, e.id DESC",
            {"since": since, "kind": kind},
        )
