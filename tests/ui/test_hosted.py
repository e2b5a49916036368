"""A hosted copy without sign-in: each visitor's private demo has its own storage, filled on the
first click, and freed when the session ends, sits idle, or makes way at the ceiling."""

from __future__ import annotations

import gc
import re
from pathlib import Path

import pytest
from conftest import ROOT, AppServer, wait_idle
from streamlit.testing.v1 import AppTest

from rebound import ui
from rebound.cache import RESULTS
from rebound.sessions import SessionDatabases, SessionsFull
from rebound.store import Store


@pytest.fixture
def hosted(monkeypatch, db_path):
    """hosted() -> an AppTest session of a hosted copy without sign-in, at its notice page."""
    monkeypatch.setenv("REBOUND_DB", db_path)
    monkeypatch.setenv("REBOUND_HOSTED", "1")
    monkeypatch.chdir(ROOT)
    before = set(ui.SESSIONS.keys())

    def _open() -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.run()
        assert any("no sign-in set up" in w.value for w in at.warning)
        return at

    yield _open
    for key in set(ui.SESSIONS.keys()) - before:
        ui.SESSIONS.close(key)
    import streamlit as st

    st.cache_resource.clear()
    ui.clear_cached()


def _start_demo(at: AppTest) -> Store:
    next(b for b in at.button if b.label == "Try a private demo session").click().run()
    assert not at.exception, [e.message for e in at.exception]
    lease = at.session_state[ui.LEASE_KEY]
    return Store(ui.SESSIONS.get(lease), at.session_state["session_user"])


def test_the_private_demo_session_has_demo_data(hosted):
    at = hosted()
    demo = _start_demo(at)
    assert demo.applications.count() > 50  # generated: the handler no longer stops before it runs
    assert not any("Welcome" in s.value for s in at.subheader)  # Today shows the demo, not the empty state
    assert any("private demo session" in i.value for i in at.sidebar.info)


def test_each_session_has_its_own_database(hosted, db_path):
    first, second = hosted(), hosted()
    a, b = _start_demo(first), _start_demo(second)
    assert a.db is not b.db and a.user_id != b.user_id
    a.applications.add("Only in A", "Analyst", "referral", __import__("datetime").date(2026, 1, 5))
    assert "Only in A" not in set(b.applications.all()["company"])
    assert Store(b.db, a.user_id).applications.count() == 0  # not even a shared file under another user id


def test_closing_sessions_frees_their_rows_and_memory(hosted):
    """AppTest has no browser to disconnect: here a session ends as its state is dropped (the
    lease's finalizer; a real server also releases it on disconnect, see the browser test)."""
    warm = hosted()  # the first runs import the pages' modules, after which rebound.ui freezes what is
    _start_demo(warm)  # alive (gc.freeze): like a server after its first visitors, not during them
    ui.SESSIONS.close(warm.session_state["session_user"])
    del warm
    base_memory = ui.SESSIONS.memory_bytes()
    sessions = [hosted() for _ in range(3)]
    keys = []
    for at in sessions:
        demo = _start_demo(at)
        keys.append(at.session_state["session_user"])
        demo.db.cursor().execute(  # a big import's worth of rows: ~30 MB per session
            "INSERT INTO applications (user_id, company, role, channel, applied_on, notes)"
            " SELECT $u, 'Co ' || range, 'Role', 'referral', DATE '2026-01-01', repeat('n', 100) FROM range(200000)",
            {"u": demo.user_id},
        )
    assert set(keys) <= set(ui.SESSIONS.keys())
    held = ui.SESSIONS.memory_bytes()
    assert held - base_memory > 3 * 10 * 1024 * 1024
    del at, demo
    sessions.clear()  # the browser tabs close: Streamlit drops their session state
    gc.collect()
    assert not set(keys) & set(ui.SESSIONS.keys())
    assert ui.SESSIONS.memory_bytes() <= base_memory + 1024 * 1024
    assert not [k for k in RESULTS.snapshot() if k[1] in keys]  # nothing cached for them either


def test_an_idle_session_is_freed_and_the_visitor_is_told(hosted):
    at = hosted()
    _start_demo(at)
    ui.SESSIONS.close(at.session_state["session_user"])  # what the idle sweep does after IDLE_SECONDS
    at.run()
    assert not at.exception
    assert any("private demo session has ended" in i.value for i in at.info)
    assert [b.label for b in at.button] == ["Try a private demo session"]
    assert _start_demo(at).applications.count() > 0


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_idle_timeout_and_ceiling():
    clock = Clock()
    sessions = SessionDatabases(idle_seconds=60, max_sessions=2, evict_after_seconds=10, clock=clock)
    a, b = sessions.lease(), sessions.lease()
    with pytest.raises(SessionsFull, match="Try again in a few minutes"):
        sessions.lease()  # both in use a moment ago
    clock.now += 20
    assert sessions.get(b) is not None  # b is used again; a has been idle 20 s
    c = sessions.lease()  # the ceiling: a (idle longest) makes way
    assert sessions.get(a) is None and sessions.get(c) is not None and len(sessions) == 2
    clock.now += 61
    sessions.sweep()
    assert len(sessions) == 0 and sessions.get(b) is None and sessions.get(c) is None


def test_one_client_cannot_hold_every_slot():
    """The red team's client: 16 tabs from one address, each rerun every 50 s, held all 16 slots."""
    clock = Clock()
    sessions = SessionDatabases(max_sessions=16, max_per_client=4, evict_after_seconds=120, clock=clock)
    tabs = []
    for _ in range(16):
        tabs.append(sessions.lease(client="203.0.113.7"))
        clock.now += 3
    for tab in tabs:  # every tab reruns: each open one is in use
        sessions.get(tab)
    clock.now += 50
    assert len(sessions) == 4  # its four newest tabs; each older one gave way to a newer one
    assert [sessions.get(t) is not None for t in tabs] == [False] * 12 + [True] * 4
    others = [sessions.lease(client=f"198.51.100.{n}") for n in range(12)]  # everyone else still gets in
    assert all(sessions.get(o) is not None for o in others) and len(sessions) == 16


def test_each_database_has_a_memory_ceiling():
    sessions = SessionDatabases(memory_mb=32, temp_mb=64)
    lease = sessions.lease()
    db = sessions.get(lease)
    limit, temp = (
        db.cursor()
        .execute("SELECT current_setting('memory_limit'), current_setting('max_temp_directory_size')")
        .fetchone()
    )
    assert limit.startswith("30.5 MiB") or "MiB" in limit and float(limit.split()[0]) <= 32
    assert "MiB" in temp and float(temp.split()[0]) <= 64
    with pytest.raises(Exception, match="(?i)memory|temp|space"):
        db.cursor().execute("CREATE TABLE big AS SELECT range, repeat(md5(range::VARCHAR), 30) AS t FROM range(300000)")
    del lease
    gc.collect()
    assert len(sessions) == 0


# -- real browser ------------------------------------------------------------------------------------------
@pytest.mark.browser
def test_browser_private_demo_session_shows_demo_data(page, db_path, monkeypatch, tmp_path):
    monkeypatch.setenv("REBOUND_HOSTED", "1")
    server = AppServer(db_path)
    try:
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(server.url)
        page.get_by_text("no sign-in set up").wait_for()
        page.get_by_role("button", name="Try a private demo session").click()
        page.get_by_role("heading", name="This week").wait_for(timeout=60_000)
        wait_idle(page)
        assert page.get_by_text("Welcome to Rebound").count() == 0
        page.get_by_text("Streak").wait_for()  # demo goals and their streak, at phone width
        assert page.get_by_text("Streak").count() == 1
        page.screenshot(path=str(tmp_path / "hosted-demo.png"), full_page=True)
    finally:
        server.stop()


@pytest.mark.browser
def test_browser_closing_the_tab_frees_the_session_database(browser, db_path, monkeypatch):
    """On a real server: the private database (its temporary folder marks it) is gone once the tab
    closes: Streamlit releases the session's session-scoped resources when its browser disconnects."""
    import tempfile
    import time
    from pathlib import Path

    monkeypatch.setenv("REBOUND_HOSTED", "1")
    folders = lambda: set(Path(tempfile.gettempdir()).glob("rebound-session-*"))  # noqa: E731
    server = AppServer(db_path)
    try:
        before = folders()
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        tab = context.new_page()
        tab.goto(server.url)
        tab.get_by_role("button", name="Try a private demo session").click()
        tab.get_by_role("heading", name="This week").wait_for(timeout=60_000)
        mine = folders() - before
        assert len(mine) == 1
        context.close()  # the visitor closes the tab
        deadline = time.time() + 20
        while time.time() < deadline and mine & folders():
            time.sleep(0.25)
        assert not mine & folders(), "the closed tab's database is still open"
    finally:
        server.stop()


def _peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


@pytest.mark.browser
def test_browser_a_backup_bomb_in_a_private_session_is_refused_and_the_server_stays_small(
    page, db_path, monkeypatch, tmp_path
):
    """The attack the red team ran: an anonymous visitor uploads a 1.5 MB backup that decodes to
    2 GB. The preview reads only the manifest; Restore refuses it; the server's peak memory stays low."""
    from test_backup_limits import PEAK_MB_ALLOWED, parquet_bomb

    from rebound.backup import make_backup
    from rebound.db import Database
    from rebound.demo import generate

    source = Store(Database(":memory:"), "local")
    generate(source, weeks=4, seed=1)
    bomb = tmp_path / "rebound-backup.zip"
    bomb.write_bytes(parquet_bomb(make_backup(source)))
    monkeypatch.setenv("REBOUND_HOSTED", "1")
    server = AppServer(db_path)
    try:
        page.goto(server.url)
        page.get_by_role("button", name="Try a private demo session").click()
        page.get_by_role("heading", name="This week").wait_for(timeout=60_000)
        page.locator(".st-key-rebound_nav").get_by_text("Data", exact=True).click()
        wait_idle(page)
        page.get_by_role("tab", name="🛟 Backup & restore").click()
        page.locator(
            "[class*='st-key-data_restore_file_'] [data-testid='stFileUploaderDropzoneInput']"
        ).set_input_files(str(bomb))
        page.get_by_text("1,000,000 applications").wait_for(timeout=30_000)  # from the manifest alone
        page.get_by_text("I understand this replaces all my current data").click()
        wait_idle(page)
        page.get_by_role("button", name="Restore this backup").click()
        # Refused by whichever bound comes first: the decoded-size check, or the worker's memory ceiling
        # (which one depends on how much the worker holds besides the batch; both change nothing).
        page.get_by_text(
            re.compile(r"unpacks to more than the 256 MB Rebound reads|needs more memory than Rebound allows")
        ).first.wait_for(timeout=60_000)
        page.screenshot(path=str(tmp_path / "bomb-refused.png"), full_page=True)
        peak = _peak_mb(server.proc.pid)
        print(f"server peak after the bomb: {peak:.0f} MB")
        assert peak < PEAK_MB_ALLOWED + 100  # a server is a little bigger than the CLI
        page.get_by_role("tab", name="🗑️ Delete").click()
        page.get_by_text("demo applications are mixed in").wait_for()  # the demo is still there, untouched
    finally:
        server.stop()
