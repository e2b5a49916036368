"""The diagnosis of a search (rebound.insights.diagnosis): which step loses most, and how sure."""

import datetime as dt
import json
import math

import pytest

from rebound.cli import main
from rebound.insights.diagnosis import MIN_APPLICATIONS, diagnose, load_diagnosis, step_rate, wilson

D = dt.date
COLUMNS = ["channel", "reached", "responded", "outcome", "settled", "recent", "n"]


def paths(*rows) -> list[dict]:
    """(channel, reached, responded, outcome, n[, settled[, recent]]) rows as the repository gives them."""
    full = [(c, r, resp, o, *(extra or (True, False)), n) for c, r, resp, o, n, *extra in rows]
    return [dict(zip(COLUMNS, row)) for row in full]


def by_stage(found):
    return {s.stage: s for s in found.funnel}


# -- the interval --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("through", "of", "low", "high"),
    [
        (0, 10, 0.0, 0.2775),  # Wilson's interval is honest at 0: not "0%, certainly"
        (10, 10, 0.7225, 1.0),
        (1, 4, 0.0456, 0.6994),
        (50, 100, 0.4038, 0.5962),
    ],
)
def test_the_wilson_interval_by_hand(through, of, low, high):
    got = wilson(through, of)
    assert got == pytest.approx((low, high), abs=1e-4)


def test_no_cases_no_interval():
    assert all(math.isnan(x) for x in wilson(0, 0))


# -- built funnels -------------------------------------------------------------------------------------
def test_a_search_that_gets_no_answers_points_at_the_cv_and_is_sure():
    found = diagnose(
        paths(
            ("job board", 0, False, "open", 90),  # sent weeks ago, never answered
            ("job board", 0, False, "ghosted", 20),
            ("job board", 0, True, "rejected", 4),
            ("job board", 1, True, "rejected", 2),
        )
    )
    assert found.stage == "response"
    assert found.sure
    response = by_stage(found)["response"]
    assert (response.through, response.of) == (6, 116)
    assert "Your search loses most before any answer" in found.verdict
    assert "6 of 116 (5%, likely 2–11%)" in found.verdict
    assert "CV" in found.lever and found.page == "feedback"


def test_a_search_whose_interviews_never_convert_points_at_interviews():
    found = diagnose(
        paths(
            ("referral", 0, False, "ghosted", 30),
            ("referral", 0, True, "rejected", 5),
            ("referral", 1, True, "rejected", 5),
            ("referral", 2, True, "rejected", 20),  # twenty interviews, every one a no
        )
    )
    assert found.stage == "offer"
    assert found.sure
    offer = by_stage(found)["offer"]
    assert (offer.through, offer.of) == (0, 20)
    assert found.page == "goals"
    assert "interview" in found.verdict


def test_too_small_to_judge_says_so_and_names_no_stage():
    found = diagnose(paths(("referral", 2, True, "rejected", 3), ("job board", 0, False, "ghosted", 4)))
    assert found.stage is None
    assert found.verdict.startswith("Not enough to say yet: 7 applications")
    assert str(MIN_APPLICATIONS) in found.verdict
    assert json.loads(json.dumps(found.as_json()))["stage"] is None


def test_a_step_below_common_on_few_cases_is_only_a_maybe():
    found = diagnose(
        paths(
            ("job board", 0, False, "ghosted", 8),
            ("job board", 0, True, "rejected", 1),
            ("job board", 1, True, "rejected", 1),
            ("job board", 2, True, "rejected", 4),
            ("job board", 3, True, "accepted", 1),
        )
    )
    assert found.stage == "offer"  # 1 of 5 against a common 25%: the lowest, but not clearly
    assert not found.sure
    assert found.verdict.startswith("The weakest step may be")
    assert "could still be chance" in found.verdict


def test_still_open_is_waiting_not_lost_and_withdrawn_is_not_a_no():
    found = diagnose(
        paths(
            ("job board", 0, False, "ghosted", 10),
            ("job board", 0, True, "rejected", 10),
            ("job board", 1, True, "open", 50),  # at screen stage, still waiting
            ("job board", 1, True, "withdrawn", 7),  # the user stepped back
            ("job board", 2, True, "rejected", 5),
            ("job board", 0, False, "open", 40, False, True),  # sent in the last three weeks
        )
    )
    steps = by_stage(found)
    assert (steps["response"].through, steps["response"].of) == (72, 82)  # the 40 recent ones wait
    assert (steps["interview"].through, steps["interview"].of) == (5, 5)  # 50 open + 7 withdrawn left out


def test_offers_without_interviews_logged_do_not_make_a_rate_over_one():
    """An imported history often has Applied and Offer only: reaching an offer counts as every step."""
    found = diagnose(paths(("job board", 0, False, "ghosted", 30), ("job board", 3, True, "accepted", 4)))
    for step in found.funnel:
        assert step.through <= step.of
        assert 0 <= step.low <= step.high <= 1
    assert by_stage(found)["offer"].rate == 1.0


def test_one_channel_and_no_offers_at_all_divide_by_nothing():
    found = diagnose(paths(("job board", 0, False, "ghosted", 12)))
    assert found.stage == "response"
    assert [c for c, _ in found.by_channel] == ["job board"]
    later = [s for s in found.funnel if s.stage != "response"]
    assert all(s.of == 0 and s.shown() == "0 of 0" and math.isnan(s.rate) for s in later)
    assert json.loads(json.dumps(found.as_json(), allow_nan=False))["funnel"][3]["rate"] is None


def test_recent_months_and_channels_are_split_for_the_step_that_loses():
    found = diagnose(
        paths(
            ("job board", 0, False, "ghosted", 40, True, True),
            ("job board", 3, True, "accepted", 2, True, True),
            ("referral", 0, False, "ghosted", 5, True, False),
            ("referral", 3, True, "accepted", 5, True, False),
        )
    )
    assert found.stage == "response"
    assert {c: (s.through, s.of) for c, s in found.by_channel} == {"job board": (2, 42), "referral": (5, 10)}
    assert {p: (s.through, s.of) for p, s in found.by_period} == {"last 3 months": (2, 42), "before": (5, 10)}


def test_step_rate_of_nothing():
    s = step_rate(paths(), "offer", "Interview → Offer")
    assert (s.of, s.through) == (0, 0)


# -- from a real store, and the CLI ----------------------------------------------------------------------
def _no_answer_search(store, today):
    for i in range(30):
        store.applications.add(f"Co {i}", "Analyst", "job board", today - dt.timedelta(days=30 + i))
    store.applications.add("Late", "Analyst", "job board", today - dt.timedelta(days=3))  # too recent to count
    app = store.applications.add("Kind", "Analyst", "referral", today - dt.timedelta(days=40))
    store.applications.add_event(app, "screen", today - dt.timedelta(days=35))


def test_from_the_store_every_query_scoped_to_its_user(db, store, today):
    from rebound.store import Store

    _no_answer_search(store, today)
    other = Store(db, "someone-else")
    for i in range(50):
        app = other.applications.add(f"X {i}", "Analyst", "referral", today - dt.timedelta(days=60))
        other.applications.add_event(app, "screen", today - dt.timedelta(days=55))
    found = load_diagnosis(store, today)
    assert found.stage == "response"
    assert (by_stage(found)["response"].through, by_stage(found)["response"].of) == (1, 31)
    assert load_diagnosis(other, today).funnel[0].of == 50


def test_cli_diagnose_json_and_text(store, db, db_path, capsys, today):
    _no_answer_search(store, today)
    db.close()
    assert main(["diagnose", "--json", "--db", db_path]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["stage"] == "response"
    assert set(out) >= {"stage", "verdict", "funnel", "by_channel", "by_version"}
    assert [s["step"] for s in out["funnel"]] == [
        "Applied → Response",
        "Response → Screen",
        "Screen → Interview",
        "Interview → Offer",
    ]
    first = out["funnel"][0]
    assert (first["from"], first["to"]) == (31, 1) and first["low"] < first["rate"] < first["high"]
    assert main(["diagnose", "--db", db_path]) == 0
    text = capsys.readouterr().out
    assert text.startswith("Your search loses most before any answer")
    assert "Applied → Response" in text
    assert main(["stats", "--json", "--db", db_path]) == 0
    assert json.loads(capsys.readouterr().out)["funnel"] == out["funnel"]


def test_cli_diagnose_on_an_empty_database(db_path, capsys):
    assert main(["diagnose", "--json", "--db", db_path]) == 0
    assert json.loads(capsys.readouterr().out)["stage"] is None
