"""LinkedIn's Job Applications.csv (from your data export; a long history is split into _1, _2 … files).

Its columns are fixed, so nothing is mapped; its dates are always month first, with the minute
("11/13/23, 9:42 AM"), and the minute is part of a row's identity (two applications to one role on
one day are two rows). It has no status; the résumé and contact details given go into the notes.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from rebound.errors import ValidationError
from rebound.importing.cells import norm, text
from rebound.importing.format import ApplicationFormat

if TYPE_CHECKING:
    from rebound.importing.format import Cell
    from rebound.importing.pipeline import Prepared

LINKEDIN_HEADER = [
    "Application Date",
    "Contact Email",
    "Contact Phone Number",
    "Company Name",
    "Job Title",
    "Job Url",
    "Resume Name",
    "Question And Answers",
]
REQUIRED = ("Application Date", "Company Name", "Job Title")
# The file inside LinkedIn's export .zip (Jobs/Job Applications.csv, or its split parts).
EXPORT_MEMBER = re.compile(r"(^|/)Job Applications(_\d+)?\.csv$", re.IGNORECASE)
COLUMNS = {
    "company": "company name",
    "role": "job title",
    "applied_on": "application date",
    "url": "job url",
    "resume": "resume name",
    "email": "contact email",
    "phone": "contact phone number",
    "answers": "question and answers",
}


class LinkedIn(ApplicationFormat):
    name, label, source = "linkedin", "LinkedIn (Job Applications.csv or the export .zip)", "linkedin"
    date_order = "mdy"

    def detects(self, columns: set[str]) -> bool:
        return {"application date", "company name", "job title"} <= columns

    def check(self, header: list[str]) -> None:
        missing = [c for c in REQUIRED if norm(c) not in {norm(h) for h in header}]
        if missing:
            raise ValidationError(
                f"This is not LinkedIn's Job Applications.csv: the column(s) {', '.join(missing)} are missing. "
                f"Found: {', '.join(header[:12]) or 'no columns'}. Choose “Any spreadsheet” to map columns yourself."
            )

    def guess(self, header: list[str]) -> dict[str, str | None]:
        by_norm = {norm(c): c for c in header}
        return {field: by_norm.get(column) for field, column in COLUMNS.items()}

    def mapping(self, prepared: Prepared, chosen: dict | None) -> dict[str, str | None]:
        return self.guess(prepared.header)  # fixed columns: a --map is not asked for

    def notes_of(self, cell: Cell) -> str:
        parts: list[str] = []
        if text(cell("resume")):
            parts.append(f"Resume: {text(cell('resume'))}")
        contact = ", ".join(p for p in (text(cell("email")), text(cell("phone"))) if p)
        if contact:
            parts.append(f"Contact given: {contact}")
        if text(cell("answers")):
            parts.append(f"Questions and answers: {text(cell('answers'))}")
        if parts:
            parts.insert(0, "Imported from LinkedIn.")
        return "\n".join(parts)

    def channel(self, cell: Cell, default: str) -> str:
        return "job board"

    def key_time(self, applied_at: dt.datetime, applied_on: dt.date) -> str | dt.date:
        return applied_at.isoformat(timespec="minutes")


FORMAT = LinkedIn()
