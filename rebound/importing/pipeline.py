"""Bring a job-search history in: LinkedIn, JobSync, Huntr, Teal, any spreadsheet, Daylio.

The flow is always the same and never writes until the very end:

1. `read_files([(name, bytes), ...])` turns uploads into `Sheet`s (decoding, CSV/XLSX/zip,
   line numbers) or raises `ValidationError` with a plain message.
2. `prepare(sheets, fmt)` detects the format and guesses a column mapping from header aliases.
3. `build_plan(store, prepared, mapping, ...)` parses every row, reports per-row problems with
   their line numbers and leaves out rows that are already in the database: a preview.
4. `apply_plan(store, plan, progress)` writes everything in one transaction.

No Streamlit here; the Data page and `rebound import` both drive these functions.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import time
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from rebound.exporters import unescape_cell
from rebound.limits import MAX_UNPACKED_BYTES, MB, open_zip, read_member
from rebound.errors import ValidationError
from rebound.outcomes import MAX_NOTES, validate_application
from rebound.vocab import CHANNELS

# Limits on what one import may hold: each is refused with a clear message before anything is written.
MAX_FILE_BYTES = 20 * MB               # per uploaded file (and per unpacked zip member)
MAX_ZIP_BYTES = 60 * MB                # the spreadsheets read from one .zip, unpacked
MAX_FILES = 20                         # files in one import (LinkedIn splits a long history into a few)
MAX_TOTAL_BYTES = 60 * MB              # all the files of one import together
MAX_XLSX_UNPACKED = 150 * MB           # one workbook's XML, unpacked (openpyxl never sees a bigger one)
MAX_ROWS = 200_000                     # rows of data in one import
MAX_SHEET_ROWS = 2 * MAX_ROWS          # rows an XLSX sheet may span, blank ones included
MAX_COLUMNS = 200                      # a tracker has a dozen; a LinkedIn export eight
MAX_CELL_CHARS = 32_767                # Excel's own limit for one cell
# Dates before this are typos or placeholders (LinkedIn's "1/1/1"); after today they are mistakes.
EARLIEST_DATE = dt.date(1970, 1, 1)
FORMATS = ["auto", "linkedin", "jobsync", "huntr", "teal", "csv", "daylio"]
FORMAT_LABELS = {
    "auto": "Detect automatically", "linkedin": "LinkedIn (Job Applications.csv or the export .zip)",
    "jobsync": "JobSync CSV export", "huntr": "Huntr export", "teal": "Teal export",
    "csv": "Any spreadsheet (CSV or XLSX), map the columns", "daylio": "Daylio mood export (CSV)",
}
# Formats that go through the column-mapping step (guesses come from header aliases).
MAPPED_FORMATS = ("jobsync", "huntr", "teal", "csv")
LINKEDIN_HEADER = ["Application Date", "Contact Email", "Contact Phone Number", "Company Name", "Job Title",
                   "Job Url", "Resume Name", "Question And Answers"]

# -- the column-mapping vocabulary ---------------------------------------------------------------
FIELDS = {
    "company": "Company", "role": "Role / job title", "applied_on": "Date applied", "url": "Job link",
    "channel": "Channel / source", "location": "Location", "notes": "Notes", "status": "Status / stage",
    "status_on": "Status date",
}
REQUIRED_FIELDS = ("company", "role", "applied_on")
# Most specific first: the first alias that matches an unused header wins.
ALIASES = {
    "company": ["company", "company name", "employer", "organization", "organisation", "employer name",
                "business", "firm"],
    "role": ["role", "job title", "title", "job position", "position", "job", "job name", "position title",
             "role title", "vacancy"],
    "applied_on": ["applied on", "date applied", "applied date", "application date", "applied at",
                   "date of application", "submitted on", "submitted", "date submitted", "applied", "date", "when", "day"],
    "url": ["url", "job url", "job link", "link", "posting url", "job posting url", "job posting", "posting",
            "listing url", "website", "job post"],
    "channel": ["channel", "job source", "source", "how applied", "applied via", "via", "platform",
                "application method", "method", "how", "found via", "found on"],
    "location": ["location", "job location", "locations", "city", "place", "office", "where"],
    "notes": ["notes", "note", "comments", "comment", "remarks"],
    "status": ["status", "stage", "current status", "list", "list name", "state", "pipeline stage", "outcome"],
    "status_on": ["status date", "last updated", "date updated", "updated", "updated at", "last activity",
                  "last modified", "modified", "date modified", "status updated", "status since"],
}
# A status word from another tracker -> a Rebound event kind; "" = still waiting (no event);
# None = not applied yet (the row is left out).
STATUS_WORDS = {
    "wishlist": None, "wish list": None, "bookmarked": None, "saved": None, "draft": None, "interested": None,
    "applying": None, "to apply": None, "not applied": None, "planned": None, "watching": None,
    "applied": "", "submitted": "", "pending": "", "waiting": "", "in progress": "", "active": "",
    "under review": "", "archived": "", "expired": "", "closed": "",
    "screen": "screen", "screening": "screen", "phone screen": "screen", "recruiter screen": "screen",
    "phone": "screen", "recruiter call": "screen", "assessment": "screen",
    "interview": "interview", "interviewing": "interview", "interviews": "interview",
    "technical interview": "interview", "in interview": "interview",
    "final": "final", "final round": "final", "final interview": "final", "onsite": "final", "on site": "final",
    "offer": "offer", "offered": "offer", "offer received": "offer", "negotiating": "offer",
    "negotiation": "offer",
    "accepted": "accepted", "hired": "accepted", "offer accepted": "accepted",
    "rejected": "rejected", "not selected": "rejected", "rejection": "rejected", "declined": "rejected",
    "unsuccessful": "rejected", "turned down": "rejected", "no": "rejected",
    "withdrawn": "withdrawn", "i withdrew": "withdrawn", "withdrew": "withdrawn", "offer declined": "withdrawn",
    "ghosted": "ghosted", "no response": "ghosted", "no answer": "ghosted", "no reply": "ghosted",
}
DAYLIO_MOODS = {"rad": 10, "good": 8, "meh": 5, "bad": 3, "awful": 1}
DATE_ORDERS = {"auto": "Detect", "mdy": "Month first (11/13/2023)", "dmy": "Day first (13/11/2023)"}


# -- reading files --------------------------------------------------------------------------------
@dataclass
class Sheet:
    name: str                       # the file (and sheet) it came from
    header: list[str]
    rows: list[list]                # cells: str for CSV, python values for XLSX
    lines: list[int]                # the line (CSV) or row (XLSX) number of each row
    notes: list[str] = field(default_factory=list)

    def where(self, i: int) -> str:
        return f"{self.name} line {self.lines[i]}"


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def _too_big(name: str, size: int, limit: int = MAX_FILE_BYTES) -> ValidationError:
    how = ("Unzip it and import the Jobs/Job Applications.csv files inside" if name.lower().endswith(".zip") else
           "Split it into smaller files (LinkedIn already does: Job Applications_1.csv, _2, …) and import them together")
    return ValidationError(f"{name} is {_mb(size)}; Rebound imports files up to {_mb(limit)} at a time. {how}.")


def _too_many_rows(name: str, together: bool = False) -> ValidationError:
    has, it = ("have", "them") if together else ("has", "it")
    return ValidationError(f"{name} {has} more than {MAX_ROWS:,} rows; Rebound imports up to {MAX_ROWS:,} at a time. "
                           f"Split {it} into smaller files and import them one after another. Nothing was imported.")


def _check_cells(name: str, line: int, cells, all_text: bool = False) -> None:
    """Refuse (the whole file: nothing is written) a row wider than MAX_COLUMNS or a cell longer
    than MAX_CELL_CHARS: a tracker never has them, and a crafted file would make every later step slow."""
    if len(cells) > MAX_COLUMNS:
        raise ValidationError(f"{name} line {line} has {len(cells):,} columns; Rebound reads at most {MAX_COLUMNS}. "
                              "Remove the columns you don't need and try again. Nothing was imported.")
    longest = max(map(len, cells), default=0) if all_text else \
        max((len(c) for c in cells if isinstance(c, str)), default=0)
    if longest > MAX_CELL_CHARS:
        raise ValidationError(f"{name} line {line} has a cell of {longest:,} characters; Rebound reads at most "
                              f"{MAX_CELL_CHARS:,} per cell (Excel's own limit). Shorten it and try again. "
                              "Nothing was imported.")


def decode_text(name: str, data: bytes) -> tuple[str, list[str]]:
    """Text from bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 / Latin-1 with a note."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError:
            pass
    head = data[:65536]
    if b"\x00" in head:
        raise ValidationError(f"{name} is not a text spreadsheet (it contains binary data). "
                              "Export it as CSV (UTF-8) or XLSX and try again.")
    try:
        text = data.decode("utf-8-sig")
        notes = []
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
            notes = [f"{name} is not UTF-8; it was read as Windows-1252 (Western European). "
                     "Check accented letters in the preview."]
        except UnicodeDecodeError:
            text = data.decode("latin-1")
            notes = [f"{name} is not UTF-8; it was read as Latin-1. Check accented letters in the preview."]
    sample = text[:20000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t")
    if sample and controls > max(5, len(sample) // 100):
        raise ValidationError(f"{name} does not look like a CSV file (it contains binary data). "
                              "Export it as CSV or XLSX and try again.")
    return text, notes


def _csv_sheet(name: str, data: bytes) -> Sheet:
    text, notes = decode_text(name, data)
    if not text.strip():
        raise ValidationError(f"{name} is empty. Export it again, or pick another file.")
    first = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(first.split("\n", 1)[0] or first, delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    header, rows, lines = None, [], []
    last_line = 0
    try:
        for record in reader:
            start = last_line + 1
            last_line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            _check_cells(name, start, record, all_text=True)
            if header is None:
                header = [cell.strip().lstrip("\ufeff") for cell in record]
                continue
            rows.append([unescape_cell(cell) for cell in record])
            lines.append(start)
            if len(rows) > MAX_ROWS:
                raise _too_many_rows(name)
    except csv.Error as error:
        if "field larger than field limit" in str(error):  # the csv module's own cap (131,072) came first
            raise ValidationError(f"{name} near line {reader.line_num} has a cell of more than {MAX_CELL_CHARS:,} "
                                  "characters, Excel's own limit per cell. Shorten it and try again. "
                                  "Nothing was imported.") from None
        raise ValidationError(f"{name} could not be read as CSV near line {reader.line_num}: {error}.") from None
    if header is None:
        raise ValidationError(f"{name} is empty. Export it again, or pick another file.")
    return Sheet(name, header, rows, lines, notes)


def _xlsx_sheet(name: str, data: bytes) -> Sheet:
    from openpyxl import load_workbook

    # An .xlsx is a zip of XML: check what it would unpack to before openpyxl unpacks anything
    # (zipfile never inflates a member past the size checked here).
    open_zip(data, name, max_unpacked=MAX_XLSX_UNPACKED).close()
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for broken files
        raise ValidationError(f"{name} could not be opened as an Excel workbook ({type(error).__name__}). "
                              "Save it again as .xlsx or export it as CSV.") from None
    try:
        return _first_sheet_with_data(name, wb)
    except ValidationError:
        raise
    except Exception as error:  # a broken sheet fails while its rows are read
        raise ValidationError(f"{name} could not be read as an Excel workbook ({type(error).__name__}). "
                              "Save it again as .xlsx or export it as CSV.") from None
    finally:
        wb.close()


def _first_sheet_with_data(name: str, wb) -> Sheet:
    for ws in wb.worksheets:
        ws.reset_dimensions()  # the sheet's stated size may lie (A1:XFD1048576): read only the cells it has
        header, rows, lines = None, [], []
        for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
            if number > MAX_SHEET_ROWS:  # blank rows count too: a sheet can state a row two billion
                raise _too_many_rows(name)
            if not any(v is not None and str(v).strip() for v in values):
                continue
            values = list(values)
            while values and values[-1] is None:  # formatted but empty cells to the right
                values.pop()
            _check_cells(name, number, values)
            if header is None:
                header = [("" if v is None else str(v)).strip() for v in values]
                continue
            rows.append(values)
            lines.append(number)
            if len(rows) > MAX_ROWS:
                raise _too_many_rows(name)
        if header is not None:
            label = name if len(wb.worksheets) == 1 else f"{name} [{ws.title}]"
            notes = [f"{name} has several sheets; the first one with data ({ws.title}) was read."] \
                if len(wb.worksheets) > 1 else []
            return Sheet(label, header, rows, lines, notes)
    raise ValidationError(f"{name} has no data in any sheet.")


LINKEDIN_MEMBER = re.compile(r"(^|/)Job Applications(_\d+)?\.csv$", re.IGNORECASE)


def _zip_sheets(name: str, data: bytes) -> list[Sheet]:
    """An .xlsx workbook, or the spreadsheets inside a .zip (LinkedIn's export), each within the limits."""
    with open_zip(data, name, max_unpacked=MAX_XLSX_UNPACKED if name.lower().endswith(".xlsx") else MAX_UNPACKED_BYTES) as z:
        if "xl/workbook.xml" in z.namelist():
            return [_xlsx_sheet(name, data)]
        members = [i for i in z.infolist() if not i.is_dir() and not i.filename.startswith("__MACOSX")]
        chosen = [i for i in members if LINKEDIN_MEMBER.search(i.filename)]
        if not chosen:
            chosen = [i for i in members if i.filename.lower().endswith((".csv", ".xlsx"))]
            if len(chosen) != 1:
                raise ValidationError(
                    f"{name} has no “Job Applications.csv” (LinkedIn keeps it in the Jobs folder of your data "
                    "export)" + (f" and {len(chosen)} other spreadsheets; unzip it and import the one you mean."
                                 if chosen else "."))
        total = sum(i.file_size for i in chosen)
        if total > MAX_ZIP_BYTES:
            raise _too_big(name + " (unpacked)", total, MAX_ZIP_BYTES)
        sheets = []
        for info in sorted(chosen, key=lambda i: _split_order(i.filename)):
            if info.file_size > MAX_FILE_BYTES:
                raise _too_big(info.filename, info.file_size)
            raw = read_member(z, info, name, MAX_FILE_BYTES)
            label = f"{name}/{info.filename}"
            sheets.append(_xlsx_sheet(label, raw) if info.filename.lower().endswith(".xlsx") else _csv_sheet(label, raw))
        return sheets


def _split_order(filename: str):
    match = re.search(r"_(\d+)\.\w+$", filename)
    return (int(match.group(1)) if match else 0, filename)


def read_files(files: list[tuple[str, bytes]]) -> list[Sheet]:
    """Uploads -> sheets. Raises ValidationError (nothing is written) for files that can't be read."""
    if not files:
        raise ValidationError("Choose a file to import.")
    if len(files) > MAX_FILES:
        raise ValidationError(f"That is {len(files):,} files; Rebound imports up to {MAX_FILES} at a time. "
                              "Import them in smaller groups. Nothing was imported.")
    total = sum(len(data) for _, data in files)
    if total > MAX_TOTAL_BYTES:
        raise ValidationError(f"Together these files are {_mb(total)}; Rebound imports up to {_mb(MAX_TOTAL_BYTES)} "
                              "at a time. Import them in smaller groups. Nothing was imported.")
    sheets = []
    for name, data in sorted(files, key=lambda f: _split_order(f[0])):
        if len(data) > MAX_FILE_BYTES:
            raise _too_big(name, len(data))
        if not data.strip():
            raise ValidationError(f"{name} is empty. Export it again, or pick another file.")
        if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):  # a zip: an .xlsx or an export
            sheets.extend(_zip_sheets(name, data))
        elif data.startswith((b"\xd0\xcf\x11\xe0",)):
            raise ValidationError(f"{name} is an old Excel (.xls) file; save it as .xlsx or CSV and try again.")
        else:
            sheets.append(_csv_sheet(name, data))
    return sheets


# -- formats and mappings --------------------------------------------------------------------------
def norm(header: str) -> str:
    """'JobTitle', 'job_title', ' Job Title ' -> 'job title'."""
    text = re.sub(r"([a-z])([A-Z])", r"\1 \2", str(header or ""))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


def detect_format(header: list[str]) -> str:
    h = {norm(c) for c in header}
    if {"application date", "company name", "job title"} <= h:
        return "linkedin"
    if "mood" in h and ({"full date", "date"} & h) and ({"activities", "note", "note title", "time"} & h):
        return "daylio"
    if {"job title", "job source"} <= h or {"applied date", "job source"} <= h:
        return "jobsync"
    if {"job position", "date saved"} & h or "excitement" in h:
        return "teal"
    if h & {"list", "list name", "board", "board name"}:
        return "huntr"
    return "csv"


def guess_mapping(header: list[str]) -> dict[str, str | None]:
    """field -> column name (or None), from header aliases; each column used once."""
    by_norm = {}
    for column in header:
        by_norm.setdefault(norm(column), column)
    used, mapping = set(), {}
    for name in FIELDS:
        mapping[name] = None
        for alias in ALIASES[name]:
            column = by_norm.get(alias)
            if column is not None and column not in used:
                mapping[name] = column
                used.add(column)
                break
    return mapping


@dataclass
class Prepared:
    sheets: list[Sheet]
    format: str
    header: list[str]
    mapping: dict[str, str | None]
    notes: list[str]

    @property
    def needs_mapping(self) -> bool:
        return self.format in MAPPED_FORMATS

    @property
    def rows(self) -> int:
        return sum(len(s.rows) for s in self.sheets)


def prepare(sheets: list[Sheet], fmt: str = "auto") -> Prepared:
    if fmt not in FORMATS:
        raise ValidationError(f"Unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}.")
    header = sheets[0].header
    for sheet in sheets[1:]:
        if [norm(c) for c in sheet.header] != [norm(c) for c in header]:
            raise ValidationError(f"{sheet.name} has different columns from {sheets[0].name}; "
                                  "import files of one kind at a time.")
    detected = detect_format(header)
    fmt = detected if fmt == "auto" else fmt
    notes = [n for s in sheets for n in s.notes]
    if fmt == "linkedin":
        missing = [c for c in ("Application Date", "Company Name", "Job Title")
                   if norm(c) not in {norm(h) for h in header}]
        if missing:
            raise ValidationError(
                f"This is not LinkedIn's Job Applications.csv: the column(s) {', '.join(missing)} are missing. "
                f"Found: {', '.join(header[:12]) or 'no columns'}. Choose “Any spreadsheet” to map columns yourself.")
    if fmt == "daylio":
        h = {norm(c) for c in header}
        if "mood" not in h or not ({"full date", "date"} & h):
            raise ValidationError("This is not a Daylio export: it needs the columns full_date (or date) and mood. "
                                  f"Found: {', '.join(header[:12]) or 'no columns'}.")
    if all(not r for r in header) or not any(s.rows for s in sheets):
        raise ValidationError(f"{sheets[0].name} has a header but no rows to import.")
    if sum(len(s.rows) for s in sheets) > MAX_ROWS:
        raise _too_many_rows("Together, these files", together=True)
    return Prepared(sheets, fmt, header, guess_mapping(header), notes)


# -- cell parsing -------------------------------------------------------------------------------------
def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


_NUMERIC_DATE = re.compile(r"^(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})(?:[ ,T]+(.*))?$")
_TEXT_FORMATS = ["%b %d %Y", "%B %d %Y", "%d %b %Y", "%d %B %Y", "%a %b %d %Y", "%A %B %d %Y",
                 "%b %d %y", "%d %b %y", "%B %d", "%d %B"]


@lru_cache(maxsize=4096)
def _time_of(rest: str | None) -> dt.time:
    if not rest:
        return dt.time()
    rest = rest.strip().upper().replace(".", "")
    rest = re.sub(r"(Z|[+-]\d\d:?\d\d)$", "", rest).strip()
    for fmt in ("%I:%M %p", "%I:%M:%S %p", "%I %p", "%H:%M", "%H:%M:%S", "%H:%M:%S%f", "%I:%M%p"):
        try:
            return dt.datetime.strptime(rest, fmt).time()
        except ValueError:
            continue
    if re.match(r"^\d\d:\d\d:\d\d\.\d+$", rest):
        return dt.datetime.strptime(rest[:8], "%H:%M:%S").time()
    raise ValueError(rest)


def date_order_of(values) -> str:
    """'dmy' if any numeric a/b/yyyy date has a first part over 12, else 'mdy'."""
    for value in values:
        match = _NUMERIC_DATE.match(text(value))
        if match and len(match.group(1)) <= 2:
            if int(match.group(1)) > 12:
                return "dmy"
            if int(match.group(2)) > 12:
                return "mdy"
    return "mdy"


def parse_moment(value, order: str = "mdy", year: int | None = None) -> dt.datetime:
    """Many spellings of a date (and time) -> datetime; raises ValueError with the text it got."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 20000 < value < 80000:
        return dt.datetime(1899, 12, 30) + dt.timedelta(days=float(value))  # an Excel serial day
    raw = text(value)
    if not raw:
        raise ValueError("")
    match = _NUMERIC_DATE.match(raw)
    if match:
        a, b, c, rest = match.groups()
        if len(a) == 4:                      # 2023-11-13
            y, m, d = int(a), int(b), int(c)
        else:
            y = int(c)
            if len(c) == 2:
                y += 2000 if y < 70 else 1900
            m, d = (int(a), int(b)) if order == "mdy" else (int(b), int(a))
        return dt.datetime.combine(dt.date(y, m, d), _time_of(rest))
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", raw.replace(",", " "))
    cleaned = " ".join(cleaned.split())
    parts = cleaned.split(" ")
    for cut in range(len(parts), 0, -1):
        head, tail = " ".join(parts[:cut]), " ".join(parts[cut:])
        for fmt in _TEXT_FORMATS:
            try:
                day = dt.datetime.strptime(head, fmt)
            except ValueError:
                continue
            if "%Y" not in fmt and "%y" not in fmt:
                if year is None:
                    continue
                day = day.replace(year=year)
            return dt.datetime.combine(day.date(), _time_of(tail))
    raise ValueError(raw)


def _date_problem(raw) -> str:
    raw = text(raw)
    if not raw:
        return "the date is empty"
    return f"could not read the date “{raw[:40]}”; use a date like 2024-03-18 or 03/18/2024"


def _out_of_range(raw, day: dt.date, today: dt.date) -> str | None:
    """A per-row problem for a date before EARLIEST_DATE or after today (LinkedIn's "1/1/1", year 9999)."""
    if EARLIEST_DATE <= day <= today:
        return None
    when = "in the future" if day > today else f"before {EARLIEST_DATE.year}"
    shown = raw.isoformat()[:10] if isinstance(raw, dt.date) else text(raw)[:40]
    return f"the date “{shown}” is {when}; use the day it happened, like 2024-03-18"


def channel_of(value, default: str) -> str:
    t = norm(value)
    if not t:
        return default
    for name in CHANNELS:
        if t == name:
            return name
    if "referr" in t or "refer" in t:
        return "referral"
    if "recruit" in t or "agency" in t or "headhunt" in t:
        return "recruiter"
    if "informational" in t:
        return "informational interview"
    if "network" in t or "friend" in t or "meetup" in t or "event" in t:
        return "networking"
    if "company" in t or "career" in t or "website" in t or "direct" in t:
        return "company site"
    boards = ("linkedin", "indeed", "glassdoor", "monster", "ziprecruiter", "stepstone", "board", "otta",
              "wellfound", "angel", "dice", "seek", "reed", "totaljobs", "xing", "welcome to the jungle",
              "hired", "simplyhired", "jobs", "job site", "careerbuilder", "workday", "greenhouse", "lever")
    if any(b in t for b in boards):
        return "job board"
    return "other"


def _key(*parts) -> str:
    return hashlib.sha1("\x1f".join(str(p).strip().casefold() for p in parts).encode("utf-8")).hexdigest()[:24]


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
    applications: pd.DataFrame       # key, line, company, role, url, channel, location, applied_on, notes, source_key
    events: pd.DataFrame             # key, kind, happened_on, round, stage, reason, note
    checkins: pd.DataFrame           # line, checked_at, mood, energy, note
    problems: list[Problem]
    notes: list[str]
    rows: int                        # data rows read
    already: int = 0                 # already in the database (left out)
    repeats: int = 0                 # same row twice in the files (left out)
    not_applied: int = 0             # wishlist / saved jobs (left out)

    @property
    def kind(self) -> str:
        return "checkins" if self.format == "daylio" else "applications"

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
        if self.kind == "checkins":
            return self.checkins.head(n)[["line", "checked_at", "mood", "note"]].rename(
                columns={"line": "Line", "checked_at": "When", "mood": "Mood (1–10)", "note": "Note"})
        df = self.applications.head(n)
        stages = self.events.groupby("key")["kind"].agg(lambda k: ", ".join(k)) if len(self.events) else {}
        out = pd.DataFrame({
            "Line": df["line"], "Applied on": df["applied_on"], "Company": df["company"], "Role": df["role"],
            "Channel": df["channel"], "Location": df["location"], "Link": df["url"],
        })
        out["Stages"] = df["key"].map(lambda k: stages.get(k, "") if len(self.events) else "")
        return out.reset_index(drop=True)

    def problems_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{"Where": p.where, "Problem": p.message} for p in self.problems],
                            columns=["Where", "Problem"])


def _limit_notes(text_: str) -> str | None:
    text_ = (text_ or "").strip()
    return text_[:MAX_NOTES] or None


def build_plan(store, prepared: Prepared, mapping: dict | None = None, date_order: str = "auto",
               default_channel: str = "job board", today: dt.date | None = None, progress=None) -> ImportPlan:
    """Parse every row into a preview. Rows with problems are listed (with lines) and left out."""
    today = today or dt.date.today()
    progress = progress or (lambda fraction, message: None)
    if prepared.format == "daylio":
        return _daylio_plan(store, prepared, date_order, progress)
    fmt = prepared.format
    if fmt == "linkedin":
        mapping = _linkedin_mapping(prepared.header)
    else:
        mapping = {**prepared.mapping, **(mapping or {})}
        missing = [FIELDS[f] for f in REQUIRED_FIELDS if not mapping.get(f)]
        if missing:
            raise ValidationError("Choose the column for: " + ", ".join(missing) + ". The file's columns are: "
                                  + ", ".join(prepared.header[:20]) + " (on the command line: --map applied_on=COLUMN).")
        unknown = [c for c in mapping.values() if c and c not in prepared.header]
        if unknown:
            raise ValidationError(f"The file has no column named {unknown[0]!r}.")
    if default_channel not in CHANNELS:
        raise ValidationError(f"Unknown channel {default_channel!r}.")
    index = {c: i for i, c in reversed(list(enumerate(prepared.header)))}
    col = {f: index.get(c) for f, c in mapping.items() if c}

    def cell(row, name):
        i = col.get(name)
        return row[i] if i is not None and i < len(row) else None

    date_values = [cell(r, "applied_on") for s in prepared.sheets for r in s.rows[:2000]]
    order = date_order if date_order in ("mdy", "dmy") else date_order_of(date_values)
    notes = list(prepared.notes)
    if date_order == "auto" and fmt != "linkedin" and any(
            _NUMERIC_DATE.match(text(v)) and len(_NUMERIC_DATE.match(text(v)).group(1)) <= 2 for v in date_values):
        notes.append("Dates like 03/04/2024 were read " + ("day first (3 April)." if order == "dmy"
                                                          else "month first (4 March).")
                     + " Change the date order if that is wrong.")
    source = fmt if fmt != "csv" else "spreadsheet"
    apps, events, problems = [], [], []
    seen = set()
    repeats = not_applied = rows = 0
    unknown_statuses = {}
    total = prepared.rows
    for sheet in prepared.sheets:
        for i, row in enumerate(sheet.rows):
            rows += 1
            if rows % 1000 == 0:
                progress(0.8 * rows / max(total, 1), f"Reading row {rows:,} of {total:,}")
            where = sheet.where(i)
            status_raw = text(cell(row, "status"))
            kind = ""
            if status_raw:
                kind = STATUS_WORDS.get(norm(status_raw), "?")
                if kind is None:
                    not_applied += 1
                    continue
                if kind == "?":
                    unknown_statuses.setdefault(status_raw, where)
                    kind = ""
            raw_date = cell(row, "applied_on")
            if fmt == "jobsync" and norm(text(raw_date)) in ("n a", "") and norm(text(cell(row, "status"))) in ("", "draft"):
                not_applied += 1
                continue
            try:
                applied_at = parse_moment(raw_date, "mdy" if fmt == "linkedin" else order, today.year)
            except (ValueError, OverflowError):
                problems.append(Problem(where, _date_problem(raw_date)))
                continue
            out_of_range = _out_of_range(raw_date, applied_at.date(), today)
            if out_of_range:
                problems.append(Problem(where, out_of_range))
                continue
            notes_text = _linkedin_notes(row, index) if fmt == "linkedin" else text(cell(row, "notes"))
            channel = "job board" if fmt == "linkedin" else channel_of(cell(row, "channel"), default_channel)
            try:
                fields = validate_application(text(cell(row, "company")), text(cell(row, "role")), channel,
                                              applied_at.date(), text(cell(row, "url")),
                                              text(cell(row, "location")), _limit_notes(notes_text) or "", today)
            except ValidationError as error:
                problems.append(Problem(where, str(error)))
                continue
            key_time = applied_at.isoformat(timespec="minutes") if fmt == "linkedin" else fields["applied_on"]
            source_key = _key(source, fields["company"], fields["role"], key_time, fields["url"] or "")
            if source_key in seen:
                repeats += 1
                continue
            seen.add(source_key)
            key = len(apps) + 1
            apps.append({"key": key, "line": where, **fields, "source_key": source_key})
            if kind:
                try:
                    happened = parse_moment(cell(row, "status_on"), order, today.year).date() \
                        if text(cell(row, "status_on")) else fields["applied_on"]
                except (ValueError, OverflowError):
                    happened = fields["applied_on"]
                happened = min(max(happened, fields["applied_on"]), today)
                events.append({"key": key, "kind": kind, "happened_on": happened,
                               "round": 1 if kind == "interview" else None,
                               "stage": "applied" if kind == "rejected" else None,
                               "reason": None, "note": f"Imported status: {status_raw}"})
    for status_raw, where in list(unknown_statuses.items())[:10]:
        notes.append(f"The status “{status_raw}” (first at {where}) is not one Rebound knows; "
                     "those rows were imported as applied, with no later stage.")
    if events and not mapping.get("status_on"):
        notes.append("The file has no status dates, so each current status is dated on the application day.")
    app_cols = ["key", "line", "company", "role", "url", "channel", "location", "applied_on", "notes", "source_key"]
    apps_df = pd.DataFrame(apps, columns=app_cols)
    events_df = pd.DataFrame(events, columns=["key", "kind", "happened_on", "round", "stage", "reason", "note"])
    already = 0
    if len(apps_df):
        existing = store.existing_source_keys(source)
        mask = apps_df["source_key"].isin(existing)
        already = int(mask.sum())
        if already:
            kept = set(apps_df.loc[~mask, "key"])
            apps_df = apps_df[~mask].reset_index(drop=True)
            events_df = events_df[events_df["key"].isin(kept)].reset_index(drop=True)
    progress(0.85, "Preview ready")
    return ImportPlan(fmt, source, apps_df, events_df, _empty_checkins(), problems, notes, rows,
                      already=already, repeats=repeats, not_applied=not_applied)


def _linkedin_mapping(header: list[str]) -> dict:
    by_norm = {norm(c): c for c in header}
    return {"company": by_norm.get("company name"), "role": by_norm.get("job title"),
            "applied_on": by_norm.get("application date"), "url": by_norm.get("job url")}


def _linkedin_notes(row, index) -> str:
    cols = _linkedin_note_columns(tuple(index.items()))

    def get(name):
        i = cols.get(name)
        return text(row[i]) if i is not None and i < len(row) else ""

    parts = []
    if get("resume name"):
        parts.append(f"Resume: {get('resume name')}")
    contact = ", ".join(p for p in (get("contact email"), get("contact phone number")) if p)
    if contact:
        parts.append(f"Contact given: {contact}")
    if get("question and answers"):
        parts.append(f"Questions and answers: {get('question and answers')}")
    if parts:
        parts.insert(0, "Imported from LinkedIn.")
    return "\n".join(parts)


@lru_cache(maxsize=16)
def _linkedin_note_columns(items: tuple) -> dict:
    return {norm(column): i for column, i in items}


def _empty_checkins() -> pd.DataFrame:
    return pd.DataFrame(columns=["line", "checked_at", "mood", "energy", "note"])


def _daylio_plan(store, prepared: Prepared, date_order: str, progress) -> ImportPlan:
    by_norm = {}
    for i, c in enumerate(prepared.header):
        by_norm.setdefault(norm(c), i)

    def get(row, name):
        i = by_norm.get(name)
        return text(row[i]) if i is not None and i < len(row) else ""

    problems, out, seen = [], [], set()
    repeats = rows = 0
    now = dt.datetime.now()
    for sheet in prepared.sheets:
        for i, row in enumerate(sheet.rows):
            rows += 1
            where = sheet.where(i)
            raw_day = get(row, "full date") or " ".join(p for p in (get(row, "date"), get(row, "year")) if p)
            try:
                day = parse_moment(raw_day, "dmy" if date_order == "dmy" else "mdy", now.year)
                moment = dt.datetime.combine(day.date(), _time_of(get(row, "time")))
            except (ValueError, OverflowError):
                problems.append(Problem(where, _date_problem(raw_day) if raw_day else "the date is empty"
                                        if not get(row, "time") else f"could not read the time “{get(row, 'time')}”"))
                continue
            mood_raw = get(row, "mood")
            mood = DAYLIO_MOODS.get(mood_raw.casefold())
            if mood is None and mood_raw.isdigit() and 1 <= int(mood_raw) <= 5:
                mood = {5: 10, 4: 8, 3: 5, 2: 3, 1: 1}[int(mood_raw)]
            if mood is None:
                problems.append(Problem(where, f"the mood “{mood_raw[:30]}” is not one of Daylio's five "
                                               "(rad, good, meh, bad, awful); custom moods can't be placed "
                                               "on Rebound's 1–10 scale"))
                continue
            if moment > now or day.date() < EARLIEST_DATE:
                problems.append(Problem(where, _out_of_range(raw_day, day.date(), now.date())
                                        or "the time is in the future"))
                continue
            note_parts = [p for p in (get(row, "note title"), get(row, "note")) if p]
            if get(row, "activities"):
                note_parts.append("Activities: " + ", ".join(a.strip() for a in get(row, "activities").split("|")))
            note = _limit_notes("\n".join(note_parts))
            if (moment, mood) in seen:
                repeats += 1
                continue
            seen.add((moment, mood))
            out.append({"line": where, "checked_at": moment, "mood": mood, "energy": None, "note": note})
    df = pd.DataFrame(out, columns=["line", "checked_at", "mood", "energy", "note"])
    already = 0
    if len(df):
        existing = store.existing_checkin_moments()
        mask = [(m, mood) in existing for m, mood in zip(df["checked_at"], df["mood"])]
        already = int(sum(mask))
        df = df[[not m for m in mask]].reset_index(drop=True)
    notes = list(prepared.notes) + ["Daylio moods become Rebound moods: rad 10, good 8, meh 5, bad 3, awful 1; "
                                    "activities go into the note."]
    progress(0.85, "Preview ready")
    return ImportPlan("daylio", "daylio", pd.DataFrame(columns=["key"]), pd.DataFrame(columns=["key"]), df,
                      problems, notes, rows, already=already, repeats=repeats)


# -- writing -----------------------------------------------------------------------------------------
def apply_plan(store, plan: ImportPlan, progress=None) -> dict:
    """Write the plan in one transaction; returns what was written. Re-running adds nothing."""
    progress = progress or (lambda fraction, message: None)
    if plan.kind == "checkins":
        written = store.import_checkins(plan.checkins, progress=progress)
    else:
        written = store.import_applications(plan.applications, plan.events, plan.source,
                                            progress=progress)
    progress(1.0, "Done")
    return written


# -- after a history import: settle the long silences in one step ------------------------------------------
def quiet_after_import(store, plan: ImportPlan, today: dt.date | None = None) -> list[int]:
    """Ids of the applications this plan wrote that have had no answer for over the ghosting setting.

    A history import would otherwise leave Today nudging about each of them; the import's summary
    offers to mark them all as ghosted at once (each can be reopened)."""
    if plan.kind != "applications" or plan.applications.empty:
        return []
    written = set(store.application_ids_for(plan.source, plan.applications["source_key"]))
    return [n.application_id for n in store.nudges(today) if n.kind == "ghost" and n.application_id in written]


def settle_quiet(store, app_ids, today: dt.date | None = None) -> int:
    """Mark as ghosted those of `app_ids` that are still without an answer (an answer logged since the
    offer was made keeps its application open); one transaction. Returns how many were marked."""
    still = {n.application_id for n in store.nudges(today) if n.kind == "ghost"}
    return store.mark_ghosted([i for i in app_ids if i in still], today)


def import_files(store, files: list[tuple[str, bytes]], fmt: str = "auto", mapping: dict | None = None,
                 date_order: str = "auto", default_channel: str = "job board", progress=None,
                 dry_run: bool = False) -> tuple[ImportPlan, dict]:
    """Read, plan and (unless dry_run) write in one go: the CLI path."""
    prepared = prepare(read_files(files), fmt)
    plan = build_plan(store, prepared, mapping, date_order, default_channel, progress=progress)
    if dry_run:
        return plan, {}
    return plan, apply_plan(store, plan, progress)


# -- CLI: rebound import FILE [--format …] -----------------------------------------------------------------
def add_cli(sub, common) -> None:
    p = sub.add_parser("import", parents=[common], help="import applications (LinkedIn, JobSync, Huntr, Teal, "
                       "any CSV/XLSX) or Daylio moods")
    p.add_argument("files", nargs="+", metavar="FILE", help="CSV, XLSX or LinkedIn export .zip (several files: "
                   "Job Applications_1.csv Job Applications_2.csv …)")
    p.add_argument("--format", default="auto", choices=FORMATS)
    p.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN",
                   help=f"set a column for a field ({', '.join(FIELDS)}); the rest are guessed from the header")
    p.add_argument("--date-order", default="auto", choices=list(DATE_ORDERS))
    p.add_argument("--channel", default="job board", choices=CHANNELS, help="channel for rows without one")
    p.add_argument("--dry-run", action="store_true", help="show what would be imported; write nothing")
    p.add_argument("--settle-quiet", action="store_true",
                   help="mark the imported applications with no answer for over the ghosting setting as ghosted "
                        "(each can be reopened)")
    p.set_defaults(func=_cmd_import)


def _cmd_import(args) -> int:
    import sys
    from pathlib import Path

    from rebound.cli import _open

    mapping = {}
    for item in args.map:
        name, _, column = item.partition("=")
        if name not in FIELDS or not column:
            print(f"rebound: --map needs FIELD=COLUMN with FIELD one of {', '.join(FIELDS)}", file=sys.stderr)
            return 2
        mapping[name] = column
    files = []
    for name in args.files:
        path = Path(name)
        if not path.is_file():
            print(f"rebound: no such file: {name}", file=sys.stderr)
            return 2
        if path.stat().st_size > max(MAX_FILE_BYTES, MAX_ZIP_BYTES):
            print(f"rebound: {_too_big(path.name, path.stat().st_size)}", file=sys.stderr)
            return 1
        files.append((path.name, path.read_bytes()))
    started = time.perf_counter()
    try:
        prepared = prepare(read_files(files), args.format)
        if prepared.needs_mapping:
            guessed = {**prepared.mapping, **mapping}
            print(f"Format: {prepared.format}. Columns: " + ", ".join(
                f"{f}={guessed[f]!r}" for f in FIELDS if guessed.get(f)), file=sys.stderr)
        store = _open(args)
        plan = build_plan(store, prepared, mapping, args.date_order, args.channel)
    except ValidationError as error:
        print(f"rebound: {error}", file=sys.stderr)
        return 1
    for note in plan.notes:
        print(f"note: {note}", file=sys.stderr)
    for problem in plan.problems[:50]:
        print(f"skipped {problem.where}: {problem.message}", file=sys.stderr)
    if len(plan.problems) > 50:
        print(f"… and {len(plan.problems) - 50:,} more rows with problems", file=sys.stderr)
    print(plan.summary())
    if args.dry_run:
        print("Dry run: nothing was written.")
        return 0
    written = apply_plan(store, plan)
    print("Imported " + ", ".join(f"{v:,} {k}" for k, v in written.items())
          + f" into {store.db.path} in {time.perf_counter() - started:.1f} s.")
    quiet = quiet_after_import(store, plan)
    if quiet and args.settle_quiet:
        print(f"Marked {settle_quiet(store, quiet):,} with no answer as ghosted; reopen any of them on Outcomes.")
    elif quiet:
        print(f"{len(quiet):,} of these have had no answer for over {store.int_setting('ghost_after_days')} days. "
              "Outcomes marks them all as ghosted in one step (an import with --settle-quiet does it "
              "right away).")
    return 0
