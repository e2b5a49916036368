"""Limits on what one import may hold (issue 15): zip and XLSX bombs are refused before anything is
unpacked, and rows, columns and cells have ceilings. Each refusal is a clear message; nothing is written.

The bomb tests run the importer in a child process and read its own peak memory (child_peak), so a
regression shows as a number rather than as a machine that stops answering.
"""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
from child_peak import PEAK_MB, run_python

from rebound.errors import ValidationError
from rebound.importing import LINKEDIN_HEADER, MAX_CELL_CHARS, MAX_COLUMNS, MAX_ROWS, import_files, read_files
from rebound.importing import sheets as import_sheets

ROOT = Path(__file__).resolve().parents[2]
GB = 1024**3
CHUNK = b"0" * (1024 * 1024)
PEAK_LIMIT_MB = 300  # "under a few hundred MB": Python with pandas, DuckDB and openpyxl loaded is ~150


def stream_member(z: zipfile.ZipFile, name: str, size: int, head: bytes = b"", tail: bytes = b"") -> None:
    """A member of `size` bytes written in chunks, so building a bomb never holds it in memory."""
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    with z.open(info, "w", force_zip64=True) as out:
        out.write(head)
        left = size - len(head) - len(tail)
        while left > 0:
            out.write(CHUNK[: min(left, len(CHUNK))])
            left -= len(CHUNK)
        out.write(tail)


def xlsx_bomb(path: Path, cell_size: int = GB) -> Path:
    """A real workbook whose sheet holds one inline text cell of 1 GB (openpyxl writes inline
    strings; reading the sheet builds that cell as one string)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Company", "Role", "Date applied"])
    ws.append(["Acme", "Analyst", "2024-01-05"])
    plain = io.BytesIO()
    wb.save(plain)
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                z.writestr(info.filename, src.read(info))
        sheet = src.read("xl/worksheets/sheet1.xml")
        before, after = sheet.split(b"</sheetData>")
        stream_member(
            z,
            "xl/worksheets/sheet1.xml",
            cell_size,
            head=before + b'<row r="3"><c r="A3" t="inlineStr"><is><t>',
            tail=b"</t></is></c></row></sheetData>" + after,
        )
    return path


def linkedin_bomb(path: Path) -> Path:
    """A LinkedIn export whose Job Applications.csv states 1 GB."""
    row = b'"11/13/23, 9:42 AM",,,Acme,Analyst,,,\n'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("Connections.csv", "First Name,Last Name\nAda,Lovelace\n")
        stream_member(z, "Jobs/Job Applications.csv", GB, head=",".join(LINKEDIN_HEADER).encode() + b"\n" + row * 10)
    return path


def many_entries(path: Path, n: int = 200_000, name: str = "Basic_LinkedInDataExport.zip") -> Path:
    """A zip of `n` empty files (~18 MB): parsing its directory alone would take ~120 MB."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        for i in range(n):
            z.writestr(f"{i:06d}", b"")
    return path


def many_small_members(path: Path, members: int = 200) -> Path:
    """An .xlsx-looking zip of 200 members of 1 MB each (under the per-member ratio check): 200 MB."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        for i in range(members):
            stream_member(z, f"xl/media/pad{i}.bin", 1024 * 1024)
    return path


def build_in_child(build, path: Path) -> Path:
    """Build a bomb in a process of its own, so the test process stays small."""
    code = (
        f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); import {Path(__file__).stem} as t; "
        f"from pathlib import Path; t.{build.__name__}(Path({str(path)!r}))"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=300)
    return path


CHILD = textwrap.dedent("""
    import json, sys
    from rebound.importing import read_files, prepare
    from rebound.errors import ValidationError
    path, name = sys.argv[1], sys.argv[2]
    data = open(path, "rb").read()
    try:
        prepare(read_files([(name, data)]))
        outcome = "accepted"
    except ValidationError as error:
        outcome = "refused: " + str(error)
    print(json.dumps({"outcome": outcome, "peak_mb": PEAK_MB, "packed_mb": len(data) / 1024 / 1024}))
""").replace("PEAK_MB", PEAK_MB)


def import_in_child(path: Path, name: str | None = None) -> dict:
    return run_python(CHILD, str(path), name or path.name)


def small_xlsx_bomb(path: Path) -> Path:
    """Under the workbook's size limit (140 MB) but packed a thousand times: refused by its ratio."""
    return xlsx_bomb(path, 140 * 1024 * 1024)


@pytest.mark.slow
@pytest.mark.parametrize(
    "build, name, message",
    [
        (xlsx_bomb, "tracker.xlsx", "tracker.xlsx would unpack to 1,024 MB, more than the 150 MB Rebound reads"),
        (small_xlsx_bomb, "tracker.xlsx", "is not a file Rebound can read safely: xl/worksheets/sheet1.xml unpacks"),
        (linkedin_bomb, "Basic_LinkedInDataExport.zip", "would unpack to 1,024 MB, more than the 512 MB Rebound reads"),
        (many_entries, "Basic_LinkedInDataExport.zip", "holds more than the 10,000 files Rebound reads"),
        (many_small_members, "tracker.xlsx", "would unpack to 200 MB, more than the 150 MB Rebound reads"),
    ],
)
def test_a_bomb_is_refused_before_it_is_unpacked(tmp_path, build, name, message, capsys):
    result = import_in_child(build_in_child(build, tmp_path / name), name)
    with capsys.disabled():
        print(
            f"\n{build.__name__} as {name}: {result['packed_mb']:.1f} MB packed; child peak {result['peak_mb']:.0f} MB"
        )
    assert result["outcome"].startswith("refused: ") and message in result["outcome"], result
    assert result["peak_mb"] < PEAK_LIMIT_MB, result


def test_a_workbook_of_ordinary_size_still_imports(tmp_path):
    """The limits leave room for real files: a 5,000-row tracker, in the same kind of child."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Company", "Role", "Date applied", "Notes"])
    for i in range(5000):
        ws.append([f"Company {i}", "Analyst", f"2024-01-{1 + i % 28:02d}", "A note " * 20])
    path = tmp_path / "tracker.xlsx"
    wb.save(path)
    result = import_in_child(path)
    assert result["outcome"] == "accepted", result


# -- rows, columns and cells: refused with a clear message, nothing written --------------------------------
def csv_of(header: list[str], rows: list[list[str]]) -> bytes:
    return ("\n".join(",".join(r) for r in [header] + rows) + "\n").encode()


def test_more_rows_than_the_limit_are_refused(store):
    row = '"11/13/23, 9:42 AM",,,Acme,Analyst,,,'
    data = (",".join(LINKEDIN_HEADER) + "\n" + "\n".join([row] * (MAX_ROWS + 1)) + "\n").encode()
    with pytest.raises(ValidationError, match=r"more than 200,000 rows.*Split it.*Nothing was imported"):
        import_files(store, [("Job Applications.csv", data)])
    assert store.applications.count() == 0


def test_split_files_together_over_the_row_limit_are_refused(store, monkeypatch):
    monkeypatch.setattr(import_sheets, "MAX_ROWS", 3)
    part = csv_of(["Company", "Role", "Date applied"], [["A", "B", "2024-01-05"], ["C", "D", "2024-01-06"]])
    with pytest.raises(ValidationError, match="Together, these files have more than 3 rows"):
        import_files(store, [("t_1.csv", part), ("t_2.csv", part)])
    assert store.applications.count() == 0


def test_too_many_columns_are_refused(store):
    header = ["Company", "Role", "Date applied"] + [f"extra {i}" for i in range(MAX_COLUMNS)]
    with pytest.raises(ValidationError, match=r"t.csv line 1 has 203 columns; Rebound reads at most 200"):
        import_files(store, [("t.csv", csv_of(header, [["A", "B", "2024-01-05"]]))])
    assert store.applications.count() == 0


@pytest.mark.parametrize("size", [MAX_CELL_CHARS + 1, 200_000])  # ours, and past the csv module's own cap
def test_a_cell_longer_than_excel_allows_is_refused(store, size):
    data = csv_of(["Company", "Role", "Date applied", "Notes"], [["A", "B", "2024-01-05", "x" * size]])
    with pytest.raises(ValidationError, match=r"t.csv (near )?line 2 has a cell of .*32,767.*Nothing was imported"):
        import_files(store, [("t.csv", data)])
    assert store.applications.count() == 0


def test_a_cell_at_the_limit_is_read(store):
    data = csv_of(["Company", "Role", "Date applied", "Notes"], [["A", "B", "2024-01-05", "x" * MAX_CELL_CHARS]])
    _, written = import_files(store, [("t.csv", data)])
    assert written["applications"] == 1


def workbook(cells: dict) -> bytes:
    """{(row, column): value} -> .xlsx bytes."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for (r, c), v in cells.items():
        ws.cell(row=r, column=c, value=v)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


BASE = {
    (1, 1): "Company",
    (1, 2): "Role",
    (1, 3): "Date applied",
    (2, 1): "Acme",
    (2, 2): "Analyst",
    (2, 3): "2024-01-05",
}


@pytest.mark.parametrize(
    "extra, message",
    [
        ({(3, MAX_COLUMNS + 5): "far right"}, "t.xlsx line 3 has 205 columns; Rebound reads at most 200"),
        ({(2 * MAX_ROWS + 5, 1): "far down"}, "t.xlsx has more than 200,000 rows"),
    ],
)
def test_xlsx_rows_columns_and_cells_have_limits(store, extra, message):
    with pytest.raises(ValidationError, match=message):
        import_files(store, [("t.xlsx", workbook({**BASE, **extra}))])
    assert store.applications.count() == 0


def test_an_xlsx_whose_stated_size_lies_is_read_by_its_cells(store):
    """A sheet claiming A1:XFD1048576 would make openpyxl pad every row to 16,384 cells."""
    data = workbook(BASE)
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b'<dimension ref="A1:C2"/>', b'<dimension ref="A1:XFD1048576"/>')
                assert b"XFD1048576" in body
            z.writestr(info.filename, body)
    sheets = read_files([("t.xlsx", out.getvalue())])
    assert sheets[0].header == ["Company", "Role", "Date applied"] and sheets[0].rows == [
        ["Acme", "Analyst", "2024-01-05"]
    ]


def test_a_long_xlsx_cell_is_refused(store, monkeypatch):
    """openpyxl itself cuts cells at Excel's 32,767 characters, so a lower limit shows the check works.
    The limit is patched in this process, so the reader runs here (import_files reads in the fenced worker)."""
    monkeypatch.setattr(import_sheets, "MAX_CELL_CHARS", 100)
    with pytest.raises(ValidationError, match="t.xlsx line 3 has a cell of 101 characters; Rebound reads at most 100"):
        import_sheets.read_files([("t.xlsx", workbook({**BASE, (3, 2): "x" * 101}))])
    assert store.applications.count() == 0


def test_a_zip_over_the_upload_limit_says_to_unzip_it(store):
    import os

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.writestr("Jobs/Job Applications.csv", ",".join(LINKEDIN_HEADER) + "\n")
        z.writestr("Rich_Media/video.bin", os.urandom(21 * 1024 * 1024))
    with pytest.raises(ValidationError, match=r"export.zip is 21.0 MB; .*up to 20.0 MB.*Unzip it and import the Jobs/"):
        import_files(store, [("export.zip", buf.getvalue())])


def test_too_many_files_or_too_many_bytes_at_once_are_refused(store):
    part = csv_of(["Company", "Role", "Date applied"], [["A", "B", "2024-01-05"]])
    with pytest.raises(ValidationError, match="That is 21 files; Rebound imports up to 20 at a time"):
        import_files(store, [(f"t_{i}.csv", part) for i in range(21)])
    big = b"Company,Role,Date applied\n" + b"A,B,2024-01-05\n" * (19 * 1024 * 1024 // 15)
    with pytest.raises(ValidationError, match=r"Together these files are 7\d\.\d MB; Rebound imports up to 60\.0 MB"):
        import_files(store, [(f"t_{i}.csv", big) for i in range(4)])
    assert store.applications.count() == 0


# -- damaged zips: a clear message from the page's reader and from `rebound import`, never a traceback --------
def export_zip() -> bytearray:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "Jobs/Job Applications.csv",
            (Path(__file__).parents[1] / "fixtures" / "Job Applications.csv").read_bytes() * 50,
        )
    return bytearray(buf.getvalue())


def lying_size(data: bytearray) -> bytes:
    """The member's header says 100 bytes (local header and central directory); the data is larger."""
    import struct

    struct.pack_into("<I", data, 22, 100)
    struct.pack_into("<I", data, data.rfind(b"PK\x01\x02") + 24, 100)
    return bytes(data)


def flipped(data: bytearray, offset: int) -> bytes:
    data[offset] ^= 0x55
    return bytes(data)


@pytest.mark.slow
@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda d: lying_size(d), "is damaged: Jobs/Job Applications.csv can't be read"),  # its CRC fails
        (lambda d: bytes(d[:-30]), "is damaged: it is not a readable .zip file"),  # cut short
        (lambda d: flipped(d, 60), "is damaged: Jobs/Job Applications.csv can't be read"),  # zlib.error
        (lambda d: flipped(d, 207), "is damaged: Jobs/Job Applications.csv can't be read"),  # BadZipFile
    ],
)
def test_a_damaged_zip_gets_a_clear_message(tmp_path, db_path, capsys, damage, message):
    from rebound.cli import main

    path = tmp_path / "export.zip"
    path.write_bytes(damage(export_zip()))
    with pytest.raises(ValidationError, match=message):
        read_files([("export.zip", path.read_bytes())])
    assert main(["import", str(path), "--db", db_path]) == 1
    err = capsys.readouterr().err
    assert f"rebound: export.zip {message}" in err and "Traceback" not in err
