"""Streamlit glue: what pages use, in one import (`from rebound import ui`).

Modules: database (the sign-in gate, the user's store, demo switching), cache (results kept until the
data changes), messages (the one message after a rerun), text (user text made inert), session (typed
session state), nav (links to pages), and the widgets of one feature each: flow, wellbeing, mail, settle.
"""

from __future__ import annotations

import gc
import itertools
import sys
from collections.abc import Collection
from typing import TYPE_CHECKING, TypeVar, cast

from rebound.dates import fmt_date  # noqa: F401  (pages show dates through ui)
from rebound.ui.cache import cached, cached_build, clear_cached  # noqa: F401
from rebound.ui.database import (  # noqa: F401
    LEASE_KEY,
    SESSIONS,
    active_db_path,
    auth_is_on,
    db_path,
    fence_this_session,
    hosted,
    in_demo,
    keep_demo_in_address,
    leave_demo,
    open_database,
    require_user,
    session_demo,
    show_database_notice,
    start_demo,
    storage_is_ephemeral,
    store,
)
from rebound.ui.messages import flash, show_flash, toast  # noqa: F401  (the one message-after-rerun)
from rebound.ui.text import literal, md_escape, md_table  # noqa: F401  (user text made inert)
from rebound.vocab import application_labels, unique_labels  # noqa: F401  (pages label records through ui)

if TYPE_CHECKING:
    from rebound.store import Store

PICKER_LIMIT = 300  # application pickers offer the newest this many (plus the ones in use)
K = TypeVar("K")


def newest_options(options: Collection[K], *keep: K | None, limit: int | None = None) -> list[K]:
    """The first `limit` keys of `options` (newest first), plus those of `keep` that are options
    but fell past the limit: years of applications would send thousands of labels on every
    rerun, and nobody scrolls that far; what is open or linked stays pickable."""
    shown = list(itertools.islice(options, PICKER_LIMIT if limit is None else limit))
    shown += [cast(K, k) for k in dict.fromkeys(keep) if k in options and k not in shown]  # an option: a K
    return shown


def _application_options(store_: Store) -> dict[int, str]:
    apps = store_.applications.all()
    # Columns as lists first: a heavy user has thousands of applications.
    return application_labels(zip(*(apps[c].tolist() for c in ("id", "company", "role", "applied_on", "status"))))


def application_options(store_: Store) -> dict[int, str]:
    """{id: label} for every application of the user, newest first, each label unique ('Acme — Analyst
    · applied 5 Aug 2025 · Rejected'): the text of EVERY application picker, built once per data
    revision. Pickers offer a subset of these ids (ui.newest_options) labelled from this dict."""
    return cached(store_, _application_options)


_modules_at_freeze = 0


def freeze_long_lived() -> None:
    """After a run that imported new modules, hide everything alive from the cyclic collector.

    Streamlit, pandas, DuckDB and plotly leave ~130,000 long-lived objects, and every full
    collection walks them again: ~100 ms of CPU holding the GIL, at unpredictable points in
    later reruns. Frozen objects are still freed by reference counting; only cycles among them
    are never collected, which for module-level state is what we want.
    """
    global _modules_at_freeze
    if len(sys.modules) > _modules_at_freeze:
        _modules_at_freeze = len(sys.modules)
        gc.freeze()


# One way to type dates on every page (ISO: unambiguous in every locale); shown as fmt_date does.
DATE_INPUT_FORMAT = "YYYY-MM-DD"
