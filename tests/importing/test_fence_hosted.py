"""Hosted, the fenced workers count in the server's budget (issue 24): each gets 512 MB of address space
instead of 1 GB, a browser session runs one at a time, and the process at most two; a read that finds
none free is refused with a plain message (FenceBusy) instead of starting another."""

from __future__ import annotations

import resource
import threading
import time

import pytest

from rebound import fence, limits
from rebound.fence import FenceBusy


def as_caller(owner: str | None, hosted: bool, func, *args, **kwargs):
    """fence.run(func, *args) from a thread of its own that says it is `owner` (as a script run of the
    app does), so this test's thread keeps its own caller."""
    out: dict = {}

    def go():
        token = fence.set_caller(owner, hosted)
        try:
            out["value"] = fence.run(func, *args, **kwargs)
        except Exception as error:
            out["error"] = error
        finally:
            fence.reset_caller(token)

    thread = threading.Thread(target=go)
    thread.start()
    return thread, out


def finished(thread_out):
    thread, out = thread_out
    thread.join(60)
    assert not thread.is_alive()
    return out


def running_for(owner: str, free: int, timeout: float = 30) -> None:
    """Wait until `owner`'s worker holds its place, leaving `free` of the process's places."""
    end = time.monotonic() + timeout
    while owner not in fence._RUNNING or fence._WORKERS._value != free:  # type: ignore[attr-defined]
        assert time.monotonic() < end, f"{owner}'s worker never started"
        time.sleep(0.02)


def test_a_hosted_worker_gets_512_mb_of_address_space(monkeypatch):
    assert fence.run(resource.getrlimit, resource.RLIMIT_AS) == (limits.WORKER_MEMORY_BYTES,) * 2  # locally: 1 GB
    monkeypatch.setenv("REBOUND_HOSTED", "1")
    assert limits.HOSTED_WORKER_MEMORY_BYTES == 512 * limits.MB
    assert fence.run(resource.getrlimit, resource.RLIMIT_AS) == (512 * limits.MB,) * 2
    monkeypatch.delenv("REBOUND_HOSTED")
    # hosted as the app's secrets say (REBOUND_HOSTED in secrets.toml): the app tells the fence
    assert finished(as_caller("s1", True, resource.getrlimit, resource.RLIMIT_AS))["value"] == (512 * limits.MB,) * 2


@pytest.mark.slow
def test_a_session_reads_one_file_at_a_time_and_the_server_two(monkeypatch):
    monkeypatch.setattr(limits, "HOSTED_WORKER_WAIT", 0.5)
    first = as_caller("alice", True, time.sleep, 6)
    running_for("alice", free=1)
    started = time.monotonic()
    again = finished(as_caller("alice", True, time.sleep, 0))  # a second read in the same session: refused at once
    assert isinstance(again.get("error"), FenceBusy) and "one at a time" in str(again["error"])
    assert time.monotonic() - started < 2
    second = as_caller("bob", True, time.sleep, 6)  # another session: the second worker of the process
    running_for("bob", free=0)
    third = finished(as_caller("carol", True, time.sleep, 0))  # a third session: waits 0.5 s, then refused
    assert isinstance(third.get("error"), FenceBusy)
    assert (
        str(third["error"])
        == "Rebound is busy reading other visitors' files: try again in a moment. Nothing was changed."
    )
    assert finished(first) == {"value": None} and finished(second) == {"value": None}
    assert finished(as_caller("carol", True, time.sleep, 0)) == {"value": None}  # a moment later, it runs
    assert finished(as_caller("alice", True, time.sleep, 0)) == {"value": None}
    assert not fence._RUNNING


def test_locally_nothing_waits_or_is_refused(monkeypatch):
    monkeypatch.delenv("REBOUND_HOSTED", raising=False)
    monkeypatch.setattr(limits, "HOSTED_WORKER_WAIT", 0.1)
    runs = [as_caller("me", False, time.sleep, 1) for _ in range(3)]  # one person's CLI or app: no fence budget
    assert all(finished(r) == {"value": None} for r in runs)


def _reads_one_upload():
    """A page reading one upload through rebound.ui.reading (an AppTest script)."""
    import streamlit as st

    from rebound.fence import FenceBusy
    from rebound.ui import reading
    from rebound.ui.session import Slot

    calls = st.session_state.setdefault("calls", [])

    def read(progress):
        calls.append(1)
        if len(calls) == 1:
            raise FenceBusy("Rebound is busy reading other visitors' files: try again in a moment.")
        return "rows"

    st.write(f"value={reading.read_once(Slot('_upload_read'), 'sig', read, 'Reading…', key='upload')}")


def test_a_busy_refusal_is_said_but_not_kept_for_the_upload():
    """Other refusals are kept for their upload (the same file fails the same way); busy is the
    moment's, so the next run (the Try again button, or any click) reads the file."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_reads_one_upload).run()
    assert len(at.error) == 1 and "busy reading other visitors" in at.error[0].value
    assert "value=None" in at.markdown[-1].value
    at.button(key="upload_busy").click().run()
    assert not at.error and "value=rows" in at.markdown[-1].value
