"""`rebound mail PATH... [--json] [--apply] [--yes] [--db PATH]`: find job-search mail in files.

Without --apply nothing is written. --apply records the findings as proposals to confirm in the app
(each already seen message is left as it is: dismissed stays dismissed); --apply --yes confirms them.
"""

from __future__ import annotations

import json
import sys

from rebound.mail.match import SURE
from rebound.mail.scan import scan_paths
from rebound.mail.text import headline


def add_cli(sub, common) -> None:
    p = sub.add_parser("mail", parents=[common], help="find rejections, invitations and offers in your mail files")
    p.add_argument("paths", nargs="+", metavar="PATH", help=".mbox files, .eml files or folders of them")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--apply", action="store_true", help="record the findings as proposals to confirm in the app")
    p.add_argument("--yes", action="store_true", help="with --apply: confirm every proposal found (writes the events)")
    p.set_defaults(func=cmd_mail)


def _progress_printer():
    if not sys.stderr.isatty():
        return None

    def show(share: float, name: str) -> None:
        print(f"\rReading mail… {share:4.0%} {name[:40]:<40}", end="" if share < 1 else "\n", file=sys.stderr)
    return show


def cmd_mail(args) -> int:
    from rebound.cli import _open
    from rebound.errors import ValidationError

    if args.yes and not args.apply:
        print("rebound mail: --yes confirms what --apply records; use them together.", file=sys.stderr)
        return 2
    store = _open(args)
    apps = store.mail_applications()
    result = scan_paths(args.paths, apps, _progress_printer())
    for problem in result.problems:
        print(f"rebound mail: {problem.source} {problem.message}", file=sys.stderr)

    if args.apply:
        with store.db.transaction():  # recording and confirming land together, or not at all
            added = store.record_mail_findings(result.findings)
            confirmed = 0
            if args.yes:
                known = store.mail_known(f.message_key for f in result.findings)
                for f in result.findings:
                    row = known.get(f.message_key)
                    if row and row["status"] == "proposed":
                        try:  # a refusal writes nothing of that finding (validated before writing)
                            store.confirm_mail_finding(row["id"])
                            confirmed += 1
                        except ValidationError as error:
                            print(f"rebound mail: not confirmed: {error}", file=sys.stderr)
        if not args.json:
            print(f"{added} new proposal{'s' if added != 1 else ''} recorded"
                  + (f", {confirmed} confirmed." if args.yes else "; confirm them on the Data page of the app."),
                  file=sys.stderr)
    # A message seen before is described as this database has it (the user may have edited or confirmed it).
    known = store.mail_known(f.message_key for f in result.findings)
    statuses = {}
    for f in result.findings:
        row = known.get(f.message_key)
        statuses[f.message_key] = row["status"] if row else "new"
        if row and row["application_id"] is not None:
            f.application_id = int(row["application_id"])

    if args.json:
        print(json.dumps({"messages": result.messages,
                          "findings": [f.as_json(statuses[f.message_key]) for f in result.findings]},
                         ensure_ascii=False))
    else:
        print(f"Read {result.messages:,} message{'s' if result.messages != 1 else ''}; "
              f"{len(result.findings)} about your job search.")
        for f in result.findings:
            sure = ("no application matched" if f.application_id is None
                    else "matched" if f.confidence >= SURE else "probably matched")
            print(f"  [{statuses[f.message_key]}] {headline(f.kind, f.company, f.role, f.mail_date, f.reason, f.stage)}"
                  f" ({sure})")
        if not args.apply and result.findings:
            print("Nothing was changed. Run again with --apply to propose these in the app.")
    return 1 if result.messages == 0 and result.problems else 0
