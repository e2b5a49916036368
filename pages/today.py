"""Today: the first page. A welcome on an empty database; otherwise what to do next."""

import streamlit as st

from rebound import ui

store = ui.store()

st.title("Today")

if store.application_count() == 0 and not ui.in_demo():
    # WELCOME (first run) — keep this block when building the rest of Today.
    st.subheader("Welcome to Rebound 🌱")
    st.markdown(
        "A private place to log your job search, look after yourself after a rejection, "
        "and see that you are moving. Everything stays in a file on this computer."
    )
    left, right = st.columns(2)
    with left:
        st.page_link("pages/outcomes.py", label="Add your first application", icon="➕")
    with right:
        if st.button("Explore with demo data", icon="🧪", help="Opens a separate demo database; your own data is never mixed with it."):
            ui.start_demo()
            st.rerun()
    st.stop()

nudges = store.nudges()
if nudges:
    st.subheader("Worth a look")
    for nudge in nudges[:5]:
        st.write(("👻 " if nudge.kind == "ghost" else "⏰ ") + nudge.message)
    st.page_link("pages/outcomes.py", label="Open Outcomes to act on these", icon="📋")
else:
    st.success("Nothing is waiting on you right now.", icon="✅")
