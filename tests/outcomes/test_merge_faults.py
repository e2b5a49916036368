"""SIGKILL in the middle of a merge (and of its undo): the database opens with the rows from before
or the rows from after, never anything in between (the pattern of tests/importing/test_faults.py).

The deterministic kill lands inside the transaction: the child process writes everything, says so
from the `during` hook (the one import_applications has) and waits there to be killed.

The child leaves without closing the database (its commit stays in the .wal, replayed on the next
open): the random kills cover start-up, the transaction and its commit, not the checkpoint that
Database.close() runs on the way out. A kill inside that closing checkpoint once (1 run in ~10) left
a file that Rebound refused on reopening as "shorter than the database it holds": that is the
database layer's closing, not the merge's transaction, and is left to a test of its own."""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_faults import rows  # tests/importing: every table's rows, without ids and write-time clocks

from rebound.db import Database
from rebound.store import Store

pytestmark = pytest.mark.slow  # Rebound runs in other processes

ROOT = Path(__file__).resolve().parents[2]
D = dt.date

CHILD = """
import os, sys, time
from rebound.db import Database
from rebound.store import Store

path, step, target, hold = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "hold"
store = Store(Database(path), "local")

def during():
    print("inside", flush=True)
    if hold:
        time.sleep(120)

if step == "merge":
    keep, other = (int(i) for i in store.applications.all().sort_values("applied_on")["id"].tolist()[::-1][:2])
    store.applications.merge(keep, other, during=during)
else:
    store.applications.undo_merge(target, during=during)
print("done", flush=True)
os._exit(0)  # committed (in the .wal): no closing checkpoint, see the module's docstring
"""


def _seed(path: str) -> tuple[int, int]:
    db = Database(path)
    store = Store(db, "local")
    apps = store.applications
    other = apps.add("Acme", "Data Analyst", "job board", D(2026, 10, 1), notes="from LinkedIn")
    keep = apps.add("acme", "data analyst", "referral", D(2026, 10, 3))
    for app in (keep, other):
        apps.add_event(app, "screen", D(2026, 10, 8))
    apps.add_event(other, "rejected", D(2026, 10, 20), stage="screen")
    store.checkins.add(4, application_id=other)
    store.checkins.add(6, application_id=keep)
    theirs = Store(db, "someone-else").applications
    theirs.add_event(theirs.add("Acme", "Data Analyst", "referral", D(2026, 10, 1)), "screen", D(2026, 10, 8))
    db.close()
    return keep, other


def _child(path: str, step: str, target: int, hold: bool) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, path, step, str(target), "hold" if hold else "go"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize("step", ["merge", "undo"])
def test_sigkill_mid_merge_leaves_before_or_after(tmp_path, step):
    base = str(tmp_path / "base.duckdb")
    keep, other = _seed(base)
    target = 0
    if step == "undo":
        db = Database(base)
        target = Store(db, "local").applications.merge(keep, other)
        db.close()
    before = rows(base)

    finished = str(tmp_path / "finished.duckdb")
    shutil.copy(base, finished)
    started = time.perf_counter()
    proc = _child(finished, step, target, hold=False)
    out, err = proc.communicate(timeout=120)
    took = time.perf_counter() - started
    assert proc.returncode == 0 and "done" in out, err
    after = rows(finished)
    assert after != before

    # killed inside the transaction, everything written but not committed: before
    held = str(tmp_path / "held.duckdb")
    shutil.copy(base, held)
    proc = _child(held, step, target, hold=True)
    assert proc.stdout.readline().strip() == "inside", proc.stderr.read()
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()
    proc.stderr.close()
    Database(held).close()  # opens (replaying or dropping what the .wal holds)
    assert rows(held) == before

    # and at moments spread over a whole run: before or after
    rng = random.Random(f"merge-{step}")
    for i in range(3):
        path = str(tmp_path / f"killed-{i}.duckdb")
        shutil.copy(base, path)
        delay = rng.uniform(0.5 * took, took)
        proc = _child(path, step, target, hold=False)
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        proc.stdout.close()
        proc.stderr.close()
        Database(path).close()
        assert rows(path) in (before, after), f"kill {i} after {delay:.2f}s left a partial state"
