"""Connect to DuckDB, migrate forward, run writes as single transactions.

Everything that touches the database file goes through `Database`. Errors that
a person can fix (file locked by another process, not a DuckDB file, encrypted
without its passphrase, written by a newer DuckDB) become `DatabaseError`s with
a plain message instead of a traceback.

An encrypted file (rebound.passphrase) is opened by attaching it, with its key,
to an in-memory DuckDB named after the file (so two `Database` objects on one
file in this process share it, as DuckDB shares a plain file's instance), with
the httpfs extension loaded: DuckDB writes encrypted blocks only through its
OpenSSL. `rewrite()` encrypts, decrypts or changes the key of a closed file as
one rename: the file is either fully old or fully new.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import re
import shutil
import threading
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import TypeVar

import duckdb

from rebound.cache import RESULTS
from rebound.config import is_local_file, other_writers_possible
from rebound.errors import DatabaseError, DatabaseFileError, DatabaseLockedError, PassphraseNeeded
from rebound.passphrase import fsync_dir, is_encrypted, salt_path, storage_version

MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")
T = TypeVar("T")


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) for every bundled migration, in order."""
    found = []
    for entry in resources.files("rebound.migrations").iterdir():
        match = MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


ENCRYPTED_CATALOG = "rebound"  # the name an encrypted file is attached under
NEEDS_PASSPHRASE = "This database is encrypted: enter its passphrase."
WRONG_PASSPHRASE = "That passphrase does not open this database (nothing was read or changed). Try again."


def needs_passphrase(path: str) -> bool:
    """Is this a local file that only opens with a passphrase?"""
    return is_local_file(path) and is_encrypted(path)


def _friendly(error: Exception, path: str) -> DatabaseError:
    text = str(error)
    if "Cannot open encrypted database" in text:
        return PassphraseNeeded(NEEDS_PASSPHRASE)
    if "Wrong encryption key" in text:
        return PassphraseNeeded(WRONG_PASSPHRASE)
    newer = re.search(r"version number (\d+), but we can only read versions between (\d+) and (\d+)", text)
    if newer:
        return DatabaseFileError(
            f"The file {path} was written by a newer DuckDB (storage version {newer.group(1)}) than the one "
            f"Rebound runs on ({duckdb.__version__}, which reads versions {newer.group(2)}-{newer.group(3)}), "
            "perhaps by opening it in a DuckDB 2 client. Rebound left it untouched and never converts a "
            "file by itself. Open it with Rebound on a newer DuckDB, or restore a Rebound backup into a new file."
        )
    if "Could not set lock" in text or "Conflicting lock" in text:
        holder = re.search(r"held in (.+?) \(PID (\d+)\)", text)
        who = f" (process {holder.group(2)}, {Path(holder.group(1)).name})" if holder else ""
        return DatabaseLockedError(
            f"The database {path} is in use by another program{who}. DuckDB lets only one "
            "program open a file at a time. Close the other Rebound window or command "
            "(for example a `rebound` CLI run or a second `streamlit run`), then try again."
        )
    if "replaying WAL" in text or "WAL file" in text:
        # DuckDB names the .wal in its message; the main file holds every checkpointed row.
        return DatabaseFileError(
            f"The file {path}.wal (DuckDB's log of the latest changes, not yet written into {path}) is "
            f"damaged, so the database can't open. {path} itself was left untouched. Move only {path}.wal "
            f"aside (for example rename it to {Path(path).name}.wal.damaged) and start Rebound again: "
            "everything saved up to the last checkpoint is kept; only the changes still in the log are lost."
        )
    if "Could not read enough bytes" in text:  # DuckDB 1.5 meets a cut-short file while opening it
        return _truncated(path)
    if "not a valid DuckDB database" in text or "Unable to read" in text or "Corrupt" in text or "truncated" in text:
        return DatabaseFileError(
            f"The file {path} is not a Rebound database DuckDB can read: it is damaged (cut short or corrupted) "
            "or not a DuckDB file. It was left untouched. Restore a backup into a new file, point Rebound "
            "at another file with --db or REBOUND_DB, or move this file away to start fresh."
        )
    return DatabaseError(f"Could not open the database {path}: {text}")


def friendly(error: Exception, path: str) -> Exception:
    """A DatabaseError for a duckdb error a person can act on (a damaged file, a lock), else `error`."""
    mapped = _friendly(error, path)
    return mapped if type(mapped) is not DatabaseError else error


def _check_not_truncated(conn: duckdb.DuckDBPyConnection, path: str) -> None:
    """DuckDB opens a file that was cut short and fails only when a query reaches a missing block
    (in the middle of a page); compare the file with the size its own header states instead."""
    row = conn.execute(
        "SELECT block_size, total_blocks FROM pragma_database_size() WHERE database_name = current_database()"
    ).fetchone()
    if row is None:  # DuckDB describes every database it has open: never, but then there is nothing to compare
        return
    block_size, total_blocks = row
    if Path(path).stat().st_size < block_size * total_blocks:
        raise _truncated(path)


def _truncated(path: str) -> DatabaseFileError:
    return DatabaseFileError(
        f"The file {path} is damaged: it is shorter than the database it holds (cut short while it was "
        "copied or written). It was left untouched. Restore a backup into a new file, point Rebound at "
        "another file with --db or REBOUND_DB, or move this file away to start fresh."
    )


# -- a write-ahead log cut short ------------------------------------------------------------------
# DuckDB (1.5.3 and 1.5.5, measured: tests/store/test_wal.py) replays a .wal that a crash cut short
# without a word: every transaction whose entries are complete comes back, the one the cut went
# through is dropped, and the .wal is gone at the next checkpoint. So Rebound reads the log's framing
# itself before DuckDB opens it: after an 8-byte version entry (format 2), each entry is its size
# (8 bytes), a checksum (8 bytes) and that many bytes, whose first field says its kind; a log DuckDB
# wrote to the end stops right after a commit mark (WAL_FLUSH) or a checkpoint mark. A log that ends
# inside an entry, or after a transaction's entries without their commit mark, was cut short: the
# file is copied aside (`<file>.wal.cut-<time>`, for inspection) and the Database says so in `notice`.
# A log in another format (a newer DuckDB, an encrypted file) is not judged.
WAL_VERSION_ENTRY = b"\x64\x00\x62\x65\x00\x02\xff\xff"  # field 100: WAL_VERSION (98); field 101: format 2; end
WAL_ENDS = {99, 100}  # CHECKPOINT, WAL_FLUSH (the commit mark)
WAL_CUT = (
    "The last changes before the crash could not be recovered: the journal of changes was cut short "
    "(the cut journal was kept as {kept} for inspection)."
)


def wal_cut_short(wal: Path) -> bool:
    """Does DuckDB's write-ahead log `wal` end part-way (see above)? False for none, for an empty
    one, and for a format this reading does not know."""
    try:
        size = wal.stat().st_size
    except FileNotFoundError:
        return False
    with open(wal, "rb") as fh:
        head = fh.read(len(WAL_VERSION_ENTRY))
        if head != WAL_VERSION_ENTRY:
            return 0 < len(head) < len(WAL_VERSION_ENTRY) and WAL_VERSION_ENTRY.startswith(head)
        pos, last = len(head), None
        while pos < size:
            fh.seek(pos)
            frame = fh.read(16)
            if len(frame) < 16:
                return True  # cut inside an entry's size or checksum
            length = int.from_bytes(frame[:8], "little")
            if pos + 16 + length > size:
                return True  # cut inside an entry
            kind = fh.read(3)
            if len(kind) < 3 or kind[:2] != b"\x64\x00" or kind[2] >= 0x80:
                return False  # not an entry as this reading knows them: not judged
            last, pos = kind[2], pos + 16 + length
        return last is not None and last not in WAL_ENDS


def _keep_cut_wal(path: str) -> Path | None:
    """If `<path>.wal` was cut short, a copy of it beside the database (DuckDB removes the .wal once it
    has replayed what it could); None if it was not."""
    wal = Path(f"{path}.wal")
    if not wal.is_file() or not wal_cut_short(wal):
        return None
    stamp = f"{dt.datetime.now():%Y%m%d-%H%M%S}"
    kept = wal.with_name(f"{wal.name}.cut-{stamp}")
    n = 1
    while kept.exists():
        n += 1
        kept = wal.with_name(f"{wal.name}.cut-{stamp}-{n}")
    shutil.copy2(wal, kept)
    return kept


# Local files a Database of this process has open (resolved path -> how many): DuckDB shares one
# instance per file in a process, so only the first open replays the .wal; later ones must not
# read a log the first one is writing.
_OPEN_FILES: dict[str, int] = defaultdict(int)


# Data revisions, the key of the one cache (rebound.cache): a counter per (database, user) that
# every write transaction through the store bumps. It lives in this process, and that is exact for
# a local file: DuckDB locks a file to the one process that opens it (a second process, even
# read-only, gets "Could not set lock": tests/test_db.py::test_a_local_file_has_one_writer_process),
# so every write to it passes through here and no other app instance or CLI can change it
# meanwhile. Counters are shared by every Database object on the same file in this process, so a
# write through one object is seen through another (tests open a file twice).
# Where another process can write (MotherDuck: other app instances, the CLI), this counter never
# hears of their writes, so caching is off there (Database.caching), for reads and derived values.
_REVISIONS: dict[tuple[str, str], int] = defaultdict(int)
_REVISIONS_LOCK = threading.Lock()
READ_CACHE_MAX_ROWS = 20_000  # bigger results (exports) are not kept


def _not_too_big(value: object) -> bool:
    return not hasattr(value, "__len__") or len(value) <= READ_CACHE_MAX_ROWS


class Database:
    """One DuckDB database; thread-safe through one cursor per thread."""

    def __init__(
        self,
        path: str,
        read_only: bool = False,
        motherduck_token: str | None = None,
        cache: bool = True,
        shared: bool | None = None,
        key: str | None = None,
    ) -> None:
        """`cache=False`: every read runs its SQL (the benchmark's uncached figures).
        `shared`: other processes may write this database; None asks rebound.config (True for
        MotherDuck). A shared database caches nothing: its revision here would miss their writes.
        `key`: an encrypted file's key (rebound.passphrase.key_for); without it, or with a wrong
        one, an encrypted file raises PassphraseNeeded. A plain file ignores it."""
        self.path = str(path)
        if is_local_file(self.path):
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        config: dict[str, str | bool | int | float | list[str]] = (
            {"motherduck_token": motherduck_token} if motherduck_token else {}
        )
        self.encrypted = needs_passphrase(self.path)
        if self.encrypted and key is None:
            raise PassphraseNeeded(NEEDS_PASSPHRASE)
        local_file = str(Path(self.path).resolve()) if is_local_file(self.path) else None
        cut = None  # a copy of a .wal a crash cut short (see wal_cut_short)
        with _REVISIONS_LOCK:  # the first to open it in this process (later ones share DuckDB's instance)
            first = local_file is not None and not _OPEN_FILES.get(local_file)
        if first and not self.encrypted:
            cut = _keep_cut_wal(self.path)
        try:
            if self.encrypted:
                self._conn = _open_encrypted(self.path, str(key), read_only)
            else:
                self._conn = duckdb.connect(self.path, read_only=read_only, config=config)
        except duckdb.Error as error:
            if (
                cut is not None
            ):  # not opened (locked by a process writing that log, or damaged): nothing said, nothing kept
                cut.unlink(missing_ok=True)
            raise _friendly(error, self.path) from error
        self.notice = WAL_CUT.format(kept=cut) if cut is not None else None  # for the app and the CLI to show
        self._open_file = local_file
        if local_file:
            with _REVISIONS_LOCK:
                _OPEN_FILES[local_file] += 1
        # Only on the first open: once the file is open in this process, its instance counts blocks
        # that live in memory and the .wal until a checkpoint, so the file is rightly shorter.
        if first and Path(self.path).exists():
            try:
                _check_not_truncated(self._conn, self.path)
            except DatabaseFileError:
                self._failed(cut)
                raise
        self._local = threading.local()
        self._cursors: list[duckdb.DuckDBPyConnection] = []  # every thread's, closed with the database
        # Writes in this process take turns: DuckDB would abort one of two transactions
        # that touch the same rows, and a lost write is worse than a few ms of waiting.
        self._write_lock = threading.RLock()
        self.shared = other_writers_possible(self.path) if shared is None else shared
        # One counter per file (see _REVISIONS); ":memory:" is private to this object, and a shared
        # database's counter counts only this object's writes (it keys nothing: caching is off).
        local = is_local_file(self.path) and not self.shared
        self._rev_key = str(Path(self.path).resolve()) if local else f"{self.path}#{id(self)}"
        self.caching = cache and not self.shared
        if not read_only:
            try:
                self.migrate()
            except duckdb.Error as error:  # a damaged block met while reading the schema
                mapped = friendly(error, self.path)
                if mapped is error:
                    raise
                self._failed(cut)
                raise mapped from error

    def _failed(self, cut: Path | None) -> None:
        """Closed again: the file can't be used. A copy of its cut .wal goes too (its message goes with the file's)."""
        self._forget_open()
        self._conn.close()
        if cut is not None:
            cut.unlink(missing_ok=True)

    def _forget_open(self) -> None:
        file, self._open_file = self._open_file, None
        if file:
            with _REVISIONS_LOCK:
                _OPEN_FILES[file] -= 1
                if _OPEN_FILES[file] <= 0:
                    del _OPEN_FILES[file]

    # -- connections -------------------------------------------------------
    def cursor(self) -> duckdb.DuckDBPyConnection:
        cur = getattr(self._local, "cursor", None)
        if cur is None:
            cur = self._conn.cursor()
            if self.encrypted:  # a cursor starts in the in-memory database; the data is in the attached file
                cur.execute(f"USE {ENCRYPTED_CATALOG}")
            self._local.cursor = cur
            with _REVISIONS_LOCK:
                self._cursors.append(cur)
        return cur

    def checkpoint(self) -> None:
        """Write the .wal into the file (a change of key or a copy needs a file without a .wal)."""
        self._conn.execute("CHECKPOINT")

    @property
    def identity(self) -> str:
        """Names this database for caches: its file, or this object for a private one (":memory:")."""
        return self._rev_key

    def close(self) -> None:
        # The threads' cursors too: an open cursor keeps DuckDB's instance, and the file, open (a
        # change of passphrase rewrites the file once every Database on it is closed).
        with _REVISIONS_LOCK:
            cursors, self._cursors = self._cursors, []
        for cur in cursors:
            cur.close()
        self._conn.close()
        self._forget_open()
        if "#" in self._rev_key:  # a private (or shared) database's revisions die with it
            with _REVISIONS_LOCK:
                for key in [k for k in _REVISIONS if k[0] == self._rev_key]:
                    del _REVISIONS[key]
        # A closed file may be changed by another process before it is opened again: what was cached
        # from it goes (another Database object still open on it just reads once more).
        RESULTS.forget(self._rev_key)

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """All of it lands or none of it.

        A transaction opened inside another on the same thread joins it: a bulk writer (the demo)
        can call the store's ordinary write methods and still commit once, or not at all.
        """
        cur = self.cursor()
        with self._write_lock:
            if getattr(self._local, "in_transaction", False):
                yield cur  # the outer transaction commits or rolls back
                return
            cur.execute("BEGIN TRANSACTION")
            self._local.in_transaction = True  # reads inside see uncommitted rows: never cached
            try:
                yield cur
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            else:
                cur.execute("COMMIT")
            finally:
                self._local.in_transaction = False

    @property
    def in_transaction(self) -> bool:
        """Is this thread inside a transaction (a new one would join it, and could not roll back alone)?"""
        return bool(getattr(self._local, "in_transaction", False))

    # -- data revision: the key of the one cache (rebound.cache) -------------
    def revision(self, user_id: str) -> int:
        return _REVISIONS[(self._rev_key, user_id)]

    def bump(self, user_id: str) -> None:
        with _REVISIONS_LOCK:
            _REVISIONS[(self._rev_key, user_id)] += 1
        RESULTS.forget(self._rev_key, user_id)  # that user's entries can never be hit again

    def cached(self, user_id: str, what: tuple, make: Callable[[], T], keep: Callable[[T], bool] | None = None) -> T:
        """make() once per (this database, user, data revision, what); callers must not change the
        result. Made afresh every time where caching is off, and inside a transaction (whose reads
        see rows not yet committed)."""
        if not self.caching or getattr(self._local, "in_transaction", False):
            return make()
        return RESULTS.get((self._rev_key, user_id, self.revision(user_id), what), make, keep)

    def cached_read(self, user_id: str, kind: str, sql: str, params: dict, fetch: Callable[[], T]) -> T:
        """A store read: fetch() once per (user, revision, kind, sql, params); big results are not kept."""
        return self.cached(user_id, (kind, sql, repr(sorted(params.items()))), fetch, _not_too_big)

    # -- migrations --------------------------------------------------------
    def applied_versions(self) -> set[int]:
        cur = self.cursor()
        cur.execute(
            "CREATE TABLE IF NOT EXISTS schema_version ("
            " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,"
            " applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)"
        )
        return {row[0] for row in cur.execute("SELECT version FROM schema_version").fetchall()}

    def migrate(self) -> list[int]:
        """Apply each pending migration in its own transaction; returns what ran."""
        done = self.applied_versions()
        ran = []
        for version, name, sql in migrations():
            if version in done:
                continue
            with self.transaction() as cur:
                cur.execute(sql)
                cur.execute("INSERT INTO schema_version (version, name) VALUES (?, ?)", [version, name])
            ran.append(version)
        if ran:  # DuckDB 1.5 cannot replay a .wal holding these ALTER TABLEs (a killed app could not reopen)
            self._conn.execute("CHECKPOINT")
        return ran


# -- encrypted files -----------------------------------------------------------------------------
# The key of each encrypted file attached in this process, as a digest: a second Database on the same
# file joins the instance already open (DuckDB refuses a second attach of one file), so its key is
# checked here instead of by DuckDB.
_ATTACHED_KEYS: dict[str, bytes] = {}
_ATTACH_LOCK = threading.Lock()


def httpfs_path() -> str:
    """The httpfs extension built for this DuckDB, from the duckdb-extension-httpfs package (offline)."""
    version = f"v{duckdb.__version__}"
    try:
        import duckdb_extension_httpfs  # type: ignore[import-not-found,unused-ignore]

        folder = Path(duckdb_extension_httpfs.__file__).parent / "extensions" / version
    except ImportError:
        folder = None
    found = sorted(folder.glob("httpfs.duckdb_extension")) if folder and folder.is_dir() else []
    if not found:
        raise DatabaseError(
            f"An encrypted database needs DuckDB's httpfs extension built for DuckDB {duckdb.__version__} "
            f"(for its OpenSSL). Install it with: pip install duckdb-extension-httpfs=={duckdb.__version__} "
            "(Rebound's uv.lock installs the matching pair)."
        )
    return str(found[0])


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _connect_for_keys(name: str = ":memory:") -> duckdb.DuckDBPyConnection:
    conn = duckdb.connect(name)
    conn.execute(f"LOAD {_sql_text(httpfs_path())}")
    conn.execute("SET temp_file_encryption = true")  # what spills to disk (big sorts, joins) is encrypted too
    return conn


def _attach(conn: duckdb.DuckDBPyConnection, path: str, alias: str, key: str | None, read_only: bool = False) -> None:
    options = [f"ENCRYPTION_KEY {_sql_text(key)}"] if key else []
    if read_only:
        options.append("READ_ONLY")
    conn.execute(f"ATTACH {_sql_text(path)} AS {alias}" + (f" ({', '.join(options)})" if options else ""))


def _open_encrypted(path: str, key: str, read_only: bool) -> duckdb.DuckDBPyConnection:
    resolved = str(Path(path).resolve())
    digest = hashlib.sha256(key.encode("ascii")).digest()
    with _ATTACH_LOCK:
        conn = _connect_for_keys(":memory:rebound-" + hashlib.sha256(resolved.encode()).hexdigest()[:24])
        attached = {row[0] for row in conn.execute("SELECT database_name FROM duckdb_databases()").fetchall()}
        if ENCRYPTED_CATALOG in attached:
            if not hmac.compare_digest(_ATTACHED_KEYS.get(resolved, b""), digest):
                conn.close()
                raise PassphraseNeeded(WRONG_PASSPHRASE)
        else:
            try:
                _attach(conn, path, ENCRYPTED_CATALOG, key, read_only)
            except BaseException:
                conn.close()
                raise
            _ATTACHED_KEYS[resolved] = digest
        conn.execute(f"USE {ENCRYPTED_CATALOG}")
    return conn


def _remove_with_wal(path: Path) -> None:
    path.unlink(missing_ok=True)
    Path(f"{path}.wal").unlink(missing_ok=True)


def rewrite(path: str, old_key: str | None, new_key: str | None) -> None:
    """Encrypt (None -> key), decrypt (key -> None) or change the key of the closed local file `path`,
    as one rename: a complete copy is written beside it (`<file>.rewrite`), made durable (fsync),
    then renamed over the file. Killed at any moment, the file opens with the old key or the new one
    (a leftover copy beside it is removed by the next rewrite). The caller closes every Database on
    the file first and keeps the salt file (rebound.passphrase) in place for a new key."""
    target = Path(path)
    if not target.is_file():
        raise DatabaseError(f"There is no database file {path}.")
    if storage_version(target) is None:
        raise _friendly(duckdb.IOException("not a valid DuckDB database"), path)
    copy = target.with_name(target.name + ".rewrite")
    _remove_with_wal(copy)  # a copy a killed rewrite left behind
    conn = _connect_for_keys()
    try:
        try:
            _attach(conn, str(target), "old", old_key)
            conn.execute("CHECKPOINT old")  # its .wal into the file: no log of the old file is left behind
            _attach(conn, str(copy), "new", new_key)
            conn.execute("COPY FROM DATABASE old TO new")
            conn.execute("DETACH new")  # a detach writes the copy out in full and removes its .wal
            conn.execute("DETACH old")
        except duckdb.Error as error:
            raise _friendly(error, path) from error
    finally:
        conn.close()
    if Path(f"{copy}.wal").exists() or Path(f"{target}.wal").exists():  # never: both were checkpointed
        _remove_with_wal(copy)
        raise DatabaseError(f"{path} is still in use: close every Rebound window and command, then try again.")
    with open(copy, "rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(copy, target)
    fsync_dir(target.parent)
    if new_key is None:
        salt_path(target).unlink(missing_ok=True)  # a plain file needs no salt (a stale one would be ignored)
