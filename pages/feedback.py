"""Feedback: ask for feedback that helps, track the answers, turn them into action items."""

import datetime as dt

import pandas as pd
import streamlit as st

from pages import OUTCOMES, REFLECT, through_app
from rebound import feedback as fb
from rebound import ui
from rebound.errors import StaleEdit, ValidationError
from rebound.ui import conflict, session
from rebound.ui import drafts as ud


def render() -> None:
    store = ui.store()
    today = dt.date.today()
    state = st.session_state
    bank = fb.load_bank()
    kinds = fb.action_kinds()
    md = ui.md_escape

    SECTIONS = {"ask": "✍️ Ask for feedback", "requests": "📬 Requests", "actions": "✅ Action items"}
    STATUS_ICONS = {"drafted": "✍️", "sent": "📤", "answered": "📬", "no answer": "🕊️"}

    def _int(value):
        try:
            return int(value)
        except (TypeError, ValueError):
            return None

    # -- hand-offs: the rejection flow, links with ?application=ID, and our own jumps ---------
    handoff = session.FEEDBACK_REQUEST.pop()  # set by the rejection flow's feedback step
    wanted_app = _int(handoff.get("application_id")) if isinstance(handoff, dict) else None
    if wanted_app is None and "application" in st.query_params:
        wanted_app = _int(st.query_params.get("application"))
        del st.query_params["application"]
    if wanted_app is not None:
        session.FEEDBACK_GOTO.set("ask")
        session.FEEDBACK_OPEN_APPLICATION.set(wanted_app)
    if session.FEEDBACK_GOTO.is_set():
        state["feedback_section"] = session.FEEDBACK_GOTO.pop()
    state.setdefault("feedback_section", "ask")

    def goto(section: str, request_id: int | None = None, application_id: int | None = None) -> None:
        """Switch section (and select a request or application) at the start of the next run."""
        session.FEEDBACK_GOTO.set(section)
        if request_id is not None:
            session.FEEDBACK_OPEN_REQUEST.set(int(request_id))
        if application_id is not None:
            session.FEEDBACK_OPEN_APPLICATION.set(int(application_id))

    def fmt_date(value) -> str:
        if value is None or (not isinstance(value, dt.date) and pd.isna(value)):
            return "—"
        return ui.fmt_date(pd.Timestamp(value))  # one date format on every page

    def area_label(key: str) -> str:
        return bank.areas[key].label if key in bank.areas else key

    st.title("Feedback")
    ui.show_flash()
    st.caption(
        "Ask a few specific questions after a rejection, keep track of the answers, and turn what you "
        "learn into next steps — from their feedback or from your own reflection."
    )

    # -- nudges -------------------------------------------------------------------------
    def close_request(request_id: int) -> None:
        store.feedback_requests.close(request_id, today)
        ui.flash("Okay, no more reminders for that one. Silence is common and says nothing about you.", "🕊️")

    for n in store.feedback_requests.nudges(today):
        with st.container(border=True):
            text, act = st.columns([5, 1.4], vertical_alignment="center")
            text.markdown(f"{n.icon} {md(n.message)}")
            if n.kind == "send":
                act.button(
                    "Draft a request",
                    key=f"feedback_nudge_draft_{n.application_id}",
                    on_click=goto,
                    args=("ask",),
                    kwargs={"application_id": n.application_id},
                    width="stretch",
                )
            elif n.kind == "send_draft":
                act.button(
                    "Open the draft",
                    key=f"feedback_nudge_open_{n.request_id}",
                    on_click=goto,
                    args=("requests", n.request_id),
                    width="stretch",
                )
            else:
                act.button(
                    "Stop reminding me",
                    key=f"feedback_nudge_close_{n.request_id}",
                    on_click=close_request,
                    args=(n.request_id,),
                    width="stretch",
                )

    section = st.segmented_control(
        "Section",
        list(SECTIONS),
        format_func=SECTIONS.get,
        key="feedback_section",
        required=True,
        label_visibility="collapsed",
    )

    # -- shared pieces ---------------------------------------------------------------
    def message_tools(draft: fb.Draft, key: str, stem: str) -> None:
        """Copy (st.code's icon), open in the email app, download .txt / .eml."""
        st.markdown("**Subject**")
        st.code(draft.subject, language=None, wrap_lines=True)
        st.markdown("**Message** · copy it with the icon at its top right")
        st.code(draft.body, language=None, wrap_lines=True)
        url = fb.mailto_url(draft.to_email, draft.subject, draft.body)
        st.link_button(
            "Open in my email app",
            url,
            icon="📧",
            width="stretch",
            help="Opens a new email with the address, subject and message filled in.",
        )
        b, c = st.columns(2)
        b.download_button(
            "Download .txt",
            fb.txt_text(draft).encode("utf-8"),
            file_name=f"{stem}.txt",
            mime="text/plain",
            key=f"{key}_txt",
            on_click="ignore",
            icon="📄",
            width="stretch",
        )
        c.download_button(
            "Download .eml",
            fb.eml_bytes(draft),
            file_name=f"{stem}.eml",
            mime="message/rfc822",
            key=f"{key}_eml",
            on_click="ignore",
            icon="✉️",
            width="stretch",
            help="Most email apps open this as a draft ready to send.",
        )
        if len(url) > fb.MAILTO_SAFE_LENGTH:
            st.caption(
                "This message is long: some email apps cut off long links. If it arrives incomplete, "
                "copy the message instead."
            )
        if not draft.to_email:
            st.caption("No address yet: the email app will ask who to send it to.")

    def theme_options(extra=()) -> list[str]:
        used = list(store.feedback_requests.theme_counts())
        return list(dict.fromkeys([*bank.areas, *used, *extra]))

    def action_adder(prefix: str, areas, source: str, source_id) -> None:
        """Suggestions (click to start from one) and a small form: kind, what, due date."""
        if state.pop(f"{prefix}_clear", False):
            for field in ("kind", "title", "due"):
                state.pop(f"{prefix}_{field}", None)
        state.setdefault(f"{prefix}_kind", "interview skill")
        state.setdefault(f"{prefix}_title", "")
        state.setdefault(f"{prefix}_due", today + dt.timedelta(days=7))

        def prefill(s: fb.SuggestedAction) -> None:
            state[f"{prefix}_kind"] = s.kind
            state[f"{prefix}_title"] = s.title
            state[f"{prefix}_due"] = today + dt.timedelta(days=s.days)

        suggestions = fb.suggested_actions(areas)
        if suggestions:
            st.caption("Ideas for these themes. Click one to start from it, then make it yours:")
            for i, s in enumerate(suggestions):
                st.button(
                    f"{kinds[s.kind].icon} {md(s.title)}",
                    key=f"{prefix}_idea_{i}",
                    on_click=prefill,
                    args=(s,),
                    type="tertiary",
                )
        with st.form(f"{prefix}_form", border=True):
            k, t, d = st.columns([2, 5, 2])
            kind = k.selectbox(
                "Kind", list(kinds), format_func=lambda x: f"{kinds[x].icon} {kinds[x].label}", key=f"{prefix}_kind"
            )
            title = t.text_input(
                "Action item",
                key=f"{prefix}_title",
                max_chars=fb.MAX_ACTION_TITLE,
                placeholder="e.g. Practise two STAR stories out loud",
            )
            due = d.date_input("Due", key=f"{prefix}_due", format=ui.DATE_INPUT_FORMAT)
            if st.form_submit_button("Add action item", type="primary", icon="➕"):
                try:
                    store.actions.add(kind, title, due, source, source_id)
                except ValidationError as error:
                    st.error(md(str(error)))  # messages may quote what was typed
                else:
                    state[f"{prefix}_clear"] = True
                    ui.flash("Action item added. Today reminds you when it is due.", "✅")
                    st.rerun()

    # -- 1. ask for feedback -------------------------------------------------------------
    def ask_section() -> None:
        apps = store.feedback_requests.applications()
        if apps.empty:
            st.info(
                "Log an application and its outcome first; then Rebound helps you ask the employer for feedback on it.",
                icon="📋",
            )
            st.page_link(OUTCOMES, label="Go to Outcomes", icon="📋")
            return
        ids = apps["id"].astype(int).tolist()
        rows = set(ids)
        labels = ui.application_options(store)  # the one labelling of every application picker
        pending = session.FEEDBACK_OPEN_APPLICATION.pop()
        if pending in rows:
            state["feedback_app"] = pending
        elif pending is not None:
            st.warning("That application is no longer there; pick another.")
        if state.get("feedback_app") not in rows:
            state["feedback_app"] = ids[0]

        left, right = st.columns([1, 1], gap="large")
        with left:
            st.subheader("1 · What to ask")
            picker = ui.newest_options(ids, state["feedback_app"])  # a heavy search has thousands
            app_id = st.selectbox(
                "Application",
                picker,
                format_func=lambda i: labels.get(i, str(i)),
                key="feedback_app",
                help="Rejections after an interview come first: that is when feedback helps most."
                + (
                    ""
                    if len(picker) == len(ids)
                    else f" The first {ui.PICKER_LIMIT} of {len(ids):,} are listed; one sent here from "
                    "the rejection steps or a link is always included."
                ),
            )
            app = next(apps[apps["id"] == app_id].itertuples())
            stage_key = f"feedback_stage_{app_id}"
            state.setdefault(stage_key, store.feedback_requests.stage_default(app_id))
            stage = st.selectbox(
                "Stage you reached", list(bank.stages), key=stage_key, format_func=lambda k: bank.stages[k].label
            )
            reflection = store.feedback_requests.reflection_areas(app_id)
            areas_key = f"feedback_areas_{app_id}"
            state.setdefault(areas_key, reflection["areas"][: fb.MAX_QUESTIONS])
            areas = st.multiselect(
                "Areas you felt unsure about",
                list(bank.areas),
                key=areas_key,
                format_func=area_label,
                placeholder="Choose one or more areas",
            )
            if reflection["areas"]:
                st.caption(
                    f"Preselected from your reflection on this application ({fmt_date(reflection['day'])}): "
                    + md(", ".join(reflection["themes"]))
                    + "."
                )
            elif reflection["reflection_id"] is not None:  # reflected (e.g. in the rejection steps), no themes tagged
                st.caption(
                    f"Your reflection on this application ({fmt_date(reflection['day'])}) has no themes that "
                    "point to an area, so nothing is preselected: choose the areas yourself."
                )
            else:
                st.caption(
                    "No reflection on this application yet, so nothing is preselected. "
                    "Reflecting first often shows what to ask."
                )
                st.page_link(REFLECT, label="Reflect on it first", icon="📝")

            questions = fb.questions_for(stage, areas)
            defaults = {q.id for q in fb.default_questions(questions)}
            chosen = []
            if areas:
                st.markdown("**Tick 2–4 questions** (you can edit them on the right)")
            for area in fb.ordered_areas(areas):
                st.markdown(f"*{md(area_label(area))}*")
                for q in (q for q in questions if q.area == area):
                    if st.checkbox(md(q.text), value=q.id in defaults, key=f"feedback_q_{app_id}_{q.id}", wrap=True):
                        chosen.append(q)
            own = st.text_area(
                "Your own question (optional)",
                key=f"feedback_own_{app_id}",
                height=80,
                max_chars=fb.MAX_QUESTION,
                placeholder="Something specific you wondered about",
            )

        with right:
            st.subheader("2 · Edit and send")
            texts = []
            for i, q in enumerate(chosen, 1):
                texts.append(
                    st.text_area(
                        f"Question {i} · {area_label(q.area)}",
                        value=q.text,
                        height=80,
                        key=f"feedback_edit_{app_id}_{q.id}",
                        max_chars=fb.MAX_QUESTION,
                    )
                )
            if own.strip():
                texts.append(own)
            previous = store.feedback_requests.all(app_id)
            last = previous.iloc[0] if not previous.empty else None
            n, e = st.columns(2)
            to_name = n.text_input(
                "Interviewer's name",
                key=f"feedback_to_name_{app_id}",
                max_chars=fb.MAX_NAME,
                value=(last.contact_name if last is not None and isinstance(last.contact_name, str) else ""),
                placeholder="How you greet them, e.g. Priya",
            )
            to_email = e.text_input(
                "Their email",
                key=f"feedback_to_email_{app_id}",
                max_chars=fb.MAX_EMAIL,
                value=(last.contact_email if last is not None and isinstance(last.contact_email, str) else ""),
                placeholder="name@company.com",
            )
            sender = st.text_input(
                "Your name, for the sign-off",
                key="feedback_sender",
                max_chars=fb.MAX_NAME,
                value=store.settings.get("feedback_sender_name") or "",
            )
            tone = st.segmented_control(
                "Tone",
                list(bank.tones),
                format_func=lambda k: bank.tones[k].label,
                key="feedback_tone",
                default="warm",
                required=True,
            )
            try:
                draft = fb.compose(tone, texts, app.company, app.role, stage, to_name, to_email, sender)
            except ValidationError as error:
                if not [t for t in texts if t.strip()]:
                    st.info(md(str(error)), icon="👈")
                else:
                    st.error(md(str(error)))
                return
            if len(draft.questions) == 1:
                st.caption("One question is fine. Two to four give them more to answer, if they wish.")
            message_tools(draft, "feedback_ask", fb.file_stem(app.company, app.role))

            unsent = (
                previous[(previous["status"] == "drafted") & (previous["contact_email"].fillna("") == draft.to_email)]
                if last is not None
                else previous
            )
            existing = int(unsent.iloc[0]["id"]) if not unsent.empty else None
            read = (
                conflict.read_version(f"feedback_req_{existing}", unsent.iloc[0]["version"], {}) if existing else None
            )
            if existing is not None:
                st.caption(f"Saving replaces your unsent draft from {fmt_date(unsent.iloc[0]['drafted_on'])}.")
            a, b = st.columns(2)
            save = a.button("Save draft", type="primary", key="feedback_save", icon="💾", width="stretch")
            sent = b.button(
                "I've sent it",
                key="feedback_save_sent",
                icon="📤",
                width="stretch",
                help="Saves the request and marks it sent today.",
            )
            if save or sent:
                try:
                    if sender != (store.settings.get("feedback_sender_name") or ""):
                        store.settings.set("feedback_sender_name", fb.clean_name(sender, "Your name"))
                    request_id = store.feedback_requests.save(
                        app_id,
                        stage,
                        tone,
                        texts,
                        to_name,
                        to_email,
                        sender,
                        today=today,
                        request_id=existing,
                        sent_on=today if sent else None,
                        version=read["version"] if read else None,
                    )
                    conflict.reload(f"feedback_req_{existing}")
                except StaleEdit as stale:
                    st.error(conflict.refused(f"feedback_req_{existing}", stale))
                    return
                except ValidationError as error:
                    st.error(md(str(error)))
                    return
                ud.bind(store)  # a flow left in an earlier session counts too
                flow_state = session.REJECTION_FLOW.get()
                if isinstance(flow_state, dict) and flow_state.get("application_id") == app_id:
                    from rebound import flow
                    from rebound.ui import flow as ui_flow

                    flow.complete(flow.normalize(flow_state), "feedback", feedback_request_id=request_id)
                    ui_flow.save(flow_state)
                ui.flash(
                    "Marked as sent. Rebound will check in if there is no answer in 10 days."
                    if sent
                    else "Draft saved. Mark it sent under Requests once it has gone.",
                    "📤" if sent else "💾",
                )
                goto("requests", request_id)
                st.rerun()

    # -- 2. requests ---------------------------------------------------------------------
    def feedback_editor(req: dict) -> None:
        """Paste what they said, tag themes (with suggestions from the text), save."""
        rid = req["id"]
        text_key, themes_key, date_key = f"feedback_text_{rid}", f"feedback_themes_{rid}", f"feedback_answered_{rid}"
        state.setdefault(text_key, req["feedback_text"] or "")
        state.setdefault(themes_key, list(req["themes"]))
        state.setdefault(date_key, req["answered_on"] or today)
        text = st.text_area(
            "What they said",
            key=text_key,
            height=160,
            max_chars=fb.MAX_FEEDBACK,
            placeholder="Paste their reply here, or write down what they told you on the phone.",
        )
        suggested = [a for a in fb.suggest_themes(text) if a not in state[themes_key]]

        def use_suggestions():
            state[themes_key] = list(dict.fromkeys([*state[themes_key], *suggested]))

        options = theme_options([*state[themes_key]])
        themes = st.multiselect(
            "Themes",
            options,
            key=themes_key,
            format_func=area_label,
            accept_new_options=True,
            placeholder="Choose or type themes",
            help="Themes feed the patterns on Progress and the action item ideas below.",
        )
        if suggested:
            st.caption("It sounds like: " + md(", ".join(area_label(a) for a in suggested)))
            st.button("Add these themes", key=f"feedback_use_themes_{rid}", on_click=use_suggestions, icon="🏷️")
        c1, c2 = st.columns([1, 2], vertical_alignment="bottom")
        answered_on = c1.date_input("Answered on", key=date_key, max_value=today, format=ui.DATE_INPUT_FORMAT)
        if c2.button("Save their feedback", type="primary", key=f"feedback_save_text_{rid}", icon="📬"):
            try:
                store.feedback_requests.save_received(rid, text, themes, answered_on, today=today)
            except ValidationError as error:
                st.error(md(str(error)))
            else:
                ui.flash("Feedback saved. Now turn one thing from it into an action item.", "📬")
                st.rerun()

    def request_section() -> None:
        requests = store.feedback_requests.all()
        requests["company"] = requests["company"].fillna("(deleted application)")
        requests["role"] = requests["role"].fillna("")
        if requests.empty:
            st.info("No feedback requests yet. Draft one under “Ask for feedback”.", icon="✍️")
            return
        table = requests.assign(Status=requests["status"].map(lambda s: f"{STATUS_ICONS.get(s, '')} {s}"))
        st.dataframe(
            table[["company", "role", "Status", "drafted_on", "sent_on", "answered_on", "n_actions"]],
            hide_index=True,
            width="stretch",
            height=min(38 + 35 * len(table), 280),
            column_config={
                "company": "Company",
                "role": "Role",
                "drafted_on": st.column_config.DateColumn("Drafted", format="D MMM YYYY"),
                "sent_on": st.column_config.DateColumn("Sent", format="D MMM YYYY"),
                "answered_on": st.column_config.DateColumn("Answered", format="D MMM YYYY"),
                "n_actions": st.column_config.NumberColumn("Action items"),
            },
        )
        rows = {int(r.id): r for r in requests.itertuples()}
        app_labels = ui.application_options(store)
        request_labels = ui.unique_labels(
            {
                i: f"{STATUS_ICONS.get(r.status, '')} "
                + (app_labels.get(r.application_id) if r.application_id in app_labels else r.company)
                + f" · request {r.status}, drafted {fmt_date(r.drafted_on)}"
                for i, r in rows.items()
            }
        )
        pending = session.FEEDBACK_OPEN_REQUEST.pop()
        if pending in rows:
            state["feedback_pick"] = pending
        if state.get("feedback_pick") not in rows:
            state["feedback_pick"] = next(iter(rows))
        rid = st.selectbox(
            "Open a request",
            list(rows),
            key="feedback_pick",
            format_func=request_labels.get,
        )
        req = store.feedback_requests.get(rid)
        if req is None:
            st.warning("That request no longer exists.")
            return
        company = req["company"] or "(deleted application)"
        with st.container(border=True):
            st.subheader(f"{md(company)} — {md(req['role'] or '')}", anchor=False)
            stage = bank.stages[req["stage"]].label if req["stage"] in bank.stages else (req["stage"] or "")
            to = req["contact_name"] or "the hiring team"
            st.caption(f"{md(stage)} · to {md(to)}")
            steps = [
                ("✍️ Drafted", req["drafted_on"]),
                ("📤 Sent", req["sent_on"]),
                (
                    "📬 Answered" if req["status"] != "no answer" else "🕊️ No answer",
                    req["answered_on"] or req["closed_on"],
                ),
            ]
            st.markdown(" → ".join(f"{label} **{fmt_date(day)}**" if day else f"{label} —" for label, day in steps))

            draft = fb.Draft(
                req["subject"] or "", req["message"] or "", req["contact_name"] or "", req["contact_email"] or ""
            )
            with st.expander("The message", expanded=req["status"] == "drafted"):
                message_tools(draft, f"feedback_req_{rid}", fb.file_stem(company, req["role"] or ""))

            status = req["status"]
            if status == "drafted":
                with st.form(f"feedback_sent_form_{rid}", border=False):
                    c1, c2 = st.columns([1, 2], vertical_alignment="bottom")
                    sent_on = c1.date_input(
                        "Sent on",
                        value=today,
                        max_value=today,
                        format=ui.DATE_INPUT_FORMAT,
                        key=f"feedback_sent_on_{rid}",
                    )
                    if c2.form_submit_button("Mark as sent", type="primary", icon="📤"):
                        try:
                            store.feedback_requests.mark_sent(rid, sent_on, today=today)
                        except ValidationError as error:
                            st.error(md(str(error)))
                        else:
                            ui.flash("Marked as sent. Paste their answer here when it comes.", "📤")
                            st.rerun()
            elif status in ("sent", "no answer"):
                days = (today - req["sent_on"]).days
                if status == "sent":
                    st.markdown(
                        f"Sent {fb.days_ago(days)}. "
                        + (
                            "Many employers never answer feedback requests, often for policy or time reasons. "
                            "That is not about you."
                            if days >= fb.REMIND_AFTER_DAYS
                            else "Replies, when they come, usually take a week or two."
                        )
                    )
                else:
                    st.markdown(
                        "You stopped waiting for this one. Silence is common and is not about you. "
                        "Your own reflection can still give you next steps (see **Action items**)."
                    )
                st.markdown("**Did they answer?**")
                feedback_editor(req)
                c1, c2 = st.columns(2)
                if status == "sent":
                    c1.button(
                        "No answer, stop reminding me",
                        key=f"feedback_close_{rid}",
                        on_click=close_request,
                        args=(rid,),
                        icon="🕊️",
                    )
                    if c2.button("Undo “sent”", key=f"feedback_unsend_{rid}"):
                        store.feedback_requests.unmark_sent(rid)
                        st.rerun()
                elif c1.button("Reopen: I'm still hoping for an answer", key=f"feedback_reopen_{rid}"):
                    store.feedback_requests.reopen(rid)
                    st.rerun()
            else:  # answered
                st.markdown("**What they said**")
                with st.container(border=True):
                    st.markdown(md(req["feedback_text"]))
                if req["themes"]:
                    st.caption("Themes: " + md(", ".join(area_label(t) for t in req["themes"])))
                with st.expander("Edit their feedback or its themes"):
                    feedback_editor(req)

            if status in ("answered", "no answer") or req["n_actions"]:
                st.markdown("**Action items from this feedback**")
                items = store.actions.all(source="feedback", source_id=rid)
                for row in items.itertuples():
                    action_row(row, f"req{rid}")
                if items.empty:
                    st.caption("None yet. Turn one thing they said into something you can do this week.")
                action_adder(f"feedback_act_{rid}", req["themes"], "feedback", rid)

            with st.popover("Delete this request", icon="🗑️"):
                st.write("The request and its message go. Action items made from it stay on your list.")
                if st.button("Delete", key=f"feedback_delete_{rid}", type="primary"):
                    store.feedback_requests.delete(rid)
                    ui.flash("Request deleted.", "🗑️")
                    st.rerun()

    # -- 3. action items ------------------------------------------------------------------
    def set_done(action_id: int, key: str) -> None:
        store.actions.set_done(action_id, bool(state.get(key)), today)
        if state.get(key):
            ui.flash("Done. That is real progress.", "🎉")

    def action_row(row, scope: str) -> None:
        done = not pd.isna(row.done_on)
        key = f"feedback_done_{scope}_{row.id}"
        c1, c2, c3 = st.columns([6, 3, 0.6], vertical_alignment="center")
        c1.checkbox(
            f"{kinds[row.kind].icon if row.kind in kinds else '📌'} {md(row.title)}",
            value=done,
            key=key,
            on_change=set_done,
            args=(int(row.id), key),
        )
        bits = []
        if done:
            bits.append(f"done {fmt_date(row.done_on)}")
        elif not pd.isna(row.due_on):
            due = pd.Timestamp(row.due_on).date()
            bits.append(
                f":red[overdue, was due {fmt_date(due)}]"
                if due < today
                else "due today"
                if due == today
                else f"due {fmt_date(due)}"
            )
        if isinstance(row.company, str):
            bits.append(("from feedback: " if row.source == "feedback" else "from reflection: ") + md(row.company))
        elif row.source == "reflection":
            bits.append("from your reflection")
        c2.caption(" · ".join(bits))
        c3.button(
            "🗑️",
            key=f"feedback_del_{scope}_{row.id}",
            help="Delete this action item",
            on_click=store.actions.delete,
            args=(int(row.id),),
            type="tertiary",
        )

    def actions_section() -> None:
        items = store.actions.all(done=False)
        st.subheader("Open")
        if items.empty:
            st.info("No open action items. Add one below, from feedback, or from your own reflection.", icon="✅")
        for row in items.itertuples():
            action_row(row, "open")

        st.subheader("No answer? Plan from your own reflection")
        st.caption(
            "Employers often stay silent. Your own reflection knows where you felt unsure, so you can "
            "still choose next steps."
        )
        reflected = store.feedback_requests.reflection_applications()
        choices = [None] + [int(i) for i in reflected["id"]]
        every_label = ui.application_options(store)
        labels = {i: every_label.get(i, str(i)) for i in choices if i is not None}
        with st.container(border=True):
            pick = st.selectbox(
                "Reflections on",
                choices,
                key="feedback_self_app",
                format_func=lambda i: "All my reflections (most common themes)" if i is None else labels[i],
            )
            reflection = store.feedback_requests.reflection_areas(pick)
            areas_key = f"feedback_self_areas_{pick}"
            state.setdefault(areas_key, reflection["areas"][:3])
            areas = st.multiselect(
                "Areas to work on", list(bank.areas), key=areas_key, format_func=area_label, placeholder="Choose areas"
            )
            if not reflection["themes"]:
                st.caption("No reflections with themes yet; choose the areas yourself or write a reflection first.")
            ideas = fb.suggested_actions(areas)
            picked = []
            for i, s in enumerate(ideas):
                if st.checkbox(
                    f"{kinds[s.kind].icon} {md(s.title)} · due in {s.days} days",
                    key=f"feedback_self_{pick}_{s.area}_{i}",
                ):
                    picked.append({"kind": s.kind, "title": s.title, "due_on": today + dt.timedelta(days=s.days)})
            if areas and st.button(
                f"Add {len(picked)} action item{'s' if len(picked) != 1 else ''}",
                key="feedback_self_add",
                type="primary",
                disabled=not picked,
            ):
                rid = reflection["reflection_id"]
                try:
                    store.actions.add_many(picked, "reflection" if rid else "manual", rid)
                except ValidationError as error:
                    st.error(md(str(error)))
                else:
                    for i, s in enumerate(ideas):
                        state.pop(f"feedback_self_{pick}_{s.area}_{i}", None)
                    ui.flash(
                        f"Added {len(picked)} action item{'s' if len(picked) != 1 else ''}. Today reminds you when they are due.",
                        "✅",
                    )
                    st.rerun()

        st.subheader("Add your own")
        action_adder("feedback_manual", [], "manual", None)

        done = store.actions.all(done=True)
        if not done.empty:
            with st.expander(f"Done ({len(done)})"):
                for row in done.itertuples():
                    action_row(row, "done")

    if section == "requests":
        request_section()
    elif section == "actions":
        actions_section()
    else:
        ask_section()


through_app(__name__)  # run as a file by Streamlit's legacy mode: go through app.py (see pages/__init__.py)
