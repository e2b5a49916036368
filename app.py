"""Rebound: entry point. Page config, the current user, and navigation over one page per area."""

import streamlit as st

from rebound import ui

st.set_page_config(page_title="Rebound", page_icon="🌱", layout="wide")

PAGES = {
    "": [
        st.Page("pages/today.py", title="Today", icon=":material/wb_sunny:", default=True),
        st.Page("pages/outcomes.py", title="Outcomes", icon=":material/work_history:"),
    ],
    "Look after yourself": [
        st.Page("pages/checkin.py", title="Check-in", icon=":material/favorite:"),
        st.Page("pages/reflect.py", title="Reflect", icon=":material/edit_note:"),
        st.Page("pages/feedback.py", title="Feedback", icon=":material/forward_to_inbox:"),
    ],
    "Keep going": [
        st.Page("pages/goals.py", title="Goals & wins", icon=":material/flag:"),
        st.Page("pages/progress.py", title="Progress", icon=":material/insights:"),
    ],
    "Your data": [
        st.Page("pages/data.py", title="Data", icon=":material/database:"),
    ],
}

ui.require_user()  # sign-in gate (when configured) before any page runs
page = st.navigation(PAGES)

with st.sidebar:
    if ui.auth_is_on() and st.user.is_logged_in:
        st.caption(f"Signed in as {ui.md_escape(st.user.get('email') or st.user.get('name') or 'you')}")
        if st.button("Sign out", key="sign_out", icon=":material/logout:"):
            st.logout()
    if ui.session_demo():
        st.info("A private demo session: only this tab sees it, and it is gone when you close it.", icon="🧪")
    elif ui.in_demo():
        st.info("You are exploring **demo data**. Your own entries are untouched.", icon="🧪")
        if st.button("Back to my data", key="leave_demo"):
            ui.leave_demo()
            st.rerun()

with ui.routed():
    page.run()
