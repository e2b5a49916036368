"""Real browser: CV versions on Outcomes and Progress. A version is named (its PDF kept), three
applications are logged with it, and the per-version table shows them; screenshots with 0, 1 and
many versions at phone and desktop width, light and dark (REBOUND_SHOTS: where to keep them)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from browser_helpers import full_height
from conftest import AppServer, wait_idle

from rebound.db import Database
from rebound.store import Store

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
LABEL = "v2 <b>after Initech</b> **bold**"
SECTION = "📄 Your CV and cover-letter versions"


def _open_versions(page) -> None:
    page.get_by_text(SECTION).click()
    wait_idle(page)


def test_a_version_added_three_applications_logged_with_it_and_the_table_shows_them(
    app_server, page, db_path, tmp_path
):
    page.goto(f"{app_server.url}/outcomes")
    wait_idle(page)
    _open_versions(page)
    page.get_by_label("Name of this version *").fill(LABEL)
    page.get_by_label("What changed, and why").fill("After Initech's feedback: SQL first.")
    cv = tmp_path / "cv.pdf"
    cv.write_bytes(PDF)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(cv))
    page.get_by_text("Keep a copy of the file in Rebound").click()
    page.get_by_role("button", name="Add version").click()
    wait_idle(page)
    page.get_by_text("File: cv.pdf").wait_for()
    assert page.get_by_text(f"CV: {LABEL}", exact=False).count() >= 1  # the label, literally
    assert page.locator("[data-testid='stMain'] b", has_text="after Initech").count() == 0  # no markup

    for company in ("Initech", "Hooli", "Umbrella"):
        page.goto(f"{app_server.url}/outcomes?do=add")
        wait_idle(page)
        page.get_by_label("Company *").fill(company)
        page.get_by_label("Role *").fill("Analyst")
        picker = page.locator(".st-key-add_version_cv")
        shown = picker.inner_text() + " ".join(i.input_value() for i in picker.locator("input").all())
        assert LABEL in shown, shown  # the newest version, chosen already
        page.get_by_role("button", name="Add application").click()
        wait_idle(page)
        page.get_by_role("heading", name=f"{company} — Analyst").wait_for()

    page.goto(f"{app_server.url}/outcomes")
    wait_idle(page)
    _open_versions(page)
    page.get_by_text("sent with 3 applications").wait_for()
    row = page.locator("[data-testid='stMain'] table tr", has_text=LABEL)
    assert row.count() == 1 and row.locator("td").nth(1).inner_text().strip() == "3", row.inner_text()

    page.goto(f"{app_server.url}/progress")
    wait_idle(page)
    page.get_by_role("tab", name="Funnel").click()
    wait_idle(page)
    page.get_by_text("Which version gets answers").wait_for()
    row = page.locator("[data-testid='stMain'] table tr", has_text=LABEL)
    assert row.count() == 1 and row.locator("td").nth(1).inner_text().strip() == "3"

    app_server.stop()  # release the file so the test can read it
    db = Database(db_path)
    store = Store(db, "local")
    (version,) = store.materials.all()
    assert version["applications"] == 3 and store.materials.file(version["id"]).data == PDF
    assert store.applications.all()["company"].tolist() == ["Umbrella", "Hooli", "Initech"]
    db.close()


def _versions(store, n: int, today: dt.date) -> None:
    if n == 0:
        store.applications.add("Initech", "Analyst", "referral", today - dt.timedelta(days=40))
        return
    labels = ["v1 — two pages", LABEL, "v3 — SQL projects first", "v4 — shorter summary"][:n]
    for i, label in enumerate(labels):
        vid = store.materials.add("cv", label, today - dt.timedelta(days=200 - 40 * i), f"Change {i + 1}", today=today)
        for j in range(3 + 4 * i):
            app = store.applications.add(
                f"Firm {i}-{j}", "Analyst", "job board", today - dt.timedelta(days=150 - 35 * i), cv_version_id=vid
            )
            if j % (4 - min(i, 2)) == 0:
                store.applications.add_event(app, "screen", today - dt.timedelta(days=140 - 35 * i))
            if j % 5 == 0 and i:
                store.applications.add_event(app, "interview", today - dt.timedelta(days=130 - 35 * i), round=1)
    if n > 1:
        store.materials.add("cover_letter", "Letter — warm opening", today - dt.timedelta(days=100), today=today)


@pytest.mark.parametrize("n", [0, 1, 4])
def test_screens_with_0_1_and_many_versions(browser, tmp_path, n):
    today = dt.date.today()  # the server's clock: browser tests keep the real one
    path = str(tmp_path / "m.duckdb")
    db = Database(path)
    _versions(Store(db, "local"), n, today)
    db.close()
    shots = Path(os.environ.get("REBOUND_SHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    server = AppServer(path)
    try:
        for width, height in ((1400, 1000), (390, 844)):
            for scheme in ("light", "dark"):
                context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
                page = context.new_page()
                page.set_default_timeout(60_000)
                try:
                    name = f"materials-{n}-{width}-{scheme}"
                    page.goto(f"{server.url}/outcomes")
                    wait_idle(page)
                    _open_versions(page)
                    tall = full_height(page, height)
                    page.screenshot(
                        path=str(shots / f"{name}-outcomes.png"), clip={"x": 0, "y": 0, "width": width, "height": tall}
                    )
                    assert page.locator("[data-testid='stException']").count() == 0
                    page.set_viewport_size({"width": width, "height": height})
                    page.goto(f"{server.url}/progress")
                    wait_idle(page)
                    page.get_by_role("tab", name="Funnel").click()
                    wait_idle(page)
                    page.get_by_text("Which version gets answers").scroll_into_view_if_needed()
                    tall = full_height(page, height)
                    page.screenshot(
                        path=str(shots / f"{name}-progress.png"), clip={"x": 0, "y": 0, "width": width, "height": tall}
                    )
                    assert page.locator("[data-testid='stException']").count() == 0
                    if n == 4:
                        assert page.get_by_text(f"CV: {LABEL}").count() == 1
                        assert page.locator("[data-testid='stMain'] b", has_text="after Initech").count() == 0
                finally:
                    context.close()
    finally:
        server.stop()
