"""AppTest of mail proposals on Today, Outcomes and the Data page."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import open_page

from rebound.db import Database
from rebound.mail.parse import parse_pasted
from rebound.mail.scan import scan_items
from rebound.store import Store

REJECTION = "Unfortunately we will not be moving forward with your application, as we need more SQL experience."


def propose(store, *mails):
    apps = store.applications.all()[["id", "company", "role", "status", "applied_on"]].to_dict("records")
    return store.mail.record(scan_items(list(mails), apps).findings)


@pytest.fixture
def with_proposals(db_path):
    """Acme (interviewing) with a rejection from mail, and an interview invitation from a company not yet logged."""
    db = Database(db_path)
    store = Store(db, "local")
    acme = store.applications.add("Acme, Inc.", "Data Analyst", "referral", dt.date(2026, 11, 1))
    store.applications.add_event(acme, "interview", dt.date(2026, 11, 10), round=1)
    propose(
        store,
        parse_pasted(REJECTION, subject="Your application", sender="Acme Recruiting <jobs@acme.com>"),
        parse_pasted(
            "We'd like to invite you to an interview *next week*.",
            subject="Next steps",
            sender="Nimbus Labs <jobs@nimbus.io>",
        ),
    )
    db.close()
    return db_path, acme


def read_store(path):
    db = Database(path)
    return db, Store(db, "local")


def test_today_says_how_many_updates_came_from_mail(run_page, with_proposals):
    path, _ = with_proposals
    at = run_page("pages/today.py", path)
    links = [el.proto.label for el in at.get("page_link")]
    assert "2 updates from your mail" in links


def test_data_page_lists_proposals_escaped_and_confirms_a_rejection(run_page, with_proposals):
    path, acme = with_proposals
    db, store = read_store(path)
    rejection_id = next(r["id"] for r in store.mail.findings() if r["kind"] == "rejection")
    db.close()
    at = run_page("pages/data.py", path)
    text = " ".join(m.value for m in at.markdown)
    assert "Rejected by Acme, Inc\\. \\(Data Analyst\\)" in text
    assert "Interview invitation from Nimbus Labs" in text
    assert "*next week*" not in text  # mail text never reaches the screen raw
    at.button(key=f"mail_data_yes_{rejection_id}").click().run()
    assert not at.exception
    assert at.session_state["rejection_flow"]["application_id"] == acme  # the flow is offered for Acme
    assert any("Take a few minutes now" in el.proto.label for el in at.get("page_link"))
    db, store = read_store_after(at, path)
    try:
        assert store.applications.get(acme)["status"] == "rejected"
        assert "more SQL experience" in store.applications.timeline(acme).iloc[-1]["reason"]
        assert [r["kind"] for r in store.mail.findings()] == ["interview"]
    finally:
        db.close()


def read_store_after(at, path):
    import streamlit as st

    from rebound import ui

    st.cache_resource.clear()  # release the app's connection to the file
    ui.clear_cached()
    return read_store(path)


def test_dismiss_all_on_outcomes_and_nothing_comes_back(run_page, with_proposals):
    path, acme = with_proposals
    at = run_page("pages/outcomes.py", path)
    box = next(e for e in at.expander if "2 updates from your mail" in e.label)
    assert box is not None
    at.session_state["outcomes_mail"] = True  # open the folded list
    at.run()
    next(b for b in at.button if b.label == "Dismiss all").click().run()
    assert not at.exception
    db, store = read_store_after(at, path)
    try:
        assert store.mail.findings() == [] and store.applications.get(acme)["status"] == "interview"
        again = propose(
            store, parse_pasted(REJECTION, subject="Your application", sender="Acme Recruiting <jobs@acme.com>")
        )
        assert again == 0  # dismissed stays dismissed
    finally:
        db.close()


def test_rejections_can_wait_for_one_calm_batch(run_page, with_proposals):
    path, _ = with_proposals
    db, store = read_store(path)
    store.settings.set("mail_rejections_batch", "1")
    db.close()
    at = run_page("pages/today.py", path)
    assert "1 update from your mail" in [el.proto.label for el in at.get("page_link")]
    open_page(at, "pages/data.py")
    at.run()
    text = " ".join(m.value for m in at.markdown)
    assert "1 rejection found in your mail" in text and "Rejected by" not in text
    next(b for b in at.button if b.label == "Go through them now").click().run()
    assert "Rejected by Acme" in " ".join(m.value for m in at.markdown)


def test_hostile_mail_text_is_shown_literally(run_page, db_path):
    import re

    evil = '<img src="http://evil.test/x.png"> **bold** [link](http://evil.test) $x^2$'
    db = Database(db_path)
    store = Store(db, "local")
    store.applications.add("Acme", "Analyst", "referral", dt.date(2026, 11, 1))
    propose(
        store,
        parse_pasted(
            f"Unfortunately we will not be moving forward, because {evil}.",
            subject=f"Re {evil}",
            sender=f"Acme {evil} <jobs@acme.com>",
        ),
    )
    db.close()
    at = run_page("pages/data.py", db_path)
    shown = [m.value for m in at.markdown] + [c.value for c in at.caption]
    mail_texts = [t for t in shown if "evil" in t]
    assert mail_texts, "the finding is listed"
    for text in mail_texts:
        assert not re.search(r"(?<!\\)<img", text) and not re.search(r"(?<!\\)\*\*bold", text)
        assert not re.search(r"(?<!\\)\]\(http", text) and not re.search(r"(?<!\\)\$x", text)


def test_confirming_a_rejection_on_outcomes_offers_the_flow_there(run_page, with_proposals):
    path, acme = with_proposals
    db, store = read_store(path)
    rejection_id = next(r["id"] for r in store.mail.findings() if r["kind"] == "rejection")
    db.close()
    at = run_page("pages/outcomes.py", path)
    at.session_state["outcomes_mail"] = True
    at.run()
    at.button(key=f"mail_outcomes_yes_{rejection_id}").click().run()
    assert not at.exception
    assert at.session_state["rejection_flow"]["application_id"] == acme
    assert "That one stings" in " ".join(m.value for m in at.markdown)


def test_edit_a_proposal_to_another_application_then_confirm(run_page, with_proposals):
    path, acme = with_proposals
    db, store = read_store(path)
    globex = store.applications.add("Globex", "Analyst", "referral", dt.date(2026, 11, 2))
    rejection_id = next(r["id"] for r in store.mail.findings() if r["kind"] == "rejection")
    db.close()
    at = run_page("pages/data.py", path)
    at.button(key=f"mail_data_edit_{rejection_id}").click().run()
    form_boxes = [s for s in at.selectbox if s.label == "Application"]
    assert form_boxes, "the edit form opened"
    form_boxes[0].set_value(globex)
    next(t for t in at.text_area if t.label == "Reason they gave (rejections)").input("They hired internally.")
    next(b for b in at.button if b.label == "Save changes").click().run()
    assert not at.exception
    assert "Rejected by Globex \\(Analyst\\)" in " ".join(m.value for m in at.markdown)
    at.button(key=f"mail_data_yes_{rejection_id}").click().run()
    db, store = read_store_after(at, path)
    try:
        assert store.applications.get(globex)["status"] == "rejected"
        assert store.applications.timeline(globex).iloc[-1]["reason"] == "They hired internally."
        assert store.applications.get(acme)["status"] == "interview"
    finally:
        db.close()


@pytest.mark.parametrize("change_application", [False, True])
def test_edit_keeps_the_application_the_proposal_was_about(run_page, db_path, change_application):
    """The issue's misfile: the same company and role applied to many times (imported re-applications);
    Edit, change only the reason, Confirm: the rejection lands on the application the proposal named,
    not the oldest with the same name. Picking another one explicitly files it there."""
    db = Database(db_path)
    store = Store(db, "local")
    days = [dt.date(2025, 8, 5), dt.date(2025, 11, 3), dt.date(2026, 3, 9), dt.date(2026, 10, 1)]
    ids = [store.applications.add("Stark Industries", "Data Analyst", "job board", d) for d in days]
    propose(store, parse_pasted(REJECTION, subject="Your application", sender="Stark Industries <jobs@stark.com>"))
    (finding,) = store.mail.findings()
    newest, other = ids[-1], ids[1]
    assert finding["application_id"] == newest  # matched to the newest, as the issue saw
    db.close()
    at = run_page("pages/data.py", path := db_path)
    at.button(key=f"mail_data_edit_{finding['id']}").click().run()
    box = next(s for s in at.selectbox if s.label == "Application")
    assert box.value == newest
    labels = list(box.options)  # what the user reads
    assert len(set(labels)) == len(labels), "every option reads differently"
    assert "Stark Industries — Data Analyst · applied 1 Oct 2026 · Applied" in labels
    if change_application:
        box.set_value(other)
    next(t for t in at.text_area if t.label == "Reason they gave (rejections)").input("They hired internally.")
    next(b for b in at.button if b.label == "Save changes").click().run()
    assert not at.exception
    at.button(key=f"mail_data_yes_{finding['id']}").click().run()
    assert not at.exception
    db, store = read_store_after(at, path)
    try:
        filed = other if change_application else newest
        assert store.applications.get(filed)["status"] == "rejected"
        assert store.applications.timeline(filed).iloc[-1]["reason"] == "They hired internally."
        assert [store.applications.get(i)["status"] for i in ids if i != filed] == ["applied"] * 3
    finally:
        db.close()
