"""Real browser: every importer's path through the Data page (upload → preview → mapping where
needed → import), checked in the database after the server has stopped.

The CLI imported these files fine while the page crashed on the mapping step (two widgets with one
key, `data_map_…_channel`): only the browser path catches that.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest
from conftest import wait_idle
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from rebound.db import Database
from rebound.store import Store

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).parents[1] / "fixtures"
LINKEDIN = ["Job Applications.csv", "Job Applications_1.csv", "Job Applications_2.csv"]
# the Import tab's uploader (the page has others: mail, restore), by the class Streamlit gives its key
UPLOAD = "[class*='st-key-data_import_files_'] [data-testid='stFileUploaderDropzoneInput']"


def linkedin_zip(tmp_path) -> Path:
    """A LinkedIn data export: the job files in Jobs/, among other files Rebound ignores."""
    path = tmp_path / "Basic_LinkedInDataExport_11-25-2026.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("Connections.csv", "First Name,Last Name\nAda,Lovelace\n")
        for name in LINKEDIN:
            z.writestr(f"Jobs/{name}", (FIXTURES / name).read_bytes())
    return path


def tracker_xlsx(tmp_path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Company", "Title", "Date applied", "Status", "Source"])
    ws.append(["Nimbus Data", "Data Analyst", dt.datetime(2024, 2, 1, 10, 0), "Rejected", "Referral"])
    ws.append(["Oakridge Public Library", "Data Librarian", dt.date(2024, 2, 3), None, None])
    ws.append(["Lyra Biotech", "Analyst", "not a date", None, None])
    path = tmp_path / "tracker.xlsx"
    wb.save(path)
    return path


def no_exception(page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0, page.locator(
        "[data-testid='stException']"
    ).first.inner_text()


def upload(page, url, paths) -> None:
    page.goto(url + "/data")
    wait_idle(page)
    page.get_by_text("Bring in your history").wait_for()
    page.locator(UPLOAD).set_input_files([str(p) for p in paths])
    wait_idle(page)
    no_exception(page)


def choose(page, label: str, option: str) -> None:
    """Pick `option` in the mapping form's select box labelled `label`. Right after another box
    closed, the first click on the next one only focuses it: click again if no list opened."""
    box, item = page.get_by_role("combobox", name=label), page.get_by_role("option", name=option, exact=True)
    box.click()
    try:
        item.wait_for(timeout=2_000)
    except PlaywrightTimeout:
        box.click()
    item.click()


def confirm_mapping(page, choices: dict | None = None) -> None:
    page.get_by_text("Which column holds what?").wait_for()
    no_exception(page)
    for label, option in (choices or {}).items():
        choose(page, label, option)
    page.get_by_role("button", name="Use these columns").click()
    wait_idle(page)
    no_exception(page)


def import_and_wait(page, button: str, done: str) -> None:
    page.get_by_role("button", name=button).click()
    wait_idle(page)
    page.get_by_text(done).wait_for()
    no_exception(page)


def rows(db_path, sql):
    db = Database(db_path)
    try:
        return Store(db, "local").scope.rows(sql)
    finally:
        db.close()


def applications(db_path) -> dict:
    """company -> (role, applied_on, channel, location, source, status) of the one local user."""
    db = Database(db_path)
    try:
        apps = Store(db, "local").applications.all()
    finally:
        db.close()
    return {
        r.company: (
            r.role,
            r.applied_on.date() if hasattr(r.applied_on, "date") else r.applied_on,
            r.channel,
            r.location,
            r.source,
            r.status,
        )
        for r in apps.itertuples()
    }


# -- LinkedIn ----------------------------------------------------------------------------------------
def test_linkedin_split_files(app_server, page, db_path, tmp_path):
    upload(page, app_server.url, [FIXTURES / n for n in LINKEDIN])
    page.get_by_text("Recognised as: LinkedIn").wait_for()
    page.get_by_text("9 rows read: 7 new applications, 2 rows with problems.").wait_for()
    page.get_by_text("Job Applications_2.csv line 3").first.wait_for(state="attached")  # a problem row, with its line
    import_and_wait(page, "Import 7 applications", "Imported 7 applications.")
    # a history from 2023-24: the summary offers to settle its silences in one step (issue 14 item 10)
    page.get_by_text("7 of these have had no answer for over 21 days").wait_for()
    page.screenshot(path=str(tmp_path / "linkedin.png"), full_page=True)
    page.get_by_role("button", name="Mark 7 as ghosted").click()
    wait_idle(page)
    page.get_by_text("Marked 7 as ghosted.").wait_for()
    assert page.get_by_text("have had no answer for over").count() == 0
    no_exception(page)
    app_server.stop()
    apps = applications(db_path)
    assert len(apps) == 7 and {a[4] for a in apps.values()} == {"linkedin"}
    assert apps["Northwind Analytics"][:3] == ("Data Analyst", dt.date(2023, 11, 13), "job board")
    assert "Müller & Söhne" in apps and {a[5] for a in apps.values()} == {"ghosted"}


def test_linkedin_export_zip(app_server, page, db_path, tmp_path):
    upload(page, app_server.url, [linkedin_zip(tmp_path)])
    page.get_by_text("9 rows read: 7 new applications, 2 rows with problems.").wait_for()
    page.get_by_text("Jobs/Job Applications_2.csv line 3").first.wait_for(state="attached")
    import_and_wait(page, "Import 7 applications", "Imported 7 applications.")
    page.get_by_role("button", name="Not now").click()  # the offer can be declined: nothing changes
    wait_idle(page)
    assert page.get_by_text("have had no answer for over").count() == 0
    app_server.stop()
    assert rows(db_path, "SELECT count(*), count(DISTINCT source) FROM applications") == [(7, 1)]
    assert rows(db_path, "SELECT count(*) FROM events") == [(0,)]


# -- other trackers: each goes through the column-mapping step ---------------------------------------
def test_jobsync_export(app_server, page, db_path):
    upload(page, app_server.url, [FIXTURES / "jobsync.csv"])
    page.get_by_text("Recognised as: JobSync").wait_for()
    confirm_mapping(page)
    page.get_by_text("5 rows read: 4 new applications, 3 stage events, 1 saved but not applied to.").wait_for()
    import_and_wait(page, "Import 4 applications", "Imported 4 applications, 3 events.")
    app_server.stop()
    apps = applications(db_path)
    assert apps["Spotify"][5] == "interview" and apps["Klarna"][5] == "rejected" and apps["Klarna"][2] == "company site"
    assert "Shopify" not in apps  # a draft, never applied to


def test_huntr_export(app_server, page, db_path):
    upload(page, app_server.url, [FIXTURES / "huntr.csv"])
    page.get_by_text("Recognised as: Huntr").wait_for()
    confirm_mapping(page)
    page.get_by_text("5 rows read: 4 new applications, 3 stage events, 1 saved but not applied to.").wait_for()
    import_and_wait(page, "Import 4 applications", "Imported 4 applications, 3 events.")
    app_server.stop()
    apps = applications(db_path)
    assert apps["Quillfeather"][5] == "interview" and apps["Quillfeather"][3] == "London"
    assert "Umbra Security" not in apps  # on the wishlist


def test_teal_export(app_server, page, db_path):
    upload(page, app_server.url, [FIXTURES / "teal.csv"])
    page.get_by_text("Recognised as: Teal").wait_for()
    confirm_mapping(page)
    page.get_by_text("6 rows read: 5 new applications, 4 stage events, 1 saved but not applied to.").wait_for()
    import_and_wait(page, "Import 5 applications", "Imported 5 applications, 4 events.")
    app_server.stop()
    apps = applications(db_path)
    assert apps["Brightloom"][1] == dt.date(2024, 5, 2) and apps["Driftwood Games"][5] == "rejected"


def test_hand_kept_tracker_csv_with_a_chosen_default_channel(app_server, page, db_path):
    """The crash of issue 14: the "channel for rows without one" box reused the Channel column box's key."""
    upload(page, app_server.url, [FIXTURES / "spreadsheet.csv"])
    page.get_by_text("Recognised as: Any spreadsheet").wait_for()
    # map no column to Channel, so every row takes the default chosen beside it
    confirm_mapping(page, {"Channel / source": "— not in the file —", "Channel for rows without one": "networking"})
    page.get_by_text("3 rows read: 3 new applications, 2 stage events.").wait_for()
    page.get_by_text("read day first").wait_for()
    import_and_wait(page, "Import 3 applications", "Imported 3 applications, 2 events.")
    app_server.stop()
    apps = applications(db_path)
    assert apps["Orbital Freight"][1:3] == (dt.date(2023, 11, 13), "networking")
    assert {a[2] for a in apps.values()} == {"networking"} and {a[4] for a in apps.values()} == {"spreadsheet"}
    assert apps["Orbital Freight"][5] == "screen" and apps["Maple Street Bank"][5] == "rejected"


def test_latin1_semicolon_csv_mapped_by_hand(app_server, page, db_path):
    """German headers Rebound can't guess, semicolons, Windows-1252: the user picks each column."""
    upload(page, app_server.url, [FIXTURES / "generic-semicolon-cp1252.csv"])
    page.get_by_text("Confirm the columns to see a preview.").wait_for()
    confirm_mapping(
        page,
        {
            "Company *": "Firma",
            "Role / job title *": "Stelle",
            "Date applied *": "Beworben am",
            "Location": "Ort",
            "Notes": "Notizen",
        },
    )
    page.get_by_text("2 rows read: 2 new applications.").wait_for()
    page.get_by_text("it was read as Windows-1252").wait_for()
    import_and_wait(page, "Import 2 applications", "Imported 2 applications.")
    app_server.stop()
    apps = applications(db_path)
    assert apps["Kestrel Labs"][1] == dt.date(2023, 11, 13) and apps["Kestrel Labs"][3] == "München"


def test_mapping_refuses_a_missing_required_column_and_keeps_the_form(app_server, page, db_path):
    upload(page, app_server.url, [FIXTURES / "generic-semicolon-cp1252.csv"])
    confirm_mapping(page, {"Company *": "Firma"})
    page.get_by_text("Choose the column for: Role / job title, Date applied.").wait_for()
    assert page.get_by_role("button", name=re.compile("^Import ")).count() == 0
    app_server.stop()
    assert rows(db_path, "SELECT count(*) FROM applications") == [(0,)]


def test_xlsx_workbook(app_server, page, db_path, tmp_path):
    upload(page, app_server.url, [tracker_xlsx(tmp_path)])
    confirm_mapping(page)
    page.get_by_text("3 rows read: 2 new applications, 1 stage event, 1 row with problems.").wait_for()
    page.get_by_text("tracker.xlsx line 4").first.wait_for(state="attached")
    import_and_wait(page, "Import 2 applications", "Imported 2 applications, 1 event.")
    app_server.stop()
    apps = applications(db_path)
    assert apps["Nimbus Data"][1:3] == (dt.date(2024, 2, 1), "referral") and apps["Nimbus Data"][5] == "rejected"
    assert "Lyra Biotech" not in apps


def test_daylio_moods(app_server, page, db_path):
    upload(page, app_server.url, [FIXTURES / "daylio.csv"])
    page.get_by_text("Recognised as: Daylio").wait_for()
    page.get_by_text("5 rows read: 4 new check-ins, 1 row with problems.").wait_for()
    import_and_wait(page, "Import 4 check-ins", "Imported 4 check-ins.")
    app_server.stop()
    assert rows(db_path, "SELECT count(*), min(mood), max(mood) FROM checkins") == [(4, 1, 10)]


# -- user text (file names too) is shown literally (issue 14 item 4) -------------------------------------
HOSTILE_NAME = "**bold** [link](http://evil.test) $x^2$ <b>tag</b>.csv"


def markup_in_main(page) -> dict:
    main = page.locator("[data-testid='stMain']")
    return {
        "links": main.locator("a[href*='evil.test']").count(),
        "katex": main.locator(".katex").count(),
        "bold": main.locator("strong", has_text="bold").count(),
        "tag": main.locator("b", has_text="tag").count(),
    }


def shown(page, testid: str) -> list[str]:
    """The text of each element with this test id, as a reader sees it (and a copy gives: md_escape
    adds no invisible character)."""
    return page.locator(f"[data-testid='{testid}']").all_inner_texts()


def test_file_names_and_cells_are_shown_literally(app_server, page, db_path, tmp_path):
    header = "**Firma**;Stelle;Beworben am\n"
    body = "<b>Kölner</b> [x](http://evil.test);$x^2$ **Analyst**;13.11.2023\n"
    page.goto(app_server.url + "/data")
    wait_idle(page)
    page.get_by_text("20MB per file").wait_for()  # the importer's own limit, stated where the file is chosen
    page.locator(UPLOAD).set_input_files(
        files=[{"name": HOSTILE_NAME, "mimeType": "text/csv", "buffer": (header + body).encode("cp1252")}]
    )
    wait_idle(page)
    no_exception(page)
    # the select boxes offer the file's own column names, as typed
    page.get_by_role("combobox", name="Company *").click()
    page.get_by_role("option", name="**Firma**", exact=True).click()
    choose(page, "Role / job title *", "Stelle")
    choose(page, "Date applied *", "Beworben am")
    page.get_by_role("button", name="Use these columns").click()
    wait_idle(page)
    no_exception(page)
    # the encoding note names the file: literally, not as bold text, a link, a formula or HTML
    page.get_by_text("is not UTF-8").wait_for()
    assert any(HOSTILE_NAME + " is not UTF-8" in t for t in shown(page, "stCaptionContainer"))
    page.get_by_text("1 row read: 1 new application.").wait_for()
    assert markup_in_main(page) == {"links": 0, "katex": 0, "bold": 0, "tag": 0}
    page.screenshot(path=str(tmp_path / "hostile.png"), full_page=True)
    import_and_wait(page, "Import 1 application", "Imported 1 application.")
    # an error that names the file shows it literally too
    page.locator(UPLOAD).set_input_files(files=[{"name": HOSTILE_NAME, "mimeType": "text/csv", "buffer": b"\n\n"}])
    wait_idle(page)
    page.get_by_text("is empty.").wait_for()
    assert any(HOSTILE_NAME + " is empty." in t for t in shown(page, "stAlertContentError"))
    assert markup_in_main(page) == {"links": 0, "katex": 0, "bold": 0, "tag": 0}
    app_server.stop()
    apps = applications(db_path)
    assert (
        list(apps) == ["<b>Kölner</b> [x](http://evil.test)"]
        and apps["<b>Kölner</b> [x](http://evil.test)"][0] == "$x^2$ **Analyst**"
    )


# -- bad files: a clear message, nothing written, the server stays up (issue 15) -----------------------------
def server_peak_mb(server) -> float:
    status = Path(f"/proc/{server.proc.pid}/status").read_text()
    return next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")) / 1024


def test_a_workbook_bomb_is_refused_and_an_ancient_date_is_one_problem_row(app_server, page, db_path, tmp_path):
    from test_import_limits import small_xlsx_bomb

    bomb = small_xlsx_bomb(tmp_path / "tracker.xlsx")  # 0.1 MB that would unpack to 140 MB of one cell
    upload(page, app_server.url, [bomb])
    page.get_by_text("is not a file Rebound can read safely").wait_for()
    assert page.get_by_role("button", name=re.compile("^Import ")).count() == 0
    assert server_peak_mb(app_server) < 500
    # the server still answers: a LinkedIn file with LinkedIn's "1/1/1" placeholder date
    header = (FIXTURES / "Job Applications.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    path = tmp_path / "Job Applications.csv"
    path.write_text(
        header + '\n"1/1/1",,,Ancient Ltd,Analyst,,,\n"11/13/23, 9:42 AM",,,Fine Co,Analyst,,,\n'
        '"12/31/9999, 11:59 PM",,,Future Inc,Analyst,,,\n'
    )
    upload(page, app_server.url, [path])
    page.get_by_text("3 rows read: 1 new application, 2 rows with problems.").wait_for()
    page.get_by_text("Job Applications.csv line 2").first.wait_for(state="attached")
    page.get_by_text("Job Applications.csv line 4").first.wait_for(state="attached")
    import_and_wait(page, "Import 1 application", "Imported 1 application.")
    app_server.stop()
    assert list(applications(db_path)) == ["Fine Co"]


# -- phone width (390×844): the mapping form and the settle step stay usable ---------------------------------
@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    yield pg
    context.close()


def test_import_at_phone_width(app_server, phone, db_path, tmp_path):
    page = phone
    upload(page, app_server.url, [FIXTURES / "huntr.csv"])
    confirm_mapping(page)
    page.get_by_text("5 rows read: 4 new applications, 3 stage events, 1 saved but not applied to.").wait_for()
    page.screenshot(path=str(tmp_path / "phone-preview.png"), full_page=True)
    import_and_wait(page, "Import 4 applications", "Imported 4 applications, 3 events.")
    page.get_by_text("2 of these have had no answer for over 21 days").wait_for()
    go = page.get_by_role("button", name="Mark 2 as ghosted")
    box = go.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390  # on screen, not cut off
    page.screenshot(path=str(tmp_path / "phone-settle.png"), full_page=True)
    go.click()
    wait_idle(page)
    no_exception(page)
    app_server.stop()
    apps = applications(db_path)
    assert sorted(a[5] for a in apps.values()) == [
        "ghosted",
        "ghosted",
        "offer",
        "rejected",
    ]  # an offer is not a silence


# -- the fenced worker on the page: progress, Cancel, and one read per upload -------------------------------
def _workers(server_pid: int) -> list[int]:
    """The server's fenced workers (rebound.fence) running now."""
    children = []  # each thread's own children: the worker is started from a script thread
    for task in Path(f"/proc/{server_pid}/task").glob("*"):
        try:
            children += (task / "children").read_text().split()
        except OSError:
            pass
    found = []
    for pid in children:
        try:
            if b"rebound.fence" in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.append(int(pid))
        except OSError:
            pass
    return found


def big_tracker_xlsx(tmp_path, rows: int) -> Path:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(["Company", "Title", "Date applied", "Status", "Source"])
    for i in range(rows):
        ws.append([f"Company {i}", "Data Analyst", dt.date(2024, 1, 1) + dt.timedelta(days=i % 600), None, "Referral"])
    path = tmp_path / "big tracker.xlsx"
    wb.save(path)
    return path


def test_a_slow_read_shows_progress_and_cancel_stops_its_worker(app_server, page, db_path, tmp_path):
    path = big_tracker_xlsx(tmp_path, 60_000)
    page.goto(app_server.url + "/data")
    wait_idle(page)
    page.get_by_text("Bring in your history").wait_for()
    page.locator(UPLOAD).set_input_files([str(path)])
    page.get_by_text("Reading your files…").wait_for(timeout=90_000)  # a 60,000-row upload on a busy machine
    cancel = page.get_by_role("button", name=re.compile("Cancel$"))
    cancel.wait_for()
    assert _workers(app_server.proc.pid), "the file is read by a fenced worker"
    cancel.click()
    page.get_by_text("Reading this file was cancelled; nothing was changed.").wait_for()
    wait_idle(page)
    for _ in range(50):  # killed, not left to finish
        if not _workers(app_server.proc.pid):
            break
        page.wait_for_timeout(100)
    assert _workers(app_server.proc.pid) == []
    no_exception(page)
    # Read it again: the same upload, read to the end this time, then kept across reruns
    page.get_by_role("button", name="Read it again").click()
    page.get_by_text("Which column holds what?").wait_for(timeout=180_000)
    no_exception(page)
    page.get_by_role("button", name="Use these columns").click()  # a rerun: no second read
    wait_idle(page)
    page.get_by_text(re.compile(r"60,000 rows read")).wait_for(timeout=120_000)
    assert _workers(app_server.proc.pid) == []
