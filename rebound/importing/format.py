"""What a format says about itself, and the one thing the pipeline asks of it: read a row.

A format module (linkedin.py, jobsync.py, …) defines one `Format` object: how to recognise its
header, which columns hold what, how to prepare and read a row, and what it means by a status. The
pipeline (pipeline.py) only ever calls the methods defined here, so it never names a format.

Two kinds of rows exist: applications (with at most one stage event each) and mood check-ins.
`ApplicationFormat` reads an application the same way for every tracker, asking its format for the
few things trackers disagree on; `daylio.Daylio` reads check-ins.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rebound.errors import ValidationError
from rebound.importing.cells import (
    channel_of,
    date_order_of,
    date_problem,
    is_ambiguous_date,
    limit_notes,
    norm,
    out_of_range,
    parse_moment,
    source_key,
    text,
)
from rebound.outcomes import validate_application
from rebound.vocab import CHANNELS

if TYPE_CHECKING:
    import pandas as pd

    from rebound.importing.pipeline import ImportPlan, Prepared
    from rebound.store import Store

# The cell of a field in the row being read (None where the file has no such column).
Cell = Callable[[str], object]
# progress(fraction done 0..1, message), e.g. a Streamlit progress bar's; what it returns is ignored.
Progress = Callable[[float, str], object]

APPLICATION_COLUMNS = [
    "key",
    "line",
    "company",
    "role",
    "url",
    "channel",
    "location",
    "applied_on",
    "notes",
    "source_key",
]
EVENT_COLUMNS = ["key", "kind", "happened_on", "round", "stage", "reason", "note"]
CHECKIN_COLUMNS = ["line", "checked_at", "mood", "energy", "note"]


class RowProblem(Exception):
    """A row that can't be imported; the message is shown with its line, and the other rows go on."""


@dataclass
class Record:
    """One row read: `key` is its identity (a repeat in the files, or a row an earlier import wrote,
    has the same key and is left out); `event` its stage event, if any."""

    key: object
    row: dict[str, object]
    event: dict[str, object] | None = None


@dataclass
class Options:
    """What the person chose for this import (the Data page's form, or the CLI's flags)."""

    mapping: dict[str, str | None] = field(default_factory=dict)
    date_order: str = "auto"
    default_channel: str = "job board"
    today: dt.date = field(default_factory=dt.date.today)


class Reader:
    """Reads the rows of one import; built by `Format.reader` once the columns are known."""

    def read(self, row: list, where: str) -> Record | None:
        """The row as a Record, None for a row to leave out (a job saved, not applied to);
        raises RowProblem for a row that can't be imported."""
        raise NotImplementedError

    def notes(self, records: list[Record]) -> list[str]:
        """What the preview should say about the whole file, once every row is read (`records`: those kept)."""
        return []


class Format:
    """A file format. Subclasses set the attributes and override what they do differently."""

    name: str  # what --format and the Data page call it
    label: str  # what the Data page shows
    source: str  # the origin recorded with each row
    kind: str  # "applications" or "checkins": what the rows become
    needs_mapping = False  # True: the person confirms which column holds what

    def detects(self, columns: set[str]) -> bool:
        """Whether a header (its column names, normalised) is this format's."""
        return False

    def check(self, header: list[str]) -> None:
        """Refuse (ValidationError) a file chosen as this format that is not."""

    def guess(self, header: list[str]) -> dict[str, str | None]:
        """field -> column, before the person confirms (only shown when needs_mapping)."""
        return {}

    def reader(self, prepared: Prepared, options: Options) -> Reader:
        raise NotImplementedError

    # -- what the rows' kind says: where earlier imports are, and how to write
    def existing_keys(self, store: Store) -> set:
        raise NotImplementedError

    def write(self, store: Store, plan: ImportPlan, progress: Progress) -> dict[str, int]:
        raise NotImplementedError

    def frames(self, records: list[Record]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """(applications, events, checkins) DataFrames of the records, for the plan."""
        raise NotImplementedError


class ApplicationFormat(Format):
    """A job tracker's file: one application per row, maybe with its current status."""

    kind = "applications"
    statuses: dict[str, str | None] = {}  # status word (normalised) -> event kind; "" waiting; None not applied
    date_order: str | None = None  # a fixed date order (LinkedIn's is always month first)

    def mapping(self, prepared: Prepared, chosen: dict | None) -> dict[str, str | None]:
        """field -> column for reading; raises ValidationError when a required one is missing."""
        return self.guess(prepared.header)

    def leave_out(self, cell: Cell) -> bool:
        """A row that is no application yet, beyond what its status says (JobSync's drafts)."""
        return False

    def notes_of(self, cell: Cell) -> str:
        return text(cell("notes"))

    def channel(self, cell: Cell, default: str) -> str:
        return channel_of(cell("channel"), default)

    def key_time(self, applied_at: dt.datetime, applied_on: dt.date) -> str | dt.date:
        """The part of a row's identity that says when: the day, unless the format gives the minute."""
        return applied_on

    def reader(self, prepared: Prepared, options: Options) -> Reader:
        return ApplicationReader(self, prepared, options)

    def existing_keys(self, store: Store) -> set:
        return store.account.existing_source_keys(self.source)

    def write(self, store: Store, plan: ImportPlan, progress: Progress) -> dict[str, int]:
        return store.applications.import_applications(plan.applications, plan.events, plan.source, progress=progress)

    def frames(self, records: list[Record]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        import pandas as pd

        # `key` joins an application to its event within the plan (the database assigns the ids).
        apps = pd.DataFrame([{"key": n, **r.row} for n, r in enumerate(records, start=1)], columns=APPLICATION_COLUMNS)
        events = pd.DataFrame(
            [{"key": n, **r.event} for n, r in enumerate(records, start=1) if r.event], columns=EVENT_COLUMNS
        )
        return apps, events, pd.DataFrame(columns=CHECKIN_COLUMNS)


class ApplicationReader(Reader):
    def __init__(self, fmt: ApplicationFormat, prepared: Prepared, options: Options) -> None:
        self.mapping = fmt.mapping(prepared, options.mapping)
        if options.default_channel not in CHANNELS:
            raise ValidationError(f"Unknown channel {options.default_channel!r}.")
        self.fmt, self.today, self.default_channel = fmt, options.today, options.default_channel
        index = {c: i for i, c in reversed(list(enumerate(prepared.header)))}
        self.col = {f: index.get(c) for f, c in self.mapping.items() if c}
        self.order = fmt.date_order or options.date_order
        self._notes: list[str] = []
        if self.order not in ("mdy", "dmy"):
            dates = [self.cell(r, "applied_on") for s in prepared.sheets for r in s.rows[:2000]]
            self.order = date_order_of(dates)
            if options.date_order == "auto" and any(is_ambiguous_date(v) for v in dates):
                self._notes.append(
                    "Dates like 03/04/2024 were read "
                    + ("day first (3 April)." if self.order == "dmy" else "month first (4 March).")
                    + " Change the date order if that is wrong."
                )
        self.unknown_statuses: dict[str, str] = {}

    def cell(self, row: list, name: str) -> object:
        i = self.col.get(name)
        return row[i] if i is not None and i < len(row) else None

    def read(self, row: list, where: str) -> Record | None:
        fmt, today, col, width = self.fmt, self.today, self.col, len(row)

        def cell(name: str) -> object:  # the cell of a field in this row (None where the file has no such column)
            i = col.get(name)
            return row[i] if i is not None and i < width else None

        status_raw = text(cell("status"))
        kind: str | None = ""
        if status_raw:
            kind = fmt.statuses.get(norm(status_raw), "?")
            if kind is None:
                return None
            if kind == "?":
                self.unknown_statuses.setdefault(status_raw, where)
                kind = ""
        if fmt.leave_out(cell):
            return None
        raw_date = cell("applied_on")
        try:
            applied_at = parse_moment(raw_date, self.order, today.year)
        except (ValueError, OverflowError):
            raise RowProblem(date_problem(raw_date)) from None
        problem = out_of_range(raw_date, applied_at.date(), today)
        if problem:
            raise RowProblem(problem)
        try:
            fields = validate_application(
                text(cell("company")),
                text(cell("role")),
                fmt.channel(cell, self.default_channel),
                applied_at.date(),
                text(cell("url")),
                text(cell("location")),
                limit_notes(fmt.notes_of(cell)) or "",
                today,
            )
        except ValidationError as error:
            raise RowProblem(str(error)) from None
        key = source_key(
            fmt.source,
            fields["company"],
            fields["role"],
            fmt.key_time(applied_at, fields["applied_on"]),
            fields["url"] or "",
        )
        event = None
        if kind:
            try:
                happened = (
                    parse_moment(cell("status_on"), self.order, today.year).date()
                    if text(cell("status_on"))
                    else fields["applied_on"]
                )
            except (ValueError, OverflowError):
                happened = fields["applied_on"]
            happened = min(max(happened, fields["applied_on"]), today)
            event = {
                "kind": kind,
                "happened_on": happened,
                "round": 1 if kind == "interview" else None,
                "stage": "applied" if kind == "rejected" else None,
                "reason": None,
                "note": f"Imported status: {status_raw}",
            }
        return Record(key, {"line": where, **fields, "source_key": key}, event)

    def notes(self, records: list[Record]) -> list[str]:
        notes = list(self._notes)
        for status_raw, where in list(self.unknown_statuses.items())[:10]:
            notes.append(
                f"The status “{status_raw}” (first at {where}) is not one Rebound knows; "
                "those rows were imported as applied, with no later stage."
            )
        if any(r.event for r in records) and not self.mapping.get("status_on"):
            notes.append("The file has no status dates, so each current status is dated on the application day.")
        return notes
