"""Today: the first page. A welcome on an empty database; otherwise what to do next."""

import datetime as dt

import streamlit as st

from pages import CHECKIN, GOALS, OUTCOMES, through_app
from rebound import momentum, ui
from rebound import today as today_mod
from rebound.errors import ValidationError
from rebound.ui import care as ui_care
from rebound.ui import diagnosis as ui_diagnosis
from rebound.ui import drafts as ui_drafts
from rebound.ui import nav
from rebound.ui import plans as ui_plans
from rebound.ui import settle as ui_settle
from rebound.ui import writing as ui_writing
from rebound.ui.mail import today_line as mail_updates_line


def render() -> None:
    store = ui.store()

    st.title("Today")

    if store.applications.count() == 0 and not store.goals.has_momentum_data() and not ui.in_demo():
        # WELCOME (first run) — keep this block when building the rest of Today.
        st.subheader("Welcome to Rebound 🌱")
        st.markdown(
            "A private place to log your job search, look after yourself after a rejection, "
            "and see that you are moving. Everything stays in a file on this computer."
        )
        with st.container(horizontal=True, gap="small"):  # the way in is primary, the demo beside it secondary
            if st.button("Add your first application", icon="➕", type="primary", key="today_first_application"):
                st.switch_page(OUTCOMES, query_params={"do": "add"})
            if st.button(
                "Explore with demo data",
                icon="🧪",
                type="secondary",
                help="Opens a separate demo database; your own data is never mixed with it.",
            ):
                ui.start_demo()
                st.rerun()
        st.stop()

    today = dt.date.today()
    this_week = momentum.week_of(today)
    st.caption(f"{today:%A} {ui.fmt_date(today)} · week of {ui.fmt_date(this_week)}")
    mail_updates_line(store)  # "3 updates from your mail", when there are any

    ui.show_flash()  # a win logged on the last run, celebrated once (balloons only for the big ones)
    ui_care.note(store, today)  # when the last days were very heavy: once a week, gently
    ui_diagnosis.changed_note(store, today)  # which step loses most, when that is new

    # -- quick actions ------------------------------------------------------------------------------

    q1, q2, q3, q4 = st.columns(4)
    q1.page_link(OUTCOMES, label="Log an application", icon="➕", query_params={"do": "add"})
    q2.page_link(
        OUTCOMES,
        label="Log a rejection",
        icon="🌧️",
        query_params={"do": "reject"},
        help="On Outcomes, choose the application that said no; its rejection form opens then.",
    )
    q3.page_link(CHECKIN, label="Check in", icon="💬")
    with q4.popover("Log a win", icon="🏆"):
        with st.form("today_win_form", clear_on_submit=True, border=False):
            title = st.text_input(
                "What went well?",
                key="today_win_title",
                max_chars=300,
                placeholder="A kind word, a good conversation, a finished course…",
            )
            kinds = list(momentum.win_kinds())
            kind = st.selectbox(
                "Kind",
                kinds,
                index=kinds.index("other"),
                key="today_win_kind",
                format_func=lambda k: f"{momentum.win_kinds()[k]} {k}",
            )
            if st.form_submit_button("Save the win", type="primary"):
                try:
                    store.wins.add(title, day=today, kind=kind)
                except ValidationError as error:
                    st.error(str(error))
                else:
                    ui.flash("Win saved. Small wins add up.", "🎉", balloons=kind == "offer")
                    st.rerun()

    ui_plans.show_today(store, today)  # today's when-and-where plans (and earlier ones still to do)

    # -- unfinished: the steps after a rejection, a reflection or check-in typed but not saved --------
    ui_drafts.show_unfinished(store)
    ui_writing.today_note(store, today)  # the four days of writing: the next day, when it is open

    # -- burnout -----------------------------------------------------------------------------
    if ui.cached(store, today_mod.burnout, today):
        st.warning(
            f"**You've sent more than {momentum.BURNOUT_APPLICATIONS} applications a week for "
            f"{momentum.BURNOUT_WEEKS} weeks with no replies yet.** That pace is hard to keep up, and more of the "
            "same channel rarely changes the answer. Try varying channels — a referral, a networking conversation, "
            "an informational interview — fewer and more tailored applications, and plan some real rest this week.",
            icon="🪫",
        )

    # -- this week and momentum ------------------------------------------------------------------
    summary, trend = ui.cached(store, today_mod.momentum_view, today)
    progress = ui.cached(store, today_mod.week_progress, today)

    st.subheader("This week")
    m1, m2, m3 = st.columns(3)
    m1.metric(
        "Goals this week",
        "–" if summary["completion"] is None else f"{summary['completion']:.0%}",
        help="The average of your goals' completion: each goal counts up to 100% (done ÷ target).",
    )
    m2.metric(
        "Momentum",
        "–" if summary["momentum"] is None else f"{summary['momentum']:.0%}",
        delta=today_mod.points_delta(summary["change"]),
        help=f"A smoothed score of your weekly completion: each week moves it {1 - momentum.SMOOTHING:.0%} of the way "
        "towards that week's completion, so one hard week dents it instead of wiping it out. "
        "This week can only lift it until the week is over.",
    )
    m3.metric(
        "Streak",
        f"{summary['streak']} week{'s' if summary['streak'] != 1 else ''}",
        help=f"Weeks with goals met (≥ {momentum.MET_AT:.0%} on average). One missed week is forgiven; "
        "two in a row start a new streak. Weeks without goals pause it.",
    )

    goals_col, trend_col = st.columns([1, 1], gap="large")
    with goals_col:
        if not progress:
            previous = store.goals.previous_week(this_week)
            if previous is not None:
                st.info(f"No goals set for this week yet. Last goals were for the week of {previous:%d %b}.", icon="🎯")
                if st.button("Carry those targets forward", key="today_carry", icon="↪️", type="primary"):
                    added = store.goals.carry_forward(this_week)
                    ui.flash(f"{added} goal{'s' if added != 1 else ''} set for this week.", "🎉")
                    st.rerun()
            else:
                st.info(
                    "Set a few realistic weekly goals — applications, people to talk to, hours of learning, "
                    "and something just for you.",
                    icon="🎯",
                )
            st.page_link(GOALS, label="Set this week's goals", icon="🎯")
        else:
            for goal in progress:
                tick = " ✅" if goal["completion"] >= 1 else ""
                st.progress(
                    goal["completion"],
                    text=f"{ui.md_escape(goal['label'])}: {goal['progress']}{tick}",
                )
            st.page_link(GOALS, label="Log an activity or change goals", icon="🎯")
    with trend_col:
        # Vega-Lite with inline data: no plotly bundle, no pandas (rebound.vega).
        if trend is not None:
            st.vega_lite_chart(spec=trend, key="today_momentum_chart", width="stretch")
            st.caption(trend["description"])  # the chart in words, for anyone who can't see it
        else:
            st.caption("Your momentum line appears here once you have a week with goals.")

    # -- nudges ------------------------------------------------------------------------------------
    nudges = ui.cached(store, today_mod.nudges, today)  # gathered from every area: once per data revision
    st.subheader("Worth a look")
    ui_settle.undo_offer(store, "today_settle")
    if nudges:
        # Plain nudges share one element (a paragraph each); a grouped line with an action gets its button.
        plain: list[str] = []
        for n in nudges + [None]:
            if n is not None and n.action is None:
                plain.append(f"{n.icon} {ui.md_escape(n.message)}")
                continue
            if plain:
                st.markdown("\n\n".join(plain))
                plain = []
            if n is not None and n.action == "settle_quiet":
                text, act = st.columns([3, 1], vertical_alignment="center")
                text.markdown(f"{n.icon} {ui.md_escape(n.message)}")
                with act:
                    ui_settle.settle_button(store, today, n.count, key="today_settle_quiet")
        links = st.columns(4)
        pages = dict.fromkeys(n.page for n in nudges)
        labels = {
            "outcomes": ("Outcomes", "📋"),
            "feedback": ("Feedback", "✉️"),
            "checkin": ("Check-in", "💬"),
            "goals": ("Contacts", "🤝"),
        }
        for i, p in enumerate(pages):
            label, icon = labels.get(p, ("Open", "➡️"))
            links[i % 4].page_link(nav.page(p), label=f"Open {label}", icon=icon)
    else:
        st.success("Nothing is waiting on you right now.", icon="✅")

    # -- wins to celebrate -----------------------------------------------------------------------
    suggestions = store.wins.suggested(today)
    if suggestions:
        st.subheader("Good news worth counting")
        for s in suggestions[:3]:
            text_col, yes_col, no_col = st.columns([6, 1.3, 1])
            text_col.markdown(f"{ui.md_escape(s['title'])} · {s['day']:%d %b}")
            if yes_col.button("Count it", key=f"today_win_yes_{s['event_id']}", icon="🏆"):
                store.wins.add(s["title"], day=s["day"], kind=s["kind"], event_id=s["event_id"])
                ui.flash(
                    "Logged as a win. That took work — well done.", "🎉", balloons=s["event"] in ("offer", "accepted")
                )
                st.rerun()
            if no_col.button("Not now", key=f"today_win_no_{s['event_id']}"):
                store.wins.dismiss_suggestion(s["event_id"])
                st.rerun()

    # -- reframe of the day ----------------------------------------------------------------------
    reframe = momentum.reframe_of_the_day(today)
    st.subheader("Reframe of the day")
    st.info(f"**{reframe['text']}**\n\n*Try:* {reframe['try']}", icon="💡")


through_app(__name__)  # run as a file by Streamlit's legacy mode: go through app.py (see pages/__init__.py)
