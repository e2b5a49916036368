"""One-file backups that any later Rebound can restore.

A backup is a .zip holding `manifest.json` (format version, schema version, app version, and per
table its file, row count, columns and SHA-256) and one Parquet file per table with the user's rows
(no user id, so it restores for any user, on any machine, into any later schema).

A backup may be encrypted with a passphrase of its own (make_backup(store, passphrase=...)): the
same .zip, sealed by rebound.passphrase.seal (AES-256-GCM, key by scrypt, a header stating the cost;
the layout is documented there) and named …zip.enc. Restore recognises it by its header, not by its
name: decrypt_backup turns it back into the .zip, which is then read exactly as a plain backup.

Restore checks the whole file first (manifest, versions, checksums, row counts, required columns),
saves the current data aside as a backup file, then replaces the user's rows in one transaction. A
restore that fails removes the copy it saved; one that succeeds prunes older copies (prune_aside).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import time
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rebound import fence, limits, passphrase
from rebound.config import is_local_file
from rebound.errors import ValidationError

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    import pyarrow as pa

    from rebound.store import Store

FORMAT = "rebound-backup"
FORMAT_VERSION = 1
# Limits (see rebound.limits): a backup is a zip of compressed Parquet files, so it unpacks to
# about its own size; what can explode is a member, the manifest or a Parquet file that decodes
# to far more than it stores. Each is refused from what it states before it is read.
MAX_BACKUP_BYTES = limits.MAX_UPLOAD_MB * limits.MB  # the packed file: what the Data page accepts
MAX_MANIFEST_BYTES = 1 * limits.MB  # a manifest lists a dozen tables in a few KB
MAX_BACKUP_ROWS = 2_000_000  # all tables together: years of heavy use
MAX_BACKUP_MEMORY = 256 * limits.MB  # the decoded tables held in memory at once
PARQUET_BATCH_ROWS = 1024  # read this many rows at a time while counting
ENCRYPTED_SUFFIX = ".enc"  # an encrypted backup's name: rebound-backup-DATE-TIME.zip.enc
PASSPHRASE_ENV_VAR = "REBOUND_BACKUP_PASSPHRASE"  # the CLI's passphrase of a backup (made or restored)


def app_version() -> str:
    try:
        from importlib.metadata import version

        return version("rebound")
    except Exception:  # running from a source tree without an installed package
        return "0.0.0"


def make_backup(store: Store, passphrase: str | None = None) -> bytes:
    """The user's whole history as one portable, versioned .zip; encrypted with `passphrase` if one
    is given (encrypt_backup)."""
    data = _make_zip(store)
    return encrypt_backup(data, passphrase) if passphrase is not None else data


def encrypt_backup(data: bytes, words: str) -> bytes:
    """A backup .zip sealed with a passphrase (rebound.passphrase.seal: AES-256-GCM, key by scrypt)."""
    return passphrase.seal(data, words)


def is_encrypted_backup(data: bytes) -> bool:
    """Is this file an encrypted backup? (Read from its header, never from its name.)"""
    return passphrase.is_sealed(data)


def decrypt_backup(data: bytes, words: str) -> bytes:
    """The .zip inside an encrypted backup, or ValidationError (too big, a wrong passphrase, cut short,
    changed, a header that lies about its sizes or asks for a key derivation above the ceiling)."""
    _not_too_big(data)
    return passphrase.unseal(data, words, MAX_BACKUP_BYTES, what="This encrypted backup")


def _not_too_big(data: bytes) -> None:
    if len(data) > MAX_BACKUP_BYTES:
        raise ValidationError(
            f"The file is {len(data) / limits.MB:,.0f} MB, larger than the "
            f"{limits.MAX_UPLOAD_MB} MB a Rebound backup may have."
        )


def _make_zip(store: Store) -> bytes:
    import pyarrow.parquet as pq

    tables, buf = {}, io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for table in store.account.user_tables():
            arrow = store.account.export_arrow(table)
            out = io.BytesIO()
            pq.write_table(arrow, out, compression="zstd")
            data = out.getvalue()
            name = f"tables/{table}.parquet"
            z.writestr(name, data)
            tables[table] = {
                "file": name,
                "rows": arrow.num_rows,
                "columns": arrow.column_names,
                "sha256": hashlib.sha256(data).hexdigest(),
            }
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "schema_version": store.account.schema_version(),
            "app_version": app_version(),
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "tables": tables,
        }
        z.writestr("manifest.json", json.dumps(manifest, indent=2))
        z.writestr(
            "README.txt",
            "A Rebound backup. Restore it on the Data page or with `rebound restore FILE`.\n"
            "Each tables/*.parquet file is one table of your data; manifest.json describes them.\n",
        )
    return buf.getvalue()


def backup_name(prefix: str = "rebound-backup", encrypted: bool = False) -> str:
    return f"{prefix}-{dt.datetime.now():%Y%m%d-%H%M%S}.zip" + (ENCRYPTED_SUFFIX if encrypted else "")


@dataclass
class BackupInfo:
    manifest: dict
    tables: dict  # name -> pyarrow Table (only tables this Rebound has)
    warnings: list[str] = field(default_factory=list)
    rows: dict = field(default_factory=dict)  # name -> row count (the manifest's, for a preview)

    @property
    def created_at(self) -> str:
        return self.manifest.get("created_at", "?")

    @property
    def counts(self) -> dict[str, int]:
        return {**self.rows, **{t: a.num_rows for t, a in self.tables.items()}}

    def summary(self) -> str:
        apps = self.counts.get("applications", 0)
        total = sum(self.counts.values())
        return (
            f"Backup from {self.created_at} (Rebound {self.manifest.get('app_version', '?')}, schema "
            f"{self.manifest.get('schema_version')}): {apps:,} applications, {total:,} rows in all."
        )


@dataclass(frozen=True)
class Target:
    """What a restore checks a backup against, read from the database by the parent: the fenced
    worker that reads the backup never opens the database (one process holds a DuckDB file)."""

    schema_version: int
    columns: Mapping[str, list[dict]]  # each user table (parents first) -> its columns

    @classmethod
    def of(cls, store: Store) -> Target:
        account = store.account
        return cls(account.schema_version(), {t: account.table_columns(t) for t in account.user_tables()})


def _open(data: bytes) -> zipfile.ZipFile:
    _not_too_big(data)
    if is_encrypted_backup(data):
        raise ValidationError("This backup is encrypted: it needs its passphrase first.")
    if not data.startswith(b"PK"):
        raise ValidationError("This is not a Rebound backup (it is not a .zip file).")
    try:
        return limits.open_zip(data, "This backup", max_unpacked=limits.MAX_UNPACKED_BYTES)
    except ValidationError as error:
        if "not a readable .zip" in str(error):
            raise ValidationError("This backup is damaged: the .zip can't be read.") from None
        raise


def _manifest(target: Target, z: zipfile.ZipFile) -> dict:
    """The manifest, checked: format, versions, and a table list whose stated rows fit the limits."""
    try:
        raw = limits.read_member(z, "manifest.json", "This backup", MAX_MANIFEST_BYTES)
    except KeyError:
        raise ValidationError("This .zip is not a Rebound backup (it has no manifest.json).") from None
    try:
        manifest = json.loads(raw)
    except ValueError:
        raise ValidationError("This backup is damaged: its manifest can't be read.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ValidationError("This .zip is not a Rebound backup (its manifest is of another kind).")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version < 1:
        raise ValidationError("This backup's manifest has no valid format version.")
    if version > FORMAT_VERSION:
        raise ValidationError(
            f"This backup was made by a newer Rebound ({manifest.get('app_version')}, backup "
            f"format {version}). Update Rebound, then restore it."
        )
    schema = manifest.get("schema_version")
    current = target.schema_version
    if not isinstance(schema, int):
        raise ValidationError("This backup's manifest has no valid schema version.")
    if schema > current:
        raise ValidationError(
            f"This backup comes from a newer Rebound (database schema {schema}; this one has "
            f"{current}). Update Rebound, then restore it. Nothing was changed."
        )
    listed = manifest.get("tables")
    if not isinstance(listed, dict) or "applications" not in listed:
        raise ValidationError("This backup's manifest lists no tables.")
    for table, meta in listed.items():
        if (
            not isinstance(meta, dict)
            or not isinstance(meta.get("file"), str)
            or not isinstance(meta.get("rows"), int)
            or meta["rows"] < 0
        ):
            raise ValidationError(f"This backup's manifest is damaged (entry {str(table)[:60]!r}).")
    stated = sum(meta["rows"] for meta in listed.values())
    if stated > MAX_BACKUP_ROWS:
        raise ValidationError(
            f"This backup holds {stated:,} rows, more than the {MAX_BACKUP_ROWS:,} Rebound "
            "restores. Nothing was changed."
        )
    return manifest


def _too_big(file: str) -> ValidationError:
    return ValidationError(
        f"This backup can't be restored safely: {file} unpacks to more than the "
        f"{MAX_BACKUP_MEMORY / limits.MB:,.0f} MB Rebound reads. Nothing was changed."
    )


def _decoded_bytes(array: pa.Array) -> int:
    """What an Arrow array takes once its dictionaries are decoded, computed without decoding."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_dictionary(array.type):
        if pa.types.is_string(array.type.value_type) or pa.types.is_binary(array.type.value_type):
            lengths = pc.binary_length(array.dictionary)
            decoded = pc.sum(pc.take(lengths, array.indices)).as_py() or 0
            return decoded + 4 * (len(array) + 1) + array.indices.nbytes
        return array.nbytes * 8  # a dictionary of numbers: never written by Rebound; count it dear
    if pa.types.is_list(array.type) or pa.types.is_large_list(array.type):
        return (len(array) + 1) * 8 + _decoded_bytes(pc.list_flatten(array))
    return array.nbytes


def _read_parquet(raw: bytes, file: str, rows_left: int, memory_left: int) -> pa.Table:
    """A Parquet file as a pyarrow Table, refused from its metadata (rows, stated sizes) before
    reading anything, then read with text kept dictionary-encoded while its decoded size is
    counted: a file that decodes to far more than it stores (one long value repeated a million
    times) is refused at the limit instead of filling the memory."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        plain = pq.ParquetFile(io.BytesIO(raw))
        meta = plain.metadata
        groups = [meta.row_group(i) for i in range(meta.num_row_groups)]
        leaves = [g.column(j) for g in groups for j in range(g.num_columns)]
        text = [c.path_in_schema for c in leaves[: meta.num_columns] if c.physical_type == "BYTE_ARRAY"]
    except Exception:
        raise ValidationError(f"This backup is damaged: {file} is not a readable Parquet file.") from None
    if meta.num_rows > rows_left:
        raise ValidationError(
            f"This backup holds more than the {MAX_BACKUP_ROWS:,} rows Rebound restores "
            f"({file} alone has {meta.num_rows:,}). Nothing was changed."
        )
    stated = sum(g.total_byte_size for g in groups)
    values = sum(c.num_values for c in leaves)
    if stated > memory_left or values > MAX_BACKUP_ROWS * max(meta.num_columns, 1):
        raise _too_big(file)
    batches, used = [], 0
    try:
        encoded = pq.ParquetFile(io.BytesIO(raw), read_dictionary=text)
        for batch in encoded.iter_batches(batch_size=PARQUET_BATCH_ROWS, use_threads=False):
            used += sum(_decoded_bytes(column) for column in batch.columns)
            if used > memory_left:
                raise _too_big(file)
            batches.append(batch)
        table = pa.Table.from_batches(batches, schema=encoded.schema_arrow)
        return table.cast(plain.schema_arrow)  # decoded now that its size is known to fit
    except ValidationError:
        raise
    except Exception:
        raise ValidationError(f"This backup is damaged: {file} is not a readable Parquet file.") from None


def preview_backup(store: Store, data: bytes) -> BackupInfo:
    """What a backup says it holds, from its manifest alone: enough to show before restoring (the
    Data page shows this as soon as a file is chosen; the tables are read only by `read_backup`).
    Read in the fenced worker."""
    return fence.run(preview_with, Target.of(store), data, what="one restore")


def preview_with(target: Target, data: bytes) -> BackupInfo:
    """preview_backup's reading, in this process (the fenced worker runs it)."""
    with _open(data) as z:
        manifest = _manifest(target, z)
    ours = set(target.columns)
    rows, warnings = {}, []
    for table, meta in manifest["tables"].items():
        if table in ours:
            rows[table] = meta["rows"]
        elif meta["rows"]:
            warnings.append(
                f"The backup's table {str(table)[:60]!r} ({meta['rows']} rows) no longer exists in "
                "this version of Rebound and will not be restored."
            )
    return BackupInfo(manifest, {}, warnings, rows)


def read_backup(store: Store, data: bytes) -> BackupInfo:
    """Validate a backup completely, without touching the database, in the fenced worker (its
    memory, CPU time and the tables it sends back bounded by the operating system). Raises
    ValidationError (FenceError for a ceiling)."""
    return fence.run(read_with, Target.of(store), data, what="one restore", max_result=limits.WORKER_RESTORE_BYTES)


def read_with(target: Target, data: bytes) -> BackupInfo:
    """read_backup's reading, in this process (the fenced worker runs it)."""
    from rebound.backup_checks import check_values

    with _open(data) as z:
        manifest = _manifest(target, z)
        ours = set(target.columns)
        tables, columns, warnings = {}, {}, []
        rows_left, memory_left = MAX_BACKUP_ROWS, MAX_BACKUP_MEMORY
        for table, meta in manifest["tables"].items():
            try:
                raw = limits.read_member(z, meta["file"], "This backup", min(MAX_BACKUP_BYTES, memory_left))
            except KeyError:
                raise ValidationError(f"This backup is incomplete: {meta['file'][:200]} is missing.") from None
            if hashlib.sha256(raw).hexdigest() != meta.get("sha256"):
                raise ValidationError(f"This backup is damaged: {meta['file'][:200]} does not match its checksum.")
            arrow = _read_parquet(raw, meta["file"][:200], rows_left, memory_left)
            rows_left -= arrow.num_rows
            memory_left -= arrow.nbytes
            if arrow.num_rows != meta.get("rows"):
                raise ValidationError(
                    f"This backup is damaged: {table} has {arrow.num_rows} rows, the manifest says {meta.get('rows')}."
                )
            if table not in ours:
                if arrow.num_rows:
                    warnings.append(
                        f"The backup's table {str(table)[:60]!r} ({arrow.num_rows} rows) no longer "
                        "exists in this version of Rebound and will not be restored."
                    )
                continue
            columns[table] = target.columns[table]
            needed = [
                c["name"]
                for c in columns[table]
                if not c["nullable"] and not c["has_default"] and c["name"] != "user_id"
            ]
            missing = [c for c in needed if c not in arrow.column_names]
            if missing:
                raise ValidationError(
                    f"This backup can't be restored: table {table} lacks the column(s) {', '.join(missing)}."
                )
            tables[table] = arrow
        check_values(tables, columns)
        return BackupInfo(manifest, tables, warnings)


def aside_dir(store: Store) -> Path:
    """Where this user's previous data is kept when restoring: `backups/<user>/` next to the
    database (the folder is named by a hash of the user id: one person's copies never share a
    name, or a folder, with another's)."""
    base = Path(store.db.path).resolve().parent if is_local_file(store.db.path) else Path("data")
    return base / "backups" / hashlib.sha256(store.user_id.encode("utf-8")).hexdigest()[:24]


# Copies kept aside are pruned after each restore that made one (README, "Copies kept aside"): per
# database file, the newest KEEP_ASIDE stay, and none older than KEEP_ASIDE_DAYS, except the ones the
# user marked to keep by adding KEEP_MARK to the name (…-keep.zip); a file renamed otherwise is not a
# name Rebound gave, so it is never touched either.
KEEP_ASIDE = 5
KEEP_ASIDE_DAYS = 30
KEEP_MARK = "-keep"
ASIDE_PREFIX = "rebound-before-restore-"
_ASIDE_NAME = re.compile(
    re.escape(ASIDE_PREFIX) + r"(?:(?P<db>.+)-)?\d{8}-\d{6}-[0-9a-f]{8}(?P<keep>" + re.escape(KEEP_MARK) + r")?\.zip"
)


def _db_tag(store: Store) -> str:
    """The database file's name as it appears in its copies' names (one file's copies are pruned together)."""
    return re.sub(r"[^A-Za-z0-9._]", "_", Path(store.db.path).name)[:80] or "db"


def save_aside(store: Store) -> Path:
    """Write the user's current data to a new file in aside_dir, named after the database file and
    the moment. Never overwrites one (mode 'x'), and never leaves half a file under the final name:
    it is written as .partial, then linked."""
    folder = aside_dir(store)
    folder.mkdir(parents=True, exist_ok=True)
    data = _make_zip(store)
    stamp = f"{dt.datetime.now():%Y%m%d-%H%M%S}"
    while True:
        path = folder / f"{ASIDE_PREFIX}{_db_tag(store)}-{stamp}-{uuid.uuid4().hex[:8]}.zip"
        partial = path.with_name(path.name + ".partial")
        try:
            fh = open(partial, "xb")  # noqa: SIM115 (the `with fh` below closes it; "x" refuses a name drawn twice)
        except FileExistsError:  # a suffix drawn twice: draw again
            continue
        try:
            with fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.link(partial, path)  # fails if the name exists: nothing is ever replaced
            return path
        except FileExistsError:
            continue
        finally:
            partial.unlink(missing_ok=True)


def prune_aside(store: Store, made: Path | None = None) -> list[Path]:
    """Remove this database's copies kept aside beyond the newest KEEP_ASIDE and those older than
    KEEP_ASIDE_DAYS (by the file's time), never one marked to keep (`…-keep.zip`), never `made` (the
    copy just written), never another database's. Copies named before names held the database
    (no database in the name) go by age only. Returns what was removed; a file that can't be
    removed is left (pruning never fails a restore)."""
    folder = aside_dir(store)
    if not folder.is_dir():
        return []
    tag = _db_tag(store)
    oldest = time.time() - KEEP_ASIDE_DAYS * 86400
    ours, untagged = [], []
    for path in folder.iterdir():
        match = _ASIDE_NAME.fullmatch(path.name)
        if not match or match.group("keep") or not path.is_file():
            continue
        if match.group("db") == tag:
            ours.append(path)
        elif match.group("db") is None:
            untagged.append(path)
    ours.sort(key=lambda p: (p.stat().st_mtime, p.name), reverse=True)
    drop = ours[KEEP_ASIDE:] + [p for p in ours[:KEEP_ASIDE] + untagged if p.stat().st_mtime < oldest]
    removed = []
    for path in drop:
        if made is not None and path == made:
            continue
        try:
            path.unlink()
        except OSError:
            continue
        removed.append(path)
    return removed


def delete_aside_copies(store: Store) -> int:
    """Remove the copies restores kept aside for this user (and nobody else's); returns how many."""
    folder = aside_dir(store)
    if not folder.is_dir():
        return 0
    removed = 0
    for path in folder.glob("rebound-before-restore-*.zip*"):  # with any .partial a crash left
        path.unlink(missing_ok=True)
        removed += path.suffix == ".zip"
    try:
        folder.rmdir()
    except OSError:  # something else is in it: leave it
        pass
    return removed


def delete_everything(store: Store) -> dict[str, int]:
    """ "Delete all my data": every row of this user (counts returned), then the copies restores
    kept aside for them on the server's disk."""
    counts = store.account.delete_all_data()
    delete_aside_copies(store)
    return counts


def keeps_aside(store: Store) -> bool:
    """Does a restore here keep the current data aside first? Not in a browser session's private
    database: nothing of it goes to disk (and the page must not say it does)."""
    return store.db.path != ":memory:"


def pruned_note(pruned: int) -> str:
    """What a restore's summary adds about the older copies aside it removed ('' for none)."""
    if not pruned:
        return ""
    return (
        f" {pruned} older cop{'ies' if pruned != 1 else 'y'} kept aside {'were' if pruned != 1 else 'was'} "
        f"removed (the {KEEP_ASIDE} newest are kept, none older than {KEEP_ASIDE_DAYS} days, except those named …{KEEP_MARK}.zip)."
    )


def restored_once(already_there: int) -> str:
    """What a restore's summary adds about the events a backup held twice ('' for none)."""
    if not already_there:
        return ""
    n = f"{already_there:,} event{'s' if already_there != 1 else ''}"
    return (
        f" {n} the backup held twice {'were' if already_there != 1 else 'was'} already on the timeline: restored once."
    )


def restore_backup(
    store: Store,
    data: bytes,
    keep_aside: bool = True,
    during: Callable[[], object] | None = None,
    info: BackupInfo | None = None,
) -> dict:
    """Validate (in the fenced worker, unless `info` is what read_backup returned for `data`), keep
    the current data aside, then replace it with the backup in one transaction.

    Returns {"restored": {table: rows}, "already_there": events held twice and restored once,
    "aside": path or None, "pruned": older copies aside removed (prune_aside), "warnings": [...]}.
    """
    from rebound.backup_checks import FUTURE_SLACK

    info = info if info is not None and info.tables else read_backup(store, data)
    aside = None
    if keep_aside and keeps_aside(store) and any(store.account.row_counts().values()):
        aside = save_aside(store)
    try:
        # the dates read_backup accepted (a clock running ahead) are the dates the timeline's door accepts
        restored = store.account.replace_all(info.tables, during=during, today=dt.date.today() + FUTURE_SLACK)
    except BaseException:  # nothing was changed: nothing is left behind either
        if aside is not None:
            aside.unlink(missing_ok=True)
        raise
    pruned = prune_aside(store, made=aside) if aside is not None else []
    already = restored.pop("already there", 0)  # events the backup held twice, restored once
    return {
        "restored": restored,
        "already_there": already,
        "aside": str(aside) if aside else None,
        "pruned": len(pruned),
        "warnings": info.warnings,
    }
