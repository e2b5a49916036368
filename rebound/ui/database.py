"""Who is using the app and which database they see: the sign-in gate, the cached database, each
hosted visitor's private session database, demo switching, and the current user's store."""

from __future__ import annotations

import os
import sys
import time
import uuid
from collections.abc import Callable
from typing import NoReturn

import streamlit as st

from rebound import fence
from rebound.config import demo_db_path, is_local_file, resolve_db_path
from rebound.db import Database, needs_passphrase
from rebound.errors import DatabaseError, DatabaseLockedError, PassphraseNeeded, SessionsFull
from rebound.identity import LOCAL_USER, auth_configured, is_hosted, sign_in_expired, user_id_from_claims
from rebound.sessions import Lease, SessionDatabases
from rebound.store import Store
from rebound.ui.session import (
    DATABASE_KEY,
    DATABASE_NOTICE_SEEN,
    DEMO_MODE,
    FENCE_OWNER,
    SESSION_EXPIRED,
    SESSION_LEASE,
    SESSION_USER,
)
from rebound.ui.text import md_escape


def _secrets() -> dict:
    try:
        return dict(st.secrets)
    except Exception:  # no secrets file: that is the normal local case
        return {}


def db_path() -> str:
    """`streamlit run app.py -- --db PATH` > REBOUND_DB > secrets > data/rebound.duckdb."""
    return resolve_db_path(sys.argv[1:], os.environ, _secrets())


@st.cache_resource(show_spinner=False)
def open_database(path: str, key: str | None = None) -> Database:
    """The one open Database of a file (per key: a wrong key raises, and nothing is cached)."""
    token = _secrets().get("MOTHERDUCK_TOKEN") or os.environ.get("MOTHERDUCK_TOKEN")
    return Database(path, motherduck_token=token if path.startswith("md:") else None, key=key)


def session_key(path: str) -> str | None:
    """The key this browser session unlocked `path` with (None: not unlocked, or a plain file)."""
    kept = DATABASE_KEY.get()
    return kept[1] if kept and kept[0] == path else None


def close_database(path: str) -> None:
    """Close every open Database this app holds on `path` (before its file is rewritten)."""
    from rebound.mail import background

    background.stop_all()  # a mailbox check begun on opening stops after its batch: nothing half-written
    for key in {None, session_key(path)}:
        try:
            open_database(path, key).close()
        except DatabaseError:  # not open under that key (it raised, so nothing was cached)
            pass
    open_database.clear()


def auth_is_on() -> bool:
    return auth_configured(_secrets())


def hosted() -> bool:
    return is_hosted(secrets=_secrets())


def session_demo() -> bool:
    """A hosted app without sign-in: each browser session gets its own throwaway demo."""
    return SESSION_USER.is_set()


# Every in-memory database (a hosted visitor's private demo, a MotherDuck user's demo) belongs to
# one browser session and is freed with it: see rebound.sessions.
SESSIONS = SessionDatabases()  # a database's cached results go when it closes (rebound.cache)
LEASE_KEY = SESSION_LEASE.key


class _SessionEnd:
    """One per browser session, as a session-scoped resource: Streamlit releases it when the
    session disconnects, and the session's private databases close with it."""

    def __init__(self) -> None:
        self.keys: set[str] = set()

    def release(self) -> None:
        for key in list(self.keys):
            SESSIONS.close(key)


@st.cache_resource(scope="session", on_release=_SessionEnd.release, show_spinner=False)
def _session_end() -> _SessionEnd:
    return _SessionEnd()


def _client() -> str:
    """The visitor's address, for a fair share of the private sessions: behind a proxy (Community
    Cloud), the address the proxy saw is the LAST X-Forwarded-For entry (the first ones are whatever the
    client sent); without one, the connection's own address."""
    forwarded = st.context.headers.get("X-Forwarded-For", "")
    return forwarded.split(",")[-1].strip() or st.context.ip_address or ""


def _new_lease() -> Lease:
    """A private database for this session, closed when the session ends (or sits idle)."""
    try:
        lease = SESSIONS.lease(client=_client())
    except SessionsFull as error:
        st.error(str(error), icon="⏳")
        st.stop()
    _session_end().keys.add(lease.key)
    return lease


def _database_of(lease: Lease) -> Database:
    """The database of a lease this session has just made."""
    db = SESSIONS.get(lease)
    if db is None:  # never: a new database is the last to be evicted or swept (rebound.sessions)
        raise RuntimeError("a new private session database was closed before its first use")
    return db


def _session_database() -> Database:
    """This session's private in-memory database, made on first use (a demo on MotherDuck)."""
    lease = SESSION_LEASE.get()
    db = SESSIONS.get(lease) if isinstance(lease, Lease) else None
    if db is None:
        db = _database_of(SESSION_LEASE.set(_new_lease()))
    return db


def require_user() -> str:
    """Who is using the app (see _who), and, where the local database is encrypted, the passphrase
    once per browser session: before either is known, only the sign-in or the unlock page shows."""
    user = _who()
    if not session_demo() and needs_passphrase(db_path()) and session_key(db_path()) is None:
        from rebound.ui import nav
        from rebound.ui.unlock import unlock_page

        if not nav.registered():  # never in the app (pages/__init__.py registers them on import)
            _gate(unlock_page)
        # The app's own pages, hidden and not run: the address asked for (a deep link, a reload)
        # stays, and is the page shown once the passphrase is given.
        st.navigation(nav.registered(), position="hidden")
        unlock_page()
        st.stop()
    return user


def _who() -> str:
    """Who is using the app; shows sign-in (or the hosted-without-auth notice) and stops if unknown.

    - [auth] configured: st.login (OIDC) gates the app; each person gets private data.
    - hosted without [auth]: never one shared journal; offer a private per-session demo.
    - local, no auth: the one local user.
    """
    if auth_configured(_secrets()):
        if not st.user.is_logged_in:
            _gate(_sign_in_page)
        claims = st.user.to_dict()
        if sign_in_expired(claims, time.time()):
            _gate(_sign_in_again_page)
        return user_id_from_claims(claims)
    if hosted():
        lease = SESSION_LEASE.get()
        if session_demo() and (not isinstance(lease, Lease) or SESSIONS.get(lease) is None):
            SESSION_USER.clear()  # freed after sitting idle: offer a new one
            SESSION_EXPIRED.set(True)
        user = SESSION_USER.get()
        if not session_demo() or user is None:
            _gate(_hosted_without_auth_page)
        return user
    return LOCAL_USER


def _gate(draw: Callable[[], None]) -> NoReturn:
    """Show only `draw` (sign-in, or the hosted notice) and stop. As the one page of a hidden
    navigation: no menu of the app's pages behind the gate (a server's first run, in Streamlit's
    legacy mode for a folder named pages/, would otherwise list that folder's files)."""
    st.navigation([st.Page(draw, title="Rebound", url_path="welcome", default=True)], position="hidden").run()
    st.stop()


def _sign_in_page() -> None:
    st.title("Rebound")
    st.markdown(
        "Your job-search journal is private. Sign in to see your own entries; nobody else using this app can see them."
    )
    if st.button("Sign in", type="primary", icon=":material/login:"):
        st.login()


def _sign_in_again_page() -> None:
    st.title("Rebound")
    st.info("Your sign-in has expired. Sign in again to open your journal.", icon=":material/lock_clock:")
    if st.button("Sign in again", type="primary", icon=":material/login:"):
        st.login()


def _hosted_without_auth_page() -> None:
    st.title("Rebound")
    st.warning(
        "**This shared copy of Rebound has no sign-in set up**, so it will not keep a journal here: "
        "everyone who opens this address would see the same entries. The owner can turn on sign-in "
        "(see the README's deploy guide).",
        icon="🔒",
    )
    st.markdown(
        "You can still try Rebound with a **private demo session**: synthetic data that only "
        "this browser tab sees, gone when you close it."
    )
    if SESSION_EXPIRED.pop():
        st.info(
            "Your private demo session has ended (it closes when this tab loses its connection or "
            "sits unused for 30 minutes), and its data is gone. Start a new one whenever you like.",
            icon="⌛",
        )
    if st.button("Try a private demo session", type="primary"):
        lease = _new_lease()
        from rebound.demo import generate

        # Straight into the session's own database: this runs inside app.py's sign-in gate, where
        # store() (which asks for the user) must not run.
        with st.spinner("Making a demo job search…"):
            generate(Store(_database_of(lease), lease.key), weeks=26, seed=7)
        SESSION_LEASE.set(lease)
        SESSION_USER.set(lease.key)
        DEMO_MODE.set(True)
        st.rerun()


# Demo mode is kept in the address as ?demo=1 as well as in the session: Streamlit's session state
# is gone after a reload, and a link opens a new session, but the address survives both.
DEMO_PARAM = "demo"


def in_demo() -> bool:
    """Exploring the demo database? A new session (a reload, a link) reads it from the address."""
    if not DEMO_MODE.is_set():
        DEMO_MODE.set(st.query_params.get(DEMO_PARAM) == "1" and not session_demo())
    return bool(DEMO_MODE.get())


def keep_demo_in_address() -> None:
    """Once a run: put ?demo=1 back in the address when moving to another page dropped it."""
    if in_demo() and st.query_params.get(DEMO_PARAM) != "1":
        st.query_params[DEMO_PARAM] = "1"


def active_db_path() -> str:
    if session_demo():
        return ":memory:"  # per-session demos never touch the shared file
    return demo_db_path(db_path()) if in_demo() else db_path()


def storage_is_ephemeral() -> bool:
    """A local file on a shared host vanishes when the host restarts or redeploys."""
    return hosted() and is_local_file(db_path()) and not session_demo()


def store() -> Store:
    """The signed-in user's store, or a clear message and a stop if the database can't open."""
    path = active_db_path()
    if path == ":memory:":
        user = require_user()
        return Store(_session_database(), user)
    try:
        db = open_database(path, session_key(path) if needs_passphrase(path) else None)
    except PassphraseNeeded:  # the passphrase was changed (in another tab, or by `rebound encrypt`): ask again
        DATABASE_KEY.clear()
        st.rerun()
    except DatabaseError as error:
        again = " Then reload this page." if isinstance(error, DatabaseLockedError) else ""
        st.error(str(error) + again, icon="🔒")
        st.stop()
    return Store(db, require_user())


def fence_this_session() -> None:
    """Name this browser session to the fenced workers this script run starts (rebound.fence): hosted,
    a session reads one file at a time, and the whole server runs at most limits.HOSTED_WORKERS."""
    fence.set_caller(FENCE_OWNER.setdefault(uuid.uuid4().hex), hosted())


def show_database_notice() -> None:
    """What opening the database had to say (a journal of changes a crash cut short: rebound.db), one
    line above every page of a browser session until it is acknowledged."""
    if session_demo() or DATABASE_NOTICE_SEEN.get():
        return
    path = active_db_path()
    try:
        db = open_database(path, session_key(path) if needs_passphrase(path) else None)
    except DatabaseError:  # the page says why
        return
    if db.notice:
        warning, ok = st.columns([12, 1], vertical_alignment="center")
        warning.warning(md_escape(db.notice), icon="⚠️")
        if ok.button("Got it", key="database_notice_ok"):
            DATABASE_NOTICE_SEEN.set(True)
            st.rerun()


def start_demo() -> None:
    """Switch this session to the demo database, filling it on first use."""
    from rebound.demo import generate

    DEMO_MODE.set(True)
    st.query_params[DEMO_PARAM] = "1"
    demo = store()
    if demo.applications.count() == 0:
        with st.spinner("Making a demo job search…"):
            generate(demo, weeks=26, seed=7)


def leave_demo() -> None:
    DEMO_MODE.set(False)
    if DEMO_PARAM in st.query_params:
        del st.query_params[DEMO_PARAM]
