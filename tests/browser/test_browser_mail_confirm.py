"""Real Chromium (issue 25 items 2 and 5): "Confirm all" on the Data page first lists what it will do
(the application it will create, the events on which application), then confirms, and one Undo puts
it all back; two tabs editing the same timeline event: the stale save is refused, both shown, kept
on request. Screenshots of the list at desktop and phone width, light and dark."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import page_says, wait_idle

from rebound.dates import fmt_date
from rebound.db import Database
from rebound.mail.parse import parse_pasted
from rebound.mail.scan import scan_items
from rebound.store import Store

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "bench-results" / "screens"
REJECTION = "Unfortunately we will not be moving forward with your application, as we need more SQL experience."


@pytest.fixture
def proposals(db_path):
    """Acme (interviewing) with a rejection from its mail, and a rejection from Globex (not logged):
    dates relative to the real today (the server runs on the real clock)."""
    today = dt.date.today()
    db = Database(db_path)
    store = Store(db, "local")
    applied = today - dt.timedelta(days=30)
    acme = store.applications.add("Acme, Inc.", "Data Analyst", "referral", applied)
    store.applications.add_event(acme, "interview", today - dt.timedelta(days=20), round=1)
    mails = [
        parse_pasted(REJECTION, subject="Your application", sender="Acme Recruiting <jobs@acme.com>", today=today),
        parse_pasted(REJECTION, subject="Globex update", sender="Globex Talent <talent@globex.com>", today=today),
    ]
    store.mail.record(scan_items(mails, store.mail.applications()).findings)
    db.close()
    return acme, applied


def _open_preview(page, url):
    page.goto(f"{url}/data")
    # a server's first run imports everything: on a loaded machine it can outlast wait_idle's 30 s
    confirm_all = page.get_by_role("button", name="Confirm all 2")
    confirm_all.wait_for(timeout=120_000)
    wait_idle(page)
    confirm_all.click()
    wait_idle(page)
    box = page.locator(".st-key-mail_data_preview")
    box.wait_for()
    return box


def test_confirm_all_lists_what_it_will_do_confirms_and_undo_restores(proposals, app_server, browser, db_path):
    acme, applied = proposals
    SHOTS.mkdir(parents=True, exist_ok=True)
    for scheme in ("light", "dark"):
        for width, height in ((1400, 1000), (390, 844)):
            context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
            try:
                page = context.new_page()
                page.set_default_timeout(20_000)
                box = _open_preview(page, app_server.url)
                text = box.inner_text()
                assert "Before anything changes, this is what confirming will do" in text, page_says(page)
                assert "New application it will create (1):" in text and "Globex — Role not named in the mail" in text
                assert "Events it will add (2):" in text
                assert f"→ Acme, Inc. — Data Analyst · applied {fmt_date(applied)}" in text
                box.scroll_into_view_if_needed()
                page.screenshot(path=str(SHOTS / f"mail-confirm-preview-{scheme}-{width}.png"))
            finally:
                context.close()

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        page.set_default_timeout(20_000)
        box = _open_preview(page, app_server.url)
        box.get_by_role("button", name="Confirm 2").click()
        wait_idle(page)
        done = page.get_by_text("You confirmed 2 updates from your mail, created 1 application and added 2 events.")
        done.wait_for(), page_says(page)
        assert page.get_by_role("button", name="Confirm all 2").count() == 0
        page.get_by_role("button", name="Undo").click()
        wait_idle(page)
        page.get_by_text("Undone:").first.wait_for()
        page.get_by_role("button", name="Confirm all 2").wait_for()  # both waiting again
    finally:
        context.close()
    app_server.stop()  # release the file so the test can read it
    db = Database(db_path)
    try:
        store = Store(db, "local")
        assert store.applications.count() == 1  # Globex's application is gone again
        assert store.applications.timeline(acme)["kind"].tolist() == ["applied", "interview"]
        assert {r["status"] for r in store.mail.findings(None)} == {"proposed"}
    finally:
        db.close()


@pytest.fixture
def rejected(db_path):
    today = dt.date.today()
    db = Database(db_path)
    store = Store(db, "local")
    app = store.applications.add("Acme", "Data Analyst", "job board", today - dt.timedelta(days=10))
    event = store.applications.add_event(app, "rejected", today - dt.timedelta(days=2), stage="applied", reason="Old")
    db.close()
    return event


def _edit_event(tab, url, event):
    tab.goto(f"{url}/outcomes")
    tab.get_by_role("heading", name="Acme — Data Analyst").wait_for(timeout=120_000)
    wait_idle(tab)
    tab.locator(f".st-key-outcomes_edit_ev_{event} button").first.click()  # (a redraw may briefly hold two)
    wait_idle(tab)
    return tab.get_by_label("Reason they gave (optional)")


def test_two_tabs_editing_one_event_the_stale_save_is_refused_and_kept(rejected, app_server, browser, db_path):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        first, second = context.new_page(), context.new_page()
        reason_a, reason_b = _edit_event(first, app_server.url, rejected), _edit_event(second, app_server.url, rejected)
        reason_a.fill("Reason from tab A")
        first.get_by_role("button", name="Save", exact=True).click()
        wait_idle(first)
        first.get_by_text("Reason from tab A").first.wait_for()
        reason_b.fill("Reason from tab B")
        second.get_by_role("button", name="Save", exact=True).click()
        wait_idle(second)
        main = second.get_by_test_id("stMain")
        main.get_by_text("Not saved: changed in another tab or window at").wait_for(), page_says(second)
        assert "Reason from tab A" in main.inner_text()
        assert "Entry saved" not in second.locator("body").inner_text()
        assert second.get_by_label("Reason they gave (optional)").input_value() == "Reason from tab B"  # not lost
        second.get_by_role("button", name="Keep mine", exact=True).click()
        wait_idle(second)
        second.get_by_text("Reason from tab B").first.wait_for()
    finally:
        context.close()
    app_server.stop()  # release the file
    db = Database(db_path)
    try:
        assert Store(db, "local").applications.get_event(rejected)["reason"] == "Reason from tab B"
    finally:
        db.close()
