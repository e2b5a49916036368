"""Streamlit glue shared by the pages: the cached database, the current user's store, caching."""

from __future__ import annotations

import os
import sys

import streamlit as st

from rebound.config import demo_db_path, resolve_db_path
from rebound.db import Database, DatabaseError
from rebound.store import Store

LOCAL_USER = "local"


def _secrets() -> dict:
    try:
        return dict(st.secrets)
    except Exception:  # no secrets file: that is the normal local case
        return {}


def db_path() -> str:
    """`streamlit run app.py -- --db PATH` > REBOUND_DB > secrets > data/rebound.duckdb."""
    return resolve_db_path(sys.argv[1:], os.environ, _secrets())


@st.cache_resource(show_spinner=False)
def open_database(path: str) -> Database:
    return Database(path)


def current_user() -> str:
    return LOCAL_USER


def in_demo() -> bool:
    return bool(st.session_state.get("demo_mode"))


def store() -> Store:
    """The signed-in user's store, or a clear message and a stop if the database can't open."""
    path = demo_db_path(db_path()) if in_demo() else db_path()
    try:
        db = open_database(path)
    except DatabaseError as error:
        st.error(str(error), icon="🔒")
        st.stop()
    return Store(db, current_user())


def start_demo() -> None:
    """Switch this session to the demo database, filling it on first use."""
    from rebound.demo import generate

    st.session_state["demo_mode"] = True
    demo = store()
    if demo.application_count() == 0:
        with st.spinner("Making a demo job search…"):
            generate(demo, weeks=26, seed=7)


def leave_demo() -> None:
    st.session_state["demo_mode"] = False


@st.cache_data(max_entries=512, show_spinner=False)
def _cached(path: str, user: str, revision: int, name: str, args: tuple, _fn, _store):
    return _fn(_store, *args)


def cached(store_: Store, fn, *args):
    """fn(store, *args), recomputed only when this user's data changed (keyed by revision)."""
    return _cached(store_.db.path, store_.user_id, store_.revision,
                   f"{fn.__module__}.{fn.__qualname__}", args, fn, store_)


_MD_SPECIAL = "\\`*_{}[]()#+-.!|<>~$:"


def md_escape(text) -> str:
    """User text made inert for st.markdown: no markdown, no HTML, no LaTeX, no links."""
    text = "" if text is None else str(text)
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in text).replace("\n", "  \n")


def flash(message: str, icon: str = "🌱") -> None:
    """A message to show once after the next rerun (st.rerun would swallow a toast)."""
    st.session_state["_flash"] = (message, icon)


def show_flash() -> None:
    if "_flash" in st.session_state:
        message, icon = st.session_state.pop("_flash")
        st.toast(message, icon=icon)
