"""Care when it gets heavy: when check-ins stay very low, or the user writes words of hopelessness,
say so gently once a week, suggest talking to someone they trust, and show support services for
their country (rebound/content/care.toml, with an international default) and a contact of their
own. Pure: it reads the last days' journal rows the caller passes; nothing leaves the machine.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from rebound import content

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

DEFAULT_COUNTRY = "default"
MAX_CONTACT = 300  # the user's own contact: a name and a number, not a journal


@dataclass(frozen=True)
class Service:
    name: str
    contact: str
    note: str = ""


@functools.cache
def _rules() -> dict:
    return content.load("care.toml")


@functools.cache
def _hopeless() -> re.Pattern[str]:
    words = sorted((re.escape(w.casefold()) for w in _rules()["hopeless"]), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(words) + r")(?!\w)")


def window(today: dt.date) -> dt.date:
    """The first day the rule looks at."""
    return today - dt.timedelta(days=int(_rules()["within_days"]) - 1)


def _texts(row: Mapping[str, object]) -> Iterable[str]:
    note = row.get("note")
    if isinstance(note, str):
        yield note
    answers = row.get("answers")
    if isinstance(answers, str) and answers:
        try:
            parsed = json.loads(answers)
        except ValueError:
            return
        if isinstance(parsed, dict):
            yield from (str(v) for v in parsed.values())


def reason(rows: Iterable[Mapping[str, object]], today: dt.date) -> str | None:
    """Why to show the care note, or None: rows are journal entries (kind, day, mood, note, answers)
    of the last days; only those from window(today) to today count."""
    rules = _rules()
    start = window(today)
    low = 0
    words = False
    for row in rows:
        day = row.get("day")
        day = day.date() if isinstance(day, dt.datetime) else day
        if not isinstance(day, dt.date) or not start <= day <= today:
            continue
        mood = row.get("mood")
        if isinstance(mood, (int, float)) and mood == mood and mood <= rules["low_mood"]:
            low += 1
        words = words or any(_hopeless().search(text.casefold()) for text in _texts(row))
    if low >= int(rules["low_checkins"]):
        return str(rules["said_low"])
    if words:
        return str(rules["said_words"])
    return None


def message() -> str:
    return " ".join(str(_rules()["message"]).split())


def countries() -> dict[str, str]:
    """Country code -> name, the international default first, then by name."""
    found = _rules()["countries"]
    rest = sorted((code for code in found if code != DEFAULT_COUNTRY), key=lambda c: found[c]["name"])
    return {code: str(found[code]["name"]) for code in [DEFAULT_COUNTRY, *rest]}


def services(country: str | None) -> list[Service]:
    """The services for `country`, then the international ones (a country with none listed: those)."""
    found = _rules()["countries"]
    codes = [country] if country in found and country != DEFAULT_COUNTRY else []
    return [Service(**s) for code in [*codes, DEFAULT_COUNTRY] for s in found[code]["services"]]


def clean_contact(text: str | None) -> str:
    """The user's own contact as kept: trimmed, one line, at most MAX_CONTACT characters."""
    return " ".join((text or "").split())[:MAX_CONTACT]


class _Words(Protocol):
    def moods_and_words(self, start: dt.date, end: dt.date) -> list[dict[str, Any]]: ...


class HasJournal(Protocol):
    @property
    def reflections(self) -> _Words: ...


def load_reason(store: HasJournal, today: dt.date) -> str | None:
    """reason() over the store's check-ins and reflections of the last days (cacheable)."""
    return reason(store.reflections.moods_and_words(window(today), today), today)
