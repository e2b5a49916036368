"""The diagnosis of the search (rebound.insights.diagnosis) where it is not the page's subject: Today
says when it is new or has changed, once, until the user has seen it here or on Progress."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import streamlit as st

from rebound.insights.diagnosis import Diagnosis, load_diagnosis
from rebound.ui import nav
from rebound.ui.cache import cached
from rebound.ui.text import md_escape

if TYPE_CHECKING:
    from rebound.store import Store

SEEN = "diagnosis_seen"  # settings: the stage of the diagnosis the user last saw


def current(store: Store, today: dt.date) -> Diagnosis:
    return cached(store, load_diagnosis, today)


def seen(store: Store, found: Diagnosis) -> None:
    """The user has seen this diagnosis (Progress shows it): Today stops announcing it."""
    if found.stage is not None and store.settings.get(SEEN) != found.stage:
        store.settings.set(SEEN, found.stage)


def changed_note(store: Store, today: dt.date) -> None:
    """On Today: the diagnosis, when it is new or names another step than the one last seen."""
    found = current(store, today)
    before = store.settings.get(SEEN)
    if found.stage is None or before == found.stage:
        return
    with st.container(border=True, key="diagnosis_changed"):
        title = "A first diagnosis of your search" if before is None else "Where your search loses most has changed"
        st.markdown(f"🧭 **{title}.** {md_escape(found.verdict)}")
        left, right = st.columns([3, 1])
        left.page_link(nav.page("progress"), label="See each step", icon=":material/insights:")
        if right.button("Got it", key="diagnosis_seen_button"):
            seen(store, found)
            st.rerun()
