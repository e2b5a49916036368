"""The passphrase of the local database: unlock it once per browser session, and set, change or
remove it (the Passphrase page). The key derivation and the rewrite are rebound.passphrase and
rebound.db.rewrite; this module only asks and tells."""

from __future__ import annotations

import threading

import streamlit as st

from rebound import passphrase
from rebound.config import is_local_file
from rebound.db import needs_passphrase, rewrite
from rebound.errors import DatabaseError, ValidationError
from rebound.ui.database import close_database, db_path, hosted, in_demo, open_database, session_demo, session_key
from rebound.ui.messages import flash, show_flash
from rebound.ui.session import DATABASE_KEY

FORGOTTEN = (
    "**A forgotten passphrase cannot be recovered.** Not by you, not by Rebound, not by anyone: "
    "Rebound keeps no copy of it and no way around it, so without it every entry in this journal is "
    "lost for good. Write it down and keep it somewhere safe."
)
WHAT_IT_COVERS = (
    "The passphrase encrypts the whole database file (and its log of recent changes) with AES-GCM, "
    "under a key derived from the passphrase with scrypt. It protects the file when someone else has "
    "it (a lost laptop, a copied folder), not while Rebound is open and unlocked. A backup you download "
    "from the Data page is encrypted with a passphrase of its own if you choose (the default while the "
    "journal is encrypted); exports are not encrypted: keep them as safe as the database. Keep the "
    "file `{salt}` beside the database (copying the folder keeps both): without it no passphrase opens it."
)
_CHANGING = threading.Lock()  # one change of passphrase at a time in this server


def unlock_page() -> None:
    """The only page before the passphrase is given: one field, and a clear message if it is wrong."""
    path = db_path()
    st.title("Rebound")
    st.markdown("Your journal is encrypted. Enter its passphrase to open it; this browser tab asks only once.")
    with st.form("unlock"):
        words = st.text_input("Passphrase", type="password", key="unlock_passphrase")
        unlock = st.form_submit_button("Unlock", type="primary", icon=":material/lock_open:")
    if unlock:
        if not words:
            st.error("Enter the passphrase of this journal.", icon="🔒")
            return
        try:
            with st.spinner("Opening…"):
                key = passphrase.key_for(path, words)
                open_database(path, key)  # raises for a wrong key: nothing is kept then
        except DatabaseError as error:
            st.error(str(error), icon="🔒")
            return
        DATABASE_KEY.set((path, key))
        st.rerun()
    st.caption("Forgotten it? It cannot be recovered, and nobody can open this journal without it.")


def _applies() -> str | None:
    """Why the passphrase settings don't apply here, or None where they do."""
    if session_demo() or hosted():
        return "A passphrase protects a journal kept in a file on your own computer; this copy of Rebound keeps none."
    if in_demo():
        return "You are exploring demo data: go back to your own data to set its passphrase."
    if not is_local_file(db_path()):
        return "A passphrase protects a local database file; this journal is kept in MotherDuck."
    return None


def _change(path: str, old_key: str | None, new_words: str | None) -> str | None:
    """Rewrite the file under a new key (None: unencrypted), as one rename; returns the new key."""
    with _CHANGING:
        new_key = passphrase.derive_key(new_words, passphrase.ensure_salt(path)) if new_words else None
        close_database(path)
        rewrite(path, old_key, new_key)
        open_database(path, new_key)
    return new_key


def passphrase_settings() -> None:
    """Set, change or remove the passphrase, each behind the plain warning that it cannot be recovered."""
    st.title("Passphrase")
    show_flash()
    why_not = _applies()
    if why_not:
        st.info(why_not, icon="🔓")
        return
    path = db_path()
    encrypted = needs_passphrase(path)
    if encrypted:
        st.success(f"Your journal (`{path}`) is encrypted: it opens only with its passphrase.", icon="🔒")
    else:
        st.info(f"Your journal (`{path}`) is not encrypted: whoever has the file can read it.", icon="🔓")
    st.warning(FORGOTTEN, icon="⚠️")
    st.caption(WHAT_IT_COVERS.format(salt=passphrase.salt_path(path).name))

    if not encrypted:
        with st.form("passphrase_set", clear_on_submit=True):
            st.subheader("Set a passphrase")
            new = st.text_input("New passphrase", type="password", help=f"At least {passphrase.MIN_LENGTH} characters")
            again = st.text_input("The same passphrase again", type="password")
            understood = st.checkbox("I understand that a forgotten passphrase cannot be recovered")
            if st.form_submit_button("Encrypt my journal", type="primary", icon=":material/lock:"):
                _run(path, None, new, again, understood, "Your journal is encrypted now.")
        return

    old_key = session_key(path)
    with st.form("passphrase_change", clear_on_submit=True):
        st.subheader("Change the passphrase")
        current = st.text_input("Current passphrase", type="password")
        new = st.text_input("New passphrase", type="password", help=f"At least {passphrase.MIN_LENGTH} characters")
        again = st.text_input("The same passphrase again", type="password")
        understood = st.checkbox("I understand that a forgotten passphrase cannot be recovered")
        if st.form_submit_button("Change the passphrase", type="primary"):
            _run(path, current, new, again, understood, "The passphrase is changed.", old_key)
    with st.form("passphrase_remove", clear_on_submit=True):
        st.subheader("Remove the passphrase")
        st.markdown("The file is rewritten unencrypted: whoever has it can read your journal again.")
        current = st.text_input("Current passphrase", type="password")
        if st.form_submit_button("Store my journal unencrypted"):
            _run(path, current, None, None, True, "Your journal is stored unencrypted now.", old_key)


def _run(
    path: str,
    current: str | None,
    new: str | None,
    again: str | None,
    understood: bool,
    done: str,
    old_key: str | None = None,
) -> None:
    """Check what was typed, then rewrite the file; every refusal leaves it as it was."""
    try:
        if current is not None and (
            not current or old_key is None or passphrase.key_for(path, current) != old_key
        ):  # the passphrase of the file, typed again: a tab left open is not enough to change it
            raise ValidationError("That is not the current passphrase: nothing was changed.")
        if new is not None:
            passphrase.check_new(new, again)
            if not understood:
                raise ValidationError(
                    "Tick the box to confirm you understand a forgotten passphrase cannot be recovered."
                )
        with st.spinner("Rewriting your journal…"):
            new_key = _change(path, old_key, new)
    except (ValidationError, DatabaseError) as error:
        st.error(str(error), icon="🔒")
        return
    if new_key:
        DATABASE_KEY.set((path, new_key))
    else:
        DATABASE_KEY.clear()
    flash(done, icon="🔒", banner=True)
    st.rerun()
