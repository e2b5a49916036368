"""Goals & wins: weekly goals, the activity log, contacts, small wins, interview prep and momentum."""

import datetime as dt

import pandas as pd
import streamlit as st

from pages import through_app
from rebound import momentum, ui, vega
from rebound.errors import StaleEdit, ValidationError
from rebound.today import points_delta
from rebound.ui import conflict
from rebound.ui import plans as ui_plans


def render() -> None:
    store = ui.store()
    today = dt.date.today()
    this_week = momentum.week_of(today)
    METRICS = momentum.metrics()
    KINDS = momentum.activity_kinds()
    WIN_KINDS = momentum.win_kinds()

    st.title("Goals & wins")

    ui.show_flash()  # a win or a goal from the last run, celebrated once (balloons for the big ones)

    def done_text(x: float) -> str:
        return f"{x:g}" if float(x) == int(x) else f"{x:.1f}"

    GOALS_TABS = ["🎯 Weekly goals", "📒 Activity log", "🤝 Contacts", "🏆 Wins", "🗣️ Interview prep", "📈 Momentum"]
    tab_goals, tab_log, tab_contacts, tab_wins, tab_prep, tab_momentum = st.tabs(
        GOALS_TABS, key="goals_tab", on_change="rerun"
    )

    # == weekly goals ===========================================================================
    if tab_goals.open:  # only the open tab is drawn
        with tab_goals:
            picked = st.date_input(
                "Week",
                value=today,
                key="goals_week",
                format=ui.DATE_INPUT_FORMAT,
                help="Goals are set per ISO week (Monday to Sunday); pick any day in the week.",
            )
            week = momentum.week_of(picked if isinstance(picked, dt.date) else today)
            label = (
                "this week"
                if week == this_week
                else "last week"
                if week == this_week - dt.timedelta(weeks=1)
                else f"the week of {ui.fmt_date(week)}"
            )
            st.caption(
                f"{week:%a} {ui.fmt_date(week)} – {week + dt.timedelta(days=6):%a} {ui.fmt_date(week + dt.timedelta(days=6))}"
            )
            progress = ui.cached(store, momentum.goal_components, 1, week)
            goals = store.goals.for_week(week)

            if goals.empty:
                previous = store.goals.previous_week(week)
                if previous is not None:
                    st.info(
                        f"No goals for {label} yet. Your last goals were for the week of {ui.fmt_date(previous)}.",
                        icon="↪️",
                    )
                    if st.button("Carry last week's targets forward", key="goals_carry", type="primary", icon="↪️"):
                        added = store.goals.carry_forward(week)
                        ui.flash(f"{added} goal{'s' if added != 1 else ''} carried forward.", "↪️")
                        st.rerun()
                else:
                    st.info(
                        "No goals yet. Start small: a few applications, one conversation, an hour of learning, "
                        "and something just for you.",
                        icon="🎯",
                    )
            else:
                completions = [c for c in progress["completion"]] if not progress.empty else []
                mean = momentum.week_completion(completions)
                st.markdown(
                    f"**{label.capitalize()}: {mean:.0%} of your goals done** "
                    f"(a week counts as met at {momentum.MET_AT:.0%})."
                )
                ui_plans.week_review(store, week, title=f"Plans for {label}", only_if_any=True)
                done_by_id = {int(r.goal_id): r for r in progress.itertuples(index=False)} if not progress.empty else {}
                plans_of: dict[int, list[dict]] = {}
                for p in store.plans.for_goals([int(g) for g in goals["id"]]):
                    plans_of.setdefault(int(p["goal_id"]), []).append(p)
                for goal in goals.itertuples(index=False):
                    gid = int(goal.id)
                    row = done_by_id.get(gid)
                    done = float(row.done) if row is not None else 0.0
                    comp = float(row.completion) if row is not None else 0.0
                    name = momentum.metric_label(goal.metric, goal.label if isinstance(goal.label, str) else None)
                    c_text, c_plus, c_minus, c_plan, c_edit, c_del = st.columns(
                        [8, 0.7, 0.7, 0.9, 0.9, 0.7], vertical_alignment="bottom"
                    )
                    learning = momentum.is_learning(goal.metric)
                    how = (
                        " · a learning goal"
                        if learning
                        else ""
                        if goal.metric == "custom"
                        else " · counted from your log"
                    )
                    progress_text = momentum.goal_progress_text(done, goal.target, goal.metric)
                    c_text.progress(
                        min(1.0, comp),
                        text=f"{ui.md_escape(name)}: {progress_text}{' ✅' if comp >= 1 else ''}{how}",
                    )
                    if learning:  # no number: done or not yet
                        if done < 1 and c_plus.button(
                            ":material/check:", key=f"goals_learned_{gid}", help="Mark it done"
                        ):
                            store.goals.set_done(gid, True)
                            ui.flash("Learning goal done: {name}", "✅", name=name)
                            st.rerun()
                        if done >= 1 and c_minus.button(
                            ":material/undo:", key=f"goals_unlearned_{gid}", help="Not done yet after all"
                        ):
                            store.goals.set_done(gid, False)
                            st.rerun()
                    elif goal.metric == "custom":
                        if c_plus.button(":material/add:", key=f"goals_tick_{gid}", help="Done one more time"):
                            store.goals.tick(gid, 1)
                            if done + 1 >= goal.target > done:
                                ui.flash("Goal reached: {name}", "✅", name=name)
                            st.rerun()
                        if c_minus.button(
                            ":material/remove:", key=f"goals_untick_{gid}", help="Undo one", disabled=done <= 0
                        ):
                            store.goals.tick(gid, -1)
                            st.rerun()
                    with c_plan.popover(":material/event:", help="Plan when and where you will work on it"):
                        with st.form(f"goals_plan_{gid}", border=False):  # a refused plan keeps what was typed
                            what = st.text_input(
                                "What will you do?",
                                value=name,
                                key=f"goals_plan_{gid}_what",
                                max_chars=300,
                            )
                            fields = ui_plans.plan_inputs(f"goals_plan_{gid}", today)
                            if st.form_submit_button("Save the plan", type="primary"):
                                try:
                                    if fields["day"] is None:
                                        raise ValidationError("Choose the day you will do it.")
                                    store.plans.add(what, goal_id=gid, today=today, **fields)
                                except ValidationError as error:
                                    st.error(ui.md_escape(str(error)))
                                else:
                                    for part in ("what", "day", "time", "place"):  # saved: the form starts afresh
                                        st.session_state.pop(f"goals_plan_{gid}_{part}", None)
                                    ui.flash("Planned. It will show on Today on its day.", "🗓️")
                                    st.rerun()
                    with c_edit.popover(":material/edit:", help="Change the target"):
                        with st.form(f"goals_edit_{gid}", border=False):
                            new_target = (
                                1
                                if learning
                                else st.number_input(
                                    "Weekly target", value=int(goal.target), step=1, key=f"goals_target_{gid}"
                                )
                            )
                            new_label = (
                                st.text_input(
                                    "Description", value=goal.label or "", key=f"goals_label_{gid}", max_chars=300
                                )
                                if momentum.is_hand_ticked(goal.metric)
                                else None
                            )
                            read = conflict.read_version(f"goals_edit_{gid}", getattr(goal, "version", None), {})
                            if st.form_submit_button("Save"):
                                try:
                                    store.goals.update(gid, new_target, new_label, version=read["version"])
                                except StaleEdit as stale:
                                    st.error(conflict.refused(f"goals_edit_{gid}", stale))
                                except ValidationError as error:
                                    st.error(str(error))
                                else:
                                    conflict.reload(f"goals_edit_{gid}")
                                    st.rerun()
                    if c_del.button(":material/delete:", key=f"goals_del_{gid}", help="Remove this goal"):
                        store.goals.delete(gid)
                        st.rerun()
                    ui_plans.goal_plans(plans_of.get(gid, []), today)

            st.markdown("##### Add a goal")
            metric = st.selectbox(
                "Goal", list(METRICS), key="goals_new_metric", format_func=lambda k: METRICS[k]["label"]
            )
            st.caption(METRICS[metric].get("help", ""))
            new_is_learning = momentum.is_learning(metric)
            with st.form("goals_add_form", clear_on_submit=False):
                if new_is_learning:  # no number: done or not yet
                    target, a2 = 1, st.container()
                else:
                    a1, a2 = st.columns([1, 3])
                    target = a1.number_input(
                        f"Target ({METRICS[metric]['unit']} per week)",
                        value=int(METRICS[metric].get("target", 1)),
                        step=1,
                        key="goals_new_target",
                    )
                desc = a2.text_input(
                    "What do you want to learn? *"
                    if new_is_learning
                    else "Describe it" + (" *" if metric == "custom" else " (optional)"),
                    key="goals_new_label",
                    max_chars=300,
                    placeholder="Practise answering salary questions"
                    if new_is_learning
                    else "Walk three times, call a friend, finish a chapter…"
                    if metric == "custom"
                    else "",
                )
                new_plan = ui_plans.plan_inputs("goals_new_plan", today)
                if st.form_submit_button(f"Add to {label}", type="primary"):
                    try:
                        store.goals.add(week, metric, target, desc, plan=new_plan, today=today)
                    except ValidationError as error:
                        st.error(str(error))
                    else:
                        ui.flash("Goal set. Realistic beats heroic.", "🎯")
                        st.rerun()

    # == activity log ===========================================================================
    contacts = store.contacts.all()
    contact_names = {
        int(r.id): r.name + (f" ({r.company})" if isinstance(r.company, str) and r.company else "")
        for r in contacts.itertuples(index=False)
    }
    if tab_log.open:  # only the open tab is drawn
        with tab_log:
            st.caption(
                "Everything that moves your search besides applying: conversations, learning, practice. "
                "It counts towards your goals automatically."
            )
            kind = st.selectbox(
                "What did you do?",
                list(KINDS),
                key="goals_act_kind",
                format_func=lambda k: f"{KINDS[k]['icon']} {KINDS[k]['label']}",
            )
            spec = KINDS[kind]
            with st.form("goals_act_form", clear_on_submit=True):
                l1, l2 = st.columns([1, 3])
                day = l1.date_input(
                    "Date", value=today, max_value=today, key="goals_act_day", format=ui.DATE_INPUT_FORMAT
                )
                title = l2.text_input(
                    "Which question?" if spec.get("confidence") else "What was it?",
                    key="goals_act_title",
                    max_chars=300,
                )
                l3, l4 = st.columns(2)
                minutes = l3.number_input(
                    "Minutes" + (" *" if spec.get("hours") else ""),
                    min_value=0,
                    max_value=1440,
                    value=60 if spec.get("hours") else 0,
                    step=15,
                    key="goals_act_minutes",
                )
                contact_id = None
                if spec.get("contact") or contact_names:
                    contact_id = l4.selectbox(
                        "With (contact)",
                        [None, *contact_names],
                        key="goals_act_contact",
                        format_func=lambda c: "—" if c is None else contact_names[c],
                    )
                confidence = None
                if spec.get("confidence"):
                    confidence = st.slider(
                        "How confident did you feel? (1 shaky – 5 nailed it)", 1, 5, 3, key="goals_act_conf"
                    )
                note = st.text_area("Note (optional)", key="goals_act_note", height=68)
                if st.form_submit_button("Log it", type="primary"):
                    try:
                        store.activities.add(
                            day, kind, title, minutes or None, contact_id, confidence, note, today=today
                        )
                    except ValidationError as error:
                        st.error(str(error))
                    else:
                        ui.flash("Logged: {label}.", spec["icon"], label=spec["label"])
                        st.rerun()

            recent = store.activities.all(start=today - dt.timedelta(weeks=8))
            if recent.empty:
                st.info("Nothing logged in the last eight weeks yet.", icon="📒")
            else:
                st.markdown("##### Last eight weeks")
                shown = recent.assign(kind=recent["kind"].map(lambda k: KINDS.get(k, {}).get("label", k)))
                st.dataframe(
                    shown[["day", "kind", "title", "minutes", "contact", "confidence"]],
                    hide_index=True,
                    width="stretch",
                    key="goals_act_table",
                    column_config={
                        "day": st.column_config.DateColumn("Date", format="D MMM YYYY"),
                        "kind": "Activity",
                        "title": "What",
                        "minutes": "Minutes",
                        "contact": "With",
                        "confidence": st.column_config.NumberColumn("Confidence", format="%d / 5"),
                    },
                )
                choices = {
                    int(r.id): f"{ui.fmt_date(r.day)} · {KINDS.get(r.kind, {}).get('label', r.kind)} · {r.title or ''}"
                    for r in recent.itertuples(index=False)
                }
                d1, d2 = st.columns([4, 1], vertical_alignment="bottom")
                gone = d1.selectbox(
                    "Remove an entry logged by mistake",
                    list(choices),
                    format_func=choices.get,
                    key="goals_act_remove",
                    index=None,
                    placeholder="Choose an entry…",
                )
                if d2.button("Remove", key="goals_act_remove_btn", disabled=gone is None):
                    store.activities.delete(gone)
                    st.rerun()

    # == contacts ================================================================================
    if tab_contacts.open:  # only the open tab is drawn
        with tab_contacts:
            due = store.contacts.nudges(today)
            if due:
                st.markdown("##### Follow-ups due")
                for r in due:
                    cid = int(r["id"])
                    t, nxt, btn = st.columns([4, 2, 1.5], vertical_alignment="bottom")
                    overdue = int(r["days_overdue"])
                    t.markdown(
                        f"🤝 **{ui.md_escape(r['name'])}**"
                        + (f" · {ui.md_escape(r['company'])}" if r["company"] else "")
                        + (
                            " · due today"
                            if overdue <= 0
                            else f" · was due {overdue} day{'s' if overdue != 1 else ''} ago"
                        )
                    )
                    next_on = nxt.date_input(
                        "Next follow-up",
                        value=today + dt.timedelta(days=14),
                        min_value=today,
                        key=f"goals_contact_next_{cid}",
                        format=ui.DATE_INPUT_FORMAT,
                    )
                    if btn.button("I got in touch", key=f"goals_contact_done_{cid}"):
                        store.contacts.mark_contacted(cid, today, next_on, today=today)
                        ui.flash("Nice — keeping in touch with {name}.", "🤝", name=r["name"])
                        st.rerun()

            with st.expander("Add a contact", expanded=contacts.empty, icon="➕"):
                with st.form("goals_contact_form", clear_on_submit=True, border=False):
                    c1, c2, c3 = st.columns(3)
                    name = c1.text_input("Name *", key="goals_contact_name", max_chars=300)
                    company = c2.text_input("Company", key="goals_contact_company", max_chars=300)
                    how = c3.text_input(
                        "How you met",
                        key="goals_contact_how",
                        max_chars=300,
                        placeholder="Meetup, former colleague, LinkedIn…",
                    )
                    c4, c5 = st.columns(2)
                    last = c4.date_input(
                        "Last contact",
                        value=None,
                        max_value=today,
                        key="goals_contact_last",
                        format=ui.DATE_INPUT_FORMAT,
                    )
                    follow = c5.date_input(
                        "Next follow-up", value=None, key="goals_contact_follow", format=ui.DATE_INPUT_FORMAT
                    )
                    notes = st.text_area("Notes", key="goals_contact_notes", height=68)
                    if st.form_submit_button("Add contact", type="primary"):
                        try:
                            store.contacts.add(name, company, how, last, follow, notes, today=today)
                        except ValidationError as error:
                            st.error(str(error))
                        else:
                            ui.flash("Contact added.", "🤝")
                            st.rerun()

            if contacts.empty:
                st.caption(
                    "Contacts you add appear here, with their follow-up dates and the conversations you've logged."
                )
            else:
                st.dataframe(
                    contacts[
                        [
                            "name",
                            "company",
                            "how_met",
                            "last_contact_on",
                            "next_follow_up_on",
                            "activities",
                            "informational_interviews",
                        ]
                    ],
                    hide_index=True,
                    width="stretch",
                    key="goals_contacts_table",
                    column_config={
                        "name": "Name",
                        "company": "Company",
                        "how_met": "How you met",
                        "last_contact_on": st.column_config.DateColumn("Last contact", format="D MMM YYYY"),
                        "next_follow_up_on": st.column_config.DateColumn("Next follow-up", format="D MMM YYYY"),
                        "activities": "Conversations",
                        "informational_interviews": "Info interviews",
                    },
                )
                pick = st.selectbox(
                    "Edit a contact",
                    list(contact_names),
                    format_func=contact_names.get,
                    index=None,
                    key="goals_contact_pick",
                    placeholder="Choose a contact…",
                )
                if pick is not None:
                    c = contacts[contacts["id"] == pick].iloc[0]

                    def _d(v):
                        return None if v is None or pd.isna(v) else pd.Timestamp(v).date()

                    with st.form(f"goals_contact_edit_{pick}", border=True):
                        e1, e2, e3 = st.columns(3)
                        name = e1.text_input("Name *", value=c["name"], max_chars=300, key=f"goals_ce_name_{pick}")
                        company = e2.text_input(
                            "Company", value=c["company"] or "", max_chars=300, key=f"goals_ce_co_{pick}"
                        )
                        how = e3.text_input(
                            "How you met", value=c["how_met"] or "", max_chars=300, key=f"goals_ce_how_{pick}"
                        )
                        e4, e5 = st.columns(2)
                        last = e4.date_input(
                            "Last contact",
                            value=_d(c["last_contact_on"]),
                            max_value=today,
                            key=f"goals_ce_last_{pick}",
                            format=ui.DATE_INPUT_FORMAT,
                        )
                        follow = e5.date_input(
                            "Next follow-up",
                            value=_d(c["next_follow_up_on"]),
                            key=f"goals_ce_next_{pick}",
                            format=ui.DATE_INPUT_FORMAT,
                        )
                        notes = st.text_area("Notes", value=c["notes"] or "", key=f"goals_ce_notes_{pick}", height=68)
                        s1, s2 = st.columns(2)
                        read = conflict.read_version(f"goals_contact_edit_{pick}", c["version"], {})
                        if s1.form_submit_button("Save changes", type="primary"):
                            try:
                                store.contacts.update(
                                    pick, name, company, how, last, follow, notes, today=today, version=read["version"]
                                )
                            except StaleEdit as stale:
                                st.error(conflict.refused(f"goals_contact_edit_{pick}", stale))
                            except ValidationError as error:
                                st.error(str(error))
                            else:
                                conflict.reload(f"goals_contact_edit_{pick}")
                                st.rerun()
                        if s2.form_submit_button("Delete contact"):
                            store.contacts.delete(pick)
                            st.rerun()

    # == wins ======================================================================================
    if tab_wins.open:  # only the open tab is drawn
        with tab_wins:
            suggestions = store.wins.suggested(today)
            if suggestions:
                st.markdown("##### Good news from your applications")
                for s in suggestions[:5]:
                    t, y, n = st.columns([6, 1.5, 1], vertical_alignment="center")
                    t.markdown(f"{WIN_KINDS.get(s['kind'], '✨')} {ui.md_escape(s['title'])} · {ui.fmt_date(s['day'])}")
                    if y.button("Count it", key=f"goals_win_yes_{s['event_id']}", icon="🏆"):
                        store.wins.add(s["title"], day=s["day"], kind=s["kind"], event_id=s["event_id"])
                        ui.flash(
                            "Logged as a win. That took work — well done.",
                            "🏆",
                            big=s["event"] in ("offer", "accepted"),
                        )
                        st.rerun()
                    if n.button("Not now", key=f"goals_win_no_{s['event_id']}"):
                        store.wins.dismiss_suggestion(s["event_id"])
                        st.rerun()
            with st.form("goals_win_form", clear_on_submit=True):
                st.markdown("##### Log a small win")
                w1, w2, w3 = st.columns([4, 1.5, 1.5])
                win_title = w1.text_input(
                    "What went well?",
                    key="goals_win_title",
                    max_chars=300,
                    placeholder="A kind word, a good conversation, a finished course…",
                )
                win_kind = w2.selectbox(
                    "Kind",
                    list(WIN_KINDS),
                    index=list(WIN_KINDS).index("other"),
                    key="goals_win_kind",
                    format_func=lambda k: f"{WIN_KINDS[k]} {k}",
                )
                win_day = w3.date_input(
                    "When", value=today, max_value=today, key="goals_win_day", format=ui.DATE_INPUT_FORMAT
                )
                if st.form_submit_button("Save the win", type="primary"):
                    try:
                        store.wins.add(win_title, day=win_day, kind=win_kind, today=today)
                    except ValidationError as error:
                        st.error(str(error))
                    else:
                        ui.flash("Win saved. Small wins add up.", WIN_KINDS[win_kind], balloons=win_kind == "offer")
                        st.rerun()
            wins = store.wins.all()
            if wins.empty:
                st.caption("Your wins collect here. On a hard day, scroll through them.")
            else:
                recent_wins = wins[pd.to_datetime(wins["day"]) >= pd.Timestamp(today - dt.timedelta(days=30))]
                st.markdown(f"**{len(wins)} wins logged**, {len(recent_wins)} in the last 30 days.")
                for w in wins.head(15).itertuples(index=False):
                    a, b = st.columns([10, 1], vertical_alignment="center")
                    a.markdown(f"{WIN_KINDS.get(w.kind, '✨')} {ui.md_escape(w.title)} · {ui.fmt_date(w.day)}")
                    if b.button("✕", key=f"goals_win_del_{int(w.id)}", help="Remove this win"):
                        store.wins.delete(int(w.id))
                        st.rerun()
                if len(wins) > 15:
                    st.caption(f"…and {len(wins) - 15} earlier wins.")

    # == interview prep ============================================================================
    if tab_prep.open:  # only the open tab is drawn
        with tab_prep:
            bank = momentum.interview_questions()
            left, right = st.columns([3, 2], gap="large")
            with left:
                st.markdown("##### Practise a common question")
                questions = [q["question"] for q in bank["common"]]
                tips = {q["question"]: q.get("tip", "") for q in bank["common"]}
                cats = {q["question"]: q.get("category", "") for q in bank["common"]}
                question = st.selectbox(
                    "Question", questions, key="goals_prep_question", format_func=lambda q: f"{cats[q]} · {q}"
                )
                if tips.get(question):
                    st.caption(f"Tip: {tips[question]}")
                with st.form("goals_prep_form", clear_on_submit=True):
                    conf = st.slider(
                        "After answering it out loud, how confident do you feel? (1 shaky – 5 nailed it)",
                        1,
                        5,
                        3,
                        key="goals_prep_conf",
                    )
                    prep_note = st.text_area(
                        "What would you say differently next time? (optional)", key="goals_prep_note", height=68
                    )
                    if st.form_submit_button("Log this practice", type="primary"):
                        try:
                            store.activities.add(
                                today, "interview practice", question, None, None, conf, prep_note, today=today
                            )
                        except ValidationError as error:
                            st.error(str(error))
                        else:
                            ui.flash("Practice logged. Saying it out loud is the hard part.", "🗣️")
                            st.rerun()
                practice = store.activities.practice_summary()
                if not practice.empty:
                    st.markdown("##### Your practice log")
                    st.dataframe(
                        practice,
                        hide_index=True,
                        width="stretch",
                        key="goals_prep_table",
                        column_config={
                            "question": "Question",
                            "times": "Times",
                            "last_practised": st.column_config.DateColumn("Last practised", format="D MMM YYYY"),
                            "latest_confidence": st.column_config.NumberColumn("Latest", format="%d / 5"),
                            "best_confidence": st.column_config.NumberColumn("Best", format="%d / 5"),
                        },
                    )
                    shaky = practice[practice["latest_confidence"].fillna(0) <= 2]
                    if not shaky.empty:
                        st.caption(
                            "Still shaky (latest confidence ≤ 2): "
                            + "; ".join(ui.md_escape(q) for q in shaky["question"].head(3))
                        )
            with right:
                st.markdown("##### Questions to ask the interviewer")
                by_cat: dict[str, list[str]] = {}
                for q in bank["to_ask"]:
                    by_cat.setdefault(q.get("category", ""), []).append(q["question"])
                for cat, qs in by_cat.items():
                    st.markdown(f"**{cat}**\n" + "\n".join(f"- {q}" for q in qs))

    # == momentum ======================================================================================
    if tab_momentum.open:  # only the open tab is drawn
        with tab_momentum:
            frame = ui.cached(store, momentum.weekly_momentum, None, today)
            comps = ui.cached(store, momentum.goal_components, None, today)
            if frame.empty or frame["momentum"].notna().sum() == 0:
                st.info("Momentum starts with your first week of goals.", icon="📈")
            else:
                s = momentum.summary(frame)
                k1, k2, k3 = st.columns(3)
                k1.metric("Momentum", f"{s['momentum']:.0%}", delta=points_delta(s["change"]))  # as on Today
                k2.metric("Streak", f"{s['streak']} week{'s' if s['streak'] != 1 else ''}")
                k3.metric("Weeks met", f"{int(frame['met'].sum())} of {int((frame['goals'] > 0).sum())}")
                # The same Vega-Lite chart as Today and Progress (rebound.vega): no plotly bundle here either.
                recent = ui.cached(store, momentum.weekly_momentum_rows, 26, today)
                st.vega_lite_chart(spec=vega.momentum_trend(recent), key="goals_momentum_chart", width="stretch")
                shares = vega.goal_shares(recent, ui.cached(store, momentum.goal_component_rows, 26, today))
                if shares:
                    st.vega_lite_chart(spec=shares, key="goals_goal_shares_chart", width="stretch")
                st.caption(
                    f"How it's worked out: each goal's completion is done ÷ target, capped at 100%. The week's completion is "
                    f"the average. Momentum moves {1 - momentum.SMOOTHING:.0%} of the way from last week's momentum towards "
                    f"this week's completion (Loop Habit Tracker's score for a weekly habit), so one hard week dents it. "
                    f"Weeks without goals leave it unchanged; the current week can only lift it until it ends. "
                    f"A week is met at {momentum.MET_AT:.0%}; one missed week keeps the streak, two in a row end it."
                )
                table = frame.sort_values("week", ascending=False).head(12).copy()
                if not comps.empty:
                    # Only the weeks shown, and pivot rather than pivot_table: a three-year history made this the
                    # slowest step of the page.
                    cells = comps[comps["week"].isin(table["week"])].drop_duplicates(["week", "label"])
                    cells = cells.assign(
                        cell=[f"{done_text(d)}/{int(t)}" for d, t in zip(cells["done"], cells["target"])]
                    )
                    wide = cells.pivot(index="week", columns="label", values="cell")
                    table = table.merge(wide, left_on="week", right_index=True, how="left")
                    # A goal set in some weeks only: its other weeks say so (an empty cell reads "None").
                    table[list(wide.columns)] = table[list(wide.columns)].fillna("—")
                st.dataframe(
                    table.drop(columns=["in_progress", "change"]),
                    hide_index=True,
                    width="stretch",
                    key="goals_momentum_table",
                    column_config={
                        "week": st.column_config.DateColumn("Week of", format="D MMM YYYY"),
                        "goals": "Goals",
                        "completion": st.column_config.ProgressColumn(
                            "Completion", min_value=0, max_value=1, format="percent"
                        ),
                        "momentum": st.column_config.ProgressColumn(
                            "Momentum", min_value=0, max_value=1, format="percent"
                        ),
                        "met": "Met",
                        "status": "Status",
                        "streak": "Streak",
                    },
                )


through_app(__name__)  # run as a file by Streamlit's legacy mode: go through app.py (see pages/__init__.py)
