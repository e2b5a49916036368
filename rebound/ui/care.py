"""The care note (rebound.wellbeing.care) on Today and Check-in: said once a week at most (a reload
does not bring it back), shown until the user closes it, never in the way of anything."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import streamlit as st

from rebound.dates import week_of
from rebound.ui.cache import cached
from rebound.ui.text import md_escape
from rebound.wellbeing import care

if TYPE_CHECKING:
    from rebound.store import Store

SHOWN_WEEK = "care_shown_week"  # settings: the Monday of the week the note was last said
COUNTRY = "care_country"
OWN_CONTACT = "care_contact"
_OPEN = "care_note_open"  # session: (week, reason) while the note is on screen


def note(store: Store, today: dt.date) -> None:
    week = week_of(today).isoformat()
    state = st.session_state
    opened = state.get(_OPEN)
    if not (isinstance(opened, tuple) and opened[0] == week):
        if store.settings.get(SHOWN_WEEK) == week:
            return
        why = cached(store, care.load_reason, today)
        if why is None:
            return
        store.settings.set(SHOWN_WEEK, week)  # said once: not again this week, in any tab
        state[_OPEN] = opened = (week, why)
    _draw(store, str(opened[1]))


def _draw(store: Store, why: str) -> None:
    md = md_escape
    country = store.settings.get(COUNTRY) or care.DEFAULT_COUNTRY
    own = store.settings.get(OWN_CONTACT) or ""
    with st.container(border=True, key="care_note"):
        st.markdown(f"💛 **{md(why)}** {md(care.message())}")
        lines = [
            f"- **{md(s.name)}**: {md(s.contact)}" + (f" ({md(s.note)})" if s.note else "")
            for s in care.services(country)
        ]
        if own:
            lines.insert(0, f"- **Someone you trust**: {md(own)}")
        st.markdown("\n".join(lines))
        with st.expander("Your country, and someone of your own to call"):
            names = care.countries()
            with st.form("care_settings", border=False):
                chosen = st.selectbox(
                    "Show the services of",
                    list(names),
                    index=list(names).index(country) if country in names else 0,
                    format_func=lambda code: names[code],
                )
                contact = st.text_input(
                    "Someone you trust (a name and how to reach them)", value=own, max_chars=care.MAX_CONTACT
                )
                if st.form_submit_button("Save"):
                    store.settings.set(COUNTRY, chosen)
                    store.settings.set(OWN_CONTACT, care.clean_contact(contact))
                    st.rerun()
        st.caption("Kept on this computer only. This note shows at most once a week.")
        if st.button("Close", key="care_close", icon=":material/close:"):
            st.session_state.pop(_OPEN, None)
            st.rerun()
