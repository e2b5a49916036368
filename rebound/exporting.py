"""Give everything back in open formats: CSV (with stage history), JSON, Parquet, XLSX, .ics, SankeyMATIC.

Spreadsheet cells are safe from formula injection (OWASP "CSV Injection"): in a CSV a text cell that
begins with = + - @ tab, CR or LF gets a leading apostrophe, so Excel/LibreOffice/Sheets show it as
text. The escape is reversible (`unescape_cell`), so Rebound's own exports import back unchanged.
An XLSX needs no apostrophe: each text cell is written as a string cell (type "s", never a formula),
so it shows and reads back exactly as typed.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import json
import re
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol, cast

from rebound.dates import fmt_date
from rebound.vocab import EVENT_LABELS, event_label

if TYPE_CHECKING:  # pandas is imported where it is used: the CLI's parser and the importers read this module
    from collections.abc import Iterable

    import pandas as pd
    from openpyxl.cell import Cell
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

    from rebound.store import Store

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_NEEDS_ESCAPE = re.compile(r"^'*[=+\-@\t\r\n]")
_ESCAPED = re.compile(r"^'+[=+\-@\t\r\n]")
# Characters XML 1.0 (and so XLSX) cannot hold.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def safe_cell(value: object) -> object:
    """Neutralise a text cell that a spreadsheet would run as a formula; other values pass through.

    Prefixes one apostrophe when the text (after any apostrophes) starts with = + - @ tab CR or LF;
    adding it also to apostrophe-led text keeps the escape reversible.
    """
    if isinstance(value, str) and _NEEDS_ESCAPE.match(value):
        return "'" + value
    return value


def unescape_cell(value: object) -> object:
    """Inverse of safe_cell for text read back from a Rebound export."""
    if isinstance(value, str) and _ESCAPED.match(value):
        return value[1:]
    return value


def _plain(value: object) -> object:
    """Lists, dates, decimals and NaN into spreadsheet-friendly scalars."""
    if value is None:
        return None
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, (list, tuple)) or (
        hasattr(value, "tolist") and not isinstance(value, (str, bytes)) and getattr(value, "ndim", 0) > 0
    ):
        return ", ".join(str(v) for v in list(cast("Iterable[object]", value)))  # a list, tuple or array
    if isinstance(value, dt.datetime) and hasattr(value, "to_pydatetime"):  # a pandas Timestamp, or NaT
        return None if value != value else value.to_pydatetime()
    if isinstance(value, Decimal):
        return float(value)
    return value


def sanitize_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for column in out.columns:
        if out[column].dtype == object or str(out[column].dtype).startswith(("string", "str")):
            out[column] = out[column].map(lambda v: safe_cell(_plain(v)))
    return out


def csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a BOM (Excel reads accents right), every cell quoted and injection-safe."""
    buf = io.StringIO()
    writer = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([safe_cell(str(c)) for c in df.columns])
    for row in df.itertuples(index=False, name=None):
        writer.writerow(["" if _plain(v) is None else safe_cell(_cell_text(_plain(v))) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _cell_text(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds") if value.time() != dt.time() else value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def xlsx_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """One worksheet per frame; text as string cells (never formulas), stripped of characters XML can't hold."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    for title, df in sheets.items():
        ws = wb.create_sheet(re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "Sheet")
        bold = Font(bold=True)
        header = []
        for c in df.columns:
            cell = _xlsx_cell(ws, str(c))
            cell.font = bold
            header.append(cell)
        ws.append(header)
        for row in df.itertuples(index=False, name=None):
            ws.append([_xlsx_cell(ws, _plain(v)) for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _xlsx_cell(ws: WriteOnlyWorksheet, value: object) -> Cell:
    """A cell holding the value; text as a string cell, so "=HYPERLINK(…)" is shown, never run."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=_xlsx_value(value))
    if isinstance(cell.value, str):
        cell.data_type = "s"  # openpyxl would make text starting with "=" a formula
    return cell


def _xlsx_value(value: object) -> object:
    if isinstance(value, str):
        return _ILLEGAL_XML.sub("", value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    if isinstance(value, (bool, int, float, dt.date)):
        return value
    if value is None:
        return None
    if isinstance(value, (bytes, bytearray, memoryview)):  # a kept file: too big for a cell, in the other exports
        return f"(a file of {len(bytes(value)):,} bytes: in the JSON and Parquet exports)"
    return _ILLEGAL_XML.sub("", str(value))


# -- applications with their full stage history ---------------------------------------------------------
HISTORY_COLUMNS = [
    "Applied on",
    "Company",
    "Role",
    "Channel",
    "Location",
    "Link",
    "Current status",
    "Status since",
    "Stage history",
    "Notes",
]


class _EventRow(Protocol):
    """A row of store.account.stage_history's events, as DataFrame.itertuples gives it."""

    kind: str
    round: object
    stage: object
    reason: object


def _event_label(row: _EventRow) -> str:
    return event_label(row.kind, row.round, row.stage, row.reason)


def applications_history(store: Store, start: dt.date | None = None, end: dt.date | None = None) -> pd.DataFrame:
    """One row per application applied in [start, end], its timeline spelled out (proof of applications)."""
    import pandas as pd

    apps, events = store.account.stage_history(start, end)
    history: dict[int, list[str]] = {}
    for row in events.itertuples(index=False):
        history.setdefault(row.application_id, []).append(f"{row.happened_on:%Y-%m-%d} {_event_label(row)}")
    rows = []
    for a in apps.itertuples(index=False):
        steps = [f"{a.applied_on:%Y-%m-%d} Applied"] + history.get(a.id, [])
        rows.append(
            [
                a.applied_on,
                a.company,
                a.role,
                a.channel,
                a.location,
                a.url,
                EVENT_LABELS.get(a.status, a.status),
                a.status_on,
                " → ".join(steps),
                a.notes,
            ]
        )
    return pd.DataFrame(rows, columns=HISTORY_COLUMNS)


def stages_long(store: Store, start: dt.date | None = None, end: dt.date | None = None) -> pd.DataFrame:
    """One row per step (applied and every event): the same history, easy to filter in a spreadsheet."""
    import pandas as pd

    apps, events = store.account.stage_history(start, end)
    first = apps.rename(columns={"id": "application_id"}).assign(
        kind="applied", happened_on=apps["applied_on"], round=None, stage=None, reason=None, note=None
    )
    merged = events.merge(
        apps[["id", "company", "role", "channel"]].rename(columns={"id": "application_id"}), on="application_id"
    )
    cols = ["application_id", "company", "role", "channel", "happened_on", "kind", "round", "stage", "reason", "note"]
    out = pd.concat([first[cols], merged[cols]], ignore_index=True) if len(merged) else first[cols]
    out = out.sort_values(["happened_on", "application_id"], kind="stable").reset_index(drop=True)
    out["kind"] = out["kind"].map(lambda k: EVENT_LABELS.get(k, k))
    return out.rename(
        columns={
            "application_id": "Application",
            "company": "Company",
            "role": "Role",
            "channel": "Channel",
            "happened_on": "Date",
            "kind": "Step",
            "round": "Round",
            "stage": "Rejected at",
            "reason": "Reason",
            "note": "Note",
        }
    )


def history_csv(store: Store, start: dt.date | None = None, end: dt.date | None = None) -> bytes:
    return csv_bytes(applications_history(store, start, end))


# -- everything -----------------------------------------------------------------------------------------------
def _json_value(value: object, type_: str) -> object:
    if value is None:
        return None
    if type_ == "JSON" and isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (bytes, bytearray, memoryview)):  # a kept CV file (material_versions.file_data)
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, (list, tuple)):
        return [_json_value(v, "") for v in value]
    if isinstance(value, dict):
        return {k: _json_value(v, "") for k, v in value.items()}
    return value


def everything_json(store: Store) -> bytes:
    from rebound.backup import app_version

    tables: dict[str, list[dict[str, object]]] = {}
    for table in store.account.user_tables():
        columns, types, rows = store.account.export_rows(table)
        tables[table] = [{c: _json_value(v, t) for c, t, v in zip(columns, types, row)} for row in rows]
    doc = {
        "format": "rebound-export",
        "format_version": 1,
        "schema_version": store.account.schema_version(),
        "app_version": app_version(),
        "exported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "tables": tables,
    }
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


def everything_xlsx(store: Store, start: dt.date | None = None, end: dt.date | None = None) -> bytes:
    """A workbook: applications with history, every step, then each other table of yours."""
    import pandas as pd

    sheets = {"Applications": applications_history(store, start, end), "Stages": stages_long(store, start, end)}
    for table in store.account.user_tables():
        if table in ("applications", "events"):
            continue
        columns, _, rows = store.account.export_rows(table)
        if rows:
            sheets[table.replace("_", " ").capitalize()] = pd.DataFrame(rows, columns=columns)
    return xlsx_bytes(sheets)


def everything_parquet(store: Store) -> bytes:
    """A .zip with one Parquet file per table (the same file a backup is; it restores too)."""
    from rebound.backup import make_backup

    return make_backup(store)


# -- calendar --------------------------------------------------------------------------------------------------
def _ics_text(value: str) -> str:
    return (
        str(value)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _fold(line: str) -> list[str]:
    """RFC 5545: lines of at most 75 octets, continued with a leading space."""
    out: list[str] = []
    current = b""
    for ch in line:
        enc = ch.encode("utf-8")
        if len(current) + len(enc) > (75 if not out else 74):
            out.append(current.decode("utf-8"))
            current = b""
        current += enc
    out.append(current.decode("utf-8"))
    return [out[0]] + [" " + part for part in out[1:]]


def _setting_days(store: Store, key: str, default: int) -> int:
    try:
        return int(store.settings.get(key) or default)
    except (TypeError, ValueError):
        return default


def calendar_events(store: Store, today: dt.date | None = None) -> list[tuple]:
    """(uid, day, summary, description, url) of what is useful on a calendar, all from today on.

    Interviews, follow-ups not yet due, feedback requests to send or to chase, planned follow-ups
    with contacts and dated action items. Anything already past due stays on Today and never
    becomes a calendar entry: a history import once filled calendars with hundreds of "overdue"
    follow-ups, all dated today.
    """
    import pandas as pd

    from rebound import feedback as fb

    today = today or dt.date.today()
    interviews, open_apps, contacts = store.account.calendar_items()
    follow_after = store.settings.get_int("follow_up_after_days")
    remind_after = _setting_days(store, "feedback_remind_after_days", fb.REMIND_AFTER_DAYS)
    send_within = _setting_days(store, "feedback_send_within_days", fb.SEND_WITHIN_DAYS)
    events = []

    def day(value: object) -> dt.date:
        return pd.Timestamp(value).date()

    for r in interviews.itertuples(index=False):
        if day(r.happened_on) < today:
            continue
        label = EVENT_LABELS.get(r.kind, r.kind) + (f" round {int(r.round)}" if pd.notna(r.round) else "")
        events.append(
            (
                f"event-{r.id}",
                day(r.happened_on),
                f"{label}: {r.company} – {r.role}",
                f"{label} for {r.role} at {r.company}.",
                r.url,
            )
        )
    for r in open_apps.itertuples(index=False):
        last = day(r.last_activity_on)
        due = last + dt.timedelta(days=follow_after)
        if due < today:  # overdue: Today's nudges handle it (or it is a silence to settle)
            continue
        events.append(
            (
                f"follow-up-{r.id}-{last:%Y%m%d}",
                due,
                f"Follow up: {r.company} – {r.role}",
                f"No news since {fmt_date(last)} ({EVENT_LABELS.get(r.status, r.status)}). "
                "A short, friendly note keeps you on their radar.",
                r.url,
            )
        )
    for n in store.feedback_requests.nudges(today):
        if n.kind in ("send", "send_draft"):  # a rejection after an interview: ask while it is fresh
            events.append(
                (
                    f"feedback-send-{n.application_id}",
                    today + dt.timedelta(days=max(send_within - n.days, 0)),
                    f"Ask for feedback: {n.company} – {n.role}",
                    f"A short, specific feedback request to {n.company} works best within {send_within} days "
                    "of the decision.",
                    None,
                )
            )
    sent = store.feedback_requests.all(status="sent")
    for r in sent.itertuples(index=False):
        chase = day(r.sent_on) + dt.timedelta(days=remind_after)
        if chase < today:
            continue
        company = r.company if isinstance(r.company, str) else "the employer"
        events.append(
            (
                f"feedback-chase-{r.id}",
                chase,
                f"Chase feedback: {company}",
                f"No reply yet to the feedback request sent on {fmt_date(day(r.sent_on))}? One gentle reminder is fine.",
                None,
            )
        )
    for r in contacts.itertuples(index=False):
        if day(r.next_follow_up_on) < today:
            continue
        who = r.name + (f" ({r.company})" if isinstance(r.company, str) and r.company else "")
        events.append(
            (
                f"contact-{r.id}-{day(r.next_follow_up_on):%Y%m%d}",
                day(r.next_follow_up_on),
                f"Follow up with {who}",
                f"Planned follow-up with {who}.",
                None,
            )
        )
    actions = store.actions.open()
    for r in actions.itertuples(index=False):
        if r.due_on is None or pd.isna(r.due_on) or day(r.due_on) < today:
            continue
        events.append((f"action-{r.id}", day(r.due_on), f"To do: {r.title}", "An action item from Rebound.", None))
    return sorted(events, key=lambda e: (e[1], e[0]))


def ics_calendar(store: Store, today: dt.date | None = None) -> bytes:
    """The calendar_events as all-day events (RFC 5545); an empty calendar when nothing is coming."""
    events = calendar_events(store, today)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Rebound//Job search//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Rebound – interviews and follow-ups",
    ]
    for uid, day, summary, description, url in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid}@rebound.local",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{day + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_ics_text(summary)}",
            f"DESCRIPTION:{_ics_text(description)}",
            "TRANSP:TRANSPARENT",
        ]
        if isinstance(url, str) and url.startswith(("http://", "https://")):
            lines.append(f"URL:{_ics_text(url)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    folded = [part for line in lines for part in _fold(line)]
    return ("\r\n".join(folded) + "\r\n").encode("utf-8")


# -- SankeyMATIC -------------------------------------------------------------------------------------------------
def sankeymatic_text(store: Store) -> str:
    """The funnel as SankeyMATIC text: the same flows and names as the Progress page's Sankey
    (rebound.insights writes both), with each channel flowing into Applied."""
    from rebound.insights import rules as insights  # the module itself: its names are typed

    body = insights.sankeymatic(insights.sankey_links(store.insights.funnel_path_counts(), by_channel=True))
    lines = [
        "// Your job search as a flow. Paste into https://sankeymatic.com/build/",
        f"// Made by Rebound on {fmt_date(dt.date.today())}",
        "",
        body or "// No applications yet.",
    ]
    return "\n".join(lines) + "\n"


# -- one call for the page and the CLI ---------------------------------------------------------------------------
# format -> (label, mime type, file stem, extension)
EXPORTS = {
    "csv": ("Applications with stage history (CSV)", "text/csv", "applications", "csv"),
    "stages": ("Every stage, one row each (CSV)", "text/csv", "stages", "csv"),
    "xlsx": (
        "Everything as a spreadsheet (XLSX)",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "rebound",
        "xlsx",
    ),
    "json": ("Everything as JSON", "application/json", "rebound", "json"),
    "parquet": ("Everything as Parquet (zip, one file per table)", "application/zip", "rebound-parquet", "zip"),
    "ics": (
        "Coming up: interviews, follow-ups, feedback to chase (.ics calendar)",
        "text/calendar",
        "rebound-calendar",
        "ics",
    ),
    "sankey": ("Funnel as SankeyMATIC text", "text/plain", "rebound-sankey", "txt"),
}
DATED = ("csv", "stages", "xlsx")  # the exports the date range applies to


def file_name(fmt: str, start: dt.date | None = None, end: dt.date | None = None, today: dt.date | None = None) -> str:
    """The one naming of export files (the Data page and `rebound export`): stem, range, day, extension."""
    stamp = (today or dt.date.today()).isoformat()
    _, _, stem, ext = EXPORTS[fmt]
    span = f"-{start or 'start'}-to-{end or stamp}" if fmt in DATED and (start or end) else ""
    return f"{stem}{span}-{stamp}.{ext}"


def export(store: Store, fmt: str, start: dt.date | None = None, end: dt.date | None = None) -> tuple[bytes, str, str]:
    """(data, mime type, file name) for one export format."""
    if fmt not in EXPORTS:
        raise ValueError(f"unknown export {fmt!r}")
    if fmt == "csv":
        data = history_csv(store, start, end)
    elif fmt == "stages":
        data = csv_bytes(stages_long(store, start, end))
    elif fmt == "xlsx":
        data = everything_xlsx(store, start, end)
    elif fmt == "json":
        data = everything_json(store)
    elif fmt == "parquet":
        data = everything_parquet(store)
    elif fmt == "ics":
        data = ics_calendar(store)
    else:
        data = sankeymatic_text(store).encode("utf-8")
    return data, EXPORTS[fmt][1], file_name(fmt, start, end)
