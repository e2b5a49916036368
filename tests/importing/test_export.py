"""Export: stage-history CSV with a date range, JSON, Parquet, XLSX, .ics, SankeyMATIC; formula-injection safety."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rebound.db import Database
from rebound.exporting import (
    DANGEROUS_START,
    csv_bytes,
    export,
    ics_calendar,
    safe_cell,
    sankeymatic_text,
    unescape_cell,
    xlsx_bytes,
)
from rebound.importing import apply_plan, build_plan, prepare, read_files
from rebound.store import Store

D = dt.date


@pytest.fixture
def history(store):
    """Three applications with timelines, one of them with a hostile company name."""
    a = store.applications.add(
        "Northwind",
        "Data Analyst",
        "referral",
        D(2024, 1, 10),
        url="https://n.example/1",
        notes="Met Priya at a meetup",
    )
    store.applications.add_event(a, "screen", D(2024, 1, 15))
    store.applications.add_event(a, "interview", D(2024, 1, 22), round=1)
    store.applications.add_event(a, "rejected", D(2024, 1, 30), stage="interview", reason="More domain experience")
    b = store.applications.add('=HYPERLINK("http://evil","x")', "Analyst", "job board", D(2024, 2, 5))
    store.applications.add_event(b, "ghosted", D(2024, 3, 10))
    c = store.applications.add("Kestrel Labs", "Analytics Engineer", "company site", D(2024, 3, 1))
    store.applications.add_event(c, "screen", D(2024, 3, 6))
    return {"a": a, "b": b, "c": c}


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_history_csv_lists_every_stage_and_filters_by_date(store, history):
    rows = read_csv(export(store, "csv")[0])
    header, body = rows[0], rows[1:]
    assert header[:3] == ["Applied on", "Company", "Role"] and len(body) == 3
    north = next(r for r in body if r[1] == "Northwind")
    assert north[header.index("Stage history")] == (
        "2024-01-10 Applied → 2024-01-15 Screen → 2024-01-22 Interview (round 1) → "
        "2024-01-30 Rejected (at interview; More domain experience)"
    )
    assert north[header.index("Current status")] == "Rejected"
    # the hostile cell is neutralised
    assert next(r for r in body if r[2] == "Analyst")[1].startswith("'=HYPERLINK")
    data, mime, name = export(store, "csv", D(2024, 2, 1), D(2024, 2, 29))
    only = read_csv(data)[1:]
    assert [r[2] for r in only] == ["Analyst"] and name.startswith("applications-2024-02-01-to-2024-02-29")
    assert mime == "text/csv"


def test_stages_csv_one_row_per_step(store, history):
    rows = read_csv(export(store, "stages")[0])
    steps = [r for r in rows[1:] if r[1] == "Northwind"]
    assert [r[5] for r in steps] == ["Applied", "Screen", "Interview", "Rejected"]


def test_json_has_every_table_of_this_user_only(store, history):
    store.settings.set("ghost_after_days", 30)
    Store(store.db, "someone-else").applications.add("Secret Co", "Spy", "other", D(2024, 1, 1))
    doc = json.loads(export(store, "json")[0])
    assert doc["format"] == "rebound-export" and doc["schema_version"] >= 1
    assert {"applications", "events", "checkins", "settings"} <= set(doc["tables"])
    assert len(doc["tables"]["applications"]) == 3 and len(doc["tables"]["events"]) == 5
    assert "Secret Co" not in json.dumps(doc) and "user_id" not in doc["tables"]["applications"][0]
    assert doc["tables"]["applications"][0]["applied_on"] == "2024-01-10"


def test_parquet_zip_has_one_file_per_table(store, history):
    import pyarrow.parquet as pq

    with zipfile.ZipFile(io.BytesIO(export(store, "parquet")[0])) as z:
        names = z.namelist()
        assert "manifest.json" in names and "tables/applications.parquet" in names
        apps = pq.read_table(io.BytesIO(z.read("tables/applications.parquet"))).to_pandas()
    assert sorted(apps["company"]) == sorted(["Northwind", '=HYPERLINK("http://evil","x")', "Kestrel Labs"])


def test_xlsx_cells_are_text_not_formulas(store, history):
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(export(store, "xlsx")[0]))
    assert wb.sheetnames[:2] == ["Applications", "Stages"]
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
                if isinstance(cell.value, str):
                    assert cell.data_type == "s" and not cell.value.startswith("'"), cell.value
    companies = {c.value for c in wb["Applications"]["B"]}
    assert '=HYPERLINK("http://evil","x")' in companies  # shown as typed: a string cell needs no apostrophe


def ics_events(text: str) -> list[dict]:
    """The VEVENTs of an .ics file, unfolded: [{"SUMMARY": …, "DTSTART;VALUE=DATE": …}, …]."""
    events, current = [], None
    for line in text.replace("\r\n ", "").split("\r\n"):
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None and ":" in line:
            key, _, value = line.partition(":")
            current[key] = value
    return events


def test_ics_calendar_format(store, history):
    text = ics_calendar(store, today=D(2024, 3, 8)).decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and text.endswith("END:VCALENDAR\r\n")
    # Kestrel's screen on 6 March + 7 days -> a follow-up on 13 March; January's interview is past: left out
    assert [(e["SUMMARY"], e["DTSTART;VALUE=DATE"]) for e in ics_events(text)] == [
        ("Follow up: Kestrel Labs – Analytics Engineer", "20240313")
    ]
    # commas and semicolons are escaped, lines folded at 75 octets
    assert "A short\\, friendly note keeps you" in text.replace("\r\n ", "")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert text.count("BEGIN:VEVENT") == text.count("END:VEVENT") == 1


def test_ics_after_a_history_import_holds_no_overdue_follow_ups(store):
    """Issue 14: an imported history gave hundreds of "Follow up … (overdue)" events, all dated today."""
    from rebound.importing import LINKEDIN_HEADER, import_files

    rows = [f'"{1 + i % 12}/{1 + i % 28}/23, 9:00 AM",,,Company {i},Analyst,,,' for i in range(300)]
    import_files(store, [("Job Applications.csv", (",".join(LINKEDIN_HEADER) + "\n" + "\n".join(rows)).encode())])
    assert store.applications.count() == 300
    text = ics_calendar(store, today=D(2025, 6, 1)).decode("utf-8")
    assert ics_events(text) == [] and "overdue" not in text


def test_ics_holds_what_is_coming_interviews_follow_ups_feedback_contacts_actions(store):
    today = D(2026, 3, 10)
    # an interview today (interviews are logged once they happen) and one in February
    a = store.applications.add("Acme", "Analyst", "referral", D(2026, 2, 1), today=today)
    store.applications.add_event(a, "interview", D(2026, 2, 20), round=1, today=today)
    store.applications.add_event(a, "interview", today, round=2, today=today)
    # quiet for 3 days: a follow-up due on 14 March; quiet for 30 days: overdue, left to Today
    store.applications.add("Birch", "Analyst", "job board", D(2026, 3, 7), today=today)
    store.applications.add("Old Quiet", "Analyst", "job board", D(2026, 2, 8), today=today)
    # rejected after an interview 2 days ago: ask for feedback within 5 days -> by 13 March
    c = store.applications.add("Cedar", "Engineer", "job board", D(2026, 2, 1), today=today)
    store.applications.add_event(c, "interview", D(2026, 2, 20), round=1, today=today)
    store.applications.add_event(c, "rejected", D(2026, 3, 8), stage="interview", today=today)
    # a feedback request sent 3 days ago: chase on day 10 -> 17 March; one sent 25 days ago: past, left out
    d = store.applications.add("Delta", "Analyst", "job board", D(2026, 1, 10), today=today)
    store.applications.add_event(d, "rejected", D(2026, 2, 12), stage="interview", today=today)
    store.feedback_requests.save(
        d, "technical", "warm", ["Was my SQL deep enough?"], today=today, sent_on=D(2026, 3, 7)
    )
    e = store.applications.add("Elm", "Analyst", "job board", D(2026, 1, 10), today=today)
    store.applications.add_event(e, "rejected", D(2026, 2, 12), stage="interview", today=today)
    store.feedback_requests.save(e, "technical", "warm", ["Anything?"], today=today, sent_on=D(2026, 2, 13))
    # contacts and action items: the coming ones only
    store.contacts.add("Sam Lee", company="Acme", next_follow_up_on=D(2026, 3, 20), today=today)
    store.contacts.add("Past Pat", next_follow_up_on=D(2026, 3, 1), today=D(2026, 2, 1))
    store.actions.add("mock interview", "Mock interview with Priya", due_on=D(2026, 3, 12))
    store.actions.add("resume", "Update the CV", due_on=D(2026, 3, 1))
    store.actions.add("other", "Someday, no date")
    got = [(e["DTSTART;VALUE=DATE"], e["SUMMARY"]) for e in ics_events(ics_calendar(store, today=today).decode())]
    assert got == [
        ("20260310", "Interview round 2: Acme – Analyst"),
        ("20260312", "To do: Mock interview with Priya"),
        ("20260313", "Ask for feedback: Cedar – Engineer"),
        ("20260314", "Follow up: Birch – Analyst"),
        ("20260317", "Chase feedback: Delta"),
        ("20260317", "Follow up: Acme – Analyst"),  # quiet since today's interview
        ("20260320", "Follow up with Sam Lee (Acme)"),
    ]
    assert all(e >= "20260310" for e, _ in got)


def test_sankeymatic_text(store, history):
    text = sankeymatic_text(store)
    assert "Referral [1] Applied\n" in text and "Applied [2] Response\n" in text
    assert "Response [2] Screen\n" in text and "Screen [1] Interview\n" in text
    assert "Interview [1] Rejected\n" in text and "Applied [1] Ghosted\n" in text
    assert "Screen [1] In progress\n" in text
    for line in text.splitlines():
        assert not line or line.startswith("//") or line.count("[") == 1


def test_exports_of_an_empty_database(store):
    for fmt in ("csv", "stages", "xlsx", "json", "parquet", "ics", "sankey"):
        data, _, name = export(store, fmt)
        assert data and name


# -- property-based: formula injection --------------------------------------------------------------
@given(st.text())
def test_safe_cell_never_starts_dangerously_and_is_reversible(value):
    safe = safe_cell(value)
    assert not safe.startswith(DANGEROUS_START)
    assert unescape_cell(safe) == value
    if not value.startswith(DANGEROUS_START) and not value.startswith("'"):
        assert safe == value  # ordinary text is left alone


cells = st.one_of(
    st.text(),
    st.sampled_from(["=1+1", "+cmd|' /C calc'!A0", "-2", "@SUM(A1)", "\t=1", "\r=1", "\n=1", "'=1", "''+x"]),
    st.integers(),
    st.none(),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])  # a shared, busy machine
@given(st.lists(st.lists(cells, min_size=3, max_size=3), min_size=1, max_size=8))
def test_csv_and_xlsx_exports_have_no_live_formulas(rows):
    from openpyxl import load_workbook

    df = pd.DataFrame(rows, columns=["a", "b", "c"])
    parsed = list(csv.reader(io.StringIO(csv_bytes(df).decode("utf-8-sig"), newline="")))
    assert len(parsed) == len(rows) + 1
    for row, original in zip(parsed[1:], rows):
        for cell, value in zip(row, original):
            assert not cell.startswith(DANGEROUS_START)
            if isinstance(value, str):
                assert unescape_cell(cell) == value
    wb = load_workbook(io.BytesIO(xlsx_bytes({"S": df})))
    for row, original in zip(wb.active.iter_rows(min_row=2), rows):
        for cell, value in zip(row, original):
            assert cell.data_type != "f"
            shown = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "", value) if isinstance(value, str) else ""
            if shown:  # a string cell: never a formula, so no apostrophe in the value
                assert cell.data_type == "s" and cell.value == shown, (cell.value, value)


# -- property-based: CSV round trip through Rebound's own importer -------------------------------------
SAFE_TEXT = (
    st.text(
        st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff\u2028\u2029\x85"),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(bool)
)
NOTES = st.text(st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\n\t"), max_size=60)
APP = st.fixed_dictionaries(
    {
        "company": SAFE_TEXT,
        "role": SAFE_TEXT,
        "location": st.one_of(st.just(""), SAFE_TEXT),
        "notes": NOTES,
        "applied_on": st.dates(D(2015, 1, 1), D(2025, 12, 31)),
        "channel": st.sampled_from(
            ["job board", "referral", "recruiter", "company site", "networking", "other", "informational interview"]
        ),
    }
)


def blank(value) -> str:
    return "" if value is None or pd.isna(value) else value


@pytest.mark.slow
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(st.lists(APP, min_size=1, max_size=6, unique_by=lambda a: a["company"].casefold()))
def test_history_csv_round_trips_through_the_importer(apps):
    source, target = Store(Database(":memory:"), "local"), Store(Database(":memory:"), "local")
    for a in apps:
        store_id = source.applications.add(**a)
        assert store_id
    data = export(source, "csv")[0]
    prepared = prepare(read_files([("applications.csv", data)]))
    assert prepared.format == "csv"
    plan = build_plan(target, prepared, date_order="auto")
    assert not plan.problems, plan.problems
    apply_plan(target, plan)
    got = target.applications.all().sort_values("company").reset_index(drop=True)
    want = pd.DataFrame(apps).sort_values("company").reset_index(drop=True)
    assert len(got) == len(want)
    by_company = {r["company"]: r for r in got.to_dict("records")}
    for w in want.to_dict("records"):
        g = by_company[w["company"]]
        assert g["role"] == w["role"] and g["channel"] == w["channel"]
        assert pd.Timestamp(g["applied_on"]).date() == w["applied_on"]
        assert blank(g["location"]) == w["location"]
        assert blank(g["notes"]).strip() == w["notes"].strip()
    source.db.close()
    target.db.close()


def test_round_trip_keeps_status(store, history, tmp_path):
    data = export(store, "csv")[0]
    other = Store(store.db, "other")
    apply_plan(other, build_plan(other, prepare(read_files([("a.csv", data)]))))
    got = other.applications.all().set_index("role")["status"].to_dict()
    assert got == {"Data Analyst": "rejected", "Analyst": "ghosted", "Analytics Engineer": "screen"}
    assert other.applications.all().set_index("role").loc["Analyst", "company"] == '=HYPERLINK("http://evil","x")'


# -- issue 15: every file a spreadsheet opens goes through the one escaping function ------------------------
HOSTILE = ['=HYPERLINK("https://evil.test","x")', "@SUM(1)", "+1", "-1", "\t=1"]


@pytest.fixture
def hostile_everywhere(store):
    """Formula-like text in every free-text field a person can fill, in every table the exports read."""
    from rebound.momentum import activity_kinds, win_kinds

    today = D(2026, 3, 10)
    for i, bad in enumerate(HOSTILE):
        app = store.applications.add(
            f"{bad} co",
            bad,
            "referral",
            D(2026, 1, 5 + i),
            url="https://ok.example/x",
            location=bad,
            notes=bad,
            today=today,
        )
        store.applications.add_event(app, "screen", D(2026, 1, 20), note=bad, today=today)
        store.applications.add_event(app, "rejected", D(2026, 2, 1), stage="screen", reason=bad, note=bad, today=today)
        store.checkins.add(5, note=bad)
        store.contacts.add(bad, company=bad, how_met=bad, notes=bad, today=today)
        store.actions.add("other", bad, due_on=D(2026, 3, 20))
        store.wins.add(bad, D(2026, 2, 2), kind=next(iter(win_kinds())), today=today)
        store.activities.add(D(2026, 2, 3), next(iter(activity_kinds())), title=bad, note=bad, today=today)
        store.goals.add(D(2026, 3, 9), "custom", 2, label=f"{bad} goal {i}")
    return store


def test_every_spreadsheet_export_neutralises_formulas_in_every_table(hostile_everywhere):
    from openpyxl import load_workbook

    store = hostile_everywhere
    seen = set()
    for fmt in ("csv", "stages"):
        for row in read_csv(export(store, fmt)[0]):
            for cell in row:
                assert not cell.startswith(DANGEROUS_START), (fmt, cell)
                seen.add(unescape_cell(cell))
    wb = load_workbook(io.BytesIO(export(store, "xlsx")[0]))
    sheets_with_hostile = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert cell.data_type == "s", (ws.title, cell.value)  # text, shown as typed
                    if cell.value in {b.strip() for b in HOSTILE} | set(HOSTILE):
                        sheets_with_hostile.add(ws.title)
                    seen.add(cell.value)
    # not vacuous: the hostile text is there, escaped, in the applications and in the other tables
    for bad in HOSTILE:
        assert bad.strip() in seen or bad in seen, bad
    assert {"Applications", "Stages", "Checkins", "Contacts", "Actions"} <= sheets_with_hostile, sheets_with_hostile


def test_non_spreadsheet_exports_carry_no_live_formula_either(hostile_everywhere):
    """JSON keeps text as it is (no spreadsheet runs it); the calendar and SankeyMATIC are not
    spreadsheets, but a line there never starts with a formula sign either."""
    store = hostile_everywhere
    doc = json.loads(export(store, "json")[0])
    assert {a["company"] for a in doc["tables"]["applications"]} == {f"{b.strip()} co" for b in HOSTILE}
    for fmt in ("ics", "sankey"):
        for line in export(store, fmt)[0].decode("utf-8").splitlines():
            assert not line.startswith(DANGEROUS_START), (fmt, line)


def test_export_file_names_are_named_once(store, history, tmp_path, monkeypatch):
    """exporting.file_name is the one naming: export() (the Data page's downloads) and `rebound export`
    without -o write the same names; the date range shows only in the exports it applies to."""
    from rebound.cli import main
    from rebound.exporting import EXPORTS, file_name

    today = dt.date.today().isoformat()
    start, end = dt.date(2024, 2, 1), dt.date(2024, 2, 29)
    assert file_name("csv", start, end) == f"applications-2024-02-01-to-2024-02-29-{today}.csv"
    assert file_name("xlsx", start) == f"rebound-2024-02-01-to-{today}-{today}.xlsx"
    assert file_name("ics", start, end) == f"rebound-calendar-{today}.ics"
    assert file_name("parquet") == f"rebound-parquet-{today}.zip"
    for fmt in EXPORTS:
        assert export(store, fmt, start, end)[2] == file_name(fmt, start, end)
    monkeypatch.chdir(tmp_path)
    assert main(["export", "--format", "sankey", "--db", store.db.path]) == 0
    assert (tmp_path / file_name("sankey")).is_file()
