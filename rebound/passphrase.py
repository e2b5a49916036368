"""The optional passphrase of a local database: key derivation, the salt file, the file's own header.

A passphrase never reaches the disk, nor does the key. The key is derived from the passphrase with
scrypt (memory-hard: ~32 MB and ~0.1 s per try, so guessing costs an attacker the same) and a random
salt. The salt is not secret; it lives beside the database in `<file>.salt` (JSON: the KDF, its
parameters, the salt), made when the file is first encrypted and kept across changes of passphrase,
so that a change rewrites the database file alone (one rename: the file is fully old or fully new).
DuckDB encrypts every block of the file and of its .wal with that key (AES-GCM); see rebound.db.

Whether a file is encrypted is read from the file's own header (DuckDB's main header flag), never
from the presence of a salt file. A forgotten passphrase cannot be recovered: nothing here can.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import struct
from collections.abc import Mapping
from pathlib import Path

from rebound.errors import DatabaseFileError, ValidationError

ENV_VAR = "REBOUND_PASSPHRASE"
NEW_ENV_VAR = "REBOUND_NEW_PASSPHRASE"  # `rebound encrypt` on an encrypted file: the passphrase it changes to
MIN_LENGTH = 8

# scrypt's cost: n=2**15, r=8 uses 128·n·r = 32 MB and ~0.1 s on a laptop (OWASP's 2023 minimum is
# n=2**17 with r=8, p=1 for passwords stored on a server; a local journal's key is derived once per
# session, so the same order of cost). Stored in the salt file, so a later change of cost still opens
# files made with this one.
SCRYPT = {"n": 2**15, "r": 8, "p": 1}
KEY_BYTES = 32

# DuckDB's main header (the file's first 4 KB): checksum (8 bytes), b"DUCK", storage version (u64),
# then flags (u64 each); flag bit 1 of the first is "this database is encrypted".
_MAGIC_AT, _VERSION_AT, _FLAGS_AT = 8, 12, 20
_ENCRYPTED_FLAG = 1


def salt_path(db_path: str | os.PathLike) -> Path:
    return Path(f"{db_path}.salt")


def _header(db_path: str | os.PathLike) -> bytes | None:
    try:
        with open(db_path, "rb") as fh:
            head = fh.read(_FLAGS_AT + 8)
    except FileNotFoundError:
        return None
    return head if len(head) == _FLAGS_AT + 8 and head[_MAGIC_AT : _MAGIC_AT + 4] == b"DUCK" else None


def is_encrypted(db_path: str | os.PathLike) -> bool:
    """Does this DuckDB file say it is encrypted? (False for a missing file or not a DuckDB file.)"""
    head = _header(db_path)
    return head is not None and bool(struct.unpack_from("<Q", head, _FLAGS_AT)[0] & _ENCRYPTED_FLAG)


def storage_version(db_path: str | os.PathLike) -> int | None:
    """The storage version a DuckDB file's header states (None for a missing file or not a DuckDB file)."""
    head = _header(db_path)
    return None if head is None else struct.unpack_from("<Q", head, _VERSION_AT)[0]


def check_new(passphrase: str, repeated: str | None = None) -> str:
    """A passphrase a user chooses: long enough, and typed twice the same where it was asked twice."""
    if len(passphrase) < MIN_LENGTH:
        raise ValidationError(f"A passphrase needs at least {MIN_LENGTH} characters.")
    if repeated is not None and not hmac.compare_digest(passphrase.encode(), repeated.encode()):
        raise ValidationError("The two passphrases differ: nothing was changed.")
    return passphrase


def _write_atomically(path: Path, data: bytes) -> None:
    partial = path.with_name(path.name + ".partial")
    with open(partial, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(partial, path)
    fsync_dir(path.parent)


def fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` durable (POSIX: the directory entry is written with the folder)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def ensure_salt(db_path: str | os.PathLike) -> dict:
    """The salt file's parameters, made (random salt, this module's cost) if there is none yet."""
    existing = read_salt(db_path)
    if existing is not None:
        return existing
    params = {"kdf": "scrypt", **SCRYPT, "salt": secrets.token_hex(16)}
    _write_atomically(salt_path(db_path), json.dumps(params).encode("utf-8"))
    return params


def read_salt(db_path: str | os.PathLike) -> dict | None:
    path = salt_path(db_path)
    try:
        params = json.loads(path.read_text(encoding="utf-8"))
        if params.get("kdf") != "scrypt" or not all(isinstance(params.get(k), int) for k in ("n", "r", "p")):
            raise ValueError(params.get("kdf"))
        bytes.fromhex(params["salt"])
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise DatabaseFileError(
            f"The file {path}, which the passphrase of {db_path} needs, is damaged ({error}). "
            "Without it the passphrase cannot open the database: restore it from a copy of that folder."
        ) from error
    return params


def derive_key(passphrase: str, params: Mapping) -> str:
    """The database key (hex) for a passphrase and a salt file's parameters."""
    n, r, p = int(params["n"]), int(params["r"]), int(params["p"])
    raw = hashlib.scrypt(
        passphrase.encode("utf-8"),
        salt=bytes.fromhex(params["salt"]),
        n=n,
        r=r,
        p=p,
        maxmem=256 * n * r + 2**20,
        dklen=KEY_BYTES,
    )
    return raw.hex()


def key_for(db_path: str | os.PathLike, passphrase: str) -> str:
    """The key that opens this encrypted file with this passphrase (if the passphrase is right)."""
    params = read_salt(db_path)
    if params is None:
        raise DatabaseFileError(
            f"{db_path} is encrypted, but the file {salt_path(db_path)} that goes with it is missing. "
            "Without it no passphrase can open the database: put it back beside the database (from "
            "the copy of the folder you moved or backed up)."
        )
    return derive_key(passphrase, params)


def from_env(env: Mapping[str, str] | None = None, name: str = ENV_VAR) -> str | None:
    value = (os.environ if env is None else env).get(name)
    return value or None
