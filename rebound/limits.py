"""Limits on every file a person can hand Rebound, so no upload can exhaust a server.

A .zip (a backup, a LinkedIn export, an .xlsx workbook) states each member's unpacked size
in its central directory, and Python's zipfile never inflates a member past the size it
states (a member that lies fails its CRC check instead). So checking the stated sizes before
reading anything bounds the memory a zip can take, however small the packed file is.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from rebound.errors import ValidationError

MB = 1024 * 1024
MAX_UPLOAD_MB = 200  # Streamlit's server.maxUploadSize (.streamlit/config.toml) says the same
MAX_ZIP_ENTRIES = 10_000  # an .xlsx of a big sheet has a few dozen; a LinkedIn export a few hundred
MAX_UNPACKED_BYTES = 512 * MB  # everything one zip may unpack to
MAX_COMPRESSION_RATIO = 200  # plain text compresses ~10x; a bomb compresses ~1000x
MAX_DIRECTORY_BYTES_PER_ENTRY = 256  # a directory entry is 46 bytes plus its name and extras


def open_zip(
    data: bytes,
    name: str,
    *,
    max_unpacked: int = MAX_UNPACKED_BYTES,
    max_entries: int = MAX_ZIP_ENTRIES,
    max_ratio: int = MAX_COMPRESSION_RATIO,
) -> zipfile.ZipFile:
    """A ZipFile over `data` whose members together unpack to at most `max_unpacked` bytes.

    Raises ValidationError with a plain message (and reads nothing) for a damaged zip, too many
    members, or members that would unpack too large or compress suspiciously well.
    """
    stated, directory_bytes = _end_record(data)
    if stated > max_entries or directory_bytes > max_entries * MAX_DIRECTORY_BYTES_PER_ENTRY:
        raise ValidationError(f"{name} holds more than the {max_entries:,} files Rebound reads.")
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ValidationError(f"{name} is damaged: it is not a readable .zip file.") from None
    infos = z.infolist()
    if len(infos) > max_entries:
        z.close()
        raise ValidationError(f"{name} holds {len(infos):,} files, more than the {max_entries:,} Rebound reads.")
    total = sum(i.file_size for i in infos)
    if total > max_unpacked:
        z.close()
        raise ValidationError(
            f"{name} would unpack to {total / MB:,.0f} MB, more than the "
            f"{max_unpacked / MB:,.0f} MB Rebound reads. Nothing was changed."
        )
    for info in infos:
        if info.file_size > 1 * MB and info.file_size > max_ratio * max(info.compress_size, 1):
            z.close()
            raise ValidationError(
                f"{name} is not a file Rebound can read safely: {info.filename} unpacks "
                f"{info.file_size // max(info.compress_size, 1):,} times larger than it is packed."
            )
    return z


def _end_record(data: bytes) -> tuple[int, int]:
    """(entries, central directory bytes) as the zip's end record states them, read before the
    directory is parsed: parsing builds an object per entry (a 20 MB zip of empty files takes
    ~130 MB), and the directory is parsed by its size, whatever count the record claims."""
    try:  # ZipFile's own first step (private but unchanged since Python 2); handles zip64
        end = zipfile._EndRecData(io.BytesIO(data))  # type: ignore[attr-defined]  # private: not in typeshed
    except (zipfile.BadZipFile, OSError, ValueError, struct.error):
        end = None
    if not end:
        return 0, 0  # not a zip: ZipFile says so below
    return int(end[zipfile._ECD_ENTRIES_TOTAL]), int(end[zipfile._ECD_SIZE])  # type: ignore[attr-defined]  # as above


def read_member(z: zipfile.ZipFile, member: str | zipfile.ZipInfo, name: str, max_bytes: int) -> bytes:
    """One member's bytes, refused (before reading) when it states more than `max_bytes`."""
    info = member if isinstance(member, zipfile.ZipInfo) else z.getinfo(member)
    if info.file_size > max_bytes:
        raise ValidationError(
            f"{name}: {info.filename} is {info.file_size / MB:,.0f} MB unpacked, more than the "
            f"{max_bytes / MB:,.0f} MB Rebound reads."
        )
    try:
        return z.read(info)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, NotImplementedError):
        raise ValidationError(f"{name} is damaged: {info.filename} can't be read.") from None


# The fenced worker (rebound.fence) that reads every file or message a person hands Rebound. The
# operating system holds it to these, whatever the file says about itself: a file that needs more
# is refused with a plain message and nothing is changed. The parent (the app or the CLI) keeps
# only what the worker returns, so these also bound what one read adds to the server.
WORKER_MEMORY_BYTES = 1024 * MB  # RLIMIT_AS: address space, ~330 MB of it the interpreter and its libraries
# Hosted (REBOUND_HOSTED=1, Community Cloud), the workers count in the server's budget beside the
# private sessions' DuckDBs (rebound.sessions: 16 x 48 MB): each gets this address space instead (the
# interpreter and its libraries take ~330 MB of it; a 20 KB backup reads in 400 MB, not in 350), at
# most HOSTED_WORKERS run at once in the whole process, and one per browser session. A read that
# finds every worker taken waits up to HOSTED_WORKER_WAIT seconds, then is refused: "busy, try again".
HOSTED_WORKER_MEMORY_BYTES = 512 * MB
HOSTED_WORKERS = 2
HOSTED_WORKER_WAIT = 5.0
WORKER_CPU_SECONDS = 60  # RLIMIT_CPU: an 8 MB workbook or a 19 MB mailbox reads in well under this
WORKER_RESULT_BYTES = 128 * MB  # what one read may send back (pickled): rows, findings or a backup's tables
WORKER_RESTORE_BYTES = (
    320 * MB
)  # a restore's tables, sent back as Arrow: up to backup.MAX_BACKUP_MEMORY (256 MB) decoded
