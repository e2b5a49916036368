"""Benchmark: `rebound mail` over a 10,000-message mbox with HTML parts and attachments.

    python -m benchmarks.mail_bench [--messages 10000] [--out bench-results/mail.json]

Writes a synthetic mailbox (Google Takeout's mbox format: multipart/alternative mail, HTML-only
mail, every tenth message with a 256 KB attachment, so the file is several hundred MB), then in one
run measures, each in a fresh process:
  - the floor: Python's own `mailbox.mbox` iterating the same file (parsing every message, nothing else);
  - `rebound mail FILE --json --db DB` against a demo search's database (~170 applications).
It prints messages per second, the ratio to the floor and the peak memory (max RSS) of both.
A benchmark, not a test: it exits 0 (unless --strict and a target is missed).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ATTACHMENT_EVERY = 10
ATTACHMENT_BYTES = 256 * 1024
TARGET_MEMORY_MB = 300  # bounded: far below the file's size
TARGET_FLOOR_RATIO = 6.0  # the whole scan within this many times Python's bare mailbox iteration

COMPANIES = [
    "Acme",
    "Globex",
    "Initech",
    "Umbrella Corp",
    "Hooli",
    "Nimbus Labs",
    "Orbit",
    "Vandelay Industries",
    "Pied Piper",
    "Muster GmbH",
    "Société Lumière",
    "Talento Andes",
    "Zenith",
    "Bergwerk AG",
    "Grupo Sol",
]
TEMPLATES = [  # (sender pattern, subject, paragraphs)
    (
        "{c} Hiring Team <no-reply@us.greenhouse-mail.io>",
        "Your application to {c}",
        [
            "Hi Sam,",
            "Thank you for your interest in the Data Analyst role at {c}.",
            "After careful consideration, we have decided to move forward with other candidates whose experience more "
            "closely matches the role.",
            "We wish you the best in your search.",
        ],
    ),
    (
        "{c} <no-reply@hire.lever.co>",
        "Thanks for applying to {c}",
        [
            "Hi Sam,",
            "Thanks for applying to {c}! We've received your application for the Backend Engineer position.",
            "Our team will review it and get back to you.",
        ],
    ),
    (
        "{c} Recruiting <jobs@example.com>",
        "Next steps with {c}",
        [
            "Hi Sam,",
            "We'd like to invite you to a phone screen with our recruiter.",
            "Please pick a time that suits you.",
        ],
    ),
    (
        "LinkedIn Job Alerts <jobalerts-noreply@linkedin.com>",
        "Data Analyst: 14 new jobs in Berlin",
        [
            "Unfortunately, a job you saved is no longer accepting applications.",
            "Here are new jobs for you: {c} · Berlin",
            "Manage your job alerts",
        ],
    ),
    (
        "Hiring Tips Weekly <newsletter@hiringtips.example>",
        "5 ways to prepare for your next interview",
        ["This week: how to prepare, what to ask, and how to rest.", "Read more on our blog."],
    ),
    (
        "Alex Kim <alex.kim@gmail.com>",
        "dinner?",
        ["Hey Sam, are we still on for Friday? Unfortunately I'm late again."],
    ),
    (
        "{c} Careers <careers@example.org>",
        "Your offer from {c}",
        [
            "Hi Sam,",
            "We are delighted to offer you the position of Data Analyst at {c}!",
            "Your offer letter is attached.",
        ],
    ),
    (
        "{c} <noreply@smartrecruiters.com>",
        "Coding challenge",
        ["Hi Sam,", "As a next step, please complete the HackerRank coding test within 7 days."],
    ),
]


def _html(paragraphs: list[str]) -> str:
    body = "".join(f'<p style="margin:0 0 12px;font-family:Arial">{p}</p>' for p in paragraphs)
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><style>p{color:#333}.hide{display:none}</style></head>'
        f'<body><table width="600" cellpadding="0"><tr><td>{body}<p class="hide">tracking</p>'
        '<p><a href="https://example.org/unsubscribe">Unsubscribe</a> · <a href="https://example.org">Privacy</a></p>'
        '</td></tr></table><img src="https://example.org/pixel.gif" width="1"></body></html>'
    )


def _qp(text: str) -> str:
    import quopri

    return quopri.encodestring(text.encode("utf-8")).decode("ascii")


def write_mbox(path: Path, messages: int) -> int:
    """A Takeout-style mbox; returns its size in bytes."""
    blob = base64.encodebytes(os.urandom(ATTACHMENT_BYTES)).decode("ascii")
    with open(path, "w", encoding="ascii", newline="\n") as fh:
        for i in range(messages):
            sender, subject, paragraphs = TEMPLATES[i % len(TEMPLATES)]
            company = COMPANIES[(i // len(TEMPLATES)) % len(COMPANIES)]
            fill = {"c": company}
            paras = [p.format(**fill) for p in paragraphs]
            from email.header import Header

            subj = Header(subject.format(**fill), "utf-8").encode()
            frm = sender.format(**fill)
            if not frm.isascii():
                name, addr = frm.rsplit(" <", 1)
                frm = f"{Header(name, 'utf-8').encode()} <{addr}"
            head = (
                f"From {i}@bench Mon Nov 23 10:00:00 2026\nFrom: {frm}\nTo: Sam <sam@example.org>\n"
                f"Subject: {subj}\nDate: Mon, 23 Nov 2026 10:{i % 60:02d}:00 +0000\n"
                f"Message-ID: <bench-{i}@rebound.example>\nMIME-Version: 1.0\n"
            )
            html = _qp(_html(paras))
            plain = _qp("\n\n".join(paras) + "\n")
            if i % 3 == 0:  # HTML only
                alt = f"Content-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n{html}\n"
            else:
                alt = (
                    'Content-Type: multipart/alternative; boundary="alt"\n\n'
                    f"--alt\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n{plain}\n"
                    f"--alt\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n{html}\n"
                    "--alt--\n"
                )
            if i % ATTACHMENT_EVERY == 0:
                fh.write(
                    head
                    + 'Content-Type: multipart/mixed; boundary="mix"\n\n--mix\n'
                    + alt
                    + '--mix\nContent-Type: application/pdf; name="letter.pdf"\n'
                    'Content-Disposition: attachment; filename="letter.pdf"\nContent-Transfer-Encoding: base64\n\n'
                    + blob
                    + "--mix--\n\n"
                )
            else:
                fh.write(head + alt + "\n")
    return path.stat().st_size


FLOOR = "import mailbox, sys\nn = 0\nfor message in mailbox.mbox(sys.argv[1], create=False):\n    n += 1\nprint(n)\n"


# A small launcher runs each measured command: a child forked from this process would start with
# this process's memory (DuckDB, the demo data) counted in its peak RSS.
LAUNCHER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[2:]).returncode\n"
    "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n"
    "sys.exit(code)\n"
)


def timed(cmd: list[str]) -> tuple[float, float, str]:
    """(seconds, peak RSS in MB, stdout) of one fresh process."""
    with tempfile.TemporaryDirectory() as tmp:
        rss, out, err = Path(tmp) / "rss", Path(tmp) / "out", Path(tmp) / "err"
        with open(out, "wb") as o, open(err, "wb") as e:
            start = time.perf_counter()
            code = subprocess.run(
                [sys.executable, "-c", LAUNCHER, str(rss), *cmd], stdout=o, stderr=e, cwd=ROOT
            ).returncode
            seconds = time.perf_counter() - start
        if code != 0:
            raise RuntimeError(f"{cmd[:4]} failed: {err.read_text()[-2000:]}")
        return seconds, int(rss.read_text()) / 1024, out.read_text()


def run(messages: int, workdir: Path) -> dict:
    from rebound.db import Database
    from rebound.demo import generate
    from rebound.store import Store

    mbox = workdir / "All mail Including Spam and Trash.mbox"
    t0 = time.perf_counter()
    size = write_mbox(mbox, messages)
    written = time.perf_counter() - t0
    db_path = workdir / "bench.duckdb"
    database = Database(str(db_path))
    store = Store(database, "local")
    generate(store, weeks=26, seed=3)
    import datetime as dt

    for company in COMPANIES:  # the mailbox's employers, so matching finds them among the demo's
        store.applications.add(company, "Data Analyst", "job board", dt.date.today() - dt.timedelta(days=30))
    apps = store.applications.count()
    database.close()

    one = workdir / "one.mbox"  # startup: the same command over a single message
    write_mbox(one, 1)
    start_s, start_mb, _ = timed([sys.executable, "-m", "rebound", "mail", str(one), "--json", "--db", str(db_path)])
    floor_s, floor_mb, floor_out = timed([sys.executable, "-c", FLOOR, str(mbox)])
    assert int(floor_out.strip()) == messages, floor_out
    scan_s, scan_mb, scan_out = timed(
        [sys.executable, "-m", "rebound", "mail", str(mbox), "--json", "--db", str(db_path)]
    )
    result = json.loads(scan_out)
    assert result["messages"] == messages, result["messages"]
    kinds: dict = {}
    for f in result["findings"]:
        kinds[f["kind"]] = kinds.get(f["kind"], 0) + 1
    return {
        "messages": messages,
        "mbox_mb": round(size / 1e6, 1),
        "applications": apps,
        "write_s": round(written, 2),
        "startup_s": round(start_s, 2),
        "startup_peak_mb": round(start_mb, 1),
        "floor_s": round(floor_s, 2),
        "floor_peak_mb": round(floor_mb, 1),
        "scan_s": round(scan_s, 2),
        "scan_peak_mb": round(scan_mb, 1),
        "messages_per_s": round(messages / scan_s),
        "floor_messages_per_s": round(messages / floor_s),
        "ratio_to_floor": round(scan_s / floor_s, 2),
        "findings": len(result["findings"]),
        "by_kind": kinds,
        "matched": sum(1 for f in result["findings"] if f["application_id"] is not None),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--out", default=str(ROOT / "bench-results" / "mail.json"))
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="rebound-mail-bench-") as tmp:
        r = run(args.messages, Path(tmp))
    r["targets"] = {"peak_memory_mb": TARGET_MEMORY_MB, "ratio_to_floor": TARGET_FLOOR_RATIO}
    r["met"] = r["scan_peak_mb"] <= TARGET_MEMORY_MB and r["ratio_to_floor"] <= TARGET_FLOOR_RATIO
    print(
        f"mbox: {r['messages']:,} messages, {r['mbox_mb']:,} MB (written in {r['write_s']} s); "
        f"{r['applications']} applications to match against"
    )
    print(f"{'':<28}{'seconds':>9}{'msg/s':>9}{'peak MB':>9}")
    print(f"{'startup: one message':<28}{r['startup_s']:>9}{'':>9}{r['startup_peak_mb']:>9}")
    print(f"{'floor: mailbox.mbox iterate':<28}{r['floor_s']:>9}{r['floor_messages_per_s']:>9,}{r['floor_peak_mb']:>9}")
    print(f"{'rebound mail --json':<28}{r['scan_s']:>9}{r['messages_per_s']:>9,}{r['scan_peak_mb']:>9}")
    print(
        f"ratio to floor {r['ratio_to_floor']}× (target ≤ {TARGET_FLOOR_RATIO}×); peak {r['scan_peak_mb']} MB, "
        f"{r['scan_peak_mb'] - r['startup_peak_mb']:+.1f} MB over startup "
        f"(target ≤ {TARGET_MEMORY_MB} MB); {r['findings']:,} findings {r['by_kind']}, {r['matched']:,} matched"
    )
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(r, indent=2), encoding="utf-8")
    return 1 if args.strict and not r["met"] else 0


if __name__ == "__main__":
    sys.exit(main())
