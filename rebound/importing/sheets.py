"""Uploads -> `Sheet`s: decoding, CSV / XLSX / zip, line numbers, and every size limit of one import.

Each limit is refused with a clear message before anything is written (and before a crafted file
can make a later step slow). Knows no format, except where LinkedIn hides its file in an export .zip.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from rebound import fence
from rebound.errors import ValidationError
from rebound.exporting import unescape_cell  # a Rebound export imports back unchanged
from rebound.importing.linkedin import EXPORT_MEMBER
from rebound.limits import MAX_UNPACKED_BYTES, MB, open_zip, read_member

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from openpyxl.workbook.workbook import Workbook

# Limits on what one import may hold: each is refused with a clear message before anything is written.
MAX_FILE_BYTES = 20 * MB  # per uploaded file (and per unpacked zip member)
MAX_ZIP_BYTES = 60 * MB  # the spreadsheets read from one .zip, unpacked
MAX_FILES = 20  # files in one import (LinkedIn splits a long history into a few)
MAX_TOTAL_BYTES = 60 * MB  # all the files of one import together
MAX_XLSX_UNPACKED = 150 * MB  # one workbook's XML, unpacked (openpyxl never sees a bigger one)
MAX_ROWS = 200_000  # rows of data in one import
MAX_SHEET_ROWS = 2 * MAX_ROWS  # rows an XLSX sheet may span, blank ones included
MAX_COLUMNS = 200  # a tracker has a dozen; a LinkedIn export eight
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell


# -- one file -> sheets --------------------------------------------------------------------------------
@dataclass
class Sheet:
    name: str  # the file (and sheet) it came from
    header: list[str]
    rows: list[list]  # cells: str for CSV, python values for XLSX
    lines: list[int]  # the line (CSV) or row (XLSX) number of each row
    notes: list[str] = field(default_factory=list)

    def where(self, i: int) -> str:
        return f"{self.name} line {self.lines[i]}"


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def too_big(name: str, size: int, limit: int = MAX_FILE_BYTES) -> ValidationError:
    how = (
        "Unzip it and import the Jobs/Job Applications.csv files inside"
        if name.lower().endswith(".zip")
        else "Split it into smaller files (LinkedIn already does: Job Applications_1.csv, _2, …) and import them together"
    )
    return ValidationError(f"{name} is {_mb(size)}; Rebound imports files up to {_mb(limit)} at a time. {how}.")


def too_many_rows(name: str, together: bool = False) -> ValidationError:
    has, it = ("have", "them") if together else ("has", "it")
    return ValidationError(
        f"{name} {has} more than {MAX_ROWS:,} rows; Rebound imports up to {MAX_ROWS:,} at a time. "
        f"Split {it} into smaller files and import them one after another. Nothing was imported."
    )


def _check_cells(name: str, line: int, cells: Sequence[object], all_text: bool = False) -> None:
    """Refuse (the whole file: nothing is written) a row wider than MAX_COLUMNS or a cell longer
    than MAX_CELL_CHARS: a tracker never has them, and a crafted file would make every later step slow."""
    if len(cells) > MAX_COLUMNS:
        raise ValidationError(
            f"{name} line {line} has {len(cells):,} columns; Rebound reads at most {MAX_COLUMNS}. "
            "Remove the columns you don't need and try again. Nothing was imported."
        )
    longest = (
        max(map(len, cast("Sequence[str]", cells)), default=0)  # all_text: the caller read every cell as a str
        if all_text
        else max((len(c) for c in cells if isinstance(c, str)), default=0)
    )
    if longest > MAX_CELL_CHARS:
        raise ValidationError(
            f"{name} line {line} has a cell of {longest:,} characters; Rebound reads at most "
            f"{MAX_CELL_CHARS:,} per cell (Excel's own limit). Shorten it and try again. "
            "Nothing was imported."
        )


def decode_text(name: str, data: bytes) -> tuple[str, list[str]]:
    """Text from bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 / Latin-1 with a note."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError:
            pass
    head = data[:65536]
    if b"\x00" in head:
        raise ValidationError(
            f"{name} is not a text spreadsheet (it contains binary data). "
            "Export it as CSV (UTF-8) or XLSX and try again."
        )
    try:
        text = data.decode("utf-8-sig")
        notes = []
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
            notes = [
                f"{name} is not UTF-8; it was read as Windows-1252 (Western European). "
                "Check accented letters in the preview."
            ]
        except UnicodeDecodeError:
            text = data.decode("latin-1")
            notes = [f"{name} is not UTF-8; it was read as Latin-1. Check accented letters in the preview."]
    sample = text[:20000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t")
    if sample and controls > max(5, len(sample) // 100):
        raise ValidationError(
            f"{name} does not look like a CSV file (it contains binary data). Export it as CSV or XLSX and try again."
        )
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
                raise too_many_rows(name)
    except csv.Error as error:
        if "field larger than field limit" in str(error):  # the csv module's own cap (131,072) came first
            raise ValidationError(
                f"{name} near line {reader.line_num} has a cell of more than {MAX_CELL_CHARS:,} "
                "characters, Excel's own limit per cell. Shorten it and try again. "
                "Nothing was imported."
            ) from None
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
        raise ValidationError(
            f"{name} could not be opened as an Excel workbook ({type(error).__name__}). "
            "Save it again as .xlsx or export it as CSV."
        ) from None
    try:
        return _first_sheet_with_data(name, wb)
    except ValidationError:
        raise
    except Exception as error:  # a broken sheet fails while its rows are read
        raise ValidationError(
            f"{name} could not be read as an Excel workbook ({type(error).__name__}). "
            "Save it again as .xlsx or export it as CSV."
        ) from None
    finally:
        wb.close()


def _first_sheet_with_data(name: str, wb: Workbook) -> Sheet:
    for ws in wb.worksheets:
        ws.reset_dimensions()  # the sheet's stated size may lie (A1:XFD1048576): read only the cells it has
        header, rows, lines = None, [], []
        for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
            if number > MAX_SHEET_ROWS:  # blank rows count too: a sheet can state a row two billion
                raise too_many_rows(name)
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
                raise too_many_rows(name)
        if header is not None:
            label = name if len(wb.worksheets) == 1 else f"{name} [{ws.title}]"
            notes = (
                [f"{name} has several sheets; the first one with data ({ws.title}) was read."]
                if len(wb.worksheets) > 1
                else []
            )
            return Sheet(label, header, rows, lines, notes)
    raise ValidationError(f"{name} has no data in any sheet.")


def _zip_sheets(name: str, data: bytes) -> list[Sheet]:
    """An .xlsx workbook, or the spreadsheets inside a .zip (LinkedIn's export), each within the limits."""
    with open_zip(
        data, name, max_unpacked=MAX_XLSX_UNPACKED if name.lower().endswith(".xlsx") else MAX_UNPACKED_BYTES
    ) as z:
        if "xl/workbook.xml" in z.namelist():
            return [_xlsx_sheet(name, data)]
        members = [i for i in z.infolist() if not i.is_dir() and not i.filename.startswith("__MACOSX")]
        chosen = [i for i in members if EXPORT_MEMBER.search(i.filename)]
        if not chosen:
            chosen = [i for i in members if i.filename.lower().endswith((".csv", ".xlsx"))]
            if len(chosen) != 1:
                raise ValidationError(
                    f"{name} has no “Job Applications.csv” (LinkedIn keeps it in the Jobs folder of your data "
                    "export)"
                    + (
                        f" and {len(chosen)} other spreadsheets; unzip it and import the one you mean."
                        if chosen
                        else "."
                    )
                )
        total = sum(i.file_size for i in chosen)
        if total > MAX_ZIP_BYTES:
            raise too_big(name + " (unpacked)", total, MAX_ZIP_BYTES)
        sheets = []
        for info in sorted(chosen, key=lambda i: _split_order(i.filename)):
            if info.file_size > MAX_FILE_BYTES:
                raise too_big(info.filename, info.file_size)
            raw = read_member(z, info, name, MAX_FILE_BYTES)
            label = f"{name}/{info.filename}"
            sheets.append(
                _xlsx_sheet(label, raw) if info.filename.lower().endswith(".xlsx") else _csv_sheet(label, raw)
            )
        return sheets


def _split_order(filename: str) -> tuple[int, str]:
    match = re.search(r"_(\d+)\.\w+$", filename)
    return (int(match.group(1)) if match else 0, filename)


def read_files_fenced(
    files: list[tuple[str, bytes]], on_progress: Callable[[float, str], object] | None = None
) -> list[Sheet]:
    """read_files in the fenced worker (rebound.fence): the way the app and the CLI read an import.
    The count and size limits are checked here first, so a refused file is never even sent."""
    _check_files(files)
    return fence.run(read_files, files, what="one import", on_progress=on_progress)


def read_files(files: list[tuple[str, bytes]]) -> list[Sheet]:
    """Uploads -> sheets, in this process. Raises ValidationError (nothing is written) for files that
    can't be read. Untrusted files go through read_files_fenced, which runs this in the worker."""
    _check_files(files)
    sheets = []
    for name, data in sorted(files, key=lambda f: _split_order(f[0])):
        if len(data) > MAX_FILE_BYTES:
            raise too_big(name, len(data))
        if not data.strip():
            raise ValidationError(f"{name} is empty. Export it again, or pick another file.")
        if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):  # a zip: an .xlsx or an export
            sheets.extend(_zip_sheets(name, data))
        elif data.startswith((b"\xd0\xcf\x11\xe0",)):
            raise ValidationError(f"{name} is an old Excel (.xls) file; save it as .xlsx or CSV and try again.")
        else:
            sheets.append(_csv_sheet(name, data))
    return sheets


def _check_files(files: list[tuple[str, bytes]]) -> None:
    if not files:
        raise ValidationError("Choose a file to import.")
    if len(files) > MAX_FILES:
        raise ValidationError(
            f"That is {len(files):,} files; Rebound imports up to {MAX_FILES} at a time. "
            "Import them in smaller groups. Nothing was imported."
        )
    total = sum(len(data) for _, data in files)
    if total > MAX_TOTAL_BYTES:
        raise ValidationError(
            f"Together these files are {_mb(total)}; Rebound imports up to {_mb(MAX_TOTAL_BYTES)} "
            "at a time. Import them in smaller groups. Nothing was imported."
        )


def check_total_rows(sheets: list[Sheet]) -> None:
    """Split files are read one by one; together they must also fit MAX_ROWS."""
    if sum(len(s.rows) for s in sheets) > MAX_ROWS:
        raise too_many_rows("Together, these files", together=True)
