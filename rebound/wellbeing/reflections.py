"""Reflections, and the journal: reflections and check-ins in one history (store.reflections):
user-scoped SQL.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from rebound.dates import utcnow
from rebound.drafts.repository import drop_draft
from rebound.errors import ValidationError
from rebound.outcomes.status import existing_application
from rebound.repository import Repository, as_dates, as_list
from rebound.wellbeing.rules import validate_reflection

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable, Mapping

    import pandas as pd


MAX_SEARCH_TERMS = 8


def _answers(value: dict[str, Any] | str | None) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    try:
        loaded = json.loads(value) if value else {}
    except (TypeError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


class ReflectionsRepository(Repository):
    def add(
        self,
        template: str,
        answers: Mapping[str, object],
        themes: Iterable[str] = (),
        application_id: int | float | None = None,
        day: dt.date | None = None,
        draft: str | None = None,
    ) -> int:
        fields = validate_reflection(template, answers, themes, day)
        with self._write() as run:
            app = existing_application(run, application_id)
            drop_draft(run, draft)
            # The moment in UTC from Python's clock, as a check-in's: the journal orders the two together, and
            # DuckDB's current_timestamp is local time.
            return run(
                "INSERT INTO reflections (user_id, template, day, answers, themes, application_id, created_at,"
                " updated_at) VALUES ($user, $template, $day, $answers::JSON, $themes::VARCHAR[], $app, $now, $now)"
                " RETURNING id",
                {**fields, "answers": json.dumps(fields["answers"], ensure_ascii=False), "app": app, "now": utcnow()},
            ).fetchone()[0]

    def update(
        self,
        reflection_id: int,
        answers: Mapping[str, object],
        themes: Iterable[str] = (),
        application_id: int | float | None = None,
        day: dt.date | None = None,
        draft: str | None = None,
        version: int | None = None,
    ) -> int:
        """Save the reflection; with `version` (the one it was read at) only if nobody saved it since,
        else StaleEdit and nothing written (the draft is kept too). Returns the new version."""
        existing = self._one(
            "SELECT template FROM reflections WHERE user_id = $user AND id = $id", {"id": int(reflection_id)}
        )
        if existing is None:
            raise ValidationError("That reflection no longer exists.")
        fields = validate_reflection(existing, answers, themes, day, known_template=False)
        with self._write() as run:
            app = existing_application(run, application_id)
            drop_draft(run, draft)
            return self._versioned_update(
                run,
                "reflections",
                reflection_id,
                version,
                {
                    "answers": json.dumps(fields["answers"], ensure_ascii=False),
                    "themes": fields["themes"],
                    "day": fields["day"],
                    "application_id": app,
                },
                what="reflection",
                set_sql={"answers": "$answers::JSON", "themes": "$themes::VARCHAR[]"},
            )

    def delete(self, reflection_id: int) -> None:
        with self._write() as run:
            run("DELETE FROM reflections WHERE user_id = $user AND id = $id", {"id": int(reflection_id)})

    def get(self, reflection_id: int) -> dict[str, Any] | None:
        df = self.journal(kinds=("reflection",), ids=[int(reflection_id)])
        return None if df.empty else df.iloc[0].to_dict()

    def count(self) -> int:
        return self._one("SELECT count(*) FROM reflections WHERE user_id = $user")

    def used_themes(self) -> list[str]:
        """Themes this user has tagged, most used first."""
        return [
            r[0]
            for r in self._rows(
                "SELECT t, count(*) FROM (SELECT unnest(themes) AS t FROM reflections WHERE user_id = $user)"
                " GROUP BY t ORDER BY 2 DESC, t"
            )
        ]

    def journal_applications(self) -> pd.DataFrame:
        """Applications that have a check-in or reflection linked (for the journal filter)."""
        return self._df(
            "SELECT DISTINCT a.id, a.company, a.role, a.applied_on FROM applications a WHERE a.user_id = $user AND a.id IN ("
            " SELECT application_id FROM reflections WHERE user_id = $user"
            " UNION SELECT application_id FROM checkins WHERE user_id = $user) ORDER BY a.applied_on DESC, a.id DESC"
        )

    def written(self, templates: Iterable[str]) -> list[tuple[str, dt.date]]:
        """(template, day) of every reflection of these templates, oldest first: plain rows (Today reads
        them to offer the next day of the four days of writing, and loads no pandas)."""
        return [
            (r[0], r[1])
            for r in self._rows(
                "SELECT template, day FROM reflections WHERE user_id = $user AND list_contains($templates, template)"
                " ORDER BY day, created_at, id",
                {"templates": list(templates)},
            )
        ]

    def latest_answers(self, template: str) -> dict[str, Any] | None:
        """The answers of the newest reflection of `template` (by day, then when it was written), or None."""
        found = self._one(
            "SELECT answers::VARCHAR FROM reflections WHERE user_id = $user AND template = $template"
            " ORDER BY day DESC, created_at DESC, id DESC LIMIT 1",
            {"template": template},
        )
        return None if found is None else _answers(found)

    def moods_and_words(self, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
        """Check-ins and reflections between two days as plain rows (day, mood, note, answers as JSON
        text): what the care note reads on Today, which loads no pandas."""
        rows = self._rows(
            "SELECT checked_at::DATE, mood, note, NULL FROM checkins"
            " WHERE user_id = $user AND checked_at::DATE BETWEEN $start AND $end"
            " UNION ALL SELECT day, NULL, NULL, answers::VARCHAR FROM reflections"
            " WHERE user_id = $user AND day BETWEEN $start AND $end",
            {"start": start, "end": end},
        )
        return [dict(zip(("day", "mood", "note", "answers"), row)) for row in rows]

    def journal(
        self,
        search: str = "",
        kinds: Collection[str] = ("reflection", "checkin"),
        templates: Iterable[str] | None = None,
        themes: Iterable[str] | None = None,
        application_id: int | None = None,
        start: dt.date | None = None,
        end: dt.date | None = None,
        ids: Iterable[int] | None = None,
        limit: int | None = None,
    ) -> pd.DataFrame:
        """Reflections and check-ins in one history, newest first.

        search: every word must appear (case- and accent-insensitive) in the answers, note,
        emotions, themes, or the linked company/role. templates/themes filter reflections
        (check-ins have neither, so they drop out when either is set).
        """
        params: dict[str, object] = {}
        filters: list[str] = []
        terms = [t for t in (search or "").split() if t][:MAX_SEARCH_TERMS]
        for i, term in enumerate(terms):
            filters.append(f"contains(lower(strip_accents(hay)), lower(strip_accents($t{i})))")
            params[f"t{i}"] = term
        if application_id is not None:
            filters.append("application_id = $app")
            params["app"] = int(application_id)
        self._between("day", start, end, filters, params)
        if ids is not None:
            filters.append("list_contains($ids, id)")
            params["ids"] = [int(i) for i in ids]
        parts: list[str] = []
        if "reflection" in kinds:
            rwhere: list[str] = []
            if templates:
                rwhere.append("list_contains($templates, r.template)")
                params["templates"] = list(templates)
            if themes:
                rwhere.append("list_has_any(r.themes, $themes::VARCHAR[])")
                params["themes"] = list(themes)
            parts.append(
                "SELECT 'reflection' AS kind, r.id, r.day, r.created_at AS moment, r.template, r.answers::VARCHAR AS answers,"
                " r.themes, r.application_id, a.company, a.role, NULL::INTEGER AS mood, NULL::INTEGER AS energy,"
                " []::VARCHAR[] AS emotions, NULL::VARCHAR AS note, r.updated_at, r.version,"
                " concat_ws(' ', array_to_string(json_extract_string(r.answers, '$.*'), ' '),"
                "   array_to_string(r.themes, ' '), a.company, a.role) AS hay"
                " FROM reflections r LEFT JOIN applications a ON a.id = r.application_id AND a.user_id = $user"
                " WHERE r.user_id = $user" + "".join(f" AND {w}" for w in rwhere)
            )
        if "checkin" in kinds and not templates and not themes:
            parts.append(
                "SELECT 'checkin' AS kind, c.id, c.checked_at::DATE AS day, c.checked_at AS moment, NULL AS template,"
                " NULL AS answers, []::VARCHAR[] AS themes, c.application_id, a.company, a.role, c.mood, c.energy,"
                " c.emotions, c.note, c.checked_at AS updated_at, c.version,"
                " concat_ws(' ', c.note, array_to_string(c.emotions, ' '), a.company, a.role) AS hay"
                " FROM checkins c LEFT JOIN applications a ON a.id = c.application_id AND a.user_id = $user"
                " WHERE c.user_id = $user"
            )
        columns = [
            "kind",
            "id",
            "day",
            "moment",
            "template",
            "answers",
            "themes",
            "application_id",
            "company",
            "role",
            "mood",
            "energy",
            "emotions",
            "note",
            "updated_at",
            "version",
        ]
        if not parts:
            import pandas as pd

            return pd.DataFrame(columns=columns)
        where = (" WHERE " + " AND ".join(filters)) if filters else ""
        sql = (
            f"SELECT {', '.join(columns)} FROM ({' UNION ALL '.join(parts)}){where}"
            " ORDER BY day DESC, moment DESC, id DESC"
        )
        if limit:
            sql += f" LIMIT {int(limit)}"
        df = self._df(sql, params)
        df["day"] = as_dates(df["day"])
        df["answers"] = df["answers"].map(_answers)
        df["themes"] = df["themes"].map(as_list)
        df["emotions"] = df["emotions"].map(as_list)
        return df
