"""A chart's period: the last year by default, offered only when the data is older than three months."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from rebound.insights import period

TODAY = dt.date(2026, 12, 1)


def test_each_period_starts_that_many_days_back_including_today():
    assert period.start("3 months", TODAY) == TODAY - dt.timedelta(days=90)
    assert period.start("1 year", TODAY) == dt.date(2025, 12, 2)
    assert period.start("All", TODAY) is None
    assert period.start(None, TODAY) == period.start(period.DEFAULT, TODAY) == dt.date(2025, 12, 2)


def test_a_choice_is_worth_offering_only_for_data_older_than_the_shortest_period():
    assert not period.worth_choosing(None, TODAY)
    assert not period.worth_choosing(pd.NaT, TODAY)
    assert not period.worth_choosing(TODAY - dt.timedelta(days=90), TODAY)
    assert period.worth_choosing(TODAY - dt.timedelta(days=91), TODAY)
    assert period.worth_choosing(pd.Timestamp("2020-01-01"), TODAY)


def test_within_keeps_the_days_from_the_start_on_with_their_index():
    since = dt.date(2026, 11, 1)
    for days in (
        [dt.date(2026, 10, 31), dt.date(2026, 11, 1), dt.date(2026, 11, 30)],
        pd.to_datetime(["2026-10-31", "2026-11-01", "2026-11-30"]),
    ):
        frame = pd.DataFrame({"day": days, "n": [1, 2, 3]}, index=[10, 11, 12])
        kept = period.within(frame, since)
        assert list(kept["n"]) == [2, 3] and list(kept.index) == [11, 12]
        assert period.within(frame, None) is frame
    empty = pd.DataFrame({"day": []})
    assert period.within(empty, since).empty
