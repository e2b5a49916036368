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
