"""Findings as proposals: idempotent, user-scoped, confirmed in one transaction, dismissed for good."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rebound.mail.parse import parse_pasted
from rebound.mail.scan import scan_items, scan_paths
from rebound.errors import ValidationError
from rebound.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "mail"
REJECTION = ("Hi Sam,\n\nThank you for interviewing for the Data Analyst role. Unfortunately we have decided to move "
             "forward with other candidates, as the role requires more SQL experience.\n")


def apps_of(store):
    return store.applications()[["id", "company", "role", "status", "applied_on"]].to_dict("records")


def pasted(store, text=REJECTION, sender="Acme Recruiting <jobs@acme.com>", subject="Your application"):
    return scan_items([parse_pasted(text, subject=subject, sender=sender, today=dt.date(2026, 11, 22))], apps_of(store))


@pytest.fixture
def acme(store):
    app_id = store.add_application("Acme, Inc.", "Data Analyst", "referral", dt.date(2026, 11, 1))
    store.add_event(app_id, "interview", dt.date(2026, 11, 10), round=1)
    return app_id


def test_scanning_the_same_mail_twice_proposes_nothing_new(store, acme):
    first = scan_paths([FIXTURES], apps_of(store))
    assert store.record_mail_findings(first.findings) == len(first.findings) > 40
    again = scan_paths([FIXTURES], apps_of(store))
    assert store.record_mail_findings(again.findings) == 0
    assert len(store.mail_findings()) == len(first.findings)


def test_a_dismissed_finding_stays_dismissed(store, acme):
    store.record_mail_findings(pasted(store).findings)
    (row,) = store.mail_findings()
    assert store.dismiss_mail_findings([row["id"]]) == 1
    store.record_mail_findings(pasted(store).findings)
    assert store.mail_findings() == []
    assert store.mail_known([row["message_key"]])[row["message_key"]]["status"] == "dismissed"
    with pytest.raises(ValidationError, match="already"):
        store.confirm_mail_finding(row["id"])


def test_only_what_a_finding_needs_is_stored(store, acme):
    store.record_mail_findings(pasted(store).findings)
    cols = [c["name"] for c in store.table_columns("mail_findings")]
    assert "body" not in cols
    (row,) = store.mail_findings()
    assert row["sentence"].startswith("Unfortunately we have decided")
    assert row["reason"] == row["sentence"]  # "as the role requires…" is in the deciding sentence
    stored = " ".join(str(v) for v in row.values())
    assert "Hi Sam" not in stored  # the rest of the body is not kept


def test_confirming_a_rejection_writes_the_event_with_stage_and_reason(store, acme):
    store.record_mail_findings(pasted(store).findings)
    (row,) = store.mail_findings()
    assert row["application_id"] == acme and row["app_company"] == "Acme, Inc."
    done = store.confirm_mail_finding(row["id"], today=dt.date(2026, 11, 30))
    assert done["event"] == "rejected" and done["application_id"] == acme and not done["created_application"]
    timeline = store.timeline(acme)
    last = timeline.iloc[-1]
    assert (last["kind"], last["stage"], last["happened_on"].date()) == ("rejected", "interview", dt.date(2026, 11, 22))
    assert "more SQL experience" in last["reason"]
    assert store.application(acme)["status"] == "rejected"
    assert store.mail_findings("confirmed")[0]["event_id"] == done["event_id"]


def test_confirming_is_one_transaction_all_or_nothing(store, acme):
    store.record_mail_findings(pasted(store).findings)
    store.record_mail_findings(pasted(store, "Thank you for applying!", sender="Nobody", subject="").findings)
    rows = store.mail_findings()
    assert len(rows) == 2
    nameless = next(r for r in rows if r["kind"] == "received")
    store.edit_mail_finding(nameless["id"], "received", "", "", None, None)  # no company, no application
    with pytest.raises(ValidationError, match="names no company"):
        store.confirm_mail_findings([r["id"] for r in rows])
    assert len(store.mail_findings()) == 2 and store.application(acme)["status"] == "interview"  # nothing landed


def test_an_unmatched_finding_creates_its_application_on_confirming(store):
    result = scan_paths([FIXTURES / "linkedin_sent.eml"], apps_of(store))
    store.record_mail_findings(result.findings)
    (row,) = store.mail_findings()
    assert row["application_id"] is None and row["company"] == "Nimbus Labs"
    done = store.confirm_mail_finding(row["id"])
    assert done["created_application"] and done["event"] is None
    created = store.application(done["application_id"])
    assert (created["company"], created["source"], created["status"]) == ("Nimbus Labs", "mail", "applied")


def test_interview_offer_and_assessment_become_their_events(store, acme):
    events = {}
    for name, expected in (("lever_phone_screen", "screen"), ("ashby_final_round_html", "final"),
                           ("offer_en", "offer"), ("hackerrank_invite", "screen"), ("interview_thanks_next_round", "interview")):
        store.record_mail_findings(scan_paths([FIXTURES / f"{name}.eml"], apps_of(store)).findings)
        (row,) = store.mail_findings()
        done = store.confirm_mail_finding(row["id"])
        events[name] = (done["event"], store.timeline(done["application_id"]).iloc[-1]["kind"])
        assert events[name] == (expected, expected), name
    assert store.mail_findings() == []


def test_editing_a_proposal_before_confirming(store, acme):
    other = store.add_application("Globex", "Analyst", "referral", dt.date(2026, 11, 2))
    store.record_mail_findings(pasted(store).findings)
    (row,) = store.mail_findings()
    store.edit_mail_finding(row["id"], "rejection", "Globex", "Analyst", other, "They wanted Go.")
    store.confirm_mail_finding(row["id"])
    assert store.timeline(other).iloc[-1]["reason"] == "They wanted Go."
    assert store.application(acme)["status"] == "interview"


def test_findings_are_per_user(db, acme):
    alice, bob = Store(db, "local"), Store(db, "bob")
    alice.record_mail_findings(pasted(alice).findings)
    assert bob.mail_findings() == [] and bob.mail_known([alice.mail_findings()[0]["message_key"]]) == {}
    assert bob.record_mail_findings(pasted(bob).findings) == 1  # bob's own copy of the same mail
    with pytest.raises(ValidationError):
        bob.confirm_mail_finding(alice.mail_findings()[0]["id"])


def test_delete_all_my_data_removes_findings(store, acme):
    store.record_mail_findings(pasted(store).findings)
    assert store.delete_all_data().get("mail_findings") == 1
