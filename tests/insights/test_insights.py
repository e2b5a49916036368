"""Every Progress analytic against a small search whose numbers are worked out by hand below."""

from __future__ import annotations

import datetime as dt
import json
import math

import pandas as pd
import pytest

from rebound import charts, vega
from rebound import insights as ins
from rebound.repository import Repository
from rebound.store import Store

D = dt.date
TODAY = D(2026, 11, 25)


def _insert(store, sql, rows):
    with store.scope.write() as run:
        for row in rows:
            run(sql, row)


@pytest.fixture
def search(store):
    """Seven applications (ids in `store.apps`):

    A1 job board  Senior Data Analyst  09-01  rejected 09-05 (after applying)
    A2 job board  Data Analyst         09-02  nothing yet
    A3 job board  Data Analyst         09-03  ghosted 10-05
    A4 referral   Lead Data Engineer   09-04  screen 09-10, interview 09-15, rejected 09-20 (interview)
    A5 referral   Data Engineer        09-05  screen, interview, final, offer 09-25, withdrawn 09-28 (declined)
    A6 recruiter  Junior Analyst       10-01  screen 10-05
    A7 recruiter  Head of Data         10-02  withdrawn 10-03
    """
    a = {}
    a[1] = store.applications.add("Acme", "Senior Data Analyst", "job board", D(2026, 9, 1))
    a[2] = store.applications.add("Bolt", "Data Analyst", "job board", D(2026, 9, 2))
    a[3] = store.applications.add("Cask", "data analyst ", "job board", D(2026, 9, 3))
    a[4] = store.applications.add("Dune", "Lead Data Engineer", "referral", D(2026, 9, 4))
    a[5] = store.applications.add("Echo", "Data Engineer", "referral", D(2026, 9, 5))
    a[6] = store.applications.add("Fern", "Junior Analyst", "recruiter", D(2026, 10, 1))
    a[7] = store.applications.add("Gale", "Head of Data", "recruiter", D(2026, 10, 2))
    store.applications.add_event(a[1], "rejected", D(2026, 9, 5), stage="applied")
    store.applications.add_event(a[3], "ghosted", D(2026, 10, 5))
    store.applications.add_event(a[4], "screen", D(2026, 9, 10))
    store.applications.add_event(a[4], "interview", D(2026, 9, 15), round=1)
    store.applications.add_event(a[4], "rejected", D(2026, 9, 20), stage="interview")
    store.applications.add_event(a[5], "screen", D(2026, 9, 8))
    store.applications.add_event(a[5], "interview", D(2026, 9, 12), round=1)
    store.applications.add_event(a[5], "final", D(2026, 9, 18))
    store.applications.add_event(a[5], "offer", D(2026, 9, 25))
    store.applications.add_event(a[5], "withdrawn", D(2026, 9, 28))
    store.applications.add_event(a[6], "screen", D(2026, 10, 5))
    store.applications.add_event(a[7], "withdrawn", D(2026, 10, 3))
    # Mood: baseline before the 09-05 rejection is median(7, 6, 8) = 7, back on 09-08 (3 days);
    # before the 09-20 rejection median(7, 6, 8, 4, 5, 7) = 6.5, back on 09-25 (5 days).
    _insert(
        store,
        "INSERT INTO checkins (user_id, checked_at, mood) VALUES ($user, $at, $mood)",
        [
            {"at": dt.datetime(2026, 9, d, 9), "mood": m}
            for d, m in [(1, 7), (2, 6), (3, 8), (5, 4), (6, 5), (8, 7), (22, 6), (25, 7)]
        ],
    )
    _insert(
        store,
        "INSERT INTO coping (user_id, day, kind, minutes, helped) VALUES ($user, $day, $kind, 30, $helped)",
        [
            {"day": D(2026, 9, 6), "kind": "walk", "helped": 5},
            {"day": D(2026, 9, 7), "kind": "walk", "helped": 4},
            {"day": D(2026, 9, 10), "kind": "walk", "helped": 3},
            {"day": D(2026, 9, 6), "kind": "friend", "helped": 5},
            {"day": D(2026, 9, 8), "kind": "rest", "helped": None},
        ],
    )
    _insert(
        store,
        "INSERT INTO reflections (user_id, template, day, answers, themes) VALUES ($user, 'free', $day, '{}', $themes)",
        [
            {"day": D(2026, 11, 1), "themes": ["Preparation", "storytelling"]},
            {"day": D(2026, 10, 1), "themes": ["preparation"]},
            {"day": D(2026, 6, 1), "themes": ["salary"]},
        ],
    )
    _insert(
        store,
        "INSERT INTO feedback_requests (user_id, application_id, drafted_on, answered_on, themes)"
        " VALUES ($user, $app, $drafted, $answered, $themes)",
        [{"app": a[4], "drafted": D(2026, 11, 10), "answered": D(2026, 11, 20), "themes": ["preparation"]}],
    )
    # Someone else's data must never be counted.
    other = Store(store.db, "someone-else")
    b = other.applications.add("Zed", "Senior Data Analyst", "referral", D(2026, 9, 1))
    other.applications.add_event(b, "rejected", D(2026, 9, 2))
    _insert(
        other,
        "INSERT INTO checkins (user_id, checked_at, mood) VALUES ($user, $at, 1)",
        [{"at": dt.datetime(2026, 9, 8, 9)}],
    )
    _insert(
        other,
        "INSERT INTO reflections (user_id, template, day, answers, themes) VALUES ($user, 'free', $day, '{}', ['salary'])",
        [{"day": D(2026, 11, 1)}],
    )
    store.apps = a
    return store


def test_every_repository_is_built_over_the_stores_one_scope(search):
    repositories = {name: r for name, r in vars(search).items() if isinstance(r, Repository)}
    assert {"applications", "checkins", "insights", "goals", "mail", "account", "settings"} <= set(repositories)
    assert all(r.scope is search.scope for r in repositories.values())
    assert search.insights.scope.user_id == search.user_id


def test_funnel_counts_and_outflows(search):
    f = ins.funnel(search.insights.funnel_path_counts()).set_index("stage")
    assert f["count"].to_dict() == {"Applied": 7, "Response": 4, "Screen": 3, "Interview": 2, "Offer": 1}
    assert f.loc["Applied", ["open", "ghosted", "withdrawn", "rejected"]].tolist() == [1, 1, 1, 0]
    assert f.loc["Response", "rejected"] == 1
    assert f.loc["Screen", "open"] == 1
    assert f.loc["Interview", "rejected"] == 1
    assert f.loc["Offer", "withdrawn"] == 1
    assert f.loc["Screen", "of_previous"] == pytest.approx(3 / 4)
    assert f.loc["Offer", "of_applied"] == pytest.approx(1 / 7)
    assert math.isnan(f.loc["Applied", "of_previous"])


def test_the_funnel_table_says_where_applications_stopped_in_words_without_zeros(search):
    rows = ins.funnel_table(ins.funnel(search.insights.funnel_path_counts()))
    assert len(rows[0]) == len(ins.FUNNEL_TABLE_HEADER)
    assert rows[0] == ("Applied", "7", "–", "1 ghosted · 1 withdrawn · 1 still waiting")
    assert rows[2] == ("Screen", "3", "75%", "1 still waiting")
    assert rows[4][0] == "Offer" and rows[4][3] == "1 withdrawn"
    nobody = ins.funnel_table(ins.funnel(search.insights.funnel_path_counts(channels=["no such channel"])))
    assert all(row[1] == "0" and row[3] == "–" for row in nobody)


def test_funnel_filters_by_date_and_channel(search):
    f = ins.funnel(search.insights.funnel_path_counts(channels=["referral"])).set_index("stage")
    assert f["count"].tolist() == [2, 2, 2, 2, 1]
    f = ins.funnel(search.insights.funnel_path_counts(start=D(2026, 10, 1))).set_index("stage")
    assert f["count"].tolist() == [2, 1, 1, 0, 0]
    f = ins.funnel(search.insights.funnel_path_counts(end=D(2026, 9, 2))).set_index("stage")
    assert f["count"].tolist() == [2, 1, 0, 0, 0]


def test_sankey_links_and_sankeymatic_text(search):
    links = ins.sankey_links(search.insights.funnel_path_counts())
    flows = {(r.source, r.target): r.value for r in links.itertuples()}
    assert flows == {
        ("Applied", "Response"): 4,
        ("Applied", "No answer yet"): 1,
        ("Applied", "Ghosted"): 1,
        ("Applied", "Withdrawn"): 1,
        ("Response", "Rejected"): 1,
        ("Response", "Screen"): 3,
        ("Screen", "In progress"): 1,
        ("Screen", "Interview"): 2,
        ("Interview", "Rejected"): 1,
        ("Interview", "Offer"): 1,
        ("Offer", "Withdrawn"): 1,
    }
    text = ins.sankeymatic(links)
    assert text.splitlines()[0] == "Applied [4] Response"
    assert "Offer [1] Withdrawn" in text.splitlines()
    # every application leaves Applied exactly once
    assert links.loc[links["source"] == "Applied", "value"].sum() == 7
    html = charts.sankey_html(charts.sankey(links))
    assert "<html>" in html[:200] and "Rebound: my job search" in html


def test_funnel_table_sankey_and_both_sankeymatic_exports_name_an_ending_alike(search):
    """A declined offer was "Withdrawn" in the funnel table but "Declined" in the Sankey, and the Data
    page's SankeyMATIC export said "Withdrew": one naming, one writer."""
    from rebound.exporting import sankeymatic_text

    paths = search.insights.funnel_path_counts()
    f = ins.funnel(paths).set_index("stage")
    assert f.loc["Offer", "withdrawn"] == 1
    links = ins.sankey_links(paths)
    ends = set(links["target"]) - set(ins.FUNNEL_STAGES)
    assert ends <= {"Rejected", "Ghosted", "Withdrawn", "Accepted", "No answer yet", "In progress"}
    assert "Declined" not in ends and ("Offer", "Withdrawn") in set(zip(links["source"], links["target"]))
    progress_text = ins.load_funnel(search)["sankeymatic"]
    data_text = sankeymatic_text(search)
    assert [line for line in data_text.splitlines() if line and not line.startswith("//")] == progress_text.splitlines()
    assert "Referral [2] Applied" in progress_text.splitlines()
    for stage_line in ins.sankeymatic(links).splitlines():
        assert stage_line in progress_text.splitlines()  # the same flows, plus channels into Applied


def test_empty_search_gives_empty_frames_not_errors(store):
    paths = store.insights.funnel_path_counts()
    assert ins.funnel(paths)["count"].tolist() == [0, 0, 0, 0, 0]
    assert ins.sankey_links(paths).empty and ins.sankeymatic(ins.sankey_links(paths)) == ""
    assert ins.channel_conversion(paths).empty
    assert ins.insights(paths) == []
    assert ins.bounce_back(store.insights.rejection_recovery(), TODAY).empty
    assert ins.mood_series(store.insights.progress_days()).empty
    cal = ins.calendar(store.insights.progress_days(), TODAY)
    assert len(cal) == 365 and cal["actions"].sum() == 0
    assert ins.seniority_patterns(store.insights.role_outcomes()).empty
    assert ins.theme_summary(store.insights.theme_tag_days(), TODAY).empty
    assert ins.rejections_by_stage(store.insights.monthly_rejections()).columns[0] == "month"


def test_channel_conversion_with_counts_and_small_sample_flags(search):
    conv = ins.channel_conversion(search.insights.funnel_path_counts()).set_index("channel")
    assert conv.loc["job board", ["applications", "responses", "interviews", "offers"]].tolist() == [3, 1, 0, 0]
    assert conv.loc["referral", ["applications", "responses", "interviews", "offers"]].tolist() == [2, 2, 2, 1]
    assert conv.loc["referral", "interview_rate"] == 1.0
    assert conv.loc["recruiter", "response_rate"] == pytest.approx(0.5)
    assert conv.loc["job board", "share"] == pytest.approx(3 / 7)
    assert conv["small_sample"].all()
    assert not ins.channel_conversion(search.insights.funnel_path_counts(), min_n=2).loc[1:, "small_sample"].any()


def test_channel_mix_by_month(search):
    wide = ins.channel_mix(search.insights.monthly_channel_mix())
    sep = wide[wide["month"] == pd.Timestamp(2026, 9, 1)].iloc[0]
    assert (sep["job board"], sep["referral"], sep["recruiter"]) == (3, 2, 0)
    assert list(wide.columns[1:]) == ["job board", "recruiter", "referral"] or set(wide.columns[1:]) == {
        "job board",
        "recruiter",
        "referral",
    }


def test_rejections_by_stage_over_time(search):
    monthly = search.insights.monthly_rejections()
    wide = ins.rejections_by_stage(monthly)
    assert len(wide) == 1 and wide.iloc[0][["applied", "screen", "interview"]].tolist() == [1, 0, 1]
    totals = ins.rejection_stage_totals(monthly).set_index("stage")
    assert totals.loc["interview", "share"] == 0.5


def test_months_without_rejections_are_filled():
    monthly = pd.DataFrame({"month": [D(2026, 1, 1), D(2026, 3, 1)], "stage": ["applied", "screen"], "n": [2, 1]})
    wide = ins.rejections_by_stage(monthly)
    assert wide["applied"].tolist() == [2, 0, 0] and wide["screen"].tolist() == [0, 0, 1]


def test_themes_counts_and_trend(search):
    summary = ins.theme_summary(search.insights.theme_tag_days(), TODAY).set_index("theme")
    assert summary.loc["preparation", ["mentions", "recent", "earlier", "trend"]].tolist() == [3, 3, 0, "new"]
    assert summary.loc["salary", ["mentions", "recent", "earlier", "trend"]].tolist() == [1, 0, 1, "steady"]
    assert summary.index.tolist() == ["preparation", "salary", "storytelling"]  # the other user's salary not counted
    by_month = ins.theme_by_month(search.insights.monthly_theme_mentions())
    assert by_month.set_index("month").loc[pd.Timestamp(2026, 11, 1), "preparation"] == 2


def test_theme_trend_rising_and_falling():
    days = pd.DataFrame(
        {"day": [D(2026, 11, 1)] * 4 + [D(2026, 7, 1)], "theme": ["a", "a", "a", "b", "b"], "n": [1, 1, 1, 1, 4]}
    )
    days.loc[0, "day"] = D(2026, 7, 2)  # a: 1 earlier, 2 recent -> steady (±1)
    s = ins.theme_summary(days, TODAY).set_index("theme")
    assert s.loc["a", "trend"] == "steady" and s.loc["b", "trend"] == "falling"
    days2 = pd.DataFrame({"day": [D(2026, 11, 1), D(2026, 7, 1)], "theme": ["c", "c"], "n": [4, 1]})
    assert ins.theme_summary(days2, TODAY).iloc[0]["trend"] == "rising"


@pytest.mark.parametrize(
    "title,level",
    [
        ("Senior Data Analyst", "senior"),
        ("Sr. Engineer", "senior"),
        ("Data Analyst", "mid-level"),
        ("Junior Analyst", "junior"),
        ("Graduate Scheme", "junior"),
        ("Lead Data Engineer", "lead"),
        ("Staff Engineer", "lead"),
        ("Principal Scientist", "principal"),
        ("Head of Data", "executive"),
        ("VP Engineering", "executive"),
        ("Director of Analytics", "executive"),
        ("", "mid-level"),
    ],
)
def test_seniority_from_titles(title, level):
    assert ins.seniority_of(title) == level


def test_role_keywords_drop_seniority_and_filler():
    assert ins.role_keywords("Senior Data Analyst (m/f/d) - Remote") == ["data", "analyst"]
    assert ins.role_keywords("Head of C++ & Rust") == ["c++", "rust"]


def test_role_and_seniority_patterns(search):
    roles = search.insights.role_outcomes()
    assert int(roles.loc[roles["role"].str.lower() == "data analyst", "applications"].iloc[0]) == 2
    sen = ins.seniority_patterns(roles).set_index("seniority")
    assert sen.loc["mid-level", ["applications", "responses", "interviews"]].tolist() == [3, 1, 1]
    assert sen.index.tolist() == ["junior", "mid-level", "senior", "lead", "executive"]
    kw = ins.keyword_patterns(roles).set_index("keyword")
    assert kw.loc["data", ["applications", "responses", "interviews"]].tolist() == [6, 3, 2]
    assert kw.loc["analyst", ["applications", "responses", "interviews"]].tolist() == [4, 2, 0]
    assert kw.loc["engineer", "interview_rate"] == 1.0
    assert kw.index[0] == "data"


def test_calendar_has_a_year_of_days(search):
    cal = ins.calendar(search.insights.progress_days(), TODAY)
    assert len(cal) == 365 and cal["day"].iloc[-1] == pd.Timestamp(TODAY)
    day = cal.set_index("day").loc[pd.Timestamp(2026, 9, 5)]
    assert (day["applications"], day["rejections"], day["checkins"], day["mood"], day["actions"]) == (1, 1, 1, 4.0, 1)
    assert (cal["week"].dt.day_of_week == 0).all()
    spec = vega.calendar(cal, "mood")
    assert spec["layer"][0]["layer"][1]["encoding"]["color"]["scale"]["domain"][0] == 1  # mood 1–10


def test_mood_series_rolling_week(search):
    s = ins.mood_series(search.insights.progress_days()).set_index("day")
    assert s.loc[pd.Timestamp(2026, 9, 1), "rolling"] == 7
    assert s.loc[pd.Timestamp(2026, 9, 8), "rolling"] == pytest.approx((6 + 8 + 4 + 5 + 7) / 5)
    assert len(s) == 8  # the other user's check-in on 09-08 did not add a day or change the mood
    assert s.loc[pd.Timestamp(2026, 9, 8), "mood"] == 7
    rej = ins.rejection_days(search.insights.progress_days())
    assert rej["day"].dt.date.tolist() == [D(2026, 9, 5), D(2026, 9, 20)]


def test_recent_mood_means_each_day_and_counts_its_rejections():
    checkins = pd.DataFrame(
        {"checked_at": pd.to_datetime(["2026-11-20 09:00", "2026-11-20 18:00", "2026-11-25 10:00"]), "mood": [4, 6, 8]}
    )
    series, hits = ins.recent_mood(checkins, [D(2026, 11, 21), D(2026, 11, 21), D(2026, 11, 25)])
    assert series["day"].dt.date.tolist() == [D(2026, 11, 20), D(2026, 11, 25)]  # a rejection alone is no mood day
    assert series["mood"].tolist() == [5, 8] and series["rolling"].tolist() == [5, 6.5]
    assert list(zip(hits["day"].dt.date, hits["rejections"])) == [(D(2026, 11, 21), 2), (D(2026, 11, 25), 1)]
    assert ins.recent_mood(checkins, [])[1].empty


def test_coping_helpfulness_ranked_with_small_samples_last(search):
    ranked = ins.coping_helpfulness(search.insights.coping_ratings_by_kind())
    assert ranked["kind"].tolist() == ["walk", "friend", "rest"]
    walk = ranked.iloc[0]
    assert (walk["sessions"], walk["rated"], walk["helped"], walk["minutes"], walk["small_sample"]) == (
        3,
        3,
        4.0,
        90,
        False,
    )
    assert ranked.iloc[1]["small_sample"] and math.isnan(ranked.iloc[2]["helped"])


def test_mood_against_activity_per_week(search):
    weekly = ins.weekly_mood_activity(search.insights.progress_days())
    first = weekly.iloc[0]
    assert first["week"] == pd.Timestamp(2026, 8, 31)
    assert (first["applications"], first["coping"], first["actions"]) == (5, 2, 7)
    assert first["mood"] == pytest.approx((7 + 6 + 8 + 4 + 5) / 5)
    assert math.isnan(ins.correlation(weekly["actions"], weekly["mood"]))  # too few weeks
    x = pd.Series(range(10))
    assert ins.correlation(x, x * 2) == pytest.approx(1.0)


def test_bounce_back_per_rejection(search):
    raw = search.insights.rejection_recovery()
    assert len(raw) == 2  # not the other user's rejection
    b = ins.bounce_back(raw, TODAY)
    first, second = b.iloc[0], b.iloc[1]
    assert first["day"] == D(2026, 9, 5) and first["company"] == "Acme"
    assert (first["days_to_next_application"], first["baseline"], first["n_baseline"], first["days_to_baseline"]) == (
        0,
        7,
        3,
        3,
    )
    assert first["mood_status"] == "back in 3 days"
    assert (second["days_to_next_application"], second["baseline"], second["days_to_baseline"]) == (11, 6.5, 5)


def test_bounce_back_needs_a_baseline_and_says_why():
    raw = pd.DataFrame(
        {
            "id": [1, 2, 3],
            "day": [D(2026, 11, 20), D(2026, 8, 1), D(2026, 11, 1)],
            "stage": ["applied"] * 3,
            "company": ["A", "B", "C"],
            "role": ["r"] * 3,
            "channel": ["x"] * 3,
            "days_to_next_application": [2, None, 4],
            "baseline": [6.0, 6.0, 6.0],
            "n_baseline": [2, 5, 5],
            "days_to_baseline": [1, None, None],
            "low": [3, 3, 3],
            "checkins_after": [3, 2, 0],
        }
    )
    b = ins.bounce_back(raw, TODAY)
    assert b["mood_status"].tolist() == ["too few check-ins before", "not back within 60 days", "no check-ins since"]
    assert math.isnan(b.loc[0, "days_to_baseline"])


def test_resilience_trend_compares_earlier_and_later_halves():
    bounce = pd.DataFrame(
        {"day": [D(2026, 1, d) for d in range(1, 9)], "days_to_next_application": [5, 7, 6, 9, 2, 1, 3, 2]}
    )
    trend = ins.resilience_trend(bounce, "days_to_next_application")
    assert trend == {"earlier": 6.5, "later": 2.0, "n_each": 4, "verdict": "faster"}
    assert ins.resilience_trend(bounce.head(5), "days_to_next_application") is None
    rolled = ins.rolling_median(bounce, "days_to_next_application", window=3)
    assert math.isnan(rolled.iloc[1]) and rolled.iloc[2] == 6 and rolled.iloc[7] == 2


def _paths(rows):
    return pd.DataFrame(rows, columns=["channel", "reached", "responded", "outcome", "n"])


def test_insights_are_written_only_with_enough_data():
    small = _paths([("referral", 2, True, "open", 3), ("job board", 0, False, "open", 5)])
    assert ins.insights(small) == []
    big = _paths(
        [
            ("referral", 2, True, "open", 4),
            ("referral", 0, True, "rejected", 8),
            ("job board", 2, True, "rejected", 2),
            ("job board", 0, False, "open", 30),
            ("job board", 0, True, "rejected", 6),
        ]
    )
    found = ins.insights(big)
    texts = [i.text for i in found]
    assert texts[0] == "Referral brought 4 of your 6 interviews from 24% of your applications (12 of 50)."
    assert found[0].numbers["interviews"] == 4
    assert texts[1] == ("Referral applications got an answer 100% of the time (12 of 12), job board 21% (8 of 38).")


def test_insights_about_rejections_bounce_back_coping_and_themes():
    paths = _paths([("job board", 0, False, "open", 5)])
    rejections = pd.DataFrame({"month": [D(2026, 9, 1)] * 2, "stage": ["applied", "interview"], "n": [8, 4]})
    bounce = pd.DataFrame(
        {
            "day": [D(2026, 1, d) for d in range(1, 9)],
            "days_to_next_application": [5, 7, 6, 9, 2, 1, 3, 2],
            "days_to_baseline": [float("nan")] * 8,
        }
    )
    coping = pd.DataFrame(
        {"kind": ["walk", "friend"], "sessions": [4, 3], "rated": [4, 3], "helped": [4.5, 4.0], "minutes": [0, 0]}
    )
    themes = pd.DataFrame(
        {
            "theme": ["preparation"],
            "mentions": [5],
            "recent": [2],
            "earlier": [3],
            "trend": ["steady"],
            "last_seen": [D(2026, 11, 1)],
        }
    )
    texts = [i.text for i in ins.insights(paths, rejections, bounce, coping, themes)]
    assert texts[0].startswith("8 of your 12 rejections (67%) came straight after applying")
    assert texts[1] == (
        "You are getting back to applying faster: a median of 2 days after your last 4 rejections, "
        "down from 6.5 days after the first 4."
    )
    assert texts[2] == "“Walk” is what helps you most: rated 4.5 of 5 over 4 rated sessions."
    assert texts[3].startswith("“preparation” is the theme you note most often")
    assert len(ins.insights(paths, rejections, bounce, coping, themes, limit=3)) == 3


def test_figures_build_for_every_analytic(search):
    paths = search.insights.funnel_path_counts()
    roles = search.insights.role_outcomes()
    days = search.insights.progress_days()
    bounce = ins.bounce_back(search.insights.rejection_recovery(), TODAY)
    figs = [charts.sankey(ins.sankey_links(paths))]  # the Funnel tab's flow diagram: plotly
    specs = [  # every other chart: Vega-Lite
        vega.funnel(ins.funnel(paths)),
        vega.rate_bars(ins.channel_conversion(paths), "channel"),
        vega.channel_mix(ins.channel_mix(search.insights.monthly_channel_mix())),
        vega.rejections_by_stage(
            ins.rejections_by_stage(search.insights.monthly_rejections()), ins.REJECTION_STAGE_LABELS
        ),
        vega.themes(ins.theme_summary(search.insights.theme_tag_days(), TODAY)),
        vega.rate_bars(ins.seniority_patterns(roles), "seniority"),
        vega.mood(ins.mood_series(days), ins.rejection_days(days)),
        vega.coping(ins.coping_helpfulness(search.insights.coping_ratings_by_kind())),
        vega.mood_vs_activity(ins.weekly_mood_activity(days)),
        vega.bounce_back(
            bounce,
            ins.rolling_median(bounce, "days_to_next_application"),
            ins.rolling_median(bounce, "days_to_baseline"),
        ),
        vega.calendar(ins.calendar(days, TODAY)),
    ]
    for fig in figs:
        assert fig.layout.paper_bgcolor == "rgba(0,0,0,0)"  # the page's light or dark theme shows through
        assert len(fig.data) >= 1
    for spec in specs:
        json.dumps(spec, allow_nan=False)  # plain JSON: a NaN would make Vega refuse the spec
        assert spec["layer"] and spec["description"] and "data" not in spec


def test_momentum_chart_from_the_momentum_frames():
    weekly = pd.DataFrame(
        {
            "week": pd.to_datetime([D(2026, 11, 9), D(2026, 11, 16), D(2026, 11, 23)]),
            "completion": [1.0, 0.5, 0.2],
            "momentum": [0.2, 0.25, 0.26],
            "met": [True, False, False],
            "streak": [1, 1, 1],
        }
    )
    comps = pd.DataFrame(
        {
            "week": weekly["week"].repeat(2).values,
            "metric": ["applications", "custom"] * 3,
            "label": ["Applications", "Walk"] * 3,
            "target": [5, 3] * 3,
            "done": [5, 3, 5, 0, 1, 0],
            "completion": [1, 1, 1, 0, 0.2, 0],
        }
    )
    # The momentum chart is Vega-Lite (rebound.vega), drawn from the frames' records as Progress and Goals do.
    from rebound import vega

    records = weekly.to_dict("records")
    trend = vega.momentum_trend(records)
    assert [m["mark"]["type"] for m in trend["layer"][0]["layer"]] == ["bar", "line", "point", "text"]
    shares = vega.goal_shares(records, comps.to_dict("records"))["layer"][0]["data"]["values"]
    walk = [v["share"] for v in shares if v["goal"] == "Walk"]
    assert walk == [0.5, 0.0, 0.0]  # each goal is half of a two-goal week
