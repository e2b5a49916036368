"""The fenced worker (rebound.fence): results and errors come back, and each ceiling (memory, CPU
time, result size) is enforced by the operating system and turned into a plain message. A progress
callback that raises (Streamlit's Cancel) kills the worker."""

from __future__ import annotations

import os
import signal
import time

import pytest

from rebound import fence, limits
from rebound.errors import MailReadError, ValidationError
from rebound.fence import FenceError


# -- what the worker runs: module-level functions (the worker imports them by name) ----------------------
def add(a: int, b: int) -> int:
    return a + b


def refuse(kind: str) -> None:
    raise {"validation": ValidationError, "mail": MailReadError}[kind]("That file is no good.")


def hog(mb: int) -> int:
    return len(bytearray(mb * limits.MB))


def hog_then_call_it_damaged(mb: int) -> int:
    """A reader that turns any exception into 'damaged' (as backup._read_parquet does)."""
    try:
        return hog(mb)
    except Exception:
        raise ValidationError("This backup is damaged.") from None


def spin() -> None:
    while True:
        pass


def big(mb: int) -> bytes:
    return b"x" * (mb * limits.MB)


def crash() -> None:
    os.kill(os.getpid(), signal.SIGSEGV)


def pid_then_wait(on_progress) -> None:
    on_progress(0.5, str(os.getpid()))
    time.sleep(60)


def steps(n: int, on_progress) -> int:
    for i in range(n):
        on_progress(i / n, f"step {i}")
        time.sleep(0.12)  # the worker sends at most ~10 updates a second
    return n


def vm_peak() -> int:
    """The worker's own address-space peak (kB): what RLIMIT_AS bounds."""
    return next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmPeak:"))


# -- tests ---------------------------------------------------------------------------------------------------
def test_a_result_comes_back():
    assert fence.run(add, 2, b=3) == 5


@pytest.mark.parametrize("kind, error", [("validation", ValidationError), ("mail", MailReadError)])
def test_the_readers_own_refusal_comes_back_as_it_is(kind, error):
    with pytest.raises(error, match="That file is no good.") as raised:
        fence.run(refuse, kind)
    assert not isinstance(raised.value, FenceError)


def test_memory_past_the_ceiling_is_refused_with_a_plain_message():
    with pytest.raises(
        FenceError, match=r"^This file needs more memory than Rebound allows for one import; nothing was changed\.$"
    ) as raised:
        fence.run(hog, 2 * limits.WORKER_MEMORY_BYTES // limits.MB)
    assert raised.value.reason == "memory"
    assert isinstance(raised.value, ValidationError)  # what the pages and the CLI already show


def test_a_memory_error_a_reader_calls_damage_is_still_memory():
    with pytest.raises(FenceError, match="needs more memory than Rebound allows for one restore"):
        fence.run(hog_then_call_it_damaged, 2048, what="one restore")


def test_the_worker_runs_under_its_address_space_ceiling():
    assert fence.run(vm_peak) * 1024 <= limits.WORKER_MEMORY_BYTES
    assert fence.run(hog, 64) == 64 * limits.MB  # room to work below it


def test_cpu_past_the_ceiling_is_refused():
    started = time.monotonic()
    with pytest.raises(FenceError, match="takes more computing time than Rebound allows for one mail read") as raised:
        fence.run(spin, cpu_seconds=1, what="one mail read")
    assert raised.value.reason == "cpu"
    assert time.monotonic() - started < 30


def test_a_result_past_the_cap_is_refused_without_reading_it():
    with pytest.raises(FenceError, match=r"comes to 5 MB, more than the 1 MB allowed.*Nothing was changed") as raised:
        fence.run(big, 5, max_result=1 * limits.MB)
    assert raised.value.reason == "result"
    assert fence.run(big, 1, max_result=2 * limits.MB) == b"x" * limits.MB


def test_a_crash_is_a_plain_message_not_a_traceback():
    with pytest.raises(
        FenceError, match=r"reader stopped unexpectedly \(signal SIGSEGV\)\. Nothing was changed"
    ) as raised:
        fence.run(crash)
    assert raised.value.reason == "crash"


def test_progress_reaches_the_caller():
    seen: list[tuple[float, str]] = []
    assert fence.run(steps, 5, on_progress=lambda share, text: seen.append((share, text))) == 5
    assert [t for _, t in dict.fromkeys(seen)][:1] == ["Reading…"] or seen[0][1] == "step 0"
    assert {"step 1", "step 4"} <= {t for _, t in seen}


class Cancelled(Exception):
    pass


def test_a_progress_callback_that_raises_kills_the_worker():
    """Streamlit stops a script that is running when the user clicks (Cancel) by raising in its
    next call to Streamlit: here, the progress callback. The worker must not outlive it."""
    pids = []

    def progress(share: float, text: str) -> None:
        if text.isdigit():
            pids.append(int(text))
            raise Cancelled

    started = time.monotonic()
    with pytest.raises(Cancelled):
        fence.run(pid_then_wait, on_progress=progress)
    assert time.monotonic() - started < 20
    with pytest.raises(ProcessLookupError):  # killed and reaped
        os.kill(pids[0], 0)
