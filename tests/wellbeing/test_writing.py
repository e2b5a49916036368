"""Writing that helps and the user's own before and after (rebound/wellbeing/writing.py, confidence.py):
the four days of writing, the plan for the next no, each measure and the before/after sentence on
built histories, and the opt-in weekly confidence check."""

import datetime as dt
import json

import pytest

from rebound import wellbeing as wb
from rebound.cli import main
from rebound.errors import ValidationError
from rebound.insights.rules import bounce_back
from rebound.store import Store
from rebound.ui import writing as ui_writing
from rebound.wellbeing import confidence
from rebound.wellbeing import writing as wr

D = dt.timedelta
NASTY = "<img src=x onerror=alert(1)> **bold** [x](javascript:y) :red[z] — שלום 🌱"


# -- the four days of writing -------------------------------------------------------------------------
def test_the_four_days_are_four_templates_and_reflect_offers_the_series_once():
    days = wr.series_days()
    assert [t.id for t in days] == ["four_days_1", "four_days_2", "four_days_3", "four_days_4"]
    assert [(t.day, t.days, t.series) for t in days] == [(n, 4, "four_days") for n in range(1, 5)]
    assert all(t.prompts and t.description.startswith(f"Day {t.day} of 4") for t in days)
    offered = ui_writing.chooser(wb.templates())
    assert "four_days_1" in offered and not {"four_days_2", "four_days_3", "four_days_4"} & set(offered)
    assert {"after_rejection", "journal", "next_no"} <= set(offered)
    assert ui_writing.chooser_label(days[0]) == "🖋️ Four days of writing"


def test_a_series_file_without_days_is_refused():
    with pytest.raises(ValueError, match="needs"):
        wb.rules.parse_series({"id": "x", "title": "X", "days": []})


def test_nothing_written_yet_offers_day_one(today):
    found = wr.series_progress([], today)
    assert (found.next, found.ready, found.started, found.finished) == (1, True, False, False)
    assert found.label() == "day 1 of 4" and found.note() == ""


def test_day_one_today_opens_day_two_tomorrow(today):
    found = wr.series_progress([("four_days_1", today)], today)
    assert found.started and not found.ready and found.next == 2
    assert found.note() == "Day 1 is written. Day 2 opens tomorrow (or any later day) — rest now."


def test_day_one_yesterday_offers_day_two_today(today):
    found = wr.series_progress([("four_days_1", today - D(days=1))], today)
    assert (found.next, found.ready, found.missed, found.label()) == (2, True, False, "day 2 of 4")
    assert found.note() == ""


def test_a_missed_day_does_not_break_the_series_and_is_said_kindly(today):
    written = [("four_days_1", today - D(days=9)), ("four_days_2", today - D(days=6)), ("journal", today)]
    found = wr.series_progress(written, today)
    assert (found.last, found.next, found.ready, found.missed) == (2, 3, True, True)
    assert "that's fine" in found.note() and "day 3" in found.note()


def test_after_day_four_the_series_is_finished_and_can_start_again(today):
    written = [(f"four_days_{n}", today - D(days=5 - n)) for n in range(1, 5)]
    found = wr.series_progress(written, today)
    assert found.finished and not found.started and found.next == 1 and found.ready
    assert found.note() == "You wrote on all four days. Start again any time it would help."
    again = wr.series_progress([*written, ("four_days_1", today)], today)
    assert again.started and again.last == 1 and not again.ready


def test_a_future_entry_counts_as_written_today_and_ancient_ones_still_count(today):
    found = wr.series_progress([("four_days_1", today + D(days=400))], today)
    assert found.last_on == today and not found.ready
    old = wr.series_progress([("four_days_1", dt.date(1971, 1, 1))], today)
    assert old.ready and old.missed and old.next == 2
    assert wr.started_writing([("four_days_2", today), ("four_days_1", dt.date(1971, 1, 1))]) == dt.date(1971, 1, 1)
    assert wr.started_writing([("journal", today)]) is None


def test_only_a_lower_mood_makes_the_offer(today):
    assert wr.is_hard(None) and wr.is_hard(float("nan")) and wr.is_hard(1) and wr.is_hard(wr.HARD_MOOD)
    assert not wr.is_hard(wr.HARD_MOOD + 1)


# -- the plan for the next no -------------------------------------------------------------------------
def test_the_plan_is_the_users_own_words_in_the_templates_order():
    lines = wr.plan_lines({"next_day": "Apply to Bolt", "first_thought": NASTY, "answer_back": "  ", "gone": "kept"})
    assert lines == [
        ("When the next “no” comes, what will I probably think first?", NASTY),
        ("What will I do the next day to keep going?", "Apply to Bolt"),
        ("Gone", "kept"),  # an answer to a prompt since removed stays
    ]
    assert wr.plan_lines(None) == [] and wr.plan_lines({}) == []


def test_the_latest_plan_and_the_days_written_come_from_the_store(store, today):
    assert store.reflections.latest_answers(wr.NEXT_NO) is None
    store.reflections.add("next_no", {"first_hour": "walk"}, day=today - D(days=3))
    store.reflections.add("next_no", {"first_hour": NASTY}, day=today - D(days=1))
    store.reflections.add("four_days_1", {"what_happened": "x" * wb.MAX_TEXT}, day=today - D(days=2))
    assert store.reflections.latest_answers(wr.NEXT_NO) == {"first_hour": NASTY}
    assert store.reflections.written(["four_days_1", "four_days_2"]) == [("four_days_1", today - D(days=2))]
    other = Store(store.db, "someone else")
    assert other.reflections.latest_answers(wr.NEXT_NO) is None and other.reflections.written(["four_days_1"]) == []
    with pytest.raises(ValidationError, match="too long"):
        store.reflections.add("four_days_2", {"how_it_touches": "x" * (wb.MAX_TEXT + 1)})
    with pytest.raises(ValidationError, match="at least one answer"):
        store.reflections.add("four_days_2", {"how_it_touches": "   "})
    with pytest.raises(ValidationError, match="future"):
        store.reflections.add("four_days_2", {"how_it_touches": "x"}, day=today + D(days=1))


# -- the measures ---------------------------------------------------------------------------------------
def test_measures_follow_the_users_settings():
    assert wr.measures_on({}) == ["bounce_back", "mood_recovery", "offers_per_interview", "days_to_offer"]
    assert wr.measures_on({"measure:confidence": "on", "measure:bounce_back": "off"}) == [
        "mood_recovery",
        "offers_per_interview",
        "days_to_offer",
        "confidence",
    ]
    assert wr.measures_on(dict.fromkeys((f"measure:{m}" for m in wr.MEASURES), "off")) == []


def test_no_comparison_without_a_start_or_with_too_few_on_either_side(today):
    points = [(today - D(days=n), n) for n in range(10)]
    assert wr.compare("bounce_back", points, None) is None
    start = today - D(days=2)  # 3 after (days 0, 1, 2), 7 before
    assert wr.compare("bounce_back", points, start) is not None
    assert wr.compare("bounce_back", points, today - D(days=1)) is None  # 2 after
    assert wr.counts(points, today - D(days=1)) == (8, 2)
    assert wr.compare("bounce_back", points, today - D(days=6)) is not None  # 3 before (days 7, 8, 9)
    assert wr.compare("bounce_back", points, today - D(days=7)) is None  # 2 before
    assert wr.compare("bounce_back", [], start) is None


def test_the_sentence_has_both_medians_and_both_counts_and_no_cause(today):
    start = today - D(days=100)
    before = [(start - D(days=50 + i), v) for i, v in enumerate((8, 10, 6, 8, 12, 7, 9, 8, 30, 2, 8, 5))]
    after = [(start + D(days=i * 5), v) for i, v in enumerate((3, 1, 5, 3, 4, 2, 3, float("nan"), 6, 3))]
    found = wr.compare("bounce_back", before + after + [(None, 4), ("not a day", 4)], start)
    assert (found.before, found.after, found.n_before, found.n_after) == (8, 3, 12, 9)
    assert found.sentence() == (
        "Since you started writing after rejections, your next application came after 3 days instead of 8 days "
        "(12 rejections before, 9 after)."
    )
    assert "because" not in found.sentence()


def test_offers_per_interview_is_the_share_and_confidence_a_score(today):
    start = today - D(days=30)
    interviews = [(start - D(days=i + 1), i % 2) for i in range(4)] + [(start + D(days=i), 1) for i in range(3)]
    found = wr.compare("offers_per_interview", interviews, start)
    assert (found.before, found.after, found.n_before, found.n_after) == (0.5, 1.0, 4, 3)
    assert "100% of your interviews led to an offer, against 50% before (4 interviews before, 3 after)" in (
        found.sentence()
    )
    weeks = [(start - D(weeks=i + 1), 2.0) for i in range(3)] + [(start + D(weeks=i), 3.67) for i in range(3)]
    assert (
        "was 3.7 instead of 2.0 out of 5 (3 weeks before, 3 after)" in wr.compare("confidence", weeks, start).sentence()
    )
    assert wr.shown(1, "days") == "1 day" and wr.shown(2.5, "days") == "2.5 days"


def _reject(store, company, applied, rejected):
    app = store.applications.add(company, "Analyst", "job board", applied)
    store.applications.add_event(app, "rejected", rejected, stage="applied")
    return app


@pytest.mark.parametrize("n_before, n_after", [(0, 0), (1, 0), (3, 2), (3, 3), (12, 9)])
def test_bounce_back_before_and_after_on_built_histories(store, today, n_before, n_after):
    """Rejections every 10 days; after each, the next application 8 days later before the user started
    writing and 3 days later after: the sentence appears only with at least 3 on each side."""
    start = today - D(days=10 * n_after + 5)
    first = start - D(days=10 * n_before)
    for i in range(n_before + n_after):
        day = first + D(days=10 * i)
        _reject(store, f"R{i}", first - D(days=100), day)  # applied long before any rejection
        gap = 8 if day < start else 3
        store.applications.add(f"N{i}", "Analyst", "referral", day + D(days=gap))
    if n_after or n_before:
        store.reflections.add("four_days_1", {"what_happened": "it hurt"}, day=start)
    bounce = bounce_back(store.insights.rejection_recovery(), today)
    points = wr.known(ui_writing.measure_points(store, "bounce_back", bounce))
    assert len(points) == n_before + n_after
    since = wr.started_writing(store.reflections.written([t.id for t in wr.series_days()]))
    found = wr.compare("bounce_back", points, since)
    if n_before >= 3 and n_after >= 3:
        assert found.sentence() == (
            "Since you started writing after rejections, your next application came after 3 days instead of "
            f"8 days ({n_before} rejections before, {n_after} after)."
        )
    else:
        assert found is None


def test_mood_recovery_offers_and_interviews_over_time_from_the_store(store, today):
    # a baseline of good moods, then a rejection; the mood is back 4 days later
    day = today - D(days=20)
    for n in range(5):
        store.checkins.add(7, checked_at=day - D(days=n + 1))
    _reject(store, "Acme", day - D(days=30), day)
    store.checkins.add(3, checked_at=day + D(days=1))
    store.checkins.add(7, checked_at=day + D(days=4))
    bounce = bounce_back(store.insights.rejection_recovery(), today)
    assert wr.known(ui_writing.measure_points(store, "mood_recovery", bounce)) == [(day, 4.0)]
    # one interview that led to an offer 12 days after applying, one that did not
    won = store.applications.add("Bolt", "Analyst", "referral", today - D(days=40))
    store.applications.add_event(won, "interview", today - D(days=35))
    store.applications.add_event(won, "offer", today - D(days=28))
    lost = store.applications.add("Core", "Analyst", "referral", today - D(days=40))
    store.applications.add_event(lost, "interview", today - D(days=30))
    store.applications.add_event(lost, "rejected", today - D(days=25), stage="interview")
    assert ui_writing.measure_points(store, "offers_per_interview", None) == [
        (today - D(days=35), 1),
        (today - D(days=30), 0),
    ]
    assert ui_writing.measure_points(store, "days_to_offer", None) == [(today - D(days=28), 12)]
    assert store.insights.days_to_offer() == [12]
    assert ui_writing.measure_points(store, "confidence", None) == []  # off: nothing read


# -- the weekly confidence check --------------------------------------------------------------------
def test_confidence_is_off_until_turned_on_and_stores_nothing_while_off(store, today):
    assert not store.confidence.enabled() and store.confidence.weekly_scores() == []
    with pytest.raises(ValidationError, match="off"):
        store.confidence.save([3, 3, 3], today=today)
    assert store.confidence.answers() == []
    store.confidence.set_enabled(True)
    store.confidence.save([3, 4, 5], today=today)
    store.confidence.save([1, 2, 2], today=today)  # the same week again: replaces it
    week = today - D(days=today.weekday())
    assert store.confidence.answers() == [
        {"id": store.confidence.answers()[0]["id"], "week": week, "answers": [1, 2, 2], "score": 1.67}
    ]
    store.confidence.save([5, 5, 4], week=today - D(days=7), today=today)
    assert store.confidence.weekly_scores() == [
        {"week": (week - D(days=7)).isoformat(), "score": 4.67},
        {"week": week.isoformat(), "score": 1.67},
    ]
    assert Store(store.db, "someone else").confidence.answers() == []
    store.confidence.set_enabled(False)
    assert store.confidence.weekly_scores() == []  # off: nothing computed (the answers stay until deleted)
    assert len(store.confidence.answers()) == 2
    store.confidence.delete(store.confidence.answers()[0]["id"])
    assert len(store.confidence.answers()) == 1
    assert store.confidence.delete_all() == 1 and store.confidence.answers() == []


@pytest.mark.parametrize(
    "answers, week_delta, message",
    [
        ([3, 3], 0, "all 3 questions"),
        ([3, 3, 3, 3], 0, "all 3 questions"),
        ([0, 3, 3], 0, "from 1 to 5"),
        ([6, 3, 3], 0, "from 1 to 5"),
        ([2.5, 3, 3], 0, "whole number"),
        ([True, 3, 3], 0, "whole number"),
        (["3", 3, 3], 0, "whole number"),
        ([3, 3, 3], 14, "not come yet"),
    ],
)
def test_bad_confidence_answers_are_refused_with_a_clear_message(store, today, answers, week_delta, message):
    store.confidence.set_enabled(True)
    with pytest.raises(ValidationError, match=message):
        store.confidence.save(answers, week=today + D(days=week_delta), today=today)
    with pytest.raises(ValidationError, match="before 1990"):
        store.confidence.save([3, 3, 3], week=dt.date(1900, 1, 1), today=today)
    assert store.confidence.answers() == []
    assert len(confidence.questions()) == 3 and len(confidence.scale_labels()) == 5


def test_stats_json_lists_the_weekly_confidence_only_while_it_is_on(db, db_path, capsys, today):
    store = Store(db, "local")
    store.confidence.set_enabled(True)
    store.confidence.save([2, 3, 4], week=today - D(days=7), today=today)
    db.close()
    assert main(["stats", "--json", "--db", db_path]) == 0
    monday = today - D(days=today.weekday() + 7)
    got = json.loads(capsys.readouterr().out)["wellbeing_outcomes"]["confidence"]
    assert got == [{"week": monday.isoformat(), "score": 3.0}]
    Store(db := type(db)(db_path), "local").confidence.set_enabled(False)
    db.close()
    assert main(["stats", "--json", "--db", db_path]) == 0
    assert json.loads(capsys.readouterr().out)["wellbeing_outcomes"]["confidence"] == []
