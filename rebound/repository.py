"""The shared base of every area's repository: one user's scope over the database.

`UserScope` binds `$user` and offers the reads (cached by the data revision, see db.cached_read)
and the one-transaction write; a `Repository` is an area's SQL over one scope. `rebound.store.Store`
builds one scope per user and every repository on it, so all of them see the same user.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING, Any, cast

from rebound.dates import utcnow
from rebound.db import Database
from rebound.errors import StaleEdit, ValidationError
from rebound.vocab import DEFAULT_SETTINGS

if TYPE_CHECKING:  # pandas loads with the first frame: the first page reads only records
    import datetime as dt

    import pandas as pd

Run = Callable[..., Any]  # run(sql, params=None) inside a write: executes with $user bound


def between(column: str, start: dt.date | None, end: dt.date | None, where: list[str], params: dict[str, Any]) -> None:
    """Add `start <= column <= end` (either bound optional) to a WHERE list and its params."""
    if start:
        where.append(f"{column} >= $start")
        params["start"] = start
    if end:
        where.append(f"{column} <= $end")
        params["end"] = end


def as_list(value: object) -> list[str]:
    """A DuckDB list value (or None) as a list of strings."""
    if value is None:
        return []
    try:  # anything else that is not iterable (NaN in a frame) raises TypeError, caught below
        return [str(v) for v in cast(Iterable[object], value)]
    except TypeError:
        return []


def as_dates(column: pd.Series) -> pd.Series:
    """A column of timestamps or dates as plain dates."""
    return column.map(lambda v: v.date() if hasattr(v, "date") else v).astype(object)


class UserScope:
    """Every query passes `$user`; nothing read or written here belongs to another user."""

    def __init__(self, db: Database, user_id: str) -> None:
        if not user_id:
            raise ValueError("a store needs a user id")
        self.db = db
        self.user_id = str(user_id)

    # -- reading -----------------------------------------------------------
    def params(self, sql: str, params: dict | None) -> dict:
        """$user always means this scope's user; DuckDB refuses unused names, so pass only used ones."""
        merged = {"user": self.user_id, **(params or {})}
        merged["user"] = self.user_id
        return {k: v for k, v in merged.items() if f"${k}" in sql}

    # Reads are cached by (user, data revision, SQL, params) in the Database (see db.cached_read):
    # a page rerun that changed nothing sends no SQL. Callers get their own frame: a shallow copy,
    # which pandas' copy-on-write keeps independent of the cached one without copying the data.
    def df(self, sql: str, params: dict | None = None) -> pd.DataFrame:
        p = self.params(sql, params)
        return self.db.cached_read(self.user_id, "df", sql, p, lambda: self.db.cursor().execute(sql, p).df()).copy(
            deep=False
        )

    def records(self, sql: str, params: dict | None = None) -> list[dict]:
        """Rows as dicts keyed by column: plain Python, for pages that need no pandas."""
        p = self.params(sql, params)

        def read() -> list[dict[str, Any]]:
            cursor = self.db.cursor().execute(sql, p)
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row)) for row in cursor.fetchall()]

        return [dict(r) for r in self.db.cached_read(self.user_id, "records", sql, p, read)]

    def rows(self, sql: str, params: dict | None = None) -> list[tuple]:
        p = self.params(sql, params)
        return list(
            self.db.cached_read(self.user_id, "rows", sql, p, lambda: self.db.cursor().execute(sql, p).fetchall())
        )

    def one(self, sql: str, params: dict | None = None) -> Any:  # a DuckDB value: whatever the column holds
        p = self.params(sql, params)
        row = self.db.cached_read(self.user_id, "one", sql, p, lambda: self.db.cursor().execute(sql, p).fetchone())
        return None if row is None else row[0] if len(row) == 1 else row

    # -- writing -----------------------------------------------------------
    @contextmanager
    def write(self) -> Iterator[Run]:
        """One transaction; `run(sql, params)` executes with $user bound."""
        with self.db.transaction() as cur:

            def run(sql: str, params: dict | None = None) -> Any:  # a DuckDB cursor (only rebound.db imports duckdb)
                return cur.execute(sql, self.params(sql, params))

            yield run
        self.db.bump(self.user_id)

    @property
    def revision(self) -> int:
        """Changes whenever this user's data changes: the key for cached analytics."""
        return self.db.revision(self.user_id)


class Repository:
    """An area's SQL over one user's scope; the underscore shorthands keep queries short."""

    def __init__(self, scope: UserScope) -> None:
        self.scope = scope

    @property
    def db(self) -> Database:
        return self.scope.db

    @property
    def user_id(self) -> str:
        return self.scope.user_id

    def _params(self, sql: str, params: dict | None) -> dict:
        return self.scope.params(sql, params)

    def _df(self, sql: str, params: dict | None = None) -> pd.DataFrame:
        return self.scope.df(sql, params)

    def _records(self, sql: str, params: dict | None = None) -> list[dict]:
        return self.scope.records(sql, params)

    def _rows(self, sql: str, params: dict | None = None) -> list[tuple]:
        return self.scope.rows(sql, params)

    def _one(self, sql: str, params: dict | None = None) -> Any:
        return self.scope.one(sql, params)

    def _write(self) -> AbstractContextManager[Run]:
        return self.scope.write()

    def _insert_rows(self, run: Run, table: str, columns: dict[str, str], rows: Sequence[Mapping[str, Any]]) -> None:
        """INSERT many rows in one statement, inside the caller's write (`run`): `columns` maps each
        column to its SQL type; the rows go in as an Arrow table registered on this thread's cursor
        (the one the write runs on), ~15x faster than as list parameters. `user_id` is $user."""
        if not rows:
            return
        import pyarrow as pa

        cursor = self.db.cursor()
        view = f"insert_rows_{table}_{uuid.uuid4().hex[:12]}"
        cursor.register(view, pa.table({c: [r.get(c) for r in rows] for c in columns}))
        try:
            run(
                f"INSERT INTO {table} (user_id, {', '.join(columns)})"
                f" SELECT $user, {', '.join(f'CAST({c} AS {t})' for c, t in columns.items())} FROM {view}"
            )
        finally:
            cursor.unregister(view)

    _between = staticmethod(between)

    @staticmethod
    def _versioned_update(
        run: Run,
        table: str,
        record_id: int,
        version: int | None,
        fields: Mapping[str, object],
        *,
        what: str,
        set_sql: Mapping[str, str] | None = None,
        where: str = "",
    ) -> int:
        """Inside a write: UPDATE one of this user's rows of `table` to `fields` (column -> value; a
        column's SQL from `set_sql` when it needs a cast, e.g. {"themes": "$themes::VARCHAR[]"}),
        bumping its version, ONLY if it is still at `version` (None: whatever version it is at, for
        writers that read and write in one go). The check is in the UPDATE itself (compare-and-set),
        so two saves cannot both pass it. Returns the new version.

        Refused, with nothing written: StaleEdit (with the fields as they are now, their version and
        when they were saved) if the row moved on; ValidationError if it is gone (or `where` excludes it).
        """
        exprs = {c: (set_sql or {}).get(c, f"${c}") for c in fields}
        assignments = ", ".join(f"{c} = {e}" for c, e in exprs.items())
        guard = " AND version = $read_version" if version is not None else ""
        extra = f" AND ({where})" if where else ""
        done = run(
            f"UPDATE {table} SET {assignments}, version = coalesce(version, 1) + 1, updated_at = $saved_at"
            f" WHERE user_id = $user AND id = $record_id{guard}{extra} RETURNING version",
            {**fields, "record_id": int(record_id), "read_version": version, "saved_at": utcnow()},
        ).fetchone()
        if done is not None:
            return int(done[0])
        now = run(
            f"SELECT coalesce(version, 1), updated_at, {', '.join(fields)} FROM {table}"
            f" WHERE user_id = $user AND id = $record_id{extra}",
            {"record_id": int(record_id)},
        ).fetchone()
        if now is None:
            raise ValidationError(
                f"That {what} no longer exists (deleted in another tab or window?); nothing was saved."
            )
        raise StaleEdit(what, dict(zip(fields, now[2:])), int(now[0]), now[1])


class SettingsRepository(Repository):
    """The user's settings (ghosting and follow-up days, feedback timing …), with defaults from vocab."""

    def get(self, key: str) -> str | None:
        value = self._one("SELECT value FROM settings WHERE user_id = $user AND key = $key", {"key": key})
        return value if value is not None else DEFAULT_SETTINGS.get(key)

    def get_int(self, key: str) -> int:
        value = self.get(key)
        if value is not None:
            try:
                return int(value)
            except (TypeError, ValueError):
                pass
        return int(DEFAULT_SETTINGS[key])

    def set(self, key: str, value: object) -> None:
        with self._write() as run:
            run(
                "INSERT OR REPLACE INTO settings (user_id, key, value) VALUES ($user, $key, $value)",
                {"key": key, "value": str(value)},
            )
