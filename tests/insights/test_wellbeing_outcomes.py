"""`rebound stats --json`'s wellbeing_outcomes: the user's own before-and-after measures."""

import datetime as dt
import json

from rebound.cli import main

D = dt.timedelta


def outcomes(db_path, capsys) -> dict:
    assert main(["stats", "--json", "--db", db_path]) == 0
    return json.loads(capsys.readouterr().out)["wellbeing_outcomes"]


def test_nulls_where_there_is_no_data(db_path, capsys):
    assert outcomes(db_path, capsys) == {
        "bounce_back_days": {"median": None, "n": 0},
        "mood_recovery_days": {"median": None, "n": 0},
        "offers_per_interview": {"value": None, "n": 0},
        "days_to_offer": {"value": None, "n": 0},
        "confidence": [],
    }


def test_one_rejection(store, db, db_path, capsys, today):
    a = store.applications.add("Acme", "Analyst", "job board", today - D(days=40))
    store.applications.add_event(a, "rejected", today - D(days=20), stage="applied")
    store.applications.add("Bolt", "Analyst", "job board", today - D(days=17))  # 3 days after it
    db.close()
    got = outcomes(db_path, capsys)
    assert got["bounce_back_days"] == {"median": 3, "n": 1}
    assert got["mood_recovery_days"] == {"median": None, "n": 0}  # no check-ins to judge a baseline by
    assert got["days_to_offer"] == {"value": None, "n": 0}


def test_many_rejections_offers_and_interviews_by_hand(store, db, db_path, capsys, today):
    start = today - D(days=200)
    for i, gap in enumerate((2, 4, 10)):  # three rejections, the next application 2, 4 and 10 days later
        a = store.applications.add(f"R{i}", "Analyst", "job board", start + D(days=i * 30))
        store.applications.add_event(a, "rejected", start + D(days=i * 30 + 5), stage="applied")
        store.applications.add(f"N{i}", "Analyst", "job board", start + D(days=i * 30 + 5 + gap))
    for i, (to_offer, offered) in enumerate(((30, True), (50, True), (0, False), (0, False))):
        a = store.applications.add(f"I{i}", "Analyst", "referral", start + D(days=100 + i))
        store.applications.add_event(a, "interview", start + D(days=110 + i), round=1)
        if offered:
            store.applications.add_event(a, "offer", start + D(days=100 + i + to_offer))
        else:
            store.applications.add_event(a, "rejected", start + D(days=120 + i), stage="interview")
    db.close()
    got = outcomes(db_path, capsys)
    assert got["bounce_back_days"]["median"] == 4
    assert got["offers_per_interview"] == {"value": 0.5, "n": 4}
    assert got["days_to_offer"] == {"value": 40, "n": 2}
