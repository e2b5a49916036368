"""The `rebound` command line: every command, each importing what it needs when it runs.

`rebound demo`, `stats`, `import`, `export`, `backup`, `restore`, `mail`, `encrypt`, `decrypt`. Every
command opens an encrypted database with the passphrase in REBOUND_PASSPHRASE, else one it asks for
(in a terminal); without one it says so in one line and exits with 2. The parser is built from
light modules only (the formats' and exports' names, the channels), so `rebound --help` and a
command that needs no pandas start quickly; the work is in rebound.importing, rebound.exporting,
rebound.backup and rebound.mail.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

import duckdb

from rebound import passphrase
from rebound.config import is_local_file, resolve_db_path
from rebound.db import NEEDS_PASSPHRASE, Database, friendly, needs_passphrase, rewrite
from rebound.errors import DatabaseError, PassphraseNeeded, ValidationError
from rebound.identity import LOCAL_USER
from rebound.store import Store


def _path(args: argparse.Namespace) -> str:
    return resolve_db_path(["--db", args.db] if args.db else [])


def _ask(prompt: str) -> str | None:
    """A passphrase typed in the terminal (not echoed); None where nobody can type one."""
    if not sys.stdin.isatty():
        return None
    return getpass.getpass(prompt)


def _key(path: str) -> str | None:
    """The key of an encrypted file: REBOUND_PASSPHRASE, else asked for; None for a plain file."""
    if not needs_passphrase(path):
        return None
    given = passphrase.from_env() or _ask(f"Passphrase of {path}: ")
    if not given:
        raise PassphraseNeeded(f"{NEEDS_PASSPHRASE} Set {passphrase.ENV_VAR}, or run the command in a terminal.")
    return passphrase.key_for(path, given)


def _database(path: str, key: str | None) -> Database:
    """The database at `path`, after one line on stderr if its opening had something to say (a journal
    of changes a crash cut short: rebound.db.wal_cut_short)."""
    db = Database(path, key=key)
    if db.notice:
        print(f"rebound: warning: {db.notice}", file=sys.stderr)
    return db


def _open(args: argparse.Namespace) -> Store:
    path = _path(args)
    return Store(_database(path, _key(path)), args.user)


def cmd_demo(args: argparse.Namespace) -> int:
    from rebound.demo import PROFILES, generate

    store = _open(args)
    if store.applications.count() and not args.force:
        print(
            f"{store.db.path} already has applications for user {store.user_id!r}. Demo data never mixes with "
            "real entries: use another --db file, or --force to replace this user's data with a new demo "
            "(if this file is a demo).",
            file=sys.stderr,
        )
        return 2
    profile: dict[str, Any] = dict(PROFILES[args.profile]) if args.profile else {}  # generate()'s keywords
    profile_seed = profile.pop("seed", 0)
    seed = profile_seed if args.seed is None else args.seed
    weeks = args.years * 52 if args.years else args.weeks
    written = generate(store, weeks=weeks, seed=seed, replace=args.force, **profile)
    print(f"Demo data written to {store.db.path}: " + ", ".join(f"{v} {k}" for k, v in written.items()))
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from rebound.insights.summary import stats

    result = stats(_open(args))
    if args.json:
        print(json.dumps(result, ensure_ascii=False, default=str))
    else:
        print(f"{result['applications']} applications")
        for status, n in result["by_status"].items():
            print(f"  {status:<10} {n}")
    return 0


def cmd_diagnose(args: argparse.Namespace) -> int:
    from rebound.insights.diagnosis import load_diagnosis

    found = load_diagnosis(_open(args), dt.date.today())
    if args.json:
        print(json.dumps(found.as_json(), ensure_ascii=False))
        return 0
    print(found.verdict)
    for step in found.funnel:
        print(f"  {step.step:<22} {step.shown()}")
    if found.by_version:
        print("By version (got an answer · reached an interview):")
        for v in found.by_version:
            print(f"  {v.kind:<12} {v.name[:40]:<40} {v.answer.shown()} · {v.interview.shown()}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from rebound.importing import (
        FIELDS,
        MAX_FILE_BYTES,
        MAX_ZIP_BYTES,
        apply_plan,
        build_plan,
        prepare,
        quiet_after_import,
        read_files_fenced,
        too_big,
    )

    mapping = {}
    for item in args.map:
        name, _, column = item.partition("=")
        if name not in FIELDS or not column:
            print(f"rebound: --map needs FIELD=COLUMN with FIELD one of {', '.join(FIELDS)}", file=sys.stderr)
            return 2
        mapping[name] = column
    files = []
    for name in args.files:
        path = Path(name)
        if not path.is_file():
            print(f"rebound: no such file: {name}", file=sys.stderr)
            return 2
        if path.stat().st_size > max(MAX_FILE_BYTES, MAX_ZIP_BYTES):
            print(f"rebound: {too_big(path.name, path.stat().st_size)}", file=sys.stderr)
            return 1
        files.append((path.name, path.read_bytes()))
    started = time.perf_counter()
    try:
        prepared = prepare(read_files_fenced(files), args.format)
        if prepared.needs_mapping:
            guessed = {**prepared.mapping, **mapping}
            print(
                f"Format: {prepared.format}. Columns: "
                + ", ".join(f"{f}={guessed[f]!r}" for f in FIELDS if guessed.get(f)),
                file=sys.stderr,
            )
        store = _open(args)
        plan = build_plan(store, prepared, mapping, args.date_order, args.channel)
    except ValidationError as error:
        print(f"rebound: {error}", file=sys.stderr)
        return 1
    for note in plan.notes:
        print(f"note: {note}", file=sys.stderr)
    for problem in plan.problems[:50]:
        print(f"skipped {problem.where}: {problem.message}", file=sys.stderr)
    if len(plan.problems) > 50:
        print(f"… and {len(plan.problems) - 50:,} more rows with problems", file=sys.stderr)
    print(plan.summary())
    if args.dry_run:
        print("Dry run: nothing was written.")
        return 0
    written = apply_plan(store, plan)
    print(
        "Imported "
        + ", ".join(f"{v:,} {k}" for k, v in written.items())
        + f" into {store.db.path} in {time.perf_counter() - started:.1f} s."
    )
    quiet = quiet_after_import(store, plan)
    if quiet and args.settle_quiet:
        print(
            f"Marked {len(store.applications.mark_quiet_ghosted(app_ids=quiet)):,} with no answer as ghosted; reopen any of them on Outcomes."
        )
    elif quiet:
        print(
            f"{len(quiet):,} of these have had no answer for over {store.settings.get_int('ghost_after_days')} days. "
            "Outcomes marks them all as ghosted in one step (an import with --settle-quiet does it "
            "right away)."
        )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from rebound.exporting import export

    store = _open(args)
    data, _, name = export(store, args.format, args.start, args.end)
    if args.output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return 0
    path = args.output or name
    with open(path, "wb") as fh:
        fh.write(data)
    print(f"Wrote {path} ({len(data):,} bytes).")
    return 0


def _backup_passphrase(encrypt: bool | None, db_encrypted: bool) -> str | None:
    """The passphrase a new backup is encrypted with (None: a plain backup). Encrypted when asked
    (--encrypt), or by default when the database is: REBOUND_BACKUP_PASSPHRASE, else asked twice in a
    terminal; without one, PassphraseNeeded (exit 2)."""
    from rebound.backup import PASSPHRASE_ENV_VAR

    if not (encrypt if encrypt is not None else db_encrypted):
        return None
    given = passphrase.from_env(name=PASSPHRASE_ENV_VAR)
    if given:
        return passphrase.check_new(given)
    first = _ask("Passphrase for the backup: ")
    if first is None:
        why = "This database is encrypted, so its backup is too by default" if encrypt is None else "--encrypt"
        raise PassphraseNeeded(
            f"{why}: set {PASSPHRASE_ENV_VAR}, or run the command in a terminal"
            + (", or add --no-encrypt." if encrypt is None else ".")
        )
    return passphrase.check_new(first, _ask("The same passphrase again: "))


def cmd_backup(args: argparse.Namespace) -> int:
    from rebound.backup import backup_name, make_backup

    store = _open(args)
    try:
        words = _backup_passphrase(args.encrypt, store.db.encrypted)
    except ValidationError as error:
        print(f"rebound: {error}", file=sys.stderr)
        return 2
    data = make_backup(store, passphrase=words)
    path = args.output or backup_name(encrypted=words is not None)
    Path(path).write_bytes(data)
    counts = store.account.row_counts()
    print(
        f"{'Encrypted backup' if words else 'Backup'} written to {path} ({len(data):,} bytes; "
        f"{counts.get('applications', 0):,} applications, {sum(counts.values()):,} rows in all)."
        + (" A forgotten passphrase cannot be recovered: without it this backup cannot be restored." if words else "")
    )
    return 0


def _opened_backup(data: bytes) -> bytes:
    """A backup's .zip: the file itself, or an encrypted backup decrypted with REBOUND_BACKUP_PASSPHRASE,
    else a passphrase asked for in a terminal; without one, PassphraseNeeded (exit 2). A wrong passphrase
    or a damaged file: ValidationError."""
    from rebound.backup import PASSPHRASE_ENV_VAR, decrypt_backup, is_encrypted_backup

    if not is_encrypted_backup(data):
        return data
    words = passphrase.from_env(name=PASSPHRASE_ENV_VAR) or _ask("Passphrase of the backup: ")
    if not words:
        raise PassphraseNeeded(f"This backup is encrypted: set {PASSPHRASE_ENV_VAR}, or run the command in a terminal.")
    return decrypt_backup(data, words)


def cmd_restore(args: argparse.Namespace) -> int:
    from rebound.backup import MAX_BACKUP_BYTES, pruned_note, read_backup, restore_backup, restored_once
    from rebound.limits import MAX_UPLOAD_MB, MB

    path = Path(args.file)
    if not path.is_file():
        print(f"rebound: no such file: {args.file}", file=sys.stderr)
        return 2
    if path.stat().st_size > MAX_BACKUP_BYTES:  # refused before it is read into memory
        print(
            f"rebound: {args.file} is {path.stat().st_size / MB:,.0f} MB, larger than the "
            f"{MAX_UPLOAD_MB} MB a Rebound backup may have.",
            file=sys.stderr,
        )
        return 1
    store = _open(args)
    try:
        data = _opened_backup(path.read_bytes())
        info = read_backup(store, data)
    except ValidationError as error:
        print(f"rebound: {error}", file=sys.stderr)
        return 1
    print(info.summary())
    for warning in info.warnings:
        print(f"note: {warning}", file=sys.stderr)
    if not args.yes:
        if not sys.stdin.isatty():
            print("rebound: restoring replaces all your current data; add --yes to confirm.", file=sys.stderr)
            return 2
        if input("Replace all your current data with this backup? Type 'restore' to go on: ").strip() != "restore":
            print("Nothing was changed.")
            return 1
    try:
        result = restore_backup(store, data, info=info)  # read once, in the fenced worker
    except ValidationError as error:
        print(f"rebound: {error}", file=sys.stderr)
        return 1
    if result["aside"]:
        print(f"Your previous data was saved to {result['aside']}." + pruned_note(result["pruned"]))
    print(
        "Restored "
        + ", ".join(f"{n:,} {t}" for t, n in result["restored"].items() if n)
        + "."
        + restored_once(result["already_there"])
    )
    return 0


# -- rebound mail PATH... [--json] [--apply] [--yes] ----------------------------------------------------
# Without --apply nothing is written. --apply records the findings as proposals to confirm in the app
# (each already seen message is left as it is: dismissed stays dismissed); --apply --yes confirms them.
def _mail_progress() -> Callable[[float, str], None] | None:
    if not sys.stderr.isatty():
        return None

    def show(share: float, name: str) -> None:
        print(f"\rReading mail… {share:4.0%} {name[:40]:<40}", end="" if share < 1 else "\n", file=sys.stderr)

    return show


def _confirm_found(store: Store, keys: list[str], out: TextIO, ask: bool = False) -> tuple[int, bool]:
    """Confirm the proposals of these messages (--apply --yes, or yes to the question on a terminal):
    first the same list the app shows (the applications it will create, the events on which
    application), then exactly that in ONE transaction, refused whole (nothing written) if anything
    changed since the list was read (the app confirmed or edited one meanwhile, say).
    Returns (how many were confirmed, whether it went as listed)."""
    known = store.mail.known(keys)
    ids = list(dict.fromkeys(int(r["id"]) for r in known.values() if r["status"] == "proposed"))
    if not ids:
        return 0, True
    plan = store.mail.preview(ids)  # nothing is written: done and rolled back
    print("Confirming these updates from your mail will do this:" if ask else "Confirming:", file=out)
    for line in plan.lines():
        print(line, file=out)
    if not plan.steps:
        return 0, True
    if ask and input(f"Confirm these {len(plan.steps)} now? [y/N] ").strip().lower() not in ("y", "yes"):
        print("Nothing was confirmed; they wait on the Data page of the app.", file=out)
        return 0, True
    try:
        done = store.mail.confirm(plan.ids, expect=plan)
    except ValidationError as error:
        print(f"rebound mail: nothing was confirmed: {error}", file=sys.stderr)
        return 0, False
    print(f"Confirmed {len(done)}; the app's Data page can undo it in one step.", file=out)
    return len(done), True


def _imap_password(account: Any) -> str | None:
    """REBOUND_IMAP_PASSWORD, else the keyring, else a prompt (on a terminal); None if there is none."""
    from rebound.mail.credentials import password_from_env, saved_password

    password = password_from_env() or saved_password(account.key)
    if password:
        return password
    if not sys.stdin.isatty():
        return None
    import getpass

    return getpass.getpass(f"Password (an app password) for {account.user} at {account.host}: ") or None


def cmd_mail(args: argparse.Namespace) -> int:
    from rebound.errors import MailboxError
    from rebound.mail import imap
    from rebound.mail.credentials import PASSWORD_ENV, remember_password
    from rebound.mail.match import SURE
    from rebound.mail.scan import ScanResult, fenced_paths
    from rebound.mail.text import headline

    if args.yes and not args.apply:
        print("rebound mail: --yes confirms what --apply records; use them together.", file=sys.stderr)
        return 2
    paths = [p for p in args.paths if "://" not in p]
    try:
        accounts = [imap.parse_url(p) for p in args.paths if "://" in p]
    except MailboxError as error:
        print(f"rebound mail: {error}", file=sys.stderr)
        return 2
    passwords = {}
    for account in accounts:
        password = _imap_password(account)
        if password is None:
            print(
                f"rebound mail: no password for {account.key}: set {PASSWORD_ENV}, remember it with --remember "
                "(the system keyring), or run this in a terminal to be asked.",
                file=sys.stderr,
            )
            return 2
        passwords[account] = password
    store = _open(args)
    apps = store.mail.applications()
    try:
        result = fenced_paths(paths, apps, _mail_progress()) if paths else ScanResult()
    except ValidationError as error:  # a ceiling of the fenced worker: nothing was read or written
        print(f"rebound mail: {error}", file=sys.stderr)
        return 1
    for problem in result.problems:
        print(f"rebound mail: {problem.source} {problem.message}", file=sys.stderr)
    added = confirmed = 0
    if args.apply and result.findings:
        added = store.mail.record(result.findings)  # proposals, in one transaction (confirmed below)
    found_keys = [f.message_key for f in result.findings]  # a recorded variant's key is its row's

    failed = False
    for account in accounts:

        def confirm_batch(findings: list) -> None:  # inside the batch's transaction: only noted here
            found_keys.extend(f.message_key for f in findings)

        try:
            report = imap.check_mailbox(
                store.mail,
                account,
                passwords[account],
                since=args.since,
                record=args.apply,
                on_recorded=confirm_batch,
                on_progress=_mail_progress(),
            )
        except MailboxError as error:
            print(f"rebound mail: {account.label}: {error}", file=sys.stderr)
            failed = True
            continue
        if args.remember:
            try:
                remember_password(account.key, passwords[account])
            except MailboxError as error:
                print(f"rebound mail: {error}", file=sys.stderr)
        for problem in report.result.problems:
            print(f"rebound mail: {problem.source} {problem.message}", file=sys.stderr)
        if report.error or not args.json:
            print(f"rebound mail: {report.summary()}", file=sys.stderr)
        failed = failed or report.error is not None
        added += report.recorded
        result.messages += report.result.messages
        seen = {(f.message_key, f.content_hash) for f in result.findings}  # one Message-ID may carry two mails
        result.findings.extend(f for f in report.result.findings if (f.message_key, f.content_hash) not in seen)
        result.problems.extend(report.result.problems)

    # --apply --yes confirms what was found (each proposal, new or recorded before), after listing it.
    out = sys.stderr if args.json else sys.stdout
    ask = args.apply and not args.yes and not args.json and sys.stdin.isatty() and sys.stdout.isatty()
    if args.apply and (args.yes or ask):
        confirmed, went = _confirm_found(store, found_keys, out, ask=ask)
        failed = failed or not went

    # A message seen before is described as this database has it (the user may have edited or confirmed it).
    known = store.mail.known(f.message_key for f in result.findings)
    statuses = {}
    for f in result.findings:
        row = known.get(f.message_key)
        statuses[f.message_key] = row["status"] if row else "new"
        if row and row["application_id"] is not None:
            f.application_id = int(row["application_id"])
    if args.apply and not args.json:
        print(
            f"{added} new proposal{'s' if added != 1 else ''} recorded"
            + (f", {confirmed} confirmed." if args.yes or confirmed else "; confirm them on the Data page of the app."),
            file=sys.stderr,
        )

    if args.json:
        print(
            json.dumps(
                {
                    "messages": result.messages,
                    "findings": [f.as_json(statuses[f.message_key]) for f in result.findings],
                },
                ensure_ascii=False,
            )
        )
    else:
        print(
            f"Read {result.messages:,} message{'s' if result.messages != 1 else ''}; "
            f"{len(result.findings)} about your job search."
        )
        for f in result.findings:
            sure = (
                "no application matched"
                if f.application_id is None
                else "matched"
                if f.confidence >= SURE
                else "probably matched"
            )
            print(
                f"  [{statuses[f.message_key]}] {headline(f.kind, f.company, f.role, f.mail_date, f.reason, f.stage)}"
                f" ({sure})"
            )
        if not args.apply and result.findings:
            print("Nothing was changed. Run again with --apply to propose these in the app.")
    if failed:
        return 1
    return 1 if result.messages == 0 and result.problems else 0


# -- rebound encrypt / decrypt [--db PATH] ---------------------------------------------------------
# Each rewrites the file beside it and renames the copy over it (rebound.db.rewrite): fully old or
# fully new. `encrypt` on an encrypted file changes its passphrase (the new one from
# REBOUND_NEW_PASSPHRASE, else asked twice).
FORGOTTEN = (
    "Keep the passphrase somewhere safe: a forgotten passphrase cannot be recovered, by you, by Rebound or "
    "by anyone, and without it the journal is lost. Keep {salt} beside the database (moving or backing up "
    "the folder keeps both): without it no passphrase opens the file."
)


def _new_passphrase(env_var: str) -> str:
    given = passphrase.from_env(name=env_var)
    if given:
        return passphrase.check_new(given)
    first = _ask("New passphrase: ")
    if first is None:
        raise PassphraseNeeded(f"No new passphrase: set {env_var}, or run the command in a terminal.")
    return passphrase.check_new(first, _ask("The same passphrase again: "))


def _local_file(path: str) -> bool:
    if is_local_file(path):
        return True
    print(f"rebound: {path} is not a local file: only a local database can be encrypted here.", file=sys.stderr)
    return False


def cmd_encrypt(args: argparse.Namespace) -> int:
    path = _path(args)
    if not _local_file(path):
        return 2
    changing = needs_passphrase(path)
    old_key = _key(path)
    try:
        new = _new_passphrase(passphrase.NEW_ENV_VAR if changing else passphrase.ENV_VAR)
    except ValidationError as error:
        print(f"rebound: {error}", file=sys.stderr)
        return 2
    _database(path, old_key).close()  # checks the passphrase, and migrates first: the copy is complete
    new_key = passphrase.derive_key(new, passphrase.ensure_salt(path))
    rewrite(path, old_key, new_key)
    done = "Changed the passphrase of" if changing else "Encrypted"
    print(f"{done} {path}. " + FORGOTTEN.format(salt=passphrase.salt_path(path)))
    return 0


def cmd_decrypt(args: argparse.Namespace) -> int:
    path = _path(args)
    if not _local_file(path):
        return 2
    if not needs_passphrase(path):
        print(f"{path} is not encrypted: nothing was changed.")
        return 0
    key = _key(path)
    Database(path, key=key).close()  # checks the passphrase before anything is written
    rewrite(path, key, None)
    print(
        f"Decrypted {path}: it opens without a passphrase now, and its contents are readable by whoever has the file."
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    from rebound.exporting import EXPORTS
    from rebound.importing.cells import DATE_ORDERS
    from rebound.importing.formats import FORMATS
    from rebound.importing.mapped import FIELDS
    from rebound.vocab import CHANNELS

    parser = argparse.ArgumentParser(prog="rebound", description="Rebound: a self-coaching job-search dashboard.")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", help="database file (default: $REBOUND_DB or data/rebound.duckdb)")
    common.add_argument("--user", default=LOCAL_USER, help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", parents=[common], help="fill a database with a synthetic job search")
    demo.add_argument("--weeks", type=int, default=26)
    demo.add_argument("--years", type=int, help="weeks = 52 × years (overrides --weeks)")
    demo.add_argument(
        "--profile",
        choices=["heavy"],
        help="heavy: the benchmark's heavy user (15-24 applications a week, follow-ups, seed 2026)",
    )
    demo.add_argument("--seed", type=int, default=None, help="default 0, or the profile's")
    demo.add_argument(
        "--force", action="store_true", help="replace this user's data in the file with a new demo (one transaction)"
    )
    demo.set_defaults(func=cmd_demo)

    st = sub.add_parser("stats", parents=[common], help="summary numbers")
    st.add_argument("--json", action="store_true", help="print one JSON object")
    st.set_defaults(func=cmd_stats)

    dg = sub.add_parser("diagnose", parents=[common], help="which step of your search loses you most, and how sure")
    dg.add_argument("--json", action="store_true", help="print one JSON object")
    dg.set_defaults(func=cmd_diagnose)

    p = sub.add_parser(
        "import",
        parents=[common],
        help="import applications (LinkedIn, JobSync, Huntr, Teal, any CSV/XLSX) or Daylio moods",
    )
    p.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="CSV, XLSX or LinkedIn export .zip (several files: Job Applications_1.csv Job Applications_2.csv …)",
    )
    p.add_argument("--format", default="auto", choices=FORMATS)
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help=f"set a column for a field ({', '.join(FIELDS)}); the rest are guessed from the header",
    )
    p.add_argument("--date-order", default="auto", choices=list(DATE_ORDERS))
    p.add_argument("--channel", default="job board", choices=CHANNELS, help="channel for rows without one")
    p.add_argument("--dry-run", action="store_true", help="show what would be imported; write nothing")
    p.add_argument(
        "--settle-quiet",
        action="store_true",
        help="mark the imported applications with no answer for over the ghosting setting as ghosted "
        "(each can be reopened)",
    )
    p.set_defaults(func=cmd_import)

    p = sub.add_parser(
        "export", parents=[common], help="export your data (CSV, XLSX, JSON, Parquet, .ics, SankeyMATIC)"
    )
    p.add_argument(
        "--format", default="csv", choices=list(EXPORTS), help="; ".join(f"{k}: {v[0]}" for k, v in EXPORTS.items())
    )
    p.add_argument("--from", dest="start", type=dt.date.fromisoformat, help="first application date (YYYY-MM-DD)")
    p.add_argument("--to", dest="end", type=dt.date.fromisoformat, help="last application date (YYYY-MM-DD)")
    p.add_argument("-o", "--output", help="file to write ('-' for standard output; default: a dated file name)")
    p.set_defaults(func=cmd_export)

    b = sub.add_parser("backup", parents=[common], help="write a full, portable backup file (.zip)")
    b.add_argument(
        "-o", "--output", help="backup file to write (default: rebound-backup-DATE-TIME.zip, or .zip.enc encrypted)"
    )
    b.add_argument(
        "--encrypt",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="encrypt the backup with a passphrase ($REBOUND_BACKUP_PASSPHRASE, else asked); the default "
        "when the database is encrypted. A forgotten passphrase cannot be recovered",
    )
    b.set_defaults(func=cmd_backup)
    r = sub.add_parser(
        "restore", parents=[common], help="replace your data with a backup (the current data is kept aside)"
    )
    r.add_argument(
        "file",
        help="a backup made by `rebound backup` or the Data page (.zip; an encrypted one opens with "
        "$REBOUND_BACKUP_PASSPHRASE, else a passphrase asked for)",
    )
    r.add_argument("--yes", action="store_true", help="don't ask for confirmation")
    r.set_defaults(func=cmd_restore)

    m = sub.add_parser(
        "mail", parents=[common], help="find rejections, invitations and offers in your mail files or mailbox"
    )
    m.add_argument(
        "paths",
        nargs="+",
        metavar="PATH|URL",
        help=".mbox files, .eml files or folders of them; or a mailbox, read-only: imaps://USER@HOST[:PORT]/FOLDER "
        "(imap://USER@127.0.0.1:PORT/FOLDER for a server on this computer). The password comes from "
        "$REBOUND_IMAP_PASSWORD, the system keyring, or a prompt",
    )
    m.add_argument(
        "--since",
        type=dt.date.fromisoformat,
        help="a mailbox's first day to read (YYYY-MM-DD; default: where the last --apply stopped, or 6 months back)",
    )
    m.add_argument(
        "--remember",
        action="store_true",
        help="keep the mailbox password in the system keyring (never in Rebound's files)",
    )
    m.add_argument("--json", action="store_true", help="print one JSON object")
    m.add_argument("--apply", action="store_true", help="record the findings as proposals to confirm in the app")
    m.add_argument(
        "--yes",
        action="store_true",
        help="with --apply: list what confirming does, then confirm every proposal found (writes the events)",
    )
    m.set_defaults(func=cmd_mail)

    e = sub.add_parser(
        "encrypt",
        parents=[common],
        help=f"encrypt the database with a passphrase (${passphrase.ENV_VAR}, else asked); on an encrypted "
        f"database, change its passphrase (${passphrase.NEW_ENV_VAR}, else asked)",
    )
    e.set_defaults(func=cmd_encrypt)
    d = sub.add_parser("decrypt", parents=[common], help="remove the passphrase: store the database unencrypted")
    d.set_defaults(func=cmd_decrypt)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code = args.func(args)
        sys.stdout.flush()  # inside the try: a closed pipe shows here, not in a traceback at exit
        return code
    except PassphraseNeeded as error:  # no passphrase, or a wrong one: the caller must supply it
        print(f"rebound: {error}", file=sys.stderr)
        return 2
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
