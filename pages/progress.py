"""Progress: is the search moving, and what do the rejections have in common?

Thin page: numbers come from rebound.insights (cached by user + data revision through
ui.cached), charts from rebound.vega (Vega-Lite specs) and, for the Sankey the Funnel tab draws once
its flow-diagram expander is opened, rebound.charts (plotly), cached the same way through
ui.cached_build; only the open tab (and an opened expander) is computed.
"""

import datetime as dt
import math

import streamlit as st

from pages import CHECKIN, GOALS, OUTCOMES, REFLECT, through_app
from rebound import charts, ui, vega
from rebound import insights as ins
from rebound import momentum as mom
from rebound.exporting import csv_bytes
from rebound.insights import period
from rebound.ui import diagnosis as ui_diagnosis
from rebound.ui import materials as ui_materials
from rebound.ui import nav
from rebound.ui import writing as ui_writing
from rebound.vocab import CHANNELS


def render() -> None:
    store = ui.store()
    today = dt.date.today()

    # -- helpers ----------------------------------------------------------------------------------
    def figure(name: str, build, *args):
        """A figure built once per (user, data revision, name, args), in the one cache beside the
        numbers it shows (building a heavy user's chart costs more than reading its data)."""
        return ui.cached_build(store, name, build, str(today), *args)

    # What the plotly chart shows, for screen readers (a Vega-Lite spec carries its own
    # description); the caption under each chart says how to read it.
    ALT = {"progress_sankey_chart": "Sankey diagram: where every application went, stage by stage."}

    def show(fig, key: str) -> None:
        if isinstance(fig, dict):  # a Vega-Lite spec (rebound.vega): its description is its text alternative
            st.vega_lite_chart(spec=fig, key=key, width="stretch")
        else:  # plotly: the Funnel tab's Sankey, drawn once its expander is opened
            st.plotly_chart(fig, key=key, config=charts.CONFIG, alt=ALT[key])

    def _csv(df):
        """CSV bytes made only when the button is clicked; df may be a frame or a function returning one.
        Through the exporters' one writer, so a company or theme like `=HYPERLINK(…)` stays text."""
        return lambda: csv_bytes(df() if callable(df) else df)

    def download(df, name: str, label: str = "Download the data (CSV)") -> None:
        """The data behind a chart, generated only when clicked."""
        st.download_button(
            label,
            data=_csv(df),
            file_name=f"rebound-{name}.csv",
            mime="text/csv",
            key=f"progress_dl_{name}",
            icon=":material/download:",
            type="tertiary",
        )

    md = ui.md_escape  # user text (themes, channels) shown literally

    def step_table(found) -> None:
        """Each step's rate among the applications whose answer there is known, with its interval."""
        st.markdown("**Step by step over your whole search, with how sure each rate is**")
        rows = [(s.step, s.shown()) for s in found.funnel]
        st.markdown(ui.md_table(rows, ["Step", "Got through (95% interval)"]))
        extra = [f"{p}: {s.shown()}" for p, s in found.by_period if s.of]
        extra += [f"{c}: {s.shown()}" for c, s in found.by_channel if s.of >= 5]
        if found.stage is not None and extra:
            step = next(s.step for s in found.funnel if s.stage == found.stage)
            st.caption(md(f"{step}, by when you applied and by channel: " + "; ".join(extra)))
        st.caption(
            "Only applications whose answer at a step is known count there: one still open is waiting, one "
            "you withdrew was not turned down, and one sent in the last three weeks has not had time for an answer."
        )

    def filters(prefix: str, span) -> tuple:
        """Date range and channel filters; returns (start, end, channels tuple)."""
        first, last = span
        first = first or today
        left, right = st.columns([2, 3])
        with left:
            picked = st.date_input(
                "Applied between",
                value=(first, today),
                min_value=first,
                max_value=today,
                key=f"progress_{prefix}_dates",
                format=ui.DATE_INPUT_FORMAT,
            )
        with right:
            chosen = st.multiselect("Channels", CHANNELS, key=f"progress_{prefix}_channels", placeholder="All channels")
        start, end = (picked + (None, None))[:2] if isinstance(picked, tuple) else (picked, None)
        if start == first:
            start = None
        if end == today:
            end = None
        return start, end, tuple(chosen)

    def since(key: str, first_day: object) -> dt.date | None:
        """The period a chart over time shows: the last year unless another is picked; the choice is
        offered only when the data goes back further than the shortest period."""
        if not period.worth_choosing(first_day, today):
            return None
        choice = st.segmented_control("Period", list(period.PERIODS), default=period.DEFAULT, key=key)
        return period.start(choice, today)

    # -- page -------------------------------------------------------------------------------------
    st.title("Progress")
    st.caption(
        "See that your search is moving, and learn from it. Every chart says how to read it; "
        "rates from small numbers are flagged ⚠ rather than hidden."
    )

    overview = ui.cached(store, ins.load_overview, today)
    n_apps = int(overview["paths"]["n"].sum()) if not overview["paths"].empty else 0

    diagnosis = ui_diagnosis.current(store, today)
    ui_diagnosis.seen(store, diagnosis)  # shown here: Today need not announce it
    with st.container(border=True):
        st.markdown("**What your data says**")
        if diagnosis.stage is not None:  # the one sentence first: where the search loses most
            st.markdown(f"🧭 {md(diagnosis.verdict)}")
            st.page_link(nav.page(diagnosis.page), label=diagnosis.link, icon=":material/arrow_forward:")
        found = overview["insights"]
        if found:
            icons = {"good": "🌱", "care": "💛", "info": "🔎"}
            st.markdown("\n".join(f"- {icons.get(i.kind, '🔎')} {md(i.text)}" for i in found))
        else:
            n_rej = int(overview["rejections"]["n"].sum()) if not overview["rejections"].empty else 0
            st.markdown(
                "Findings in words appear once there is enough to go on — about 20 applications with a few "
                "interviews, 10 rejections, or a few weeks of check-ins and self-care ratings. "
                f"So far: {n_apps} application{'s' if n_apps != 1 else ''}, {n_rej} rejection{'s' if n_rej != 1 else ''}."
            )
            if n_apps == 0:
                st.page_link(OUTCOMES, label="Log an application", icon="➕")

    TABS = ["Momentum", "Calendar", "Funnel", "Channels", "Where rejections happen", "Mood & coping", "Resilience"]
    (t_momentum, t_calendar, t_funnel, t_channels, t_rejections, t_mood, t_resilience) = st.tabs(
        TABS, key="progress_tab", on_change="rerun"
    )

    # -- 1. weekly momentum ----------------------------------------------------------------------------
    if t_momentum.open:
        with t_momentum:
            weeks = st.segmented_control(
                "Weeks",
                [12, 26, 52, "All"],
                default=26,
                key="progress_momentum_weeks",
                format_func=lambda w: f"last {w}" if w != "All" else "all",
            )
            n_weeks = None if weeks in (None, "All") else int(weeks)
            weekly = ui.cached(store, mom.weekly_momentum_rows, n_weeks, today)
            if not any(not math.isnan(w["completion"]) for w in weekly):
                st.info(
                    "No weekly goals yet. Set a few small targets for this week (applications, a networking "
                    "chat, a walk) and each week's completion and your momentum will build up here.",
                    icon="🎯",
                )
                st.page_link(GOALS, label="Set this week's goals", icon="🎯")
            else:
                summary = mom.summary(weekly)
                a, b, c = st.columns(3)
                m = summary.get("momentum")
                change = summary.get("change")
                a.metric(
                    "Momentum",
                    "–" if m is None else f"{m:.0%}",
                    ins.change_text(change, "points since last week", scale=100, one="point since last week"),
                )
                streak = summary.get("streak", 0)
                b.metric(
                    "Streak",
                    f"{streak} week{'s' if streak != 1 else ''}",
                    help="Weeks of goals met in a row; one missed week is forgiven, two in a row end it.",
                )
                done = summary.get("completion")
                c.metric("This week so far", "–" if done is None else f"{done:.0%}")
                # Vega-Lite, as on Today and Goals & wins: the first tab loads no plotly bundle.
                st.vega_lite_chart(spec=vega.momentum_trend(weekly), key="progress_momentum_chart", width="stretch")
                shares = vega.goal_shares(weekly, ui.cached(store, mom.goal_component_rows, n_weeks, today))
                if shares:
                    st.vega_lite_chart(spec=shares, key="progress_goal_shares_chart", width="stretch")
                st.caption(
                    "**How to read it:** the pale bars are each week's goal completion (the mean of "
                    "min(1, done ÷ target) over that week's goals); the green line is momentum, the same number "
                    "smoothed over past weeks so one bad week dents it instead of zeroing it. ★ marks weeks "
                    "whose goals were met, with the streak so far. Below, each colour is one goal's share of "
                    "that week's completion."
                )
                left, right = st.columns(2)
                with left:
                    download(
                        lambda: ui.cached(store, mom.weekly_momentum, n_weeks, today),
                        "momentum",
                        "Download weekly momentum (CSV)",
                    )
                with right:
                    download(
                        lambda: ui.cached(store, mom.goal_components, n_weeks, today),
                        "goal-components",
                        "Download goal components (CSV)",
                    )

    # -- 2. activity calendar ------------------------------------------------------------------------
    if t_calendar.open:
        with t_calendar:
            by = (
                st.segmented_control(
                    "Colour by",
                    ["actions", "mood"],
                    default="actions",
                    key="progress_calendar_by",
                    format_func={"actions": "What you did", "mood": "Mood"}.get,
                )
                or "actions"
            )
            cal = overview["calendar"]
            if by == "mood" and cal["mood"].notna().sum() == 0:
                st.info("No check-ins in the last year yet. A daily mood check-in fills this calendar.", icon="💬")
                st.page_link(CHECKIN, label="Check in", icon="💬")
            elif by == "actions" and cal["actions"].sum() == 0:
                st.info(
                    "Nothing logged in the last year yet. Each application, activity and self-care session adds "
                    "a square here.",
                    icon="📅",
                )
            else:
                show(figure("calendar", lambda: vega.calendar(cal, by), by, str(today)), "progress_calendar_chart")
                active = int((cal["actions"] > 0).sum())
                st.caption(
                    f"**How to read it:** one square per day for the past year, a column per week (Monday at the "
                    f"top). {'Darker green means more done that day: applications, activities and self-care together.' if by == 'actions' else 'Red is a low mood, yellow middling, green good; blank days had no check-in.'} "
                    f"Hover a square for the day's details. You were active on {active} of the last 365 days."
                )
                download(cal, "calendar")

    # -- 3. funnel and Sankey ---------------------------------------------------------------------------
    if t_funnel.open:
        with t_funnel:

            @st.fragment
            def funnel_section():
                start, end, chosen = filters("funnel", overview["span"])
                data = ui.cached(store, ins.load_funnel, start, end, chosen)
                f, links = data["funnel"], data["links"]
                total = int(f["count"].iloc[0]) if not f.empty else 0
                if total == 0:
                    st.info(
                        "No applications match these filters yet."
                        if n_apps
                        else "Log your applications and what came of them; the funnel shows where they stop.",
                        icon="🧭",
                    )
                    return
                st.markdown("**Funnel**")
                show(figure("funnel", lambda: vega.funnel(f), start, end, chosen), "progress_funnel_chart")
                st.caption(
                    "**How to read it:** each bar counts the applications that reached that stage (a later stage "
                    "counts as having passed the earlier ones), with the share of all applications beside it; the "
                    "table below adds the share of the stage before and where applications stopped."
                    + (
                        " ⚠ With fewer than 10 applications, treat these shares as anecdotes."
                        if total < ins.SMALL_SAMPLE
                        else ""
                    )
                )
                # Text: a few rows need no data grid (st.dataframe loads a 1.3 MB chunk on first use) and no
                # Arrow formatting (st.table loads 0.74 MB); four columns, the last in words, fit a phone.
                numbers = ins.FUNNEL_TABLE_HEADER[1:3]
                st.markdown(ui.md_table(ins.funnel_table(f), ins.FUNNEL_TABLE_HEADER, numbers))
                download(f, "funnel", "Download the funnel (CSV)")
                step_table(diagnosis)
                ui_materials.rates(store, today, diagnosis)  # answer and interview rate per CV version

                def sankey():
                    return figure("sankey", lambda: charts.sankey(links), start, end, chosen)

                # Lazy: the Sankey is the one plotly chart on Progress, and plotly's bundle is 4.7 MB in the
                # browser; it is built, sent and loaded only once this is opened.
                flow = st.expander(
                    "Show where every application went (flow diagram)", key="progress_sankey_flow", on_change="rerun"
                )
                if flow.open:
                    with flow:
                        show(sankey(), "progress_sankey_chart")
                        st.caption(
                            "**How to read it:** the diagram follows every application to where it is now: each "
                            "band's width is a number of applications; the ones that leave a stage end as rejected, "
                            "ghosted, withdrawn (a declined offer counts as withdrawn), accepted, or are still in "
                            "progress."
                        )
                # Lazy: the code block (1.6 MB of syntax highlighter in the browser) is built only once opened.
                export = st.expander(
                    "Export the Sankey (SankeyMATIC text or HTML)", key="progress_sankey_export", on_change="rerun"
                )
                if export.open:
                    with export:
                        st.caption("Paste this into sankeymatic.com to restyle it, or share it as job seekers do.")
                        st.code(data["sankeymatic"], language=None)
                        a, b, c = st.columns(3)
                        a.download_button(
                            "SankeyMATIC text",
                            data=data["sankeymatic"],
                            file_name="rebound-sankey.txt",
                            mime="text/plain",
                            key="progress_dl_sankeymatic",
                            icon=":material/download:",
                        )
                        b.download_button(
                            "Interactive HTML",
                            data=lambda: charts.sankey_html(sankey()).encode("utf-8"),
                            file_name="rebound-sankey.html",
                            mime="text/html",
                            key="progress_dl_sankey_html",
                            icon=":material/download:",
                        )
                        c.download_button(
                            "Flows (CSV)",
                            data=_csv(links),
                            file_name="rebound-sankey-flows.csv",
                            mime="text/csv",
                            key="progress_dl_sankey_csv",
                            icon=":material/download:",
                        )

            funnel_section()

    # -- 4. channels ------------------------------------------------------------------------------------
    if t_channels.open:
        with t_channels:

            @st.fragment
            def channels_section():
                start, end, chosen = filters("channels", overview["span"])
                data = ui.cached(store, ins.load_channels, start, end, chosen)
                conv, mix = data["conversion"], data["mix"]
                if conv.empty:
                    st.info(
                        "No applications match these filters yet."
                        if n_apps
                        else "Once you log applications with their channel, this shows which channels get answers.",
                        icon="📡",
                    )
                    return
                st.markdown("**Which channels convert**")
                show(
                    figure("conversion", lambda: vega.rate_bars(conv, "channel", what="channel"), start, end, chosen),
                    "progress_conversion_chart",
                )
                st.caption(
                    "**How to read it:** for each channel, the share of applications that got any answer "
                    "(screen, interview, offer or a rejection) and the share that reached an interview, with the "
                    "counts behind each rate. n is the number of applications; ⚠ and paler bars mark channels with "
                    f"fewer than {ins.SMALL_SAMPLE}, where one application more or less moves the rate a lot."
                )
                download(conv, "channel-conversion")
                st.markdown("**Your channel mix over time**")
                show(figure("mix", lambda: vega.channel_mix(mix), start, end, chosen), "progress_mix_chart")
                st.caption(
                    "**How to read it:** applications per month, coloured by channel. A varied mix (referrals, "
                    "networking, recruiters, not only job boards) usually brings more answers."
                )
                download(mix, "channel-mix")

            channels_section()

    # -- 5. where rejections happen ------------------------------------------------------------------------
    if t_rejections.open:
        with t_rejections:
            pat = ui.cached(store, ins.load_patterns, today)
            st.markdown("**Rejections by stage, month by month**")
            if pat["stage_totals"]["rejections"].sum() == 0:
                st.info(
                    "No rejections logged. When one comes, log it with the stage it came at; this shows whether "
                    "they come before any conversation or after interviews.",
                    icon="🌧️",
                )
            else:
                show(
                    figure("rejections", lambda: vega.rejections_by_stage(pat["by_stage"], ins.REJECTION_STAGE_LABELS)),
                    "progress_rejections_chart",
                )
                totals = pat["stage_totals"]
                parts = ", ".join(
                    f"{ins.REJECTION_STAGE_LABELS[r.stage].lower()} {r.rejections}"
                    for r in totals.itertuples()
                    if r.rejections
                )
                st.caption(
                    f"**How to read it:** each bar is a month's rejections, split by the stage they came at "
                    f"({parts}). Many rejections straight after applying point at the application or channel; "
                    "rejections after interviews mean you are getting through the door."
                )
                download(pat["by_stage"], "rejections-by-stage")

            st.markdown("**Themes from your reflections and feedback**")
            themes = pat["themes"]
            if themes.empty:
                st.info(
                    "No themes yet. Tag reflections and feedback with themes (technical depth, storytelling, "
                    "salary…) and the ones that repeat show up here.",
                    icon="🏷️",
                )
                st.page_link(REFLECT, label="Write a reflection", icon="📝")
            else:
                show(figure("themes", lambda: vega.themes(themes)), "progress_themes_chart")
                st.caption(
                    "**How to read it:** how often each theme was tagged, most frequent first. Colour and label "
                    "give the trend: mentions in the last 90 days against the 90 days before (rising, falling, "
                    "steady, or new). A theme that keeps rising is worth an action item."
                )
                download(themes, "themes")

            st.markdown("**Patterns by role**")
            if pat["roles"].empty:
                st.info("Role patterns appear once you have logged applications.", icon="🧩")
            else:
                left, right = st.columns(2)
                with left:
                    st.markdown("By seniority in the title")
                    show(
                        figure(
                            "seniority", lambda: vega.rate_bars(pat["seniority"], "seniority", what="seniority level")
                        ),
                        "progress_seniority_chart",
                    )
                    download(pat["seniority"], "seniority")
                with right:
                    st.markdown("By keyword in the title")
                    show(
                        figure("keywords", lambda: vega.rate_bars(pat["keywords"], "keyword", what="keyword")),
                        "progress_keywords_chart",
                    )
                    download(pat["keywords"], "role-keywords")
                st.caption(
                    "**How to read it:** seniority is read from the job title (junior, senior, lead, principal, "
                    "head/director…; titles with none count as mid-level). Keywords are the other words of the "
                    "titles, each application counted once per keyword. Bars show the response and interview "
                    f"rates with their counts; ⚠ marks groups of fewer than {ins.SMALL_SAMPLE} applications."
                )

    # -- 6. mood and coping -----------------------------------------------------------------------------
    if t_mood.open:
        with t_mood:
            series = overview["mood"]
            st.markdown("**Mood over time, with rejections marked**")
            if series.empty:
                st.info(
                    "No check-ins yet. A quick mood check-in, especially after a rejection, draws this line.", icon="💬"
                )
                st.page_link(CHECKIN, label="Check in now", icon="💬")
            else:
                first = since("progress_mood_period", series["day"].min())
                shown, rej = period.within(series, first), period.within(overview["rejection_days"], first)
                show(figure("mood", lambda: vega.mood(shown, rej), str(first)), "progress_mood_chart")
                st.caption(
                    "**How to read it:** dots are the days you checked in (mood 1–10, the day's average); the "
                    "line is the average of the past 7 days; ▲ along the bottom marks the days a rejection came. "
                    "Dips after a rejection are normal: what matters is that the line comes back."
                    + (" ⚠ Only a few check-ins so far." if len(series) < 10 else "")
                )
                download(  # every day, whatever the period shown
                    lambda: series.merge(overview["rejection_days"], on="day", how="outer").sort_values("day"), "mood"
                )

            st.markdown("**What helps you**")
            ranked = overview["coping_ranked"]
            if ranked.empty or ranked["helped"].notna().sum() == 0:
                st.info(
                    "No rated self-care yet. When you log something that restores you (a walk, a call with a "
                    "friend), rate whether it helped; your own ranking appears here.",
                    icon="🌿",
                )
            else:
                show(figure("coping", lambda: vega.coping(ranked)), "progress_coping_chart")
                st.caption(
                    "**How to read it:** the average of your own “did it help?” ratings (1–5) for each kind of "
                    f"self-care, most helpful first. ⚠ and paler bars mark kinds rated fewer than {ins.MIN_RATED} "
                    "times: try them again before you judge."
                )
                download(ranked, "coping")

            st.markdown("**Mood against activity, week by week**")
            weekly = overview["weekly"]
            if len(weekly) < 3:
                st.info("This needs at least three weeks with a check-in.", icon="📈")
            else:
                show(figure("mood_activity", lambda: vega.mood_vs_activity(weekly)), "progress_mood_activity_chart")
                r = ins.correlation(weekly["actions"], weekly["mood"])
                verdict = (
                    f"Across {len(weekly)} weeks the correlation is {r:+.2f}"
                    + (" (weak: no clear link)." if abs(r) < 0.3 else " — a pattern, not proof of cause.")
                    if r == r
                    else f"With {len(weekly)} weeks it is too early to tell (8 weeks needed)."
                )
                st.caption(
                    "**How to read it:** one dot per week; further right means more done that week "
                    "(applications, activities, self-care), higher means a better average mood. Fainter dots are "
                    f"older weeks. {verdict}"
                )
                download(weekly, "mood-vs-activity")

    # -- 7. resilience -----------------------------------------------------------------------------------
    if t_resilience.open:
        with t_resilience:
            bounce = overview["bounce"]
            if bounce.empty:
                st.info(
                    "Bounce-back is measured from each rejection: how many days until your next application, and "
                    "how many until your mood is back to your usual level. Nothing to measure yet.",
                    icon="🌱",
                )
            elif not ins.bounce_measured(bounce):
                n = len(bounce)
                st.info(
                    f"You have logged {n} rejection{'s' if n != 1 else ''}, and there is nothing to measure yet: "
                    "bounce-back counts the days until your next application, and until a check-in is back at "
                    "your usual mood (that needs a few check-ins in the month before the rejection). It appears "
                    "here once you apply again or check in.",
                    icon="🌱",
                )
            else:
                apps_trend = overview["trends"]["days_to_next_application"]
                mood_trend = overview["trends"]["days_to_baseline"]
                a, b = st.columns(2)
                med_next = bounce["days_to_next_application"].median()
                a.metric(
                    "Typical days to your next application",
                    "–" if med_next != med_next else f"{med_next:g}",
                    None
                    if not apps_trend
                    else ins.change_text(
                        apps_trend["later"] - apps_trend["earlier"], "days lately (median)", one="day lately (median)"
                    ),
                    delta_color="inverse",
                    help="Median over all rejections; the change compares your recent rejections with earlier ones.",
                )
                med_mood = bounce["days_to_baseline"].median()
                b.metric(
                    "Typical days until your mood is back",
                    "–" if med_mood != med_mood else f"{med_mood:g}",
                    None
                    if not mood_trend
                    else ins.change_text(
                        mood_trend["later"] - mood_trend["earlier"], "days lately (median)", one="day lately (median)"
                    ),
                    delta_color="inverse",
                    help=f"Back means a check-in at or above your baseline: the median mood of the 30 days before "
                    f"the rejection (needs {ins.MIN_BASELINE_CHECKINS} check-ins then).",
                )
                first = since("progress_bounce_period", bounce["day"].min())
                shown = period.within(bounce, first)  # the typical lines are of all rejections, cut to the period
                apps_line, mood_line = overview["apps_trend"][shown.index], overview["mood_trend"][shown.index]
                show(
                    figure("bounce", lambda: vega.bounce_back(shown, apps_line, mood_line), str(first)),
                    "progress_bounce_chart",
                )
                notes = []
                for label, trend in (("getting back to applying", apps_trend), ("your mood recovering", mood_trend)):
                    if trend:
                        notes.append(
                            f"{label}: {trend['verdict']} (median {ins.days_text(trend['later'])} over your last "
                            f"{trend['n_each']} rejections, {ins.days_text(trend['earlier'])} over the first {trend['n_each']})"
                        )
                st.caption(
                    "**How to read it:** one dot per rejection, on the day it came; its height is how many days "
                    "passed until you applied again (blue) and until a check-in was back at your usual mood (red). "
                    "The lines are the median of the last five. Lower is a quicker bounce-back. "
                    + (
                        "; ".join(notes).capitalize() + "."
                        if notes
                        else "A trend needs at least six rejections with a measured bounce-back."
                    )
                )
                table = ins.bounce_table(bounce)
                st.dataframe(
                    table.head(100),
                    hide_index=True,
                    width="stretch",
                    column_config={"Rejected on": st.column_config.DateColumn(format="D MMM YYYY")},
                )
                if len(table) > 100:
                    st.caption(f"The latest 100 of {len(table)} rejections; the download has them all.")
                download(bounce, "bounce-back")
            ui_writing.before_after(store, today, bounce)  # the measures the user follows, before and after writing


through_app(__name__)  # run as a file by Streamlit's legacy mode: go through app.py (see pages/__init__.py)
