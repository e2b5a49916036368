"""A hand-kept spreadsheet (CSV or XLSX): the person confirms which column holds what.

The fields an application has, the header names that usually hold each (the first guesses), and the
status words trackers and people write. The trackers' own formats (jobsync.py, huntr.py, teal.py)
are mapped spreadsheets too, with a header they can be recognised by.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rebound.errors import ValidationError
from rebound.importing.cells import norm
from rebound.importing.format import ApplicationFormat

if TYPE_CHECKING:
    from rebound.importing.pipeline import Prepared

FIELDS = {
    "company": "Company",
    "role": "Role / job title",
    "applied_on": "Date applied",
    "url": "Job link",
    "channel": "Channel / source",
    "location": "Location",
    "notes": "Notes",
    "status": "Status / stage",
    "status_on": "Status date",
}
REQUIRED_FIELDS = ("company", "role", "applied_on")
# Most specific first: the first alias that matches an unused header wins.
ALIASES = {
    "company": [
        "company",
        "company name",
        "employer",
        "organization",
        "organisation",
        "employer name",
        "business",
        "firm",
    ],
    "role": [
        "role",
        "job title",
        "title",
        "job position",
        "position",
        "job",
        "job name",
        "position title",
        "role title",
        "vacancy",
    ],
    "applied_on": [
        "applied on",
        "date applied",
        "applied date",
        "application date",
        "applied at",
        "date of application",
        "submitted on",
        "submitted",
        "date submitted",
        "applied",
        "date",
        "when",
        "day",
    ],
    "url": [
        "url",
        "job url",
        "job link",
        "link",
        "posting url",
        "job posting url",
        "job posting",
        "posting",
        "listing url",
        "website",
        "job post",
    ],
    "channel": [
        "channel",
        "job source",
        "source",
        "how applied",
        "applied via",
        "via",
        "platform",
        "application method",
        "method",
        "how",
        "found via",
        "found on",
    ],
    "location": ["location", "job location", "locations", "city", "place", "office", "where"],
    "notes": ["notes", "note", "comments", "comment", "remarks"],
    "status": ["status", "stage", "current status", "list", "list name", "state", "pipeline stage", "outcome"],
    "status_on": [
        "status date",
        "last updated",
        "date updated",
        "updated",
        "updated at",
        "last activity",
        "last modified",
        "modified",
        "date modified",
        "status updated",
        "status since",
    ],
}
# A status word from another tracker -> a Rebound event kind; "" = still waiting (no event);
# None = not applied yet (the row is left out).
STATUS_WORDS = {
    "wishlist": None,
    "wish list": None,
    "bookmarked": None,
    "saved": None,
    "draft": None,
    "interested": None,
    "applying": None,
    "to apply": None,
    "not applied": None,
    "planned": None,
    "watching": None,
    "applied": "",
    "submitted": "",
    "pending": "",
    "waiting": "",
    "in progress": "",
    "active": "",
    "under review": "",
    "archived": "",
    "expired": "",
    "closed": "",
    "screen": "screen",
    "screening": "screen",
    "phone screen": "screen",
    "recruiter screen": "screen",
    "phone": "screen",
    "recruiter call": "screen",
    "assessment": "screen",
    "interview": "interview",
    "interviewing": "interview",
    "interviews": "interview",
    "technical interview": "interview",
    "in interview": "interview",
    "final": "final",
    "final round": "final",
    "final interview": "final",
    "onsite": "final",
    "on site": "final",
    "offer": "offer",
    "offered": "offer",
    "offer received": "offer",
    "negotiating": "offer",
    "negotiation": "offer",
    "accepted": "accepted",
    "hired": "accepted",
    "offer accepted": "accepted",
    "rejected": "rejected",
    "not selected": "rejected",
    "rejection": "rejected",
    "declined": "rejected",
    "unsuccessful": "rejected",
    "turned down": "rejected",
    "no": "rejected",
    "withdrawn": "withdrawn",
    "i withdrew": "withdrawn",
    "withdrew": "withdrawn",
    "offer declined": "withdrawn",
    "ghosted": "ghosted",
    "no response": "ghosted",
    "no answer": "ghosted",
    "no reply": "ghosted",
}


def guess_mapping(header: list[str]) -> dict[str, str | None]:
    """field -> column name (or None), from header aliases; each column used once."""
    by_norm: dict[str, str] = {}
    for column in header:
        by_norm.setdefault(norm(column), column)
    used: set[str] = set()
    mapping: dict[str, str | None] = {}
    for name in FIELDS:
        mapping[name] = None
        for alias in ALIASES[name]:
            found = by_norm.get(alias)
            if found is not None and found not in used:
                mapping[name] = found
                used.add(found)
                break
    return mapping


class MappedFormat(ApplicationFormat):
    """Columns guessed from header aliases, then confirmed (or set with --map FIELD=COLUMN)."""

    needs_mapping = True
    statuses = STATUS_WORDS

    def guess(self, header: list[str]) -> dict[str, str | None]:
        return guess_mapping(header)

    def mapping(self, prepared: Prepared, chosen: dict | None) -> dict[str, str | None]:
        mapping = {**prepared.mapping, **(chosen or {})}
        missing = [FIELDS[f] for f in REQUIRED_FIELDS if not mapping.get(f)]
        if missing:
            raise ValidationError(
                "Choose the column for: "
                + ", ".join(missing)
                + ". The file's columns are: "
                + ", ".join(prepared.header[:20])
                + " (on the command line: --map applied_on=COLUMN)."
            )
        unknown = [c for c in mapping.values() if c and c not in prepared.header]
        if unknown:
            raise ValidationError(f"The file has no column named {unknown[0]!r}.")
        return mapping


class Spreadsheet(MappedFormat):
    name, label, source = "csv", "Any spreadsheet (CSV or XLSX), map the columns", "spreadsheet"

    def detects(self, columns: set[str]) -> bool:
        return True  # what no other format recognises


FORMAT = Spreadsheet()
