"""Private in-memory databases, one per browser session, that do not outlive it (no Streamlit here).

A hosted copy without sign-in gives each visitor a throwaway demo. Each gets its OWN DuckDB
database in memory (never one shared ":memory:" file where rows pile up), and it is closed:
- when the session ends: rebound.ui closes it from a session-scoped st.cache_resource's on_release
  (Streamlit releases those when the browser disconnects); and the session's state holds the
  database's `Lease`, whose finalizer closes it when the server drops that state;
- when the session has been idle for IDLE_SECONDS (a tab left open overnight, or a session whose
  state lingers): the next visitor's request sweeps it;
- when MAX_SESSIONS are open, the one idle longest gives way to a new one (if it has been idle
  for EVICT_AFTER_SECONDS; otherwise the newcomer is asked to come back later);
- when one client (an address) already holds MAX_PER_CLIENT, its own session idle longest gives way
  to its new one, however recently used: sixteen tabs from one browser cannot hold every slot.
Each database may hold SESSION_MEMORY_MB in memory and spill SESSION_TEMP_MB to a private temporary
folder: together, a ceiling on what anonymous visitors can take from the server.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
import uuid
import weakref
from collections import OrderedDict
from collections.abc import Callable

from rebound.db import Database
from rebound.errors import SessionsFull

IDLE_SECONDS = 30 * 60
EVICT_AFTER_SECONDS = 2 * 60
MAX_SESSIONS = 16
MAX_PER_CLIENT = 4  # a fair share of MAX_SESSIONS for one address
SESSION_MEMORY_MB = 48
SESSION_TEMP_MB = 256


class Lease:
    """Kept in a session's state; the database lives while the lease does."""

    def __init__(self, key: str) -> None:
        self.key = key


class SessionDatabases:
    """A bounded set of per-session in-memory databases. Thread-safe (sessions run in threads)."""

    def __init__(
        self,
        idle_seconds: float = IDLE_SECONDS,
        max_sessions: int = MAX_SESSIONS,
        memory_mb: int = SESSION_MEMORY_MB,
        temp_mb: int = SESSION_TEMP_MB,
        evict_after_seconds: float = EVICT_AFTER_SECONDS,
        max_per_client: int = MAX_PER_CLIENT,
        clock: Callable[[], float] = time.monotonic,
        on_close: Callable[[str, Database], object] | None = None,
    ) -> None:
        self.idle_seconds, self.max_sessions = idle_seconds, max_sessions
        self.memory_mb, self.temp_mb, self.evict_after = memory_mb, temp_mb, evict_after_seconds
        self.clock, self.on_close, self.max_per_client = clock, on_close, max_per_client
        self._open: OrderedDict[str, list] = OrderedDict()  # key -> [Database, temp folder, last used, client]
        self._lock = threading.RLock()  # a lease's finalizer may run inside a locked call (GC)

    def lease(self, key: str | None = None, client: str = "") -> Lease:
        """A new session's lease and empty database for `client` (its address). Raises SessionsFull at the
        ceiling; a client at its own ceiling gives up its session idle longest instead."""
        key = key or "session-" + uuid.uuid4().hex
        with self._lock:
            self._sweep()
            own = [k for k, entry in self._open.items() if entry[3] == client]  # least recently used first
            if len(own) >= self.max_per_client:
                self._close(own[0])
            if len(self._open) >= self.max_sessions:
                oldest, (_, _, used, _) = next(iter(self._open.items()))
                if self.clock() - used < self.evict_after:
                    raise SessionsFull(
                        f"All {self.max_sessions} private demo sessions are in use right now. "
                        "Try again in a few minutes."
                    )
                self._close(oldest)
            folder = tempfile.mkdtemp(prefix="rebound-session-")
            db = Database(":memory:")
            db.cursor().execute(
                f"SET memory_limit = '{int(self.memory_mb)}MB'; "
                f"SET temp_directory = '{folder}'; "
                f"SET max_temp_directory_size = '{int(self.temp_mb)}MB'"
            )
            self._open[key] = [db, folder, self.clock(), client]
        lease = Lease(key)
        weakref.finalize(lease, self.close, key)
        return lease

    def get(self, lease: Lease) -> Database | None:
        """The lease's database (marked as just used), or None once it has been closed."""
        with self._lock:
            self._sweep()
            entry = self._open.get(lease.key)
            if entry is None:
                return None
            entry[2] = self.clock()
            self._open.move_to_end(lease.key)
            return entry[0]

    def close(self, key: str) -> None:
        with self._lock:
            self._close(key)

    def sweep(self) -> None:
        with self._lock:
            self._sweep()

    def keys(self) -> list[str]:
        with self._lock:
            return list(self._open)

    def memory_bytes(self) -> int:
        """What the open databases hold, in memory and spilled to their temporary folders."""
        with self._lock:
            dbs = [entry[0] for entry in self._open.values()]
        total = 0
        for db in dbs:
            try:
                total += int(
                    db.cursor()
                    .execute(
                        "SELECT coalesce(sum(memory_usage_bytes + temporary_storage_bytes), 0) FROM duckdb_memory()"
                    )
                    .fetchone()[0]
                )
            except Exception:  # closed meanwhile
                pass
        return total

    def __len__(self) -> int:
        return len(self._open)

    # -- under the lock ------------------------------------------------------------------------
    def _sweep(self) -> None:
        now = self.clock()
        for key in [k for k, (_, _, used, _) in self._open.items() if now - used > self.idle_seconds]:
            self._close(key)

    def _close(self, key: str) -> None:
        entry = self._open.pop(key, None)
        if entry is None:
            return
        db, folder, _, _ = entry
        try:
            db.close()
        finally:
            shutil.rmtree(folder, ignore_errors=True)
            if self.on_close:
                self.on_close(key, db)
