"""One user's data as a whole (store.account): bulk import, export of every table, restore,
delete-all, and demo data in and out (all user-scoped SQL).

Tables are discovered from the catalog (every table with a `user_id` column), so areas that add
tables in later migrations are exported, backed up, restored and deleted without code changes here.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import TYPE_CHECKING, Protocol

from rebound.errors import ValidationError
from rebound.outcomes.status import MERGED_SOURCE_KEYS, STATUS_CTE
from rebound.repository import Repository, UserScope
from rebound.vocab import MEETING_EVENTS, OPEN_STATUSES, sql_in

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    import pandas as pd
    import pyarrow as pa

    from rebound.repository import Run

    Progress = Callable[[float, str], object]  # progress(fraction, message), e.g. a Streamlit progress bar's
    During = Callable[[], object]  # run inside the transaction before it commits (tests interrupt there)

SAFE_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


def _q(name: str) -> str:
    if not SAFE_NAME.match(name):
        raise ValueError(f"unexpected identifier {name!r}")
    return f'"{name}"'


ID_TYPES = ("BIGINT", "INTEGER", "HUGEINT", "UBIGINT")


class Views(Protocol):
    """What the bulk writes use of a DuckDB cursor (rebound.db.Database.cursor): frames and Arrow tables
    registered as views (only rebound.db imports duckdb)."""

    def register(self, view_name: str, python_object: object, /) -> object: ...
    def unregister(self, view_name: str, /) -> object: ...


def is_ref_column(name: str, type_: str = "BIGINT") -> bool:
    """Columns holding row ids (all drawn from the one `row_id` sequence): id, application_id, …
    (an integer column; drafts.form_id is a name, not a row id)."""
    return (name == "id" or (name.endswith("_id") and name != "user_id")) and type_ in ID_TYPES


class Timeline(Protocol):
    """The one door to timeline events (rebound.outcomes.repository.ApplicationsRepository): a
    restore writes the backup's events through it, so they pass the outcomes rules."""

    def restore_events_in(
        self, run: Run, rows: Iterable[Mapping[str, object]], today: dt.date | None = None
    ) -> tuple[int, dict[int, int]]: ...


class AccountRepository(Repository):
    def __init__(self, scope: UserScope, timeline: Timeline) -> None:
        super().__init__(scope)
        self.timeline = timeline

    # -- catalog ------------------------------------------------------------------------------
    def user_tables(self) -> list[str]:
        """Every base table with a user_id column, in a stable order (parents before children)."""
        names = [
            r[0]
            for r in self.db.cursor()
            .execute(
                "SELECT c.table_name FROM information_schema.columns c JOIN information_schema.tables t"
                " ON t.table_name = c.table_name AND t.table_schema = c.table_schema AND t.table_catalog = c.table_catalog"
                " WHERE c.column_name = 'user_id' AND t.table_type = 'BASE TABLE' AND c.table_schema = 'main'"
                " AND c.table_catalog = current_database() ORDER BY c.table_name"
            )
            .fetchall()
        ]
        first = ["applications", "events", "contacts"]
        return [n for n in first if n in names] + [n for n in names if n not in first and SAFE_NAME.match(n)]

    def table_columns(self, table: str) -> list[dict]:
        """name, type, nullable, has_default for each column of a table, in order."""
        rows = (
            self.db.cursor()
            .execute(
                "SELECT column_name, data_type, is_nullable, column_default FROM information_schema.columns"
                " WHERE table_name = ? AND table_schema = 'main' AND table_catalog = current_database()"
                " ORDER BY ordinal_position",
                [table],
            )
            .fetchall()
        )
        return [
            {"name": n, "type": t, "nullable": nullable == "YES", "has_default": d is not None}
            for n, t, nullable, d in rows
        ]

    def schema_version(self) -> int:
        row = self.db.cursor().execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()
        return int(row[0]) if row else 0  # an aggregate always returns its one row

    # -- import ------------------------------------------------------------------------------
    def existing_source_keys(self, source: str) -> set[str]:
        return {
            r[0]
            for r in self._rows(
                "SELECT source_key FROM applications WHERE user_id = $user AND source = $source"
                f" AND source_key IS NOT NULL UNION ALL {MERGED_SOURCE_KEYS}",  # merged away: not again
                {"source": source},
            )
        }

    def application_ids_for(self, source: str, source_keys: Iterable[str]) -> list[int]:
        """Ids of this user's applications imported from `source` under these keys (what one import wrote)."""
        return [
            r[0]
            for r in self._rows(
                "SELECT id FROM applications WHERE user_id = $user AND source = $source"
                " AND source_key IN (SELECT unnest($keys)) ORDER BY id",
                {"source": source, "keys": list(source_keys)},
            )
        ]

    def existing_checkin_moments(self) -> set[tuple]:
        return {(r[0], r[1]) for r in self._rows("SELECT checked_at, mood FROM checkins WHERE user_id = $user")}

    # -- export ------------------------------------------------------------------------------
    def export_arrow(self, table: str) -> pa.Table:
        """This user's rows of one table (without user_id) as a pyarrow Table."""
        cols = [c["name"] for c in self.table_columns(table) if c["name"] != "user_id"]
        order = " ORDER BY id" if "id" in cols else ""
        select = ", ".join(_q(c) for c in cols)
        return (
            self.db.cursor()
            .sql(f"SELECT {select} FROM {_q(table)} WHERE user_id = $user{order}", params={"user": self.user_id})
            .to_arrow_table()
        )

    def export_rows(self, table: str) -> tuple[list[str], list[str], list[tuple]]:
        """(columns, types, rows as python values) of one table for this user, without user_id."""
        info = [c for c in self.table_columns(table) if c["name"] != "user_id"]
        order = " ORDER BY id" if any(c["name"] == "id" for c in info) else ""
        rows = self._rows(
            f"SELECT {', '.join(_q(c['name']) for c in info)} FROM {_q(table)} WHERE user_id = $user{order}"
        )
        return [c["name"] for c in info], [c["type"] for c in info], rows

    def row_counts(self) -> dict[str, int]:
        return {t: self._one(f"SELECT count(*) FROM {_q(t)} WHERE user_id = $user") for t in self.user_tables()}

    def stage_history(
        self, start: dt.date | None = None, end: dt.date | None = None
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Applications applied between start and end (inclusive) and all their events."""
        where = ""
        params: dict[str, object] = {}
        if start:
            where += " AND applied_on >= $start"
            params["start"] = start
        if end:
            where += " AND applied_on <= $end"
            params["end"] = end
        apps = self._df(
            f"WITH {STATUS_CTE} SELECT id, applied_on, company, role, channel, location, url, status,"
            f" status_on, notes, source FROM app_status WHERE true{where}"
            " ORDER BY applied_on, id",
            params,
        )
        events = self._df(
            "SELECT e.id, e.application_id, e.kind, e.happened_on, e.round, e.stage, e.reason, e.note"
            " FROM events e JOIN applications a ON a.id = e.application_id AND a.user_id = $user"
            f" WHERE e.user_id = $user{where.replace('applied_on', 'a.applied_on')}"
            " ORDER BY e.application_id, e.happened_on, e.id",
            params,
        )
        return apps, events

    def calendar_items(self) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """(interview-like events, open applications' last activity, contacts with a follow-up date)."""
        interviews = self._df(
            "SELECT e.id, e.kind, e.happened_on, e.round, a.company, a.role, a.url FROM events e"
            " JOIN applications a ON a.id = e.application_id AND a.user_id = $user"
            f" WHERE e.user_id = $user AND e.kind IN {sql_in(MEETING_EVENTS)} ORDER BY e.happened_on, e.id"
        )
        open_apps = self._df(
            f"WITH {STATUS_CTE} SELECT id, company, role, url, status, last_activity_on FROM app_status"
            f" WHERE status IN {sql_in(OPEN_STATUSES)} ORDER BY last_activity_on, id"
        )
        contacts = self._df(
            "SELECT id, name, company, next_follow_up_on FROM contacts WHERE user_id = $user"
            " AND next_follow_up_on IS NOT NULL ORDER BY next_follow_up_on, id"
        )
        return interviews, open_apps, contacts

    # -- delete ------------------------------------------------------------------------------
    def delete_all_data(self) -> dict[str, int]:
        """Every row of this user in every table, in one transaction. Other users are untouched."""
        counts: dict[str, int] = {}
        with self._write() as run:
            for table in self.user_tables():
                n = run(f"DELETE FROM {_q(table)} WHERE user_id = $user").fetchone()[0]
                if n:
                    counts[table] = int(n)
        return counts

    # -- demo data -----------------------------------------------------------------------
    def insert_demo_momentum(
        self, goals: list[dict], activities: list[dict], contacts: list[dict], wins: list[dict]
    ) -> dict[str, int]:
        """Demo rows in one transaction. activities/contacts link by `contact_key`."""
        with self._write() as run:
            ids: dict[object, int] = {}
            for c in contacts:
                ids[c["key"]] = run(
                    "INSERT INTO contacts (user_id, name, company, how_met, last_contact_on, next_follow_up_on, notes)"
                    " VALUES ($user, $name, $company, $how_met, $last, $next, NULL) RETURNING id",
                    {
                        "name": c["name"],
                        "company": c.get("company"),
                        "how_met": c.get("how_met"),
                        "last": c.get("last_contact_on"),
                        "next": c.get("next_follow_up_on"),
                    },
                ).fetchone()[0]
            for g in goals:
                run(
                    "INSERT INTO goals (user_id, week, metric, label, target, done_count)"
                    " VALUES ($user, $week, $metric, $label, $target, $done)",
                    {
                        "week": g["week"],
                        "metric": g["metric"],
                        "label": g.get("label"),
                        "target": g["target"],
                        "done": g.get("done_count", 0),
                    },
                )
            for a in activities:
                run(
                    "INSERT INTO activities (user_id, day, kind, title, minutes, contact_id, confidence)"
                    " VALUES ($user, $day, $kind, $title, $minutes, $contact, $confidence)",
                    {
                        "day": a["day"],
                        "kind": a["kind"],
                        "title": a.get("title"),
                        "minutes": a.get("minutes"),
                        "contact": ids.get(a.get("contact_key")),
                        "confidence": a.get("confidence"),
                    },
                )
            for w in wins:
                run(
                    "INSERT INTO wins (user_id, day, title, kind, event_id) VALUES ($user, $day, $title, $kind, $event)",
                    {"day": w["day"], "title": w["title"], "kind": w.get("kind"), "event": w.get("event_id")},
                )
        return {"goals": len(goals), "activities": len(activities), "contacts": len(contacts), "wins": len(wins)}

    def insert_demo_wellbeing(
        self, checkins: list[dict], coping: list[dict], reflections: list[dict]
    ) -> dict[str, int]:
        """Insert demo rows in one transaction (already valid; used by the demo generator)."""
        with self._write() as run:
            for c in checkins:
                run(
                    "INSERT INTO checkins (user_id, checked_at, mood, energy, emotions, note, application_id)"
                    " VALUES ($user, $checked_at, $mood, $energy, $emotions::VARCHAR[], $note, $application_id)",
                    {"note": None, "energy": None, "application_id": None, **c},
                )
            for c in coping:
                run(
                    "INSERT INTO coping (user_id, day, kind, with_whom, minutes, helped, note)"
                    " VALUES ($user, $day, $kind, $with_whom, $minutes, $helped, $note)",
                    {"with_whom": None, "minutes": None, "helped": None, "note": None, **c},
                )
            for r in reflections:
                run(
                    "INSERT INTO reflections (user_id, template, day, answers, themes, application_id, created_at,"
                    " updated_at) VALUES ($user, $template, $day, $answers::JSON, $themes::VARCHAR[], $application_id,"
                    " $at, $at)",
                    {
                        "application_id": None,
                        "themes": [],
                        **r,
                        "answers": json.dumps(r["answers"], ensure_ascii=False),
                        "at": dt.datetime.combine(r["day"], dt.time(20)),
                    },
                )
        return {"checkins": len(checkins), "coping": len(coping), "reflections": len(reflections)}

    def demo_application_count(self) -> int:
        return self._one("SELECT count(*) FROM applications WHERE user_id = $user AND source = 'demo'")

    def remove_demo_data(self) -> dict[str, int]:
        """Applications with source 'demo' and every row that refers to them (events, check-ins about
        them, reflections, feedback, the actions and wins those produced …), in one transaction."""
        counts: dict[str, int] = {}
        tables = {t: [c["name"] for c in self.table_columns(t)] for t in self.user_tables()}
        refs_of = {
            t: [c["name"] for c in self.table_columns(t) if c["name"] != "id" and is_ref_column(c["name"], c["type"])]
            for t in tables
        }
        with self._write() as run:
            doomed = {
                r[0] for r in run("SELECT id FROM applications WHERE user_id = $user AND source = 'demo'").fetchall()
            }
            if not doomed:
                return {}
            frontier = set(doomed)
            removed: dict[str, set[int]] = {"applications": set(doomed)}
            for _ in range(6):  # follow references a few levels deep (event -> win, feedback -> action)
                found: set[int] = set()
                for table, cols in tables.items():
                    refs = refs_of[table]
                    if not refs or "id" not in cols:
                        continue
                    cond = " OR ".join(f"{_q(c)} IN (SELECT unnest($ids))" for c in refs)
                    ids = {
                        r[0]
                        for r in run(
                            f"SELECT id FROM {_q(table)} WHERE user_id = $user AND ({cond})", {"ids": list(frontier)}
                        ).fetchall()
                    }
                    new = ids - removed.get(table, set())
                    if new:
                        removed.setdefault(table, set()).update(new)
                        found |= new
                frontier = found
                if not frontier:
                    break
            for table, ids in removed.items():
                if ids:
                    run(
                        f"DELETE FROM {_q(table)} WHERE user_id = $user AND id IN (SELECT unnest($ids))",
                        {"ids": list(ids)},
                    )
                    counts[table] = len(ids)
            # rows without an id that point at removed rows (none in schema 1, but later tables may)
            all_removed = list(set().union(*removed.values()))
            for table, cols in tables.items():
                refs = refs_of[table]
                if refs and "id" not in cols:
                    cond = " OR ".join(f"{_q(c)} IN (SELECT unnest($ids))" for c in refs)
                    n = run(
                        f"DELETE FROM {_q(table)} WHERE user_id = $user AND ({cond})", {"ids": all_removed}
                    ).fetchone()[0]
                    if n:
                        counts[table] = int(n)
        return counts

    # -- restore -----------------------------------------------------------------------------
    def replace_all(
        self, tables: Mapping[str, pa.Table], during: During | None = None, today: dt.date | None = None
    ) -> dict[str, int]:
        """Replace ALL of this user's rows with `tables` ({name: pyarrow Table}) in one transaction.

        Ids are re-drawn from the row_id sequence (references follow them), so a backup restores into
        any database, next to other users, without clashes. Columns a newer schema added get defaults.
        Any failure rolls everything back: the previous data stays as it was. Events go through the
        timeline's door (`self.timeline`, outcomes): one the backup holds twice is restored once, its
        references following the one kept, and counted under "already there".
        """
        current = set(self.user_tables())
        info = {t: self.table_columns(t) for t in tables if t in current}
        cursor = self.db.cursor()
        registered: list[str] = []
        counts: dict[str, int] = {}
        try:
            with self._write() as run:
                self._replace_in(run, cursor, tables, info, registered, counts, during, today)
        except ValidationError:
            raise
        except Exception as error:
            raise ValidationError(
                f"The backup could not be restored ({str(error).splitlines()[0][:300]}). Nothing was changed."
            ) from error
        finally:
            for name in registered:
                try:
                    cursor.unregister(name)
                except Exception:  # already gone with the connection state; nothing to clean
                    pass
        return counts

    def _replace_in(
        self,
        run: Run,
        cursor: Views,
        tables: Mapping[str, pa.Table],
        info: dict[str, list[dict]],
        registered: list[str],
        counts: dict[str, int],
        during: During | None,
        today: dt.date | None = None,
    ) -> None:
        import pandas as pd

        seen: set[int] = set()
        for table, arrow in tables.items():
            if table in info and "id" in arrow.column_names:
                seen.update(v for v in arrow.column("id").to_pylist() if v is not None)
        old_ids = sorted(seen)
        new_ids = (
            [r[0] for r in run("SELECT nextval('row_id') FROM range($n)", {"n": len(old_ids)}).fetchall()]
            if old_ids
            else []
        )
        cursor.register(
            "restore_idmap",
            pd.DataFrame({"old_id": pd.Series(old_ids, dtype="int64"), "new_id": pd.Series(new_ids, dtype="int64")}),
        )
        registered.append("restore_idmap")
        for table in self.user_tables():
            run(f"DELETE FROM {_q(table)} WHERE user_id = $user")
        idmap = dict(zip(old_ids, new_ids))
        for table in [t for t in self.user_tables() if t in info]:
            arrow = tables[table]
            if table == "events":
                counts[table], merged = self._restore_events(run, arrow, idmap, today)
                if merged:  # references to an event restored once follow the one kept
                    counts["already there"] = len(merged)
                    kept = {old: merged.get(new, new) for old, new in idmap.items()}
                    cursor.unregister("restore_idmap")
                    cursor.register(
                        "restore_idmap",
                        pd.DataFrame(
                            {
                                "old_id": pd.Series(list(kept), dtype="int64"),
                                "new_id": pd.Series(list(kept.values()), dtype="int64"),
                            }
                        ),
                    )
                continue
            view = f"restore_{table}"
            cursor.register(view, arrow)
            registered.append(view)
            present = set(arrow.column_names)
            targets, exprs = ["user_id"], ["$user"]
            for col in info[table]:
                name = col["name"]
                if name == "user_id" or name not in present:
                    continue
                src = f"b.{_q(name)}"
                if is_ref_column(name, col["type"]):
                    src = f"(SELECT m.new_id FROM restore_idmap m WHERE m.old_id = b.{_q(name)})"
                targets.append(_q(name))
                exprs.append(f"CAST({src} AS {col['type']})")
            n = run(
                f"INSERT INTO {_q(table)} ({', '.join(targets)}) SELECT {', '.join(exprs)} FROM {view} b"
            ).fetchone()[0]
            counts[table] = int(n)
        if during:
            during()

    def _restore_events(
        self, run: Run, arrow: pa.Table, idmap: Mapping[int, int], today: dt.date | None
    ) -> tuple[int, dict[int, int]]:
        """The backup's events through the timeline's door; returns (written, {repeat's id: kept id})."""
        rows = []
        for row in arrow.to_pylist():
            row = {k: v for k, v in row.items() if k != "user_id"}
            for name in ("id", "application_id"):
                row[name] = idmap.get(row[name]) if row.get(name) is not None else None
            rows.append(row)
        try:
            return self.timeline.restore_events_in(run, rows, today)
        except ValidationError as error:
            raise ValidationError(
                f"The backup could not be restored (its events: {str(error).rstrip('.')}). Nothing was changed."
            ) from None
