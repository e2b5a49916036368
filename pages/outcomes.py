"""Outcomes: log applications, their stage timeline, rejections, follow-ups and ghosting."""

import datetime as dt

import pandas as pd
import pyarrow as pa
import streamlit as st

from rebound import ui
from rebound.outcomes import ValidationError
from rebound.ui_mail import outcomes_list as mail_updates_list
from rebound.vocab import CHANNELS, EVENT_LABELS, REJECTION_STAGES, STATUS_ICONS, STATUSES

store = ui.store()
today = dt.date.today()
state = st.session_state

st.title("Outcomes")
ui.show_flash()
mail_updates_list(store)  # findings from the user's mail, to confirm or dismiss

# Quick actions from Today arrive as ?do=add or ?do=reject.
intent = st.query_params.get("do")
if intent:
    del st.query_params["do"]
    if intent == "reject":
        state["outcomes_reject_mode"] = True
        state["outcomes_f_status"] = ["applied", "screen", "interview", "final", "offer"]
    elif intent == "add":
        state["outcomes_add"] = True  # opens the "Add an application" expander

# -- after a rejection: offer the gentle path, never force it ---------------
flow = state.get("rejection_flow")
if flow and not flow.get("offer_dismissed"):
    with st.container(border=True):
        st.markdown("**That one stings, and it is allowed to.** A rejection is usually about fit, "
                    "competition or what one role needed — not a verdict on you.")
        st.caption("A few minutes, each step skippable: check in → look after yourself → reflect → "
                   "ask for feedback → one small next step.")
        go, later = st.columns([2, 1])
        with go:
            st.page_link("pages/checkin.py", label="Start with a check-in", icon="💬")
        with later:
            if st.button("Not now", key="outcomes_flow_dismiss"):
                flow["offer_dismissed"] = True
                st.rerun()


# -- nudges: suggestions only, nothing changes until the user says so ---------
def nudge_list():
    nudges = ui.cached(store, type(store).nudges, today)
    if not nudges:
        return
    box = st.expander(f"⏰ {len(nudges)} waiting on an answer", expanded=len(nudges) <= 5,
                      key="outcomes_nudges", on_change="rerun")
    if not box.open:  # lazy: up to 20 rows of buttons are built only while the list is open
        return
    with box:
        for n in nudges[:20]:
            text, act, more = st.columns([6, 2, 2], vertical_alignment="center")
            text.markdown(("👻 " if n.kind == "ghost" else "⏰ ") + ui.md_escape(n.message))
            if act.button("I followed up", key=f"outcomes_fu_{n.application_id}",
                          help="Logs a follow-up today and resets the clock."):
                store.add_event(n.application_id, "followed_up", today)
                st.rerun()
            if n.kind == "ghost" and more.button("Mark ghosted", key=f"outcomes_gh_{n.application_id}"):
                store.add_event(n.application_id, "ghosted", today)
                ui.flash("Marked as ghosted. Silence says more about their process than about you. "
                         "You can reopen it any time.")
                st.rerun()
        if len(nudges) > 20:
            st.caption(f"…and {len(nudges) - 20} more.")
        quiet = [n.application_id for n in nudges if n.kind == "ghost"]
        if len(quiet) > 1 and st.button(f"Mark all {len(quiet)} without an answer as ghosted",
                                        key="outcomes_ghost_all",
                                        help="One step for the long silences; each can be reopened."):
            store.mark_ghosted(quiet, today)
            ui.flash(f"Marked {len(quiet)} as ghosted. Silence says more about their process than about you.")
            st.rerun()


nudge_list()

# -- add an application -------------------------------------------------------
ADD_KEYS = ["add_company", "add_role", "add_url", "add_location", "add_notes"]


def add_application(fields: dict, confirmed: bool = False) -> None:
    similar = store.similar_applications(fields["company"], fields["role"])
    if not similar.empty and not confirmed:
        state["outcomes_pending"] = fields
        return
    try:
        new_id = store.add_application(**fields)
    except ValidationError as error:
        st.error(str(error))
        return
    state.pop("outcomes_pending", None)
    for key in ADD_KEYS:
        state.pop(key, None)
    state["outcomes_selected"] = new_id
    ui.flash(f"Logged {fields['company']} — {fields['role']}.", icon="✅")
    st.rerun()


def add_form() -> None:
    with st.form("outcomes_add_form", border=False):
        c1, c2 = st.columns(2)
        company = c1.text_input("Company *", key="add_company", max_chars=300)
        role = c2.text_input("Role *", key="add_role", max_chars=300)
        c3, c4, c5 = st.columns([2, 1, 1])
        url = c3.text_input("Link to the posting", key="add_url", placeholder="https://…")
        channel = c4.selectbox("Channel", CHANNELS, key="add_channel")
        applied_on = c5.date_input("Date applied", value=today, max_value=today, key="add_date",
                                   format=ui.DATE_INPUT_FORMAT)
        location = st.text_input("Location", key="add_location", placeholder="Remote, Berlin, …")
        notes = st.text_area("Notes", key="add_notes", height=80)
        submitted = st.form_submit_button("Add application", type="primary")
    if submitted:
        try:
            from rebound.outcomes import validate_application

            validate_application(company, role, channel, applied_on, url, location, notes, today)
        except ValidationError as error:
            st.error(str(error))
        else:
            add_application(dict(company=company, role=role, channel=channel, applied_on=applied_on,
                                 url=url, location=location, notes=notes))


def edit_details(app_id: int, app: dict) -> None:
    with st.form(f"outcomes_edit_{app_id}"):
        c1, c2 = st.columns(2)
        e_company = c1.text_input("Company *", app["company"], max_chars=300)
        e_role = c2.text_input("Role *", app["role"], max_chars=300)
        c3, c4, c5 = st.columns([2, 1, 1])
        e_url = c3.text_input("Link", app.get("url") or "")
        e_channel = c4.selectbox("Channel", CHANNELS, index=CHANNELS.index(app["channel"])
                                 if app["channel"] in CHANNELS else len(CHANNELS) - 1)
        e_applied = c5.date_input("Date applied", app["applied_on"], max_value=today, format=ui.DATE_INPUT_FORMAT)
        e_location = st.text_input("Location", app.get("location") or "")
        e_notes = st.text_area("Notes", app.get("notes") or "", height=100)
        if st.form_submit_button("Save changes"):
            try:
                store.update_application(app_id, e_company, e_role, e_channel, e_applied, e_url,
                                         e_location, e_notes)
            except ValidationError as error:
                st.error(str(error))
            else:
                ui.flash("Changes saved.", icon="✅")
                st.rerun()
    if app.get("notes"):
        st.caption("Notes")
        st.text(app["notes"])


has_applications = store.application_count() > 0  # a write below reruns the page, so this holds
if not has_applications:
    state.setdefault("outcomes_add", True)  # the one thing to do on an empty page
# Lazy, like the nudge list: a collapsed form is not built on every rerun of a busy page.
add_box = st.expander("➕ Add an application", key="outcomes_add", on_change="rerun")
if add_box.open:
    with add_box:
        add_form()

pending = state.get("outcomes_pending")
if pending:
    similar = store.similar_applications(pending["company"], pending["role"])
    with st.container(border=True):
        st.warning("Applied here before? You already logged this company and role:", icon="🔁")
        for row in similar.itertuples():
            st.markdown(f"- {ui.md_escape(row.company)} — {ui.md_escape(row.role)}, applied "
                        f"{row.applied_on:%d %b %Y}, now **{row.status}**")
        yes, no = st.columns(2)
        if yes.button("Add it anyway", key="outcomes_dup_yes", type="primary"):
            add_application(pending, confirmed=True)
        if no.button("Cancel", key="outcomes_dup_no"):
            state.pop("outcomes_pending")
            st.rerun()

if not has_applications:
    st.info("No applications yet. Add the first one above — it takes a few seconds.", icon="🌱")
    st.stop()

# -- filters and the table ----------------------------------------------------
f1, f2, f3 = st.columns([2, 2, 2])
statuses = f1.multiselect("Status", STATUSES, key="outcomes_f_status", placeholder="All statuses")
channels = f2.multiselect("Channel", CHANNELS, key="outcomes_f_channel", placeholder="All channels")
dates = f3.date_input("Applied between", value=(), max_value=today, key="outcomes_f_dates", format=ui.DATE_INPUT_FORMAT)
start = dates[0] if len(dates) >= 1 else None
end = dates[1] if len(dates) == 2 else None

def _outcomes_view(store_, statuses: tuple, channels: tuple, start, end):
    """The filtered applications, the table and the picker's labels: built once per data revision
    and filter (a heavy user's thousands of rows made these the slowest lines of every rerun)."""
    apps_ = store_.applications(statuses, channels, start, end)
    table_ = apps_[["company", "role", "status", "channel", "applied_on", "last_activity_on", "location"]].copy()
    table_["status"] = [f"{STATUS_ICONS.get(s, '')} {s}" for s in apps_["status"]]
    table_ = pa.Table.from_pandas(table_, preserve_index=False)  # converted once, not on every rerun
    labels_ = dict(zip(apps_["id"].astype(int).tolist(),
                       (apps_["company"].astype(str) + " — " + apps_["role"].astype(str) + " ("
                        + pd.to_datetime(apps_["applied_on"]).dt.strftime("%d %b %Y") + ", "
                        + apps_["status"].astype(str) + ")").tolist())) if len(apps_) else {}
    return apps_, table_, labels_


apps, table, labels = ui.cached(store, _outcomes_view, tuple(statuses), tuple(channels), start, end)
st.caption(f"{len(apps)} application{'s' if len(apps) != 1 else ''}"
           + (" match the filters" if statuses or channels or dates else ""))

event = st.dataframe(
    table, hide_index=True, width="stretch", height=min(420, 38 + 35 * max(1, table.num_rows)),
    on_select="rerun", selection_mode="single-row", key="outcomes_table",
    column_config={
        "company": "Company", "role": "Role", "status": "Status", "channel": "Channel",
        "applied_on": st.column_config.DateColumn("Applied", format=ui.DATE_INPUT_FORMAT),
        "last_activity_on": st.column_config.DateColumn("Last activity", format=ui.DATE_INPUT_FORMAT),
        "location": "Location",
    },
)
rows = event.selection.rows if event is not None else []
picked = int(apps.iloc[rows[0]]["id"]) if rows and rows[0] < len(apps) else None
if picked is not None and picked != state.get("outcomes_last_pick"):
    state["outcomes_selected"] = picked
state["outcomes_last_pick"] = picked

if apps.empty:
    st.stop()
if state.get("outcomes_reject_mode"):
    st.info("Pick the application that said no, from the table or the list below; the rejection form is "
            "ready for it.", icon="🌧️")

# -- one application: timeline and actions -----------------------------------
if state.get("outcomes_selected") not in labels:
    state["outcomes_selected"] = next(iter(labels))
picker = ui.newest_options(labels, state["outcomes_selected"])  # the table and filters reach the rest
app_id = st.selectbox("Open an application", picker, format_func=labels.get, key="outcomes_selected",
                      help=None if len(picker) == len(labels) else
                      f"The newest {ui.PICKER_LIMIT} of {len(labels):,}: pick an older one in the table, or filter.")
app = store.application(app_id)
if app is None:
    st.stop()

with st.container(border=True):
    head, badge = st.columns([5, 1], vertical_alignment="center")
    head.subheader(f"{ui.md_escape(app['company'])} — {ui.md_escape(app['role'])}", anchor=False)
    badge.markdown(f"### {STATUS_ICONS.get(app['status'], '')} {app['status']}")
    meta = [app["channel"], f"applied {app['applied_on']:%d %b %Y}"]
    if app.get("location"):
        meta.append(app["location"])
    st.caption(" · ".join(ui.md_escape(str(m)) for m in meta))
    if app.get("url") and str(app["url"]).startswith(("http://", "https://")):
        st.link_button("Open the posting", app["url"])

    timeline_col, action_col = st.columns([3, 2])

    with timeline_col:
        st.markdown("**Timeline**")
        for ev in store.timeline(app_id).itertuples():
            label = EVENT_LABELS.get(ev.kind, ev.kind)
            if ev.kind == "interview" and pd.notna(ev.round):
                label += f" (round {int(ev.round)})"
            if ev.kind == "rejected" and ev.stage:
                label += f" at {ev.stage} stage"
            line, remove = st.columns([6, 1], vertical_alignment="center")
            line.markdown(f"{STATUS_ICONS.get(ev.kind, '•')} `{ev.happened_on:%Y-%m-%d}` {label}")
            for extra in (ev.reason, ev.note):
                if isinstance(extra, str) and extra:
                    line.caption(ui.md_escape(extra))
            if pd.notna(ev.id) and remove.button(
                    "✕", key=f"outcomes_del_ev_{int(ev.id)}", help="Remove this entry (logged by mistake)"):
                store.delete_event(int(ev.id))
                st.rerun()

    with action_col:
        st.markdown("**What happened?**")
        kinds = ["rejected", "screen", "interview", "final", "offer", "accepted", "withdrawn", "ghosted", "followed_up"]
        if app["status"] == "ghosted":
            kinds.insert(0, "reopened")
        choice_key = f"outcomes_kind_{app_id}"
        if state.get("outcomes_reject_mode") and app["status"] in ("applied", "screen", "interview", "final", "offer"):
            state.setdefault(choice_key, "rejected")
        cols = st.columns(3)
        for i, kind in enumerate(kinds):
            label = {"rejected": "Log rejection", "reopened": "Reopen"}.get(kind, EVENT_LABELS[kind])
            if cols[i % 3].button(label, key=f"outcomes_btn_{kind}_{app_id}", width="stretch",
                                  type="primary" if kind in ("rejected", "reopened") else "secondary"):
                state[choice_key] = kind
        kind = state.get(choice_key)
        if kind:
            with st.form(f"outcomes_event_form_{app_id}_{kind}"):
                st.markdown(f"**{EVENT_LABELS[kind]}**")
                when = st.date_input("When", value=today, max_value=today, format=ui.DATE_INPUT_FORMAT)
                round_ = stage = None
                reason = ""
                if kind == "interview":
                    round_ = st.number_input("Round", 1, 20, store.next_interview_round(app_id))
                if kind == "rejected":
                    reached = app["status"] if app["status"] in REJECTION_STAGES else "applied"
                    stage = st.selectbox("Stage reached", REJECTION_STAGES, index=REJECTION_STAGES.index(reached))
                    reason = st.text_area("Reason they gave (optional)", height=70)
                note = st.text_input("Note (optional)")
                save, cancel = st.columns(2)
                saved = save.form_submit_button("Save", type="primary")
                cancelled = cancel.form_submit_button("Cancel")
            if cancelled:
                state.pop(choice_key, None)
                state.pop("outcomes_reject_mode", None)
                st.rerun()
            if saved:
                try:
                    store.add_event(app_id, kind, when, round=round_, stage=stage, reason=reason, note=note)
                except ValidationError as error:
                    st.error(str(error))
                else:
                    state.pop(choice_key, None)
                    if kind == "rejected":
                        state.pop("outcomes_reject_mode", None)
                        state["rejection_flow"] = {"application_id": app_id}
                    else:
                        ui.flash(f"Saved: {EVENT_LABELS[kind].lower()}.", icon="✅")
                    st.rerun()

    edit_box = st.expander("Edit details", key=f"outcomes_edit_open_{app_id}", on_change="rerun")
    if edit_box.open:  # lazy: the form is built only while open
        with edit_box:
            edit_details(app_id, app)

    confirm_key = f"outcomes_confirm_delete_{app_id}"
    if not state.get(confirm_key):
        if st.button("Delete application", key=f"outcomes_delete_{app_id}", icon="🗑️"):
            state[confirm_key] = True
            st.rerun()
    else:
        st.warning(f"Delete {ui.md_escape(app['company'])} — {ui.md_escape(app['role'])}, its timeline and its "
                   "feedback requests? Your check-ins, reflections and action items stay. This cannot be undone.")
        yes, no = st.columns(2)
        if yes.button("Yes, delete it", key=f"outcomes_delete_yes_{app_id}", type="primary"):
            store.delete_application(app_id)
            state.pop(confirm_key, None)
            state.pop("outcomes_selected", None)
            ui.flash("Deleted.")
            st.rerun()
        if no.button("Keep it", key=f"outcomes_delete_no_{app_id}"):
            state.pop(confirm_key, None)
            st.rerun()

# -- settings for the nudges --------------------------------------------------
with st.expander("Nudge settings"):
    with st.form("outcomes_settings"):
        fu = st.number_input("Suggest a follow-up after this many quiet days", 1, 365,
                             store.int_setting("follow_up_after_days"))
        gh = st.number_input("Ask about ghosting after this many days without an answer", 2, 365,
                             store.int_setting("ghost_after_days"))
        if st.form_submit_button("Save settings"):
            if gh <= fu:
                st.error("The ghosting question should come after the follow-up suggestion.")
            else:
                store.set_setting("follow_up_after_days", int(fu))
                store.set_setting("ghost_after_days", int(gh))
                ui.flash("Settings saved.", icon="✅")
                st.rerun()
