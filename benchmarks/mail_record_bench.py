"""Benchmark: recording the findings of a 2,000-message mailbox check (store.mail.record).

    python -m benchmarks.mail_record_bench [--messages 2000]

Makes N findings (one per message, distinct Message-IDs) and records them into a fresh database
file in one call, as a check's batch does; prints the seconds it took, then records them again
(every one already seen: duplicates) and prints that too.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from pathlib import Path

from rebound.db import Database
from rebound.mail.scan import Finding
from rebound.store import Store


def findings(n: int) -> list[Finding]:
    day = dt.date(2026, 11, 1)
    return [
        Finding(
            f"<m{i}@bench.rebound>",
            day,
            f"Hiring <jobs{i}@acme.example>",
            f"Your application {i}",
            ("rejection", "interview", "offer", "received")[i % 4],
            "Acme",
            "Data Analyst",
            None,
            0.5,
            None,
            "We decided to move forward with other candidates.",
            None,
        )
        for i in range(n)
    ]


def run(n: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(str(Path(tmp) / "bench.duckdb"))
        store = Store(db, "local")
        rows = findings(n)
        start = time.perf_counter()
        added = store.mail.record(rows)
        first = time.perf_counter() - start
        start = time.perf_counter()
        again = store.mail.record(findings(n))
        second = time.perf_counter() - start
        db.close()
    assert added == n and again == 0, (added, again)
    return {"messages": n, "record_s": round(first, 3), "record_again_s": round(second, 3)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=2000)
    args = parser.parse_args(argv)
    print(run(args.messages))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
