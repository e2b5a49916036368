"""Connect to DuckDB, migrate forward, run writes as single transactions.

Everything that touches the database file goes through `Database`. Errors that
a person can fix (file locked by another process, not a DuckDB file) become
`DatabaseError`s with a plain message instead of a traceback.
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import duckdb

from rebound.config import is_local_file

MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


class DatabaseError(Exception):
    """A problem with the database file that the user can act on."""


class DatabaseLockedError(DatabaseError):
    pass


class DatabaseFileError(DatabaseError):
    pass


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) for every bundled migration, in order."""
    found = []
    for entry in resources.files("rebound.migrations").iterdir():
        match = MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


def _friendly(error: Exception, path: str) -> DatabaseError:
    text = str(error)
    if "Could not set lock" in text or "Conflicting lock" in text:
        holder = re.search(r"held in (.+?) \(PID (\d+)\)", text)
        who = f" (process {holder.group(2)}, {Path(holder.group(1)).name})" if holder else ""
        return DatabaseLockedError(
            f"The database {path} is in use by another program{who}. DuckDB lets only one "
            "program open a file at a time. Close the other Rebound window or command "
            "(for example a `rebound` CLI run or a second `streamlit run`), then reload this page."
        )
    if "not a valid DuckDB database" in text or "Unable to read" in text or "Corrupt" in text:
        return DatabaseFileError(
            f"The file {path} is not a Rebound database (it is not a readable DuckDB file). "
            "It was left untouched. Point Rebound at another file with --db or REBOUND_DB, "
            "or move this file away and reload to start fresh."
        )
    return DatabaseError(f"Could not open the database {path}: {text}")


class Database:
    """One DuckDB database; thread-safe through one cursor per thread."""

    def __init__(self, path: str, read_only: bool = False, motherduck_token: str | None = None):
        self.path = str(path)
        if is_local_file(self.path):
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        config = {"motherduck_token": motherduck_token} if motherduck_token else {}
        try:
            self._conn = duckdb.connect(self.path, read_only=read_only, config=config)
        except duckdb.Error as error:
            raise _friendly(error, self.path) from error
        self._local = threading.local()
        # Writes in this process take turns: DuckDB would abort one of two transactions
        # that touch the same rows, and a lost write is worse than a few ms of waiting.
        self._write_lock = threading.RLock()
        self._revisions: dict[str, int] = defaultdict(int)
        self._revision_lock = threading.Lock()
        if not read_only:
            self.migrate()

    # -- connections -------------------------------------------------------
    def cursor(self) -> duckdb.DuckDBPyConnection:
        cur = getattr(self._local, "cursor", None)
        if cur is None:
            cur = self._conn.cursor()
            self._local.cursor = cur
        return cur

    def close(self) -> None:
        self._conn.close()

    @contextmanager
    def transaction(self):
        """All of it lands or none of it."""
        cur = self.cursor()
        with self._write_lock:
            cur.execute("BEGIN TRANSACTION")
            try:
                yield cur
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            else:
                cur.execute("COMMIT")

    # -- data revision, for caches keyed by (user, revision) ---------------
    def revision(self, user_id: str) -> int:
        return self._revisions[user_id]

    def bump(self, user_id: str) -> None:
        with self._revision_lock:
            self._revisions[user_id] += 1

    # -- migrations --------------------------------------------------------
    def applied_versions(self) -> set[int]:
        cur = self.cursor()
        cur.execute(
            "CREATE TABLE IF NOT EXISTS schema_version ("
            " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,"
            " applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)"
        )
        return {row[0] for row in cur.execute("SELECT version FROM schema_version").fetchall()}

    def migrate(self) -> list[int]:
        """Apply each pending migration in its own transaction; returns what ran."""
        done = self.applied_versions()
        ran = []
        for version, name, sql in migrations():
            if version in done:
                continue
            with self.transaction() as cur:
                cur.execute(sql)
                cur.execute("INSERT INTO schema_version (version, name) VALUES (?, ?)", [version, name])
            ran.append(version)
        return ran
