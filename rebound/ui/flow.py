"""The rejection flow in Streamlit: check-in → coping → reflection → feedback → one small next step.

The Outcomes page starts it with `start(application_id)` (or `render_flow_offer(id)`; the state
lives in rebound.ui.session.REJECTION_FLOW), and the Check-in page runs it with `render_flow(store)`.
Every step can be skipped; progress is shown; leaving and coming back keeps both the step
and anything typed. The progress is a draft too (form "flow:state", see ui/drafts.py), so a
reload, a closed tab or a server restart resumes the same step for the same application.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Literal

import streamlit as st

from rebound import flow
from rebound import wellbeing as wb
from rebound.dates import week_of
from rebound.errors import ValidationError
from rebound.ui import drafts as ud
from rebound.ui import md_escape, nav
from rebound.ui import plans as ui_plans
from rebound.ui import writing as ui_writing
from rebound.ui.messages import flash
from rebound.ui.session import FEEDBACK_REQUEST, REJECTION_FLOW, REJECTION_LOGGED

if TYPE_CHECKING:
    from rebound.store import Store

MARK = {flow.DONE: "✅", flow.SKIPPED: "⏭️"}


def step_look(current: bool, status: str | None) -> tuple[Literal["primary", "secondary", "tertiary"], str, str]:
    """How a step of the path is drawn: (button type, mark, help).

    The current step is the most prominent (a filled primary button), a done or skipped one
    clearly marked (bordered, ✅ or ⏭️), a step still ahead muted (plain text, ○).
    """
    if current:
        return "primary", "👉", "You are on this step"
    if status in MARK:
        return "secondary", MARK[status], "Done — go back to this step" if status == flow.DONE else "Skipped — go to it"
    return "tertiary", "○", "Go to this step"


def active(store: Store | None = None) -> bool:
    """Is a flow running? With a store, one saved in an earlier session counts too."""
    if store is not None:
        ud.bind(store)
    return isinstance(REJECTION_FLOW.get(), dict)


STEP_FORMS = ud.FLOW_STEPS  # every draft of the flow's steps (and its progress) starts with this


def start(application_id: int | None, store: Store | None = None) -> None:
    """A fresh flow: what was typed into an earlier one's steps goes. With the store (as Outcomes
    has it when a rejection is logged) it is kept in the database at once, so even a reload
    before the first step finds it."""
    if store is not None:
        ud.bind(store)
    ud.discard_prefix(STEP_FORMS, keep_forms=(ud.FLOW_FORM,))
    save(REJECTION_FLOW.set(flow.start(application_id)))


def logged(application_id: int, store: Store) -> None:
    """A rejection of `application_id` was just logged (on Outcomes, or confirmed from mail): a fresh
    flow for it, kept in the database at once, and Outcomes offers it beside that application
    (`offer_after_logging`) until it is dismissed, finished or closed."""
    start(application_id, store)
    REJECTION_LOGGED.set(int(application_id))


def offer_after_logging(store: Store, application_id: int | None) -> str | None:
    """The link Outcomes offers beside the open application `application_id` (see flow.offer): only
    for the rejection just logged in this session, and read from the flow as the database keeps
    it, so steps finished or closed on another page or in another tab end the offer at once."""
    if application_id is None or REJECTION_LOGGED.get() != application_id:
        return None
    kept = store.drafts.all().get(ud.FLOW_FORM)
    label = flow.offer(kept[0] if kept else None, application_id)
    if label is None:
        REJECTION_LOGGED.clear()  # over: it is not offered again for this rejection
    return label


def dismiss_offer() -> None:
    """'Not now': Outcomes stops offering the steps (Today and Check-in still can)."""
    REJECTION_LOGGED.clear()


def save(state: dict) -> None:
    """Keep the flow's progress in the database (written only when it changed)."""
    ud.keep(ud.FLOW_FORM, state)


def end() -> None:
    """Close the flow: its progress and its steps' unsaved drafts go; what was saved stays."""
    REJECTION_FLOW.clear()
    ud.discard_prefix(STEP_FORMS)


def _rerun(state: dict) -> None:
    save(state)
    st.rerun()


def render_flow_offer(application_id: int | None = None, key: str = "flow_offer") -> None:
    """A gentle offer after a rejection was logged: a link into the flow on the Check-in page.

    With an application id it (re)starts the flow for that application unless one is
    already running for it.
    """
    if application_id is not None:
        current = REJECTION_FLOW.get()
        if not (isinstance(current, dict) and current.get("application_id") == application_id):
            start(application_id)
    with st.container(border=True, key=key):
        st.markdown(
            "**That's a hard one.** Would you like to take a few minutes for yourself? "
            "Rebound can walk you through a short check-in, something kind for today, a reflection "
            "and a feedback request — skip any step you like."
        )
        st.page_link(nav.page("checkin"), label="Take a few minutes now", icon="🌱")


def _progress(state: dict) -> None:
    done = sum(1 for s in flow.STEP_IDS if s in state["status"])
    text = (
        "All steps done — well done."
        if flow.finished(state)
        else f"Step {flow.position(state)} of {len(flow.STEPS)}: {flow.step_info(state['step']).title}"
        f" · {done} done or skipped"
    )
    st.progress(flow.progress(state), text=text)
    # one wrapping row (not columns): on a phone, columns would stack the five steps into a tall list
    with st.container(horizontal=True, gap="small", key="flow_steps"):
        for step in flow.STEPS:
            kind, mark, tip = step_look(state["step"] == step.id, state["status"].get(step.id))
            # The current step is never a disabled button: Streamlit draws those palest of all.
            clicked = st.button(f"{mark} {step.title}", key=f"flow:goto:{step.id}", type=kind, help=tip)
            if clicked and state["step"] != step.id:
                flow.go_to(state, step.id)
                _rerun(state)


def _controls(state: dict, step_id: str) -> None:
    with st.container(horizontal=True, gap="small", key=f"flow_controls_{step_id}"):
        if flow.position(state) > 1 and st.button("← Back", key=f"flow:back:{step_id}"):
            flow.back(state)
            _rerun(state)
        if st.button("Skip this step", key=f"flow:skip:{step_id}"):
            flow.skip(state, step_id)
            _rerun(state)


def render_flow(store: Store) -> None:
    """Draw the running flow (the Check-in page calls this when a flow is active)."""
    ud.bind(store)
    raw = REJECTION_FLOW.get()
    if isinstance(raw, dict) and "status" not in raw:
        # just set by Outcomes for a new rejection: an older flow's unsaved steps are not about this one
        ud.discard_prefix(STEP_FORMS, keep_forms=(ud.FLOW_FORM,))
    state = flow.normalize(raw)
    if state is None:
        return
    app_id = state.get("application_id")
    app = store.applications.get(int(app_id)) if app_id is not None else None
    if app_id is not None and app is None:
        state["application_id"] = app_id = None
    save(state)  # a no-op unless it changed (a new flow from Outcomes, a step done on Feedback)
    with st.container(border=True, key="flow_panel"):
        title = "After the rejection"
        if app:
            title += f" from {md_escape(app['company'])} ({md_escape(app['role'])})"
        st.subheader(title, anchor=False)
        st.caption(
            "A few gentle steps. Each one is optional — skip anything, come back any time; what you type is kept."
        )
        _progress(state)
        ui_writing.on_path(store, state)  # the user's plan for the next no; the four days of writing
        step = state["step"]
        if flow.finished(state) and step == "finished":
            _finished(store, state)
            return
        info = flow.step_info(step)
        st.markdown(f"#### {info.icon} {info.title}")
        st.caption(info.blurb)
        {
            "checkin": _checkin,
            "coping": _coping,
            "reflection": _reflection,
            "feedback": _feedback,
            "next_step": _next_step,
        }[step](store, state)
        _controls(state, step)
    if st.button(
        "Close the steps for now",
        key="flow:close",
        help="Ends the guided steps. Everything you saved stays in your journal; "
        "what you typed but did not save is discarded.",
    ):
        end()
        st.rerun()


def _checkin(store: Store, state: dict) -> None:
    from rebound.ui import wellbeing as uw  # brings pandas: only when a step is drawn (Today offers the flow)

    saved = uw.checkin_form(
        store,
        "flow:checkin",
        application_id=state.get("application_id"),
        fixed_application=True,
        after_rejection=True,
        submit_label="Save and continue",
    )
    if saved:
        flow.complete(state, "checkin", checkin_id=saved)
        _rerun(state)


def _coping(store: Store, state: dict) -> None:
    from rebound.ui import wellbeing as uw  # brings pandas: only when a step is drawn (Today offers the flow)

    uw.show_acknowledgement(state.get("checkin_id"))
    uw.show_suggestions(store)
    st.markdown("**Log something you did** — or skip and do it first; you can log it later on the Check-in page.")
    saved = uw.coping_form(store, "flow:coping", submit_label="Log and continue")
    if saved:
        flow.complete(state, "coping", coping_id=saved)
        _rerun(state)


def _reflection(store: Store, state: dict) -> None:
    from rebound.ui import wellbeing as uw  # brings pandas: only when a step is drawn (Today offers the flow)

    tmpl = wb.templates()["after_rejection"]
    saved = uw.reflection_form(
        store,
        f"flow:reflection:{state.get('application_id')}",
        tmpl,
        application_id=state.get("application_id"),
        fixed_application=True,
        submit_label="Save reflection and continue",
    )
    if saved:
        reflection = store.reflections.get(saved) or {}
        next_text = (reflection.get("answers") or {}).get(tmpl.next_step_prompt or "", "")
        flow.complete(state, "reflection", reflection_id=saved, next_step_text=next_text)
        flash("Reflection saved to your journal.", "📝", banner=True)
        _rerun(state)


def _feedback(store: Store, state: dict) -> None:
    st.markdown(
        "Employers often answer a short, specific question — “Which part of my interview "
        "would you change first?” works better than “Any feedback?”. Your reflection can "
        "give you the questions."
    )
    if state.get("application_id") is not None:
        FEEDBACK_REQUEST.set({"application_id": state["application_id"]})
    st.page_link(nav.page("feedback"), label="Draft a feedback request", icon="✉️")
    if st.button("I've drafted it — continue", key="flow:feedback:done", type="primary"):
        flow.complete(state, "feedback")
        _rerun(state)


def _next_step(store: Store, state: dict) -> None:
    from rebound.ui import wellbeing as uw  # brings pandas: only when a step is drawn (Today offers the flow)

    form = "flow:next_step"
    if not ud.offer(form, "small goal"):
        return
    ideas = wb.small_goal_ideas()
    st.markdown(
        "Pick **one small thing for yourself this week** — it becomes a small goal you can tick off "
        "on the Check-in page."
    )
    labels = [i["label"] for i in ideas]
    targets = {i["label"]: i["target"] for i in ideas}

    def use_idea(d: dict) -> None:
        # A chosen idea becomes the goal's text and count (the draft is what the inputs show);
        # the user can still change both. Unpicking an idea leaves the text as it is.
        if d.get("idea") in targets:
            d["label"], d["target"] = d["idea"], targets[d["idea"]]

    uw.field(
        form,
        "idea",
        st.pills,
        default=None,
        valid=lambda v: v is None or v in labels,
        label="Ideas",
        options=labels,
        selection_mode="single",
        wrap=True,
        then=use_idea,
    )
    own_words = (state.get("next_step_text") or "").strip().splitlines()
    label = uw.field(
        form,
        "label",
        st.text_input,
        default=own_words[0][:300] if own_words else "",
        label="My small goal",
        placeholder="Walk three times this week",
        max_chars=300,
    )
    target = uw.field(
        form, "target", st.number_input, default=1, label="How many times this week?", min_value=1, max_value=21, step=1
    )
    today = dt.date.today()
    plan = ui_plans.next_step_inputs(form, today)  # optional: "Tuesday 10:00, at the library" (shown on Today)
    if st.button("Set this goal", key="flow:goal:save", type="primary"):
        try:
            goal_id = store.goals.add(
                week_of(today),
                "custom",
                target,
                label,
                draft=form,
                plan={**plan, "what": label, "application_id": state.get("application_id")},
                today=today,
            )
        except ValidationError as error:
            st.error(md_escape(str(error)), icon="✋")
            return
        ud.cleared(form)
        flow.complete(state, "next_step", goal_id=goal_id)
        _rerun(state)


def _finished(store: Store, state: dict) -> None:
    saved = [
        name
        for key, name in (
            ("checkin_id", "a check-in"),
            ("coping_id", "some self-care"),
            ("reflection_id", "a reflection"),
            ("goal_id", "a small goal"),
        )
        if state.get(key)
    ]
    st.success(
        "You walked through the steps. "
        + (f"Saved: {', '.join(saved)}. " if saved else "")
        + "Be as kind to yourself as you would be to a friend in the same spot.",
        icon="🌱",
    )
    cols = st.columns(3)
    cols[0].page_link(nav.page("reflect"), label="Open your journal", icon="📓")
    cols[1].page_link(nav.page("goals"), label="Goals & wins", icon="🎯")
    if cols[2].button("Done", key="flow:done", type="primary"):
        end()
        st.rerun()
