"""Outcomes: log applications, their stage timeline, rejections, follow-ups and ghosting.

The open application is kept by its id (OPEN), never by the picker's label: a status change
renames the label, and must not open another application. Only the user opens one: picking it
in the list or the table (a new tab, or "Log a rejection" from Today, opens none).
Layout, phone first: the open application and its actions come before the long list.
"""

import collections
import datetime as dt
import zlib

import pandas as pd
import pyarrow as pa
import streamlit as st

from pages import CHECKIN, through_app
from rebound import ui
from rebound.errors import StaleEdit, ValidationError
from rebound.outcomes import application_key, validate_application
from rebound.ui import conflict, session
from rebound.ui import flow as ui_flow
from rebound.ui import materials as ui_materials
from rebound.ui import settle as ui_settle
from rebound.ui.mail import outcomes_list as mail_updates_list
from rebound.vocab import (
    CHANNELS,
    EVENT_LABELS,
    OPEN_STATUSES,
    REJECTION_STAGES,
    STATUS_EVENTS,
    STATUS_ICONS,
    STATUSES,
    application_labels,
    event_label,
)


def render() -> None:
    store = ui.store()
    today = dt.date.today()
    state = st.session_state

    OPEN = session.OUTCOMES_OPEN
    PICKER = session.OUTCOMES_PICKER  # the picker widget; follows OPEN on every run
    REJECTING = session.OUTCOMES_REJECTING  # (while ?do=reject stays in the address)
    REJECTABLE = (*OPEN_STATUSES, "ghosted")  # a "no" can still come after the silence

    st.title("Outcomes")
    ui.show_flash()
    mail_updates_list(store)  # findings from the user's mail, to confirm or dismiss

    # Quick actions from Today arrive as ?do=add or ?do=reject.
    intent = st.query_params.get("do")
    if intent == "add":
        del st.query_params["do"]
        state[session.OUTCOMES_ADD_OPEN] = True  # opens the "Add an application" expander
    elif intent == "reject" and not REJECTING.get():
        REJECTING.set(True)
        OPEN.set(None)  # the user picks which application said no; nothing is chosen for them
    rejecting = intent == "reject"  # leaving the page drops ?do=reject, and with it this mode
    if not rejecting:
        REJECTING.clear()

    def end_rejecting() -> None:
        REJECTING.clear()
        if "do" in st.query_params:
            del st.query_params["do"]

    # -- after a rejection: offer the gentle path, never force it ---------------
    # Drawn here, filled once the open application is known: it is offered only beside the
    # application whose rejection was just logged, and only while its steps are not finished.
    offer_area = st.container()

    def offer_the_steps(app_id: int) -> None:
        link = ui_flow.offer_after_logging(store, app_id)
        if link is None:
            return
        with offer_area, st.container(border=True, key="outcomes_flow_offer"):
            st.markdown(
                "**That one stings, and it is allowed to.** A rejection is usually about fit, "
                "competition or what one role needed — not a verdict on you."
            )
            st.caption(
                "A few minutes, each step skippable: check in → look after yourself → reflect → "
                "ask for feedback → one small next step."
            )
            go, later = st.columns([2, 1])
            with go:
                st.page_link(CHECKIN, label=link, icon="💬")
            with later:
                if st.button("Not now", key="outcomes_flow_dismiss"):
                    ui_flow.dismiss_offer()
                    st.rerun()

    def add_event(app_id: int, kind: str, when: dt.date, **details) -> bool:
        """Log one event; a refusal (a repeat, a date before the application) is shown, nothing lost."""
        try:
            store.applications.add_event(app_id, kind, when, **details)
        except ValidationError as error:
            st.error(str(error))
            return False
        return True

    # -- add an application -------------------------------------------------------
    ADD_KEYS = ["add_company", "add_role", "add_url", "add_location", "add_notes"]

    def add_application(fields: dict, confirmed: bool = False) -> None:
        similar = store.applications.similar(fields["company"], fields["role"])
        if not similar.empty and not confirmed:
            session.OUTCOMES_PENDING.set(fields)
            return
        try:
            new_id = store.applications.add(**fields)
        except ValidationError as error:
            st.error(str(error))
            return
        session.OUTCOMES_PENDING.clear()
        session.OUTCOMES_CLEAR_ADD.set(True)  # the next run empties the form before drawing it
        OPEN.set(new_id)
        ui.flash("Logged {company} — {role}.", icon="✅", company=fields["company"], role=fields["role"])
        st.rerun()

    def add_form() -> None:
        if session.OUTCOMES_CLEAR_ADD.pop():  # widgets get their value from state only before they are drawn
            for key in ADD_KEYS:
                state[key] = ""
        with st.form("outcomes_add_form", border=False):
            c1, c2 = st.columns(2)
            company = c1.text_input("Company *", key="add_company", max_chars=300)
            role = c2.text_input("Role *", key="add_role", max_chars=300)
            c3, c4, c5 = st.columns([2, 1, 1])
            url = c3.text_input("Link to the posting", key="add_url", placeholder="https://…")
            channel = c4.selectbox("Channel", CHANNELS, key="add_channel")
            applied_on = c5.date_input(
                "Date applied", value=today, max_value=today, key="add_date", format=ui.DATE_INPUT_FORMAT
            )
            location = st.text_input("Location", key="add_location", placeholder="Remote, Berlin, …")
            versions = ui_materials.pickers(store, "add_version")  # the newest CV and letter by default
            notes = st.text_area("Notes", key="add_notes", height=80)
            submitted = st.form_submit_button("Add application", type="primary")
        if submitted:
            try:
                validate_application(company, role, channel, applied_on, url, location, notes, today)
            except ValidationError as error:
                st.error(str(error))
            else:
                add_application(
                    dict(
                        company=company,
                        role=role,
                        channel=channel,
                        applied_on=applied_on,
                        url=url,
                        location=location,
                        notes=notes,
                        **versions,
                    )
                )

    DETAIL_LABELS = {
        "company": "Company",
        "role": "Role",
        "url": "Link",
        "channel": "Channel",
        "applied_on": "Date applied",
        "location": "Location",
        "notes": "Notes",
    }

    def edit_details(app_id: int, app: dict) -> None:
        # The form shows (and saves at) the version it was read at, until it is saved or reloaded:
        # a save over a newer one (another tab's) is refused and both are shown (rebound.ui.conflict).
        key = f"outcomes_edit_{app_id}"
        read = conflict.read_version(key, app.get("version"), {c: conflict.plain(app.get(c)) for c in DETAIL_LABELS})

        def save(fields: dict, version: int | None) -> int:
            return store.applications.update(app_id, **fields, version=version)

        outcome = conflict.show(key, DETAIL_LABELS, save)
        if outcome is not None:
            ui.flash(
                "Changes saved." if outcome == "saved" else "Showing the version saved in the other tab.", icon="✅"
            )
            st.rerun()
        conflict.stale_notice(key, app.get("version"))
        was = read["values"]
        with st.form(key):
            c1, c2 = st.columns(2)
            e_company = c1.text_input("Company *", was["company"], max_chars=300)
            e_role = c2.text_input("Role *", was["role"], max_chars=300)
            c3, c4, c5 = st.columns([2, 1, 1])
            e_url = c3.text_input("Link", was["url"])
            e_channel = c4.selectbox(
                "Channel",
                CHANNELS,
                index=CHANNELS.index(was["channel"]) if was["channel"] in CHANNELS else len(CHANNELS) - 1,
            )
            e_applied = c5.date_input("Date applied", was["applied_on"], max_value=today, format=ui.DATE_INPUT_FORMAT)
            e_location = st.text_input("Location", was["location"])
            e_versions = ui_materials.pickers(store, f"{key}_version", app)
            e_notes = st.text_area("Notes", was["notes"], height=100)
            if st.form_submit_button("Save changes"):
                mine = {
                    "company": e_company,
                    "role": e_role,
                    "url": e_url,
                    "channel": e_channel,
                    "applied_on": e_applied,
                    "location": e_location,
                    "notes": e_notes,
                    **e_versions,
                }
                try:
                    save(mine, read["version"])
                except StaleEdit as stale:
                    conflict.remember(key, stale, mine)
                    st.rerun()
                except ValidationError as error:
                    st.error(str(error))
                else:
                    conflict.reload(key)
                    ui.flash("Changes saved.", icon="✅")
                    st.rerun()
        if app.get("notes"):
            st.caption("Notes")
            st.text(app["notes"])

    has_applications = store.applications.count() > 0  # a write below reruns the page, so this holds
    if not has_applications:
        state.setdefault(session.OUTCOMES_ADD_OPEN, True)  # the one thing to do on an empty page
    # Lazy: a collapsed form is not built on every rerun of a busy page.
    add_box = st.expander("➕ Add an application", key=session.OUTCOMES_ADD_OPEN, on_change="rerun")
    if add_box.open:
        with add_box:
            add_form()
    versions_box = st.expander("📄 Your CV and cover-letter versions", key="outcomes_materials_open", on_change="rerun")
    if versions_box.open:
        with versions_box:
            ui_materials.manage(store, today)

    pending = session.OUTCOMES_PENDING.get()
    if pending:
        similar = store.applications.similar(pending["company"], pending["role"])
        with st.container(border=True):
            st.warning("Applied here before? You already logged this company and role:", icon="🔁")
            for row in similar.itertuples():
                st.markdown(
                    f"- {ui.md_escape(row.company)} — {ui.md_escape(row.role)}, applied "
                    f"{ui.fmt_date(row.applied_on)}, now **{row.status}**"
                )
            yes, no = st.columns(2)
            if yes.button("Add it anyway", key="outcomes_dup_yes", type="primary"):
                add_application(pending, confirmed=True)
            if no.button("Cancel", key="outcomes_dup_no"):
                session.OUTCOMES_PENDING.clear()
                st.rerun()

    if not has_applications:
        st.info("No applications yet. Add the first one above — it takes a few seconds.", icon="🌱")
        st.stop()

    # Drawn in this order on screen; filled below in the order the data needs.
    picker_area = st.container()  # which application is open, and what happened with it
    nudge_area = st.container()  # waiting on an answer
    list_area = st.container()  # filters and the table

    def _outcomes_view(store_, statuses: tuple, channels: tuple, start, end, grouped: bool = False):
        """The filtered applications, the table and each id's row: built once per data revision and
        filter (a heavy user's thousands of rows made these the slowest lines of every rerun).
        Grouped: one row per company and role (the newest application), with how many there are."""
        apps_ = store_.applications.all(statuses, channels, start, end)
        keys = [application_key(c, r) for c, r in zip(apps_["company"].tolist(), apps_["role"].tolist())]
        times = collections.Counter(keys)
        apps_["times"] = [times[k] for k in keys]
        if grouped:  # newest first: the first of each company and role stands for the group
            apps_ = apps_[~pd.Series(keys, index=apps_.index).duplicated()].reset_index(drop=True)
        columns_ = ["company", "role", "status", "channel", "applied_on", "last_activity_on", "location"]
        table_ = apps_[columns_ + (["times"] if grouped else [])].copy()
        table_["status"] = [f"{STATUS_ICONS.get(s, '')} {s}" for s in apps_["status"]]
        table_ = pa.Table.from_pandas(table_, preserve_index=False)  # converted once, not on every rerun
        row_of_ = {int(i): n for n, i in enumerate(apps_["id"].tolist())}  # newest first, as the picker lists them
        return apps_, table_, row_of_

    # -- filters and the table ----------------------------------------------------
    with list_area:
        st.subheader("All applications", anchor=False)
        f1, f2, f3 = st.columns([2, 2, 2])
        statuses = f1.multiselect("Status", STATUSES, key="outcomes_f_status", placeholder="All statuses")
        channels = f2.multiselect("Channel", CHANNELS, key="outcomes_f_channel", placeholder="All channels")
        dates = f3.date_input(
            "Applied between", value=(), max_value=today, key="outcomes_f_dates", format=ui.DATE_INPUT_FORMAT
        )
        grouped = st.toggle(
            "Group re-applications",
            key="outcomes_group",
            help="One row per company and role (the newest application), with how many times you applied.",
        )
        start = dates[0] if len(dates) >= 1 else None
        end = dates[1] if len(dates) == 2 else None
        shown = tuple(statuses) or (REJECTABLE if rejecting else ())  # a rejection comes to one still waiting
        apps, table, row_of = ui.cached(store, _outcomes_view, shown, tuple(channels), start, end, grouped)
        st.caption(
            f"{len(apps)} application{'s' if len(apps) != 1 else ''}"
            + (" still waiting (open or ghosted)" if rejecting and not statuses else "")
            + (" match the filters" if statuses or channels or dates else "")
            + (f", {table.num_rows:,} companies and roles" if grouped else "")
        )
        # The table's selection is a row number: a new key whenever the rows may have moved (a write
        # from any tab, a filter) clears it, so a stale row number never opens another application.
        view = zlib.crc32(repr((store.revision, shown, tuple(channels), start, end, grouped)).encode())
        event = st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            height=min(420, 38 + 35 * max(1, table.num_rows)),
            on_select="rerun",
            selection_mode="single-row",
            key=f"outcomes_table_{view}",
            column_config={
                "company": "Company",
                "role": "Role",
                "status": "Status",
                "channel": "Channel",
                "applied_on": st.column_config.DateColumn("Applied", format=ui.DATE_INPUT_FORMAT),
                "last_activity_on": st.column_config.DateColumn("Last activity", format=ui.DATE_INPUT_FORMAT),
                "location": "Location",
                "times": st.column_config.NumberColumn(
                    "Times applied", help="How many times you applied to this company and role"
                ),
            },
        )
        rows = event.selection.rows if event is not None else []
        row_pick = int(apps.iloc[rows[0]]["id"]) if rows and rows[0] < len(apps) else None
        if row_pick is not None and row_pick != session.OUTCOMES_LAST_PICK.get():
            OPEN.set(row_pick)  # a click on a row opens it
        session.OUTCOMES_LAST_PICK.set(row_pick)

    # -- which application is open --------------------------------------------------
    open_id = OPEN.get()
    app = store.applications.get(open_id) if open_id is not None else None
    if app is None:  # none chosen yet, or deleted (here or in another tab)
        open_id = None if rejecting else next(iter(row_of), None)
        app = store.applications.get(open_id) if open_id is not None else None
    OPEN.set(open_id)
    options = ui.newest_options(row_of, open_id)
    filtered_out = app is not None and open_id not in row_of  # it stays open until the user picks another
    if filtered_out:
        options.append(open_id)
    # Only the offered few hundred are labelled (a heavy user has thousands), by the one labelling
    # of every picker, which makes alike rows (re-applications, imports) read differently.
    columns = ("id", "company", "role", "applied_on", "status")
    listed = apps.iloc[[row_of[i] for i in options if i in row_of]]
    picker_rows = list(zip(*(listed[c].tolist() for c in columns)))
    if filtered_out and app is not None:
        picker_rows.append(tuple(open_id if c == "id" else app[c] for c in columns))
    labels = application_labels(picker_rows)
    offered = len(row_of) + filtered_out

    def _picked() -> None:
        OPEN.set(state.get(PICKER))

    with picker_area:
        if rejecting:
            st.info(
                "**Which application said no?** Choose it below or in the table; nothing is saved until you "
                "press Save.",
                icon="🌧️",
            )
        if not labels:
            st.info("No applications match the filters below.", icon="🔎")
            st.stop()
        state[PICKER] = open_id  # the picker shows the open application, with its label as it is now
        st.selectbox(
            "Open an application",
            options,
            format_func=labels.get,
            key=PICKER,
            on_change=_picked,
            placeholder="Choose the application…",
            help=None
            if len(options) >= offered
            else f"The newest {ui.PICKER_LIMIT} of {offered:,}: pick an older one in the table, or filter.",
        )
        if app is None:
            st.stop()
        app_id = open_id

    offer_the_steps(app_id)

    # -- re-applications and merging ------------------------------------------------
    AGAIN_SHOWN = 10  # the other applications to a company and role listed by the open one

    def reapplied(app_id: int) -> None:
        """'Applied again: 3rd time since Aug 2025', with the others (date, status)."""
        again = ui.cached(store.applications, type(store.applications).reapplications, app_id)
        if again is None or again.count < 2:
            return
        st.markdown(f"🔁 **{again.line}**")
        earlier = {other for other, _, _ in again.others[: again.position - 1]}  # oldest first
        newest = sorted(again.others, key=lambda r: (r[1], r[0]), reverse=True)
        lines = [
            f"- {'earlier' if other in earlier else 'later'}: applied {ui.fmt_date(day)}"
            f" · {EVENT_LABELS.get(status, status)}"
            for other, day, status in newest[:AGAIN_SHOWN]
        ]
        more = len(newest) - AGAIN_SHOWN
        st.markdown("\n".join(lines) + (f"\n- …and {more:,} more (group them in the list below)" if more > 0 else ""))

    def merge_undo_offer(app_id: int) -> None:
        """The latest merge into this application, with Undo (kept until undone or kept)."""
        last = store.applications.last_merge(app_id)
        if last is None:
            return
        text, undo, keep = st.columns([4, 1, 1], vertical_alignment="center")
        text.info(
            ui.literal(
                "Merged {company} — {role} (applied {day}) into this one.",
                company=last["company"],
                role=last["role"],
                day=ui.fmt_date(last["applied_on"]),
            ),
            icon="🔗",
        )
        if undo.button("Undo merge", key=f"outcomes_merge_undo_{last['id']}", type="primary"):
            try:
                store.applications.undo_merge(last["id"])
            except ValidationError as error:
                st.error(ui.md_escape(str(error)))
            else:
                ui.flash(
                    "Merge undone: {company} — {role} is its own application again.",
                    icon="↩️",
                    company=last["company"],
                    role=last["role"],
                )
                st.rerun()
        if keep.button("Keep merged", key=f"outcomes_merge_keep_{last['id']}"):
            store.applications.keep_merge(last["id"])
            st.rerun()

    def merge_form(app_id: int, app: dict) -> None:
        """Merge another application (two rows that are one, say from two exports) into this one.
        The versions both were read at are kept from the moment the other was chosen: a save of
        either in another tab since refuses the merge (StaleEdit), nothing merged."""
        every, _, every_row = ui.cached(store, _outcomes_view, (), (), None, None, False)
        again = ui.cached(store.applications, type(store.applications).reapplications, app_id)
        alike = [i for i, _, _ in sorted(again.others, key=lambda r: (r[1], r[0]), reverse=True)] if again else []
        options = list(dict.fromkeys([*alike[: ui.PICKER_LIMIT], *ui.newest_options(every_row)]))
        options = [i for i in options if i != app_id and i in every_row]
        read = session.OUTCOMES_MERGE.of(app_id)
        chosen = read.get()
        if chosen and chosen.get("other") not in every_row:  # deleted (or merged) in another tab since
            read.clear()
            st.warning("The application you chose no longer exists (deleted in another tab?); nothing was merged.")
        if not options:
            st.caption("There is no other application to merge into this one.")
            return
        columns = ("id", "company", "role", "applied_on", "status")
        rows = every.iloc[[every_row[i] for i in options]]
        labels = application_labels(zip(*(rows[c].tolist() for c in columns)))
        st.caption(
            "For two rows that are one application (two exports, say): the other one's timeline, "
            "check-ins, reflections, feedback requests and mail findings move here, an event on both "
            "is kept once, and the other row goes. You can undo it."
            + (" The same company and role come first." if alike else "")
        )
        pick_key = f"outcomes_merge_pick_{app_id}"
        other = st.selectbox(
            "Application to merge into this one",
            options,
            index=None,
            format_func=labels.get,
            key=pick_key,
            placeholder="Choose the other application…",
        )
        if other is None:
            read.clear()
            return
        seen = read.get()
        if not seen or seen.get("other") != other:  # the versions as they are now that it is chosen
            theirs = store.applications.get(other)
            seen = read.set(
                {"other": other, "mine": app.get("version"), "theirs": theirs.get("version") if theirs else None}
            )
        if st.button("Merge into this one", key=f"outcomes_merge_go_{app_id}", type="primary", icon="🔗"):
            try:
                store.applications.merge(app_id, other, keep_version=seen["mine"], other_version=seen["theirs"])
            except ValidationError as error:  # StaleEdit too: chosen again, it is read afresh
                read.clear()
                st.error(ui.md_escape(str(error)))
                return
            read.clear()
            st.session_state.pop(pick_key, None)
            flow_state = session.REJECTION_FLOW.get()
            if isinstance(flow_state, dict) and flow_state.get("application_id") == other:
                flow_state["application_id"] = app_id  # the steps after its rejection follow it here
                ui_flow.save(flow_state)
            ui.flash(
                "Merged into {company} — {role}. You can undo it below.",
                icon="🔗",
                company=app["company"],
                role=app["role"],
            )
            st.rerun()

    # -- one application: what happened, and its timeline ----------------------------
    KINDS = ["rejected", *(k for k in STATUS_EVENTS if k != "rejected"), "followed_up"]  # the one most logged first

    def event_form(kind: str, choice: session.Slot[str]) -> None:
        # Keyed fields: a default that moved since the form was drawn (another tab logged round 1, so
        # the next round is now 2) must not replace what the user submitted.
        key = f"outcomes_ev_{app_id}_{kind}"
        with st.form(f"outcomes_event_form_{app_id}_{kind}"):
            st.markdown(f"**{EVENT_LABELS[kind]}**")
            when = st.date_input("When", value=today, max_value=today, format=ui.DATE_INPUT_FORMAT, key=f"{key}_when")
            round_ = stage = None
            reason = ""
            if kind == "interview":
                round_ = st.number_input(
                    "Round", 1, 20, store.applications.next_interview_round(app_id), key=f"{key}_round"
                )
            if kind == "rejected":
                reached = app["status"] if app["status"] in REJECTION_STAGES else "applied"
                stage = st.selectbox(
                    "Stage reached", REJECTION_STAGES, index=REJECTION_STAGES.index(reached), key=f"{key}_stage"
                )
                reason = st.text_area("Reason they gave (optional)", height=70, key=f"{key}_reason")
            note = st.text_input("Note (optional)", key=f"{key}_note")
            save, cancel = st.columns(2)
            saved = save.form_submit_button("Save", type="primary")
            cancelled = cancel.form_submit_button("Cancel")
        if cancelled:
            choice.clear()
            end_rejecting()
            st.rerun()
        if saved and add_event(app_id, kind, when, round=round_, stage=stage, reason=reason, note=note):
            choice.clear()
            if kind == "rejected":
                end_rejecting()
                ui_flow.logged(app_id, store)  # kept in the database at once; offered beside this application
            else:
                ui.flash(f"Saved: {EVENT_LABELS[kind].lower()}.", icon="✅")
            st.rerun()

    EVENT_FIELDS = {  # an event's fields as its edit form (and a refused save) names them; its kind stays
        "happened_on": "When",
        "round": "Round",
        "stage": "Stage reached",
        "reason": "Reason they gave",
        "note": "Note",
    }

    def event_edit(event_id: int, editing: str) -> None:
        """Correct one event on the timeline. Like the details form, it saves at the version it was
        read at: a save over a newer one (another tab's) is refused and both are shown."""
        key = f"outcomes_event_edit_{event_id}"
        event = store.applications.get_event(event_id)
        if event is None:  # deleted in another tab or window since this form was opened
            conflict.reload(key)
            st.warning("This entry was removed in another tab or window; there is nothing left to edit.", icon="🔀")
            return
        kind = event["kind"]
        labels = {
            c: label
            for c, label in EVENT_FIELDS.items()
            if (c != "round" or kind == "interview") and (c not in ("stage", "reason") or kind == "rejected")
        }
        read = conflict.read_version(key, event["version"], {c: conflict.plain(event[c]) for c in labels})

        def save(fields: dict, version: int | None) -> int:
            return store.applications.update_event(
                event_id,
                fields["happened_on"],
                round=fields.get("round") or None,
                stage=fields.get("stage") or None,
                reason=fields.get("reason") or "",
                note=fields.get("note") or "",
                version=version,
            )

        outcome = conflict.show(key, labels, save)
        if outcome is not None:
            state.pop(editing, None)
            ui.flash("Entry saved." if outcome == "saved" else "Showing the version saved in the other tab.", icon="✅")
            st.rerun()
        conflict.stale_notice(key, event["version"])
        was = read["values"]
        with st.form(key):
            st.markdown(f"**{EVENT_LABELS.get(kind, kind)}**")
            mine: dict = {
                "happened_on": st.date_input(
                    "When", was["happened_on"] or today, max_value=today, format=ui.DATE_INPUT_FORMAT
                )
            }
            if "round" in labels:
                mine["round"] = int(st.number_input("Round", 1, 20, int(was["round"] or 1)))
            if "stage" in labels:
                stage_was = was["stage"] if was["stage"] in REJECTION_STAGES else "applied"
                mine["stage"] = st.selectbox("Stage reached", REJECTION_STAGES, index=REJECTION_STAGES.index(stage_was))
                mine["reason"] = st.text_area("Reason they gave (optional)", was["reason"] or "", height=70)
            mine["note"] = st.text_input("Note (optional)", was["note"] or "")
            save_, cancel = st.columns(2)
            saved = save_.form_submit_button("Save", type="primary")
            cancelled = cancel.form_submit_button("Cancel")
        if cancelled:
            conflict.reload(key)
            state.pop(editing, None)
            st.rerun()
        if saved:
            mine = {c: (v.strip() if isinstance(v, str) else v) for c, v in mine.items()}
            try:
                save(mine, read["version"])
            except StaleEdit as stale:
                conflict.remember(key, stale, mine)
                st.rerun()
            except ValidationError as error:
                st.error(ui.md_escape(str(error)))
            else:
                conflict.reload(key)
                state.pop(editing, None)
                ui.flash("Entry saved.", icon="✅")
                st.rerun()

    with picker_area, st.container(border=True):
        head, badge = st.columns([5, 1], vertical_alignment="center")
        head.subheader(f"{ui.md_escape(app['company'])} — {ui.md_escape(app['role'])}", anchor=False)
        badge.markdown(f"### {STATUS_ICONS.get(app['status'], '')} {app['status']}")
        meta = [app["channel"], f"applied {ui.fmt_date(app['applied_on'])}"]
        if app.get("location"):
            meta.append(app["location"])
        st.caption(" · ".join(ui.md_escape(str(m)) for m in meta))
        if app.get("url") and str(app["url"]).startswith(("http://", "https://")):
            st.link_button("Open the posting", app["url"])
        reapplied(app_id)
        merge_undo_offer(app_id)

        # Actions first: on a phone the columns stack, and the buttons should not sit below a long timeline.
        action_col, timeline_col = st.columns([2, 3])
        with action_col:
            st.markdown("**What happened?**")
            kinds = (["reopened"] if app["status"] == "ghosted" else []) + KINDS
            choice = session.OUTCOMES_EVENT_KIND.of(app_id)
            if rejecting and app["status"] in REJECTABLE:  # the user chose this one to log its rejection
                choice.setdefault("rejected")
            # A wrapping row: on a phone, columns would stack the buttons one per line.
            with st.container(horizontal=True, gap="small"):
                for kind in kinds:
                    label = {"rejected": "Log rejection", "reopened": "Reopen"}.get(kind, EVENT_LABELS[kind])
                    if st.button(
                        label,
                        key=f"outcomes_btn_{kind}_{app_id}",
                        type="primary" if kind in ("rejected", "reopened") else "secondary",
                    ):
                        choice.set(kind)
            if choice.get():
                event_form(choice.get(), choice)

        with timeline_col:
            st.markdown("**Timeline**")
            drawn: set[str] = set()
            for ev in store.applications.timeline(app_id).itertuples():
                label = event_label(ev.kind, ev.round, ev.stage)  # the reason shows below it
                line, edit, remove = st.columns([6, 1, 1], vertical_alignment="center")
                line.markdown(f"{STATUS_ICONS.get(ev.kind, '•')} {ui.fmt_date(ev.happened_on)} · {label}")
                for extra in (ev.reason, ev.note):
                    if isinstance(extra, str) and extra:
                        line.caption(ui.md_escape(extra))
                if pd.isna(ev.id):  # "applied": the application's date, edited with its details
                    continue
                ev_id, editing = int(ev.id), f"outcomes_ev_editing_{int(ev.id)}"
                drawn.add(editing)
                if edit.button("✎", key=f"outcomes_edit_ev_{ev_id}", help="Correct this entry"):
                    state[editing] = not state.get(editing, False)
                    conflict.reload(f"outcomes_event_edit_{ev_id}")  # opened again, it reads the entry as it is now
                    st.rerun()
                if remove.button("✕", key=f"outcomes_del_ev_{ev_id}", help="Remove this entry (logged by mistake)"):
                    if store.applications.delete_event(ev_id):
                        st.rerun()
                    st.warning("That entry was already removed in another tab or window.", icon="🔀")
                if state.get(editing):
                    event_edit(ev_id, editing)
            for editing in [k for k in state if str(k).startswith("outcomes_ev_editing_") and k not in drawn]:
                gone = state.get(editing) and store.applications.get_event(int(str(editing).rsplit("_", 1)[1])) is None
                if gone:  # its form was open here: say why it went, rather than drop what was typed in silence
                    st.warning(
                        "An entry you were editing was removed in another tab or window; your change was not saved.",
                        icon="🔀",
                    )
                    state.pop(editing, None)

        edit_box = st.expander("Edit details", key=f"outcomes_edit_open_{app_id}", on_change="rerun")
        if edit_box.open:  # lazy: the form is built only while open
            with edit_box:
                edit_details(app_id, app)

        merge_box = st.expander(
            "Merge with another application", key=f"outcomes_merge_open_{app_id}", on_change="rerun"
        )
        if merge_box.open:  # lazy: the picker is built only while open
            with merge_box:
                merge_form(app_id, app)

        confirm = session.OUTCOMES_CONFIRM_DELETE.of(app_id)
        if not confirm.get():
            if st.button("Delete application", key=f"outcomes_delete_{app_id}", icon="🗑️"):
                confirm.set(True)
                st.rerun()
        else:
            st.warning(
                ui.literal(
                    "Delete {company} — {role}, its timeline and its feedback requests? Your check-ins, "
                    "reflections and action items stay. This cannot be undone.",
                    company=app["company"],
                    role=app["role"],
                )
            )
            yes, no = st.columns(2)
            if yes.button("Yes, delete it", key=f"outcomes_delete_yes_{app_id}", type="primary"):
                store.applications.delete(app_id)
                confirm.clear()
                OPEN.set(None)
                ui.flash("Deleted.")
                st.rerun()
            if no.button("Keep it", key=f"outcomes_delete_no_{app_id}"):
                confirm.clear()
                st.rerun()

    # -- nudges: suggestions only, nothing changes until the user says so ---------
    def nudge_list():
        ui_settle.undo_offer(store, "outcomes_settle")
        nudges = ui.cached(store.applications, type(store.applications).nudges, today)
        if not nudges:
            return
        quiet = sum(n.kind == "ghost" for n in nudges)
        ghost_after = store.settings.get_int("ghost_after_days")
        box = st.expander(
            f"⏰ {len(nudges):,} waiting on an answer"
            + (f" · {quiet:,} silent for {ghost_after}+ days" if quiet > 1 else ""),
            expanded=len(nudges) <= 3,
            key="outcomes_nudges",
            on_change="rerun",
        )
        if not box.open:  # lazy: up to 20 rows of buttons are built only while the list is open
            return
        with box:
            if quiet > 1:  # the long silences first, in one step: an imported history has hundreds
                text, act = st.columns([3, 1], vertical_alignment="center")
                text.markdown(
                    f"**{quiet:,} have had no answer for {ghost_after} days or more.** "
                    "Mark them as ghosted? You can reopen any of them."
                )
                with act:
                    ui_settle.settle_button(store, today, quiet, key="outcomes_ghost_all")
            for n in nudges[:20]:
                text, act, more = st.columns([6, 2, 2], vertical_alignment="center")
                text.markdown(("👻 " if n.kind == "ghost" else "⏰ ") + ui.md_escape(n.message))
                if act.button(
                    "I followed up",
                    key=f"outcomes_fu_{n.application_id}",
                    help="Logs a follow-up today and resets the clock.",
                ) and add_event(n.application_id, "followed_up", today):
                    st.rerun()
                ghost = n.kind == "ghost" and more.button("Mark ghosted", key=f"outcomes_gh_{n.application_id}")
                if ghost and add_event(n.application_id, "ghosted", today):
                    ui.flash(
                        "Marked as ghosted. Silence says more about their process than about you. "
                        "You can reopen it any time."
                    )
                    st.rerun()
            if len(nudges) > 20:
                st.caption(f"…and {len(nudges) - 20:,} more: the table below has them all.")

    with nudge_area:
        nudge_list()

    # -- settings for the nudges --------------------------------------------------
    with st.expander("Nudge settings"):
        with st.form("outcomes_settings"):
            fu = st.number_input(
                "Suggest a follow-up after this many quiet days", 1, 365, store.settings.get_int("follow_up_after_days")
            )
            gh = st.number_input(
                "Ask about ghosting after this many days without an answer",
                2,
                365,
                store.settings.get_int("ghost_after_days"),
            )
            if st.form_submit_button("Save settings"):
                if gh <= fu:
                    st.error("The ghosting question should come after the follow-up suggestion.")
                else:
                    store.settings.set("follow_up_after_days", int(fu))
                    store.settings.set("ghost_after_days", int(gh))
                    ui.flash("Settings saved.", icon="✅")
                    st.rerun()


through_app(__name__)  # run as a file by Streamlit's legacy mode: go through app.py (see pages/__init__.py)
