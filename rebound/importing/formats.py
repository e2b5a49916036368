"""Every format Rebound imports, in the order a header is tried against them, and as the Data page lists them."""

from __future__ import annotations

from rebound.importing import daylio, huntr, jobsync, linkedin, mapped, teal
from rebound.importing.format import Format

# Detection: the most particular header first; a plain spreadsheet is whatever none of them recognises.
DETECTION: tuple[Format, ...] = (
    linkedin.FORMAT,
    daylio.FORMAT,
    jobsync.FORMAT,
    teal.FORMAT,
    huntr.FORMAT,
    mapped.FORMAT,
)
BY_NAME: dict[str, Format] = {
    f.name: f for f in (linkedin.FORMAT, jobsync.FORMAT, huntr.FORMAT, teal.FORMAT, mapped.FORMAT, daylio.FORMAT)
}
FORMATS = ["auto", *BY_NAME]
FORMAT_LABELS = {"auto": "Detect automatically", **{name: f.label for name, f in BY_NAME.items()}}
# Formats that go through the column-mapping step (guesses come from header aliases).
MAPPED_FORMATS = tuple(name for name, f in BY_NAME.items() if f.needs_mapping)
