"""Results computed from a user's data, kept until that data changes (in rebound.cache's one cache)."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from rebound.cache import RESULTS

if TYPE_CHECKING:
    from rebound.db import Database

T = TypeVar("T")


class UserData(Protocol):
    """What names one user's data in the cache: a Store, or one of its repositories."""

    @property
    def db(self) -> Database: ...

    @property
    def user_id(self) -> str: ...


def cached(store_: UserData, fn: Callable[..., T], *args: Hashable) -> T:
    """fn(store, *args), recomputed only when this user's data changed.

    Kept in the one cache beside the store's reads (rebound.cache), under the same key (database,
    user, data revision) and the same switch: nothing is kept for a database another process can
    write (MotherDuck), so another instance's or the CLI's write is seen on the next rerun.
    Args must be hashable; callers get a copy they may change (see _detached).
    """
    what = ("ui.cached", fn.__module__, fn.__qualname__, args)
    return _detached(store_.db.cached(store_.user_id, what, lambda: fn(store_, *args)))


def cached_build(store_: UserData, name: str, build: Callable[[], T], *args: Hashable) -> T:
    """build() once per (database, user, data revision, name, args), as `cached` keeps values; for
    what is never changed after it is built (Progress' figures), so it is handed out as it is."""
    return store_.db.cached(store_.user_id, ("ui.cached_build", name, args), build)


def clear_cached() -> None:
    """Empty the one cache (tests that change data behind the store's back)."""
    RESULTS.clear()


# Values that cannot be changed in place: handed out as they are, without a call per item
# (a heavy user's picker labels are a dict of thousands of strings).
_ATOMS = frozenset({str, int, float, bool, bytes, type(None), dt.date, dt.datetime})


def _detached(value: T) -> T:
    """A copy the caller can modify without touching the cached value: lists, tuples and dicts
    are copied, frames shallowly (pandas' copy-on-write keeps a shallow copy independent)."""
    pd = sys.modules.get("pandas")  # a value can only be a frame once pandas is loaded; Today never loads it
    return _copy(value, (pd.DataFrame, pd.Series) if pd is not None else ())


def _copy(value: Any, frames: tuple[type[Any], ...]) -> Any:  # any cached value; its copy has its type
    kind = type(value)
    if kind in _ATOMS:
        return value
    if kind is list:
        return [v if type(v) in _ATOMS else _copy(v, frames) for v in value]
    if kind is dict:
        return {k: v if type(v) in _ATOMS else _copy(v, frames) for k, v in value.items()}
    if kind is tuple:
        return tuple(v if type(v) in _ATOMS else _copy(v, frames) for v in value)
    if frames and isinstance(value, frames):
        return value.copy(deep=False)
    return value
