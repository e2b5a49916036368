"""Reading one cell: header names, text, dates in their many spellings, channels. Shared by every format."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from functools import lru_cache
from typing import TYPE_CHECKING

from rebound.outcomes import MAX_NOTES
from rebound.vocab import CHANNELS

if TYPE_CHECKING:
    from collections.abc import Iterable

# Dates before this are typos or placeholders (LinkedIn's "1/1/1"); after today they are mistakes.
EARLIEST_DATE = dt.date(1970, 1, 1)
DATE_ORDERS = {"auto": "Detect", "mdy": "Month first (11/13/2023)", "dmy": "Day first (13/11/2023)"}


def norm(header: object) -> str:
    """'JobTitle', 'job_title', ' Job Title ' -> 'job title'."""
    text = re.sub(r"([a-z])([A-Z])", r"\1 \2", str(header or ""))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


def text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


NUMERIC_DATE = re.compile(r"^(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})(?:[ ,T]+(.*))?$")
_TEXT_FORMATS = [
    "%b %d %Y",
    "%B %d %Y",
    "%d %b %Y",
    "%d %B %Y",
    "%a %b %d %Y",
    "%A %B %d %Y",
    "%b %d %y",
    "%d %b %y",
    "%B %d",
    "%d %B",
]


@lru_cache(maxsize=4096)
def time_of(rest: str | None) -> dt.time:
    if not rest:
        return dt.time()
    rest = rest.strip().upper().replace(".", "")
    rest = re.sub(r"(Z|[+-]\d\d:?\d\d)$", "", rest).strip()
    for fmt in ("%I:%M %p", "%I:%M:%S %p", "%I %p", "%H:%M", "%H:%M:%S", "%H:%M:%S%f", "%I:%M%p"):
        try:
            return dt.datetime.strptime(rest, fmt).time()
        except ValueError:
            continue
    if re.match(r"^\d\d:\d\d:\d\d\.\d+$", rest):
        return dt.datetime.strptime(rest[:8], "%H:%M:%S").time()
    raise ValueError(rest)


def is_ambiguous_date(value: object) -> bool:
    """A numeric a/b/yyyy date whose order (month or day first) the text alone does not say."""
    match = NUMERIC_DATE.match(text(value))
    return match is not None and len(match.group(1)) <= 2


def date_order_of(values: Iterable[object]) -> str:
    """'dmy' if any numeric a/b/yyyy date has a first part over 12, else 'mdy'."""
    for value in values:
        match = NUMERIC_DATE.match(text(value))
        if match and len(match.group(1)) <= 2:
            if int(match.group(1)) > 12:
                return "dmy"
            if int(match.group(2)) > 12:
                return "mdy"
    return "mdy"


def parse_moment(value: object, order: str = "mdy", year: int | None = None) -> dt.datetime:
    """Many spellings of a date (and time) -> datetime; raises ValueError with the text it got."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 20000 < value < 80000:
        return dt.datetime(1899, 12, 30) + dt.timedelta(days=float(value))  # an Excel serial day
    raw = text(value)
    if not raw:
        raise ValueError("")
    match = NUMERIC_DATE.match(raw)
    if match:
        a, b, c, rest = match.groups()
        if len(a) == 4:  # 2023-11-13
            y, m, d = int(a), int(b), int(c)
        else:
            y = int(c)
            if len(c) == 2:
                y += 2000 if y < 70 else 1900
            m, d = (int(a), int(b)) if order == "mdy" else (int(b), int(a))
        return dt.datetime.combine(dt.date(y, m, d), time_of(rest))
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", raw.replace(",", " "))
    cleaned = " ".join(cleaned.split())
    parts = cleaned.split(" ")
    for cut in range(len(parts), 0, -1):
        head, tail = " ".join(parts[:cut]), " ".join(parts[cut:])
        for fmt in _TEXT_FORMATS:
            try:
                day = dt.datetime.strptime(head, fmt)
            except ValueError:
                continue
            if "%Y" not in fmt and "%y" not in fmt:
                if year is None:
                    continue
                day = day.replace(year=year)
            return dt.datetime.combine(day.date(), time_of(tail))
    raise ValueError(raw)


def date_problem(raw: object) -> str:
    raw = text(raw)
    if not raw:
        return "the date is empty"
    return f"could not read the date “{raw[:40]}”; use a date like 2024-03-18 or 03/18/2024"


def out_of_range(raw: object, day: dt.date, today: dt.date) -> str | None:
    """A per-row problem for a date before EARLIEST_DATE or after today (LinkedIn's "1/1/1", year 9999)."""
    if EARLIEST_DATE <= day <= today:
        return None
    when = "in the future" if day > today else f"before {EARLIEST_DATE.year}"
    shown = raw.isoformat()[:10] if isinstance(raw, dt.date) else text(raw)[:40]
    return f"the date “{shown}” is {when}; use the day it happened, like 2024-03-18"


def channel_of(value: object, default: str) -> str:
    t = norm(value)
    if not t:
        return default
    for name in CHANNELS:
        if t == name:
            return name
    if "referr" in t or "refer" in t:
        return "referral"
    if "recruit" in t or "agency" in t or "headhunt" in t:
        return "recruiter"
    if "informational" in t:
        return "informational interview"
    if "network" in t or "friend" in t or "meetup" in t or "event" in t:
        return "networking"
    if "company" in t or "career" in t or "website" in t or "direct" in t:
        return "company site"
    boards = (
        "linkedin",
        "indeed",
        "glassdoor",
        "monster",
        "ziprecruiter",
        "stepstone",
        "board",
        "otta",
        "wellfound",
        "angel",
        "dice",
        "seek",
        "reed",
        "totaljobs",
        "xing",
        "welcome to the jungle",
        "hired",
        "simplyhired",
        "jobs",
        "job site",
        "careerbuilder",
        "workday",
        "greenhouse",
        "lever",
    )
    if any(b in t for b in boards):
        return "job board"
    return "other"


def source_key(*parts: object) -> str:
    """A row's identity across imports: the same row imported again is recognised and left out."""
    return hashlib.sha1("\x1f".join(str(p).strip().casefold() for p in parts).encode("utf-8")).hexdigest()[:24]


def limit_notes(text_: str) -> str | None:
    text_ = (text_ or "").strip()
    return text_[:MAX_NOTES] or None
