"""The `rebound` command line: `rebound demo`, `rebound stats --json`, …"""

from __future__ import annotations

import argparse
import json
import os
import sys

import duckdb

from rebound.config import resolve_db_path
from rebound.db import Database, friendly
from rebound.errors import DatabaseError
from rebound.identity import LOCAL_USER
from rebound.mail.cli import add_cli as add_mail_cli
from rebound.store import Store


def _open(args) -> Store:
    path = resolve_db_path(["--db", args.db] if args.db else [])
    return Store(Database(path), args.user)


def cmd_demo(args) -> int:
    from rebound.demo import PROFILES, generate

    store = _open(args)
    if store.application_count() and not args.force:
        print(f"{store.db.path} already has applications for user {store.user_id!r}. Demo data never mixes with "
              "real entries: use another --db file, or --force to replace this user's data with a new demo "
              "(if this file is a demo).", file=sys.stderr)
        return 2
    profile = dict(PROFILES[args.profile]) if args.profile else {}
    profile_seed = profile.pop("seed", 0)
    seed = profile_seed if args.seed is None else args.seed
    weeks = args.years * 52 if args.years else args.weeks
    written = generate(store, weeks=weeks, seed=seed, replace=args.force, **profile)
    print(f"Demo data written to {store.db.path}: " + ", ".join(f"{v} {k}" for k, v in written.items()))
    return 0


def cmd_stats(args) -> int:
    from rebound.analytics import stats

    result = stats(_open(args))
    if args.json:
        print(json.dumps(result, ensure_ascii=False, default=str))
    else:
        print(f"{result['applications']} applications")
        for status, n in result["by_status"].items():
            print(f"  {status:<10} {n}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rebound", description="Rebound: a self-coaching job-search dashboard.")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", help="database file (default: $REBOUND_DB or data/rebound.duckdb)")
    common.add_argument("--user", default=LOCAL_USER, help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", parents=[common], help="fill a database with a synthetic job search")
    demo.add_argument("--weeks", type=int, default=26)
    demo.add_argument("--years", type=int, help="weeks = 52 × years (overrides --weeks)")
    demo.add_argument("--profile", choices=["heavy"], help="heavy: the benchmark's heavy user (15-24 applications"
                      " a week, follow-ups, seed 2026)")
    demo.add_argument("--seed", type=int, default=None, help="default 0, or the profile's")
    demo.add_argument("--force", action="store_true", help="replace this user's data in the file with a new demo (one transaction)")
    demo.set_defaults(func=cmd_demo)

    st = sub.add_parser("stats", parents=[common], help="summary numbers")
    st.add_argument("--json", action="store_true", help="print one JSON object")
    st.set_defaults(func=cmd_stats)

    import importlib

    for path in COMMANDS:
        module, name = path.split(":")
        getattr(importlib.import_module(module), name)(sub, common)
    add_mail_cli(sub, common)
    return parser


# Other areas' subcommands, as "module:function": fn(subparsers, common_parent_parser)
# adds a parser whose `func(args)` returns an exit code; use `_open(args)` for the store.
COMMANDS: list[str] = ["rebound.importers:add_cli", "rebound.exporters:add_cli", "rebound.backup:add_cli"]


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code = args.func(args)
        sys.stdout.flush()  # inside the try: a closed pipe shows here, not in a traceback at exit
        return code
    except DatabaseError as error:
        print(f"rebound: {error}", file=sys.stderr)
        return 1
    except duckdb.Error as error:  # a damaged block met in the middle of a command
        mapped = friendly(error, resolve_db_path(["--db", args.db] if getattr(args, "db", None) else []))
        if mapped is error:
            raise
        print(f"rebound: {mapped}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # `rebound stats | head`: the reader has gone; stop quietly (Python's documented recipe).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # what a shell reports for a process ended by SIGPIPE


if __name__ == "__main__":
    sys.exit(main())
