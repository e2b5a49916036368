"""What encryption at rest costs the heavy user: the same database plain and encrypted, side by side.

    python -m benchmarks.crypt_bench --db HEAVY.duckdb [--rounds 2] [--runs 5] [--rows 10000]
    python -m benchmarks.crypt_bench --db HEAVY.duckdb --backup [--rounds 3]

HEAVY.duckdb is a plain database (`rebound demo --profile heavy --years 3 --db HEAVY.duckdb`); an
encrypted copy is made beside it. Each variant is measured in a fresh subprocess (no cache or
instance shared), plain and encrypted alternating for --rounds, so a busy machine slows both alike:

* open: Database(path) + close (the key already derived); the key derivation (scrypt) separately;
* queries: every analytics query of benchmarks.bench, uncached, summed;
* pages in AppTest through app.py: Progress's first run in the process (cold caches, the first
  Progress a user waits for), then warm reruns of Today and Progress, and Progress after a write;
* import: the benchmark's 10,000-row LinkedIn export into an empty database of that variant.

Prints one JSON object: per variant the median over rounds of each figure, and encrypted ÷ plain.

--backup measures a backup instead (in this process, on a copy of HEAVY.duckdb): making it (make_backup,
plain or sealed with a passphrase), opening it (decrypt_backup, the encrypted one only), and
restoring it (read_backup in the fenced worker + restore_backup, nothing kept aside), plain and
encrypted alternating for --rounds; and the file sizes.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

WORDS = "benchmark passphrase"


def _key(path: str) -> str | None:
    from rebound import passphrase

    return passphrase.key_for(path, WORDS) if passphrase.is_encrypted(path) else None


def _encrypted_copy(src: str, dst: str) -> None:
    from rebound import passphrase
    from rebound.db import rewrite

    shutil.copy(src, dst)
    rewrite(dst, None, passphrase.derive_key(WORDS, passphrase.ensure_salt(dst)))


def _worker(args) -> dict:
    import datetime as dt

    from streamlit.testing.v1 import AppTest

    from benchmarks.bench import HEAVY_USER, analytics_queries, linkedin_csv
    from rebound import passphrase
    from rebound.db import Database
    from rebound.store import Store

    out: dict = {}
    t = time.perf_counter()
    key = _key(args.db)
    out["kdf_ms"] = (time.perf_counter() - t) * 1000 if key else 0.0
    opens = []
    for _ in range(args.runs):
        t = time.perf_counter()
        Database(args.db, key=key).close()
        opens.append((time.perf_counter() - t) * 1000)
    out["open_ms"] = statistics.median(opens)

    db = Database(args.db, key=key, cache=False)
    store, today = Store(db, HEAVY_USER), dt.date.today()
    t = time.perf_counter()
    for query in analytics_queries().values():
        query(store, today)
    out["queries_uncached_ms"] = (time.perf_counter() - t) * 1000
    db.close()

    os.chdir(ROOT)
    os.environ["REBOUND_DB"] = args.db
    sys.path[:0] = [str(ROOT / "tests")]
    from conftest import open_page

    def app() -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        if key:  # this session has unlocked the file (the unlock page, as a user would)
            at.session_state["_database_key"] = (args.db, key)
        return at

    at = open_page(app(), "progress")
    t = time.perf_counter()
    at.run()
    out["progress_first_ms"] = (time.perf_counter() - t) * 1000
    assert not at.exception, [e.message for e in at.exception]
    for page in ("today", "progress"):
        at = open_page(app(), page)
        at.run()
        at.run()
        runs = []
        for _ in range(args.runs):
            t = time.perf_counter()
            at.run()
            runs.append((time.perf_counter() - t) * 1000)
        out[f"{page}_rerun_ms"] = statistics.median(runs)
    db = Database(args.db, key=key)
    Store(db, HEAVY_USER).applications.add("Benchmark write", "Analyst", "referral", dt.date.today())
    db.close()  # another process would have to: here the app's own cached Database sees the write next
    t = time.perf_counter()
    at.run()
    out["progress_after_write_ms"] = (time.perf_counter() - t) * 1000

    from rebound.importing import apply_plan, build_plan, prepare, read_files

    files = [("Job Applications.csv", linkedin_csv(args.rows))]
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "import.duckdb")
        Database(path).close()
        if key:
            _encrypted_copy(path, path + ".enc")
            os.replace(path + ".enc", path)
            os.replace(path + ".enc.salt", passphrase.salt_path(path))
        db = Database(path, key=_key(path))
        t = time.perf_counter()
        apply_plan(Store(db, HEAVY_USER), build_plan(Store(db, HEAVY_USER), prepare(read_files(files), "auto")))
        out["import_ms"] = (time.perf_counter() - t) * 1000
        db.close()
    return out


def backup_figures(db_path: str, rounds: int) -> dict:
    """Make and restore the heavy user's backup, plain and encrypted: the median ms of each step."""
    from benchmarks.bench import HEAVY_USER
    from rebound.backup import decrypt_backup, make_backup, read_backup, restore_backup
    from rebound.db import Database
    from rebound.store import Store

    figures: dict[str, dict[str, list[float]]] = {"plain": {}, "encrypted": {}}
    sizes = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = str(Path(tmp) / "heavy.duckdb")
        shutil.copy(db_path, work)
        db = Database(work)
        store = Store(db, HEAVY_USER)
        for _ in range(rounds):
            for name, words in (("plain", None), ("encrypted", WORDS)):
                steps = figures[name]
                t = time.perf_counter()
                data = make_backup(store, passphrase=words)
                steps.setdefault("make_ms", []).append((time.perf_counter() - t) * 1000)
                sizes[name] = len(data)
                t = time.perf_counter()
                if words:
                    data = decrypt_backup(data, words)
                    steps.setdefault("decrypt_ms", []).append((time.perf_counter() - t) * 1000)
                info = read_backup(store, data)
                restore_backup(store, data, keep_aside=False, info=info)
                steps.setdefault("restore_ms", []).append((time.perf_counter() - t) * 1000)
        rows = sum(store.account.row_counts().values())
        db.close()
    out: dict = {name: {k: round(statistics.median(v), 1) for k, v in steps.items()} for name, steps in figures.items()}
    out["bytes"] = sizes
    out["rows"] = rows
    out["encrypted ÷ plain"] = {k: round(out["encrypted"][k] / out["plain"][k], 2) for k in ("make_ms", "restore_ms")}
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.crypt_bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--db", required=True, help="the heavy user's plain database")
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--rows", type=int, default=10_000)
    p.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--backup", action="store_true", help="measure a backup made and restored, plain vs encrypted")
    args = p.parse_args(argv)
    if args.backup:
        print(json.dumps(backup_figures(args.db, args.rounds), indent=1, ensure_ascii=False))
        return 0
    if args.worker:
        print(json.dumps(_worker(args)))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        variants = {"plain": str(Path(tmp) / "plain.duckdb"), "encrypted": str(Path(tmp) / "encrypted.duckdb")}
        shutil.copy(args.db, variants["plain"])
        _encrypted_copy(args.db, variants["encrypted"])
        results: dict[str, list[dict]] = {name: [] for name in variants}
        for _ in range(args.rounds):
            for name, path in variants.items():
                work = Path(tmp) / f"run-{name}.duckdb"  # each round on a fresh copy (the write adds a row)
                shutil.copy(path, work)
                if Path(path + ".salt").exists():
                    shutil.copy(path + ".salt", str(work) + ".salt")
                cmd = [sys.executable, "-m", "benchmarks.crypt_bench", "--worker", "--db", str(work)]
                cmd += ["--runs", str(args.runs), "--rows", str(args.rows)]
                done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=3600)
                if done.returncode:
                    print(done.stderr, file=sys.stderr)
                    return 1
                results[name].append(json.loads(done.stdout.strip().splitlines()[-1]))
                print(name, results[name][-1], file=sys.stderr)
    summary = {
        name: {k: round(statistics.median(r[k] for r in runs), 1) for k in runs[0]} for name, runs in results.items()
    }
    summary["encrypted ÷ plain"] = {
        k: round(summary["encrypted"][k] / summary["plain"][k], 2) for k in summary["plain"] if summary["plain"][k]
    }
    print(json.dumps(summary, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
