"""Check-in: how you feel, what restores you, and the guided steps after a rejection."""

import datetime as dt

import pandas as pd
import streamlit as st

from pages import through_app
from rebound import insights as ins
from rebound import ui, vega
from rebound import wellbeing as wb
from rebound.ui import care as ui_care
from rebound.ui import drafts as ud
from rebound.ui import flow as ui_flow
from rebound.ui import session
from rebound.ui import wellbeing as uw
from rebound.ui import writing as ui_writing


def render() -> None:
    store = ui.store()
    today = dt.date.today()
    RECENT_SHOWN = 6  # recent self-care entries drawn at once; the rest on request (each has buttons)

    st.title("Check-in")
    ui.show_flash()
    ui_care.note(store, today)  # when the last days were very heavy: once a week, gently
    ud.show_problem()  # a draft that could not be kept
    ud.commit_on_leave()  # words still in a text box are kept when the page is reloaded or hidden

    if ui_flow.active(store):  # also a flow left unfinished in an earlier session
        ui_flow.render_flow(store)
        st.stop()

    feel_tab, care_tab = st.tabs(["💬 How are you?", "🌿 Self-care"], key="checkin_tabs", on_change="rerun")

    if feel_tab.open:  # only the open tab is drawn
        with feel_tab:
            left, right = st.columns([3, 2], gap="large")
            with left:
                saved = uw.checkin_form(store, "checkin:new")
                if saved:
                    ui.flash("Check-in saved.", "✅", banner=True)
                    st.rerun()
                uw.show_acknowledgement()
                ui_writing.confidence_check(store, today)  # the weekly check, only when the user turned it on
            with right:
                start = today - dt.timedelta(days=27)
                recent = store.checkins.all(start=start)
                rejections = store.applications.recent_rejections(today - dt.timedelta(days=30))
                st.markdown("**Last four weeks**")
                if recent.empty:
                    st.caption("Your check-ins will show up here.")
                else:
                    # Progress' mood chart, smaller, its rows inline (no Arrow table built and sent per rerun).
                    series, hits = ins.recent_mood(recent, [r[0] for r in rejections if r[0] >= start])
                    st.vega_lite_chart(
                        spec=vega.mood(series, hits, height=260), key="checkin_mood_chart", width="stretch"
                    )
                    st.caption(f"{len(recent)} check-ins, mood {recent['mood'].mean():.1f} on average.")
                if rejections:
                    with st.container(border=True):
                        st.markdown("**Had a rejection lately?**")
                        st.caption(
                            "Walk through a few gentle steps: check in, look after yourself, reflect, "
                            "ask for feedback, pick one small next step."
                        )
                        every_label = ui.application_options(store)
                        options = {r[2]: every_label.get(r[2], str(r[2])) for r in rejections}
                        chosen = st.selectbox(
                            "Which one", list(options), format_func=options.get, key="checkin_flow_app"
                        )
                        if st.button("Start the steps", key="checkin_flow_start", icon="🌱"):
                            ui_flow.start(chosen, store)
                            st.rerun()

    if care_tab.open:  # only the open tab is drawn
        with care_tab:
            uw.show_suggestions(store, today)
            left, right = st.columns([3, 2], gap="large")
            with left:
                st.markdown("**Log self-care**")
                saved = uw.coping_form(store, "coping:new")
                if saved:
                    ui.flash("Logged. Looking after yourself is part of the search.", "🌿", banner=True)
                    st.rerun()
            with right:
                st.markdown("**Small goals this week**")
                goals = store.goals.for_week(today)
                goals = goals[goals["metric"] == "custom"] if not goals.empty else goals
                if goals.empty:
                    st.caption(
                        "None yet. Small personal goals — “walk three times” — can be set at the "
                        "end of the steps after a rejection, or on the Goals page."
                    )
                for goal in goals.itertuples():
                    row = st.columns([4, 1, 1], vertical_alignment="center")
                    done = int(goal.done_count)
                    tick = "✅" if done >= goal.target else "▫️"
                    row[0].markdown(f"{tick} {uw.md(goal.label)} — {done}/{int(goal.target)}")
                    if row[1].button("+1", key=f"checkin_goal_tick_{goal.id}", help="I did it once more"):
                        store.goals.tick(int(goal.id), 1)
                        st.rerun()
                    if row[2].button("−1", key=f"checkin_goal_untick_{goal.id}", help="Undo one", disabled=done == 0):
                        store.goals.tick(int(goal.id), -1)
                        st.rerun()
                st.markdown("**Recent self-care**")
                show_all = session.COPING_SHOW_ALL.get()
                log = store.coping.all(start=today - dt.timedelta(days=30), limit=30 if show_all else RECENT_SHOWN + 1)
                if log.empty:
                    st.caption("Nothing logged in the last 30 days.")
                else:
                    more = len(log) > RECENT_SHOWN and not show_all
                    log = log.head(RECENT_SHOWN) if more else log
                    editing = session.COPING_EDITING.get()
                    for entry in log.itertuples():
                        with st.container(border=True):
                            text = st.empty()  # the entry's line, then its buttons in a row that wraps on a phone
                            buttons = st.container(horizontal=True, gap="small")
                            parts = [wb.coping_label(entry.kind)]
                            if isinstance(entry.with_whom, str) and entry.with_whom:
                                parts.append(f"with {uw.md(entry.with_whom)}")
                            if pd.notna(entry.minutes):
                                parts.append(f"{int(entry.minutes)} min")
                            if pd.notna(entry.helped):
                                parts.append(f"helped {int(entry.helped)}/5")
                            text.markdown(f"{entry.day:%a} {ui.fmt_date(entry.day)} · " + " · ".join(parts))
                            if buttons.button("✏️", key=f"coping_edit_{entry.id}", help="Edit"):
                                session.COPING_EDITING.set(int(entry.id))
                                st.rerun()
                            if buttons.button("🗑️", key=f"coping_delete_{entry.id}", help="Delete"):
                                store.coping.delete(int(entry.id))
                                ui.flash("Entry deleted.", "🗑️", banner=True)
                                st.rerun()
                            if isinstance(entry.note, str) and entry.note:
                                st.text(entry.note)
                            if editing == int(entry.id):
                                if uw.coping_form(
                                    store,
                                    f"coping:edit:{entry.id}",
                                    existing=entry._asdict(),
                                    submit_label="Save changes",
                                ):
                                    session.COPING_EDITING.clear()
                                    ui.flash("Entry updated.", "✅", banner=True)
                                    st.rerun()
                                if st.button("Cancel", key=f"coping_cancel_{entry.id}"):
                                    session.COPING_EDITING.clear()
                                    uw.clear_draft(f"coping:edit:{entry.id}")
                                    st.rerun()
                    if more and st.button("Show all from the last 30 days", key="checkin_coping_more", type="tertiary"):
                        session.COPING_SHOW_ALL.set(True)
                        st.rerun()


through_app(__name__)  # run as a file by Streamlit's legacy mode: go through app.py (see pages/__init__.py)
