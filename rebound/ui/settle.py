"""Settle long silences in one step: every long-quiet application marked as ghosted, with an undo.

An imported history can hold hundreds of applications that never got an answer; asking about
each one buries the person it is meant to help. Today and Outcomes offer this one button.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import streamlit as st

from rebound import ui

if TYPE_CHECKING:
    from rebound.store import Store

UNDO_KEY = "settle_undo"  # the ghosted events of the last settle, until undone or acknowledged


def settle_button(
    store: Store,
    today: dt.date,
    count: int,
    key: str,
    app_ids: Iterable[int] | None = None,
    then: Callable[[], object] | None = None,
) -> None:
    """One button marking the `count` long-quiet applications (all, or those of `app_ids`: an import's)
    as ghosted (store.applications.mark_quiet_ghosted); `then()` runs after, before the rerun."""
    if st.button(
        f"Mark {count:,} as ghosted",
        key=key,
        type="primary",
        icon="👻",
        help="Each one can be reopened on Outcomes, and you can undo this right after.",
    ):
        events = store.applications.mark_quiet_ghosted(today, app_ids=app_ids)
        st.session_state[UNDO_KEY] = events
        if then is not None:
            then()
        ui.flash(f"Marked {len(events):,} as ghosted. Silence says more about their process than about you.")
        st.rerun()


def undo_offer(store: Store, key: str) -> None:
    """After a settle: say what happened and offer to take it back."""
    events = st.session_state.get(UNDO_KEY)
    if not events:
        return
    with st.container(border=True):
        st.markdown(
            f"👻 Marked {len(events):,} quiet application{'s' if len(events) != 1 else ''} as ghosted. "
            "Any of them can be reopened on Outcomes if they write back."
        )
        undo, done = st.columns(2)
        if undo.button("Undo", key=f"{key}_undo", icon="↩️"):
            st.session_state.pop(UNDO_KEY, None)
            back = store.applications.undo_ghosted(events)
            ui.flash(f"Undone: {back:,} back to waiting.", icon="↩️")
            st.rerun()
        if done.button("OK", key=f"{key}_ok"):
            st.session_state.pop(UNDO_KEY, None)
            st.rerun()
