"""One way to show a date in text, on every page and in the CLI: '22 Nov 2026'."""

from __future__ import annotations

import datetime as dt
from typing import cast

# English month abbreviations, as strftime('%b') gives them in the C locale (a table: faster, and the
# same whatever locale the server runs in).
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def fmt_date(value: object, *, weekday: bool = False) -> str:
    """A date (or datetime, pandas Timestamp or ISO string) as people read it, 'Wed 25 Nov 2026' with
    `weekday`; '' for none. Not strftime: '%-d' fails on Windows and '%b' follows the locale."""
    if value is None or (isinstance(value, float) and value != value):  # None or NaN
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        value = value.date()
    if hasattr(value, "date") and not isinstance(value, dt.date):  # pandas Timestamp
        value = value.date()
    day = cast(dt.date, value)  # each kind above is a date by now (anything else fails as before)
    shown = f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
    return f"{_WEEKDAYS[day.weekday()]} {shown}" if weekday else shown


def utcnow() -> dt.datetime:
    """Now, as moments are stored: naive UTC (from Python's clock, the one tests can move)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def local_time(moment: dt.datetime) -> dt.datetime:
    """A stored moment (naive UTC, or aware) in the server's local time, for showing it."""
    return (moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment).astimezone()


def week_of(day: dt.date) -> dt.date:
    """The Monday of the ISO week containing `day` (weeks are Monday-dated everywhere: goals, momentum, stats)."""
    if isinstance(day, dt.datetime):
        day = day.date()
    return day - dt.timedelta(days=day.weekday())
