"""How far back a chart over time looks: the last year unless the user picks another period.

A bounded default keeps a chart readable and its drawing time flat as the search grows: in the
browser a Vega-Lite chart's cost grows with its marks (a heavy user's three years of mood, 920
days, drew in ~3× the time of a tenth of them), and a year is what the activity calendar shows too.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

PERIODS: dict[str, int | None] = {"3 months": 91, "6 months": 182, "1 year": 365, "All": None}
DEFAULT = "1 year"


def start(choice: str | None, today: dt.date) -> dt.date | None:
    """The first day `choice` shows (None: from the beginning). No choice is the default."""
    days = PERIODS.get(choice or DEFAULT, PERIODS[DEFAULT])
    return None if days is None else today - dt.timedelta(days=days - 1)


def worth_choosing(first_day: object, today: dt.date) -> bool:
    """Whether the data goes back further than the shortest period, so a choice changes the chart."""
    if first_day is None or pd.isna(first_day):
        return False
    return pd.Timestamp(first_day).date() < today - dt.timedelta(days=min(d for d in PERIODS.values() if d) - 1)


def within(frame: pd.DataFrame, since: dt.date | None) -> pd.DataFrame:
    """The rows of `frame` whose "day" is on or after `since` (all of them for None), index kept so
    that series aligned to the frame can follow it."""
    if since is None or frame.empty:
        return frame
    return frame[pd.to_datetime(frame["day"]) >= pd.Timestamp(since)]
