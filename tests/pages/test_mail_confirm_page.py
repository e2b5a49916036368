"""AppTest of the Data page's mail section (issue 25): "Confirm all" lists what it will do before it
writes anything, confirms exactly that, and one Undo puts it all back (or says what depends on it);
two tabs editing or confirming one proposal: the stale one is refused, nothing written twice."""

from __future__ import annotations

import datetime as dt

import pytest

from rebound.db import Database
from rebound.mail.parse import parse_pasted
from rebound.mail.scan import scan_items
from rebound.store import Store

REJECTION = "Unfortunately we will not be moving forward with your application, as we need more SQL experience."


def _stored(db_path) -> tuple[Database, Store]:
    import streamlit as st

    from rebound import ui

    st.cache_resource.clear()  # release the app's connection to the file
    ui.clear_cached()
    db = Database(db_path)
    return db, Store(db, "local")


def _read(db_path, read):
    db, store = _stored(db_path)
    try:
        return read(store)
    finally:
        db.close()


@pytest.fixture
def proposals(db_path):
    """Acme (interviewing) with a rejection from its mail, and a rejection from Globex (not logged yet)."""
    db = Database(db_path)
    store = Store(db, "local")
    acme = store.applications.add("Acme, Inc.", "Data Analyst", "referral", dt.date(2026, 11, 1))
    store.applications.add_event(acme, "interview", dt.date(2026, 11, 10), round=1)
    mails = [
        parse_pasted(REJECTION, subject="Your application", sender="Acme Recruiting <jobs@acme.com>"),
        parse_pasted(REJECTION, subject="Globex update", sender="Globex Talent <talent@globex.com>"),
    ]
    store.mail.record(scan_items(mails, store.mail.applications()).findings)
    ids = {r["company"]: r["id"] for r in store.mail.findings()}
    db.close()
    return acme, ids


def _button(at, label):
    return next(b for b in at.button if b.label == label)


def _said(at) -> str:
    return (
        " ".join(m.value for m in at.markdown)
        + " ".join(e.value for e in at.info)
        + " ".join(w.value for w in at.warning)
        + " ".join(e.value for e in at.error)
    )


def _everything(db_path):
    return _read(
        db_path,
        lambda s: {
            t: s.scope.rows(f"SELECT * FROM {t} WHERE user_id = $user ORDER BY id")
            for t in ("applications", "events", "mail_findings")
        },
    )


def test_confirm_all_shows_what_it_will_do_then_does_it_and_undo_puts_it_back(run_page, db_path, proposals):
    acme, _ = proposals
    before = _everything(db_path)
    at = run_page("pages/data.py", db_path)
    _button(at, "Confirm all 2").click().run()
    assert not at.exception
    preview = " ".join(m.value for m in at.markdown)
    assert "Before anything changes, this is what confirming will do" in preview
    assert "New application it will create (1):\n\n- Globex — Role not named in the mail · applied" in preview
    assert "Events it will add (2):" in preview
    assert (
        "- Rejected \\(at interview\\) on" in preview
        and "→ Acme, Inc\\. — Data Analyst · applied 1 Nov 2026" in preview
    )
    assert _everything(db_path) == before  # asked, nothing written yet
    _button(at, "Confirm 2").click().run()
    assert not at.exception
    assert _read(db_path, lambda s: (s.applications.count(), s.applications.get(acme)["status"])) == (2, "rejected")
    assert "You confirmed 2 updates from your mail, created 1 application and added 2 events." in _said(at)
    _button(at, "Undo").click().run()
    assert not at.exception
    after = _everything(db_path)
    assert after["applications"] == before["applications"] and after["events"] == before["events"]
    assert _read(db_path, lambda s: len(s.mail.findings())) == 2  # waiting again
    assert "Undo" not in [b.label for b in at.button]


def test_cancel_leaves_everything_as_it_was(run_page, db_path, proposals):
    before = _everything(db_path)
    at = run_page("pages/data.py", db_path)
    _button(at, "Confirm all 2").click().run()
    _button(at, "Cancel").click().run()
    assert "Before anything changes" not in " ".join(m.value for m in at.markdown)
    assert _everything(db_path) == before


def test_undo_refused_names_the_application_edited_since(run_page, db_path, proposals):
    at = run_page("pages/data.py", db_path)
    _button(at, "Confirm all 2").click().run()
    _button(at, "Confirm 2").click().run()
    db, store = _stored(db_path)
    globex = next(int(i) for i, c in store.applications.all()[["id", "company"]].values if c == "Globex")
    app = store.applications.get(globex)
    store.applications.update(globex, "Globex", "Analyst", "other", app["applied_on"].date())
    db.close()
    before = _everything(db_path)
    _button(at, "Undo").click().run()
    assert not at.exception
    said = " ".join(e.value for e in at.error)
    assert "You edited Globex — Analyst since it was created from your mail" in said
    assert "Nothing was undone" in said
    assert _everything(db_path) == before


def test_confirm_all_after_another_tab_changed_the_timeline_shows_the_new_list(run_page, db_path, proposals):
    acme, _ = proposals
    at = run_page("pages/data.py", db_path)
    _button(at, "Confirm all 2").click().run()
    db, store = _stored(db_path)  # another tab logs Acme's rejection meanwhile
    store.applications.add_event(acme, "rejected", store.mail.findings()[0]["mail_date"], stage="interview")
    db.close()
    before = _everything(db_path)
    _button(at, "Confirm 2").click().run()
    assert not at.exception
    assert "Something changed since this list was shown" in " ".join(w.value for w in at.warning)
    assert _everything(db_path) == before
    assert "Already on the timeline, not added again:" in " ".join(m.value for m in at.markdown)


def test_a_proposal_confirmed_in_another_tab_is_not_written_twice(run_page, db_path, proposals):
    acme, ids = proposals
    tab_a, tab_b = run_page("pages/data.py", db_path), run_page("pages/data.py", db_path)
    _button(tab_b, "Confirm all 2").click().run()  # tab B shows the list of what it will do
    tab_a.button(key=f"mail_data_yes_{ids['Acme, Inc.']}").click().run()  # tab A confirms Acme's meanwhile
    assert not tab_a.exception
    before = _everything(db_path)
    _button(tab_b, "Confirm 2").click().run()
    assert not tab_b.exception
    said = " ".join(w.value for w in tab_b.warning).replace("\\", "")  # shown escaped: the subject is mail text
    assert "“Your application” was already confirmed (in another tab or window?); nothing was added twice" in said
    assert _everything(db_path) == before
    assert "Confirm 1" in [b.label for b in tab_b.button]  # the list as it is now: Globex's only
    assert f"mail_data_yes_{ids['Acme, Inc.']}" not in [b.key for b in tab_b.button]  # its row is gone too
    assert _read(db_path, lambda s: s.applications.timeline(acme)["kind"].tolist().count("rejected")) == 1


def _edit_reason(at, finding_id, text):
    if not [t for t in at.text_area if t.label == "Reason they gave (rejections)"]:
        at.button(key=f"mail_data_edit_{finding_id}").click().run()
    next(t for t in at.text_area if t.label == "Reason they gave (rejections)").input(text)
    _button(at, "Save changes").click().run()


def test_two_tabs_editing_one_proposal_the_stale_save_shows_both(run_page, db_path, proposals):
    acme, ids = proposals
    fid = ids["Acme, Inc."]
    tab_a, tab_b = run_page("pages/data.py", db_path), run_page("pages/data.py", db_path)
    for tab in (tab_a, tab_b):
        tab.button(key=f"mail_data_edit_{fid}").click().run()
    _edit_reason(tab_a, fid, "Reason from tab A")
    assert not tab_a.exception
    _edit_reason(tab_b, fid, "Reason from tab B")
    assert not tab_b.exception
    said = " ".join(w.value for w in tab_b.warning) + " ".join(m.value for m in tab_b.markdown)
    assert "Not saved: changed in another tab or window at" in said and "Reason from tab A" in said
    assert "Reason from tab B" in said
    reason = _read(db_path, lambda s: next(r["reason"] for r in s.mail.findings() if r["id"] == fid))
    assert reason == "Reason from tab A"  # the stale save wrote nothing
    _button(tab_b, "Keep mine").click().run()
    assert not tab_b.exception
    reason = _read(db_path, lambda s: next(r["reason"] for r in s.mail.findings() if r["id"] == fid))
    assert reason == "Reason from tab B"
    # the application it is about stays the one it was (the conflict named it, never an id)
    assert _read(db_path, lambda s: next(r["application_id"] for r in s.mail.findings() if r["id"] == fid)) == acme


def test_confirm_on_a_proposal_another_tab_decided_says_so(run_page, db_path, proposals):
    acme, ids = proposals
    tab_a, tab_b = run_page("pages/data.py", db_path), run_page("pages/data.py", db_path)
    tab_a.button(key=f"mail_data_yes_{ids['Acme, Inc.']}").click().run()
    tab_a.button(key=f"mail_data_no_{ids['Globex']}").click().run()
    before = _everything(db_path)
    tab_b.button(key=f"mail_data_yes_{ids['Acme, Inc.']}").click().run()  # still shown in tab B
    assert not tab_b.exception
    said = " ".join(i.value for i in tab_b.info).replace("\\", "")
    assert "Decided in another tab or window meanwhile, so nothing was done twice" in said
    assert "“Your application” (confirmed)" in said and "“Globex update” (dismissed)" in said
    assert _everything(db_path) == before
    tab_b.run()
    assert "Decided in another tab" not in " ".join(i.value for i in tab_b.info)  # said once
    tab_a.run()
    assert "Decided in another tab" not in " ".join(i.value for i in tab_a.info)  # tab A decided them itself


def test_the_list_shows_hostile_names_literally(run_page, db_path, proposals):
    import re

    _, ids = proposals
    evil = '**Evil** <img src="http://evil.test/x.png"> [link](http://evil.test) $x^2$'
    db = Database(db_path)
    Store(db, "local").mail.edit(ids["Globex"], "rejection", evil, evil, None, None)
    db.close()
    at = run_page("pages/data.py", db_path)
    _button(at, "Confirm all 2").click().run()
    listed = [m.value for m in at.markdown if "evil" in m.value and "New application" in m.value]
    assert listed, "the new application is listed"
    for text in listed:
        assert not re.search(r"(?<!\\)<img", text) and not re.search(r"(?<!\\)\*\*Evil", text)
        assert not re.search(r"(?<!\\)\]\(http", text) and not re.search(r"(?<!\\)\$x", text)
