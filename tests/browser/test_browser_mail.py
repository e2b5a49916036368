"""Real browser: paste a rejection email on the Data page → confirm → the rejection lands on the
right application and the rejection flow opens for it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import wait_idle

from rebound.db import Database
from rebound.store import Store

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "bench-results" / "screens"

PASTED = """From: Acme Recruiting <jobs@acme.com>
Date: Fri, 20 Nov 2026 09:30:00 +0000

Hi Sam,

Thank you for interviewing with us for the Data Analyst role. After careful consideration we have
decided to move forward with other candidates, as the role needs more experience with dbt.

On Mon, 16 Nov 2026, Sam <sam@example.org> wrote:
> Looking forward to hearing from you!
"""


@pytest.fixture
def two_applications(db_path):
    db = Database(db_path)
    store = Store(db, "local")
    acme = store.applications.add("Acme, Inc.", "Data Analyst", "referral", dt.date(2026, 11, 1))
    store.applications.add_event(acme, "interview", dt.date(2026, 11, 12), round=1)
    globex = store.applications.add("Globex", "Data Analyst", "job board", dt.date(2026, 11, 3))
    db.close()
    return acme, globex


@pytest.mark.parametrize("width", [1400, 390])
def test_paste_a_rejection_confirm_it_and_the_flow_opens(two_applications, app_server, page, db_path, width):
    acme, globex = two_applications
    page.set_viewport_size({"width": width, "height": 1000 if width > 500 else 844})
    page.goto(f"{app_server.url}/data")
    wait_idle(page)
    page.get_by_text("Read mail: upload a mailbox or paste an email").click()
    wait_idle(page)
    page.get_by_role("tab", name="Paste an email").click()
    page.get_by_label("Subject").fill("Your application to Acme")
    page.get_by_label("The email's text").fill(PASTED)
    page.get_by_role("button", name="Read this email").click()
    wait_idle(page)
    proposal = page.get_by_text("Rejected by Acme, Inc. (Data Analyst) on 20 Nov 2026")
    proposal.wait_for()
    page.get_by_text("more experience with dbt").first.wait_for()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"mail-proposal-{width}.png"), full_page=False)

    page.get_by_role("button", name="Confirm", exact=True).click()
    wait_idle(page)
    page.get_by_text("That's a hard one.").wait_for()
    page.screenshot(path=str(SHOTS / f"mail-confirmed-{width}.png"), full_page=False)
    page.get_by_text("Take a few minutes now").click()
    wait_idle(page)
    page.get_by_text("Step 1 of 5").first.wait_for()

    app_server.stop()  # release the file so the test can read it
    db = Database(db_path)
    store = Store(db, "local")
    try:
        assert store.applications.get(acme)["status"] == "rejected"
        last = store.applications.timeline(acme).iloc[-1]
        assert (last["kind"], last["stage"], last["happened_on"].date()) == (
            "rejected",
            "interview",
            dt.date(2026, 11, 20),
        )
        assert "more experience with dbt" in last["reason"]
        assert store.applications.get(globex)["status"] == "applied"
        (finding,) = store.mail.findings("confirmed")
        assert finding["application_id"] == acme and finding["event_id"] == int(last["id"])
    finally:
        db.close()


def test_upload_a_mailbox_with_a_bad_file_beside_it_then_confirm_all(app_server, page, db_path, tmp_path):
    fixtures = Path(__file__).parents[1] / "fixtures" / "mail"
    mbox = tmp_path / "Takeout.mbox"
    mbox.write_bytes(
        b"".join(
            b"From x Mon Nov 23 10:00:00 2026\n" + (fixtures / f"{n}.eml").read_bytes() + b"\n\n"
            for n in ("lever_phone_screen", "job_alert_unfortunately", "offer_en")
        )
    )
    broken = tmp_path / "photo.mbox"
    broken.write_bytes(bytes(range(256)) * 40)
    page.goto(f"{app_server.url}/data")
    wait_idle(page)
    page.get_by_text("Read mail: upload a mailbox or paste an email").click()
    wait_idle(page)
    page.locator("input[type='file']").first.set_input_files([str(mbox), str(broken)])
    wait_idle(page)
    page.get_by_role("button", name="Read this mail").click()
    wait_idle(page)
    page.get_by_text("Read 3 messages: 2 about your job search, 2 new.").wait_for()
    page.get_by_text("1 thing could not be read exactly").click()
    page.get_by_text("photo.mbox is not a mailbox: it looks like a binary file").wait_for()
    page.get_by_text("Screen invitation from Nimbus Labs").first.wait_for()
    page.get_by_text("Offer from Hooli").first.wait_for()
    page.get_by_role("button", name="Confirm all 2").click()
    wait_idle(page)
    preview = page.locator(".st-key-mail_data_preview")  # what it will do, shown before anything changes
    preview.get_by_text("Before anything changes, this is what confirming will do").wait_for()
    preview.get_by_role("button", name="Confirm 2").click()
    wait_idle(page)
    page.get_by_text("Confirmed 2 updates from your mail").first.wait_for()  # the toast, and the Undo offer

    app_server.stop()
    db = Database(db_path)
    store = Store(db, "local")
    try:
        apps = {r["company"]: r["status"] for r in store.mail.applications()}
        assert apps == {"Nimbus Labs": "screen", "Hooli": "offer"}  # created from the mail, then their events
        assert store.mail.findings() == []
    finally:
        db.close()


DISCOUNT = """From: Example Store <deals@example.com>
Date: Fri, 20 Nov 2026 09:30:00 +0000

Hi Sam,

We are pleased to offer you 20% off your next order. Use code SAVE20 at checkout before Sunday.
"""

DUTCH_REJECTION = """From: Lindeboom Verzekeringen <lindeboom@myworkday.com>
Date: Mon, 23 Nov 2026 10:00:00 +0000

Beste Sam,

Hartelijk dank voor uw sollicitatie op de functie Actuarieel analist bij Lindeboom.

Na zorgvuldige overweging hebben wij besloten uw sollicitatie niet verder in behandeling te nemen. De functie
vereist een afgeronde actuariële opleiding.

Met vriendelijke groet,
Recruitment Lindeboom
"""


def test_a_discount_offer_proposes_nothing_and_a_dutch_rejection_quotes_its_reason(app_server, page, db_path):
    """Issue 26: "pleased to offer you 20% off" was proposed as a job offer from "Example"."""
    db = Database(db_path)
    lindeboom = Store(db, "local").applications.add(
        "Lindeboom", "Actuarieel analist", "job board", dt.date(2026, 11, 2)
    )
    db.close()
    page.goto(f"{app_server.url}/data")
    wait_idle(page)
    page.get_by_text("Read mail: upload a mailbox or paste an email").click()
    wait_idle(page)
    page.get_by_role("tab", name="Paste an email").click()
    page.get_by_label("Subject").fill("Your exclusive offer")
    page.get_by_label("The email's text").fill(DISCOUNT)
    page.get_by_role("button", name="Read this email").click()
    wait_idle(page)
    page.get_by_text("not about a job application", exact=False).wait_for()  # says why, keeps nothing
    page.get_by_text("Nothing was kept.", exact=False).wait_for()
    assert page.get_by_text("Offer from").count() == 0 and page.get_by_role("button", name="Confirm all").count() == 0

    page.get_by_label("Subject").fill("Uw sollicitatie bij Lindeboom")
    page.get_by_label("The email's text").fill(DUTCH_REJECTION)
    page.get_by_role("button", name="Read this email").click()
    wait_idle(page)
    page.get_by_text("Rejected by Lindeboom (Actuarieel analist) on 23 Nov 2026").wait_for()
    page.get_by_text("De functie vereist een afgeronde actuariële opleiding.").first.wait_for()

    app_server.stop()
    db = Database(db_path)
    try:
        (finding,) = Store(db, "local").mail.findings()
        assert finding["application_id"] == lindeboom and finding["kind"] == "rejection"
    finally:
        db.close()
