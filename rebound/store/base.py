"""The user-scoped core every area of the store builds on."""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING

from rebound.db import Database
from rebound.vocab import DEFAULT_SETTINGS

if TYPE_CHECKING:  # pandas loads with the first frame: the first page reads only records
    import pandas as pd


class BaseStore:
    """Every query passes `$user`; the store never reads or writes another user's rows."""

    def __init__(self, db: Database, user_id: str):
        if not user_id:
            raise ValueError("a store needs a user id")
        self.db = db
        self.user_id = str(user_id)

    # -- reading -----------------------------------------------------------
    def _params(self, sql: str, params: dict | None) -> dict:
        """$user always means this store's user; DuckDB refuses unused names, so pass only used ones."""
        merged = {"user": self.user_id, **(params or {})}
        merged["user"] = self.user_id
        return {k: v for k, v in merged.items() if f"${k}" in sql}

    # Reads are cached by (user, data revision, SQL, params) in the Database (see db.cached_read):
    # a page rerun that changed nothing sends no SQL. Callers get their own frame: a shallow copy,
    # which pandas' copy-on-write keeps independent of the cached one without copying the data.
    def _df(self, sql: str, params: dict | None = None) -> pd.DataFrame:
        p = self._params(sql, params)
        return self.db.cached_read(self.user_id, "df", sql, p,
                                   lambda: self.db.cursor().execute(sql, p).df()).copy(deep=False)

    def _records(self, sql: str, params: dict | None = None) -> list[dict]:
        """Rows as dicts keyed by column: plain Python, for pages that need no pandas."""
        p = self._params(sql, params)

        def read():
            cursor = self.db.cursor().execute(sql, p)
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row)) for row in cursor.fetchall()]
        return [dict(r) for r in self.db.cached_read(self.user_id, "records", sql, p, read)]

    def _rows(self, sql: str, params: dict | None = None) -> list[tuple]:
        p = self._params(sql, params)
        return list(self.db.cached_read(self.user_id, "rows", sql, p,
                                        lambda: self.db.cursor().execute(sql, p).fetchall()))

    def _one(self, sql: str, params: dict | None = None):
        p = self._params(sql, params)
        row = self.db.cached_read(self.user_id, "one", sql, p, lambda: self.db.cursor().execute(sql, p).fetchone())
        return None if row is None else row[0] if len(row) == 1 else row

    @staticmethod
    def _between(column: str, start, end, where: list, params: dict) -> None:
        """Add `start <= column <= end` (either bound optional) to a WHERE list and its params."""
        if start:
            where.append(f"{column} >= $start")
            params["start"] = start
        if end:
            where.append(f"{column} <= $end")
            params["end"] = end

    # -- writing -----------------------------------------------------------
    @contextmanager
    def _write(self):
        """One transaction; `run(sql, params)` executes with $user bound."""
        with self.db.transaction() as cur:
            def run(sql: str, params: dict | None = None):
                return cur.execute(sql, self._params(sql, params))
            yield run
        self.db.bump(self.user_id)

    @property
    def revision(self) -> int:
        """Changes whenever this user's data changes: the key for cached analytics."""
        return self.db.revision(self.user_id)

    # -- settings ----------------------------------------------------------
    def setting(self, key: str) -> str | None:
        value = self._one("SELECT value FROM settings WHERE user_id = $user AND key = $key", {"key": key})
        return value if value is not None else DEFAULT_SETTINGS.get(key)

    def int_setting(self, key: str) -> int:
        try:
            return int(self.setting(key))
        except (TypeError, ValueError):
            return int(DEFAULT_SETTINGS[key])

    def set_setting(self, key: str, value) -> None:
        with self._write() as run:
            run("INSERT OR REPLACE INTO settings (user_id, key, value) VALUES ($user, $key, $value)",
                {"key": key, "value": str(value)})
