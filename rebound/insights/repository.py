"""The aggregated, user-scoped reads behind the Progress page and `rebound stats` (store.insights).

Each method returns a small, already-aggregated frame; rebound/insights/rules.py turns
them into funnels, rates, trends and sentences without touching the database.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from rebound.outcomes.status import STATUS_CTE
from rebound.repository import Repository, between
from rebound.vocab import CLOSED_STATUSES, FUNNEL_LEVEL, INTERVIEW_EVENTS, RESPONSE_EVENTS, sql_in, sql_rank, sql_stage

if TYPE_CHECKING:
    import pandas as pd


# How far an application got, as a number (vocab.FUNNEL_LEVEL): 0 applied, 1 screen, 2 interview (incl.
# final round), 3 offer; accepting an offer reached the offer. A rejection's `stage` is the stage reached,
# so "rejected at interview" counts as reaching interview. Responded: an employer answer (vocab.RESPONSE_EVENTS).
REACHED_CTE = f"""
reached AS (
    SELECT application_id,
           max(CASE WHEN kind = 'accepted' THEN {FUNNEL_LEVEL["offer"]}
                    WHEN kind = 'rejected' THEN {sql_rank("coalesce(stage, 'applied')", FUNNEL_LEVEL)}
                    ELSE {sql_rank("kind", FUNNEL_LEVEL)} END) AS reached,
           bool_or(kind IN {sql_in(RESPONSE_EVENTS)}) AS responded
    FROM events WHERE user_id = $user GROUP BY 1
)"""


def _app_filters(
    start: dt.date | None = None, end: dt.date | None = None, channels: list[str] | None = None, alias: str = "a"
) -> tuple[str, dict[str, object]]:
    where: list[str] = []
    params: dict[str, object] = {}
    between(f"{alias}.applied_on", start, end, where, params)
    if channels:
        where.append(f"{alias}.channel IN (SELECT unnest($channels))")
        params["channels"] = list(channels)
    return (" AND " + " AND ".join(where)) if where else "", params


class InsightsRepository(Repository):
    def funnel_path_counts(
        self, start: dt.date | None = None, end: dt.date | None = None, channels: list[str] | None = None
    ) -> pd.DataFrame:
        """Applications grouped by the path they took.

        Columns: channel, reached (0 applied, 1 screen, 2 interview, 3 offer), responded (bool),
        outcome (rejected, ghosted, withdrawn, accepted or open), n. Filtered by applied_on and channel.
        """
        clause, params = _app_filters(start, end, channels)
        return self._df(
            f"""
            WITH {STATUS_CTE}, {REACHED_CTE}
            SELECT a.channel,
                   coalesce(r.reached, 0)::INTEGER AS reached,
                   (coalesce(r.responded, false) OR coalesce(r.reached, 0) > 0) AS responded,
                   CASE WHEN a.status IN {sql_in(CLOSED_STATUSES)} THEN a.status
                        ELSE 'open' END AS outcome,
                   count(*)::INTEGER AS n
            FROM app_status a LEFT JOIN reached r ON r.application_id = a.id
            WHERE true {clause}
            GROUP BY ALL ORDER BY ALL
        """,
            params,
        )

    def funnel_paths_by_age(self, settled_by: dt.date, recent_from: dt.date) -> list[dict[str, Any]]:
        """funnel_path_counts' paths, every application, with two more fields for the diagnosis:
        settled (applied on or before `settled_by`: it has had time for an answer) and recent (applied
        after `recent_from`), and the CV and cover-letter versions it was sent with (per-version rates).
        Plain rows, not a frame: Today shows the diagnosis without pandas."""
        rows = self._rows(
            f"""
            WITH {STATUS_CTE}, {REACHED_CTE}
            SELECT a.channel,
                   coalesce(r.reached, 0)::INTEGER AS reached,
                   (coalesce(r.responded, false) OR coalesce(r.reached, 0) > 0) AS responded,
                   CASE WHEN a.status IN {sql_in(CLOSED_STATUSES)} THEN a.status
                        ELSE 'open' END AS outcome,
                   coalesce(a.applied_on <= $settled_by, true) AS settled,
                   coalesce(a.applied_on > $recent_from, false) AS recent,
                   a.cv_version_id, a.letter_version_id,
                   count(*)::INTEGER AS n
            FROM app_status a LEFT JOIN reached r ON r.application_id = a.id
            GROUP BY ALL ORDER BY ALL
        """,
            {"settled_by": settled_by, "recent_from": recent_from},
        )
        names = (
            "channel",
            "reached",
            "responded",
            "outcome",
            "settled",
            "recent",
            "cv_version_id",
            "letter_version_id",
            "n",
        )
        return [dict(zip(names, row)) for row in rows]

    def application_span(self) -> tuple[dt.date | None, dt.date | None]:
        row = self._rows("SELECT min(applied_on), max(applied_on) FROM applications WHERE user_id = $user")[0]
        return row[0], row[1]

    def monthly_channel_mix(
        self, start: dt.date | None = None, end: dt.date | None = None, channels: list[str] | None = None
    ) -> pd.DataFrame:
        """Applications per calendar month and channel: month, channel, n."""
        clause, params = _app_filters(start, end, channels)
        return self._df(
            f"""
            SELECT date_trunc('month', a.applied_on)::DATE AS month, a.channel, count(*)::INTEGER AS n
            FROM applications a WHERE a.user_id = $user {clause}
            GROUP BY ALL ORDER BY ALL
        """,
            params,
        )

    def monthly_rejections(self) -> pd.DataFrame:
        """Rejections per calendar month and the stage they came at: month, stage, n."""
        return self._df(f"""
            SELECT date_trunc('month', happened_on)::DATE AS month,
                   {sql_stage("stage")} AS stage,
                   count(*)::INTEGER AS n
            FROM events WHERE user_id = $user AND kind = 'rejected'
            GROUP BY ALL ORDER BY ALL
        """)

    def monthly_theme_mentions(self) -> pd.DataFrame:
        """Every theme tag from reflections and feedback, per month: month, source, theme, n."""
        return self._df("""
            WITH tags AS (
                SELECT day, 'reflection' AS source, unnest(themes) AS theme
                FROM reflections WHERE user_id = $user
                UNION ALL
                SELECT coalesce(answered_on, sent_on, drafted_on) AS day, 'feedback' AS source, unnest(themes) AS theme
                FROM feedback_requests WHERE user_id = $user
            )
            SELECT date_trunc('month', day)::DATE AS month, source, lower(trim(theme)) AS theme, count(*)::INTEGER AS n
            FROM tags WHERE trim(coalesce(theme, '')) <> ''
            GROUP BY ALL ORDER BY ALL
        """)

    def theme_tag_days(self) -> pd.DataFrame:
        """Theme tags with their day (for recent-versus-earlier trends): day, theme, n."""
        return self._df("""
            WITH tags AS (
                SELECT day, unnest(themes) AS theme FROM reflections WHERE user_id = $user
                UNION ALL
                SELECT coalesce(answered_on, sent_on, drafted_on), unnest(themes)
                FROM feedback_requests WHERE user_id = $user
            )
            SELECT day, lower(trim(theme)) AS theme, count(*)::INTEGER AS n
            FROM tags WHERE trim(coalesce(theme, '')) <> '' GROUP BY ALL ORDER BY ALL
        """)

    def role_outcomes(self) -> pd.DataFrame:
        """Per distinct role title: role, applications, responses, interviews, offers, rejections."""
        return self._df(f"""
            WITH {STATUS_CTE}, {REACHED_CTE}
            SELECT any_value(trim(a.role)) AS role,
                   count(*)::INTEGER AS applications,
                   count(*) FILTER (WHERE r.responded OR r.reached > 0)::INTEGER AS responses,
                   count(*) FILTER (WHERE r.reached >= 2)::INTEGER AS interviews,
                   count(*) FILTER (WHERE r.reached >= 3)::INTEGER AS offers,
                   count(*) FILTER (WHERE a.status = 'rejected')::INTEGER AS rejections
            FROM app_status a LEFT JOIN reached r ON r.application_id = a.id
            GROUP BY lower(trim(a.role)) ORDER BY applications DESC, role
        """)

    def progress_days(self, since: dt.date | None = None) -> pd.DataFrame:
        """One row per day with anything logged: day, applications, activities, coping,
        rejections, checkins, mood (mean of that day's check-ins)."""
        params = {"since": since or dt.date(1900, 1, 1)}
        return self._df(
            """
            WITH d AS (
                SELECT applied_on AS day, 1 AS apps, 0 AS acts, 0 AS cope, 0 AS rej, NULL::DOUBLE AS mood
                FROM applications WHERE user_id = $user AND applied_on >= $since
                UNION ALL SELECT day, 0, 1, 0, 0, NULL FROM activities WHERE user_id = $user AND day >= $since
                UNION ALL SELECT day, 0, 0, 1, 0, NULL FROM coping WHERE user_id = $user AND day >= $since
                UNION ALL SELECT happened_on, 0, 0, 0, 1, NULL FROM events
                    WHERE user_id = $user AND kind = 'rejected' AND happened_on >= $since
                UNION ALL SELECT checked_at::DATE, 0, 0, 0, 0, mood FROM checkins
                    WHERE user_id = $user AND checked_at >= $since
            )
            SELECT day, sum(apps)::INTEGER AS applications, sum(acts)::INTEGER AS activities,
                   sum(cope)::INTEGER AS coping, sum(rej)::INTEGER AS rejections,
                   count(mood)::INTEGER AS checkins, avg(mood) AS mood
            FROM d GROUP BY day ORDER BY day
        """,
            params,
        )

    def coping_ratings_by_kind(self) -> pd.DataFrame:
        """kind, sessions, rated (sessions with a 'did it help' score), helped (mean 1-5), minutes (total)."""
        return self._df("""
            SELECT lower(trim(kind)) AS kind, count(*)::INTEGER AS sessions,
                   count(helped)::INTEGER AS rated, avg(helped) AS helped,
                   coalesce(sum(minutes), 0)::INTEGER AS minutes
            FROM coping WHERE user_id = $user GROUP BY 1 ORDER BY helped DESC NULLS LAST, sessions DESC, kind
        """)

    def days_to_offer(self) -> list[int]:
        """For each application with an offer: days from applying to its first offer (never negative)."""
        return sorted(days for _, days in self.offers_dated())

    def offers_dated(self) -> list[tuple[dt.date, int]]:
        """For each application with an offer: (the day of its first offer, days from applying to it,
        never negative), by day."""
        rows = self._rows("""
            SELECT min(e.happened_on), greatest(min(e.happened_on) - a.applied_on, 0)::INTEGER
            FROM events e JOIN applications a ON a.id = e.application_id AND a.user_id = $user
            WHERE e.user_id = $user AND e.kind = 'offer' AND a.applied_on IS NOT NULL
            GROUP BY a.id, a.applied_on ORDER BY 1, 2
        """)
        return [(r[0], int(r[1])) for r in rows]

    def interviews_dated(self) -> list[tuple[dt.date, int]]:
        """For each application that reached an interview: (the day of its first interview, or of its
        first employer event when only a rejection's stage says it got there; 1 if it reached an offer,
        else 0), by day: offers per interview, over time."""
        rows = self._rows(f"""
            WITH {REACHED_CTE}
            SELECT coalesce(min(e.happened_on) FILTER (WHERE e.kind IN {sql_in(INTERVIEW_EVENTS)}),
                            min(e.happened_on)),
                   (r.reached >= {FUNNEL_LEVEL["offer"]})::INTEGER
            FROM reached r JOIN events e ON e.application_id = r.application_id AND e.user_id = $user
            WHERE r.reached >= {FUNNEL_LEVEL["interview"]}
            GROUP BY r.application_id, r.reached ORDER BY 1, 2
        """)
        return [(r[0], int(r[1])) for r in rows if r[0] is not None]

    def rejection_recovery(self, baseline_days: int = 30, horizon_days: int = 60) -> pd.DataFrame:
        """One row per rejection with what happened next.

        days_to_next_application: days from the rejection to the next application (on or after that
        day, not counting the rejected one). baseline: median mood of check-ins in the `baseline_days`
        before the rejection (n_baseline of them). days_to_baseline: days until the first check-in,
        on or after the rejection and within `horizon_days`, whose mood is back at the baseline.
        low: the lowest mood in that window. checkins_after: check-ins in that window.
        """
        # Every step is a sort, a window or an ASOF join, so the cost grows as n log n with the
        # user's data. Range joins (each rejection paired with every later application, or with
        # every check-in, filtered afterwards) took 3-9 s at 30 heavy years.
        return self._df(
            f"""
            WITH rej AS (
                SELECT e.id, e.application_id, e.happened_on AS day,
                       {sql_stage("e.stage")} AS stage,
                       a.company, a.role, a.channel, a.applied_on
                FROM events e JOIN applications a ON a.id = e.application_id AND a.user_id = $user
                WHERE e.user_id = $user AND e.kind = 'rejected'
            ),
            -- Each day with applications, how many, and the next such day.
            app_days AS (
                SELECT applied_on AS day, count(*) AS n, lead(applied_on) OVER (ORDER BY applied_on) AS following
                FROM applications WHERE user_id = $user GROUP BY applied_on
            ),
            nxt AS (
                -- The first application day on or after the rejection; when the rejected application
                -- is that day's only one it does not count, and the next application day is the answer.
                SELECT r.id, CASE WHEN d.day = r.applied_on AND d.n = 1 THEN d.following ELSE d.day END AS next_on
                FROM rej r ASOF JOIN app_days d ON d.day >= r.day
            ),
            ci AS (SELECT checked_at::DATE AS day, mood FROM checkins WHERE user_id = $user),
            -- Check-ins and one probe row per rejection day on one timeline: window frames give each
            -- probe the check-ins of the days before it (baseline) and of the days after (horizon).
            timeline AS (
                SELECT day, mood, false AS probe FROM ci
                UNION ALL SELECT DISTINCT day, NULL, true FROM rej
            ),
            by_day AS (
                SELECT day, probe,
                       median(mood) OVER before AS baseline, count(mood) OVER before AS n_baseline,
                       min(mood) OVER after AS low, count(mood) OVER after AS checkins_after
                FROM timeline
                WINDOW before AS (ORDER BY day RANGE BETWEEN to_days($baseline_days) PRECEDING
                                                         AND INTERVAL 1 DAY PRECEDING),
                       after AS (ORDER BY day RANGE BETWEEN CURRENT ROW AND to_days($horizon_days) FOLLOWING)
            ),
            probes AS (
                -- Moods are whole numbers, so "mood >= baseline" is "mood >= ceil(baseline)".
                SELECT day, baseline, n_baseline, low, checkins_after, ceil(baseline)::INTEGER AS need
                FROM by_day WHERE probe
            ),
            -- For each mood a probe needs, the check-ins at or above it: at most one copy of the
            -- check-ins per distinct mood level.
            ci_at AS (
                SELECT n.need, c.day FROM (SELECT DISTINCT need FROM probes WHERE need IS NOT NULL) n
                JOIN ci c ON c.mood >= n.need
            ),
            back AS (
                SELECT p.day, c.day AS back_on
                FROM probes p ASOF JOIN ci_at c ON c.need = p.need AND c.day >= p.day
                WHERE c.day <= p.day + $horizon_days
            )
            SELECT r.id, r.day, r.stage, r.company, r.role, r.channel,
                   date_diff('day', r.day, n.next_on)::INTEGER AS days_to_next_application,
                   p.baseline, p.n_baseline::INTEGER AS n_baseline,
                   date_diff('day', r.day, b.back_on)::INTEGER AS days_to_baseline,
                   p.low, coalesce(p.checkins_after, 0)::INTEGER AS checkins_after
            FROM rej r
            LEFT JOIN probes p ON p.day = r.day
            LEFT JOIN nxt n ON n.id = r.id
            LEFT JOIN back b ON b.day = r.day
            ORDER BY r.day, r.id
        """,
            {"baseline_days": int(baseline_days), "horizon_days": int(horizon_days)},
        )

    # -- `rebound stats` ----------------------------------------------------------

    def status_counts(self) -> dict[str, int]:
        return dict(self._rows(f"WITH {STATUS_CTE} SELECT status, count(*) FROM app_status GROUP BY 1 ORDER BY 1"))

    def channel_counts(self) -> dict[str, int]:
        return dict(
            self._rows("SELECT channel, count(*) FROM applications WHERE user_id = $user GROUP BY 1 ORDER BY 1")
        )

    def weekly_outcomes(self) -> pd.DataFrame:
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
