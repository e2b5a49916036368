"""A first visit straight to a page's address (a bookmark, a shared link) on a fresh server.

Because the page folder is named pages/, Streamlit's legacy multipage mode handles a server
process's first session: a deep link such as /data runs pages/data.py itself, not app.py. Every
page must still come through app.py (pages/__init__.py says how): behind the sign-in gate when
sign-in is configured, and shown (not a blank page) when it is not.
"""

from __future__ import annotations

import pytest
from conftest import AppServer, wait_idle

pytestmark = pytest.mark.browser

AUTH = """[auth]
redirect_uri = "http://localhost:8501/oauth2callback"
cookie_secret = "test-secret"
client_id = "rebound"
client_secret = "s3cret"
server_metadata_url = "https://id.example.com/.well-known/openid-configuration"
"""
# Each page's own heading, and a line of its body that only the page itself draws.
PAGES = {"goals": ("Goals & wins", "Weekly goals"), "data": ("Your data", "What Rebound stores")}


def _first_visit(browser, server: AppServer, path: str, tmp_path):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{server.url}/{path}")  # the server's very first session
    return context, page


@pytest.mark.parametrize("path", list(PAGES))
def test_a_first_deep_link_with_sign_in_configured_shows_only_the_sign_in_gate(
    browser, db_path, tmp_path, monkeypatch, path
):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(AUTH, encoding="utf-8")
    monkeypatch.setenv("STREAMLIT_SECRETS_FILES", str(secrets))  # = --secrets.files, read by the server
    server = AppServer(db_path)
    context, page = _first_visit(browser, server, path, tmp_path)
    try:
        page.get_by_role("button", name="Sign in").wait_for()
        wait_idle(page)
        page.screenshot(path=str(tmp_path / f"gate-{path}.png"), full_page=True)
        heading, body = PAGES[path]
        assert page.get_by_text("Your job-search journal is private").count() == 1
        assert page.get_by_test_id("stMain").get_by_role("heading", name=heading).count() == 0
        assert page.get_by_text(body).count() == 0
        # Nor the pages' names: nothing of the app beyond the gate.
        assert page.locator(".st-key-rebound_nav").count() == 0
    finally:
        context.close()
        server.stop()


@pytest.mark.parametrize("path", list(PAGES))
def test_a_first_deep_link_without_sign_in_shows_that_page(browser, db_path, tmp_path, path):
    server = AppServer(db_path)
    context, page = _first_visit(browser, server, path, tmp_path)
    try:
        heading, body = PAGES[path]
        page.get_by_test_id("stMain").get_by_role("heading", name=heading).wait_for()
        wait_idle(page)
        assert page.get_by_text(body).count() >= 1
        assert page.get_by_test_id("stMain").get_by_role("heading", name=heading).count() == 1  # drawn once, not twice
        sidebar = page.locator(".st-key-rebound_nav")
        assert sidebar.get_by_text("Goals & wins").count() == 1  # the app's navigation, not the folder's
    finally:
        context.close()
        server.stop()
