"""Run Python code in a child process that reports its own peak memory.

Linux carries `ru_maxrss` across fork and exec, so a child started from a large pytest process
reports pytest's size instead of its own (a sequential CI run read 472 MB for every bomb). The
kernel's VmHWM in /proc/self/status belongs to the child's own memory map, which starts at exec.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# An expression for the child's code: its peak resident memory so far, in MB.
PEAK_MB = 'next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")) / 1024'


def run_python(code: str, *args: str, timeout: int = 300) -> dict:
    """Run `code` with `args` in a fresh Python; return the JSON object its last line printed."""
    proc = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def peak_from_outside(args: list[str], timeout: float = 300, stop_above_mb: float = 3000) -> tuple[int, str, float]:
    """Run `args` (a command: a server or the CLI) and watch its resident memory from outside,
    as an operator would: (exit status, stderr, the process's own peak RSS in MB, from its VmHWM).

    A process past `stop_above_mb` is killed (the peak then reads at least that), so a bomb that
    gets through fails its test without taking the machine with it. Its children (a fenced worker)
    have their own memory and are not counted: the question is what the server itself holds."""
    import time

    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak, deadline = 0.0, time.monotonic() + timeout
    status = Path(f"/proc/{proc.pid}/status")
    while proc.poll() is None:
        try:
            hwm = next(int(x.split()[1]) for x in status.read_text().splitlines() if x.startswith("VmHWM:"))
            peak = max(peak, hwm / 1024)
        except (OSError, StopIteration):  # exiting: its last reading stands
            pass
        if peak > stop_above_mb or time.monotonic() > deadline:
            proc.kill()
        time.sleep(0.02)
    _, err = proc.communicate()
    return proc.returncode, err.decode("utf-8", "replace"), peak
