"""Limits on backups: bombs are refused with a clear message while memory stays low; lying zips and
invalid values are refused; Streamlit's upload limit agrees with Rebound's."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from child_peak import PEAK_MB, run_python
from clock import frozen

from rebound import limits
from rebound.backup import make_backup, preview_backup, read_backup, restore_backup
from rebound.demo import generate
from rebound.errors import ValidationError

ROOT = Path(__file__).resolve().parents[2]
MB = 1024 * 1024
PEAK_MB_ALLOWED = 400  # a Python with DuckDB, pyarrow and pandas loaded is ~200 MB


@pytest.fixture(scope="module")
def good_backup(tmp_path_factory) -> bytes:
    from rebound.db import Database
    from rebound.store import Store

    db = Database(str(tmp_path_factory.mktemp("limits") / "good.duckdb"))
    store = Store(db, "local")
    with frozen():  # the tests' today (a module fixture runs before the clock fixture)
        generate(store, weeks=6, seed=2)
        data = make_backup(store)
    db.close()
    return data


def _files(data: bytes) -> dict[str, bytes]:
    z = zipfile.ZipFile(io.BytesIO(data))
    return {n: z.read(n) for n in z.namelist()}


def _zip(files: dict, streamed: dict | None = None) -> bytes:
    """A zip of `files`, plus members written from a chunk generator (a bomb never sits in memory)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
        for name, chunks in (streamed or {}).items():
            with z.open(name, "w", force_zip64=True) as fh:
                for chunk in chunks:
                    fh.write(chunk)
    return out.getvalue()


def _zeros(total: int, chunk: int = 16 * 1024 * 1024):
    block = b"\0" * chunk
    for _ in range(total // chunk):
        yield block


def _with_table(files: dict, table: str, parquet: bytes, rows: int) -> dict:
    files = dict(files)
    files[f"tables/{table}.parquet"] = parquet
    manifest = json.loads(files["manifest.json"])
    manifest["tables"][table].update(rows=rows, sha256=hashlib.sha256(parquet).hexdigest())
    files["manifest.json"] = json.dumps(manifest).encode()
    return files


def member_bomb(good: bytes) -> bytes:
    files = _files(good)
    del files["tables/events.parquet"]
    return _zip(files, {"tables/events.parquet": _zeros(400 * MB)})


def manifest_bomb(good: bytes) -> bytes:
    files = _files(good)
    del files["manifest.json"]

    def manifest():
        yield b'{"format": "rebound-backup", "format_version": 1, "pad": "'
        yield from (b" " * len(c) for c in _zeros(400 * MB))
        yield b'"}'

    return _zip(files, {"manifest.json": manifest()})


def parquet_bomb(good: bytes) -> bytes:
    """1,000,000 applications whose notes are one 2,000-character text: 1.5 MB stored, 2 GB decoded."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    n = 1_000_000
    same = pa.array([0] * n, pa.int32())
    text = pa.DictionaryArray.from_arrays(same, pa.array(["x" * 2000]))
    short = pa.DictionaryArray.from_arrays(same, pa.array(["Acme"]))
    table = pa.table(
        {
            "id": pa.array(range(n), pa.int64()),
            "company": short,
            "role": short,
            "channel": pa.DictionaryArray.from_arrays(same, pa.array(["referral"])),
            "applied_on": pa.array([0] * n, pa.int32()).cast(pa.date32()),
            "notes": text,
        }
    )
    out = io.BytesIO()
    pq.write_table(table, out, compression="zstd", store_schema=False)  # read back as plain strings
    return _zip(_with_table(_files(good), "applications", out.getvalue(), n))


def _patch_varint(data: bytes, at: int, width: int, value: int) -> bytes:
    """Write `value` as a thrift compact varint (zigzag) of exactly `width` bytes at `at` (padded
    with continuation bytes, which readers accept), so nothing else in the file moves."""
    zigzag = (value << 1) ^ (value >> 63)
    out = []
    for i in range(width):
        byte = zigzag & 0x7F
        zigzag >>= 7
        out.append(byte | (0x80 if i < width - 1 else 0))
    return data[:at] + bytes(out) + data[at + width :]


def _varint(value: int) -> bytes:
    zigzag, out = (value << 1) ^ (value >> 63), bytearray()
    while True:
        byte, zigzag = zigzag & 0x7F, zigzag >> 7
        out.append(byte | (0x80 if zigzag else 0))
        if not zigzag:
            return bytes(out)


def lying_footer(good: bytes, rows: int = 1000, chars: int = 2 * MB) -> bytes:
    """The red team's backup: applications whose notes are `rows` copies of a `chars`-long text,
    plain-encoded (no dictionary to count) and compressed to almost nothing, with the Parquet
    footer's row-group size patched to 1 byte. Decoded: rows x chars (2 GB). Stored: ~100 KB."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    note = "x" * chars
    table = pa.table(
        {
            "id": pa.array(range(rows), pa.int64()),
            "company": pa.array(["Acme"] * rows),
            "role": pa.array(["Engineer"] * rows),
            "channel": pa.array(["referral"] * rows),
            "applied_on": pa.array([0] * rows, pa.int32()).cast(pa.date32()),
            "notes": pa.array([note] * rows, pa.large_string()).cast(pa.string()),
        }
    )
    out = io.BytesIO()
    pq.write_table(table, out, compression="zstd", use_dictionary=False, row_group_size=rows, store_schema=False)
    del table
    raw = out.getvalue()
    stated = pq.ParquetFile(io.BytesIO(raw)).metadata.row_group(0).total_byte_size
    footer_len = int.from_bytes(raw[-8:-4], "little")
    footer_at = len(raw) - 8 - footer_len
    encoded = b"\x16" + _varint(stated)  # RowGroup field 2 (total_byte_size, i64): delta 1, type 6
    at = raw.find(encoded, footer_at)
    assert at > 0 and raw.find(encoded, at + 1) == -1, "the row group's size must be found exactly once"
    lying = _patch_varint(raw, at + 1, len(encoded) - 1, 1)
    assert pq.ParquetFile(io.BytesIO(lying)).metadata.row_group(0).total_byte_size == 1  # the lie reads back
    return _zip(_with_table(_files(good), "applications", lying, rows))


CHILD = """
import json, sys
from rebound.backup import restore_backup
from rebound.db import Database
from rebound.errors import ValidationError
from rebound.store import Store
store = Store(Database(sys.argv[1]), "local")
data = open(sys.argv[2], "rb").read()
try:
    restore_backup(store, data)
    error = None
except ValidationError as e:
    error = str(e)
print(json.dumps({"error": error, "peak_mb": PEAK_MB, "applications": store.applications.count()}))
""".replace("PEAK_MB", PEAK_MB)


@pytest.mark.slow
@pytest.mark.parametrize(
    "bomb, message",
    [
        (member_bomb, "not a file Rebound can read safely: tables/events.parquet unpacks 1,0..? times larger"),
        (manifest_bomb, "not a file Rebound can read safely: manifest.json unpacks"),
        (parquet_bomb, "tables/applications.parquet unpacks to more than"),
    ],
)
def test_bombs_are_refused_while_memory_stays_low(good_backup, tmp_path, bomb, message):
    import re

    path = tmp_path / "bomb.zip"
    path.write_bytes(bomb(good_backup))
    assert path.stat().st_size < 10 * 1024 * 1024  # a small upload …
    result = run_python(CHILD, str(tmp_path / "target.duckdb"), str(path), timeout=120)
    assert result["error"] and re.search(message, result["error"]), result["error"]
    print(f"{bomb.__name__}: refused at a peak of {result['peak_mb']:.0f} MB")
    assert result["peak_mb"] < PEAK_MB_ALLOWED, result  # … that no longer takes gigabytes to refuse
    assert result["applications"] == 0


def test_the_preview_reads_only_the_manifest(good_backup, store):
    """The Data page previews a file as soon as it is chosen: that must not decode any table."""
    info = preview_backup(store, parquet_bomb(good_backup))
    assert info.counts["applications"] == 1_000_000  # what the manifest says; nothing was decoded
    with pytest.raises(ValidationError, match="unpacks to more than"):
        read_backup(store, parquet_bomb(good_backup))


def test_too_many_rows_are_refused_from_the_manifest(good_backup, store):
    files = _files(good_backup)
    manifest = json.loads(files["manifest.json"])
    manifest["tables"]["events"]["rows"] = 50_000_000
    files["manifest.json"] = json.dumps(manifest).encode()
    with pytest.raises(ValidationError, match=r"50,000,\d{3} rows, more than the 2,000,000"):
        preview_backup(store, _zip(files))


def _lie_about_size(data: bytes, member: str, stated: int) -> bytes:
    """Rewrite the unpacked size a zip's headers (local and central) state for one member."""
    out = bytearray(data)
    # signature: (offset of the unpacked size, of the name's length, of the name)
    layout = {b"PK\x03\x04": (22, 26, 30), b"PK\x01\x02": (24, 28, 46)}
    for signature, (size_at, length_at, name_at) in layout.items():
        at = out.find(signature)
        while at != -1:
            length = int.from_bytes(out[at + length_at : at + length_at + 2], "little")
            if out[at + name_at : at + name_at + length] == member.encode():
                out[at + size_at : at + size_at + 4] = stated.to_bytes(4, "little")
            at = out.find(signature, at + 4)
    return bytes(out)


@pytest.mark.slow
def test_a_zip_whose_header_lies_about_a_size_is_refused_clearly(good_backup, store, tmp_path):
    lying = _lie_about_size(good_backup, "tables/events.parquet", 100)
    assert zipfile.ZipFile(io.BytesIO(lying)).getinfo("tables/events.parquet").file_size == 100
    with pytest.raises(ValidationError, match="damaged"):
        restore_backup(store, lying)
    path = tmp_path / "lying.zip"
    path.write_bytes(lying)
    run = subprocess.run(
        [sys.executable, "-m", "rebound", "restore", str(path), "--yes", "--db", str(tmp_path / "cli.duckdb")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 1 and "damaged" in run.stderr and "Traceback" not in run.stderr


@pytest.mark.slow
def test_a_linkedin_zip_whose_header_lies_is_refused_by_rebound_import(tmp_path):
    sys.path.insert(0, str(Path(__file__).parent))
    from test_import import linkedin_csv

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("Jobs/Job Applications.csv", linkedin_csv(50))
    path = tmp_path / "Basic_LinkedInDataExport.zip"
    path.write_bytes(_lie_about_size(out.getvalue(), "Jobs/Job Applications.csv", 100))
    run = subprocess.run(
        [sys.executable, "-m", "rebound", "import", str(path), "--db", str(tmp_path / "i.duckdb")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 1, run.stdout
    assert "Traceback" not in run.stderr and "rebound:" in run.stderr


# -- values: the forms' rules -----------------------------------------------------------------------------
def _edit_table(data: bytes, table: str, edit) -> bytes:
    import pyarrow.parquet as pq

    files = _files(data)
    arrow = edit(pq.read_table(io.BytesIO(files[f"tables/{table}.parquet"])))
    out = io.BytesIO()
    pq.write_table(arrow, out)
    return _zip(_with_table(files, table, out.getvalue(), arrow.num_rows))


def _set(column: str, row: int, value, type_=None):
    import pyarrow as pa

    def edit(arrow):
        values = arrow.column(column).to_pylist()
        values[row] = value
        return arrow.set_column(
            arrow.column_names.index(column), column, pa.array(values, type_ or arrow.column(column).type)
        )

    return edit


@pytest.mark.parametrize(
    "table, edit, message",
    [
        ("checkins", _set("mood", 4, 999), r"table checkins, row 5, column mood: 999 is outside 1 to 10"),
        (
            "applications",
            _set("applied_on", 2, __import__("datetime").date(2999, 1, 1)),
            r"table applications, row 3, column applied_on: the date 2999-01-01 is outside",
        ),
        ("events", _set("kind", 0, "party"), r"table events, row 1, column kind: 'party' is not one Rebound knows"),
        ("applications", _set("channel", 1, "carrier pigeon"), r"row 2, column channel: 'carrier pigeon'"),
        ("applications", _set("company", 0, "x" * 5000), r"row 1, column company: the text is 5,000 characters"),
        ("applications", _set("company", 2, "   "), r"table applications, row 3, column company: it is empty"),
        ("applications", _set("company", 1, None), r"table applications, row 2, column company: it is empty"),
        ("applications", _set("role", 0, ""), r"table applications, row 1, column role: it is empty"),
        ("checkins", _set("checked_at", 0, __import__("datetime").datetime(1901, 1, 1)), r"1901-01-01 is outside"),
    ],
)
def test_restore_checks_values_like_the_forms(good_backup, store, table, edit, message):
    generate(store, weeks=3, seed=9)
    before = store.account.row_counts()
    with pytest.raises(ValidationError, match=message + ".*Nothing was changed"):
        restore_backup(store, _edit_table(good_backup, table, edit))
    assert store.account.row_counts() == before


def test_a_valid_backup_still_restores(good_backup, store):
    restored = restore_backup(store, good_backup)["restored"]
    assert restored["applications"] == store.applications.count() > 0


# -- Streamlit's upload limit ------------------------------------------------------------------------------
def test_streamlit_upload_limit_agrees_with_rebound():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == limits.MAX_UPLOAD_MB
    from rebound.backup import MAX_BACKUP_BYTES

    assert MAX_BACKUP_BYTES == limits.MAX_UPLOAD_MB * limits.MB


@pytest.mark.slow
def test_the_cli_refuses_an_oversized_backup_before_reading_it(tmp_path):
    huge = tmp_path / "huge.zip"
    with open(huge, "wb") as fh:  # sparse: takes no disk, but states its size
        fh.truncate(limits.MAX_UPLOAD_MB * limits.MB + 1)
    run = subprocess.run(
        [sys.executable, "-m", "rebound", "restore", str(huge), "--yes", "--db", str(tmp_path / "x.duckdb")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 1 and "larger than the 200 MB" in run.stderr and "Traceback" not in run.stderr


# -- the red team's lying footer: refused by the fenced worker's memory ceiling, measured from outside ---------
SERVER_PEAK_MB = 600  # the server (here: `rebound restore`) while a bomb is refused


@pytest.mark.slow
def test_a_backup_whose_parquet_footer_lies_is_refused_while_the_server_stays_small(good_backup, tmp_path):
    """A ~100 KB backup whose footer says 1 byte where the notes decode to 2 GB. Before the fence,
    the 256 MB check fired only after a whole batch was decoded (the red team's server went from
    237 MB to 4.26 GB). Now the read runs in the fenced worker, which hits its address-space
    ceiling; the restoring process itself never holds the decoded data."""
    from child_peak import peak_from_outside

    from rebound.db import Database
    from rebound.store import Store

    path = tmp_path / "lying.zip"
    path.write_bytes(lying_footer(good_backup))
    assert path.stat().st_size < 1 * MB  # a tiny upload
    target = tmp_path / "target.duckdb"
    store = Store(Database(str(target)), "local")
    generate(store, weeks=3, seed=4)
    before = store.account.row_counts()
    store.db.close()
    code, err, peak = peak_from_outside(
        [sys.executable, "-m", "rebound", "restore", str(path), "--yes", "--db", str(target)], timeout=240
    )
    print(f"lying footer: server peak {peak:.0f} MB; {err.strip()}")
    assert peak < SERVER_PEAK_MB, (peak, err[-2000:])
    assert code == 1 and "Traceback" not in err, err[-2000:]
    assert "This file needs more memory than Rebound allows for one restore; nothing was changed." in err
    db = Database(str(target))
    assert Store(db, "local").account.row_counts() == before
    db.close()
