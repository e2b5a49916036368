"""One-file backups that any later Rebound can restore.

A backup is a .zip holding `manifest.json` (format version, schema version, app version, and per
table its file, row count, columns and SHA-256) and one Parquet file per table with the user's rows
(no user id, so it restores for any user, on any machine, into any later schema).

Restore checks the whole file first (manifest, versions, checksums, row counts, required columns),
saves the current data aside as a backup file, then replaces the user's rows in one transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from rebound.config import is_local_file
from rebound.outcomes import ValidationError

FORMAT = "rebound-backup"
FORMAT_VERSION = 1
MAX_BACKUP_BYTES = 500 * 1024 * 1024


def app_version() -> str:
    try:
        from importlib.metadata import version

        return version("rebound")
    except Exception:  # running from a source tree without an installed package
        return "0.0.0"


def make_backup(store) -> bytes:
    """The user's whole history as one portable, versioned .zip."""
    import pyarrow.parquet as pq

    tables, buf = {}, io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for table in store.user_tables():
            arrow = store.export_arrow(table)
            out = io.BytesIO()
            pq.write_table(arrow, out, compression="zstd")
            data = out.getvalue()
            name = f"tables/{table}.parquet"
            z.writestr(name, data)
            tables[table] = {"file": name, "rows": arrow.num_rows, "columns": arrow.column_names,
                             "sha256": hashlib.sha256(data).hexdigest()}
        manifest = {
            "format": FORMAT, "format_version": FORMAT_VERSION, "schema_version": store.schema_version(),
            "app_version": app_version(),
            "created_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "tables": tables,
        }
        z.writestr("manifest.json", json.dumps(manifest, indent=2))
        z.writestr("README.txt", "A Rebound backup. Restore it on the Data page or with `rebound restore FILE`.\n"
                                 "Each tables/*.parquet file is one table of your data; manifest.json describes them.\n")
    return buf.getvalue()


def backup_name(prefix: str = "rebound-backup") -> str:
    return f"{prefix}-{dt.datetime.now():%Y%m%d-%H%M%S}.zip"


@dataclass
class BackupInfo:
    manifest: dict
    tables: dict                                     # name -> pyarrow Table (only tables this Rebound has)
    warnings: list[str] = field(default_factory=list)

    @property
    def created_at(self) -> str:
        return self.manifest.get("created_at", "?")

    @property
    def counts(self) -> dict[str, int]:
        return {t: a.num_rows for t, a in self.tables.items()}

    def summary(self) -> str:
        apps = self.counts.get("applications", 0)
        total = sum(self.counts.values())
        return (f"Backup from {self.created_at} (Rebound {self.manifest.get('app_version', '?')}, schema "
                f"{self.manifest.get('schema_version')}): {apps:,} applications, {total:,} rows in all.")


def read_backup(store, data: bytes) -> BackupInfo:
    """Validate a backup completely, without touching the database. Raises ValidationError."""
    import pyarrow.parquet as pq

    if len(data) > MAX_BACKUP_BYTES:
        raise ValidationError(f"The file is {len(data) / 1e6:.0f} MB, larger than any Rebound backup should be.")
    if not data.startswith(b"PK"):
        raise ValidationError("This is not a Rebound backup (it is not a .zip file).")
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ValidationError("This backup is damaged: the .zip can't be read.") from None
    with z:
        try:
            manifest = json.loads(z.read("manifest.json"))
        except KeyError:
            raise ValidationError("This .zip is not a Rebound backup (it has no manifest.json).") from None
        except (ValueError, zipfile.BadZipFile):
            raise ValidationError("This backup is damaged: its manifest can't be read.") from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise ValidationError("This .zip is not a Rebound backup (its manifest is of another kind).")
        version = manifest.get("format_version")
        if not isinstance(version, int) or version < 1:
            raise ValidationError("This backup's manifest has no valid format version.")
        if version > FORMAT_VERSION:
            raise ValidationError(f"This backup was made by a newer Rebound ({manifest.get('app_version')}, backup "
                                  f"format {version}). Update Rebound, then restore it.")
        schema = manifest.get("schema_version")
        current = store.schema_version()
        if not isinstance(schema, int):
            raise ValidationError("This backup's manifest has no valid schema version.")
        if schema > current:
            raise ValidationError(f"This backup comes from a newer Rebound (database schema {schema}; this one has "
                                  f"{current}). Update Rebound, then restore it. Nothing was changed.")
        listed = manifest.get("tables")
        if not isinstance(listed, dict) or "applications" not in listed:
            raise ValidationError("This backup's manifest lists no tables.")
        ours = set(store.user_tables())
        tables, warnings = {}, []
        for table, meta in listed.items():
            if not isinstance(meta, dict) or not isinstance(meta.get("file"), str):
                raise ValidationError(f"This backup's manifest is damaged (entry {table!r}).")
            try:
                raw = z.read(meta["file"])
            except KeyError:
                raise ValidationError(f"This backup is incomplete: {meta['file']} is missing.") from None
            except zipfile.BadZipFile:
                raise ValidationError(f"This backup is damaged: {meta['file']} can't be read.") from None
            if hashlib.sha256(raw).hexdigest() != meta.get("sha256"):
                raise ValidationError(f"This backup is damaged: {meta['file']} does not match its checksum.")
            try:
                arrow = pq.read_table(io.BytesIO(raw))
            except Exception:
                raise ValidationError(f"This backup is damaged: {meta['file']} is not a readable Parquet file.") from None
            if arrow.num_rows != meta.get("rows"):
                raise ValidationError(f"This backup is damaged: {table} has {arrow.num_rows} rows, "
                                      f"the manifest says {meta.get('rows')}.")
            if table not in ours:
                if arrow.num_rows:
                    warnings.append(f"The backup's table {table!r} ({arrow.num_rows} rows) no longer exists in this "
                                    "version of Rebound and will not be restored.")
                continue
            needed = [c["name"] for c in store.table_columns(table)
                      if not c["nullable"] and not c["has_default"] and c["name"] != "user_id"]
            missing = [c for c in needed if c not in arrow.column_names]
            if missing:
                raise ValidationError(f"This backup can't be restored: table {table} lacks the column(s) "
                                      f"{', '.join(missing)}.")
            tables[table] = arrow
        return BackupInfo(manifest, tables, warnings)


def aside_dir(store) -> Path:
    """Where the previous data is kept when restoring: a `backups` folder next to the database."""
    if is_local_file(store.db.path):
        return Path(store.db.path).resolve().parent / "backups"
    return Path("data") / "backups"


def restore_backup(store, data: bytes, keep_aside: bool = True, during=None) -> dict:
    """Validate, keep the current data aside, then replace it with the backup in one transaction.

    Returns {"restored": {table: rows}, "aside": path or None, "warnings": [...]}.
    """
    info = read_backup(store, data)
    aside = None
    if keep_aside and any(store.row_counts().values()):
        folder = aside_dir(store)
        folder.mkdir(parents=True, exist_ok=True)
        aside = folder / backup_name("rebound-before-restore")
        aside.write_bytes(make_backup(store))
    restored = store.replace_all(info.tables, during=during)
    return {"restored": restored, "aside": str(aside) if aside else None, "warnings": info.warnings}


# -- CLI: rebound backup / rebound restore ---------------------------------------------------------------
def add_cli(sub, common) -> None:
    b = sub.add_parser("backup", parents=[common], help="write a full, portable backup file (.zip)")
    b.add_argument("-o", "--output", help="backup file to write (default: rebound-backup-DATE-TIME.zip)")
    b.set_defaults(func=_cmd_backup)
    r = sub.add_parser("restore", parents=[common], help="replace your data with a backup (the current data is kept aside)")
    r.add_argument("file", help="a backup .zip made by `rebound backup` or the Data page")
    r.add_argument("--yes", action="store_true", help="don't ask for confirmation")
    r.set_defaults(func=_cmd_restore)


def _cmd_backup(args) -> int:
    from rebound.cli import _open

    store = _open(args)
    data = make_backup(store)
    path = args.output or backup_name()
    Path(path).write_bytes(data)
    counts = store.row_counts()
    print(f"Backup written to {path} ({len(data):,} bytes; {counts.get('applications', 0):,} applications, "
          f"{sum(counts.values()):,} rows in all).")
    return 0


def _cmd_restore(args) -> int:
    import sys

    from rebound.cli import _open

    path = Path(args.file)
    if not path.is_file():
        print(f"rebound: no such file: {args.file}", file=sys.stderr)
        return 2
    store = _open(args)
    data = path.read_bytes()
    try:
        info = read_backup(store, data)
    except ValidationError as error:
        print(f"rebound: {error}", file=sys.stderr)
        return 1
    print(info.summary())
    for warning in info.warnings:
        print(f"note: {warning}", file=sys.stderr)
    if not args.yes:
        if not sys.stdin.isatty():
            print("rebound: restoring replaces all your current data; add --yes to confirm.", file=sys.stderr)
            return 2
        if input("Replace all your current data with this backup? Type 'restore' to go on: ").strip() != "restore":
            print("Nothing was changed.")
            return 1
    try:
        result = restore_backup(store, data)
    except ValidationError as error:
        print(f"rebound: {error}", file=sys.stderr)
        return 1
    if result["aside"]:
        print(f"Your previous data was saved to {result['aside']}.")
    print("Restored " + ", ".join(f"{n:,} {t}" for t, n in result["restored"].items() if n) + ".")
    return 0
