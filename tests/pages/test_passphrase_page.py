"""The app with an encrypted journal: unlock once per browser session, and the Passphrase page
(set, change, remove, each behind the warning that a forgotten passphrase cannot be recovered)."""

from __future__ import annotations

import datetime as dt

from rebound import passphrase
from rebound.db import Database, rewrite
from rebound.store import Store

WORDS, NEW = "correct horse battery", "a brand new passphrase"


def _text(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [t.value for t in at.title]
    parts += [e.value for e in at.info] + [e.value for e in at.warning] + [e.value for e in at.success]
    parts += [e.value for e in at.error]
    return "\n".join(str(p) for p in parts)


def _field(at, label):
    return next(t for t in at.text_input if t.label == label)


def _button(at, label):
    return next(b for b in at.button if b.label == label)


def _journal(path: str) -> None:
    db = Database(path)
    Store(db, "local").applications.add("Acme Robotics", "Analyst", "referral", dt.date(2026, 11, 2))
    db.close()


def _encrypt(path: str, words: str = WORDS) -> None:
    rewrite(path, None, passphrase.derive_key(words, passphrase.ensure_salt(path)))


def test_an_encrypted_journal_asks_for_its_passphrase_before_anything_else(run_page, db_path):
    _journal(db_path)
    _encrypt(db_path)
    at = run_page("pages/outcomes.py", db_path)
    assert [t.label for t in at.text_input] == ["Passphrase"]  # the unlock page alone
    assert "Acme Robotics" not in _text(at) and "encrypted" in _text(at)

    _field(at, "Passphrase").set_value("not the passphrase")
    _button(at, "Unlock").click().run()
    assert "does not open this database" in _text(at)
    assert [t.label for t in at.text_input] == ["Passphrase"] and "Acme Robotics" not in _text(at)

    _field(at, "Passphrase").set_value(WORDS)
    _button(at, "Unlock").click().run()
    assert not at.exception
    assert "Passphrase" not in [t.label for t in at.text_input]
    at.run()  # once per session: a rerun does not ask again
    assert "Passphrase" not in [t.label for t in at.text_input] and not at.exception

    again = run_page("pages/today.py", db_path)  # another browser session asks for itself
    assert [t.label for t in again.text_input] == ["Passphrase"]


def test_set_change_and_remove_the_passphrase(run_page, db_path):
    _journal(db_path)
    at = run_page("pages/passphrase.py", db_path)
    assert "cannot be recovered" in _text(at) and "not encrypted" in _text(at)

    _field(at, "New passphrase").set_value(WORDS)
    _field(at, "The same passphrase again").set_value(WORDS)
    _button(at, "Encrypt my journal").click().run()  # the box not ticked: refused, nothing changed
    assert "Tick the box" in _text(at) and not passphrase.is_encrypted(db_path)

    _field(at, "New passphrase").set_value(WORDS)
    _field(at, "The same passphrase again").set_value(WORDS)
    at.checkbox[0].check()
    _button(at, "Encrypt my journal").click().run()
    assert not at.exception and passphrase.is_encrypted(db_path)
    assert "is encrypted" in _text(at)  # this session stays unlocked: the page, not the unlock prompt

    _field(at, "Current passphrase").set_value("not the passphrase")  # the change form's field comes first
    _field(at, "New passphrase").set_value(NEW)
    _field(at, "The same passphrase again").set_value(NEW)
    next(c for c in at.checkbox).check()
    _button(at, "Change the passphrase").click().run()
    assert "not the current passphrase" in _text(at)
    assert passphrase.key_for(db_path, WORDS)  # still the old one (opened below)

    _field(at, "Current passphrase").set_value(WORDS)
    _field(at, "New passphrase").set_value(NEW)
    _field(at, "The same passphrase again").set_value(NEW)
    at.checkbox[0].check()
    _button(at, "Change the passphrase").click().run()
    assert not at.exception and "is changed" in _text(at)

    again = run_page("pages/outcomes.py", db_path)
    _field(again, "Passphrase").set_value(WORDS)
    _button(again, "Unlock").click().run()
    assert "does not open" in _text(again)
    _field(again, "Passphrase").set_value(NEW)
    _button(again, "Unlock").click().run()
    assert not again.exception and "Passphrase" not in [t.label for t in again.text_input]

    at.run()
    fields = [t for t in at.text_input if t.label == "Current passphrase"]
    fields[-1].set_value(NEW)  # the remove form's
    _button(at, "Store my journal unencrypted").click().run()
    assert not at.exception and "unencrypted now" in _text(at)
    assert not passphrase.is_encrypted(db_path) and not passphrase.salt_path(db_path).exists()
    db = Database(db_path)
    assert Store(db, "local").applications.count() == 1
    db.close()
