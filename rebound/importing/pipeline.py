"""Bring a job-search history in: the one pipeline every format goes through.

It never writes until the very end:

1. `read_files([(name, bytes), ...])` (sheets.py) turns uploads into `Sheet`s (decoding, CSV/XLSX/zip,
   line numbers) or raises `ValidationError` with a plain message; the app and the CLI run it in the
   fenced worker (`read_files_fenced`, rebound.fence), where the operating system bounds its memory and CPU.
2. `prepare(sheets, fmt)` detects the format and guesses a column mapping.
3. `build_plan(store, prepared, mapping, ...)` reads every row through its format, reports per-row
   problems with their line numbers and leaves out rows that are already in the database: a preview.
4. `apply_plan(store, plan, progress)` writes everything in one transaction.

The formats (linkedin.py, jobsync.py, huntr.py, teal.py, mapped.py, daylio.py) say what differs;
nothing here names one. No Streamlit here; the Data page and `rebound import` both drive these functions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rebound.errors import ValidationError
from rebound.importing.cells import norm
from rebound.importing.format import Options, Record, RowProblem
from rebound.importing.formats import BY_NAME, DETECTION, FORMATS
from rebound.importing.sheets import Sheet, check_total_rows, read_files_fenced

if TYPE_CHECKING:  # pandas is imported where a frame is made: `rebound --help` reads the formats without it
    import pandas as pd

    from rebound.importing.format import Progress
    from rebound.store import Store


def detect_format(header: list[str]) -> str:
    columns = {norm(c) for c in header}
    return next(f.name for f in DETECTION if f.detects(columns))


@dataclass
class Prepared:
    sheets: list[Sheet]
    format: str
    header: list[str]
    mapping: dict[str, str | None]
    notes: list[str]

    @property
    def needs_mapping(self) -> bool:
        return BY_NAME[self.format].needs_mapping

    @property
    def rows(self) -> int:
        return sum(len(s.rows) for s in self.sheets)


def prepare(sheets: list[Sheet], fmt: str = "auto") -> Prepared:
    if fmt not in FORMATS:
        raise ValidationError(f"Unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}.")
    header = sheets[0].header
    for sheet in sheets[1:]:
        if [norm(c) for c in sheet.header] != [norm(c) for c in header]:
            raise ValidationError(
                f"{sheet.name} has different columns from {sheets[0].name}; import files of one kind at a time."
            )
    fmt = detect_format(header) if fmt == "auto" else fmt
    notes = [n for s in sheets for n in s.notes]
    BY_NAME[fmt].check(header)
    if all(not r for r in header) or not any(s.rows for s in sheets):
        raise ValidationError(f"{sheets[0].name} has a header but no rows to import.")
    check_total_rows(sheets)
    return Prepared(sheets, fmt, header, BY_NAME[fmt].guess(header), notes)


def _count(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


# -- the plan (a preview; nothing written yet) ------------------------------------------------------------
@dataclass
class Problem:
    where: str
    message: str


@dataclass
class ImportPlan:
    format: str
    source: str
    applications: pd.DataFrame  # key, line, company, role, url, channel, location, applied_on, notes, source_key
    events: pd.DataFrame  # key, kind, happened_on, round, stage, reason, note
    checkins: pd.DataFrame  # line, checked_at, mood, energy, note
    problems: list[Problem]
    notes: list[str]
    rows: int  # data rows read
    already: int = 0  # already in the database (left out)
    repeats: int = 0  # same row twice in the files (left out)
    not_applied: int = 0  # wishlist / saved jobs (left out)

    @property
    def kind(self) -> str:
        """What the rows become: "applications" or "checkins"."""
        return BY_NAME[self.format].kind

    @property
    def new_rows(self) -> int:
        return len(self.checkins) if self.kind == "checkins" else len(self.applications)

    def summary(self) -> str:
        noun = ("check-in", "check-ins") if self.kind == "checkins" else ("application", "applications")
        parts = [_count(self.new_rows, "new " + noun[0], "new " + noun[1])]
        if self.kind == "applications" and len(self.events):
            parts.append(_count(len(self.events), "stage event", "stage events"))
        if self.already:
            parts.append(f"{self.already:,} already in Rebound")
        if self.repeats:
            parts.append(_count(self.repeats, "repeated row", "repeated rows"))
        if self.not_applied:
            parts.append(f"{self.not_applied:,} saved but not applied to")
        if self.problems:
            parts.append(_count(len(self.problems), "row with problems", "rows with problems"))
        return _count(self.rows, "row", "rows") + " read: " + ", ".join(parts) + "."

    def preview(self, n: int = 200) -> pd.DataFrame:
        import pandas as pd

        if self.kind == "checkins":
            return self.checkins.head(n)[["line", "checked_at", "mood", "note"]].rename(
                columns={"line": "Line", "checked_at": "When", "mood": "Mood (1–10)", "note": "Note"}
            )
        df = self.applications.head(n)
        stages = self.events.groupby("key")["kind"].agg(lambda k: ", ".join(k)) if len(self.events) else {}
        out = pd.DataFrame(
            {
                "Line": df["line"],
                "Applied on": df["applied_on"],
                "Company": df["company"],
                "Role": df["role"],
                "Channel": df["channel"],
                "Location": df["location"],
                "Link": df["url"],
            }
        )
        out["Stages"] = df["key"].map(lambda k: stages.get(k, "") if len(self.events) else "")
        return out.reset_index(drop=True)

    def problems_frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(
            [{"Where": p.where, "Problem": p.message} for p in self.problems], columns=["Where", "Problem"]
        )


def build_plan(
    store: Store,
    prepared: Prepared,
    mapping: dict | None = None,
    date_order: str = "auto",
    default_channel: str = "job board",
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> ImportPlan:
    """Read every row into a preview. Rows with problems are listed (with lines) and left out, and so
    are repeats, rows an earlier import wrote, and jobs saved but not applied to."""
    progress = progress or (lambda fraction, message: None)
    fmt = BY_NAME[prepared.format]
    reader = fmt.reader(prepared, Options(mapping or {}, date_order, default_channel, today or dt.date.today()))
    records: list[Record] = []
    problems: list[Problem] = []
    seen: set[object] = set()
    repeats = not_applied = rows = 0
    total = prepared.rows
    for sheet in prepared.sheets:
        for i, row in enumerate(sheet.rows):
            rows += 1
            if rows % 1000 == 0:
                progress(0.8 * rows / max(total, 1), f"Reading row {rows:,} of {total:,}")
            where = sheet.where(i)
            try:
                record = reader.read(row, where)
            except RowProblem as problem:
                problems.append(Problem(where, str(problem)))
                continue
            if record is None:
                not_applied += 1
            elif record.key in seen:
                repeats += 1
            else:
                seen.add(record.key)
                records.append(record)
    notes = list(prepared.notes) + reader.notes(records)
    already = 0
    if records:
        existing = fmt.existing_keys(store)
        new = [r for r in records if r.key not in existing]
        already, records = len(records) - len(new), new
    applications, events, checkins = fmt.frames(records)
    progress(0.85, "Preview ready")
    return ImportPlan(
        fmt.name,
        fmt.source,
        applications,
        events,
        checkins,
        problems,
        notes,
        rows,
        already=already,
        repeats=repeats,
        not_applied=not_applied,
    )


# -- writing -----------------------------------------------------------------------------------------
def apply_plan(store: Store, plan: ImportPlan, progress: Progress | None = None) -> dict[str, int]:
    """Write the plan in one transaction; returns what was written. Re-running adds nothing."""
    progress = progress or (lambda fraction, message: None)
    written = BY_NAME[plan.format].write(store, plan, progress)
    progress(1.0, "Done")
    return written


# -- after a history import: settle the long silences in one step ------------------------------------------
def quiet_after_import(store: Store, plan: ImportPlan, today: dt.date | None = None) -> list[int]:
    """Ids of the applications this plan wrote that have had no answer for over the ghosting setting.

    A history import would otherwise leave Today nudging about each of them; the import's summary
    offers to mark them all as ghosted at once (each can be reopened)."""
    if plan.kind != "applications" or plan.applications.empty:
        return []
    written = set(store.account.application_ids_for(plan.source, plan.applications["source_key"]))
    return [
        n.application_id for n in store.applications.nudges(today) if n.kind == "ghost" and n.application_id in written
    ]


def import_files(
    store: Store,
    files: list[tuple[str, bytes]],
    fmt: str = "auto",
    mapping: dict | None = None,
    date_order: str = "auto",
    default_channel: str = "job board",
    progress: Progress | None = None,
    dry_run: bool = False,
) -> tuple[ImportPlan, dict[str, int]]:
    """Read, plan and (unless dry_run) write in one go: the CLI path."""
    prepared = prepare(read_files_fenced(files), fmt)
    plan = build_plan(store, prepared, mapping, date_order, default_channel, progress=progress)
    if dry_run:
        return plan, {}
    return plan, apply_plan(store, plan, progress)
