"""Findings as proposals: idempotent, user-scoped, confirmed in one transaction, dismissed for good."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rebound.errors import ValidationError
from rebound.mail.parse import parse_pasted
from rebound.mail.scan import scan_items, scan_paths
from rebound.store import Store

FIXTURES = Path(__file__).parents[1] / "fixtures" / "mail"
REJECTION = (
    "Hi Sam,\n\nThank you for interviewing for the Data Analyst role. Unfortunately we have decided to move "
    "forward with other candidates, as the role requires more SQL experience.\n"
)


def apps_of(store):
    return store.applications.all()[["id", "company", "role", "status", "applied_on"]].to_dict("records")


def pasted(store, text=REJECTION, sender="Acme Recruiting <jobs@acme.com>", subject="Your application"):
    return scan_items([parse_pasted(text, subject=subject, sender=sender, today=dt.date(2026, 11, 22))], apps_of(store))


@pytest.fixture
def acme(store):
    app_id = store.applications.add("Acme, Inc.", "Data Analyst", "referral", dt.date(2026, 11, 1))
    store.applications.add_event(app_id, "interview", dt.date(2026, 11, 10), round=1)
    return app_id


def test_scanning_the_same_mail_twice_proposes_nothing_new(store, acme):
    first = scan_paths([FIXTURES], apps_of(store))
    assert store.mail.record(first.findings) == len(first.findings) > 40
    again = scan_paths([FIXTURES], apps_of(store))
    assert store.mail.record(again.findings) == 0
    assert len(store.mail.findings()) == len(first.findings)


def test_a_dismissed_finding_stays_dismissed(store, acme):
    store.mail.record(pasted(store).findings)
    (row,) = store.mail.findings()
    assert store.mail.dismiss([row["id"]]) == 1
    store.mail.record(pasted(store).findings)
    assert store.mail.findings() == []
    assert store.mail.known([row["message_key"]])[row["message_key"]]["status"] == "dismissed"
    with pytest.raises(ValidationError, match="already"):
        store.mail.confirm_one(row["id"])


def test_only_what_a_finding_needs_is_stored(store, acme):
    store.mail.record(pasted(store).findings)
    cols = [c["name"] for c in store.account.table_columns("mail_findings")]
    assert "body" not in cols
    (row,) = store.mail.findings()
    assert row["sentence"].startswith("Unfortunately we have decided")
    assert row["reason"] == row["sentence"]  # "as the role requires…" is in the deciding sentence
    stored = " ".join(str(v) for v in row.values())
    assert "Hi Sam" not in stored  # the rest of the body is not kept


def test_confirming_a_rejection_writes_the_event_with_stage_and_reason(store, acme):
    store.mail.record(pasted(store).findings)
    (row,) = store.mail.findings()
    assert row["application_id"] == acme and row["app_company"] == "Acme, Inc."
    done = store.mail.confirm_one(row["id"], today=dt.date(2026, 11, 30))
    assert done["event"] == "rejected" and done["application_id"] == acme and not done["created_application"]
    timeline = store.applications.timeline(acme)
    last = timeline.iloc[-1]
    assert (last["kind"], last["stage"], last["happened_on"].date()) == ("rejected", "interview", dt.date(2026, 11, 22))
    assert "more SQL experience" in last["reason"]
    assert store.applications.get(acme)["status"] == "rejected"
    assert store.mail.findings("confirmed")[0]["event_id"] == done["event_id"]


def test_confirming_is_one_transaction_all_or_nothing(store, acme):
    store.mail.record(pasted(store).findings)
    store.mail.record(pasted(store, "Thank you for applying!", sender="Nobody", subject="").findings)
    rows = store.mail.findings()
    assert len(rows) == 2
    nameless = next(r for r in rows if r["kind"] == "received")
    store.mail.edit(nameless["id"], "received", "", "", None, None)  # no company, no application
    with pytest.raises(ValidationError, match="names no company"):
        store.mail.confirm([r["id"] for r in rows])
    assert len(store.mail.findings()) == 2 and store.applications.get(acme)["status"] == "interview"  # nothing landed


def test_an_unmatched_finding_creates_its_application_on_confirming(store):
    result = scan_paths([FIXTURES / "linkedin_sent.eml"], apps_of(store))
    store.mail.record(result.findings)
    (row,) = store.mail.findings()
    assert row["application_id"] is None and row["company"] == "Nimbus Labs"
    done = store.mail.confirm_one(row["id"])
    assert done["created_application"] and done["event"] is None
    created = store.applications.get(done["application_id"])
    assert (created["company"], created["source"], created["status"]) == ("Nimbus Labs", "mail", "applied")


def test_interview_offer_and_assessment_become_their_events(store, acme):
    events = {}
    for name, expected in (
        ("lever_phone_screen", "screen"),
        ("ashby_final_round_html", "final"),
        ("offer_en", "offer"),
        ("hackerrank_invite", "screen"),
        ("interview_thanks_next_round", "interview"),
    ):
        store.mail.record(scan_paths([FIXTURES / f"{name}.eml"], apps_of(store)).findings)
        (row,) = store.mail.findings()
        done = store.mail.confirm_one(row["id"])
        events[name] = (done["event"], store.applications.timeline(done["application_id"]).iloc[-1]["kind"])
        assert events[name] == (expected, expected), name
    assert store.mail.findings() == []


def test_editing_a_proposal_before_confirming(store, acme):
    other = store.applications.add("Globex", "Analyst", "referral", dt.date(2026, 11, 2))
    store.mail.record(pasted(store).findings)
    (row,) = store.mail.findings()
    store.mail.edit(row["id"], "rejection", "Globex", "Analyst", other, "They wanted Go.")
    store.mail.confirm_one(row["id"])
    assert store.applications.timeline(other).iloc[-1]["reason"] == "They wanted Go."
    assert store.applications.get(acme)["status"] == "interview"


def test_findings_are_per_user(db, acme):
    alice, bob = Store(db, "local"), Store(db, "bob")
    alice.mail.record(pasted(alice).findings)
    assert bob.mail.findings() == [] and bob.mail.known([alice.mail.findings()[0]["message_key"]]) == {}
    assert bob.mail.record(pasted(bob).findings) == 1  # bob's own copy of the same mail
    with pytest.raises(ValidationError):
        bob.mail.confirm_one(alice.mail.findings()[0]["id"])


def test_delete_all_my_data_removes_findings(store, acme):
    store.mail.record(pasted(store).findings)
    assert store.account.delete_all_data().get("mail_findings") == 1


def test_confirming_a_rejection_already_logged_that_day_adds_no_second_one(store, acme):
    """The double rejection (issue 23): "Rejected" logged on Outcomes, then the same rejection
    confirmed from the mail. The timeline keeps one; the finding is done, pointing at it."""
    logged = store.applications.add_event(
        acme, "rejected", dt.date(2026, 11, 22), stage="interview", today=dt.date(2026, 11, 30)
    )
    store.mail.record(pasted(store).findings)
    (row,) = store.mail.findings()
    done = store.mail.confirm_one(row["id"], today=dt.date(2026, 11, 30))
    assert store.applications.timeline(acme)["kind"].tolist().count("rejected") == 1
    assert done["already"] == "Already on the timeline: Rejected on 22 Nov 2026"
    assert done["event_id"] == logged and not done["created_application"]
    assert store.mail.findings() == []  # not left waiting: confirmed, against the event already there
    assert store.mail.findings("confirmed")[0]["event_id"] == logged


def test_an_interview_mail_for_a_day_already_logged_is_that_interview(store, acme):
    store.mail.record(scan_paths([FIXTURES / "interview_thanks_next_round.eml"], apps_of(store)).findings)
    (row,) = store.mail.findings()
    store.mail.edit(row["id"], "interview", row["company"], row["role"], acme, None)
    first = store.mail.confirm_one(row["id"])
    assert not first["already"]
    timeline = store.applications.timeline(acme)
    assert timeline.query("kind == 'interview'")["round"].tolist() == [1, 2]  # numbered by the outcomes command
