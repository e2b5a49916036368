"""Encrypted backups (issue 24, item 3): a backup sealed with a passphrase of its own (AES-256-GCM, key by
scrypt through rebound.passphrase.derive), its header checked before anything is derived, and the
`rebound backup --encrypt` / `rebound restore` commands. A plain backup's behaviour: test_backup.py."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from clock import frozen

from rebound import passphrase
from rebound.backup import (
    ENCRYPTED_SUFFIX,
    backup_name,
    decrypt_backup,
    encrypt_backup,
    is_encrypted_backup,
    make_backup,
    preview_backup,
    read_backup,
    restore_backup,
)
from rebound.cli import main
from rebound.db import Database
from rebound.demo import generate
from rebound.errors import DatabaseFileError, ValidationError
from rebound.store import Store

ROOT = Path(__file__).resolve().parents[2]
WORDS = "a backup passphrase of mine"
SECRET = "Zq7-my-unforgettable-interview-regret-4411"  # a journal line no file format could contain
HEAD = passphrase.SEAL_HEAD


def dump(store: Store) -> dict:
    out = {}
    for table in store.account.user_tables():
        columns, _, rows = store.account.export_rows(table)
        keep = [i for i, c in enumerate(columns) if not (c == "id" or c.endswith("_id"))]
        out[table] = sorted(repr(tuple(r[i] for i in keep)) for r in rows)
    return out


@pytest.fixture(scope="module")
def journal(tmp_path_factory):
    """One journal for the module's tests (none changes it): a demo search and a line only it holds."""
    db = Database(str(tmp_path_factory.mktemp("sealed") / "journal.duckdb"))
    store = Store(db, "local")
    with frozen():  # the tests' today (a module fixture runs before the clock fixture)
        generate(store, weeks=6, seed=4)
        store.reflections.add("after_rejection", {"went_well": SECRET}, day=dt.date(2026, 11, 3))
    yield store
    db.close()


@pytest.fixture(scope="module")
def sealed(journal) -> bytes:
    return make_backup(journal, passphrase=WORDS)


def _field(blob: bytes, index: int, value: int) -> bytes:
    """The sealed file with one header field (by its place in SEAL_HEAD) set to `value`."""
    fields = list(HEAD.unpack_from(blob))
    fields[index] = value
    return HEAD.pack(*fields) + blob[HEAD.size :]


# -- the file ------------------------------------------------------------------------------------------
def test_an_encrypted_backup_round_trips_into_another_database(journal, sealed, tmp_path):
    assert is_encrypted_backup(sealed) and not sealed.startswith(b"PK")
    other = Store(Database(str(tmp_path / "other.duckdb")), "someone-else")
    try:
        result = restore_backup(other, decrypt_backup(sealed, WORDS), keep_aside=False)
        assert result["restored"]["applications"] == journal.applications.count() > 0
        assert dump(other) == dump(journal)
    finally:
        other.db.close()


def test_the_encrypted_file_holds_no_plaintext(journal, sealed):
    plain = make_backup(journal)
    assert b"manifest.json" in plain and b"tables/applications.parquet" in plain  # a plain zip names its parts
    for text in (SECRET, "manifest.json", "tables/", "applications", "rebound-backup", "after_rejection"):
        for encoding in ("utf-8", "utf-16-le"):
            assert text.encode(encoding) not in sealed, text
    inside = read_backup(journal, decrypt_backup(sealed, WORDS))  # …and the journal line is in it
    assert SECRET in inside.tables["reflections"].column("answers").to_pylist()[-1]
    assert len(sealed) - len(plain) < 200  # a header and a tag: the backup is not bigger than that


def test_each_backup_has_its_own_salt_and_nonce(journal):
    one, two = make_backup(journal, passphrase=WORDS), make_backup(journal, passphrase=WORDS)
    assert HEAD.unpack_from(one)[:-2] == HEAD.unpack_from(two)[:-2]  # same format and cost…
    start = HEAD.size
    assert one[start : start + 28] != two[start : start + 28]  # …a new salt and nonce each time


def test_a_wrong_passphrase_is_refused_and_said_so(sealed):
    with pytest.raises(ValidationError, match="That passphrase does not open this encrypted backup"):
        decrypt_backup(sealed, "not the passphrase")


@pytest.mark.parametrize(
    "where",
    ["salt", "nonce", "check", "first ciphertext byte", "middle", "tag"],
)
def test_a_changed_byte_anywhere_is_refused(sealed, where):
    salt, nonce = HEAD.size, HEAD.size + 16
    at = {
        "salt": salt + 3,
        "nonce": nonce + 5,
        "check": HEAD.size - 8 - 16 + 2,  # the check sits before the body size (8 bytes)
        "first ciphertext byte": nonce + 12,
        "middle": (nonce + 12 + len(sealed)) // 2,
        "tag": len(sealed) - 1,
    }[where]
    tampered = bytearray(sealed)
    tampered[at] ^= 0x01
    with pytest.raises(ValidationError, match="passphrase does not open|changed or damaged"):
        decrypt_backup(bytes(tampered), WORDS)


def test_a_changed_ciphertext_byte_says_the_file_was_changed(sealed):
    tampered = bytearray(sealed)
    tampered[len(sealed) // 2] ^= 0x80
    with pytest.raises(ValidationError, match="was changed or damaged since it was made"):
        decrypt_backup(bytes(tampered), WORDS)


@pytest.mark.parametrize("keep", [4, HEAD.size - 1, HEAD.size + 20, -1, -16])
def test_a_truncated_file_is_refused(sealed, keep):
    with pytest.raises(ValidationError, match="cut short|incomplete|not a Rebound encrypted"):
        decrypt_backup(sealed[:keep], WORDS)


def test_extra_bytes_after_the_body_are_refused(sealed):
    with pytest.raises(ValidationError, match="damaged: it is"):
        decrypt_backup(sealed + b"\0", WORDS)


@pytest.mark.parametrize(
    "index, value, message",
    [
        (9, 10**6, "cut short"),  # the body size: more than the file holds
        (9, 16, "damaged: it is"),  # …less than the file holds
        (9, 2**62, "more than the 200 MB"),  # …more than a backup may be
        (6, 200, "header can't be read"),  # a salt size beyond the format's
        (7, 16, "header can't be read"),  # a nonce size AES-GCM does not use
        (2, 9, "header can't be read"),  # an unknown key derivation
        (1, 2, "made by a newer Rebound"),  # a later format
    ],
)
def test_a_header_that_lies_is_refused_before_deriving(sealed, monkeypatch, index, value, message):
    calls = []
    monkeypatch.setattr(passphrase.hashlib, "scrypt", lambda *a, **k: calls.append(1) or b"\0" * 64)
    with pytest.raises(ValidationError, match=message):
        decrypt_backup(_field(sealed, index, value), WORDS)
    assert calls == []


@pytest.mark.parametrize(
    "log_n, r, p",
    [(30, 8, 1), (17, 16, 1), (15, 8, 64), (20, 8, 1), (15, 2**31, 1), (0, 8, 1)],
)
def test_a_key_derivation_above_the_ceiling_is_refused_before_it_starts(sealed, monkeypatch, log_n, r, p):
    """A hostile header asking scrypt for gigabytes (or hours): refused from what it states, scrypt never
    called, at once."""
    calls = []
    monkeypatch.setattr(passphrase.hashlib, "scrypt", lambda *a, **k: calls.append(1) or b"\0" * 64)
    blob = _field(_field(_field(sealed, 3, log_n), 4, r), 5, p)
    started = time.perf_counter()
    with pytest.raises(ValidationError, match="costlier than Rebound allows|not a valid scrypt cost"):
        decrypt_backup(blob, WORDS)
    assert calls == [] and time.perf_counter() - started < 0.5


def test_the_ceiling_admits_the_costs_it_documents():
    passphrase.check_cost(**passphrase.SCRYPT)
    passphrase.check_cost(n=2**17, r=8, p=1)  # OWASP's: a later raise of the cost to it still opens
    with pytest.raises(ValidationError):
        passphrase.check_cost(n=2**18, r=8, p=1)


def test_a_backup_made_at_another_cost_opens_by_its_header(journal):
    """The header states the cost: a backup made at another cost (an older or a later Rebound's) opens."""
    plain = make_backup(journal)
    blob = passphrase.seal(plain, WORDS, cost={"n": 2**14, "r": 8, "p": 2})
    assert HEAD.unpack_from(blob)[3:6] == (14, 8, 2)
    assert decrypt_backup(blob, WORDS) == plain


def test_a_salt_file_asking_for_a_cost_above_the_ceiling_is_refused(tmp_path):
    path = tmp_path / "r.duckdb"
    passphrase.salt_path(path).write_text('{"kdf": "scrypt", "n": 1073741824, "r": 8, "p": 1, "salt": "00"}')
    with pytest.raises(DatabaseFileError, match="costlier than Rebound allows"):
        passphrase.key_for(path, WORDS)


def test_a_file_bigger_than_the_upload_limit_is_refused_before_reading(monkeypatch, sealed):
    import rebound.backup as backup

    monkeypatch.setattr(backup, "MAX_BACKUP_BYTES", len(sealed) - 1)
    with pytest.raises(ValidationError, match="larger than the"):
        decrypt_backup(sealed, WORDS)


def test_the_plain_path_says_an_encrypted_backup_needs_its_passphrase(journal, sealed):
    with pytest.raises(ValidationError, match="encrypted: it needs its passphrase"):
        preview_backup(journal, sealed)


def test_an_encrypted_backup_is_named_for_what_it_is():
    assert backup_name(encrypted=True).endswith(".zip" + ENCRYPTED_SUFFIX)
    assert backup_name().endswith(".zip")


def test_the_key_derivation_is_the_one_helper(monkeypatch, journal):
    """One implementation: the database key and the backup key both come from passphrase.derive."""
    seen = []
    real = passphrase.derive
    monkeypatch.setattr(passphrase, "derive", lambda *a, **k: seen.append(a[2:] or k) or real(*a, **k))
    blob = encrypt_backup(b"PK" + b"x" * 10, WORDS)
    decrypt_backup(blob, WORDS)
    passphrase.derive_key(WORDS, {"n": 2**14, "r": 8, "p": 1, "salt": "00" * 16})
    assert len(seen) == 3


# -- the command line -------------------------------------------------------------------------------
@pytest.fixture
def cli_db(tmp_path, monkeypatch) -> str:
    for name in ("REBOUND_PASSPHRASE", "REBOUND_NEW_PASSPHRASE", "REBOUND_BACKUP_PASSPHRASE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    path = str(tmp_path / "r.duckdb")
    db = Database(path)
    generate(Store(db, "local"), weeks=3, seed=2)
    Store(db, "local").reflections.add("after_rejection", {"went_well": SECRET}, day=dt.date(2026, 11, 3))
    db.close()
    return path


def _counts(path: str) -> dict:
    db = Database(path)
    try:
        return Store(db, "local").account.row_counts()
    finally:
        db.close()


def test_cli_backup_encrypt_then_restore_with_the_passphrase(cli_db, tmp_path, monkeypatch, capsys):
    out = tmp_path / "b.zip.enc"
    monkeypatch.setenv("REBOUND_BACKUP_PASSPHRASE", WORDS)
    assert main(["backup", "--db", cli_db, "--encrypt", "-o", str(out)]) == 0
    said = capsys.readouterr().out
    assert said.startswith("Encrypted backup written to") and "cannot be recovered" in said
    blob = out.read_bytes()
    assert is_encrypted_backup(blob) and SECRET.encode() not in blob
    before = _counts(cli_db)
    assert main(["restore", str(out), "--db", cli_db, "--yes"]) == 0
    assert "Restored" in capsys.readouterr().out and _counts(cli_db) == before


def test_cli_restore_of_an_encrypted_backup_without_a_passphrase_exits_2_and_changes_nothing(
    cli_db, tmp_path, monkeypatch, capsys
):
    out = tmp_path / "b.zip.enc"
    out.write_bytes(encrypt_backup(_plain_backup(cli_db), WORDS))
    before, stamp = _counts(cli_db), os.stat(cli_db).st_mtime_ns
    assert main(["restore", str(out), "--db", cli_db, "--yes"]) == 2  # stdin is no terminal here
    assert capsys.readouterr().err.strip().splitlines() == [
        "rebound: This backup is encrypted: set REBOUND_BACKUP_PASSPHRASE, or run the command in a terminal."
    ]
    monkeypatch.setenv("REBOUND_BACKUP_PASSPHRASE", "not the passphrase")
    assert main(["restore", str(out), "--db", cli_db, "--yes"]) == 1
    assert "does not open this encrypted backup" in capsys.readouterr().err
    tampered = bytearray(out.read_bytes())
    tampered[-20] ^= 1
    out.write_bytes(bytes(tampered))
    monkeypatch.setenv("REBOUND_BACKUP_PASSPHRASE", WORDS)
    assert main(["restore", str(out), "--db", cli_db, "--yes"]) == 1
    assert "changed or damaged" in capsys.readouterr().err
    assert _counts(cli_db) == before and os.stat(cli_db).st_mtime_ns == stamp
    assert not (tmp_path / "backups").exists()  # nothing kept aside either: no restore began


def _plain_backup(path: str) -> bytes:
    db = Database(path)
    try:
        return make_backup(Store(db, "local"))
    finally:
        db.close()


def test_cli_backup_encrypt_needs_a_passphrase_of_eight_characters(cli_db, tmp_path, monkeypatch, capsys):
    out = tmp_path / "b.zip.enc"
    assert main(["backup", "--db", cli_db, "--encrypt", "-o", str(out)]) == 2
    assert "set REBOUND_BACKUP_PASSPHRASE" in capsys.readouterr().err
    monkeypatch.setenv("REBOUND_BACKUP_PASSPHRASE", "short")
    assert main(["backup", "--db", cli_db, "--encrypt", "-o", str(out)]) == 2
    assert "at least 8" in capsys.readouterr().err and not out.exists()
    assert main(["backup", "--db", cli_db, "-o", str(tmp_path / "plain.zip")]) == 0  # plain: as before
    assert (tmp_path / "plain.zip").read_bytes().startswith(b"PK")


def test_cli_an_encrypted_database_is_backed_up_encrypted_by_default(cli_db, tmp_path, monkeypatch, capsys):
    passphrase_words = "the database passphrase"
    from rebound.db import rewrite

    rewrite(cli_db, None, passphrase.derive_key(passphrase_words, passphrase.ensure_salt(cli_db)))
    monkeypatch.setenv("REBOUND_PASSPHRASE", passphrase_words)
    out = tmp_path / "b.zip.enc"
    assert main(["backup", "--db", cli_db, "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "encrypted, so its backup is too" in err and "--no-encrypt" in err and not out.exists()
    monkeypatch.setenv("REBOUND_BACKUP_PASSPHRASE", WORDS)
    assert main(["backup", "--db", cli_db, "-o", str(out)]) == 0
    assert decrypt_backup(out.read_bytes(), WORDS).startswith(b"PK")
    assert main(["backup", "--db", cli_db, "--no-encrypt", "-o", str(tmp_path / "plain.zip")]) == 0
    assert (tmp_path / "plain.zip").read_bytes().startswith(b"PK")


@pytest.mark.slow
def test_cli_restore_without_the_passphrase_is_one_line_and_exit_2_in_a_real_process(cli_db, tmp_path):
    out = tmp_path / "b.zip.enc"
    out.write_bytes(encrypt_backup(_plain_backup(cli_db), WORDS))
    blob = out.read_bytes()
    env = {k: v for k, v in os.environ.items() if not k.startswith("REBOUND_")}
    run = subprocess.run(
        [sys.executable, "-m", "rebound", "restore", str(out), "--db", cli_db, "--yes"],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2 and run.stdout == "" and "Traceback" not in run.stderr
    assert run.stderr.strip().splitlines() == [
        "rebound: This backup is encrypted: set REBOUND_BACKUP_PASSPHRASE, or run the command in a terminal."
    ]
    assert out.read_bytes() == blob  # the backup is only read
