"""Writing that helps, and the user's own before and after (issue 28). Pure: no SQL, no Streamlit, no pandas.

- Four days of writing (Spera, Buhrfeind & Pennebaker 1994): a series of reflection templates
  (rebound/content/reflection_four_days.toml, one template per day). `series_progress` reads which
  days were written when and says which day is next; a missed day never breaks the series: the
  next day opens on any later day.
- "Ready for the next no" (inoculation; Vinokur et al., the JOBS programme): a plain reflection
  template (reflection_next_no.toml) whose latest answers the rejection steps show back.
- The measures of "Your own before and after" (rebound/content/confidence.toml): each one's
  points over time, compared before and after the day the user started writing, only when both
  sides have at least MIN_EACH of them, always with both counts, never claiming a cause.
"""

from __future__ import annotations

import datetime as dt
import functools
import statistics
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rebound import content
from rebound.vocab import fill
from rebound.wellbeing.rules import Template, templates

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

SERIES = "four_days"  # the four days of writing
NEXT_NO = "next_no"  # "Ready for the next no"
MIN_EACH = 3  # a before/after sentence needs at least this many on each side
HARD_MOOD = 5  # a rejection is a hard one unless its check-in's mood (1–10) was above this

# Settings (the user's, in the settings table): each measure on or off, the four-day offer.
MEASURE_SETTING = "measure:{}"  # "on" / "off"; confidence is off until turned on, the others on
OFFER_SETTING = "writing_offer"  # "never": the four days are not offered after a rejection again
MEASURES = ("bounce_back", "mood_recovery", "offers_per_interview", "days_to_offer", "confidence")
OFF_BY_DEFAULT = frozenset({"confidence"})  # stores the user's answers: opt-in


# -- four days of writing -----------------------------------------------------------------------
def series_days(series: str = SERIES) -> list[Template]:
    """The series' day templates, day 1 first."""
    return sorted((t for t in templates().values() if t.series == series), key=lambda t: t.day)


def series_text(key: str, series: str = SERIES) -> str:
    """A sentence of the series' content file (missed_day, same_day, finished)."""
    for name in content.names("reflection_"):
        data = content.load(name)
        if data.get("id") == series:
            return str(data.get(key, ""))
    return ""


@dataclass(frozen=True)
class SeriesProgress:
    """Where the user is in a series of writing days."""

    days: int  # how many days the series has
    last: int = 0  # the last day written in the current run (0: none yet, or the last run finished)
    last_on: dt.date | None = None  # when it was written
    next: int = 1  # the day to write next
    ready: bool = True  # may it be written today? (not the same calendar day as the last)
    missed: bool = False  # more than one day since the last: said kindly, never a reset

    @property
    def started(self) -> bool:
        return 0 < self.last < self.days

    @property
    def finished(self) -> bool:
        return self.last == self.days

    def label(self) -> str:
        return f"day {self.next} of {self.days}"

    def note(self, series: str = SERIES) -> str:
        """The kind sentence for where the user is ("" when there is nothing to say)."""
        if self.finished:
            return series_text("finished", series)
        if not self.started:
            return ""
        key = "same_day" if not self.ready else "missed_day" if self.missed else ""
        return fill(series_text(key, series), last=str(self.last), next=str(self.next)) if key else ""


def series_progress(written: Iterable[tuple[str, dt.date]], today: dt.date, series: str = SERIES) -> SeriesProgress:
    """`written`: (template id, day) of the user's reflections of the series (any order, other
    templates ignored). The latest entry decides: after day n < last day, day n + 1 is next and opens
    on any later day; after the last day (or with none) day 1 is next. An entry dated after today
    (a clock that moved back) counts as written today."""
    days = {t.id: t.day for t in series_days(series)}
    total = len(days)
    entries = sorted(
        ((min(day, today), days[tid]) for tid, day in written if tid in days and isinstance(day, dt.date)),
    )
    if not entries:
        return SeriesProgress(days=total)
    last_on, last = entries[-1]
    if last >= total:
        return SeriesProgress(days=total, last=total, last_on=last_on, next=1, ready=True)
    gap = (today - last_on).days
    return SeriesProgress(days=total, last=last, last_on=last_on, next=last + 1, ready=gap >= 1, missed=gap > 1)


def is_hard(mood: float | None) -> bool:
    """Offer the four days after this rejection? Yes unless the check-in on its steps said the user
    is doing all right (a mood above HARD_MOOD); without a check-in, offer it (always skippable)."""
    return mood is None or mood != mood or mood <= HARD_MOOD


def started_writing(written: Iterable[tuple[str, dt.date]], series: str = SERIES) -> dt.date | None:
    """The day the user first wrote in the series: where "before" ends and "after" begins."""
    ids = {t.id for t in series_days(series)}
    days = [day for tid, day in written if tid in ids and isinstance(day, dt.date)]
    return min(days) if days else None


def plan_lines(answers: Mapping[str, object] | None, template_id: str = NEXT_NO) -> list[tuple[str, str]]:
    """The user's plan for the next no, as (the prompt, their own words), in the template's order;
    unanswered prompts left out. The words are returned as written (the caller shows them literally)."""
    answers = answers or {}
    tmpl = templates().get(template_id)
    order = [p.id for p in tmpl.prompts] if tmpl else []
    keys = [k for k in order if k in answers] + [k for k in answers if k not in order]
    out = []
    for key in keys:
        text = str(answers[key] or "").strip()
        if text:
            out.append((tmpl.label_for(key) if tmpl else key, text))
    return out


# -- the measures, before and after -----------------------------------------------------------------
@dataclass(frozen=True)
class Measure:
    id: str
    label: str
    short: str
    unit: str  # "days", "rate" or "score"
    things: str
    sentence: str


@functools.cache
def measures() -> dict[str, Measure]:
    found = content.load("confidence.toml")["measures"]
    return {key: Measure(id=key, **{k: str(v) for k, v in found[key].items()}) for key in MEASURES}


def measures_on(settings: Mapping[str, str | None]) -> list[str]:
    """The measures the user follows, from their settings ({"measure:<id>": "on"/"off"}; missing:
    the default, off for confidence, on for the rest)."""
    on = []
    for key in MEASURES:
        value = settings.get(MEASURE_SETTING.format(key))
        if value == "on" or (value is None and key not in OFF_BY_DEFAULT):
            on.append(key)
    return on


@dataclass(frozen=True)
class Comparison:
    measure: str
    before: float
    after: float
    n_before: int
    n_after: int

    def sentence(self) -> str:
        m = measures()[self.measure]
        return fill(
            m.sentence,
            before=shown(self.before, m.unit),
            after=shown(self.after, m.unit),
            n_before=str(self.n_before),
            n_after=str(self.n_after),
            things=m.things,
        )


def shown(value: float, unit: str) -> str:
    """A measure's value in words: "3 days", "1 day", "2 in 5" style rates as "40%", scores "3.7"."""
    if unit == "days":
        rounded = round(value, 1)
        return f"{rounded:g} day" + ("" if rounded == 1 else "s")
    if unit == "rate":
        return f"{value:.0%}"
    return f"{value:.1f}"


def known(points: Iterable[tuple[object, object]]) -> list[tuple[dt.date, float]]:
    """The points with a date and a number (unknown values, NaN included, left out), in the order given."""
    out = []
    for day, value in points:
        if isinstance(day, dt.datetime):
            day = day.date()
        if not isinstance(day, dt.date) or value is None:
            continue
        try:
            number = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            continue
        if number == number:  # NaN is unknown
            out.append((day, number))
    return out


def compare(
    measure: str, points: Iterable[tuple[object, object]], since: dt.date | None, minimum: int = MIN_EACH
) -> Comparison | None:
    """The median of the measure's points dated before `since` against those on or after it; None
    without a start, or when either side has fewer than `minimum` points.
    For offers per interview, each point is one interview (1: it led to an offer, 0: it did not),
    so the "median" is the share (the mean)."""
    if since is None:
        return None
    clean = known(points)
    before = [v for d, v in clean if d < since]
    after = [v for d, v in clean if d >= since]
    if len(before) < minimum or len(after) < minimum:
        return None
    centre = statistics.fmean if measures()[measure].unit == "rate" else statistics.median
    return Comparison(measure, float(centre(before)), float(centre(after)), len(before), len(after))


def counts(points: Iterable[tuple[object, object]], since: dt.date | None) -> tuple[int, int]:
    """How many points fall before and after `since` (for "not enough yet: 2 before, 1 after")."""
    clean = known(points)
    if since is None:
        return len(clean), 0
    return sum(1 for d, _ in clean if d < since), sum(1 for d, _ in clean if d >= since)
