"""Import what the first page needs while the browser is still loading Streamlit's frontend.

A fresh server spends about a second importing pandas, pyarrow, DuckDB and Rebound when the
first visitor's script runs, and sits idle before that while the browser fetches and parses
the frontend. `serve.py` starts `warm_up` in a thread as the server starts, so that second
overlaps the idle one instead of following it.
"""

from __future__ import annotations

import importlib
import logging

# Leaves first, in the order the first page imports them: a thread importing these never waits
# on a module that is itself waiting on this thread, so the script thread and this one can
# meet in the import system without deadlocking.
FIRST_PAGE_MODULES = (
    "numpy",
    "pyarrow",
    "pandas",
    "duckdb",
    "streamlit.emojis",  # page icons are emoji; Streamlit loads its catalogue on first use
    "rebound.db",
    "rebound.store",
    "rebound.ui",
    "rebound.momentum",
    "rebound.today",
    "rebound.charts",
)

_log = logging.getLogger(__name__)


def warm_up(modules: tuple[str, ...] = FIRST_PAGE_MODULES) -> list[str]:
    """Import `modules`; return the ones that failed. Never raises: a failed warm-up only
    means the first page imports the module itself, and shows any error there."""
    failed = []
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - the page will raise it properly
            _log.debug("warm-up could not import %s", name, exc_info=True)
            failed.append(name)
    return failed
