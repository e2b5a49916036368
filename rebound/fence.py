"""The fence: every read of a file or message a person hands Rebound runs in a worker process
whose memory, CPU time and result size the operating system bounds.

A file's own metadata (a zip's sizes, a Parquet footer, a header's length) can lie, and a parser
can grow faster than its input; the checks in rebound.limits are advice a crafted file can get
past. The worker is the dependable bound: `python -m rebound.fence` sets `RLIMIT_AS` (address
space) and `RLIMIT_CPU` (CPU seconds) on itself before it reads anything, reads one pickled
request (a module-level function and its arguments) from stdin, runs it, and writes framed
messages to stdout (progress, then the result or a user-facing error). The parent reads at most
`max_result` bytes of result, and turns the worker's exit status, signal and stderr into a plain
message: FenceError (a ValidationError: callers already show those, and nothing was written).

`subprocess` and a module entry point rather than multiprocessing: the app runs inside
Streamlit's threads, where forking a threaded process is unsafe and spawn re-imports the main
script; a fresh interpreter has neither problem. The parent copies its `sys.path` to the worker,
so whatever the parent can import (the app, tests) the worker can too. Writes stay in the parent.

Cancelling: `on_progress` is called from the parent's loop at least every HEARTBEAT seconds. If
it raises (Streamlit raises in the script thread when the user clicks a button, such as Cancel,
while the script runs), the worker is killed before the exception goes on: it never outlives
the call that started it.

Hosted (rebound.identity.is_hosted, or what the app says with `set_caller`), the workers share the
server with every visitor: each gets limits.HOSTED_WORKER_MEMORY_BYTES of address space rather than
WORKER_MEMORY_BYTES, a browser session runs one at a time (a second read while one runs is refused
at once: FenceBusy), and the process runs at most limits.HOSTED_WORKERS (a read waits up to
HOSTED_WORKER_WAIT seconds for one, then is refused: "busy, try again in a moment"). So 16 private
sessions can't start 16 one-GB workers.
"""

from __future__ import annotations

import inspect
import os
import pickle
import resource
import select
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass
from typing import Any

from rebound import limits
from rebound.errors import MailReadError, ValidationError
from rebound.identity import is_hosted

HEARTBEAT = 0.25  # seconds between on_progress calls while the worker runs
_HEAD = struct.Struct("!cQ")  # a frame: kind (1 byte), payload length (8 bytes), payload
_PROGRESS, _RESULT, _ERROR, _TOO_BIG = b"P", b"R", b"E", b"B"
_EXIT_MEMORY = 75  # the worker's exit code for a MemoryError (any code a crash does not use)
_ERRORS: dict[str, type[Exception]] = {"ValidationError": ValidationError, "MailReadError": MailReadError}


class FenceError(ValidationError):
    """The worker was refused by a ceiling or stopped; `reason` is "memory", "cpu", "result" or
    "crash". Nothing was written: the worker only reads, and the parent writes after it."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class FenceBusy(FenceError):
    """Hosted, no worker was free for this read (reason "busy"): nothing was read or changed; the
    same read a moment later may run."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "busy")


@dataclass(frozen=True)
class Caller:
    """Who starts the workers of this thread: `owner` names a browser session (one worker at a
    time each), `hosted` says the app runs hosted (as its secrets may say, beyond the environment)."""

    owner: str | None = None
    hosted: bool = False


_CALLER: ContextVar[Caller] = ContextVar("rebound_fence_caller", default=Caller())  # noqa: B039 (frozen)
_WORKERS = threading.BoundedSemaphore(limits.HOSTED_WORKERS)  # hosted: workers running in this process
_RUNNING: set[str] = set()  # hosted: the owners with a worker running
_RUNNING_LOCK = threading.Lock()
ONE_AT_A_TIME = (
    "Another file of yours is still being read (one at a time here): try again when it has finished. "
    "Nothing was changed."
)
BUSY = "Rebound is busy reading other visitors' files: try again in a moment. Nothing was changed."


def set_caller(owner: str | None, hosted: bool = False) -> Token[Caller]:
    """Say whose reads this thread starts (the app does, at the start of each script run); the token
    undoes it (`reset_caller`)."""
    return _CALLER.set(Caller(owner, hosted))


def reset_caller(token: Token[Caller]) -> None:
    _CALLER.reset(token)


@contextmanager
def _admitted(caller: Caller) -> Iterator[None]:
    """Hosted: a worker slot for this read, or FenceBusy (see the module's docstring)."""
    owner = caller.owner
    if owner is not None:
        with _RUNNING_LOCK:
            if owner in _RUNNING:
                raise FenceBusy(ONE_AT_A_TIME)
            _RUNNING.add(owner)
    try:
        if not _WORKERS.acquire(timeout=limits.HOSTED_WORKER_WAIT):
            raise FenceBusy(BUSY)
        try:
            yield
        finally:
            _WORKERS.release()
    finally:
        if owner is not None:
            with _RUNNING_LOCK:
                _RUNNING.discard(owner)


def run(
    func: Callable[..., Any],
    *args: Any,
    what: str = "one import",
    on_progress: Callable[[float, str], object] | None = None,
    memory: int = limits.WORKER_MEMORY_BYTES,
    cpu_seconds: int = limits.WORKER_CPU_SECONDS,
    max_result: int = limits.WORKER_RESULT_BYTES,
    **kwargs: Any,
) -> Any:
    """func(*args, **kwargs) run in a fenced worker; its return value, or the error it raised
    (ValidationError, MailReadError) raised here with its message. `func` must be importable by
    name (a module-level function) and its arguments and result picklable. With `on_progress`,
    a func that takes a keyword `on_progress` gets one in the worker whose calls `(share 0..1,
    text)` reach this one; this one is also called every HEARTBEAT seconds with the latest.

    Raises FenceError, naming `what` ("one import", "one restore", "one mail read"), when the
    worker needs more memory or CPU time than allowed, returns more than `max_result` bytes,
    or stops for any other reason; hosted, FenceBusy when no worker is free for it."""
    caller = _CALLER.get()
    if not (caller.hosted or is_hosted()):
        return _run(func, args, kwargs, what, on_progress, memory, cpu_seconds, max_result)
    with _admitted(caller):
        memory = min(memory, limits.HOSTED_WORKER_MEMORY_BYTES)
        return _run(func, args, kwargs, what, on_progress, memory, cpu_seconds, max_result)


def _run(
    func: Callable[..., Any],
    args: tuple,
    kwargs: dict[str, Any],
    what: str,
    on_progress: Callable[[float, str], object] | None,
    memory: int,
    cpu_seconds: int,
    max_result: int,
) -> Any:
    header = {"path": list(sys.path), "memory": memory, "cpu": cpu_seconds, "max_result": max_result}
    env = {**os.environ, "OMP_NUM_THREADS": "1", "ARROW_DEFAULT_MEMORY_POOL": "system", "PYTHONHASHSEED": "0"}
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(
            [sys.executable, "-m", "rebound.fence"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            env=env,
        )
        try:
            assert proc.stdin is not None and proc.stdout is not None
            try:
                pickle.dump(header, proc.stdin, protocol=5)
                pickle.dump((func, args, kwargs, on_progress is not None), proc.stdin, protocol=5)
                proc.stdin.close()
            except (BrokenPipeError, OSError):  # it died before reading everything: its status says why
                pass
            frame = _read_frames(proc, on_progress, max_result, what, cpu_seconds)
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            for pipe in (proc.stdin, proc.stdout):
                if pipe is not None and not pipe.closed:
                    pipe.close()
        if frame is None:
            errors.seek(0, os.SEEK_END)
            errors.seek(max(0, errors.tell() - 4000))
            raise _stopped(proc.returncode, errors.read().decode("utf-8", "replace"), what, cpu_seconds)
    kind, payload = frame
    if kind == _RESULT:
        return pickle.loads(payload)
    if kind == _TOO_BIG:
        raise _too_big(int(payload), max_result, what)
    name, message = pickle.loads(payload)
    raise _ERRORS.get(name, ValidationError)(message)


def _read_frames(
    proc: subprocess.Popen,
    on_progress: Callable[[float, str], object] | None,
    max_result: int,
    what: str,
    cpu_seconds: int,
) -> tuple[bytes, bytes] | None:
    """The worker's final frame (result, error or too-big), calling on_progress on the way; None if
    it ended without one. Never reads more than `max_result` bytes of one frame."""
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    buf = bytearray()
    last: tuple[float, str] = (0.0, "Reading…")
    deadline = time.monotonic() + 3 * cpu_seconds + 30  # a worker that sleeps uses no CPU time
    while True:
        ready, _, _ = select.select([fd], [], [], HEARTBEAT)
        if ready:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return None
            buf += chunk
        while len(buf) >= _HEAD.size:
            kind, size = _HEAD.unpack_from(buf)
            if size > max_result + 4096:  # refused from the length, before the bytes are read
                proc.kill()
                raise _too_big(size, max_result, what)
            if len(buf) < _HEAD.size + size:
                break
            payload = bytes(buf[_HEAD.size : _HEAD.size + size])
            del buf[: _HEAD.size + size]
            if kind != _PROGRESS:
                return kind, payload
            last = pickle.loads(payload)
        if on_progress:
            on_progress(*last)  # may raise (a Cancel click): the caller's finally kills the worker
        if time.monotonic() > deadline:
            proc.kill()
            raise FenceError(_cpu_message(what, cpu_seconds), "cpu")


def _mb(n: int) -> str:
    return f"{n / limits.MB:,.0f} MB"


def _too_big(size: int, max_result: int, what: str) -> FenceError:
    return FenceError(
        f"This file holds more than Rebound takes in for {what}: what was read from it comes to "
        f"{_mb(size)}, more than the {_mb(max_result)} allowed. Split it into smaller files. "
        "Nothing was changed.",
        "result",
    )


def _cpu_message(what: str, seconds: int) -> str:
    return (
        f"This file takes more computing time than Rebound allows for {what} ({seconds} seconds); "
        "nothing was changed. Split it into smaller files, or remove what you don't need from it."
    )


def _stopped(code: int | None, stderr: str, what: str, cpu_seconds: int) -> FenceError:
    """The user's message for a worker that ended without an answer."""
    if code == _EXIT_MEMORY or any(s in stderr for s in ("MemoryError", "bad_alloc", "Cannot allocate memory")):
        return FenceError(f"This file needs more memory than Rebound allows for {what}; nothing was changed.", "memory")
    if code == -signal.SIGXCPU:  # RLIMIT_CPU's soft limit
        return FenceError(_cpu_message(what, cpu_seconds), "cpu")
    how = f"signal {signal.Signals(-code).name}" if code is not None and code < 0 else f"exit status {code}"
    return FenceError(
        f"Rebound could not read this file: its reader stopped unexpectedly ({how}). Nothing was changed.",
        "crash",
    )


# -- the worker ---------------------------------------------------------------------------------
def _send(out: Any, kind: bytes, payload: bytes) -> None:
    out.write(_HEAD.pack(kind, len(payload)))
    out.write(payload)
    out.flush()


def _out_of_memory(error: BaseException | None) -> bool:
    seen = 0
    while error is not None and seen < 50:
        if isinstance(error, MemoryError):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def _worker() -> int:
    stdin, out = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print() must not corrupt the frames
    header = pickle.load(stdin)
    resource.setrlimit(resource.RLIMIT_AS, (header["memory"], header["memory"]))
    # The soft limit sends SIGXCPU (which kills: its default action); the hard one, a second later, SIGKILL.
    resource.setrlimit(resource.RLIMIT_CPU, (header["cpu"], header["cpu"] + 1))
    sys.path[:] = header["path"]
    try:
        func, args, kwargs, wants_progress = pickle.load(stdin)
        if wants_progress and "on_progress" in inspect.signature(func).parameters:
            last = [0.0]

            def progress(share: float, text: str) -> None:
                now = time.monotonic()
                if now - last[0] >= 0.1 or share >= 1:
                    last[0] = now
                    _send(out, _PROGRESS, pickle.dumps((float(share), str(text))))

            kwargs["on_progress"] = progress
        try:
            result = func(*args, **kwargs)
        except (ValidationError, MailReadError) as error:
            if _out_of_memory(error):  # a reader that turned a MemoryError into "damaged"
                raise MemoryError from error
            _send(out, _ERROR, pickle.dumps((type(error).__name__, str(error))))
            return 0
        data = pickle.dumps(result, protocol=5)
        if len(data) > header["max_result"]:
            _send(out, _TOO_BIG, str(len(data)).encode())
        else:
            _send(out, _RESULT, data)
    except MemoryError:
        os.write(2, b"MemoryError\n")
        os._exit(_EXIT_MEMORY)  # no clean-up that could need memory
    return 0


if __name__ == "__main__":
    sys.exit(_worker())
