"""The summary `rebound stats --json` prints, computed from the store (no Streamlit, no SQL)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from rebound.feedback import rules as feedback
from rebound.momentum import rules as momentum
from rebound.vocab import STATUSES
from rebound.wellbeing import rules as wellbeing

if TYPE_CHECKING:
    import pandas as pd


class _InsightCounts(Protocol):
    def status_counts(self) -> dict[str, int]: ...
    def channel_counts(self) -> dict[str, int]: ...
    def weekly_outcomes(self) -> pd.DataFrame: ...


class StatsSource(momentum.HasGoals, wellbeing.WellbeingCounts, feedback.FeedbackCounts, Protocol):
    """What the summary reads of a store (rebound.store.Store)."""

    @property
    def insights(self) -> _InsightCounts: ...


def stats(store: StatsSource) -> dict:
    """The summary printed by `rebound stats --json`."""
    by_status = {status: 0 for status in STATUSES}
    by_status.update(store.insights.status_counts())
    weeks = store.insights.weekly_outcomes()
    week_rows = [
        {
            "week": row.week.date().isoformat() if hasattr(row.week, "date") else str(row.week),
            "applications": int(row.applications),
            "responses": int(row.responses),
            "interviews": int(row.interviews),
            "rejections": int(row.rejections),
            "offers": int(row.offers),
        }
        for row in weeks.itertuples()
    ]
    result = {
        "applications": sum(by_status.values()),
        "by_status": by_status,
        "by_channel": store.insights.channel_counts(),
        "weeks": week_rows,
    }
    # Each area adds its summary: keys of result, or fields of each result["weeks"] entry (per-week mood …).
    momentum.stats_extension(store, result)
    wellbeing.stats_extension(store, result)
    feedback.stats_extension(store, result)
    return result
