"""The summary `rebound stats --json` prints, computed from the store (no Streamlit, no SQL)."""

from __future__ import annotations

import datetime as dt
import statistics
from typing import TYPE_CHECKING, Protocol

from rebound.feedback import rules as feedback
from rebound.insights.diagnosis import load_diagnosis
from rebound.momentum import rules as momentum
from rebound.vocab import STATUSES
from rebound.wellbeing import rules as wellbeing

if TYPE_CHECKING:
    from collections.abc import Iterable

    import pandas as pd


class _InsightCounts(Protocol):
    def status_counts(self) -> dict[str, int]: ...
    def channel_counts(self) -> dict[str, int]: ...
    def weekly_outcomes(self) -> pd.DataFrame: ...
    def funnel_paths_by_age(self, settled_by: dt.date, recent_from: dt.date) -> list[dict]: ...
    def rejection_recovery(self) -> pd.DataFrame: ...
    def days_to_offer(self) -> list[int]: ...


class _Confidence(Protocol):
    def weekly_scores(self) -> list[dict]: ...


class StatsSource(momentum.HasGoals, wellbeing.WellbeingCounts, feedback.FeedbackCounts, Protocol):
    """What the summary reads of a store (rebound.store.Store)."""

    @property
    def insights(self) -> _InsightCounts: ...

    @property
    def confidence(self) -> _Confidence: ...


OUTCOME_FIELDS = ("applications", "responses", "interviews", "rejections", "offers")


def _every_week(rows: list[dict], more_weeks: set[str]) -> list[dict]:
    """Every week (Monday) from the first with anything in it to the last, in order: the outcome weeks
    and `more_weeks` (a week with only check-ins counts), outcome counts 0 where there were none."""
    by_week = {row["week"]: row for row in rows}
    weeks = sorted(by_week.keys() | more_weeks)
    if not weeks:
        return []
    first, last = dt.date.fromisoformat(weeks[0]), dt.date.fromisoformat(weeks[-1])
    mondays = (first + dt.timedelta(weeks=n) for n in range((last - first).days // 7 + 1))
    return [by_week.get(m.isoformat()) or {"week": m.isoformat(), **dict.fromkeys(OUTCOME_FIELDS, 0)} for m in mondays]


def _median(values: Iterable[float]) -> dict:
    known = [float(v) for v in values if v == v]  # NaN is unknown
    return {"median": statistics.median(known) if known else None, "n": len(known)}


def wellbeing_outcomes(store: StatsSource, today: dt.date, funnel: list[dict]) -> dict:
    """The user's own before-and-after measures: how fast they get back to applying and to their usual
    mood after a rejection, offers per interview, days to an offer; nulls where there is no data."""
    from rebound.insights.rules import bounce_back  # pandas: loaded only when stats are asked for

    bounce = bounce_back(store.insights.rejection_recovery(), today)
    interviews = funnel[3]["from"] if len(funnel) > 3 else 0
    offers = funnel[3]["to"] if len(funnel) > 3 else 0
    to_offer = store.insights.days_to_offer()
    return {
        "bounce_back_days": _median(bounce["days_to_next_application"]),
        "mood_recovery_days": _median(bounce["days_to_baseline"]),
        "offers_per_interview": {"value": round(offers / interviews, 4) if interviews else None, "n": interviews},
        "days_to_offer": {"value": statistics.median(to_offer) if to_offer else None, "n": len(to_offer)},
        "confidence": store.confidence.weekly_scores(),  # [] while the opt-in check is off
    }


def stats(store: StatsSource) -> dict:
    """The summary printed by `rebound stats --json`."""
    today = dt.date.today()
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
    week_rows = _every_week(week_rows, wellbeing.activity_weeks(store))
    result = {
        "applications": sum(by_status.values()),
        "by_status": by_status,
        "by_channel": store.insights.channel_counts(),
        "weeks": week_rows,
        "funnel": load_diagnosis(store, today).as_json()["funnel"],  # as `rebound diagnose` has it
    }
    result["wellbeing_outcomes"] = wellbeing_outcomes(store, today, result["funnel"])
    # Each area adds its summary: keys of result, or fields of each result["weeks"] entry (per-week mood …).
    momentum.stats_extension(store, result)
    wellbeing.stats_extension(store, result)
    feedback.stats_extension(store, result)
    return result
