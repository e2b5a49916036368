"""Real Chromium, end to end (issue 14, Deliver): one user's whole journey in one browser context.

Two starting points: an empty database (the first applications added through the UI), and a
LinkedIn history imported on the Data page (a data export .zip with months of silences, settled
in one step). Then: log a rejection from Today for an application the user CHOOSES (not the
newest) → the whole rejection flow (check-in, self-care, reflection reloaded mid-way and resumed,
a feedback request, one small goal) → Done → an action item for that request on Feedback →
Today shows it. The database is read after the server has stopped: everything about the chosen
application only, nothing left in drafts.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import zipfile
from pathlib import Path

import pytest
from conftest import AppServer, wait_idle
from playwright.sync_api import expect
from test_browser_drafts import MIRROR, busy_server

from rebound.db import Database
from rebound.store import Store

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).parents[1] / "fixtures"
DESKTOP = {"width": 1400, "height": 1000}
PHONE = {"width": 390, "height": 844}
UPLOAD = "[class*='st-key-data_import_files_'] [data-testid='stFileUploaderDropzoneInput']"
RESUME = re.compile(r"Resume your draft from today at \d\d:\d\d$")

# (company, role) added by hand on an empty database; the first one is the one that says no
FIRST_APPS = [("Kōwhai & Co", "Data Analyst"), ("Aroha Ltd", "Analyst"), ("Tūī Systems", "BI Developer")]
QUIET_ROWS = 40  # generated LinkedIn rows, 2024-25: long silences
# the LinkedIn fixture's second row: among the oldest, far from the newest
LINKEDIN_CHOSEN = ("Müller & Söhne", "Senior Data Analyst")

REASON = "They went with someone with more **domain** experience."
WENT_WELL = "I explained the dashboard project clearly. <b>not bold</b> $x^2$"
IMPROVE = "Shorter answers: one story, one result."
QUESTION = "Which part of my interview would you change first?"
FEEDBACK = "Your SQL was solid, but the stories were long and lacked structure."
ACTION = "Rehearse two STAR stories out loud 🎤"
IDEA = "Walk three times this week"
OWN_GOAL = "Swim twice before Friday"


# -- helpers ---------------------------------------------------------------------------------------


def no_exception(page) -> None:
    errors = page.get_by_test_id("stException")
    assert errors.count() == 0, errors.first.inner_text()


class Shots:
    def __init__(self, folder: Path, prefix: str):
        self.folder, self.prefix, self.n = folder, prefix, 0

    def __call__(self, page, name: str) -> None:
        self.n += 1
        page.screenshot(path=str(self.folder / f"journey_{self.prefix}_{self.n:02d}_{name}.png"), full_page=True)


def nav(page, title: str) -> None:
    """Go to a page by the sidebar, as a user does (the same session: no reload). At phone width
    the sidebar is closed: open it first."""
    sidebar = page.get_by_test_id("stSidebar")
    if sidebar.get_attribute("data-collapsed") == "true" or not sidebar.is_visible():
        page.get_by_test_id("stExpandSidebarButton").click()
        page.wait_for_function("document.querySelector(\"[data-testid='stSidebar']\").dataset.collapsed === 'false'")
    page.locator(".st-key-rebound_nav").get_by_role("link", name=title, exact=True).click()
    wait_idle(page)
    page.locator("[data-testid='stMain'] h1").first.wait_for()
    no_exception(page)


def linkedin_export(tmp_path) -> Path:
    """A LinkedIn data export: the fixture's Job Applications.csv and a second file of many old,
    never-answered applications, in Jobs/ among files Rebound ignores."""
    header = (FIXTURES / "Job Applications.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    start = dt.datetime(2024, 2, 5, 9, 30)
    rows = [
        f'"{start + dt.timedelta(days=9 * i):%-m/%-d/%y, %-I:%M %p}",,,Quiet Firm {i:02d},Data Analyst,,,'
        for i in range(QUIET_ROWS)
    ]
    path = tmp_path / "Basic_LinkedInDataExport_11-25-2026.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("Connections.csv", "First Name,Last Name\nAda,Lovelace\n")
        z.writestr("Jobs/Job Applications.csv", (FIXTURES / "Job Applications.csv").read_bytes())
        z.writestr("Jobs/Job Applications_1.csv", "\n".join([header, *rows]) + "\n")
    return path


# -- the two starting points -------------------------------------------------------------------------
def start_empty(page, url: str, shot) -> tuple[str, str]:
    """Today's welcome → "Add your first application" → the add form, three times."""
    page.goto(url)
    wait_idle(page)
    main = page.get_by_test_id("stMain")
    main.get_by_text("Welcome to Rebound").wait_for()
    shot(page, "welcome")
    main.get_by_role("button", name="Add your first application").click()
    wait_idle(page)
    main.get_by_role("heading", name="Outcomes").wait_for()
    for company, role in FIRST_APPS:
        name = main.get_by_role("textbox", name="Company *")
        expect(name).to_have_value("")  # cleared after each save
        name.fill(company)
        main.get_by_role("textbox", name="Role *").fill(role)
        main.get_by_role("button", name="Add application").click()
        wait_idle(page)
        no_exception(page)
        page.get_by_text(f"Logged {company} — {role}.").first.wait_for()
    shot(page, "added")
    nav(page, "Today")
    return FIRST_APPS[0]


def start_linkedin(page, url: str, shot, tmp_path) -> tuple[str, str]:
    """Data → Import: the export .zip, imported, its silences settled in one step."""
    page.goto(url)
    wait_idle(page)
    nav(page, "Data")
    main = page.get_by_test_id("stMain")
    main.get_by_text("Bring in your history").wait_for()
    page.locator(UPLOAD).set_input_files([str(linkedin_export(tmp_path))])
    wait_idle(page)
    no_exception(page)
    total = 4 + QUIET_ROWS
    main.get_by_text("Recognised as: LinkedIn").wait_for()
    main.get_by_text(f"{total} rows read: {total} new applications.").wait_for()
    main.get_by_role("button", name=f"Import {total} applications").click()
    wait_idle(page)
    main.get_by_text(f"Imported {total} applications.").wait_for()
    main.get_by_text(f"{total} of these have had no answer for over 21 days").wait_for()
    shot(page, "imported")
    main.get_by_role("button", name=f"Mark {total} as ghosted").click()
    wait_idle(page)
    page.get_by_text(f"Marked {total} as ghosted.").wait_for()  # a toast: outside stMain
    no_exception(page)
    nav(page, "Today")
    assert main.get_by_text("have had no answer for").count() == 0  # Today is not buried in nudges
    assert main.get_by_text("No answer from").count() == 0
    return LINKEDIN_CHOSEN


# -- the rejection flow -----------------------------------------------------------------------------
def step(page, company: str, role: str, n: int) -> None:
    page.get_by_text(f"After the rejection from {company} ({role})").wait_for()
    page.get_by_text(f"Step {n} of 5").wait_for()
    no_exception(page)


def log_rejection_for(page, company: str, role: str, shot) -> None:
    """Today's "Log a rejection": Outcomes asks which one; the user picks it by typing its name."""
    main = page.get_by_test_id("stMain")
    main.get_by_role("link", name="Log a rejection").click()
    wait_idle(page)
    main.get_by_text("Which application said no?").wait_for()
    assert main.get_by_role("button", name="Save", exact=True).count() == 0  # nothing chosen for the user
    picker = page.get_by_role("combobox", name="Open an application")
    picker.click()
    picker.press_sequentially(company.split()[0])  # the select filters as you type
    page.get_by_role("option").filter(has_text=f"{company} — {role}").first.wait_for()
    picker.press("Enter")
    wait_idle(page)
    main.get_by_role("heading", name=f"{company} — {role}").wait_for()
    main.get_by_role("textbox", name="Reason they gave (optional)").fill(REASON)
    shot(page, "rejection_form")
    main.get_by_role("button", name="Save", exact=True).click()
    wait_idle(page)
    main.get_by_text("That one stings").wait_for()
    no_exception(page)
    main.get_by_role("link", name="Start with a check-in").click()
    wait_idle(page)


def walk_flow_to_feedback(page, company: str, role: str, shot) -> None:
    main = page.get_by_test_id("stMain")
    # 1. check-in: a mood and a feeling
    step(page, company, role, 1)
    slider = main.get_by_role("slider").first
    slider.focus()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")  # 5 → 3
    wait_idle(page)
    main.get_by_test_id("stButtonGroup").get_by_text("disappointment", exact=True).click()
    wait_idle(page)
    shot(page, "step1_checkin")
    main.get_by_role("button", name="Save and continue").click()
    wait_idle(page)
    # 2. self-care: log what the first idea suggests
    step(page, company, role, 2)
    main.get_by_role("button", name="Log and continue").click()
    wait_idle(page)
    # 3. reflection: typed, reloaded mid-way, resumed, saved
    step(page, company, role, 3)
    main.get_by_role("textbox", name="What went well?").fill(WENT_WELL)
    page.keyboard.press("Tab")
    wait_idle(page)
    main.get_by_role("textbox", name="Where is there room to improve?").click()
    page.keyboard.type(IMPROVE)  # still in the box: the reload comes mid-sentence
    page.reload()
    wait_idle(page)
    step(page, company, role, 3)
    main.get_by_text("You have an unsaved reflection from today").wait_for()
    shot(page, "step3_after_reload")
    main.get_by_role("button", name=RESUME).click()
    wait_idle(page)
    expect(main.get_by_role("textbox", name="What went well?")).to_have_value(WENT_WELL)
    expect(main.get_by_role("textbox", name="Where is there room to improve?")).to_have_value(IMPROVE)
    main.get_by_role("button", name="Save reflection and continue").click()
    wait_idle(page)
    # 4. feedback: the link opens the Feedback page for this application
    step(page, company, role, 4)
    main.get_by_role("link", name="Draft a feedback request").click()
    wait_idle(page)
    no_exception(page)


def draft_feedback_request(page, company: str, role: str, mark_sent: bool, shot) -> None:
    today = dt.date.today()  # the server's clock (browser tests keep the real one)
    main = page.get_by_test_id("stMain")
    main.get_by_role("heading", name="Feedback").first.wait_for()
    # the application the flow is about is the one picked
    expect(main.get_by_role("combobox", name="Application")).to_have_value(
        re.compile("^" + re.escape(f"{company} — {role} ·"))
    )
    # the reflection just saved (no themes tagged) is known: not "No reflection on this application yet"
    main.get_by_text(f"Your reflection on this application ({today.day} {today:%b %Y}) has no themes").wait_for()
    expect(main.get_by_text("No reflection on this application yet")).to_have_count(0)
    own = main.get_by_role("textbox", name="Your own question (optional)")
    own.fill(QUESTION)
    page.keyboard.press("Tab")
    wait_idle(page)
    for label, value in (
        ("Interviewer's name", "Priya"),
        ("Their email", "priya@example.com"),
        ("Your name, for the sign-off", "Sam"),
    ):
        box = main.get_by_label(label, exact=True)
        box.fill(value)
        box.press("Enter")
        wait_idle(page)
    message = main.get_by_test_id("stCode").nth(1)
    assert QUESTION in message.inner_text() and "Hi Priya," in message.inner_text()
    shot(page, "step4_feedback_request")
    main.get_by_role("button", name="I've sent it" if mark_sent else "Save draft").click()
    wait_idle(page)
    no_exception(page)
    page.get_by_text("Marked as sent." if mark_sent else "Draft saved.").first.wait_for()


def finish_flow(page, company: str, role: str, pick_idea: bool, shot) -> str:
    main = page.get_by_test_id("stMain")
    nav(page, "Check-in")
    step(page, company, role, 5)  # the feedback step was done on the Feedback page
    goal_box = main.get_by_role("textbox", name="My small goal")
    if pick_idea:
        main.get_by_test_id("stButtonGroup").get_by_text(IDEA, exact=True).click()
        wait_idle(page)
        expect(goal_box).to_have_value(IDEA)
        goal = IDEA
    else:
        goal_box.fill(OWN_GOAL)
        page.keyboard.press("Tab")
        wait_idle(page)
        goal = OWN_GOAL
    shot(page, "step5_goal")
    main.get_by_role("button", name="Set this goal").click()
    wait_idle(page)
    main.get_by_text("You walked through the steps").wait_for()
    expect(main.get_by_text("the goal is missing")).to_have_count(0)
    main.get_by_role("button", name="Done").click()
    wait_idle(page)
    main.get_by_role("tab", name="💬 How are you?").wait_for()  # the flow is closed
    no_exception(page)
    return goal


def action_item_on_feedback(page, company: str, was_sent: bool, shot) -> None:
    today = dt.date.today()  # the server's clock (browser tests keep the real one)
    main = page.get_by_test_id("stMain")
    nav(page, "Feedback")
    main.get_by_role("radio").filter(has_text="Requests").click()
    wait_idle(page)
    expect(main.get_by_role("heading", name=re.compile(re.escape(company)))).to_have_count(1)
    if not was_sent:
        main.get_by_role("button", name=re.compile("Mark as sent")).click()
        wait_idle(page)
    main.get_by_text("Did they answer?").wait_for()
    answer = main.get_by_label("What they said", exact=True)
    answer.fill(FEEDBACK)
    answer.press("Control+Enter")
    wait_idle(page)
    main.get_by_role("button", name=re.compile("Save their feedback")).click()
    wait_idle(page)
    main.get_by_text("Action items from this feedback").wait_for()
    main.get_by_role("spinbutton", name="year, Due").click()  # ui.DATE_INPUT_FORMAT: YYYY-MM-DD, by segment
    page.keyboard.type(today.strftime("%Y%m%d"))
    main.get_by_label("Action item", exact=True).fill(ACTION)
    main.get_by_role("button", name=re.compile("Add action item")).click()
    wait_idle(page)
    no_exception(page)
    page.get_by_text("Action item added.").first.wait_for()
    shot(page, "feedback_action_item")
    nav(page, "Today")
    main.get_by_text(f"Action item due (today): {ACTION}").wait_for()
    shot(page, "today_action_item")


# -- the journey ------------------------------------------------------------------------------------
CASES = [
    pytest.param("empty", DESKTOP, id="empty-desktop"),
    pytest.param("linkedin", DESKTOP, id="linkedin-desktop"),
    pytest.param("empty", PHONE, id="empty-phone"),
]


@pytest.mark.parametrize("start, viewport", CASES)
def test_journey_from_start_to_an_action_item_on_today(start, viewport, db_path, browser, tmp_path):
    today = dt.date.today()  # the server's clock (browser tests keep the real one)
    folder = Path(os.environ.get("REBOUND_SHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    shot = Shots(folder, f"{start}_{'phone' if viewport is PHONE else 'desktop'}")
    linkedin = start == "linkedin"
    dialogs: list[str] = []
    server = AppServer(db_path)
    context = browser.new_context(viewport=viewport)
    try:
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        company, role = (
            start_linkedin(page, server.url, shot, tmp_path) if linkedin else start_empty(page, server.url, shot)
        )
        log_rejection_for(page, company, role, shot)
        walk_flow_to_feedback(page, company, role, shot)
        draft_feedback_request(page, company, role, mark_sent=linkedin, shot=shot)
        goal = finish_flow(page, company, role, pick_idea=not linkedin, shot=shot)
        action_item_on_feedback(page, company, was_sent=linkedin, shot=shot)
        assert not dialogs
    except Exception:
        shot(page, "FAILED")  # where it stopped, for the report
        raise
    finally:
        context.close()
        server.stop()

    db = Database(db_path)
    try:
        store = Store(db, "local")
        apps = store.applications.all()
        ids = dict(zip(apps["company"], apps["id"].astype(int)))
        chosen = ids[company]
        statuses = dict(zip(apps["company"], apps["status"]))
        assert [c for c, s in statuses.items() if s == "rejected"] == [company]
        if linkedin:
            assert len(apps) == 4 + QUIET_ROWS and sum(s == "ghosted" for s in statuses.values()) == len(apps) - 1
        else:
            assert sorted(statuses) == sorted(c for c, _ in FIRST_APPS)
            assert chosen == min(ids.values())  # the first added, not the newest
            assert {statuses[c] for c, _ in FIRST_APPS[1:]} == {"applied"}
        assert store.scope.rows(
            "SELECT application_id, reason FROM events WHERE user_id = $user AND kind = 'rejected'"
        ) == [(chosen, REASON)]
        checkins = store.scope.rows("SELECT application_id, mood, emotions FROM checkins WHERE user_id = $user")
        assert checkins == [(chosen, 3, ["disappointment"])]
        assert store.scope.rows("SELECT count(*) FROM coping WHERE user_id = $user") == [(1,)]
        reflections = store.reflections.journal(kinds=("reflection",))
        assert len(reflections) == 1 and int(reflections.iloc[0]["application_id"]) == chosen
        assert reflections.iloc[0]["answers"] == {"went_well": WENT_WELL, "improve": IMPROVE}
        requests = store.scope.rows(
            "SELECT id, application_id, questions, sent_on, feedback_text FROM feedback_requests WHERE user_id = $user"
        )
        assert len(requests) == 1
        request_id, app_id, questions, sent_on, text = requests[0]
        assert (app_id, questions, sent_on, text) == (chosen, [QUESTION], today, FEEDBACK)
        assert store.scope.rows(
            "SELECT source, source_id, title, due_on, done_on FROM actions WHERE user_id = $user"
        ) == [("feedback", request_id, ACTION, today, None)]
        assert store.scope.rows("SELECT metric, label FROM goals WHERE user_id = $user") == [("custom", goal)]
        assert store.drafts.all() == {}  # saved or done: no leftover drafts
    finally:
        db.close()


# -- the last words typed survive a reload on a busy server (made busy deterministically) ---------------
def test_words_still_in_the_box_survive_a_reload_on_a_busy_server(db_path, browser, tmp_path, monkeypatch):
    """Streamlit stops the closing tab's run before its on_change keeps the words (disconnect_session);
    the page's copy in sessionStorage brings them back into the resumed box, and on to the database."""
    today = dt.date.today()  # the server's clock (browser tests keep the real one)
    db = Database(db_path)
    store = Store(db, "local")
    app = store.applications.add("Kōwhai & Co", "Data Analyst", "referral", today - dt.timedelta(days=9))
    store.applications.add_event(app, "rejected", today, stage="applied")
    store.drafts.save(
        "flow:state",
        {"application_id": app, "step": "reflection", "status": {"checkin": "skipped", "coping": "skipped"}},
    )
    db.close()
    server = busy_server(db_path, tmp_path, monkeypatch)
    context = browser.new_context(viewport=DESKTOP)
    try:
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.goto(f"{server.url}/checkin")
        wait_idle(page)
        step(page, "Kōwhai & Co", "Data Analyst", 3)
        page.get_by_role("textbox", name="What went well?").fill(WENT_WELL)
        page.keyboard.press("Tab")  # committed: kept
        wait_idle(page)
        page.get_by_role("textbox", name="Where is there room to improve?").click()
        page.keyboard.type(IMPROVE)  # the cursor still in the box
        page.reload()
        wait_idle(page)
        page.get_by_role("button", name=RESUME).click()
        wait_idle(page)
        expect(page.get_by_role("textbox", name="What went well?")).to_have_value(WENT_WELL)
        expect(page.get_by_role("textbox", name="Where is there room to improve?")).to_have_value(
            IMPROVE, timeout=3_000
        )
        wait_idle(page)
        page.wait_for_function(f"!sessionStorage.getItem('{MIRROR}')", timeout=10_000)  # the server has them
    finally:
        context.close()
        server.stop()
    db = Database(db_path)
    try:
        assert Store(db, "local").drafts.all()[f"flow:reflection:{app}"][0]["a:improve"] == IMPROVE
    finally:
        db.close()
