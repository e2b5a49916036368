"""The one "today" of the tests that run in this process.

tests/conftest.py freezes Python's clock at FROZEN_NOW for every test (time-machine: `date.today()`,
`datetime.now()`, `time.time()`; it keeps ticking from there), so no test depends on the day it runs.
A Wednesday in the middle of a month: no week, month or year starts on it or the day before. Tests
of those edges pass their own dates, or move the clock with the `clock` fixture.

Tests that compare dates with another process (a CLI run, a `streamlit run` server for the browser)
use the real clock instead: browser tests always, others by the `real_clock` marker.
"""

import datetime as dt

import time_machine

FROZEN_NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)
TODAY = FROZEN_NOW.date()


def frozen() -> time_machine.travel:
    """Python's clock at FROZEN_NOW, ticking: the `clock` fixture's, and for module fixtures that make
    dated data (they run before any test's own fixtures)."""
    return time_machine.travel(FROZEN_NOW, tick=True)
