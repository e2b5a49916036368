"""The weekly confidence check (store.confidence): three questions in our own words
(rebound/content/confidence.toml), each 1–5, one answer set per week. Opt-in: off until the user
turns it on (a setting); while off nothing is computed or stored. User-scoped SQL.
"""

from __future__ import annotations

import datetime as dt
import functools
import statistics
from typing import TYPE_CHECKING

from rebound import content
from rebound.dates import utcnow, week_of
from rebound.errors import ValidationError
from rebound.repository import Repository, SettingsRepository
from rebound.wellbeing.writing import MEASURE_SETTING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rebound.repository import UserScope

SETTING = MEASURE_SETTING.format("confidence")  # "on" / "off" (missing: off)
SCALE = (1, 5)
OLDEST = dt.date(1990, 1, 1)  # an answer for a week before this is a typo


@functools.cache
def questions() -> list[str]:
    return [str(q["label"]) for q in content.load("confidence.toml")["questions"]]


@functools.cache
def scale_labels() -> list[str]:
    return [str(s) for s in content.load("confidence.toml")["scale"]]


def score(answers: Sequence[int]) -> float:
    """A week's score: the mean of its answers (1–5), to two decimals."""
    return round(statistics.fmean(answers), 2)


def validate(answers: Sequence[object], week: dt.date, today: dt.date) -> tuple[list[int], dt.date]:
    """Clean answers (one whole number 1–5 per question) and the week's Monday; ValidationError with
    a plain message otherwise (nothing is saved)."""
    if isinstance(week, dt.datetime):
        week = week.date()
    if not isinstance(week, dt.date):
        raise ValidationError("Please choose the week.")
    if week > today:
        raise ValidationError("That week has not come yet; answer for this week or an earlier one.")
    if week < OLDEST:
        raise ValidationError(f"That week is before {OLDEST.year}; please check the date.")
    if len(answers) != len(questions()):
        raise ValidationError(f"Please answer all {len(questions())} questions (1–5 each).")
    clean = []
    for answer in answers:
        if isinstance(answer, bool) or not isinstance(answer, (int, float)) or answer != int(answer):
            raise ValidationError("Please answer each question with a whole number from 1 to 5.")
        if not SCALE[0] <= int(answer) <= SCALE[1]:
            raise ValidationError("Each answer is from 1 to 5.")
        clean.append(int(answer))
    return clean, week_of(week)


class ConfidenceRepository(Repository):
    def __init__(self, scope: UserScope, settings: SettingsRepository) -> None:
        super().__init__(scope)
        self.settings = settings

    def enabled(self) -> bool:
        return self.settings.get(SETTING) == "on"

    def set_enabled(self, on: bool) -> None:
        """Turn the check on or off (off keeps past answers until the user deletes them)."""
        self.settings.set(SETTING, "on" if on else "off")

    def save(self, answers: Sequence[object], week: dt.date | None = None, today: dt.date | None = None) -> int:
        """Save this week's (or `week`'s) answers, replacing that week's earlier ones, in one write.
        Refused (ValidationError, nothing stored) while the check is off."""
        today = today or dt.date.today()
        if not self.enabled():
            raise ValidationError("The confidence check is off; turn it on first. Nothing was saved.")
        clean, monday = validate(answers, week or today, today)
        with self._write() as run:
            run("DELETE FROM confidence_checks WHERE user_id = $user AND week = $week", {"week": monday})
            return run(
                "INSERT INTO confidence_checks (user_id, week, answers, created_at)"
                " VALUES ($user, $week, $answers::INTEGER[], $now) RETURNING id",
                {"week": monday, "answers": clean, "now": utcnow()},
            ).fetchone()[0]

    def answers(self) -> list[dict]:
        """Every week answered, newest first: id, week, answers, score."""
        rows = self._rows(
            "SELECT id, week, answers FROM confidence_checks WHERE user_id = $user ORDER BY week DESC, id DESC"
        )
        return [{"id": r[0], "week": r[1], "answers": list(r[2]), "score": score(r[2])} for r in rows if r[2]]

    def of_week(self, week: dt.date) -> dict | None:
        monday = week_of(week)
        return next((a for a in self.answers() if a["week"] == monday), None)

    def weekly_scores(self) -> list[dict]:
        """[{"week": "YYYY-MM-DD", "score": float}] oldest first; [] while the check is off (nothing
        computed)."""
        if not self.enabled():
            return []
        return [{"week": a["week"].isoformat(), "score": a["score"]} for a in reversed(self.answers())]

    def delete(self, check_id: int) -> None:
        with self._write() as run:
            run("DELETE FROM confidence_checks WHERE user_id = $user AND id = $id", {"id": int(check_id)})

    def delete_all(self) -> int:
        with self._write() as run:
            return len(run("DELETE FROM confidence_checks WHERE user_id = $user RETURNING id").fetchall())
