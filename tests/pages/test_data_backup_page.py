"""The Data page's backup section (issue 24): a backup optionally encrypted with a passphrase of its own
(offered by default when the journal is encrypted, with the honest note), and the restore of an
encrypted backup: recognised by its header, opened with its passphrase, then restored as a plain one."""

from __future__ import annotations

import datetime as dt

import pytest

from rebound import passphrase
from rebound.backup import encrypt_backup, make_backup
from rebound.db import Database, rewrite
from rebound.store import Store

WORDS = "a backup passphrase of mine"
JOURNAL_WORDS = "correct horse battery"


def _journal(path: str) -> None:
    db = Database(path)
    store = Store(db, "local")
    store.applications.add("Acme Robotics", "Analyst", "referral", dt.date(2026, 11, 2))
    store.applications.add("Kōwhai & Co", "Data Analyst", "job board", dt.date(2026, 11, 4))
    db.close()


def _text(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [e.value for e in at.info]
    parts += [e.value for e in at.error] + [e.value for e in at.success] + [e.value for e in at.warning]
    return "\n".join(str(p) for p in parts)


def _backup_download(at):
    return next(b.proto for b in at.get("download_button") if b.proto.label.startswith("Download a"))


def test_a_backup_can_be_encrypted_with_a_passphrase_typed_twice(run_page, db_path):
    _journal(db_path)
    at = run_page("pages/data.py", db_path)
    box = at.checkbox(key="data_backup_encrypt")
    assert box.value is False  # a plain journal: a plain backup unless asked
    assert _backup_download(at).label == "Download a backup" and not _backup_download(at).disabled

    box.check().run()
    assert "A forgotten passphrase cannot be recovered" in _text(at)
    assert _backup_download(at).label == "Download an encrypted backup"
    assert _backup_download(at).disabled  # no passphrase yet
    at.text_input(key="data_backup_passphrase").set_value("short")
    at.text_input(key="data_backup_passphrase_again").set_value("short").run()
    assert "at least 8 characters" in _text(at) and _backup_download(at).disabled
    at.text_input(key="data_backup_passphrase").set_value(WORDS)
    at.text_input(key="data_backup_passphrase_again").set_value(WORDS + "!").run()
    assert "The two passphrases differ" in _text(at) and _backup_download(at).disabled
    at.text_input(key="data_backup_passphrase_again").set_value(WORDS).run()
    assert not at.exception and not at.error
    assert not _backup_download(at).disabled and _backup_download(at).label == "Download an encrypted backup"


def test_an_encrypted_journal_offers_an_encrypted_backup_by_default(run_page, db_path):
    _journal(db_path)
    rewrite(db_path, None, passphrase.derive_key(JOURNAL_WORDS, passphrase.ensure_salt(db_path)))
    at = run_page("pages/data.py", db_path)
    next(t for t in at.text_input if t.label == "Passphrase").set_value(JOURNAL_WORDS)
    next(b for b in at.button if b.label == "Unlock").click().run()
    assert not at.exception
    at.run()
    assert at.checkbox(key="data_backup_encrypt").value is True
    assert "A forgotten passphrase cannot be recovered" in _text(at)


@pytest.fixture
def attach(monkeypatch):
    """attach(name, data): the restore's uploader answers with this file (AppTest cannot attach files)."""
    import streamlit
    from streamlit.delta_generator import DeltaGenerator

    attached: list = []

    class Upload:
        def __init__(self, name: str, data: bytes) -> None:
            self.name, self.data = name, data

        def getvalue(self) -> bytes:
            return self.data

    real_uploader = DeltaGenerator.file_uploader

    def uploader(self, label, *args, key=None, **kwargs):
        shown = real_uploader(self, label, *args, key=key, **kwargs)
        return attached[-1] if attached and str(key).startswith("data_restore_file_") else shown

    monkeypatch.setattr(DeltaGenerator, "file_uploader", uploader)
    # st.file_uploader is the main area's method, bound when Streamlit was imported
    monkeypatch.setattr(streamlit, "file_uploader", lambda *a, **k: uploader(streamlit._main, *a, **k))
    return lambda name, data: attached.append(Upload(name, data))


def _backup_of(path: str) -> bytes:
    db = Database(path)
    try:
        return make_backup(Store(db, "local"))
    finally:
        db.close()


def test_an_encrypted_backup_is_restored_after_its_passphrase(run_page, db_path, attach):
    _journal(db_path)
    sealed = encrypt_backup(_backup_of(db_path), WORDS)
    attach("rebound-backup.zip.enc", sealed)
    at = run_page("pages/data.py", db_path)
    assert "This backup is encrypted" in _text(at) and "Backup from" not in _text(at)
    field = at.text_input(key="data_restore_passphrase_0")

    field.set_value("not the passphrase")
    next(b for b in at.button if b.label == "Open the backup").click().run()
    assert "That passphrase does not open this encrypted backup" in _text(at) and "Backup from" not in _text(at)

    at.text_input(key="data_restore_passphrase_0").set_value(WORDS)
    next(b for b in at.button if b.label == "Open the backup").click().run()
    assert not at.exception
    assert "Backup from" in _text(at) and "2 applications" in _text(at)
    at.checkbox(key="data_restore_sure").check().run()  # a rerun: the backup stays open
    assert "This backup is encrypted" not in _text(at)
    at.button(key="data_restore_go").click().run()
    assert not at.exception
    assert any("Restored 2 applications" in s.value for s in at.success), _text(at)


def test_a_tampered_encrypted_backup_is_refused_and_nothing_changes(run_page, db_path, attach):
    _journal(db_path)
    sealed = bytearray(encrypt_backup(_backup_of(db_path), WORDS))
    sealed[len(sealed) // 2] ^= 0x01
    attach("rebound-backup.zip.enc", bytes(sealed))
    at = run_page("pages/data.py", db_path)
    at.text_input(key="data_restore_passphrase_0").set_value(WORDS)
    next(b for b in at.button if b.label == "Open the backup").click().run()
    assert "changed or damaged since it was made" in _text(at)
    assert "Backup from" not in _text(at) and "data_restore_go" not in [b.key for b in at.button]


def test_a_plain_backup_restores_as_before(run_page, db_path, attach):
    _journal(db_path)
    attach("rebound-backup.zip", _backup_of(db_path))
    at = run_page("pages/data.py", db_path)
    assert "This backup is encrypted" not in _text(at) and "Backup from" in _text(at)
    at.checkbox(key="data_restore_sure").check().run()
    at.button(key="data_restore_go").click().run()
    assert any("Restored 2 applications" in s.value for s in at.success), _text(at)
