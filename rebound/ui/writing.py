"""Writing that helps, and the user's own before and after (issue 28) in Streamlit: the four days of
writing on Reflect and (gently) on Today, the "ready for the next no" plan shown back and the four
days offered on the rejection steps, the opt-in weekly confidence check on Check-in, and "Your own
before and after" on Progress. The logic is in rebound/wellbeing/writing.py (pure).

Today imports this module: nothing here loads pandas at import (rebound.ui.wellbeing, which does,
is imported inside the functions that draw a form).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import streamlit as st

from rebound import vega
from rebound.dates import fmt_date
from rebound.errors import ValidationError
from rebound.ui import nav
from rebound.ui.cache import cached
from rebound.ui.text import md_escape
from rebound.wellbeing import confidence
from rebound.wellbeing import writing as wr

if TYPE_CHECKING:
    from collections.abc import Callable

    from rebound.store import Store
    from rebound.wellbeing.rules import Template

md = md_escape
QUERY = "write"  # Reflect?write=four_days opens the four days of writing on the day that is next
_NOT_TODAY = "writing_not_today"  # session: the day Today's reminder was put away
_NOT_NOW = "writing_offer_not_now"  # session: the application whose rejection steps had the offer put away


def _written(store: Store) -> list[tuple[str, dt.date]]:
    return store.reflections.written([t.id for t in wr.series_days()])


def progress(store: Store, today: dt.date) -> wr.SeriesProgress:
    return wr.series_progress(cached(store, _written), today)


# -- Today -------------------------------------------------------------------------------------------
def today_note(store: Store, today: dt.date) -> None:
    """On Today, only while the four days are under way and the next day is open: one quiet line."""
    if st.session_state.get(_NOT_TODAY) == today:
        return
    found = progress(store, today)
    if not (found.started and found.ready):
        return
    with st.container(border=True, key="writing_today"):
        st.markdown(
            f"🖋️ **Your four days of writing: {found.label()} is open** whenever you have about 20 minutes."
            + (" Missing a day is fine." if found.missed else "")
        )
        with st.container(horizontal=True, gap="small"):
            st.page_link(
                nav.page("reflect"),
                label=f"Write {found.label()}",
                icon=":material/edit_note:",
                query_params={QUERY: wr.SERIES},
            )
            if st.button("Not today", key="writing_today_not_now", type="tertiary"):
                st.session_state[_NOT_TODAY] = today
                st.rerun()


# -- Reflect -----------------------------------------------------------------------------------------
def chooser(templates: dict[str, Template]) -> list[str]:
    """The templates Reflect offers: each plain one, and each series once (by its first day)."""
    return [t for t, v in templates.items() if entry(v) == t]


def entry(tmpl: Template) -> str:
    """The chooser's entry for a template: a series' first day stands for all its days."""
    return f"{tmpl.series}_1" if tmpl.series else tmpl.id


def chooser_label(tmpl: Template) -> str:
    return f"{tmpl.icon} {tmpl.series_title or tmpl.title}"


def asked_for() -> str | None:
    """The series a link asked for (Reflect?write=four_days), once: the parameter is then dropped."""
    value = st.query_params.get(QUERY)
    if value is not None:
        del st.query_params[QUERY]
    return f"{value}_1" if value == wr.SERIES else None


def reflect_note(store: Store, on_choose: Callable[[str], None]) -> None:
    """On Reflect, while another template is chosen: the four days' next day, when it is open."""
    found = progress(store, dt.date.today())
    if not (found.started and found.ready):
        return
    with st.container(horizontal=True, gap="small", vertical_alignment="center", key="writing_reflect_note"):
        st.caption(f"🖋️ Your four days of writing: {found.label()} is open.")
        st.button(
            f"Write {found.label()}",
            key="writing_reflect_open",
            type="tertiary",
            on_click=on_choose,
            args=(f"{wr.SERIES}_1",),
        )


def series_form(store: Store, tmpl: Template) -> int | None:
    """The day of the four days of writing that is next, as a reflection form (drafts kept, as every
    reflection's); on the day one was written, a kind word that the next opens tomorrow."""
    from rebound.ui import wellbeing as uw  # pandas: only when the form is drawn

    today = dt.date.today()
    found = progress(store, today)
    days = wr.series_days(tmpl.series or wr.SERIES)
    st.markdown(f"**{md(tmpl.series_title)} — {found.label()}**")
    st.progress(
        found.last / found.days if found.started else 0.0,
        text=f"{found.last if found.started else 0} of {found.days} days written",
    )
    note = found.note()
    if note:
        st.info(md(note), icon="🌱")
    if not found.ready:
        return None
    day = days[found.next - 1]
    return uw.reflection_form(store, f"reflect:{day.id}", day)


# -- the rejection steps ------------------------------------------------------------------------------
def plan_for_the_next_no(store: Store) -> None:
    """The user's own plan for this moment ("Ready for the next no"), quoted literally: never as
    Markdown or HTML."""
    lines = wr.plan_lines(store.reflections.latest_answers(wr.NEXT_NO))
    if not lines:
        return
    with st.container(border=True, key="writing_next_no_plan"):
        st.markdown("🛡️ **You planned for this moment.** In your own words:")
        for label, text in lines:
            st.caption(md(label))
            st.text(text)  # literally, whatever it holds


def offer_four_days(store: Store, application_id: int | None) -> None:
    """On the rejection steps: the four days of writing, as an option (never pushed), until the user
    says "don't offer this again"; while they are under way, the day that is next instead."""
    if store.settings.get(wr.OFFER_SETTING) == "never" or st.session_state.get(_NOT_NOW) == application_id:
        return
    found = progress(store, dt.date.today())
    with st.container(border=True, key="writing_offer"):
        if found.started:
            st.markdown(f"🖋️ Your four days of writing: **{found.label()}** is waiting, if it would help.")
        else:
            st.markdown(
                "🖋️ **If this one hurt:** writing about it for about 20 minutes on four days, a little deeper "
                "each day, helped people who had lost their jobs find work sooner in one study. Private, and "
                "you can stop any time."
            )
        with st.container(horizontal=True, gap="small"):
            st.page_link(
                nav.page("reflect"),
                label=f"Write {found.label()}" if found.started else "Start the four days",
                icon=":material/edit_note:",
                query_params={QUERY: wr.SERIES},
            )
            if st.button("Not now", key="writing_offer_not_now", type="tertiary"):
                st.session_state[_NOT_NOW] = application_id
                st.rerun()
            if st.button("Don't offer this again", key="writing_offer_never", type="tertiary"):
                store.settings.set(wr.OFFER_SETTING, "never")
                st.rerun()


def on_path(store: Store, state: dict) -> None:
    """What the rejection steps add (rebound/ui/flow.py): the user's plan for the next no on the first
    step, the four days of writing beside the reflection."""
    if state.get("step") == "checkin":
        plan_for_the_next_no(store)
    elif state.get("step") == "reflection":
        checkin = store.checkins.get(int(state["checkin_id"])) if state.get("checkin_id") else None
        if wr.is_hard((checkin or {}).get("mood")):
            offer_four_days(store, state.get("application_id"))


# -- the weekly confidence check (Check-in) -----------------------------------------------------------
def confidence_check(store: Store, today: dt.date) -> None:
    """This week's three questions, only while the user has the check turned on (on Progress)."""
    if not store.confidence.enabled():
        return
    week = today - dt.timedelta(days=today.weekday())
    done = store.confidence.of_week(week)
    labels = confidence.scale_labels()
    title = "This week's confidence check" + (f" · {done['score']:.1f} of 5" if done else "")
    with st.expander(title, expanded=done is None, icon="🧭"):
        st.caption(
            "Three questions, once a week, each from 1 to 5. Kept on this computer; see or delete your "
            "answers on Progress."
        )
        with st.form("confidence_check", border=False):
            answers = []
            for i, question in enumerate(confidence.questions()):
                before = done["answers"][i] if done and i < len(done["answers"]) else None
                answers.append(
                    st.segmented_control(
                        question,
                        list(range(1, len(labels) + 1)),
                        default=before,
                        format_func=lambda n: labels[n - 1],
                        key=f"confidence_q{i}",
                    )
                )
            if st.form_submit_button("Save this week's answers" if not done else "Change this week's answers"):
                if any(a is None for a in answers):
                    st.error("Please answer all three questions (1–5 each); nothing was saved.", icon="✋")
                    return
                try:
                    store.confidence.save(answers, week, today)
                except ValidationError as error:
                    st.error(md(str(error)), icon="✋")
                    return
                st.rerun()


# -- Progress: your own before and after ------------------------------------------------------------
def _settings(store: Store) -> dict[str, str | None]:
    return {wr.MEASURE_SETTING.format(m): store.settings.get(wr.MEASURE_SETTING.format(m)) for m in wr.MEASURES}


def measure_points(store: Store, measure: str, bounce: Any) -> list[tuple[Any, Any]]:
    """The measure's points over time (only the measures the user follows are ever read)."""
    if measure in ("bounce_back", "mood_recovery"):
        column = "days_to_next_application" if measure == "bounce_back" else "days_to_baseline"
        if bounce is None or bounce.empty:
            return []
        return list(zip(bounce["day"].tolist(), bounce[column].tolist()))
    if measure == "offers_per_interview":
        return list(store.insights.interviews_dated())
    if measure == "days_to_offer":
        return list(store.insights.offers_dated())
    return [(dt.date.fromisoformat(w["week"]), w["score"]) for w in store.confidence.weekly_scores()]


def _choose(store: Store, on: list[str]) -> None:
    with st.popover("Choose what to follow", icon=":material/tune:"):
        st.caption(
            "Turn off a measure and it is neither computed nor shown. The confidence check stores your "
            "weekly answers, so it is off until you turn it on."
        )
        for key, m in wr.measures().items():
            chosen = st.toggle(m.label, value=key in on, key=f"measure_toggle_{key}")
            if chosen != (key in on):
                store.settings.set(wr.MEASURE_SETTING.format(key), "on" if chosen else "off")
                st.rerun()


def _answers(store: Store) -> None:
    found = store.confidence.answers()
    if not found:
        return
    with st.expander(f"Your confidence answers ({len(found)} week{'s' if len(found) != 1 else ''})"):
        for row in found[:52]:
            cols = st.columns([5, 1], vertical_alignment="center")
            cols[0].markdown(
                f"Week of {fmt_date(row['week'])}: **{row['score']:.1f}** ("
                + ", ".join(str(a) for a in row["answers"])
                + ")"
            )
            if cols[1].button("Delete", key=f"confidence_delete_{row['id']}", type="tertiary"):
                store.confidence.delete(row["id"])
                st.rerun()
        if st.button("Delete all my confidence answers", key="confidence_delete_all"):
            store.confidence.delete_all()
            st.rerun()


def before_after(store: Store, today: dt.date, bounce: Any = None) -> None:
    """Progress: each measure the user follows over time, and a plain before/after sentence once both
    sides have at least wr.MIN_EACH (always with both counts, never a claim of cause)."""
    st.subheader("Your own before and after", anchor=False)
    on = wr.measures_on(_settings(store))
    _choose(store, on)
    if not on:
        st.caption("You follow no measures, so nothing is computed here. Choose some above whenever you like.")
        return
    since = wr.started_writing(cached(store, _written))
    st.caption(
        (f"You started the four days of writing on {fmt_date(since)}. " if since else "")
        + f"A comparison appears once there are at least {wr.MIN_EACH} on each side. It shows what happened, "
        "not why: many things change at once in a search."
    )
    for key in on:
        m = wr.measures()[key]
        points = wr.known(measure_points(store, key, bounce))
        with st.container(border=True, key=f"measure_{key}"):
            st.markdown(f"**{m.label}**")
            if not points:
                st.caption("Nothing to show yet.")
                continue
            st.vega_lite_chart(
                spec=vega.measure_over_time(points, m.short, m.unit, since), key=f"measure_chart_{key}", width="stretch"
            )
            found = wr.compare(key, points, since)
            if found is not None:
                st.markdown(md(found.sentence()))
            else:
                n_before, n_after = wr.counts(points, since)
                st.caption(
                    f"Not enough yet for a before and after: {n_before} {m.things} before you started writing, "
                    f"{n_after} after (at least {wr.MIN_EACH} each)."
                    if since
                    else "A before and after appears once you start the four days of writing (on Reflect)."
                )
    if "confidence" in on:
        _answers(store)
