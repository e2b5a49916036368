"""Feedback requests: the question bank, message composition, mailto/.eml/.txt, nudges, action items.

Pure logic: no SQL, no Streamlit. The bank and the message tones live in
rebound/content/feedback_questions.toml, action kinds and suggestions in
rebound/content/action_kinds.toml.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from email import policy as email_policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol
from urllib.parse import quote

from rebound import content
from rebound.errors import ValidationError
from rebound.vocab import FEEDBACK_STATUSES, INTERVIEW_STAGES, feedback_status, fill

if TYPE_CHECKING:
    from collections.abc import Iterable

MIN_QUESTIONS = 1
MAX_QUESTIONS = 4
MAX_QUESTION = 500
MAX_NAME = 200
MAX_EMAIL = 254
MAX_SUBJECT = 300
MAX_MESSAGE = 20_000
MAX_FEEDBACK = 50_000
MAX_THEME = 60
MAX_THEMES = 12
MAX_ACTION_TITLE = 300
# Many mail apps and browsers cut mailto: links somewhere past 2,000 characters.
MAILTO_SAFE_LENGTH = 2_000

# Nudges: send within a few days of a rejection after an interview; remind after 10 quiet days.
SEND_WITHIN_DAYS = 5
REMIND_AFTER_DAYS = 10
REMIND_UNTIL_DAYS = 30
# A request's status (drafted, sent, answered, no answer) and "after an interview" are vocabulary.
STATUSES = FEEDBACK_STATUSES


# -- content ---------------------------------------------------------------
@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    phrase: str
    from_events: tuple[str, ...]


@dataclass(frozen=True)
class Area:
    key: str
    label: str
    help: str
    reflection_themes: tuple[str, ...]
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class Tone:
    key: str
    label: str
    greeting: str
    greeting_no_name: str
    subject: str
    body: str


@dataclass(frozen=True)
class Question:
    stage: str
    area: str
    index: int  # which phrasing within (stage, area)
    text: str

    @property
    def id(self) -> str:
        return f"{self.stage}/{self.area}/{self.index}"


@dataclass(frozen=True)
class Bank:
    stages: dict[str, Stage]
    areas: dict[str, Area]
    questions: dict[tuple[str, str], tuple[str, ...]]
    tones: dict[str, Tone]


def parse_bank(data: dict) -> Bank:
    """Build a Bank from the TOML structure (separate from loading so tests can pass their own)."""
    stages = {
        k: Stage(k, v["label"], v["phrase"], tuple(v.get("from_events", ()))) for k, v in data.get("stages", {}).items()
    }
    areas = {
        k: Area(
            k,
            v.get("label", k.capitalize()),
            v.get("help", ""),
            tuple(t.casefold() for t in v.get("reflection_themes", ())),
            tuple(w.casefold() for w in v.get("keywords", ())),
        )
        for k, v in data.get("areas", {}).items()
    }
    questions = {}
    for stage, by_area in data.get("questions", {}).items():
        for area, phrasings in by_area.items():
            questions[(stage, area)] = tuple(p.strip() for p in phrasings if p.strip())
    tones = {
        k: Tone(k, v["label"], v["greeting"], v["greeting_no_name"], v["subject"], v["body"])
        for k, v in data.get("tones", {}).items()
    }
    return Bank(stages, areas, questions, tones)


@lru_cache(maxsize=1)
def load_bank() -> Bank:
    return parse_bank(content.load("feedback_questions.toml"))


@dataclass(frozen=True)
class ActionKind:
    key: str
    label: str
    icon: str


@dataclass(frozen=True)
class SuggestedAction:
    area: str
    kind: str
    title: str
    days: int


@lru_cache(maxsize=1)
def action_content() -> tuple[dict[str, ActionKind], dict[str, tuple[SuggestedAction, ...]]]:
    data = content.load("action_kinds.toml")
    kinds = {k: ActionKind(k, v["label"], v.get("icon", "📌")) for k, v in data["kinds"].items()}
    suggestions = {
        area: tuple(SuggestedAction(area, s["kind"], s["title"], int(s.get("days", 7))) for s in items)
        for area, items in data.get("suggestions", {}).items()
    }
    return kinds, suggestions


def action_kinds() -> dict[str, ActionKind]:
    return action_content()[0]


def suggested_actions(areas: Iterable[str] | None, bank: Bank | None = None) -> list[SuggestedAction]:
    """Starting points for action items, for each area in `areas` (in bank order)."""
    suggestions = action_content()[1]
    out: list[SuggestedAction] = []
    for area in ordered_areas(areas, bank):
        out.extend(suggestions.get(area, ()))
    return out


# -- question selection ----------------------------------------------------
def ordered_areas(areas: Iterable[str] | None, bank: Bank | None = None) -> list[str]:
    """Known areas from `areas`, de-duplicated, in the bank's order."""
    bank = bank or load_bank()
    wanted = {a for a in (areas or ())}
    return [key for key in bank.areas if key in wanted]


def questions_for(stage: str, areas: Iterable[str] | None, bank: Bank | None = None) -> list[Question]:
    """Every phrasing for the stage reached and the chosen areas, grouped by area in bank order."""
    bank = bank or load_bank()
    if stage not in bank.stages:
        raise ValidationError(f"Unknown stage {stage!r}; choose one of: {', '.join(bank.stages)}.")
    out = []
    for area in ordered_areas(areas, bank):
        for i, text in enumerate(bank.questions.get((stage, area), ())):
            out.append(Question(stage, area, i, text))
    return out


def default_questions(questions: list[Question], limit: int = MAX_QUESTIONS) -> list[Question]:
    """A starting selection: the first phrasing of each area, at most `limit` in all."""
    seen, out = set(), []
    for q in questions:
        if q.area not in seen:
            seen.add(q.area)
            out.append(q)
    return out[:limit]


def stage_for_event(event_stage: str | None, bank: Bank | None = None) -> str:
    """The feedback stage to start with, from a rejection's stage (or the furthest event)."""
    bank = bank or load_bank()
    for key, stage in bank.stages.items():
        if event_stage and event_stage in stage.from_events:
            return key
    return next(iter(bank.stages))


def areas_from_themes(themes: Iterable[object] | None, bank: Bank | None = None) -> list[str]:
    """Map reflection theme tags (technical depth, storytelling, salary, …) to areas, in bank order."""
    bank = bank or load_bank()
    tags = {str(t).strip().casefold() for t in (themes or ()) if t}
    found = [
        key
        for key, area in bank.areas.items()
        if key.casefold() in tags or area.label.casefold() in tags or tags & set(area.reflection_themes)
    ]
    return found


def suggest_themes(text: str, bank: Bank | None = None) -> list[str]:
    """Areas whose keywords appear in pasted feedback: a suggestion for tagging, never applied silently."""
    bank = bank or load_bank()
    lowered = f" {(text or '').casefold()} "
    return [key for key, area in bank.areas.items() if any(word in lowered for word in area.keywords)]


# -- validation --------------------------------------------------------------
def _one_line(value: str | None) -> str:
    """Header-safe: any run of whitespace (including newlines) becomes one space."""
    return " ".join((value or "").split())


EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"\\]+@[^@\s<>()\[\],;:\"\\]+\.[^@\s<>()\[\],;:\"\\]+$")


def clean_email(value: str | None) -> str:
    email = (value or "").strip()
    if not email:
        return ""
    if len(email) > MAX_EMAIL or not EMAIL.match(email) or ".." in email:
        raise ValidationError(
            f"“{_one_line(email)[:80]}” doesn't look like one email address (like name@company.com). "
            "Leave it empty if you don't know it."
        )
    return email


def clean_name(value: str | None, what: str = "The name") -> str:
    name = _one_line(value)
    if len(name) > MAX_NAME:
        raise ValidationError(f"{what} is too long (at most {MAX_NAME} characters).")
    return name


def clean_questions(questions: Iterable[object] | None) -> list[str]:
    """Strip, drop blanks and duplicates; 1 to 4 questions of reasonable length."""
    out = []
    for q in questions or ():
        text = "\n".join(line.rstrip() for line in str(q or "").strip().splitlines()).strip()
        if text and text not in out:
            out.append(text)
    if len(out) < MIN_QUESTIONS:
        raise ValidationError(
            "There are no questions to ask yet. Choose an area and tick at least one "
            "question (or write your own): a specific question is what gets an answer."
        )
    if len(out) > MAX_QUESTIONS:
        raise ValidationError(
            f"You have {len(out)} questions. Keep it to {MAX_QUESTIONS} at most: "
            "a short request is much more likely to be answered."
        )
    for q in out:
        if len(q) > MAX_QUESTION:
            raise ValidationError(f"One question is {len(q):,} characters long; keep each under {MAX_QUESTION}.")
    return out


def clean_themes(themes: Iterable[object] | None) -> list[str]:
    out = []
    for t in themes or ():
        theme = _one_line(str(t)).casefold()
        if theme and theme not in out:
            out.append(theme)
    if len(out) > MAX_THEMES:
        raise ValidationError(f"Choose at most {MAX_THEMES} themes.")
    for t in out:
        if len(t) > MAX_THEME:
            raise ValidationError(f"The theme “{t[:40]}…” is too long (at most {MAX_THEME} characters).")
    return out


def clean_feedback(text: str | None) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError("Paste or type what they said first. Even a one-line answer counts.")
    if len(text) > MAX_FEEDBACK:
        raise ValidationError(f"That is {len(text):,} characters; at most {MAX_FEEDBACK:,} fit.")
    return text


def validate_action(kind: str | None, title: str | None, due_on: dt.date | None = None) -> dict[str, object]:
    if kind not in action_kinds():
        raise ValidationError(f"Unknown kind of action {kind!r}; choose one of: {', '.join(action_kinds())}.")
    title = _one_line(title)
    if not title:
        raise ValidationError("Describe the action, for example “Practise two STAR stories out loud”.")
    if len(title) > MAX_ACTION_TITLE:
        raise ValidationError(f"Keep the action under {MAX_ACTION_TITLE} characters.")
    if due_on is not None and not isinstance(due_on, dt.date):
        raise ValidationError("Please choose a due date (or none).")
    if isinstance(due_on, dt.datetime):
        due_on = due_on.date()
    return {"kind": kind, "title": title, "due_on": due_on}


# -- composition --------------------------------------------------------------
@dataclass(frozen=True)
class Draft:
    subject: str
    body: str
    to_name: str = ""
    to_email: str = ""
    from_name: str = ""
    from_email: str = ""
    questions: tuple[str, ...] = field(default_factory=tuple)


def numbered(questions: Iterable[str]) -> str:
    """1. first\n2. second — continuation lines of a multi-line question are indented."""
    lines = []
    for i, q in enumerate(questions, 1):
        first, *rest = q.splitlines()
        lines.append(f"{i}. {first}")
        lines.extend(f"   {line}" if line else "" for line in rest)
    return "\n".join(lines)


def subject_line(tone: str, role: str, company: str, bank: Bank | None = None) -> str:
    bank = bank or load_bank()
    t = _tone(tone, bank)
    return _one_line(fill(t.subject, role=_one_line(role), company=_one_line(company)))[:MAX_SUBJECT]


def _tone(tone: str, bank: Bank) -> Tone:
    if tone not in bank.tones:
        raise ValidationError(f"Unknown tone {tone!r}; choose one of: {', '.join(bank.tones)}.")
    return bank.tones[tone]


def compose(
    tone: str,
    questions: Iterable[str],
    company: str,
    role: str,
    stage: str,
    to_name: str = "",
    to_email: str = "",
    sender: str = "",
    sender_email: str = "",
    bank: Bank | None = None,
) -> Draft:
    """The request: thanks, interest in growing, 1–4 numbered questions, easy to answer, no pressure.

    User text is substituted into the template, never parsed as a template, so braces,
    quotes, ampersands, emoji and any script come through unchanged.
    """
    bank = bank or load_bank()
    t = _tone(tone, bank)
    if stage not in bank.stages:
        raise ValidationError(f"Unknown stage {stage!r}.")
    qs = clean_questions(questions)
    to_name = clean_name(to_name, "The interviewer's name")
    sender = clean_name(sender, "Your name")
    to_email = clean_email(to_email)
    sender_email = clean_email(sender_email)
    company, role = _one_line(company), _one_line(role)
    greeting = fill(t.greeting, name=to_name) if to_name else t.greeting_no_name
    body = fill(
        t.body,
        greeting=greeting,
        stage_phrase=bank.stages[stage].phrase,
        role=role,
        company=company,
        questions=numbered(qs),
        sender=sender,
    )
    body = body.rstrip() + "\n"
    if len(body) > MAX_MESSAGE:
        raise ValidationError("The message is too long; shorten the questions.")
    return Draft(subject_line(tone, role, company, bank), body, to_name, to_email, sender, sender_email, tuple(qs))


# -- encodings ---------------------------------------------------------------
def crlf(text: str) -> str:
    """Normalize every line ending to CRLF (RFC 6068 wants %0D%0A in mailto bodies)."""
    return "\r\n".join(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


def mailto_url(to_email: str, subject: str, body: str) -> str:
    """RFC 6068 mailto: UTF-8 percent-encoding, spaces as %20 (never +), line breaks as %0D%0A."""
    to = quote(clean_email(to_email), safe="@")
    parts = []
    if subject:
        parts.append("subject=" + quote(_one_line(subject), safe=""))
    if body:
        parts.append("body=" + quote(crlf(body), safe=""))
    return f"mailto:{to}" + (("?" + "&".join(parts)) if parts else "")


def _address(name: str, email: str) -> tuple[Address, bool]:
    """An Address for headers; True when the local part needs SMTPUTF8."""
    local, _, domain = email.rpartition("@")
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        pass
    return Address(display_name=_one_line(name), username=local, domain=domain), not local.isascii()


def eml_bytes(draft: Draft, when: dt.datetime | None = None) -> bytes:
    """An unsent message file most mail apps open as a draft (X-Unsent: 1), UTF-8 throughout."""
    utf8 = False
    msg_headers = []
    if draft.to_email:
        address, needs = _address(draft.to_name, draft.to_email)
        utf8 |= needs
        msg_headers.append(("To", address))
    if draft.from_email:
        address, needs = _address(draft.from_name, draft.from_email)
        utf8 |= needs
        msg_headers.append(("From", address))
    msg = EmailMessage(policy=email_policy.SMTPUTF8 if utf8 else email_policy.SMTP)
    for name, value in msg_headers:
        msg[name] = value
    msg["Subject"] = _one_line(draft.subject)
    msg["Date"] = format_datetime(when or dt.datetime.now(dt.UTC))
    msg["X-Unsent"] = "1"
    msg.set_content(draft.body, charset="utf-8", cte="quoted-printable")
    return msg.as_bytes()


def txt_text(draft: Draft) -> str:
    to = ""
    if draft.to_email:
        to = f"{draft.to_name} <{draft.to_email}>" if draft.to_name else draft.to_email
    elif draft.to_name:
        to = draft.to_name
    head = (f"To: {to}\n" if to else "") + f"Subject: {draft.subject}\n"
    return f"{head}\n{draft.body}"


def file_stem(company: str, role: str = "") -> str:
    """An ASCII file name stem: 'feedback-request-muller-sohne-data-analyst'."""
    text = unicodedata.normalize("NFKD", f"{company} {role}").encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:60].strip("-")
    return "feedback-request" + (f"-{slug}" if slug else "")


# -- status and nudges ---------------------------------------------------------
def days_ago(days: int) -> str:
    """'today', 'yesterday', '3 days ago' (never '0 days ago')."""
    return "today" if days <= 0 else "yesterday" if days == 1 else f"{days} days ago"


def status_of(sent_on: dt.date | None, answered_on: dt.date | None, closed_on: dt.date | None) -> str:
    """drafted, sent, answered or no answer (the one rule, rebound.vocab.feedback_status)."""
    return feedback_status(sent_on, answered_on, closed_on)


@dataclass(frozen=True)
class FeedbackNudge:
    kind: str  # send | send_draft | no_answer
    application_id: int
    company: str
    role: str
    days: int  # since the rejection (send) or since sending (no_answer)
    request_id: int | None = None
    stage: str | None = None
    page: str = "feedback"  # where to act on it: a page's key (rebound.ui.nav.Destination)

    @property
    def icon(self) -> str:
        return "🕊️" if self.kind == "no_answer" else "✉️"

    @property
    def message(self) -> str:
        when = days_ago(self.days)
        after = {"interview": "the interview", "final": "the final round", "offer": "the offer stage"}.get(
            self.stage or "", "the interview"
        )
        if self.kind == "send":
            return (
                f"{self.company} ({self.role}) said no after {after} {when}. A short, specific feedback "
                "request sent within a few days is the most likely to get an answer. It takes about five minutes."
            )
        if self.kind == "send_draft":
            return (
                f"Your feedback request to {self.company} ({self.role}) is drafted but not sent. "
                "Sending it within a few days of the decision works best."
            )
        return (
            f"No reply yet from {self.company} ({self.role}) to your feedback request, sent {when}. "
            "Many employers never answer feedback requests, often because of policy or time, and that is "
            "not about you. You can still plan next steps from your own reflection."
        )


def feedback_nudges_for(
    rejections: Iterable[tuple[int, str, str, str | None, dt.date | None, int | None, bool]],
    unanswered: Iterable[tuple[int, int, str, str, dt.date | None]],
    today: dt.date,
    send_within: int = SEND_WITHIN_DAYS,
    remind_after: int = REMIND_AFTER_DAYS,
    remind_until: int = REMIND_UNTIL_DAYS,
) -> list[FeedbackNudge]:
    """Suggestions only.

    rejections: (application_id, company, role, stage, rejected_on, draft_id or None, any_sent) for
    rejections after an interview; unanswered: (request_id, application_id, company, role, sent_on)
    for sent requests with no answer and not closed.
    """
    out = []
    for app_id, company, role, stage, rejected_on, draft_id, any_sent in rejections:
        if any_sent or stage not in INTERVIEW_STAGES or rejected_on is None:
            continue
        days = (today - rejected_on).days
        if 0 <= days <= send_within:
            out.append(
                FeedbackNudge("send_draft" if draft_id else "send", app_id, company, role, days, draft_id, stage)
            )
    for req_id, app_id, company, role, sent_on in unanswered:
        if sent_on is None:
            continue
        days = (today - sent_on).days
        if remind_after <= days <= remind_until:
            out.append(FeedbackNudge("no_answer", app_id, company, role, days, req_id))
    out.sort(key=lambda n: (n.kind == "no_answer", n.days))
    return out


# -- `rebound stats --json` ------------------------------------------------------
class _RequestCounts(Protocol):
    def status_counts(self) -> dict[str, int]: ...
    def theme_counts(self) -> dict[str, int]: ...


class _ActionCounts(Protocol):
    def counts(self) -> dict[str, int]: ...


class FeedbackCounts(Protocol):
    """What stats_extension reads of a store (rebound.store.Store): the rules never see the rest of it."""

    @property
    def feedback_requests(self) -> _RequestCounts: ...
    @property
    def actions(self) -> _ActionCounts: ...


def stats_extension(store: FeedbackCounts, result: dict) -> None:
    """Adds "feedback": request counts by status, themes of received feedback, action items."""
    result["feedback"] = {
        "requests": store.feedback_requests.status_counts(),
        "themes": store.feedback_requests.theme_counts(),
        "actions": store.actions.counts(),
    }
