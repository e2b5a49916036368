"""The optional passphrase of a local database: key derivation, the salt file, the file's own header.

A passphrase never reaches the disk, nor does the key. The key is derived from the passphrase with
scrypt (memory-hard: ~32 MB and ~0.1 s per try, so guessing costs an attacker the same) and a random
salt. The salt is not secret; it lives beside the database in `<file>.salt` (JSON: the KDF, its
parameters, the salt), made when the file is first encrypted and kept across changes of passphrase,
so that a change rewrites the database file alone (one rename: the file is fully old or fully new).
DuckDB encrypts every block of the file and of its .wal with that key (AES-GCM); see rebound.db.

Whether a file is encrypted is read from the file's own header (DuckDB's main header flag), never
from the presence of a salt file. A forgotten passphrase cannot be recovered: nothing here can.

A backup can be sealed with a passphrase of its own (`seal`, `unseal`): AES-256-GCM (the `cryptography`
package) under a key derived by the same scrypt (`derive`), in a file whose header states its KDF
cost, so that a later change of cost still opens old files. Every stated cost is checked against a
ceiling (`check_cost`) before anything is derived: a hostile file cannot make Rebound spend more.
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
# The most a stored cost (a salt file's, a sealed backup's header) may ask, checked before deriving:
# memory 128·n·r at most 128 MB (4× today's cost; OWASP's n=2**17, r=8 fits), work n·r·p (time grows
# with it) at most 2**22 (16× today's: ~2 s on the 2-core test machine, where today's takes 0.12 s),
# p at most 16. A file asking for more is refused.
MAX_SCRYPT_MEMORY = 128 * 2**20
MAX_SCRYPT_WORK = 2**22
MAX_SCRYPT_P = 16

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
        check_cost(params["n"], params["r"], params["p"])
        bytes.fromhex(params["salt"])
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise DatabaseFileError(
            f"The file {path}, which the passphrase of {db_path} needs, is damaged ({error}). "
            "Without it the passphrase cannot open the database: restore it from a copy of that folder."
        ) from error
    return params


def check_cost(n: int, r: int, p: int) -> None:
    """Refuse (ValidationError) a scrypt cost that is not one, or that is above the ceiling (MAX_SCRYPT_*)."""
    if not (n > 1 and n & (n - 1) == 0 and r >= 1 and p >= 1):
        raise ValidationError(f"The key derivation's cost (n={n}, r={r}, p={p}) is not a valid scrypt cost.")
    if 128 * n * r > MAX_SCRYPT_MEMORY or n * r * p > MAX_SCRYPT_WORK or p > MAX_SCRYPT_P:
        raise ValidationError(
            f"The file asks for a key derivation costlier than Rebound allows ({128 * n * r / 2**20:,.0f} MB, "
            f"work {n * r * p:,}; at most {MAX_SCRYPT_MEMORY // 2**20} MB and {MAX_SCRYPT_WORK:,}): "
            "it was not made by this Rebound. Nothing was read or changed."
        )


def derive(passphrase: str, params: Mapping, length: int = KEY_BYTES) -> bytes:
    """scrypt(passphrase) with the parameters `params` states (n, r, p; salt in hex), after check_cost:
    the one key derivation of Rebound (databases and sealed backups)."""
    n, r, p = int(params["n"]), int(params["r"]), int(params["p"])
    check_cost(n, r, p)
    return hashlib.scrypt(
        passphrase.encode("utf-8"),
        salt=bytes.fromhex(params["salt"]),
        n=n,
        r=r,
        p=p,
        maxmem=256 * n * r + 2**20,
        dklen=length,
    )


def derive_key(passphrase: str, params: Mapping) -> str:
    """The database key (hex) for a passphrase and a salt file's parameters."""
    return derive(passphrase, params).hex()


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


# -- sealed files: a backup encrypted with a passphrase of its own ------------------------------------
# Layout (integers little-endian), SEAL_HEAD then the salt, the nonce, and the ciphertext:
#   magic        8 bytes  b"\x89RBK\r\n\x1a\n" (PNG's trick: a transfer that mangles line ends or the
#                         high bit is seen at once; a .zip starts with "PK", so the two never mix)
#   version      u16      SEAL_VERSION (1); a newer one is refused with "update Rebound"
#   kdf          u8       1 = scrypt
#   log2(n)      u8       scrypt's n = 2**log2(n)
#   r, p         u32 each scrypt's r and p (checked against the ceiling before deriving: check_cost)
#   salt size    u8       16..64
#   nonce size   u8       12 (AES-GCM's)
#   check        16 bytes SHA-256 of the derived key's second half, cut to 16 bytes: tells a wrong
#                         passphrase from a damaged file (it allows no guess GCM's tag would not)
#   body size    u64      the ciphertext's length with its 16-byte tag: must be what follows, exactly
# The ciphertext is AES-256-GCM of the whole plain backup under the derived key's first half, with the
# header (salt and nonce included) as associated data: a changed byte anywhere is refused.
SEAL_MAGIC = b"\x89RBK\r\n\x1a\n"
SEAL_VERSION = 1
SEAL_HEAD = struct.Struct("<8sHBBIIBB16sQ")
_SCRYPT_ID, _NONCE_BYTES, _TAG_BYTES, _CHECK_BYTES = 1, 12, 16, 16


def is_sealed(data: bytes) -> bool:
    """Does this file start like a sealed (passphrase-encrypted) file?"""
    return data[: len(SEAL_MAGIC)] == SEAL_MAGIC


def _keys(passphrase: str, params: Mapping) -> tuple[bytes, bytes]:
    raw = derive(passphrase, params, 2 * KEY_BYTES)
    return raw[:KEY_BYTES], hashlib.sha256(raw[KEY_BYTES:]).digest()[:_CHECK_BYTES]


def seal(data: bytes, passphrase: str, cost: Mapping | None = None) -> bytes:
    """`data` encrypted with `passphrase` (AES-256-GCM, key by scrypt at `cost`, default SCRYPT)."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    cost = dict(cost or SCRYPT)
    n, r, p = int(cost["n"]), int(cost["r"]), int(cost["p"])
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(_NONCE_BYTES)
    key, check = _keys(passphrase, {"n": n, "r": r, "p": p, "salt": salt.hex()})
    head = SEAL_HEAD.pack(
        SEAL_MAGIC, SEAL_VERSION, _SCRYPT_ID, n.bit_length() - 1, r, p, len(salt), len(nonce), check,
        len(data) + _TAG_BYTES,
    )  # fmt: skip
    aad = head + salt + nonce
    return aad + AESGCM(key).encrypt(nonce, data, aad)


def unseal(blob: bytes, passphrase: str, max_bytes: int, what: str = "This encrypted file") -> bytes:
    """The plain bytes of a sealed file, or ValidationError with a message for the user: not sealed,
    a newer format, a header that lies (sizes, a cost above the ceiling: refused before deriving),
    cut short, a wrong passphrase, a changed byte. `max_bytes`: the most the plain file may hold."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if not is_sealed(blob):
        raise ValidationError(f"{what} is not a Rebound encrypted file.")
    if len(blob) < SEAL_HEAD.size:
        raise ValidationError(f"{what} is cut short: its header is incomplete. Nothing was changed.")
    _, version, kdf, log_n, r, p, salt_size, nonce_size, check, body = SEAL_HEAD.unpack_from(blob)
    if version > SEAL_VERSION:
        raise ValidationError(
            f"{what} was made by a newer Rebound (encryption format {version}). Update Rebound, then open it."
        )
    if version < 1 or kdf != _SCRYPT_ID or not 16 <= salt_size <= 64 or nonce_size != _NONCE_BYTES or log_n > 62:
        raise ValidationError(f"{what} is damaged: its header can't be read. Nothing was changed.")
    if body > max_bytes + _TAG_BYTES:
        raise ValidationError(
            f"{what} says it holds {body / 2**20:,.0f} MB, more than the {max_bytes / 2**20:,.0f} MB "
            "Rebound reads. Nothing was changed."
        )
    start = SEAL_HEAD.size + salt_size + nonce_size
    if body < _TAG_BYTES or len(blob) != start + body:
        raise ValidationError(
            f"{what} is {'cut short' if len(blob) < start + body else 'damaged'}: it is {len(blob):,} bytes, its "
            f"header says {start + body:,}. Nothing was changed."
        )
    n = 2**log_n
    check_cost(n, r, p)  # before deriving: a hostile header must not cost gigabytes
    salt, nonce = blob[SEAL_HEAD.size : SEAL_HEAD.size + salt_size], blob[SEAL_HEAD.size + salt_size : start]
    key, expected = _keys(passphrase, {"n": n, "r": r, "p": p, "salt": salt.hex()})
    if not hmac.compare_digest(check, expected):
        raise ValidationError(f"That passphrase does not open {what[0].lower() + what[1:]}. Nothing was changed.")
    try:
        return AESGCM(key).decrypt(nonce, blob[start:], blob[:start])
    except InvalidTag:
        raise ValidationError(
            f"{what} was changed or damaged since it was made (it fails its authentication check). Nothing was changed."
        ) from None
