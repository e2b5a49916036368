"""Applications and their stage timelines (store.applications): user-scoped SQL, and the ONE door
through which anything writes them: add_applications_in and log_events take the caller's
transaction (`run`), so the Outcomes page, mail confirmations, imports, the demo and restores all
pass the same validation, round numbering and repeated-event rule.

An event only exists on an application's timeline and the status is derived from it (the read
model in rebound.outcomes.status), so applications and their events are one repository."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal

from rebound.dates import fmt_date, utcnow
from rebound.errors import StaleEdit, ValidationError
from rebound.outcomes.materials import COLUMN as MATERIAL_COLUMNS
from rebound.outcomes.materials import check_version_in
from rebound.outcomes.rules import (
    NewEvent,
    Reapplied,
    already_there,
    application_key,
    check_not_repeated,
    normalized,
    nudges_for,
    reapplied,
    repeat_of,
    validate_application,
    validate_event,
)
from rebound.outcomes.status import MERGED_SOURCE_KEYS, STATUS_CTE
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


_SAFE = re.compile(r"^[a-z_][a-z0-9_]*$")


def _tables_with(run: Run, column: str) -> list[str]:
    """Every table (but applications, events and merges) whose rows carry `column`, a user_id and an
    id: where a merge finds the records linked to an application (`application_id`) or an event
    (`event_id`), including tables later migrations add."""
    return [
        r[0]
        for r in run(
            "SELECT table_name FROM information_schema.columns WHERE table_schema = 'main'"
            " AND table_catalog = current_database() AND column_name IN ($column, 'user_id', 'id')"
            " AND table_name NOT IN ('applications', 'events', 'merges')"
            " GROUP BY table_name HAVING count(DISTINCT column_name) = 3 ORDER BY table_name",
            {"column": column},
        ).fetchall()
        if _SAFE.match(r[0])
    ]


def _take_rows(run: Run, table: str, where: str, params: dict) -> list[dict]:
    """Inside a write: delete this user's rows of `table` matching `where`, returning them whole (as
    JSON values: dates and moments as ISO text) for `_put_rows` to put back."""
    taken = run(f"SELECT to_json(list(t)) FROM {table} t WHERE user_id = $user AND ({where})", params).fetchone()[0]
    if taken is None:
        return []
    run(f"DELETE FROM {table} WHERE user_id = $user AND ({where})", params)
    return json.loads(taken)


def _put_rows(run: Run, table: str, rows: list[dict]) -> None:
    """Inside a write: insert rows `_take_rows` took, every column as it was (typed by the table)."""
    if not rows:
        return
    types = dict(
        run(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'main'"
            " AND table_catalog = current_database() AND table_name = $table",
            {"table": table},
        ).fetchall()
    )
    shape = json.dumps([{c: types[c] for c in rows[0] if c in types}])
    run(
        f"INSERT INTO {table} BY NAME SELECT unnest(r) FROM (SELECT unnest(json_transform($rows::JSON, $shape)) AS r)",
        {"rows": _json(rows), "shape": shape},
    )


def _json(value: object) -> str:
    """JSON text as DuckDB writes it (compact, characters as they are): an undo record that was
    itself taken by a later merge comes back character for character."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _not_mergeable(run: Run, app_id: int) -> str:
    """Why an application cannot take part in a merge: gone, or not this user's."""
    elsewhere = run(
        "SELECT count(*) FROM applications WHERE id = $app AND user_id <> $user", {"app": int(app_id)}
    ).fetchone()[0]
    if elsewhere:
        return "That application belongs to another user; nothing was merged."
    return "That application no longer exists (deleted in another tab or window?); nothing was merged."


def _joined(mine: str | None, theirs: str | None) -> str | None:
    """The kept notes, with the other's below them when they say something else."""
    if not theirs or theirs == mine:
        return mine
    return f"{mine}\n\n{theirs}" if mine else theirs


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
        cv_version_id: int | None = None,
        letter_version_id: int | None = None,
    ) -> int:
        """One application; `cv_version_id` and `letter_version_id` name the versions it was sent with
        (store.materials; None: not recorded)."""
        with self._write() as run:
            return self.add_in(
                run,
                company,
                role,
                channel,
                applied_on,
                url,
                location,
                notes,
                source,
                source_key,
                today,
                cv_version_id=cv_version_id,
                letter_version_id=letter_version_id,
            )

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
        cv_version_id: int | None = None,
        letter_version_id: int | None = None,
    ) -> int:
        """One application, inside the caller's transaction (`run`): see add_applications_in."""
        row = {"company": company, "role": role, "channel": channel, "applied_on": applied_on, "url": url}
        row |= {"location": location, "notes": notes, "source_key": source_key}
        row |= {"cv_version_id": cv_version_id, "letter_version_id": letter_version_id}
        return self.add_applications_in(run, [row], source, today)[0]

    def add_applications_in(
        self, run: Run, rows: Iterable[Mapping[str, object]], source: str, today: dt.date | None = None
    ) -> list[int]:
        """THE one way to add applications, inside the caller's transaction (`run`): each row
        (company, role, channel, applied_on, and optionally url, location, notes, source_key) is
        validated by rules.validate_application before any is written. The Outcomes page, mail
        confirmations, imports and the demo write through it. Returns the new ids, in order.
        Only the Outcomes form names the CV and cover-letter versions (cv_version_id,
        letter_version_id, checked to be this user's and not deleted); every other writer leaves
        them empty: a version is never guessed."""
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
            for kind, column in MATERIAL_COLUMNS.items():
                if row.get(column) is not None:
                    checked[-1][column] = check_version_in(run, row[column], kind)
        if not checked:
            return []
        ids = [r[0] for r in run("SELECT nextval('row_id') FROM range($n)", {"n": len(checked)}).fetchall()]
        types = {"id": "BIGINT", "source": "VARCHAR", "applied_on": "DATE"}
        types |= {"cv_version_id": "BIGINT", "letter_version_id": "BIGINT"}
        columns: tuple[str, ...] = ("id", "source", "company", "role", "url", "channel", "location", "applied_on")
        columns += ("notes", "source_key")
        if any(column in row for row in checked for column in MATERIAL_COLUMNS.values()):
            columns = (*columns, *MATERIAL_COLUMNS.values())
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
                    f" AND source_key IS NOT NULL UNION ALL {MERGED_SOURCE_KEYS}",  # merged away: not again
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
        cv_version_id: int | None | Literal["keep"] = "keep",
        letter_version_id: int | None | Literal["keep"] = "keep",
    ) -> int:
        """Save the details; with `version` (the one the form was read at) only if nobody saved them
        since, else StaleEdit and nothing written. Returns the new version. The CV and cover-letter
        versions change only when given (None: not recorded); a deleted one the application already
        had may stay."""
        fields: dict[str, object] = validate_application(
            company, role, channel, applied_on, url, location, notes, today
        )
        with self._write() as run:
            for kind, value in (("cv", cv_version_id), ("cover_letter", letter_version_id)):
                if value != "keep":
                    fields[MATERIAL_COLUMNS[kind]] = check_version_in(run, value, kind, allow_deleted=True)
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
            run("DELETE FROM merges WHERE user_id = $user AND application_id = $id", params)  # nothing to undo into
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

    def reapplications(self, app_id: int) -> Reapplied | None:
        """This application among all of the user's applications to the same company and role (see
        rules.application_key), oldest first; None if it is gone. Derived from the names, never
        stored: an application added on the form, imported or confirmed from mail is recognised
        alike. The names are compared in Python (the one normalisation) and only the group's
        statuses are read, in one query however large the group."""
        names = self._rows("SELECT id, company, role, applied_on FROM applications WHERE user_id = $user")
        key = next((application_key(c, r) for i, c, r, _ in names if i == app_id), None)
        if key is None:
            return None
        group = {int(i): on for i, c, r, on in names if application_key(c, r) == key}
        if len(group) == 1:
            return reapplied(int(app_id), [(int(app_id), group[int(app_id)], "")])
        statuses = self._rows(
            f"WITH {STATUS_CTE} SELECT id, applied_on, status FROM app_status WHERE list_contains($ids, id)",
            {"ids": list(group)},
        )
        return reapplied(int(app_id), [(int(i), on, status) for i, on, status in statuses])

    # -- merging two rows that are one application ---------------------------------------------
    def merge(
        self,
        keep_id: int,
        other_id: int,
        keep_version: int | None = None,
        other_version: int | None = None,
        during: During | None = None,
    ) -> int:
        """Merge application `other_id` into `keep_id` (two rows that are one application, say from
        two exports), in ONE transaction: the timelines combined (an event of the other that repeats
        one already there, the same kind, day and details, is kept once, and what pointed at it now
        points at the one kept), every record linked to the other (every table with an
        `application_id`: check-ins, reflections, feedback requests, mail findings …) moved to the
        kept one, the kept one's date the earlier of the two and its blank link, location and notes
        filled from the other; then the other is deleted. What Undo needs is kept in `merges`.
        Returns that record's id (for `undo_merge`).

        Refused, with nothing written: the same application twice, one that is gone or another
        user's (ValidationError), either read at an older `..._version` than it is at (StaleEdit)."""
        keep_id, other_id = int(keep_id), int(other_id)
        if keep_id == other_id:
            raise ValidationError("An application cannot be merged into itself; choose the other one.")
        with self._write() as run:
            found = {
                int(r[0]): r
                for r in run(
                    "SELECT id, applied_on, url, location, notes, coalesce(version, 1), updated_at, company, role,"
                    " cv_version_id, letter_version_id"
                    " FROM applications WHERE user_id = $user AND list_contains($ids, id)",
                    {"ids": [keep_id, other_id]},
                ).fetchall()
            }
            for wanted in (keep_id, other_id):
                if wanted not in found:
                    raise ValidationError(_not_mergeable(run, wanted))
            _, other_on, other_url, other_location, other_notes, version, saved_at, company, role = found[other_id][:9]
            if other_version is not None and int(version) != int(other_version):
                theirs = {"company": company, "role": role, "applied_on": other_on}
                raise StaleEdit("application", theirs, int(version), saved_at)
            _, keep_on, keep_url, keep_location, keep_notes = found[keep_id][:5]
            keep_cv, keep_letter = found[keep_id][9:]
            before = {"applied_on": keep_on, "url": keep_url, "location": keep_location, "notes": keep_notes}
            before |= {"cv_version_id": keep_cv, "letter_version_id": keep_letter}
            after = {
                "applied_on": min(keep_on, other_on),
                "url": keep_url or other_url,
                "location": keep_location or other_location,
                "notes": _joined(keep_notes, other_notes),
                "cv_version_id": keep_cv if keep_cv is not None else found[other_id][9],  # a blank CV version filled
                "letter_version_id": keep_letter if keep_letter is not None else found[other_id][10],
            }
            kept_version = self._versioned_update(run, "applications", keep_id, keep_version, after, what="application")
            ids = {"keep_app": keep_id, "other_app": other_id}
            relinked: list[list] = []  # [table, column, row id, from, to]
            deleted: dict[str, list] = {}
            repeats = run(
                "SELECT o.id, min(k.id) FROM events o JOIN events k ON k.user_id = $user"
                " AND k.application_id = $keep_app AND k.kind = o.kind AND k.happened_on = o.happened_on"
                " AND k.round IS NOT DISTINCT FROM o.round AND k.stage IS NOT DISTINCT FROM o.stage"
                " AND coalesce(k.reason, '') = coalesce(o.reason, '') AND coalesce(k.note, '') = coalesce(o.note, '')"
                " WHERE o.user_id = $user AND o.application_id = $other_app GROUP BY o.id ORDER BY o.id",
                ids,
            ).fetchall()
            if repeats:
                pairs = {"dups": [r[0] for r in repeats], "kept": [r[1] for r in repeats]}
                mapping = "(SELECT unnest($dups) AS dup, unnest($kept) AS kept) m"
                for table in _tables_with(run, "event_id"):
                    moved = run(
                        f"SELECT t.id, m.dup, m.kept FROM {table} t JOIN {mapping} ON t.event_id = m.dup"
                        " WHERE t.user_id = $user ORDER BY t.id",
                        pairs,
                    ).fetchall()
                    if moved:
                        run(
                            f"UPDATE {table} t SET event_id = m.kept FROM {mapping}"
                            " WHERE t.user_id = $user AND t.event_id = m.dup",
                            pairs,
                        )
                        relinked += [[table, "event_id", row_id, was, now] for row_id, was, now in moved]
                deleted["events"] = _take_rows(run, "events", "list_contains($dups, id)", {"dups": pairs["dups"]})
            for table in ["events", *_tables_with(run, "application_id")]:
                for (row_id,) in run(
                    f"UPDATE {table} SET application_id = $keep_app WHERE user_id = $user"
                    " AND application_id = $other_app RETURNING id",
                    ids,
                ).fetchall():
                    relinked.append([table, "application_id", row_id, other_id, keep_id])
            deleted["merges"] = _take_rows(run, "merges", "application_id = $other_app", ids)  # merges into it
            deleted["applications"] = _take_rows(run, "applications", "id = $other_app", ids)
            undo = {
                "kept_id": keep_id,
                "merged_id": other_id,
                "before": {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in before.items()},
                "deleted": deleted,
                "relinked": relinked,
            }
            merge_id = run(
                "INSERT INTO merges (user_id, application_id, kept_version, merged_at, undo)"
                " VALUES ($user, $keep_app, $kept_version, $merged_at, $undo) RETURNING id",
                {"keep_app": keep_id, "kept_version": kept_version, "merged_at": utcnow(), "undo": _json(undo)},
            ).fetchone()[0]
            if during:
                during()
        return int(merge_id)

    def undo_merge(self, merge_id: int, during: During | None = None) -> int:
        """Put back exactly what `merge` changed, in ONE transaction: the merged-away application
        (its id, details, version and moments), its events (the repeats too), every moved record's
        link and the kept one's details. Returns the merged-away application's id.

        Refused, with nothing written: a merge already undone or forgotten, one whose kept
        application was edited since (undoing would overwrite that edit), or one from before a
        restore (its ids were re-drawn)."""
        with self._write() as run:
            record = run(
                "SELECT application_id, kept_version, undo FROM merges WHERE user_id = $user AND id = $merge"
                " AND settled_at IS NULL",
                {"merge": int(merge_id)},
            ).fetchone()
            if record is None:
                raise ValidationError(
                    "That merge was already undone or kept (in another tab or window?); nothing was changed."
                )
            kept_id, kept_version, undo = int(record[0]), int(record[1]), json.loads(record[2])
            if undo.get("kept_id") != kept_id:
                raise ValidationError("That merge can no longer be undone: a backup was restored since.")
            now = run(
                "SELECT coalesce(version, 1) FROM applications WHERE user_id = $user AND id = $kept", {"kept": kept_id}
            ).fetchone()
            if now is None:
                raise ValidationError("The application it was merged into no longer exists; nothing was changed.")
            if int(now[0]) != kept_version:
                raise ValidationError(
                    "The merged application was edited since the merge; undoing it now would lose that edit, "
                    "so nothing was changed."
                )
            for table in ("applications", "events", "merges"):
                _put_rows(run, table, undo["deleted"].get(table) or [])
            moves: dict[tuple[str, str], list[list]] = defaultdict(list)
            for table, column, row_id, was, to in undo["relinked"]:
                moves[(table, column)].append([row_id, was, to])
            for (table, column), items in moves.items():
                if not _SAFE.match(table) or column not in ("event_id", "application_id"):
                    continue  # never from this code: a name is only spliced into SQL when it is one of ours
                ids, was, to = (list(c) for c in zip(*items))
                run(
                    f"UPDATE {table} t SET {column} = m.was FROM (SELECT unnest($ids) AS id, unnest($was) AS was,"
                    f" unnest($to) AS now_at) m WHERE t.user_id = $user AND t.id = m.id AND t.{column} = m.now_at",
                    {"ids": ids, "was": was, "to": to},
                )
            before = dict(undo["before"])
            before["applied_on"] = dt.date.fromisoformat(before["applied_on"])
            self._versioned_update(run, "applications", kept_id, kept_version, before, what="application")
            run("DELETE FROM merges WHERE user_id = $user AND id = $merge", {"merge": int(merge_id)})
            if during:
                during()
        return int(undo["merged_id"])

    def last_merge(self, app_id: int) -> dict | None:
        """The latest merge into this application that can still be undone: {id, merged_at, company,
        role, applied_on} (the merged-away one's names), or None."""
        row = self._one(
            "SELECT id, merged_at, undo->'$.deleted.applications[0]' FROM merges WHERE user_id = $user"
            " AND application_id = $id AND settled_at IS NULL AND (undo->>'$.kept_id')::BIGINT = application_id"
            " ORDER BY merged_at DESC, id DESC LIMIT 1",
            {"id": int(app_id)},
        )
        if row is None:
            return None
        merge_id, merged_at, gone = row
        gone = json.loads(gone) if isinstance(gone, str) else (gone or {})
        return {
            "id": int(merge_id),
            "merged_at": merged_at,
            "company": gone.get("company", ""),
            "role": gone.get("role", ""),
            "applied_on": dt.date.fromisoformat(gone["applied_on"]) if gone.get("applied_on") else None,
        }

    def keep_merge(self, merge_id: int) -> None:
        """'Keep merged': Undo is no longer offered nor accepted. The record stays, so importing the
        same export again does not bring back the row merged away (status.MERGED_SOURCE_KEYS)."""
        with self._write() as run:
            run(
                "UPDATE merges SET settled_at = $now WHERE user_id = $user AND id = $merge AND settled_at IS NULL",
                {"merge": int(merge_id), "now": utcnow()},
            )

    def linked_in(self, run: Run, column: str, ids: Iterable[int]) -> list[tuple[str, int, int]]:
        """Inside a write: (table, row id, linked id) of every record (outside applications, events and
        merges) whose `column` ("application_id" or "event_id") names one of `ids`: what depends on them."""
        if column not in ("application_id", "event_id"):
            raise ValueError(f"not a link column: {column!r}")
        ids = [int(i) for i in ids]
        if not ids:
            return []
        found: list[tuple[str, int, int]] = []
        for table in _tables_with(run, column):
            found += [
                (table, int(r), int(linked))
                for r, linked in run(
                    f"SELECT id, {column} FROM {table} WHERE user_id = $user AND {column} IN (SELECT unnest($ids))"
                    " ORDER BY id",
                    {"ids": ids},
                ).fetchall()
            ]
        return found

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

    def get_event(self, event_id: int) -> dict | None:
        """One of this user's events as an edit form reads it (with its version), or None."""
        rows = self._records(
            "SELECT id, application_id, kind, happened_on, round, stage, reason, note, coalesce(version, 1) AS version,"
            " updated_at FROM events WHERE user_id = $user AND id = $id",
            {"id": int(event_id)},
        )
        return rows[0] if rows else None

    def update_event(
        self,
        event_id: int,
        happened_on: dt.date,
        round: int | None = None,
        stage: str | None = None,
        reason: str | None = "",
        note: str | None = "",
        version: int | None = None,
        today: dt.date | None = None,
    ) -> int:
        """Correct an event on a timeline (its day, round, stage, reason, note; its kind stays): with
        `version` (the one the form was read at) only if nobody saved it since, else StaleEdit and
        nothing written; a ValidationError if it was deleted since or the change is not valid (a
        day before the application, in the future; the same kind, day and round as another event
        of it). Returns the new version."""
        with self._write() as run:
            found = run(
                "SELECT e.kind, a.applied_on, e.application_id FROM events e JOIN applications a"
                " ON a.id = e.application_id AND a.user_id = $user WHERE e.user_id = $user AND e.id = $id",
                {"id": int(event_id)},
            ).fetchone()
            if found is None:
                raise ValidationError(
                    "That event no longer exists (deleted in another tab or window?); nothing was saved."
                )
            kind, applied_on, app_id = found
            fields = validate_event(kind, happened_on, applied_on, round, stage, reason or "", note or "", today)
            fields.pop("kind")
            same = run(
                "SELECT kind, round FROM events WHERE user_id = $user AND application_id = $app"
                " AND happened_on = $day AND id <> $id",
                {"app": app_id, "day": fields["happened_on"], "id": int(event_id)},
            ).fetchall()
            if repeat_of(kind, fields["round"], None, [(k, r) for k, r in same]):
                raise ValidationError(
                    f"{already_there(kind, fields['happened_on'], fields['round'])}; nothing was saved."
                )
            return self._versioned_update(run, "events", event_id, version, fields, what="event")

    def delete_event(self, event_id: int) -> bool:
        """Remove one event; False if it was gone already (removed in another tab or window)."""
        with self._write() as run:
            return bool(
                run("DELETE FROM events WHERE user_id = $user AND id = $id RETURNING id", {"id": event_id}).fetchall()
            )

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
