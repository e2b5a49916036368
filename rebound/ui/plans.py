"""When-and-where plans in Streamlit: the optional plan fields of a goal or of the next step after a
rejection, Today's plans (checked off or moved in one click), and the weekly review's comparison of
planned and done. The rules and the words are in rebound/momentum/plans.py and content/plans.toml.

Today imports this module: it must not load pandas (the plans are read as plain records).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import streamlit as st

from rebound.errors import StaleEdit, ValidationError
from rebound.momentum import plans
from rebound.ui import DATE_INPUT_FORMAT
from rebound.ui.messages import flash
from rebound.ui.text import md_escape

if TYPE_CHECKING:
    from rebound.store import Store

NO_TIME = ""
# Times offered for a plan, every quarter of an hour from 06:00 to 22:45 (strings: a form's draft
# keeps them across a reload, and a list is quicker on a phone than typing a time).
TIMES = [f"{h:02d}:{m:02d}" for h in range(6, 23) for m in (0, 15, 30, 45)]
Draw = Callable[..., Any]  # draw(name, widget, **kwargs) -> the widget's value


def _plain_draw(key: str) -> Draw:
    def draw(name: str, widget: Callable[..., Any], **kwargs: Any) -> Any:
        kwargs.pop("default", None)
        kwargs.pop("valid", None)
        return widget(key=f"{key}_{name}", **kwargs)

    return draw


def plan_inputs(key: str, today: dt.date, draw: Draw | None = None) -> dict[str, Any]:
    """The optional "when and where" fields: a day, a time, a place. Returns {"day", "at_time",
    "place"}; with no day there is no plan (nothing is required). `draw(name, widget, **kwargs)`
    draws each widget (the rejection path passes one that keeps a draft); by default plain widgets
    keyed `{key}_{name}`."""
    draw = draw or _plain_draw(key)
    st.caption(
        "**When and where?** (optional) A day, a time and a place make a plan much more likely to happen "
        "than a good intention: “Tuesday 10:00, at the library”."
    )
    c_day, c_time, c_place = st.columns([1.2, 1, 2])
    with c_day:
        day = draw(
            "day",
            st.date_input,
            default=None,
            valid=lambda v: v is None or (isinstance(v, dt.date) and today <= v <= today + plans.AHEAD),
            label="Day",
            value=None,
            min_value=today,
            max_value=today + plans.AHEAD,
            format=DATE_INPUT_FORMAT,
        )
    with c_time:
        at_time = draw(
            "time",
            st.selectbox,
            default=NO_TIME,
            valid=lambda v: v in [NO_TIME, *TIMES],
            label="Time",
            options=[NO_TIME, *TIMES],
            format_func=lambda t: "any time" if t == NO_TIME else t,
        )
    with c_place:
        place = draw(
            "place",
            st.text_input,
            default="",
            label="Where",
            max_chars=plans.MAX_PLACE,
            placeholder="the library, the kitchen table, the café on the corner",
        )
    return {"day": day if isinstance(day, dt.date) else None, "at_time": at_time or None, "place": place}


def _draft_draw(form: str) -> Draw:
    """Widgets that keep what is typed in the form's draft (the rejection path's steps)."""
    from rebound.ui import wellbeing as uw  # brings pandas: only where a step of the path is drawn

    def draw(name: str, widget: Callable[..., Any], **kwargs: Any) -> Any:
        if widget is st.date_input:
            kwargs.pop("value", None)
        return uw.field(form, f"plan_{name}", widget, **kwargs)

    return draw


def next_step_inputs(form: str, today: dt.date) -> dict[str, Any]:
    """The plan fields of the rejection path's small next step, kept in its draft."""
    return plan_inputs(form, today, _draft_draw(form))


# -- Today ---------------------------------------------------------------------------------------
def _label(plan: dict, today: dt.date) -> str:
    done = plan["state"] == plans.DONE
    text = f"**{md_escape(plans.when_where(plan, today))}:** {md_escape(plan['what'])}"
    if done:
        text = "✅ " + text
    note = plans.overdue_note(plan, today)
    if note:
        text += f"  \n:gray[*{md_escape(note)}*]"
    return text


def _act(action: Callable[[], object], message: str, icon: str, day: str = "") -> None:
    try:
        action()
    except StaleEdit:
        flash("That plan was changed in another tab or window; here it is as it is now.", "🔀")
    except ValidationError as error:
        st.error(md_escape(str(error)), icon="✋")
        return
    else:
        flash(message, icon, day=day)
    st.rerun()


def _row(store: Store, plan: dict, today: dt.date) -> None:
    pid, version = int(plan["id"]), plan.get("version")
    words = plans.words()
    with st.container(horizontal=True, vertical_alignment="center", gap="small", key=f"plan_row_{pid}"):
        st.markdown(_label(plan, today), width="stretch")
        if plan["state"] == plans.DONE:
            if st.button("Undo", key=f"plan_undo_{pid}", type="tertiary", help="Not done after all"):
                _act(lambda: store.plans.undo_done(pid, version), "Back on your list.", "↩️")
            return
        if st.button("Done", key=f"plan_done_{pid}", icon=":material/check:", type="primary"):
            _act(lambda: store.plans.done(pid, version), words["done"], "✅")
        tomorrow = today + dt.timedelta(days=1)
        if st.button("Tomorrow", key=f"plan_tomorrow_{pid}", help="Move it to tomorrow"):
            _act(lambda: store.plans.move(pid, tomorrow, version, today=today), words["moved"], "📅", day="tomorrow")
        with st.popover("Another day", help="Move it to a day you choose"):
            new_day = st.date_input(
                "Move to",
                value=tomorrow,
                min_value=today,
                max_value=today + plans.AHEAD,
                format=DATE_INPUT_FORMAT,
                key=f"plan_day_{pid}",
            )
            if st.button("Move", key=f"plan_move_{pid}", type="primary"):
                _act(
                    lambda: store.plans.move(pid, new_day, version, today=today),
                    words["moved"],
                    "📅",
                    day=plans.day_name(new_day, today) if isinstance(new_day, dt.date) else "",
                )


def show_today(store: Store, today: dt.date) -> None:
    """Today's plans and earlier ones still to do (kindly), each checked off or moved in one click:
    the first few, then "and N more". Nothing is drawn for a user who has no plan for today."""
    todays = store.plans.for_today(today)
    if not todays:
        return
    words = plans.words()
    st.subheader(words["heading"])
    shown, more = plans.split_shown(todays)
    for plan in shown:
        _row(store, plan, today)
    if more:
        with st.expander(words["more"].format(n=more)):
            st.markdown("\n".join(f"- {_label(p, today)}" for p in todays[len(shown) :]))
            st.caption("Check off or move the ones above, and these move up.")


# -- Goals and the weekly review -----------------------------------------------------------------
def goal_plans(goal_plans_: list[dict], today: dt.date) -> None:
    """A goal's plans, one line each, under the goal on the Goals page."""
    if goal_plans_:
        st.markdown("\n".join(f"- {_label(p, today)}" for p in goal_plans_))


def week_review(store: Store, week: dt.date, title: str = "", only_if_any: bool = False) -> None:
    """Planned against done for the week of `week`, kindly: '4 of 6 plans done; 2 moved to another day.'
    With `only_if_any`, nothing is drawn for a week without plans."""
    counts = store.plans.week_counts(week)
    if only_if_any and not counts["planned"]:
        return
    lines = plans.review_lines(counts)
    head = f"**{md_escape(title)}:** " if title else ""
    st.info(head + "  \n".join(md_escape(line) for line in lines), icon="🗓️")
