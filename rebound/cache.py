"""The one cache: results keyed by (database identity, user, data revision, what was asked).

Rebound keeps a single in-process LRU. The store's reads fill it (rebound.db.Database.cached_read,
one entry per SQL statement and parameters) and so do the pages' derived values (rebound.ui.cached:
analytics computed from those reads, and Progress' figures), under the same key and the same rule:
- the key holds the user's data revision, which every write transaction bumps, so an entry can
  never be served after a change; entries of older revisions just age out (and `bump` drops them);
- the Database decides whether caching is on at all (Database.caching): only where the revision is
  exact, i.e. where no writer outside this process can exist (see rebound.db).
No Streamlit here: st.cache_data would hash every argument and unpickle every hit (several ms for a
heavy user's frames), and st.cache_resource cannot be turned off for a database that others write.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

ENTRIES = 1024  # the store's reads and the pages' derived values together (512 of each before)
_MISS = object()


class Results:
    """A thread-safe LRU of computed values; callers must not change what they get back."""

    def __init__(self, entries: int = ENTRIES) -> None:
        self.entries = entries
        self._values: OrderedDict[tuple, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple, make: Callable[[], Any], keep: Callable[[Any], bool] | None = None) -> Any:
        """The value for `key`, made by make() on a miss (outside the lock: a slow computation never
        blocks other sessions) and kept unless keep(value) says no."""
        with self._lock:
            value = self._values.get(key, _MISS)
            if value is not _MISS:
                self._values.move_to_end(key)
                return value
        value = make()
        if keep is None or keep(value):
            with self._lock:
                self._values[key] = value
                while len(self._values) > self.entries:
                    self._values.popitem(last=False)
        return value

    def forget(self, identity: str, user_id: Hashable | None = None) -> None:
        """Drop a database's entries (closed), or one user's on it (their data changed)."""
        with self._lock:
            for key in [k for k in self._values if k[0] == identity and (user_id is None or k[1] == user_id)]:
                del self._values[key]

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    def snapshot(self) -> list[tuple]:
        """The keys cached now (a copy: other sessions go on caching while the caller reads it)."""
        with self._lock:
            return list(self._values)

    def __len__(self) -> int:
        return len(self._values)


RESULTS = Results()
