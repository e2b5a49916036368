"""Aggregate queries behind `rebound stats` and the charts (user-scoped SQL)."""

from __future__ import annotations

from rebound.store.outcomes import STATUS_CTE
from rebound.vocab import INTERVIEW_EVENTS, RESPONSE_EVENTS, sql_in


class StatsStore:
    def status_counts(self) -> dict[str, int]:
        return dict(self._rows(f"WITH {STATUS_CTE} SELECT status, count(*) FROM app_status GROUP BY 1 ORDER BY 1"))

    def channel_counts(self) -> dict[str, int]:
        return dict(self._rows("SELECT channel, count(*) FROM applications WHERE user_id = $user GROUP BY 1 ORDER BY 1"))

    def weekly_outcomes(self):
        """One row per ISO week (Monday) from the first application to the last activity, gaps filled with 0.

        responses: applications whose first employer answer (vocab.RESPONSE_EVENTS: a screen, interview,
        final round, offer, acceptance or rejection) fell in that week; interviews: interview and final-round events.
        """
        return self._df(f"""
            WITH apps AS (SELECT id, date_trunc('week', applied_on)::DATE AS week FROM applications WHERE user_id = $user),
            ev AS (SELECT application_id, kind, date_trunc('week', happened_on)::DATE AS week FROM events WHERE user_id = $user),
            first_response AS (
                SELECT application_id, min(week) AS week FROM ev
                WHERE kind IN {sql_in(RESPONSE_EVENTS)} GROUP BY 1),
            bounds AS (SELECT least(min(a.week), (SELECT min(week) FROM ev)) AS lo,
                              greatest(max(a.week), (SELECT max(week) FROM ev)) AS hi FROM apps a),
            weeks AS (SELECT unnest(generate_series(lo, hi, INTERVAL 7 DAY))::DATE AS week FROM bounds WHERE lo IS NOT NULL)
            SELECT w.week,
                (SELECT count(*) FROM apps a WHERE a.week = w.week) AS applications,
                (SELECT count(*) FROM first_response r WHERE r.week = w.week) AS responses,
                (SELECT count(*) FROM ev WHERE ev.week = w.week AND kind IN {sql_in(INTERVIEW_EVENTS)}) AS interviews,
                (SELECT count(*) FROM ev WHERE ev.week = w.week AND kind = 'rejected') AS rejections,
                (SELECT count(*) FROM ev WHERE ev.week = w.week AND kind = 'offer') AS offers
            FROM weeks w ORDER BY w.week
        """)
