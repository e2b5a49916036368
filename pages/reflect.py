"""Reflect: guided reflections from templates, and the journal of everything written."""

import datetime as dt

import pandas as pd
import streamlit as st

from pages import through_app
from rebound import ui
from rebound import wellbeing as wb
from rebound.ui import drafts as ud
from rebound.ui import plans as ui_plans
from rebound.ui import session
from rebound.ui import wellbeing as uw
from rebound.ui import writing as ui_writing


def render() -> None:
    store = ui.store()
    ud.bind(store)  # drafts from an earlier visit (a reload, another day) are offered below
    ud.commit_on_leave()  # words still in a text box are kept when the page is reloaded or hidden
    PAGE_SIZE = 20

    st.title("Reflect")
    ui.show_flash()
    ud.show_problem()  # a draft that could not be kept

    templates = wb.templates()
    write_tab, journal_tab = st.tabs(["✍️ Write", "📓 Journal"], key="reflect_tabs", on_change="rerun")

    # -- write -------------------------------------------------------------------------
    if write_tab.open:  # only the open tab is drawn
        with write_tab:
            ids = ui_writing.chooser(templates)  # a series (the four days of writing) once, by its first day
            asked = ui_writing.asked_for()  # a link to the four days (from Today or the rejection steps)
            if asked in templates:
                uw.draft("reflect:choice")["template"] = asked
            chosen = uw.field(
                "reflect:choice",
                "template",
                st.segmented_control,
                default=ids[0],
                valid=lambda v: v in ids,
                label="What would you like to reflect on?",
                options=ids,
                format_func=lambda t: ui_writing.chooser_label(templates[t]),
            )
            tmpl = templates.get(chosen) or templates[ids[0]]

            def choose(template_id: str) -> None:
                uw.draft("reflect:choice")["template"] = ui_writing.entry(templates[template_id])

            others = [t for t in templates if ui_writing.entry(templates[t]) != tmpl.id]  # a series' days: one entry
            for t in others:  # drafts of the other templates, saved in an earlier session
                if ud.pending(f"reflect:{t}"):
                    ud.offer(f"reflect:{t}", f"reflection “{templates[t].title}”", on_resume=choose, args=(t,))
            drafts_waiting = [templates[t].title for t in others if uw.has_draft(f"reflect:{t}")]
            if drafts_waiting:
                st.caption("Unsaved drafts kept for: " + ", ".join(drafts_waiting))
            if tmpl.id == "weekly_review":  # what was planned this week against what got done, kindly
                ui_plans.week_review(store, dt.date.today(), title="Your plans this week")
            if not tmpl.series:
                ui_writing.reflect_note(store, choose)  # the four days' next day, when it is open
            if tmpl.series:
                saved = ui_writing.series_form(store, tmpl)
            else:
                saved = uw.reflection_form(store, f"reflect:{tmpl.id}", tmpl)
            if saved:
                ui.flash("Your reflection is saved in your journal.", "📝", banner=True)
                st.rerun()

    # -- journal -------------------------------------------------------------------------
    KINDS = {**{t: f"{v.icon} {v.title}" for t, v in templates.items()}, "checkin": "💬 Check-ins"}

    def _label_kind(kind: str) -> str:
        return KINDS.get(kind, wb.template(kind).title)

    if journal_tab.open:  # only the open tab is drawn
        with journal_tab:
            f1, f2, f3 = st.columns([3, 2, 2])
            search = f1.text_input(
                "Search",
                key="journal_search",
                placeholder="words from answers, notes, companies…",
                persist_state="session",
            )
            kinds = f2.multiselect(
                "Type",
                list(KINDS),
                format_func=_label_kind,
                key="journal_kinds",
                placeholder="all",
                persist_state="session",
            )
            themes = f3.multiselect(
                "Themes",
                store.reflections.used_themes(),
                key="journal_themes",
                placeholder="any",
                persist_state="session",
            )
            g1, g2, g3 = st.columns([3, 2, 2])
            apps = store.reflections.journal_applications()
            labels = ui.application_options(store)
            app_options = {
                uw.NONE_APP: "any application",
                **{i: labels[i] for i in apps["id"].astype(int).tolist() if i in labels},
            }
            app_id = g1.selectbox(
                "Application",
                list(app_options),
                format_func=lambda i: app_options.get(i, "—"),
                key="journal_app",
                persist_state="session",
            )
            start = g2.date_input(
                "From", value=None, key="journal_from", format=ui.DATE_INPUT_FORMAT, persist_state="session"
            )
            end = g3.date_input(
                "To", value=None, key="journal_to", format=ui.DATE_INPUT_FORMAT, persist_state="session"
            )

            templates_filter = [k for k in kinds if k != "checkin"]
            kinds_filter = (
                ("reflection", "checkin")
                if not kinds
                else ((("reflection",) if templates_filter else ()) + (("checkin",) if "checkin" in kinds else ()))
            )
            limit = session.JOURNAL_SHOWN.get() or session.JOURNAL_SHOWN.set(PAGE_SIZE)
            entries = store.reflections.journal(
                search=search,
                kinds=kinds_filter,
                templates=templates_filter or None,
                themes=themes or None,
                application_id=None if app_id in (None, uw.NONE_APP) else app_id,
                start=start,
                end=end,
                limit=limit + 1,
            )
            more = len(entries) > limit
            entries = entries.head(limit)
            filtering = bool(search or kinds or themes or start or end or app_id not in (None, uw.NONE_APP))
            if entries.empty:
                if filtering:
                    st.info("Nothing matches these filters.", icon="🔎")
                else:
                    st.info("Your journal is empty. Check-ins and reflections you save appear here.", icon="📓")

            editing = session.JOURNAL_EDITING.get()
            deleting = session.JOURNAL_DELETING.get()
            for entry in entries.to_dict("records"):
                ref = (entry["kind"], int(entry["id"]))
                with st.container(border=True, key=f"journal_entry_{entry['kind']}_{entry['id']}"):
                    head = st.columns([8, 1, 1], vertical_alignment="center")
                    about = uw.application_label(entry.get("company"), entry.get("role"))
                    if entry["kind"] == "reflection":
                        tmpl = wb.template(entry["template"])
                        title = f"{tmpl.icon} **{uw.md(tmpl.title)}**"
                    else:
                        energy = "" if pd.isna(entry.get("energy")) else f" · energy {int(entry['energy'])}/10"
                        title = f"💬 **Check-in** · mood {int(entry['mood'])}/10{energy}"
                    head[0].markdown(
                        f"{title} · {entry['day']:%a} {ui.fmt_date(entry['day'])}"
                        + (f" · {uw.md(about)}" if about else "")
                    )
                    if head[1].button("✏️", key=f"journal_edit_{ref[0]}_{ref[1]}", help="Edit"):
                        session.JOURNAL_EDITING.set(ref)
                        st.rerun()
                    if head[2].button("🗑️", key=f"journal_delete_{ref[0]}_{ref[1]}", help="Delete"):
                        session.JOURNAL_DELETING.set(ref)
                        st.rerun()
                    if deleting == ref:
                        st.warning("Delete this entry for good?", icon="🗑️")
                        yes, no, _ = st.columns([1, 1, 4])
                        if yes.button("Delete", key=f"journal_confirm_{ref[0]}_{ref[1]}", type="primary"):
                            (store.reflections.delete if ref[0] == "reflection" else store.checkins.delete)(ref[1])
                            session.JOURNAL_DELETING.clear()
                            ui.flash("Deleted.", "🗑️", banner=True)
                            st.rerun()
                        if no.button("Keep it", key=f"journal_keep_{ref[0]}_{ref[1]}"):
                            session.JOURNAL_DELETING.clear()
                            st.rerun()
                    if editing == ref:
                        form_id = f"journal:edit:{ref[0]}:{ref[1]}"
                        if ref[0] == "reflection":
                            done = uw.reflection_form(
                                store,
                                form_id,
                                wb.template(entry["template"]),
                                existing=entry,
                                submit_label="Save changes",
                            )
                        else:
                            done = uw.checkin_form(
                                store,
                                form_id,
                                existing={**entry, "checked_at": entry["moment"]},
                                submit_label="Save changes",
                            )
                        if done:
                            session.JOURNAL_EDITING.clear()
                            ui.flash("Changes saved.", "✅", banner=True)
                            st.rerun()
                        if st.button("Cancel editing", key=f"journal_cancel_{ref[0]}_{ref[1]}"):
                            session.JOURNAL_EDITING.clear()
                            uw.clear_draft(form_id)
                            st.rerun()
                        continue
                    if entry["kind"] == "reflection":
                        if entry["themes"]:
                            st.caption("Themes: " + ", ".join(uw.md(t) for t in entry["themes"]))
                        answers = entry["answers"] or {}
                        n = len(answers)
                        with st.expander(f"{n} answer{'s' if n != 1 else ''}", expanded=bool(search) or n == 1):
                            uw.show_reflection(entry)
                    else:
                        if entry["emotions"]:
                            st.caption("Feeling: " + ", ".join(uw.md(e) for e in entry["emotions"]))
                        if isinstance(entry.get("note"), str) and entry["note"]:
                            st.text(entry["note"])
            if more and st.button("Show more", key="journal_more"):
                session.JOURNAL_SHOWN.set(limit + PAGE_SIZE)
                st.rerun()


through_app(__name__)  # run as a file by Streamlit's legacy mode: go through app.py (see pages/__init__.py)
