"""The one way dates are shown: rebound.dates.fmt_date, on any platform and in any locale."""

import datetime as dt

import pytest

from rebound.dates import fmt_date


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (dt.date(2026, 12, 7), "7 Dec 2026"),
        (dt.datetime(2028, 2, 29, 23, 59), "29 Feb 2028"),
        ("2027-01-04", "4 Jan 2027"),
        (None, ""),
        (float("nan"), ""),
    ],
)
def test_a_date_reads_the_same_everywhere(value, shown):
    assert fmt_date(value) == shown


def test_with_its_weekday_every_day_of_a_week():
    monday = dt.date(2026, 11, 23)
    shown = [fmt_date(monday + dt.timedelta(days=i), weekday=True) for i in range(7)]
    assert shown == [f"{d} {23 + i} Nov 2026" for i, d in enumerate(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"))]
