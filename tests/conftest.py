"""Shared fixtures: temporary databases, stores, AppTest runs and a real browser."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from clock import frozen

from rebound.db import Database
from rebound.store import Store

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(autouse=True)
def clock(request):
    """Python's clock frozen at clock.FROZEN_NOW (ticking from there) for this test: `clock.move_to(...)`
    moves it. Tests that share dates with another process (browser, `real_clock`) keep the real clock."""
    if request.node.get_closest_marker("browser") or request.node.get_closest_marker("real_clock"):
        yield None
        return
    with frozen() as traveller:
        yield traveller


@pytest.fixture
def today() -> dt.date:
    """This test's today: clock.TODAY, or the real date where the real clock runs (browser tests)."""
    return dt.date.today()


@pytest.fixture
def db_path(tmp_path) -> str:
    return str(tmp_path / "rebound.duckdb")


@pytest.fixture
def db(db_path):
    database = Database(db_path)
    yield database
    database.close()


@pytest.fixture
def store(db) -> Store:
    return Store(db, "local")


@pytest.fixture
def demo_db_path(tmp_path) -> str:
    """A database filled by the demo generator, closed so an app can open it."""
    from rebound.demo import generate

    path = str(tmp_path / "demo.duckdb")
    database = Database(path)
    generate(Store(database, "local"), weeks=26, seed=11)
    database.close()
    return path


# -- AppTest --------------------------------------------------------------
def open_page(at, page: str):
    """Make `page` ("pages/goals.py", or its key "goals") the page of at's next run(), as a click in
    the sidebar would; returns at.

    AppTest.switch_page finds a page by its file only before the first run (by the file's name,
    which is each page's URL path); after a run it matches the script paths st.navigation
    registered, and our pages are callables (pages/__init__.py), which have none. A callable page's
    script hash is that of its URL path, so this sets it: the one AppTest private used, here only.
    """
    from streamlit.util import calc_hash

    at._page_hash = calc_hash(Path(page).stem)
    return at


@pytest.fixture
def run_page(monkeypatch):
    """run_page("pages/outcomes.py", db_path) -> an AppTest that has run that page through app.py
    (a first visit straight to that page, as a deep link)."""
    from streamlit.testing.v1 import AppTest

    def _run(page: str, path: str, timeout: float = 30):
        monkeypatch.setenv("REBOUND_DB", path)
        monkeypatch.chdir(ROOT)
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
        open_page(at, page).run()
        assert not at.exception, [e.message for e in at.exception]
        return at

    yield _run
    # AppTest shares st.cache_resource across runs in one process: drop cached
    # databases so each test's file is released.
    import streamlit as st

    st.cache_resource.clear()
    st.cache_data.clear()
    from rebound import ui

    ui.clear_cached()


# -- real browser -----------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AppServer:
    def __init__(self, db_path: str):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "REBOUND_DB": db_path}
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "app.py",
                "--server.headless",
                "true",
                "--server.port",
                str(self.port),
                "--server.address",
                "127.0.0.1",
                "--browser.gatherUsageStats",
                "false",
                "--server.fileWatcherType",
                "none",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2).read() == b"ok":
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("streamlit did not start")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture
def app_server(db_path):
    server = AppServer(db_path)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("REBOUND_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        new_context = b.new_context

        def counting_context(*args, **kwargs):  # every page counts its script runs (see wait_idle)
            context = new_context(*args, **kwargs)
            context.add_init_script(COUNT_RUNS_JS)
            return context

        b.new_context = counting_context
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    yield pg
    context.close()


# Counts, in the page, the reruns it asked for (BackMsg field 11, rerun_script) and marks each
# script run the server reports finished (ForwardMsg field 6, script_finished, other than 2:
# finished early for another rerun). The app's script-state attribute alone is not enough: on a
# busy machine a click's rerun may not have started when it is read, and React can batch a fast
# run's 'running' and 'notRunning' into one render.
COUNT_RUNS_JS = """(() => {
  window.__rbAsked = 0; window.__rbAnswered = 0; window.__rbRuns = 0;
  function field(buf, wanted) {
    const b = new Uint8Array(buf); let i = 0;
    const varint = () => { let x = 0, s = 0, c; do { c = b[i++]; x += (c & 0x7f) * 2 ** s; s += 7; } while (c & 0x80 && i < b.length); return x; };
    while (i < b.length) {
      const tag = varint(), f = Math.floor(tag / 8), wire = tag & 7;
      if (wire === 0) { const v = varint(); if (f === wanted) return v; }
      else if (wire === 2) { const n = varint(); if (f === wanted) return -1; i += n; }
      else if (wire === 1) i += 8;
      else if (wire === 5) i += 4;
      else return undefined;
    }
    return undefined;
  }
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', e => {
        if (!(e.data instanceof ArrayBuffer)) return;
        const status = field(e.data, 6);
        if (status !== undefined && status !== 2) { window.__rbRuns++; window.__rbAnswered = window.__rbAsked; }
      });
    }
    send(data) {
      try {
        const bytes = data instanceof ArrayBuffer ? data : (data && data.buffer ? data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) : null);
        if (bytes && field(bytes, 11) !== undefined) window.__rbAsked++;
      } catch (err) {}
      return super.send(data);
    }
  };
})();"""
SETTLED_JS = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (window.__rbRuns === undefined) return true;  // a page opened without the counter
  return window.__rbRuns > 0 && window.__rbAnswered >= window.__rbAsked;
}"""


def wait_idle(page) -> None:
    """Wait until Streamlit has finished every script run the page asked for so far."""
    page.wait_for_timeout(150)
    page.wait_for_function(SETTLED_JS, timeout=30_000, polling=50)


def page_says(page) -> str:
    """What the page's main area shows, its alerts and exceptions first: for a failure's message."""
    main = page.locator("[data-testid='stMain']")
    alerts = [a.inner_text()[:300] for a in main.locator("[data-testid='stAlert'], [data-testid='stException']").all()]
    return f"alerts {alerts}; text {main.inner_text()[:800]!r}"


def wait_for_toast(page, text: str | None = None, timeout: float = 20_000):
    """The first toast (holding `text`), awaited right after the click that shows it, not after the
    page settles: a toast is gone ~4 s after it appears, which a slow settle can outlast. On a
    timeout the failure says what the page showed instead."""
    toast = page.locator("[data-testid='stToast']", has_text=text) if text else page.get_by_test_id("stToast")
    try:
        toast.first.wait_for(timeout=timeout)
    except Exception as error:
        raise AssertionError(
            f"no toast{f' with {text!r}' if text else ''}; the page shows {page_says(page)}"
        ) from error
    return toast.first
