"""Real browser: add an application and log its rejection on the Outcomes page."""

import datetime as dt
import re

import pytest
from conftest import wait_idle
from playwright.sync_api import expect

from rebound.db import Database
from rebound.store import Store

pytestmark = pytest.mark.browser


def test_add_an_application_and_log_its_rejection(app_server, page, db_path):
    page.goto(app_server.url)
    wait_idle(page)
    page.get_by_text("Add your first application").click()
    wait_idle(page)
    page.get_by_label("Company *").fill("Kōwhai & Co 🚀")
    page.get_by_label("Role *").fill("Data Analyst")
    page.get_by_role("button", name="Add application").click()
    wait_idle(page)
    page.get_by_role("heading", name="Kōwhai & Co 🚀 — Data Analyst").wait_for()

    page.get_by_role("button", name="Log rejection").click()  # click 1
    wait_idle(page)
    page.get_by_role("button", name="Save", exact=True).click()  # click 2
    wait_idle(page)
    page.get_by_text("That one stings").wait_for()
    page.get_by_text("Start with a check-in").wait_for()

    app_server.stop()  # release the file so the test can read it
    db = Database(db_path)
    apps = Store(db, "local").applications.all()
    db.close()
    assert apps["company"].tolist() == ["Kōwhai & Co 🚀"]
    assert apps["status"].tolist() == ["rejected"]


FOCUSED = """() => { const el = document.activeElement;
  return el && el !== document.body ? (el.getAttribute('aria-label') || el.tagName) : 'BODY'; }"""


def test_after_a_save_focus_is_back_in_the_form_not_on_the_page(app_server, page):
    """Saving a goal reruns the page and Streamlit rebuilds its form: focus fell to <body>, so a
    keyboard user started again from the top. rebound/ui/focus.py puts it on the form's first field."""
    page.goto(f"{app_server.url}/goals")
    wait_idle(page)
    page.get_by_role("button", name="Add to this week").click()
    wait_idle(page)
    page.get_by_text("Applications: 0 of 5 applications").wait_for()  # saved
    page.wait_for_function(f"({FOCUSED})() !== 'BODY'", timeout=10_000)
    assert page.evaluate(FOCUSED).startswith("Target"), page.evaluate(FOCUSED)
    page.goto(app_server.url + "/outcomes?do=add")
    wait_idle(page)
    page.get_by_label("Company *").fill("Kōwhai & Co")
    page.get_by_label("Role *").fill("Analyst")
    page.get_by_role("button", name="Add application").focus()
    page.keyboard.press("Enter")  # a keyboard user saves
    wait_idle(page)
    page.get_by_text("Logged Kōwhai & Co — Analyst.").first.wait_for()
    assert page.evaluate(FOCUSED) != "BODY"


COPYABLE = ("Mail me@acme.test", "see https://www.acme.test/jobs?id=1")


def test_addresses_and_links_in_user_text_copy_exactly_and_are_not_links(app_server, page):
    """md_escape keeps an address or URL from becoming a link without adding a character to it."""
    page.goto(app_server.url)
    wait_idle(page)
    page.get_by_role("button", name="Add your first application").click()
    wait_idle(page)
    page.get_by_label("Company *").fill(COPYABLE[0])
    page.get_by_label("Role *").fill(COPYABLE[1])
    page.get_by_role("button", name="Add application").click()
    wait_idle(page)
    shown = f"{COPYABLE[0]} — {COPYABLE[1]}"
    heading = page.get_by_role("heading", name=shown)
    heading.wait_for()
    copied = heading.evaluate(
        """h => { const r = document.createRange(); r.selectNodeContents(h);
        const s = window.getSelection(); s.removeAllRanges(); s.addRange(r); return s.toString(); }"""
    )
    assert copied.strip() == shown and heading.evaluate("h => h.textContent") == shown
    links = page.get_by_test_id("stMain").evaluate(
        "m => [...m.querySelectorAll('a')].map(a => a.href).filter(h => h.includes('acme.test'))"
    )
    assert links == []


def _demo_banner(page):
    banner = page.get_by_test_id("stMain").locator(".st-key-demo_banner")
    expect(banner.get_by_text("Demo data — not yours")).to_be_in_viewport()
    return banner


def test_demo_mode_banner_and_way_back(app_server, page):
    page.goto(app_server.url)
    wait_idle(page)
    page.get_by_role("button", name="Explore with demo data").click()
    wait_idle(page)
    page.get_by_text("You are exploring").wait_for()
    _demo_banner(page)
    # another page from the sidebar, then a reload: still the demo, and it says so
    page.locator(".st-key-rebound_nav").get_by_text("Goals & wins").click()
    wait_idle(page)
    page.get_by_role("heading", name="Goals & wins").first.wait_for()
    expect(page).to_have_url(re.compile(r"/goals\?(.*&)?demo=1"))
    page.reload()
    wait_idle(page)
    page.get_by_role("heading", name="Goals & wins").first.wait_for()
    _demo_banner(page)
    page.get_by_text("You are exploring").wait_for()
    _demo_banner(page).get_by_role("button", name="Back to my data").click()
    wait_idle(page)
    expect(page.get_by_text("Demo data — not yours")).to_have_count(0)
    assert "demo=" not in page.url
    page.reload()
    wait_idle(page)
    page.get_by_role("heading", name="Goals & wins").first.wait_for()
    expect(page.get_by_text("Demo data — not yours")).to_have_count(0)


def test_demo_mode_is_marked_and_kept_at_phone_width(app_server, browser):
    """At 390 px the sidebar is closed: the marker sits at the top of the page itself."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.goto(app_server.url)
        wait_idle(page)
        page.get_by_role("button", name="Explore with demo data").click()
        wait_idle(page)
        _demo_banner(page)
        url = page.url
        assert "demo=1" in url
        page.goto(url.replace("/?", "/progress?") if "/?" in url else url)  # a link to another page
        wait_idle(page)
        _demo_banner(page)
        page.reload()
        wait_idle(page)
        _demo_banner(page)
        expect(page.get_by_text("Welcome to Rebound")).to_have_count(0)
    finally:
        context.close()


def test_a_deep_link_on_a_fresh_server_goes_through_the_app(app_server, page):
    """The first request to a new server may be a bookmark: it must get app.py's navigation."""
    page.goto(f"{app_server.url}/goals")
    wait_idle(page)
    page.get_by_role("heading", name="Goals & wins").first.wait_for()
    nav = page.locator(".st-key-rebound_nav")
    nav.get_by_text("Goals & wins").wait_for()
    assert nav.get_by_text("goals", exact=True).count() == 0  # no raw file names


@pytest.fixture
def one_application(db_path):
    db = Database(db_path)
    Store(db, "local").applications.add("Acme", "Analyst", "referral", dt.date(2026, 1, 5))
    db.close()
    return db_path


def test_the_folded_add_form_is_built_when_opened_and_from_todays_quick_action(one_application, app_server, page):
    page.goto(f"{app_server.url}/outcomes")
    wait_idle(page)
    page.get_by_role("heading", name="Acme — Analyst").wait_for()
    assert page.get_by_label("Company *").count() == 0  # folded away: not built
    page.get_by_text("Add an application").click()  # opening it reruns the page with the form
    wait_idle(page)
    page.get_by_label("Company *").first.wait_for()
    page.get_by_text("Today", exact=True).first.click()
    wait_idle(page)
    page.get_by_text("Log an application").click()
    wait_idle(page)
    page.get_by_label("Company *").first.fill("Birch & Co")
    page.get_by_label("Role *").first.fill("Data Analyst")
    page.get_by_role("button", name="Add application").click()
    wait_idle(page)
    page.get_by_role("heading", name="Birch & Co — Data Analyst").wait_for()
