"""Check-ins, coping and self-care, and reflections (the journal)."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING

from rebound.errors import ValidationError
from rebound.wellbeing import (social_kinds, validate_checkin, validate_coping, validate_reflection)

if TYPE_CHECKING:
    import pandas as pd

MAX_SEARCH_TERMS = 8


def _answers(value) -> dict:
    if isinstance(value, dict):
        return value
    try:
        loaded = json.loads(value) if value else {}
    except (TypeError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _dates(column: pd.Series) -> pd.Series:
    return column.map(lambda v: v.date() if hasattr(v, "date") else v).astype(object)


def _list(value) -> list:
    if value is None:
        return []
    try:
        return [str(v) for v in value]
    except TypeError:
        return []


class WellbeingStore:
    # -- shared --------------------------------------------------------------
    def _check_application(self, run, application_id) -> int | None:
        if application_id is None or (isinstance(application_id, float) and application_id != application_id):  # NaN
            return None
        found = run("SELECT id FROM applications WHERE user_id = $user AND id = $id",
                    {"id": int(application_id)}).fetchone()
        if found is None:
            raise ValidationError("That application no longer exists; choose another or none.")
        return int(found[0])

    # -- check-ins ---------------------------------------------------------------
    # `draft`: the form's draft id, deleted in the same transaction as the save (see store/drafts.py).
    def add_checkin(self, mood, energy=None, emotions=(), note=None, application_id=None,
                    checked_at=None, draft: str | None = None) -> int:
        fields = validate_checkin(mood, energy, emotions, note, checked_at)
        with self._write() as run:
            fields["application_id"] = self._check_application(run, application_id)
            self._drop_draft(run, draft)
            return run(
                "INSERT INTO checkins (user_id, checked_at, mood, energy, emotions, note, application_id)"
                " VALUES ($user, $checked_at, $mood, $energy, $emotions::VARCHAR[], $note, $application_id)"
                " RETURNING id", fields).fetchone()[0]

    def update_checkin(self, checkin_id: int, mood, energy=None, emotions=(), note=None,
                       application_id=None, checked_at=None, draft: str | None = None) -> None:
        fields = validate_checkin(mood, energy, emotions, note, checked_at)
        with self._write() as run:
            fields["application_id"] = self._check_application(run, application_id)
            self._drop_draft(run, draft)
            done = run(
                "UPDATE checkins SET checked_at = $checked_at, mood = $mood, energy = $energy,"
                " emotions = $emotions::VARCHAR[], note = $note, application_id = $application_id"
                " WHERE user_id = $user AND id = $id RETURNING id", {**fields, "id": int(checkin_id)}).fetchall()
            if not done:
                raise ValidationError("That check-in no longer exists.")

    def delete_checkin(self, checkin_id: int) -> None:
        with self._write() as run:
            run("DELETE FROM checkins WHERE user_id = $user AND id = $id", {"id": int(checkin_id)})

    def checkin(self, checkin_id: int) -> dict | None:
        df = self.checkins(ids=[int(checkin_id)])
        return None if df.empty else df.iloc[0].to_dict()

    def checkins(self, start: dt.date | None = None, end: dt.date | None = None,
                 application_id: int | None = None, ids=None, limit: int | None = None) -> pd.DataFrame:
        """Newest first, with the linked application's company and role."""
        where, params = ["c.user_id = $user"], {}
        if start:
            where.append("c.checked_at::DATE >= $start")
            params["start"] = start
        if end:
            where.append("c.checked_at::DATE <= $end")
            params["end"] = end
        if application_id is not None:
            where.append("c.application_id = $app")
            params["app"] = int(application_id)
        if ids is not None:
            where.append("list_contains($ids, c.id)")
            params["ids"] = [int(i) for i in ids]
        sql = ("SELECT c.id, c.checked_at, c.mood, c.energy, c.emotions, c.note, c.application_id,"
               " a.company, a.role FROM checkins c"
               " LEFT JOIN applications a ON a.id = c.application_id AND a.user_id = $user"
               f" WHERE {' AND '.join(where)} ORDER BY c.checked_at DESC, c.id DESC")
        if limit:
            sql += f" LIMIT {int(limit)}"
        df = self._df(sql, params)
        df["emotions"] = df["emotions"].map(_list)
        return df

    def checkin_count(self) -> int:
        return self._one("SELECT count(*) FROM checkins WHERE user_id = $user")

    # -- coping --------------------------------------------------------------------
    def add_coping(self, day, kind, with_whom=None, minutes=None, helped=None, note=None,
                   draft: str | None = None) -> int:
        fields = validate_coping(day, kind, with_whom, minutes, helped, note)
        with self._write() as run:
            self._drop_draft(run, draft)
            return run("INSERT INTO coping (user_id, day, kind, with_whom, minutes, helped, note)"
                       " VALUES ($user, $day, $kind, $with_whom, $minutes, $helped, $note) RETURNING id",
                       fields).fetchone()[0]

    def update_coping(self, coping_id: int, day, kind, with_whom=None, minutes=None, helped=None,
                      note=None, draft: str | None = None) -> None:
        fields = validate_coping(day, kind, with_whom, minutes, helped, note)
        with self._write() as run:
            self._drop_draft(run, draft)
            done = run("UPDATE coping SET day = $day, kind = $kind, with_whom = $with_whom, minutes = $minutes,"
                       " helped = $helped, note = $note WHERE user_id = $user AND id = $id RETURNING id",
                       {**fields, "id": int(coping_id)}).fetchall()
            if not done:
                raise ValidationError("That entry no longer exists.")

    def delete_coping(self, coping_id: int) -> None:
        with self._write() as run:
            run("DELETE FROM coping WHERE user_id = $user AND id = $id", {"id": int(coping_id)})

    def coping_log(self, start: dt.date | None = None, end: dt.date | None = None,
                   limit: int | None = None) -> pd.DataFrame:
        where, params = ["user_id = $user"], {}
        self._between("day", start, end, where, params)
        sql = (f"SELECT id, day, kind, with_whom, minutes, helped, note FROM coping WHERE {' AND '.join(where)}"
               " ORDER BY day DESC, id DESC")
        if limit:
            sql += f" LIMIT {int(limit)}"
        df = self._df(sql, params)
        df["day"] = _dates(df["day"])
        return df

    def coping_ratings(self) -> list[tuple]:
        """(kind, times rated, mean helped, the person it helped most with) from the user's own log."""
        return self._rows("""
            WITH rated AS (SELECT kind, helped, nullif(trim(with_whom), '') AS who FROM coping
                           WHERE user_id = $user AND helped IS NOT NULL),
            who AS (SELECT kind, arg_max(who, h) AS best_who FROM (
                        SELECT kind, who, avg(helped) + count(*) / 1000.0 AS h FROM rated
                        WHERE who IS NOT NULL GROUP BY ALL) GROUP BY kind)
            SELECT r.kind, count(*) AS n, avg(r.helped) AS mean, any_value(w.best_who) AS best_who
            FROM rated r LEFT JOIN who w USING (kind) GROUP BY r.kind ORDER BY r.kind
        """)

    def social_days(self, since: dt.date) -> list[dt.date]:
        """Days with social contact logged: a social kind, or any self-care done with someone."""
        return [r[0] for r in self._rows(
            "SELECT DISTINCT day FROM coping WHERE user_id = $user AND day >= $since"
            " AND (list_contains($social, kind) OR nullif(trim(with_whom), '') IS NOT NULL) ORDER BY day",
            {"since": since, "social": sorted(social_kinds())})]

    def recent_rejections(self, since: dt.date) -> list[tuple]:
        """(day, company, application_id, role, stage) of rejections on or after `since`, newest first."""
        return self.events_since("rejected", since)

    def events_since(self, kind: str, since: dt.date) -> list[tuple]:
        """(day, company, application_id, role, stage) of one kind of event on or after `since`, newest first."""
        return self._rows(
            "SELECT e.happened_on, a.company, a.id, a.role, e.stage FROM events e"
            " JOIN applications a ON a.id = e.application_id AND a.user_id = $user"
            " WHERE e.user_id = $user AND e.kind = $kind AND e.happened_on >= $since"
            " ORDER BY e.happened_on DESC, e.id DESC", {"since": since, "kind": kind})

    # -- reflections -------------------------------------------------------------------
    def add_reflection(self, template, answers: dict, themes=(), application_id=None, day=None,
                       draft: str | None = None) -> int:
        fields = validate_reflection(template, answers, themes, day)
        with self._write() as run:
            app = self._check_application(run, application_id)
            self._drop_draft(run, draft)
            return run(
                "INSERT INTO reflections (user_id, template, day, answers, themes, application_id)"
                " VALUES ($user, $template, $day, $answers::JSON, $themes::VARCHAR[], $app) RETURNING id",
                {**fields, "answers": json.dumps(fields["answers"], ensure_ascii=False), "app": app},
            ).fetchone()[0]

    def update_reflection(self, reflection_id: int, answers: dict, themes=(), application_id=None,
                          day=None, draft: str | None = None) -> None:
        existing = self._one("SELECT template FROM reflections WHERE user_id = $user AND id = $id",
                             {"id": int(reflection_id)})
        if existing is None:
            raise ValidationError("That reflection no longer exists.")
        fields = validate_reflection(existing, answers, themes, day, known_template=False)
        with self._write() as run:
            app = self._check_application(run, application_id)
            self._drop_draft(run, draft)
            done = run(
                "UPDATE reflections SET answers = $answers::JSON, themes = $themes::VARCHAR[], day = $day,"
                " application_id = $app, updated_at = current_timestamp"
                " WHERE user_id = $user AND id = $id RETURNING id",
                {**fields, "answers": json.dumps(fields["answers"], ensure_ascii=False), "app": app,
                 "id": int(reflection_id)}).fetchall()
            if not done:
                raise ValidationError("That reflection no longer exists.")

    def delete_reflection(self, reflection_id: int) -> None:
        with self._write() as run:
            run("DELETE FROM reflections WHERE user_id = $user AND id = $id", {"id": int(reflection_id)})

    def reflection(self, reflection_id: int) -> dict | None:
        df = self.journal(kinds=("reflection",), ids=[int(reflection_id)])
        return None if df.empty else df.iloc[0].to_dict()

    def reflection_count(self) -> int:
        return self._one("SELECT count(*) FROM reflections WHERE user_id = $user")

    def used_themes(self) -> list[str]:
        """Themes this user has tagged, most used first."""
        return [r[0] for r in self._rows(
            "SELECT t, count(*) FROM (SELECT unnest(themes) AS t FROM reflections WHERE user_id = $user)"
            " GROUP BY t ORDER BY 2 DESC, t")]

    def journal_applications(self) -> pd.DataFrame:
        """Applications that have a check-in or reflection linked (for the journal filter)."""
        return self._df(
            "SELECT DISTINCT a.id, a.company, a.role FROM applications a WHERE a.user_id = $user AND a.id IN ("
            " SELECT application_id FROM reflections WHERE user_id = $user"
            " UNION SELECT application_id FROM checkins WHERE user_id = $user) ORDER BY a.company, a.role")

    def journal(self, search: str = "", kinds=("reflection", "checkin"), templates=None, themes=None,
                application_id: int | None = None, start: dt.date | None = None, end: dt.date | None = None,
                ids=None, limit: int | None = None) -> pd.DataFrame:
        """Reflections and check-ins in one history, newest first.

        search: every word must appear (case- and accent-insensitive) in the answers, note,
        emotions, themes, or the linked company/role. templates/themes filter reflections
        (check-ins have neither, so they drop out when either is set).
        """
        params: dict = {}
        filters = []
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
        parts = []
        if "reflection" in kinds:
            rwhere = []
            if templates:
                rwhere.append("list_contains($templates, r.template)")
                params["templates"] = list(templates)
            if themes:
                rwhere.append("list_has_any(r.themes, $themes::VARCHAR[])")
                params["themes"] = list(themes)
            parts.append(
                "SELECT 'reflection' AS kind, r.id, r.day, r.created_at AS moment, r.template, r.answers::VARCHAR AS answers,"
                " r.themes, r.application_id, a.company, a.role, NULL::INTEGER AS mood, NULL::INTEGER AS energy,"
                " []::VARCHAR[] AS emotions, NULL::VARCHAR AS note, r.updated_at,"
                " concat_ws(' ', array_to_string(json_extract_string(r.answers, '$.*'), ' '),"
                "   array_to_string(r.themes, ' '), a.company, a.role) AS hay"
                " FROM reflections r LEFT JOIN applications a ON a.id = r.application_id AND a.user_id = $user"
                " WHERE r.user_id = $user" + "".join(f" AND {w}" for w in rwhere))
        if "checkin" in kinds and not templates and not themes:
            parts.append(
                "SELECT 'checkin' AS kind, c.id, c.checked_at::DATE AS day, c.checked_at AS moment, NULL AS template,"
                " NULL AS answers, []::VARCHAR[] AS themes, c.application_id, a.company, a.role, c.mood, c.energy,"
                " c.emotions, c.note, c.checked_at AS updated_at,"
                " concat_ws(' ', c.note, array_to_string(c.emotions, ' '), a.company, a.role) AS hay"
                " FROM checkins c LEFT JOIN applications a ON a.id = c.application_id AND a.user_id = $user"
                " WHERE c.user_id = $user")
        columns = ["kind", "id", "day", "moment", "template", "answers", "themes", "application_id", "company",
                   "role", "mood", "energy", "emotions", "note", "updated_at"]
        if not parts:
            import pandas as pd

            return pd.DataFrame(columns=columns)
        where = (" WHERE " + " AND ".join(filters)) if filters else ""
        sql = (f"SELECT {', '.join(columns)} FROM ({' UNION ALL '.join(parts)}){where}"
               " ORDER BY day DESC, moment DESC, id DESC")
        if limit:
            sql += f" LIMIT {int(limit)}"
        df = self._df(sql, params)
        df["day"] = _dates(df["day"])
        df["answers"] = df["answers"].map(_answers)
        df["themes"] = df["themes"].map(_list)
        df["emotions"] = df["emotions"].map(_list)
        return df

    # -- weekly summaries (stats) --------------------------------------------------------
    def mood_weekly(self) -> pd.DataFrame:
        """Per ISO week (Monday): mean mood and energy and the number of check-ins."""
        return self._df(
            "SELECT date_trunc('week', checked_at)::DATE AS week, avg(mood) AS mood_mean, count(*) AS n,"
            " avg(energy) AS energy_mean, min(mood) AS mood_min"
            " FROM checkins WHERE user_id = $user GROUP BY 1 ORDER BY 1")

    def coping_weekly(self) -> pd.DataFrame:
        """Per ISO week: sessions, minutes, mean 'did it help', and sessions with someone."""
        return self._df(
            "SELECT date_trunc('week', day)::DATE AS week, count(*) AS sessions,"
            " coalesce(sum(minutes), 0) AS minutes, avg(helped) AS helped_mean,"
            " count(*) FILTER (WHERE list_contains($social, kind) OR nullif(trim(with_whom), '') IS NOT NULL) AS social"
            " FROM coping WHERE user_id = $user GROUP BY 1 ORDER BY 1", {"social": sorted(social_kinds())})

    # -- demo ------------------------------------------------------------------------------
    def bulk_insert_wellbeing(self, checkins: list[dict], coping: list[dict], reflections: list[dict]) -> dict:
        """Insert demo rows in one transaction (already valid; used by the demo generator)."""
        with self._write() as run:
            for c in checkins:
                run("INSERT INTO checkins (user_id, checked_at, mood, energy, emotions, note, application_id)"
                    " VALUES ($user, $checked_at, $mood, $energy, $emotions::VARCHAR[], $note, $application_id)",
                    {"note": None, "energy": None, "application_id": None, **c})
            for c in coping:
                run("INSERT INTO coping (user_id, day, kind, with_whom, minutes, helped, note)"
                    " VALUES ($user, $day, $kind, $with_whom, $minutes, $helped, $note)",
                    {"with_whom": None, "minutes": None, "helped": None, "note": None, **c})
            for r in reflections:
                run("INSERT INTO reflections (user_id, template, day, answers, themes, application_id, created_at,"
                    " updated_at) VALUES ($user, $template, $day, $answers::JSON, $themes::VARCHAR[], $application_id,"
                    " $at, $at)",
                    {"application_id": None, "themes": [], **r,
                     "answers": json.dumps(r["answers"], ensure_ascii=False),
                     "at": dt.datetime.combine(r["day"], dt.time(20))})
        return {"checkins": len(checkins), "coping": len(coping), "reflections": len(reflections)}
