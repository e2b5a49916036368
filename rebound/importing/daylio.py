"""Daylio's mood export (CSV): each entry becomes a check-in; its five moods map onto Rebound's 1–10 scale."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from rebound.errors import ValidationError
from rebound.importing.cells import (
    EARLIEST_DATE,
    date_problem,
    limit_notes,
    norm,
    out_of_range,
    parse_moment,
    text,
    time_of,
)
from rebound.importing.format import CHECKIN_COLUMNS, Format, Options, Reader, Record, RowProblem

if TYPE_CHECKING:
    import pandas as pd

    from rebound.importing.format import Progress
    from rebound.importing.pipeline import ImportPlan, Prepared
    from rebound.store import Store

MOODS = {"rad": 10, "good": 8, "meh": 5, "bad": 3, "awful": 1}
NUMBERED_MOODS = {5: 10, 4: 8, 3: 5, 2: 3, 1: 1}  # an export that numbers the moods 1 (awful) to 5 (rad)


class Daylio(Format):
    name, label, source, kind = "daylio", "Daylio mood export (CSV)", "daylio", "checkins"

    def detects(self, columns: set[str]) -> bool:
        return (
            "mood" in columns
            and bool({"full date", "date"} & columns)
            and bool({"activities", "note", "note title", "time"} & columns)
        )

    def check(self, header: list[str]) -> None:
        h = {norm(c) for c in header}
        if "mood" not in h or not ({"full date", "date"} & h):
            raise ValidationError(
                "This is not a Daylio export: it needs the columns full_date (or date) and mood. "
                f"Found: {', '.join(header[:12]) or 'no columns'}."
            )

    def reader(self, prepared: Prepared, options: Options) -> Reader:
        return DaylioReader(prepared.header, options)

    def existing_keys(self, store: Store) -> set:
        return store.account.existing_checkin_moments()

    def write(self, store: Store, plan: ImportPlan, progress: Progress) -> dict[str, int]:
        return store.checkins.import_checkins(plan.checkins, progress=progress)

    def frames(self, records: list[Record]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        import pandas as pd

        return (
            pd.DataFrame(columns=["key"]),
            pd.DataFrame(columns=["key"]),
            pd.DataFrame([r.row for r in records], columns=CHECKIN_COLUMNS),
        )


class DaylioReader(Reader):
    def __init__(self, header: list[str], options: Options) -> None:
        self.by_norm: dict[str, int] = {}
        for i, c in enumerate(header):
            self.by_norm.setdefault(norm(c), i)
        self.order = "dmy" if options.date_order == "dmy" else "mdy"
        self.now = dt.datetime.now()

    def get(self, row: list, name: str) -> str:
        i = self.by_norm.get(name)
        return text(row[i]) if i is not None and i < len(row) else ""

    def read(self, row: list, where: str) -> Record:
        get, now = self.get, self.now
        raw_day = get(row, "full date") or " ".join(p for p in (get(row, "date"), get(row, "year")) if p)
        try:
            day = parse_moment(raw_day, self.order, now.year)
            moment = dt.datetime.combine(day.date(), time_of(get(row, "time")))
        except (ValueError, OverflowError):
            raise RowProblem(
                date_problem(raw_day)
                if raw_day
                else "the date is empty"
                if not get(row, "time")
                else f"could not read the time “{get(row, 'time')}”"
            ) from None
        mood_raw = get(row, "mood")
        mood = MOODS.get(mood_raw.casefold())
        if mood is None and mood_raw.isdigit() and 1 <= int(mood_raw) <= 5:
            mood = NUMBERED_MOODS[int(mood_raw)]
        if mood is None:
            raise RowProblem(
                f"the mood “{mood_raw[:30]}” is not one of Daylio's five (rad, good, meh, bad, awful); "
                "custom moods can't be placed on Rebound's 1–10 scale"
            )
        if moment > now or day.date() < EARLIEST_DATE:
            raise RowProblem(out_of_range(raw_day, day.date(), now.date()) or "the time is in the future")
        note_parts = [p for p in (get(row, "note title"), get(row, "note")) if p]
        if get(row, "activities"):
            note_parts.append("Activities: " + ", ".join(a.strip() for a in get(row, "activities").split("|")))
        return Record(
            (moment, mood),
            {
                "line": where,
                "checked_at": moment,
                "mood": mood,
                "energy": None,
                "note": limit_notes("\n".join(note_parts)),
            },
        )

    def notes(self, records: list[Record]) -> list[str]:
        return [
            "Daylio moods become Rebound moods: rad 10, good 8, meh 5, bad 3, awful 1; activities go into the note."
        ]


FORMAT = Daylio()
