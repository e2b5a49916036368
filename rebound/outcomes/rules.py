"""Rules for applications and their timelines: validation and nudges (no SQL, no Streamlit)."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rebound.dates import fmt_date
from rebound.errors import ValidationError
from rebound.vocab import CHANNELS, EVENT_KINDS, EVENT_LABELS, GHOSTABLE_STATUSES, OPEN_STATUSES, REJECTION_STAGES

if TYPE_CHECKING:
    from collections.abc import Iterable

MAX_SHORT = 300  # company, role, location, reasons
MAX_URL = 2_000
MAX_NOTES = 50_000
ROUNDS = (1, 20)  # interview rounds

# The number ranges of the outcomes tables, read by backup_checks (a restore accepts what the forms accept).
LIMITS = {("events", "round"): ROUNDS}


def _clean(value: str | None) -> str:
    return (value or "").strip()


def validate_application(
    company: str,
    role: str,
    channel: str,
    applied_on: dt.date,
    url: str = "",
    location: str = "",
    notes: str = "",
    today: dt.date | None = None,
) -> dict:
    """Return cleaned fields or raise ValidationError with a plain message."""
    today = today or dt.date.today()
    company, role = _clean(company), _clean(role)
    if not company:
        raise ValidationError("Please enter the company name.")
    if not role:
        raise ValidationError("Please enter the role you applied for.")
    for label, value in (("Company", company), ("Role", role), ("Location", _clean(location))):
        if len(value) > MAX_SHORT:
            raise ValidationError(f"{label} is too long ({len(value):,} characters; at most {MAX_SHORT}).")
    if channel not in CHANNELS:
        raise ValidationError(f"Unknown channel {channel!r}; choose one of: {', '.join(CHANNELS)}.")
    if not isinstance(applied_on, dt.date):
        raise ValidationError("Please choose the date you applied.")
    if applied_on > today:
        raise ValidationError("The application date is in the future; pick the day you applied.")
    url = _clean(url)
    if url and not url.lower().startswith(("http://", "https://")):
        if "://" in url or url.lower().startswith(("javascript:", "data:", "mailto:")):
            raise ValidationError("The link must be a web address starting with http:// or https://.")
        url = "https://" + url
    if len(url) > MAX_URL:
        raise ValidationError(f"The link is too long (at most {MAX_URL:,} characters).")
    notes = notes or ""
    if len(notes) > MAX_NOTES:
        raise ValidationError(f"Notes are too long ({len(notes):,} characters; at most {MAX_NOTES:,}).")
    return {
        "company": company,
        "role": role,
        "channel": channel,
        "applied_on": applied_on,
        "url": url or None,
        "location": _clean(location) or None,
        "notes": notes or None,
    }


def validate_event(
    kind: str,
    happened_on: dt.date,
    applied_on: dt.date,
    round: int | None = None,
    stage: str | None = None,
    reason: str = "",
    note: str = "",
    today: dt.date | None = None,
) -> dict:
    today = today or dt.date.today()
    if kind not in EVENT_KINDS:
        raise ValidationError(f"Unknown event {kind!r}.")
    if not isinstance(happened_on, dt.date):
        raise ValidationError("Please choose the date it happened.")
    if happened_on > today:
        raise ValidationError("That date is in the future. Log an event once it has happened.")
    if happened_on < applied_on:
        raise ValidationError(f"That date is before you applied ({fmt_date(applied_on)}).")
    if kind == "interview":
        round = int(round or 1)
        if not ROUNDS[0] <= round <= ROUNDS[1]:
            raise ValidationError(f"Interview round must be between {ROUNDS[0]} and {ROUNDS[1]}.")
    else:
        round = None
    if kind == "rejected":
        stage = stage or "applied"
        if stage not in REJECTION_STAGES:
            raise ValidationError(f"Unknown stage {stage!r}.")
    else:
        stage = None
    reason = _clean(reason)
    if len(reason) > MAX_NOTES or len(note or "") > MAX_NOTES:
        raise ValidationError("That text is too long.")
    return {
        "kind": kind,
        "happened_on": happened_on,
        "round": round,
        "stage": stage,
        "reason": reason or None,
        "note": (note or "").strip() or None,
    }


@dataclass(frozen=True)
class NewEvent:
    """One event to put on an application's timeline, as any writer hands it to the outcomes
    command (store.applications.log_events): the Outcomes page, a mail confirmation, an import,
    the demo or a restore. `round` None for an interview means "the interview logged that day, if
    one is, else the next round". A restore passes the `id` it re-drew (references follow it) and
    the row's `created_at`."""

    application_id: int
    kind: str
    happened_on: dt.date
    round: int | None = None
    stage: str | None = None
    reason: str = ""
    note: str = ""
    id: int | None = None
    created_at: dt.datetime | None = None


def already_there(kind: str, happened_on: dt.date, round: int | None = None) -> str:
    """What a writer that merges a repeat tells the user: 'Already on the timeline: Rejected on 7 Dec 2026'."""
    label = EVENT_LABELS.get(kind, kind)
    what = f"{label} (round {round})" if kind == "interview" and round else label
    return f"Already on the timeline: {what} on {fmt_date(happened_on)}"


def repeat_of(
    kind: str, round: int | None, status: str | None, logged_that_day: Iterable[tuple[str, int | None]]
) -> str | None:
    """Why an event would repeat the timeline, or None. The same kind on the same day (the same
    round, for interviews) is one event; with the application's current `status` (an event logged
    now; None for a file's or a backup's history), ghosting what is already ghosted and reopening
    what is not are repeats too."""
    if kind == "ghosted" and status == "ghosted":
        return "This application is already marked as ghosted."
    if kind == "reopened" and status is not None and status != "ghosted":
        return "Only a ghosted application can be reopened."
    if (kind, round) in logged_that_day and (status is None or kind not in ("ghosted", "reopened")):
        return "same day"
    return None


def check_not_repeated(
    kind: str, happened_on: dt.date, round: int | None, status: str, logged_that_day: list[tuple[str, int | None]]
) -> None:
    """Refuse an event that is already on the timeline: the same kind on the same day (the same
    round, for interviews), ghosting what is already ghosted, reopening what is not. A double
    click or a second browser tab must not log one interview twice (and count it as two wins)."""
    why = repeat_of(kind, round, status, logged_that_day)
    if why is None:
        return
    if why != "same day":
        raise ValidationError(why)
    label = EVENT_LABELS.get(kind, kind)
    what = f"{label} (round {round})" if kind == "interview" else label
    raise ValidationError(
        f"{what} is already logged for {happened_on.day} {happened_on:%b %Y}: "
        "each event counts once. Pick another date if this was a new one."
    )


_NOT_ALNUM = re.compile(r"[\W_]+")  # \w is str.isalnum() plus "_" (the re docs): so this is "not alnum"


@functools.lru_cache(maxsize=1 << 16)  # every save compares against all of the user's names
def normalized(text: str) -> str:
    """Company/role key for 'applied here before?' (case, spacing and punctuation-insensitive)."""
    return " ".join(_NOT_ALNUM.sub(" ", text.casefold()).split())


@dataclass(frozen=True)
class Nudge:
    kind: str  # follow_up | ghost
    application_id: int
    company: str
    role: str
    status: str
    days_quiet: int

    @property
    def message(self) -> str:
        if self.kind == "ghost":
            return (
                f"No answer from {self.company} ({self.role}) in {self.days_quiet} days: "
                "mark as ghosted? You can reopen it any time."
            )
        return f"Nothing new from {self.company} ({self.role}) for {self.days_quiet} days. Follow up?"


def nudges_for(rows: Iterable[tuple], today: dt.date, follow_up_after: int = 7, ghost_after: int = 21) -> list[Nudge]:
    """Suggestions only: rows are (id, company, role, status, last_activity_on). Nothing is changed."""
    out = []
    for app_id, company, role, status, last_on in rows:
        if status not in OPEN_STATUSES or last_on is None:
            continue
        quiet = (today - last_on).days
        if status in GHOSTABLE_STATUSES and quiet >= ghost_after:
            out.append(Nudge("ghost", app_id, company, role, status, quiet))
        elif quiet >= follow_up_after:
            out.append(Nudge("follow_up", app_id, company, role, status, quiet))
    out.sort(key=lambda n: (n.kind != "ghost", -n.days_quiet))
    return out


# -- re-applications: the same company and role again -----------------------------------------
def application_key(company: object, role: object) -> tuple[str, str]:
    """What makes two applications one company and role (a re-application): both names compared
    as `normalized` compares them (case, spacing and punctuation-insensitive)."""
    return normalized(str(company or "")), normalized(str(role or ""))


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th … 11th, 12th, 13th … 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n:,}{suffix}"


def month_year(day: dt.date) -> str:
    """'Aug 2025': the month of a date, as fmt_date writes it."""
    return fmt_date(day).split(" ", 1)[1]


@dataclass(frozen=True)
class Reapplied:
    """One application among the user's applications to the same company and role (oldest first):
    `position` is its place (1 for the first), `others` the rest as (id, applied_on, status)."""

    application_id: int
    position: int
    count: int
    first_on: dt.date
    others: tuple[tuple[int, dt.date, str], ...]

    @property
    def line(self) -> str:
        """'Applied again: 3rd time since Aug 2025', or for the first of several
        'Applied here again later: 2 more times'; '' when it is the only one."""
        if self.count < 2:
            return ""
        if self.position > 1:
            return f"Applied again: {ordinal(self.position)} time since {month_year(self.first_on)}"
        more = self.count - 1
        return f"Applied here again later: {more:,} more time{'s' if more != 1 else ''}"


def reapplied(application_id: int, group: Iterable[tuple[int, dt.date, str]]) -> Reapplied:
    """Where `application_id` stands among `group`, the (id, applied_on, status) of every application
    to its company and role (itself included), ordered by date applied then id."""
    rows = sorted(group, key=lambda r: (r[1], r[0]))
    position = next(n for n, r in enumerate(rows, 1) if r[0] == application_id)
    others = tuple(r for r in rows if r[0] != application_id)
    return Reapplied(application_id, position, len(rows), rows[0][1], others)
