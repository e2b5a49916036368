"""Checks for the fields activities, contacts and wins share (pure: no SQL)."""

from __future__ import annotations

import datetime as dt
from typing import overload

from rebound.errors import ValidationError

MAX_TEXT = 300
MAX_NOTE = 5_000


def text_field(value: str | None, field: str, limit: int = MAX_TEXT) -> str | None:
    value = (value or "").strip()
    if len(value) > limit:
        raise ValidationError(f"{field} is too long ({len(value):,} characters; at most {limit:,}).")
    return value or None


@overload
def day_field(value: dt.date, field: str, today: dt.date, allow_future: bool = False) -> dt.date: ...
@overload
def day_field(value: dt.date | None, field: str, today: dt.date, allow_future: bool = False) -> dt.date | None: ...
def day_field(value: dt.date | None, field: str, today: dt.date, allow_future: bool = False) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        raise ValidationError(f"Please choose a date for {field}.")
    if not allow_future and value > today:
        raise ValidationError(f"The {field} is in the future; log things once they have happened.")
    return value
