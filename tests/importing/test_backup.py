"""Backup and restore, delete-all, demo removal, and robustness: old schemas, locks (SIGKILLs: test_faults.py)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb
import pytest

from rebound.backup import FORMAT_VERSION, Target, aside_dir, make_backup, pruned_note, read_with, restore_backup
from rebound.db import Database, migrations
from rebound.demo import generate
from rebound.errors import ValidationError
from rebound.store import Store

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parents[1] / "fixtures"
D = dt.date


def dump(store: Store) -> dict:
    """Every row of this user in every table, ids left out (restore re-draws them), order-independent."""
    out = {}
    for table in store.account.user_tables():
        columns, _, rows = store.account.export_rows(table)
        keep = [i for i, c in enumerate(columns) if not (c == "id" or c.endswith("_id"))]
        out[table] = sorted(repr(tuple(r[i] for i in keep)) for r in rows)
    return out


def full_dump(path: str) -> dict:
    """Every row of every table in a database file, read directly."""
    con = duckdb.connect(path, read_only=True)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1"
            ).fetchall()
        ]
        return {t: sorted(map(repr, con.execute(f'SELECT * FROM "{t}"').fetchall())) for t in tables}
    finally:
        con.close()


@pytest.fixture
def rich(store):
    generate(store, weeks=8, seed=3)
    store.settings.set("ghost_after_days", 30)
    store.db.cursor().execute(
        "INSERT INTO reflections (user_id, template, day, answers, themes) VALUES"
        " ('local', 'after_rejection', DATE '2024-02-01', '{\"went_well\": \"SQL round\", \"n\": [1, 2]}',"
        " ['interview skills', 'nerves'])"
    )
    return store


# -- backup & restore --------------------------------------------------------------------------------------
def test_backup_restores_every_row(rich, tmp_path):
    before = dump(rich)
    data = make_backup(rich)
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("manifest.json"))
    assert manifest["format"] == "rebound-backup" and manifest["format_version"] == FORMAT_VERSION
    assert manifest["schema_version"] == rich.account.schema_version() and manifest["app_version"]
    assert manifest["tables"]["applications"]["rows"] == rich.applications.count()
    rich.account.delete_all_data()
    assert rich.applications.count() == 0
    result = restore_backup(rich, data)
    assert dump(rich) == before
    assert result["aside"] is None  # nothing to keep aside: the data was already deleted
    # statuses (which depend on event -> application links) survive the id re-mapping
    assert rich.insights.status_counts() == Store(rich.db, "local").insights.status_counts()


def test_restore_into_another_database_and_user_keeps_links(rich, tmp_path):
    data = make_backup(rich)
    before_status = rich.insights.status_counts()
    other_db = Database(str(tmp_path / "other.duckdb"))
    neighbour = Store(other_db, "local")
    neighbour.applications.add("Existing", "Row", "other", D(2024, 1, 1))  # ids overlap with the backup's
    target = Store(other_db, "alex")
    restore_backup(target, data)
    assert target.insights.status_counts() == before_status
    assert dump(target) == dump(rich)
    assert neighbour.applications.count() == 1  # other users untouched
    other_db.close()


def test_restore_keeps_previous_data_aside(rich, tmp_path):
    data = make_backup(rich)
    rich.applications.add("Added after the backup", "Analyst", "other", D(2024, 5, 1))
    with_extra = dump(rich)
    result = restore_backup(rich, data)
    aside = Path(result["aside"])
    assert aside.exists() and aside.parent.parent == Path(rich.db.path).parent / "backups"
    assert "Added after the backup" not in set(rich.applications.all()["company"])
    restore_backup(rich, aside.read_bytes(), keep_aside=False)
    assert dump(rich) == with_extra


def test_copies_kept_aside_are_unique_per_restore_and_per_user(rich, monkeypatch):
    """Two restores in the same second, by one user and by two: every copy is its own file, and
    each holds its own user's data (the old name had only the time in it and was overwritten)."""
    import rebound.backup as backup

    class FrozenClock(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return dt.datetime(2026, 11, 30, 9, 0, 0, tzinfo=tz)

    monkeypatch.setattr(backup.dt, "datetime", FrozenClock)
    data = make_backup(rich)
    other = Store(rich.db, "someone-else")
    other.applications.add("Theirs", "Role", "other", D(2024, 1, 1))
    first = Path(restore_backup(rich, data)["aside"])
    second = Path(restore_backup(rich, data)["aside"])
    theirs = Path(restore_backup(other, data)["aside"])
    assert len({first, second, theirs}) == 3 and all(p.exists() for p in (first, second, theirs))
    assert first.parent == second.parent != theirs.parent  # one folder per user
    preview = backup.preview_backup(rich, theirs.read_bytes())
    assert preview.counts["applications"] == 1  # the other user's copy holds the other user's data
    assert backup.preview_backup(rich, first.read_bytes()).counts["applications"] == rich.applications.count()


def test_delete_all_my_data_removes_my_copies_kept_aside_only(rich):
    import rebound.backup as backup

    other = Store(rich.db, "someone-else")
    other.applications.add("Theirs", "Role", "other", D(2024, 1, 1))
    data = make_backup(rich)
    mine = Path(restore_backup(rich, data)["aside"])
    theirs = Path(restore_backup(other, data)["aside"])
    removed = backup.delete_everything(rich)
    assert removed["applications"] > 0
    assert not mine.exists() and not mine.parent.exists()
    assert theirs.exists() and other.applications.count() > 0 and rich.applications.count() == 0


def _tamper(data: bytes, edit) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    files = {n: src.read(n) for n in src.namelist()}
    edit(files)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for n, b in files.items():
            z.writestr(n, b)
    return out.getvalue()


def _manifest_edit(**changes):
    def edit(files):
        m = json.loads(files["manifest.json"])
        m.update(changes)
        files["manifest.json"] = json.dumps(m).encode()

    return edit


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda d: b"not a zip at all", "not a .zip"),
        (lambda d: d[: len(d) // 2], "damaged"),
        (lambda d: _tamper(d, lambda f: f.pop("manifest.json")), "no manifest"),
        (lambda d: _tamper(d, lambda f: f.update({"manifest.json": b"{nope"})), "manifest can't be read"),
        (lambda d: _tamper(d, _manifest_edit(format="something-else")), "not a Rebound backup"),
        (lambda d: _tamper(d, _manifest_edit(format_version=FORMAT_VERSION + 1)), "newer Rebound"),
        (lambda d: _tamper(d, _manifest_edit(schema_version=999)), "newer Rebound.*schema 999"),
        (lambda d: _tamper(d, lambda f: f.pop("tables/events.parquet")), "incomplete.*events"),
        (lambda d: _tamper(d, lambda f: f.update({"tables/events.parquet": b"PAR1 broken"})), "checksum"),
    ],
)
def test_bad_backups_are_refused_before_anything_changes(rich, make, message):
    before = dump(rich)
    with pytest.raises(ValidationError, match=message):
        restore_backup(rich, make(make_backup(rich)))
    assert dump(rich) == before


def test_a_backup_that_fails_while_restoring_changes_nothing(rich):
    """A consistent-looking file whose rows break a constraint: the transaction rolls back."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    def edit(files):
        table = pq.read_table(io.BytesIO(files["tables/events.parquet"]))
        table = table.set_column(
            table.column_names.index("application_id"),
            "application_id",
            pa.array([987654321] * table.num_rows, pa.int64()),
        )  # points nowhere
        buf = io.BytesIO()
        pq.write_table(table, buf)
        files["tables/events.parquet"] = buf.getvalue()
        m = json.loads(files["manifest.json"])
        m["tables"]["events"]["sha256"] = hashlib.sha256(buf.getvalue()).hexdigest()
        files["manifest.json"] = json.dumps(m).encode()

    bad = _tamper(make_backup(rich), edit)
    before = dump(rich)
    with pytest.raises(ValidationError, match="could not be restored.*Nothing was changed"):
        restore_backup(rich, bad)
    assert dump(rich) == before
    assert not list(aside_dir(rich).glob("*"))  # the copy saved before it was removed again: nothing left


@pytest.fixture
def small(store):
    store.applications.add("Acme", "Analyst", "referral", D(2026, 10, 1))
    return store


def restore_here(store: Store, data: bytes, **kwargs) -> dict:
    """restore_backup with the backup read in this process (the fenced worker's start is slow on a busy machine)."""
    return restore_backup(store, data, info=read_with(Target.of(store), data), **kwargs)


def test_a_restore_stopped_midway_removes_the_copy_it_kept_aside(small):
    """However a restore fails after the copy was saved (here: stopped inside its transaction), the
    data is as it was, and the copy it saved is gone; the copies earlier restores kept stay."""
    data = make_backup(small)
    earlier = Path(restore_here(small, data)["aside"])
    before = dump(small)

    def stop():
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        restore_here(small, data, during=stop)
    assert dump(small) == before
    assert [p.name for p in aside_dir(small).iterdir()] == [earlier.name]


def _copy_aside(store: Store, name: str, days_old: float) -> Path:
    """A real copy kept aside (a backup of `store`) named `name`, its file time `days_old` days before now."""
    folder = aside_dir(store)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(b"PK not read")
    moment = dt.datetime.now(dt.UTC).timestamp() - days_old * 86400
    os.utime(path, (moment, moment))
    return path


def test_copies_kept_aside_are_pruned_to_the_last_five_and_thirty_days_unless_kept(small):
    """README, Copies kept aside: a restore that keeps a copy prunes this database's copies to the
    newest five, none older than 30 days, except those the user renamed with -keep; another
    database's copies, and files named otherwise, are never touched."""
    db = Path(small.db.path).name
    recent = [
        _copy_aside(small, f"rebound-before-restore-{db}-20261120-0900{i}0-0000000{i}.zip", 5 + i) for i in range(5)
    ]
    old = _copy_aside(small, f"rebound-before-restore-{db}-20261001-090000-0000000a.zip", 40)
    kept_old = _copy_aside(small, f"rebound-before-restore-{db}-20260101-090000-0000000b-keep.zip", 300)
    theirs = [
        _copy_aside(small, f"rebound-before-restore-other.duckdb-20261120-09000{i}-0000001{i}.zip", 1) for i in range(6)
    ]
    legacy_old = _copy_aside(small, "rebound-before-restore-20260901-090000-0000000c.zip", 60)
    legacy_recent = _copy_aside(small, "rebound-before-restore-20261124-090000-0000000d.zip", 1)
    mine = _copy_aside(small, "my data before the move.zip", 200)

    result = restore_here(small, make_backup(small))
    made = Path(result["aside"])

    left = set(aside_dir(small).iterdir())
    assert result["pruned"] == 3 and pruned_note(result["pruned"]).startswith(" 3 older copies kept aside were removed")
    assert made in left and made.name.startswith(f"rebound-before-restore-{db}-")
    assert left == {made, *recent[:4], kept_old, *theirs, legacy_recent, mine}  # the 5 newest of this database
    assert not old.exists() and not recent[4].exists() and not legacy_old.exists()


def test_a_recent_copy_beyond_thirty_days_goes_even_among_the_last_five(small):
    db = Path(small.db.path).name
    young = _copy_aside(small, f"rebound-before-restore-{db}-20261124-090000-00000001.zip", 1)
    stale = _copy_aside(small, f"rebound-before-restore-{db}-20261020-090000-00000002.zip", 31)
    made = Path(restore_here(small, make_backup(small))["aside"])
    assert set(aside_dir(small).iterdir()) == {made, young} and not stale.exists()


# -- delete all, remove demo ------------------------------------------------------------------------------
def test_delete_all_my_data_leaves_other_users_alone(rich):
    other = Store(rich.db, "someone-else")
    other.applications.add("Theirs", "Role", "other", D(2024, 1, 1))
    removed = rich.account.delete_all_data()
    assert removed["applications"] > 0 and removed["settings"] == 1
    assert all(n == 0 for n in rich.account.row_counts().values())
    assert other.applications.count() == 1


def test_remove_demo_data_keeps_real_entries(rich):
    real = rich.applications.add("My real application", "Analyst", "referral", D(2024, 1, 8))
    rich.applications.add_event(real, "screen", D(2024, 1, 12))
    demo = rich.account.demo_application_count()
    assert demo > 0
    removed = rich.account.remove_demo_data()
    assert removed["applications"] == demo
    assert rich.applications.count() == 1 and rich.account.demo_application_count() == 0
    assert rich.applications.timeline(real)["kind"].tolist() == ["applied", "screen"]
    left = rich.scope.one("SELECT count(*) FROM events WHERE user_id = $user")
    assert left == 1
    # nothing left that points at a removed application
    for table in rich.account.user_tables():
        cols = [c["name"] for c in rich.account.table_columns(table)]
        if "application_id" in cols:
            assert (
                rich.scope.one(
                    f"SELECT count(*) FROM {table} WHERE user_id = $user AND application_id IS NOT NULL"
                    " AND application_id NOT IN (SELECT id FROM applications)"
                )
                == 0
            )
    assert rich.account.remove_demo_data() == {}


# -- the first schema version upgrades with every row intact -------------------------------------------------
def make_v1_database(path: str) -> dict:
    """A database as Rebound's first release made it: only migration 001, with rows in every table."""
    _, name, sql = migrations()[0]
    con = duckdb.connect(path)
    con.execute(sql)
    con.execute(
        "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,"
        " applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)"
    )
    con.execute("INSERT INTO schema_version (version, name) VALUES (1, ?)", [name])
    u = "'local'"
    con.execute(f"""
        INSERT INTO applications (id, user_id, company, role, url, channel, location, applied_on, notes, source, source_key)
        VALUES (1001, {u}, 'Öresund AB', 'Analyst', 'https://o.example/1', 'referral', 'Malmö', DATE '2025-01-05', 'n', 'linkedin', 'k1'),
               (1002, {u}, 'Blue Heron', 'BI Dev', NULL, 'job board', NULL, DATE '2025-01-07', NULL, 'manual', NULL);
        INSERT INTO events (user_id, application_id, kind, happened_on, round, stage, reason)
        VALUES ({u}, 1001, 'screen', DATE '2025-01-09', NULL, NULL, NULL),
               ({u}, 1001, 'interview', DATE '2025-01-15', 1, NULL, NULL),
               ({u}, 1002, 'rejected', DATE '2025-01-20', NULL, 'applied', 'Filled internally');
        INSERT INTO settings VALUES ({u}, 'ghost_after_days', '28');
        INSERT INTO checkins (user_id, checked_at, mood, energy, emotions, note, application_id)
        VALUES ({u}, TIMESTAMP '2025-01-20 18:00:00', 3, 4, ['disappointed', 'tired'], 'rough day', 1002);
        INSERT INTO coping (user_id, day, kind, with_whom, minutes, helped) VALUES ({u}, DATE '2025-01-20', 'talked to someone', 'Sam', 30, 4);
        INSERT INTO reflections (user_id, template, day, answers, themes, application_id)
        VALUES ({u}, 'after_rejection', DATE '2025-01-21', '{{"went_well": "prep"}}', ['preparation'], 1002);
        INSERT INTO feedback_requests (id, user_id, application_id, stage, questions, drafted_on)
        VALUES (2001, {u}, 1002, 'applied', ['What could I improve?'], DATE '2025-01-22');
        INSERT INTO actions (user_id, source, source_id, kind, title) VALUES ({u}, 'feedback', 2001, 'resume', 'Tighten summary');
        INSERT INTO contacts (id, user_id, name, company, next_follow_up_on) VALUES (3001, {u}, 'Priya', 'Öresund AB', DATE '2025-02-01');
        INSERT INTO activities (user_id, day, kind, minutes, contact_id) VALUES ({u}, DATE '2025-01-10', 'networking', 45, 3001);
        INSERT INTO goals (user_id, week, metric, target) VALUES ({u}, DATE '2025-01-06', 'applications', 5);
        INSERT INTO wins (user_id, day, title) VALUES ({u}, DATE '2025-01-15', 'First interview in months');
    """)
    con.close()
    return full_dump(path)


def test_first_schema_version_upgrades_with_every_row_intact(tmp_path):
    path = str(tmp_path / "v1.duckdb")
    before = make_v1_database(path)
    db = Database(path)
    assert db.applied_versions() == {v for v, _, _ in migrations()}
    store = Store(db, "local")
    apps = store.applications.all().set_index("company")
    assert apps.loc["Öresund AB", "status"] == "interview" and apps.loc["Blue Heron", "status"] == "rejected"
    assert store.settings.get("ghost_after_days") == "28"
    db.close()
    after = full_dump(path)
    for table, rows in before.items():
        if table == "schema_version":
            continue
        assert len(after[table]) == len(rows), table
        # every old value is still there (later migrations may only add columns at the end)
        for old, new in zip(rows, after[table]):
            old_t, new_t = eval(old, {"datetime": dt, "Decimal": float}), eval(new, {"datetime": dt, "Decimal": float})
            assert new_t[: len(old_t)] == old_t, table


def test_a_backup_made_on_the_oldest_duckdb_restores_on_this_one(store):
    """issue 24, item 4: tests/fixtures/backup-duckdb-1.5.3.zip was made by Rebound on DuckDB 1.5.3, the
    lower bound CI also runs (.ci/run); made by tests/fixtures/make_old_backup.py. Its tables are Parquet
    with a versioned manifest, so it restores on the DuckDB of uv.lock row for row."""
    data = (FIXTURES / "backup-duckdb-1.5.3.zip").read_bytes()
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("manifest.json"))
    result = restore_backup(store, data, keep_aside=False, info=read_with(Target.of(store), data))
    assert result["restored"] == {t: meta["rows"] for t, meta in manifest["tables"].items()}
    assert store.applications.count() == 23 and sum(result["restored"].values()) == 84
    apps = store.applications.all()
    fixture = apps[apps["company"] == "Fixture & Söhne"].iloc[0]
    assert (fixture["role"], fixture["channel"], fixture["status"]) == ("Data analyst", "referral", "rejected")
    assert fixture["applied_on"].date() == D(2026, 10, 5)
    checkin = store.checkins.all().query("note == 'Made on DuckDB 1.5.3'").iloc[0]
    assert (checkin["mood"], sorted(checkin["emotions"])) == (4, ["disappointed", "tired"])


def test_a_v1_database_backs_up_and_restores_on_this_version(tmp_path):
    path = str(tmp_path / "v1.duckdb")
    make_v1_database(path)
    db = Database(path)
    store = Store(db, "local")
    before = dump(store)
    restore_backup(store, make_backup(store))
    assert dump(store) == before
    linked = store.scope.one(
        "SELECT count(*) FROM actions a JOIN feedback_requests f ON f.id = a.source_id WHERE a.user_id = $user"
    )
    assert linked == 1
    db.close()


# -- processes: the CLI end to end, a lock held by another program (SIGKILLs: tests/importing/test_faults.py) -----------
def _cli(*args, env=None, **kw):
    return subprocess.run(
        [sys.executable, "-m", "rebound", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
        **kw,
    )


@pytest.mark.slow
def test_cli_import_export_backup_restore(tmp_path):
    db = str(tmp_path / "cli.duckdb")
    linked = [str(FIXTURES / n) for n in ("Job Applications.csv", "Job Applications_1.csv", "Job Applications_2.csv")]
    run = _cli("import", *linked, "--db", db)
    assert run.returncode == 0, run.stderr
    assert "Imported 7 applications" in run.stdout and "Job Applications_2.csv line 3" in run.stderr
    again = _cli("import", *linked, "--db", db, "--format", "linkedin")
    assert "0 new applications, 4 already in Rebound" in again.stdout or "already in Rebound" in again.stdout
    out = tmp_path / "a.csv"
    assert _cli("export", "--db", db, "--format", "csv", "--from", "2024-01-01", "-o", str(out)).returncode == 0
    assert out.read_bytes().decode("utf-8-sig").count("\r\n") == 1 + 4  # header + applications since 2024
    sankey = _cli("export", "--db", db, "--format", "sankey", "-o", "-")
    assert "Job board [7] Applied" in sankey.stdout
    backup = tmp_path / "b.zip"
    assert _cli("backup", "--db", db, "-o", str(backup)).returncode == 0
    refused = _cli("restore", str(backup), "--db", db)
    assert refused.returncode == 2 and "--yes" in refused.stderr
    done = _cli("restore", str(backup), "--db", db, "--yes")
    assert done.returncode == 0 and "Restored 7 applications" in done.stdout and "saved to" in done.stdout
    bad = _cli("import", str(FIXTURES / "teal.csv"), "--db", db, "--format", "linkedin")
    assert bad.returncode == 1 and "not LinkedIn's" in bad.stderr
    nomap = _cli("import", str(FIXTURES / "generic-semicolon-cp1252.csv"), "--db", db)
    assert nomap.returncode == 1 and "--map" in nomap.stderr


def test_locked_database_gives_a_clear_message(tmp_path):
    db = str(tmp_path / "locked.duckdb")
    Database(db).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from rebound.db import Database; "
            f"d = Database({db!r}); print('ready', flush=True); time.sleep(60)",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        run = _cli("import", str(FIXTURES / "Job Applications.csv"), "--db", db)
        assert run.returncode == 1
        assert "is in use by another program" in run.stderr and "Traceback" not in run.stderr
        backup = _cli("backup", "--db", db, "-o", str(tmp_path / "x.zip"))
        assert backup.returncode == 1 and "in use by another program" in backup.stderr
    finally:
        holder.kill()
        holder.wait()


def test_a_private_session_restores_without_writing_a_copy_to_disk(rich, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    private = Store(Database(":memory:"), "session-abc")
    generate(private, weeks=4, seed=1)
    result = restore_backup(private, make_backup(rich))
    assert result["aside"] is None and not (tmp_path / "data").exists()
    assert private.applications.count() == rich.applications.count()


# -- the one door to the timeline (issue 23) ---------------------------------------------------------------
def test_a_backup_holding_a_rejection_twice_restores_it_once_and_says_so(store, tmp_path):
    """A database an older Rebound left with the double rejection (logged on Outcomes, then confirmed
    from the mail) is backed up; the restore writes events through the outcomes command, so the
    timeline gets one rejection, the summary says so, and what pointed at the repeat follows the one kept."""
    today = dt.date.today()
    app = store.applications.add("Acme", "Analyst", "referral", today - dt.timedelta(days=20))
    store.applications.add_event(app, "rejected", today - dt.timedelta(days=3), stage="applied")
    repeat = (
        store.db.cursor()
        .execute(  # the old mail confirmation's own INSERT, without the repeat rule
            "INSERT INTO events (user_id, application_id, kind, happened_on, stage, note)"
            " VALUES ('local', ?, 'rejected', ?, 'applied', 'From your mail: Your application') RETURNING id",
            [app, today - dt.timedelta(days=3)],
        )
        .fetchone()[0]
    )
    store.wins.add("Heard back from Acme", today - dt.timedelta(days=3), event_id=repeat)
    data = make_backup(store)
    result = restore_backup(store, data, keep_aside=False)
    (restored,) = store.applications.all()["id"].tolist()
    timeline = store.applications.timeline(int(restored))
    assert timeline["kind"].tolist() == ["applied", "rejected"]
    assert result["already_there"] == 1 and result["restored"]["events"] == 1
    (win_event,) = [r[0] for r in store.scope.rows("SELECT event_id FROM wins WHERE user_id = $user")]
    assert win_event == int(timeline["id"].iloc[-1])  # the win follows the rejection kept


def test_the_restore_summary_says_what_was_already_on_the_timeline():
    from rebound.backup import restored_once

    assert restored_once(0) == ""
    assert restored_once(1) == " 1 event the backup held twice was already on the timeline: restored once."


def test_a_goal_ticked_past_ten_thousand_backs_up_and_restores(store):
    """Limits live once (issue 23): a hand-ticked goal may count to the goals' own ceiling, and a
    restore accepts what the goals accept (backup_checks once restated 10,000 beside tick's 100,000)."""
    from rebound.dates import week_of

    goal = store.goals.add(week_of(dt.date.today()), "custom", 5, "Push-ups")
    for _ in range(11):
        store.goals.tick(goal, 1_000)
    data = make_backup(store)
    restore_backup(store, data, keep_aside=False)
    assert store.scope.rows("SELECT done_count FROM goals WHERE user_id = $user") == [(11_000,)]


def test_the_data_page_says_how_copies_aside_are_pruned(db_path, run_page):
    at = run_page("pages/data.py", db_path)
    assert any(
        "the 5 newest are kept, none older than 30 days" in c.value and "-keep.zip" in c.value for c in at.caption
    )
