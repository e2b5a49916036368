"""Import: every documented format from hand-written fixtures, de-duplication, per-row problems, bad input."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from rebound.errors import ValidationError
from rebound.importing import (
    LINKEDIN_HEADER,
    MAX_FILE_BYTES,
    apply_plan,
    build_plan,
    detect_format,
    guess_mapping,
    import_files,
    parse_moment,
    prepare,
    read_files,
)

FIXTURES = Path(__file__).parents[1] / "fixtures"
LINKEDIN = ["Job Applications.csv", "Job Applications_1.csv", "Job Applications_2.csv"]


def fx(*names):
    return [(n, (FIXTURES / n).read_bytes()) for n in names]


def day(value) -> dt.date:
    return pd.Timestamp(value).date()


def table(store, sql):
    return store.scope.rows(sql)


# -- LinkedIn --------------------------------------------------------------------------------------
def test_linkedin_split_files_with_bom_are_imported_with_line_numbers(store):
    assert (FIXTURES / "Job Applications.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    plan, written = import_files(store, fx(*LINKEDIN))
    assert plan.format == "linkedin" and plan.rows == 9
    assert written == {"applications": 7, "events": 0}
    # problems name the file and the line (header is line 1)
    assert [(p.where, p.message[:24]) for p in plan.problems] == [
        ("Job Applications_2.csv line 3", "could not read the date "),
        ("Job Applications_2.csv line 4", "Please enter the company"),
    ]
    apps = store.applications.all().sort_values("applied_on")
    first = apps.iloc[0]
    assert (first["company"], first["role"], day(first["applied_on"])) == (
        "Northwind Analytics",
        "Data Analyst",
        dt.date(2023, 11, 13),
    )
    assert first["channel"] == "job board" and first["url"] == "https://www.linkedin.com/jobs/view/3755550001/"
    assert "Resume: Sam_Taylor_CV.pdf" in first["notes"] and "sponsorship" in first["notes"]
    assert "Müller & Söhne" in set(apps["company"])
    # a quoted cell spanning two lines keeps its text, and the next row's line number is right
    kestrel = apps[apps["company"] == "Kestrel Labs"].iloc[0]
    assert kestrel["role"] == "Analytics Engineer, Platform" and "data culture,\r\nespecially" in kestrel["notes"]
    assert set(apps["source"]) == {"linkedin"}


def test_reimporting_adds_nothing(store):
    import_files(store, fx(*LINKEDIN))
    before = store.applications.count()
    plan, written = import_files(store, fx(*LINKEDIN))
    assert written == {"applications": 0, "events": 0}
    assert plan.already == 7 and plan.new_rows == 0
    assert store.applications.count() == before == 7
    # applying a stale preview (made before the first import) adds nothing either
    fresh = type(store)(store.db, "someone-else")
    stale = build_plan(fresh, prepare(read_files(fx(*LINKEDIN))))
    apply_plan(fresh, stale)
    assert apply_plan(fresh, stale) == {"applications": 0, "events": 0}
    assert fresh.applications.count() == 7 and store.applications.count() == 7


def test_linkedin_export_zip(store):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("Connections.csv", "First Name,Last Name\nAda,Lovelace\n")
        for name in LINKEDIN:
            z.writestr(f"Jobs/{name}", (FIXTURES / name).read_bytes())
    plan, written = import_files(store, [("Basic_LinkedInDataExport_11-25-2026.zip", buf.getvalue())])
    assert plan.format == "linkedin" and written["applications"] == 7
    assert plan.problems[0].where.endswith("Jobs/Job Applications_2.csv line 3")


def test_linkedin_dates():
    assert parse_moment("11/13/23, 9:42 AM") == dt.datetime(2023, 11, 13, 9, 42)
    assert parse_moment("1/8/24, 12:05 PM") == dt.datetime(2024, 1, 8, 12, 5)
    assert parse_moment("2023-11-13T09:42:00Z") == dt.datetime(2023, 11, 13, 9, 42)
    assert parse_moment("13/11/2023", "dmy") == dt.datetime(2023, 11, 13)
    assert parse_moment("13.11.2023", "dmy") == dt.datetime(2023, 11, 13)
    assert parse_moment("Nov 13, 2023") == dt.datetime(2023, 11, 13)
    assert parse_moment("13 November 2023") == dt.datetime(2023, 11, 13)
    assert parse_moment("March 18", year=2024) == dt.datetime(2024, 3, 18)
    assert parse_moment(45243) == dt.datetime(2023, 11, 13)  # an Excel serial day
    for bad in ("yesterday", "13/13/2023", "", "2023-02-30"):
        with pytest.raises(ValueError):
            parse_moment(bad, "dmy")


# -- other trackers ---------------------------------------------------------------------------------
def test_jobsync_export(store):
    plan, written = import_files(store, fx("jobsync.csv"))
    assert plan.format == "jobsync" and plan.not_applied == 1
    assert written == {"applications": 4, "events": 3}
    apps = store.applications.all().set_index("company")
    assert apps.loc["Spotify", "status"] == "interview" and apps.loc["Klarna", "status"] == "rejected"
    assert apps.loc["Canonical", "status"] == "offer" and apps.loc["Amazon", "status"] == "applied"
    assert apps.loc["Amazon", "channel"] == "job board" and apps.loc["Klarna", "channel"] == "company site"
    assert apps.loc["Canonical", "channel"] == "recruiter" and apps.loc["Spotify", "location"] == "Stockholm"


def test_huntr_style_export(store):
    prepared = prepare(read_files(fx("huntr.csv")))
    assert prepared.format == "huntr" and prepared.needs_mapping
    assert prepared.mapping["status"] == "List" and prepared.mapping["status_on"] == "Last Updated"
    plan = build_plan(store, prepared)
    assert plan.not_applied == 1  # the wishlist row
    apply_plan(store, plan)
    apps = store.applications.all().set_index("company")
    assert apps.loc["Quillfeather", "status"] == "interview"
    assert day(apps.loc["Quillfeather", "status_on"]) == dt.date(2024, 4, 15)
    assert apps.loc["Yarrow Learning", "status"] == "offer"
    assert "prep SQL" in apps.loc["Quillfeather", "notes"]


def test_teal_style_export(store):
    plan, _ = import_files(store, fx("teal.csv"))
    assert plan.format == "teal" and plan.not_applied == 1
    apps = store.applications.all().set_index("company")
    assert apps.loc["Cedar & Pine", "status"] == "interview"
    assert apps.loc["Driftwood Games", "status"] == "rejected"
    assert apps.loc["Halcyon Care", "status"] == "ghosted"
    assert apps.loc["Ironbark Logistics", "status"] == "withdrawn"
    assert day(apps.loc["Brightloom", "applied_on"]) == dt.date(2024, 5, 2)


def test_any_spreadsheet_through_the_mapping_step(store):
    prepared = prepare(read_files(fx("spreadsheet.csv")))
    assert prepared.format == "csv"
    guess = prepared.mapping
    assert (guess["company"], guess["role"], guess["applied_on"], guess["url"], guess["channel"]) == (
        "Employer",
        "Position",
        "When",
        "Link",
        "How",
    )
    plan = build_plan(store, prepared, {"notes": "Comments"}, date_order="auto")
    assert any("day first" in n for n in plan.notes)  # 13/11/2023 can only be day first
    apply_plan(store, plan)
    apps = store.applications.all().set_index("company")
    assert day(apps.loc["Orbital Freight", "applied_on"]) == dt.date(2023, 11, 13)
    assert apps.loc["Orbital Freight", "channel"] == "referral" and apps.loc["Orbital Freight", "status"] == "screen"
    assert apps.loc["Orbital Freight", "url"] == "https://jobs.example.com/of/1"
    assert apps.loc["Riverbend Energy", "channel"] == "recruiter"
    assert apps.loc["Maple Street Bank", "status"] == "rejected"


def test_mapping_can_be_chosen_when_nothing_is_guessed(store):
    """German headers, semicolons, Windows-1252: the user maps the columns; a note says how it was read."""
    prepared = prepare(read_files(fx("generic-semicolon-cp1252.csv")))
    with pytest.raises(ValidationError, match="Choose the column for: Company, Role / job title, Date applied"):
        build_plan(store, prepared)
    plan = build_plan(
        store,
        prepared,
        {"company": "Firma", "role": "Stelle", "applied_on": "Beworben am", "location": "Ort", "notes": "Notizen"},
    )
    assert any("Windows-1252" in n for n in plan.notes)
    apply_plan(store, plan)
    apps = store.applications.all().set_index("company")
    assert apps.loc["Kestrel Labs", "location"] == "München" and apps.loc["Kestrel Labs", "notes"] == "Über Empfehlung"
    assert day(apps.loc["Kestrel Labs", "applied_on"]) == dt.date(2023, 11, 13)


def test_xlsx_spreadsheet(store):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Company", "Title", "Date applied", "Status"])
    ws.append(["Nimbus Data", "Data Analyst", dt.datetime(2024, 2, 1, 10, 0), "Rejected"])
    ws.append(["Oakridge Public Library", "Data Librarian", dt.date(2024, 2, 3), None])
    ws.append(["Lyra Biotech", "Analyst", "not a date", None])
    buf = io.BytesIO()
    wb.save(buf)
    plan, written = import_files(store, [("tracker.xlsx", buf.getvalue())])
    assert written["applications"] == 2 and plan.problems[0].where == "tracker.xlsx line 4"
    assert store.applications.all().set_index("company").loc["Nimbus Data", "status"] == "rejected"


def test_daylio_moods_become_checkins(store):
    plan, written = import_files(store, fx("daylio.csv"))
    assert plan.format == "daylio" and written == {"checkins": 4}
    assert plan.problems[0].where == "daylio.csv line 6" and "sleepy" in plan.problems[0].message
    rows = table(store, "SELECT checked_at, mood, note FROM checkins WHERE user_id = 'local' ORDER BY checked_at")
    assert rows[0][:2] == (dt.datetime(2024, 3, 15, 18, 30), 1)
    assert rows[-1][:2] == (dt.datetime(2024, 3, 18, 21, 12), 8)
    assert "Activities: work, friends" in rows[-1][2] and "Long run" in rows[1][2]
    _, again = import_files(store, fx("daylio.csv"))
    assert again == {"checkins": 0}


def test_detection_and_guesses():
    assert detect_format(LINKEDIN_HEADER) == "linkedin"
    assert detect_format(["year", "date", "weekday", "time", "mood", "activities", "note"]) == "daylio"
    assert guess_mapping(["JobTitle", "appliedDate", "applied", "Company"]) == {
        "company": "Company",
        "role": "JobTitle",
        "applied_on": "appliedDate",
        "url": None,
        "channel": None,
        "location": None,
        "notes": None,
        "status": None,
        "status_on": None,
    }


# -- bad input: a clear message and nothing written ---------------------------------------------------
@pytest.mark.parametrize(
    "name, data, message",
    [
        ("empty.csv", b"", "empty"),
        ("blank.csv", b"\n\n  \n", "empty"),
        ("header-only.csv", b"Company,Role,Date applied\n", "no rows"),
        ("garbage.csv", bytes(range(256)) * 40, "binary"),
        ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 300, "binary"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls"),
        ("broken.xlsx", b"PK\x03\x04garbage", "zip"),
        ("other.zip", b"", "empty"),
    ],
)
def test_bad_files_give_a_clear_message(store, name, data, message):
    with pytest.raises(ValidationError, match=message):
        import_files(store, [(name, data)])
    assert store.applications.count() == 0


def test_wrong_columns_for_a_chosen_format(store):
    with pytest.raises(ValidationError, match="not LinkedIn's Job Applications.csv.*Application Date"):
        import_files(store, fx("teal.csv"), fmt="linkedin")
    with pytest.raises(ValidationError, match="not a Daylio export"):
        import_files(store, fx("teal.csv"), fmt="daylio")
    with pytest.raises(ValidationError, match="different columns"):
        import_files(store, fx("teal.csv", "huntr.csv"))
    assert store.applications.count() == 0


def test_zip_without_job_applications(store):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("Connections.csv", "a\n1\n")
        z.writestr("Messages.csv", "b\n2\n")
    with pytest.raises(ValidationError, match="no “Job Applications.csv”"):
        import_files(store, [("export.zip", buf.getvalue())])


def test_a_50_mb_file_is_refused_with_a_clear_message(store):
    row = b'"11/13/23, 9:42 AM",,,Acme,Analyst,https://example.com/x,,' + b"x" * 400 + b"\n"
    data = ",".join(LINKEDIN_HEADER).encode() + b"\n" + row * (50 * 1024 * 1024 // len(row))
    assert len(data) > 49 * 1024 * 1024
    with pytest.raises(ValidationError, match=r"50\.0 MB.*up to 20\.0 MB.*Split it"):
        import_files(store, [("Job Applications.csv", data)])
    assert MAX_FILE_BYTES == 20 * 1024 * 1024 and store.applications.count() == 0


def test_dates_in_the_future_and_other_formats_are_reported_per_row(store):
    data = (
        b"Company,Role,Date applied\nA,Analyst,2024-01-05\nB,Analyst,05 Jan 2024\nC,Analyst,Jan 5th 2024\n"
        b"D,Analyst,2999-01-01\nE,Analyst,next week\n"
    )
    plan, written = import_files(store, [("t.csv", data)])
    assert written["applications"] == 3
    assert [(p.where, p.message.split(";")[0]) for p in plan.problems] == [
        ("t.csv line 5", "the date “2999-01-01” is in the future"),
        ("t.csv line 6", "could not read the date “next week”"),
    ]


def test_utf16_and_latin1(store):
    text = "Company,Role,Date applied\nCafé Zoë,Analyst,2024-01-05\n"
    plan, w = import_files(store, [("u16.csv", text.encode("utf-16"))])
    assert w["applications"] == 1 and plan.notes[:1] != ["x"]
    plan, w = import_files(
        type(store)(store.db, "other"), [("l1.csv", text.replace("Analyst", "Analyst\x81").encode("latin-1"))]
    )
    assert w["applications"] == 1 and any("Latin-1" in n or "Windows-1252" in n for n in plan.notes)


# -- speed ------------------------------------------------------------------------------------------------
def linkedin_csv(n: int) -> bytes:
    start = dt.datetime(2021, 1, 1, 9, 0)
    lines = [",".join(LINKEDIN_HEADER)]
    for i in range(n):
        when = start + dt.timedelta(hours=3 * i)
        stamp = f"{when.month}/{when.day}/{when:%y}, {when:%I:%M %p}".replace(" 0", " ")
        lines.append(
            f'"{stamp}",me@example.com,,Company {i % 700},Role {i % 37},'
            f'https://www.linkedin.com/jobs/view/{4000000000 + i}/,CV.pdf,"Q1:A1 | Q2:A2"'
        )
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def test_10000_row_linkedin_import_then_again_adds_nothing(store):
    """Its speed is the benchmark's to measure (benchmarks/bench.py), not a timed test's."""
    data = linkedin_csv(10_000)
    plan, written = import_files(store, [("Job Applications.csv", data)])
    assert written["applications"] == 10_000 and not plan.problems
    _, again = import_files(store, [("Job Applications.csv", data)])
    assert again["applications"] == 0


# -- out-of-range dates: per-row problems in every format, never an OutOfBoundsDatetime ----------------
LINKEDIN_ROW = '"{when}",,,{company},Analyst,https://www.linkedin.com/jobs/view/{n}/,,\n'


def test_an_ancient_or_far_future_linkedin_date_is_a_problem_row_and_the_rest_imports(store):
    """Issue 15: LinkedIn's "1/1/1" passed the preview, then import died with OutOfBoundsDatetime."""
    body = "".join(
        LINKEDIN_ROW.format(when=w, company=c, n=i)
        for i, (w, c) in enumerate(
            [
                ("11/13/23, 9:42 AM", "Good One"),
                ("1/1/1", "Ancient"),
                ("12/31/9999, 11:59 PM", "Far Future"),
                ("1/1/1, 12:00 AM", "Ancient Too"),
                ("2/2/24, 10:30 AM", "Good Two"),
            ]
        )
    )
    data = (",".join(LINKEDIN_HEADER) + "\n" + body).encode()
    plan = build_plan(store, prepare(read_files([("Job Applications.csv", data)])))
    assert plan.summary() == "5 rows read: 2 new applications, 3 rows with problems."
    assert [(p.where, p.message) for p in plan.problems] == [
        ("Job Applications.csv line 3", "the date “1/1/1” is before 1970; use the day it happened, like 2024-03-18"),
        (
            "Job Applications.csv line 4",
            "the date “12/31/9999, 11:59 PM” is in the future; use the day it happened, like 2024-03-18",
        ),
        (
            "Job Applications.csv line 5",
            "the date “1/1/1, 12:00 AM” is before 1970; use the day it happened, like 2024-03-18",
        ),
    ]
    assert len(plan.preview()) == 2
    assert apply_plan(store, plan) == {"applications": 2, "events": 0}
    assert sorted(store.applications.all()["company"]) == ["Good One", "Good Two"]


@pytest.mark.parametrize("fixture", ["jobsync.csv", "huntr.csv", "teal.csv", "spreadsheet.csv"])
def test_out_of_range_dates_in_every_mapped_format(store, fixture):
    """Each tracker's own file with one row's date made ancient and one made year 9999 (a status
    date of year 1 too): those two rows are problems with their lines, the others import."""
    lines = (FIXTURES / fixture).read_text().splitlines(keepends=True)
    prepared = prepare(read_files(fx(fixture)))
    applied = prepared.header.index(prepared.mapping["applied_on"])
    status_on = prepared.mapping.get("status_on")

    def with_date(line, value, column):
        cells = next(csv.reader([line]))
        cells[column] = value
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerow(cells)
        return out.getvalue()

    lines[1] = with_date(lines[1], "0001-01-01", applied)
    lines[2] = with_date(lines[2], "9999-12-31", applied)
    if status_on:
        lines[3] = with_date(lines[3], "0001-01-01", prepared.header.index(status_on))
    reference, _ = import_files(type(store)(store.db, "reference"), fx(fixture))
    plan, written = import_files(store, [(fixture, "".join(lines).encode())])
    assert [p.where for p in plan.problems] == [f"{fixture} line 2", f"{fixture} line 3"] + [
        p.where for p in reference.problems
    ]
    assert "before 1970" in plan.problems[0].message and "in the future" in plan.problems[1].message
    assert written["applications"] == reference.new_rows - 2 == store.applications.count()


def test_out_of_range_dates_in_an_xlsx_and_daylio(store):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Company", "Role", "Date applied"])
    ws.append(["Ancient", "Analyst", dt.datetime(1, 1, 1)])
    ws.append(["Late", "Analyst", dt.datetime(9999, 12, 31)])
    ws.append(["Fine", "Analyst", dt.date(2024, 2, 3)])
    buf = io.BytesIO()
    wb.save(buf)
    plan, written = import_files(store, [("t.xlsx", buf.getvalue())])
    assert [(p.where, p.message.split(";")[0]) for p in plan.problems] == [
        ("t.xlsx line 2", "the date “0001-01-01” is before 1970"),
        ("t.xlsx line 3", "the date “9999-12-31” is in the future"),
    ]
    assert written["applications"] == 1
    daylio = (
        b"full_date,date,weekday,time,mood\n0001-01-01,x,Monday,9:00 PM,good\n9999-12-31,x,Friday,9:00 PM,rad\n"
        b"2024-03-18,x,Monday,9:12 PM,meh\n"
    )
    plan, written = import_files(store, [("daylio.csv", daylio)])
    assert [(p.where, p.message.split(";")[0]) for p in plan.problems] == [
        ("daylio.csv line 2", "the date “0001-01-01” is before 1970"),
        ("daylio.csv line 3", "the date “9999-12-31” is in the future"),
    ]
    assert written == {"checkins": 1}


# -- after a history import: settle the long silences in one step ---------------------------------------
def test_the_import_offers_its_long_silent_applications_and_settles_them_in_one_step(store):
    from rebound.importing import quiet_after_import

    earlier = store.applications.add("Already Here", "Analyst", "referral", dt.date(2023, 1, 1))  # quiet, not imported
    plan, _ = import_files(store, fx(*LINKEDIN))
    today = dt.date(2024, 2, 20)  # LinkedIn's rows were sent 13 Nov 2023 … 9 Feb 2024; ghosting after 21 days
    quiet = quiet_after_import(store, plan, today)
    companies = dict(zip(store.applications.all()["id"], store.applications.all()["company"]))
    assert sorted(companies[i] for i in quiet) == [
        '=HYPERLINK("http://evil.example")',
        "Kestrel Labs",
        "Müller & Söhne",
        "Northwind Analytics",
    ]  # February's are recent
    assert earlier not in quiet
    # an answer logged since the offer keeps that one open
    kestrel = next(i for i in quiet if companies[i] == "Kestrel Labs")
    store.applications.add_event(kestrel, "screen", dt.date(2024, 2, 15))
    assert (
        len(store.applications.mark_quiet_ghosted(today, app_ids=quiet)) == 3
    )  # the one path Today and Outcomes use (undoable)
    status = store.applications.all().set_index("company")["status"]
    assert (status[['=HYPERLINK("http://evil.example")', "Müller & Söhne", "Northwind Analytics"]] == "ghosted").all()
    assert (
        status["Kestrel Labs"] == "screen"
        and status["Lyra Biotech"] == "applied"
        and status["Already Here"] == "applied"
    )
    assert quiet_after_import(store, plan, today) == []  # nothing left to offer
    again, _ = import_files(store, fx(*LINKEDIN))
    assert quiet_after_import(store, again, today) == []  # a re-import wrote nothing


def test_the_ghosting_setting_decides_what_counts_as_long_silent(store):
    from rebound.importing import quiet_after_import

    store.settings.set("ghost_after_days", 200)
    plan, _ = import_files(store, fx(*LINKEDIN))
    quiet = quiet_after_import(store, plan, dt.date(2024, 6, 10))  # 13 Nov 2023 … 1 Dec 2023 are over 190 days
    assert len(quiet) == 2


def test_the_cli_offers_and_settles_the_long_silences(tmp_path, capsys):
    from rebound.cli import main
    from rebound.db import Database
    from rebound.store import Store

    files = [str(FIXTURES / n) for n in LINKEDIN]
    assert main(["import", *files, "--db", str(tmp_path / "a.duckdb")]) == 0
    out = capsys.readouterr().out
    assert "7 of these have had no answer for over 21 days" in out and "--settle-quiet" in out
    assert main(["import", *files, "--db", str(tmp_path / "b.duckdb"), "--settle-quiet"]) == 0
    assert "Marked 7 with no answer as ghosted" in capsys.readouterr().out
    for name, statuses in (("a.duckdb", {"applied"}), ("b.duckdb", {"ghosted"})):
        db = Database(str(tmp_path / name))
        assert set(Store(db, "local").applications.all()["status"]) == statuses
        db.close()


@pytest.mark.parametrize(
    "fixture, name",
    [
        ("Job Applications.csv", "linkedin"),
        ("jobsync.csv", "jobsync"),
        ("huntr.csv", "huntr"),
        ("teal.csv", "teal"),
        ("spreadsheet.csv", "csv"),
        ("daylio.csv", "daylio"),
    ],
)
def test_each_format_module_describes_itself(fixture, name):
    """One module per format: its FORMAT recognises its own export, names the source its rows get, and
    is what the Data page lists; the pipeline finds it by the header alone."""
    from rebound.importing import FORMAT_LABELS, daylio, huntr, jobsync, linkedin, mapped, teal
    from rebound.importing.cells import norm

    modules = {"linkedin": linkedin, "jobsync": jobsync, "huntr": huntr, "teal": teal, "csv": mapped, "daylio": daylio}
    fmt = modules[name].FORMAT
    header = read_files(fx(fixture))[0].header
    assert fmt.name == name and fmt.detects({norm(c) for c in header})
    assert detect_format(header) == name and FORMAT_LABELS[name] == fmt.label
    assert fmt.kind == ("checkins" if name == "daylio" else "applications")
    assert fmt.needs_mapping == (name in ("jobsync", "huntr", "teal", "csv"))


def test_the_pipeline_names_no_format():
    """build_plan once branched on fmt == "linkedin" six times: the pipeline now only calls what a
    format says about itself, so it holds no format's name."""
    import ast

    from rebound.importing import FORMATS, pipeline

    tree = ast.parse(Path(pipeline.__file__).read_text(encoding="utf-8"))
    constants = {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)}
    assert constants.isdisjoint(set(FORMATS) - {"auto"} | {"spreadsheet"})


# -- the one door to the timeline (issue 23) ---------------------------------------------------------------
def test_an_import_carrying_the_same_event_twice_writes_it_once_and_says_so(store):
    """The import writes events through the outcomes command: a rejection the plan carries twice
    (the same application, kind and day) lands once, and the summary counts the other as already there."""
    plan = build_plan(store, prepare(read_files(fx("jobsync.csv"))))
    rejection = plan.events[plan.events["kind"] == "rejected"]
    assert len(rejection) == 1
    plan.events = pd.concat([plan.events, rejection], ignore_index=True)
    written = apply_plan(store, plan)
    assert written == {"applications": 4, "events": 3, "already there": 1}
    klarna = store.applications.all().set_index("company").loc["Klarna", "id"]
    assert store.applications.timeline(int(klarna))["kind"].tolist().count("rejected") == 1


def test_an_import_row_the_outcomes_rules_refuse_is_refused_whole_with_a_message(store):
    """Written through outcomes' validation: an event dated before its application is refused,
    and nothing of the import lands."""
    plan = build_plan(store, prepare(read_files(fx("jobsync.csv"))))
    plan.events.loc[plan.events["kind"] == "rejected", "happened_on"] = dt.date(1999, 1, 1)
    with pytest.raises(ValidationError, match="before you applied"):
        apply_plan(store, plan)
    assert store.applications.count() == 0
