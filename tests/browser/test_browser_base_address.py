"""A visit straight to a page's address asks the server at the app's base only (serve.py, through
rebound.ui.base_address), at the root and behind a path prefix; `streamlit run app.py` still
probes the page's own address first (the control: what this test would see if an upgrade broke
the mechanism). The app works the same either way: its pages, and moving between them."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import wait_idle

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # the benchmark's server helper lives beside the package

from benchmarks.browser import Server  # noqa: E402

pytestmark = pytest.mark.browser


def _visit(page, url: str, asked: list[str]) -> list[str]:
    """Open `url`, wait until the app has finished, and return the server calls it made."""
    asked.clear()
    page.goto(url)
    wait_idle(page)
    page.get_by_role("heading", level=1).first.wait_for()
    return [u for u in asked if "/_stcore/health" in u or "/_stcore/host-config" in u]


@pytest.mark.parametrize(
    ("script", "prefix"),
    [("serve.py", ""), ("serve.py", "rebound/app"), ("app.py", "")],
)
def test_a_direct_visit_to_a_page_asks_only_the_apps_base(browser, db_path, script, prefix):
    args = ("--server.baseUrlPath", prefix) if prefix else ()
    with Server(script, db_path, args=args) as server:
        base = server.url  # with the prefix
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(30_000)
        asked: list[str] = []
        page.on("request", lambda r: asked.append(r.url))
        try:
            calls = _visit(page, f"{base}/progress", asked)
            probed = [u for u in calls if "/progress/_stcore/" in u]
            if script == "app.py":
                assert probed, "the default server probes the page's own address first (streamlit#7074)"
            else:
                assert not probed, calls
                assert f"{base}/_stcore/health" in calls
            assert page.get_by_role("heading", name="Progress", level=1).count() == 1
            # A reload and a second page at its own address: the same, and the sidebar's links work.
            again = _visit(page, f"{base}/outcomes", asked)
            assert bool([u for u in again if "/outcomes/_stcore/" in u]) == (script == "app.py")
            page.locator("[data-testid='stSidebar']").get_by_role("link", name="Progress").click()
            page.get_by_role("heading", name="Progress", level=1).wait_for()
            wait_idle(page)
            assert page.url == f"{base}/progress"
            # The root itself asks the root only, as it always did.
            root = _visit(page, base, asked)
            assert root and all(u.startswith(f"{base}/_stcore/") for u in root)
        finally:
            context.close()
