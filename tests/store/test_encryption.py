"""The journal encrypted at rest: a passphrase-derived key (rebound.passphrase), DuckDB's encrypted
files (rebound.db), `rebound encrypt` / `rebound decrypt`, and a file written by a newer DuckDB."""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import signal
import struct
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from rebound import passphrase
from rebound.cli import main
from rebound.db import NEEDS_PASSPHRASE, Database, rewrite
from rebound.demo import generate
from rebound.errors import DatabaseFileError, PassphraseNeeded, ValidationError
from rebound.store import Store

ROOT = Path(__file__).resolve().parents[2]
SECRET = "Zq7-unforgettable-interview-regret-4411"  # a journal line no DuckDB metadata could contain
OLD, NEW = "correct horse battery", "staple of the new passphrase"


def _plain_with_demo(path: str, weeks: int = 8) -> None:
    db = Database(path)
    generate(Store(db, "local"), weeks=weeks, seed=5)
    db.close()


def _encrypt(path: str, words: str = OLD) -> str:
    key = passphrase.derive_key(words, passphrase.ensure_salt(path))
    rewrite(path, None, key)
    return key


def _rows(db: Database) -> dict:
    cur = db.cursor()
    tables = [
        r[0]
        for r in cur.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_catalog = current_database()"
            " AND table_schema = 'main' ORDER BY table_name"
        ).fetchall()
    ]
    return {t: sorted(map(repr, cur.execute(f'SELECT * FROM "{t}"').fetchall())) for t in tables}


def _add_reflection(store: Store, text: str) -> None:
    store.reflections.add("after_rejection", {"went_well": text}, day=dt.date(2026, 11, 3))


# -- the key ------------------------------------------------------------------------------------
def test_the_key_depends_on_the_passphrase_and_the_salt_and_neither_is_stored(tmp_path):
    path = tmp_path / "r.duckdb"
    params = passphrase.ensure_salt(path)
    assert passphrase.ensure_salt(path) == params  # made once, kept across changes of passphrase
    key = passphrase.derive_key(OLD, params)
    assert len(key) == 64 and key == passphrase.derive_key(OLD, params)
    assert passphrase.derive_key(NEW, params) != key
    assert passphrase.derive_key(OLD, {**params, "salt": "00" * 16}) != key
    stored = passphrase.salt_path(path).read_text()
    assert params["kdf"] == "scrypt" and params["n"] >= 2**15 and key not in stored and OLD not in stored


def test_a_new_passphrase_is_long_enough_and_typed_the_same_twice():
    with pytest.raises(ValidationError, match="at least 8"):
        passphrase.check_new("short")
    with pytest.raises(ValidationError, match="differ"):
        passphrase.check_new("long enough one", "long enough two")
    assert passphrase.check_new("long enough one", "long enough one") == "long enough one"


# -- opening ------------------------------------------------------------------------------------
def test_an_encrypted_database_opens_only_with_its_passphrase_and_keeps_every_row(tmp_path):
    path = str(tmp_path / "r.duckdb")
    _plain_with_demo(path)
    db = Database(path)
    before = _rows(db)
    db.close()
    key = _encrypt(path)
    assert passphrase.is_encrypted(path)

    with pytest.raises(PassphraseNeeded, match="This database is encrypted: enter its passphrase"):
        Database(path)
    with pytest.raises(PassphraseNeeded, match="does not open this database"):
        Database(path, key=passphrase.key_for(path, "not the passphrase"))
    with pytest.raises(duckdb.Error, match="Cannot open encrypted database"):  # and DuckDB alone reads nothing
        duckdb.connect(path)

    db = Database(path, key=key)
    try:
        assert _rows(db) == before
        store = Store(db, "local")
        new_id = store.applications.add("After", "Analyst", "referral", dt.date(2026, 11, 2))
        ids = [r[0] for r in db.cursor().execute("SELECT id FROM applications WHERE id != ?", [new_id]).fetchall()]
        assert new_id > max(ids)  # the sequence came along: no id is drawn twice
        twice = Database(path, key=key)  # a second object on the file shares it, with the same key only
        assert Store(twice, "local").applications.count() == store.applications.count()
        with pytest.raises(PassphraseNeeded, match="does not open"):
            Database(path, key=passphrase.key_for(path, "not the passphrase"))
        twice.close()
    finally:
        db.close()


def test_the_file_and_its_wal_hold_no_plaintext_journal_text(tmp_path):
    plain, secret = str(tmp_path / "plain.duckdb"), str(tmp_path / "secret.duckdb")
    for path in (plain, secret):
        Database(path).close()
    key = _encrypt(secret)
    for path, opened in ((plain, Database(plain)), (secret, Database(secret, key=key))):
        _add_reflection(Store(opened, "local"), SECRET)
        wal = Path(path + ".wal")
        assert wal.exists() and wal.stat().st_size > 0  # the reflection is in the log, not yet checkpointed
        found_in_wal = SECRET.encode() in wal.read_bytes()
        opened.close()  # checkpoints: the reflection moves into the file
        found_in_file = SECRET.encode() in Path(path).read_bytes()
        if path == plain:  # the search finds the text where it is stored in the clear
            assert found_in_wal and found_in_file
        else:
            assert not found_in_wal and not found_in_file
    reopened = Database(secret, key=key)
    assert SECRET in repr(reopened.cursor().execute("SELECT answers FROM reflections").fetchall())
    reopened.close()


def test_a_missing_or_damaged_salt_file_is_named(tmp_path):
    path = str(tmp_path / "r.duckdb")
    Database(path).close()
    _encrypt(path)
    salt = passphrase.salt_path(path)
    saved = salt.read_bytes()
    salt.unlink()
    with pytest.raises(DatabaseFileError, match=r"r\.duckdb\.salt.*missing"):
        passphrase.key_for(path, OLD)
    salt.write_text("{not json")
    with pytest.raises(DatabaseFileError, match="damaged"):
        passphrase.key_for(path, OLD)
    salt.write_bytes(saved)
    Database(path, key=passphrase.key_for(path, OLD)).close()


def test_decrypting_and_changing_the_key_keep_every_row(tmp_path):
    path = str(tmp_path / "r.duckdb")
    _plain_with_demo(path)
    db = Database(path)
    before = _rows(db)
    db.close()
    old = _encrypt(path)
    new = passphrase.derive_key(NEW, passphrase.ensure_salt(path))
    rewrite(path, old, new)
    with pytest.raises(PassphraseNeeded):
        Database(path, key=old)
    db = Database(path, key=new)
    assert _rows(db) == before
    db.close()
    rewrite(path, new, None)
    assert not passphrase.is_encrypted(path) and not passphrase.salt_path(path).exists()
    db = Database(path)
    assert _rows(db) == before
    db.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.duckdb"]  # no copy, no .wal, no salt left


# -- the command line ---------------------------------------------------------------------------
def _cli(*args: str, env: dict | None = None, **kw) -> subprocess.Popen:
    full = {k: v for k, v in os.environ.items() if k not in ("REBOUND_PASSPHRASE", "REBOUND_NEW_PASSPHRASE")}
    return subprocess.Popen(
        [sys.executable, "-m", "rebound", *args],
        cwd=ROOT,
        env={**full, **(env or {})},
        stdin=subprocess.DEVNULL,  # nobody to type a passphrase
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kw,
    )


def _run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    proc = _cli(*args, env=env)
    out, err = proc.communicate(timeout=120)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


@pytest.mark.slow
def test_every_command_needs_the_passphrase_and_says_so_in_one_line_with_exit_code_2(tmp_path):
    path = str(tmp_path / "r.duckdb")
    _plain_with_demo(path, weeks=2)
    done = _run("encrypt", "--db", path, env={"REBOUND_PASSPHRASE": OLD})
    assert done.returncode == 0, done.stderr
    assert "cannot be recovered" in done.stdout and passphrase.is_encrypted(path)

    procs = {  # in parallel: each is a Python start
        (tuple(command), words): _cli(*command, "--db", path, env={"REBOUND_PASSPHRASE": words} if words else None)
        for command in (["stats"], ["backup", "-o", str(tmp_path / "b.zip")], ["decrypt"])
        for words in (None, "not the passphrase")
    }
    for (command, words), proc in procs.items():
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 2 and out == "" and "Traceback" not in err, (command, words, err)
        assert err.strip().splitlines() == [
            f"rebound: {NEEDS_PASSPHRASE} Set REBOUND_PASSPHRASE, or run the command in a terminal."
            if words is None
            else "rebound: That passphrase does not open this database (nothing was read or changed). Try again."
        ]
    assert not (tmp_path / "b.zip").exists() and passphrase.is_encrypted(path)
    done = _run("stats", "--json", "--db", path, env={"REBOUND_PASSPHRASE": OLD})
    assert done.returncode == 0 and '"applications"' in done.stdout


def test_encrypt_changes_a_passphrase_and_decrypt_removes_it(tmp_path, monkeypatch, capsys):
    path = str(tmp_path / "r.duckdb")
    _plain_with_demo(path, weeks=2)
    monkeypatch.setenv("REBOUND_PASSPHRASE", "short")
    assert main(["encrypt", "--db", path]) == 2  # refused: nothing changed
    assert "at least 8" in capsys.readouterr().err and not passphrase.is_encrypted(path)
    monkeypatch.setenv("REBOUND_PASSPHRASE", OLD)
    assert main(["encrypt", "--db", path]) == 0
    assert "Encrypted" in capsys.readouterr().out
    monkeypatch.setenv("REBOUND_NEW_PASSPHRASE", NEW)
    assert main(["encrypt", "--db", path]) == 0
    assert "Changed the passphrase" in capsys.readouterr().out
    assert main(["stats", "--db", path]) == 2  # REBOUND_PASSPHRASE is the old one now
    monkeypatch.setenv("REBOUND_PASSPHRASE", NEW)
    assert main(["stats", "--db", path]) == 0
    assert main(["decrypt", "--db", path]) == 0
    monkeypatch.delenv("REBOUND_PASSPHRASE")
    assert main(["stats", "--db", path]) == 0 and not passphrase.is_encrypted(path)
    assert main(["decrypt", "--db", path]) == 0
    assert "not encrypted" in capsys.readouterr().out


KILLS = 5


@pytest.mark.slow
@pytest.mark.parametrize("change", ["encrypt", "rekey", "decrypt"])
def test_sigkill_at_random_moments_leaves_the_old_or_the_new_key_working(tmp_path, change):
    """The change runs as `rebound encrypt`/`decrypt` in a process killed from outside after a random
    delay spread over the change's own run time; afterwards the file opens with the old key or the
    new one (never neither) and holds every row."""
    base = str(tmp_path / "base.duckdb")
    _plain_with_demo(base, weeks=26)
    env_old = {} if change == "encrypt" else {"REBOUND_PASSPHRASE": OLD}
    if change != "encrypt":
        _encrypt(base, OLD)
    args, env = {
        "encrypt": (["encrypt"], {"REBOUND_PASSPHRASE": NEW}),
        "rekey": (["encrypt"], {"REBOUND_PASSPHRASE": OLD, "REBOUND_NEW_PASSPHRASE": NEW}),
        "decrypt": (["decrypt"], {"REBOUND_PASSPHRASE": OLD}),
    }[change]

    def opens(path: str, words: str | None) -> dict | None:
        try:
            db = Database(
                path, key=passphrase.key_for(path, words) if words and passphrase.is_encrypted(path) else None
            )
        except PassphraseNeeded:
            return None
        try:
            return _rows(db)
        finally:
            db.close()

    old_words = env_old.get("REBOUND_PASSPHRASE")
    new_words = None if change == "decrypt" else NEW
    before = opens(base, old_words)
    assert before is not None

    finished = str(tmp_path / "finished.duckdb")
    shutil.copy(base, finished)
    if Path(base + ".salt").exists():
        shutil.copy(base + ".salt", finished + ".salt")
    started = time.perf_counter()
    done = _run(*args, "--db", finished, env=env)
    took = time.perf_counter() - started
    assert done.returncode == 0, done.stderr
    assert opens(finished, new_words) == before

    rng = random.Random(f"crypt-{change}")
    outcomes = []
    for i in range(KILLS):
        path = str(tmp_path / f"killed-{i}.duckdb")
        shutil.copy(base, path)
        if Path(base + ".salt").exists():
            shutil.copy(base + ".salt", path + ".salt")
        delay = rng.uniform(0.4 * took, 1.05 * took)  # the first ~half is Python starting up, then scrypt
        proc = _cli(*args, "--db", path, env=env)
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=30)
        with_old, with_new = opens(path, old_words), opens(path, new_words)
        assert before in (with_old, with_new), f"kill {i} after {delay:.2f}s: neither key opens the file intact"
        outcomes.append("old" if with_old == before else "new")
        # and the change still goes through afterwards (removing any copy the kill left beside the file)
        if outcomes[-1] == "old" and "old" not in outcomes[:-1]:
            assert _run(*args, "--db", path, env=env).returncode == 0
            assert opens(path, new_words) == before
            assert not Path(path + ".rewrite").exists()
    print(change, f"ran {took:.1f}s; kills left:", outcomes)


# -- a file from a newer DuckDB (issue 24, item 4) -------------------------------------------------
def _duckdb_checksum(block: bytes) -> int:
    """DuckDB's block checksum (src/common/checksum.cpp) over 8-byte words, as the header stores it."""
    result = 5381
    for (word,) in struct.iter_unpack("<Q", block):
        result ^= (word * 0xBF58476D1CE4E5B9) & 0xFFFF_FFFF_FFFF_FFFF
    return result


def test_a_file_from_a_newer_duckdb_is_refused_clearly_and_left_untouched(tmp_path):
    path = str(tmp_path / "r.duckdb")
    Database(path).close()
    header = bytearray(Path(path).read_bytes()[:4096])
    assert _duckdb_checksum(bytes(header[8:])) == struct.unpack_from("<Q", header, 0)[0]  # the checksum is right
    struct.pack_into("<Q", header, 12, 99)  # the storage version a future DuckDB might write
    struct.pack_into("<Q", header, 0, _duckdb_checksum(bytes(header[8:])))
    data = bytes(header) + Path(path).read_bytes()[4096:]
    Path(path).write_bytes(data)

    with pytest.raises(DatabaseFileError, match=r"newer DuckDB \(storage version 99\).*left it untouched"):
        Database(path)
    done = _run("stats", "--db", path)
    assert done.returncode == 1 and "newer DuckDB" in done.stderr and "Traceback" not in done.stderr
    assert Path(path).read_bytes() == data and not Path(path + ".wal").exists()


def test_opening_and_writing_never_upgrades_a_files_storage_version(tmp_path):
    path = str(tmp_path / "r.duckdb")
    _plain_with_demo(path, weeks=2)
    version = passphrase.storage_version(path)
    db = Database(path)
    Store(db, "local").applications.add("Later", "Analyst", "referral", dt.date(2026, 11, 2))
    db.close()
    assert passphrase.storage_version(path) == version
