"""Wellbeing rules: check-ins, coping, reflections (no SQL, no Streamlit).

Content (emotions, coping kinds, acknowledgements, reflection templates, themes)
is read from rebound/content/*.toml, so adding a template or an emotion needs no
code change.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from rebound import content
from rebound.dates import utcnow
from rebound.errors import ValidationError

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable, Mapping

    import pandas as pd

# A number from a form (a slider, a typed field, an imported cell): validated, so it may be anything int() reads.
Number = int | float | str | None
# (kind, times rated, mean 'did it help', who it helped most with): CopingRepository.ratings' rows.
Rating = tuple[str, int, float | None, str | None]

MAX_TEXT = 50_000  # one answer or note
MAX_SHORT = 120  # with whom, an emotion or a theme
MAX_EMOTIONS = 12
MAX_THEMES = 20
MAX_MINUTES = 24 * 60
MOOD = (1, 10)  # a check-in's mood and energy
HELPED = (1, 5)  # "did it help"

# The number ranges of the wellbeing tables, read by backup_checks (a restore accepts what the forms accept).
LIMITS = {
    ("checkins", "mood"): MOOD,
    ("checkins", "energy"): MOOD,
    ("coping", "helped"): HELPED,
    ("coping", "minutes"): (1, MAX_MINUTES),
}
SOCIAL_WINDOW_DAYS = 7  # the isolation nudge looks this far after a rejection


# -- content ---------------------------------------------------------------
@functools.cache
def emotions() -> list[dict]:
    """[{name, tone}] in display order."""
    return list(content.load("emotions.toml")["emotion"])


def emotion_names() -> list[str]:
    return [e["name"] for e in emotions()]


def emotion_tone(name: str) -> str | None:
    return next((e["tone"] for e in emotions() if e["name"] == name), None)


@functools.cache
def coping_kinds() -> dict[str, dict]:
    """{id: {label, icon, social, default_rank, idea}} in file order."""
    return {k["id"]: k for k in content.load("coping.toml")["kind"]}


def coping_label(kind: str) -> str:
    info = coping_kinds().get(kind)
    return f"{info['icon']} {info['label']}" if info else kind


def social_kinds() -> set[str]:
    return {k for k, v in coping_kinds().items() if v.get("social")}


@functools.cache
def small_goal_ideas() -> list[dict]:
    """[{label, target}] ideas for a small personal goal (coping.toml)."""
    return [
        {"label": str(g["label"]), "target": int(g.get("target", 1))}
        for g in content.load("coping.toml").get("small_goal", [])
    ]


@functools.cache
def acknowledgements() -> dict:
    return content.load("acknowledgements.toml")


@functools.cache
def default_themes() -> list[str]:
    return list(content.load("themes.toml")["themes"])


@dataclass(frozen=True)
class Prompt:
    id: str
    label: str
    help: str | None = None
    placeholder: str | None = None
    lines: int = 4


@dataclass(frozen=True)
class Template:
    id: str
    title: str
    icon: str = "📝"
    order: int = 100
    description: str = ""
    link_application: bool = False
    suggested_themes: tuple[str, ...] = ()
    next_step_prompt: str | None = None
    prompts: tuple[Prompt, ...] = field(default_factory=tuple)
    # One day of a series (a file with [[days]], e.g. four days of writing): the series' id and
    # title, this day's number and how many days there are. None/0 for a plain template.
    series: str | None = None
    series_title: str = ""
    day: int = 0
    days: int = 0

    def prompt(self, prompt_id: str) -> Prompt | None:
        return next((p for p in self.prompts if p.id == prompt_id), None)

    def label_for(self, prompt_id: str) -> str:
        found = self.prompt(prompt_id)
        return found.label if found else humanize(prompt_id)


def humanize(identifier: str) -> str:
    return identifier.replace("_", " ").strip().capitalize() or identifier


def parse_template(data: dict) -> Template:
    """A template from one reflection_*.toml file; raises ValueError if it is malformed."""
    try:
        prompts = tuple(
            Prompt(
                id=str(p["id"]),
                label=str(p["label"]),
                help=p.get("help"),
                placeholder=p.get("placeholder"),
                lines=int(p.get("lines", 4)),
            )
            for p in data["prompts"]
        )
        template = Template(
            id=str(data["id"]),
            title=str(data["title"]),
            icon=data.get("icon", "📝"),
            order=int(data.get("order", 100)),
            description=data.get("description", ""),
            link_application=bool(data.get("link_application", False)),
            suggested_themes=tuple(data.get("suggested_themes", ())),
            next_step_prompt=data.get("next_step_prompt"),
            prompts=prompts,
        )
    except (KeyError, TypeError) as error:
        raise ValueError(f"reflection template is missing {error}") from error
    ids = [p.id for p in prompts]
    if not ids or len(set(ids)) != len(ids):
        raise ValueError(f"template {template.id!r} needs prompts with unique ids")
    if template.next_step_prompt and template.next_step_prompt not in ids:
        raise ValueError(f"template {template.id!r}: next_step_prompt is not one of its prompts")
    return template


def parse_series(data: dict) -> list[Template]:
    """One template per day of a series file (top-level id, title, icon, order, description; one
    [[days]] table per day with its title, description and [[days.prompts]]): ids "<id>_<n>"."""
    days = data.get("days")
    if not isinstance(days, list) or not days:
        raise ValueError(f"series {data.get('id')!r} needs [[days]]")
    shared = {k: v for k, v in data.items() if k not in ("days", "title", "description", "prompts")}
    found = []
    for n, day in enumerate(days, start=1):
        if not isinstance(day, dict):
            raise ValueError(f"series {data.get('id')!r}: day {n} is not a table")
        title = f"{data.get('title')} · day {n} of {len(days)}"
        one = parse_template({**shared, **day, "id": f"{data.get('id')}_{n}", "title": title})
        found.append(
            dataclasses.replace(
                one,
                series=str(data["id"]),
                series_title=str(data["title"]),
                day=n,
                days=len(days),
            )
        )
    return found


@functools.cache
def templates() -> dict[str, Template]:
    """Every reflection template in rebound/content/reflection_*.toml, by id, in display order (each
    day of a series as its own template, right after each other)."""
    found = []
    for name in content.names("reflection_"):
        data = content.load(name)
        found.extend(parse_series(data) if "days" in data else [parse_template(data)])
    found.sort(key=lambda t: (t.order, t.title))
    return {t.id: t for t in found}


def template(template_id: str) -> Template:
    """The template, or a stand-in for one that was removed (old answers stay readable)."""
    return templates().get(template_id) or Template(id=template_id, title=humanize(template_id), prompts=())


# -- validation --------------------------------------------------------------
def _text(value: object, what: str, limit: int = MAX_TEXT) -> str | None:
    value = "" if value is None else str(value)
    if len(value) > limit:
        raise ValidationError(f"{what} is too long ({len(value):,} characters; at most {limit:,}).")
    return value if value.strip() else None


def _scale(value: Number, what: str, lo: int, hi: int, required: bool) -> int | None:
    if value is None or value == "":
        if required:
            raise ValidationError(f"Please choose your {what} ({lo}–{hi}).")
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError(f"{what.capitalize()} must be a whole number from {lo} to {hi}.") from None
    if isinstance(value, float) and not value.is_integer():
        raise ValidationError(f"{what.capitalize()} must be a whole number from {lo} to {hi}.")
    if not lo <= number <= hi:
        raise ValidationError(f"{what.capitalize()} must be between {lo} and {hi}.")
    return number


def _tags(values: Iterable[object] | None, what: str, limit: int) -> list[str]:
    """Trimmed, de-duplicated (case-insensitively) tags, in the order given."""
    out, seen = [], set()
    for value in values or []:
        tag = " ".join(str(value).split())
        if not tag:
            continue
        if len(tag) > MAX_SHORT:
            raise ValidationError(f"The {what} “{tag[:40]}…” is too long (at most {MAX_SHORT} characters).")
        if tag.casefold() in seen:
            continue
        seen.add(tag.casefold())
        out.append(tag)
    if len(out) > limit:
        raise ValidationError(f"Choose at most {limit} {what}s.")
    return out


def validate_checkin(
    mood: Number,
    energy: Number = None,
    emotions_: Iterable[str] | None = (),
    note: str | None = None,
    checked_at: dt.datetime | dt.date | None = None,
    now: dt.datetime | None = None,
) -> dict[str, object]:
    now = now or utcnow()
    if checked_at is None:
        checked_at = now
    elif isinstance(checked_at, dt.date) and not isinstance(checked_at, dt.datetime):
        checked_at = now if checked_at == now.date() else dt.datetime.combine(checked_at, dt.time(12))
    if not isinstance(checked_at, dt.datetime):
        raise ValidationError("Please choose when you checked in.")
    if checked_at > now + dt.timedelta(minutes=5):
        raise ValidationError("That check-in is in the future; pick today or an earlier day.")
    return {
        "mood": _scale(mood, "mood", *MOOD, required=True),
        "energy": _scale(energy, "energy", *MOOD, required=False),
        "emotions": _tags(emotions_, "emotion", MAX_EMOTIONS),
        "note": _text(note, "The note"),
        "checked_at": checked_at.replace(tzinfo=None),
    }


def validate_coping(
    day: dt.date | None,
    kind: str,
    with_whom: str | None = None,
    minutes: Number = None,
    helped: Number = None,
    note: str | None = None,
    today: dt.date | None = None,
) -> dict[str, object]:
    today = today or dt.date.today()
    if kind not in coping_kinds():
        raise ValidationError(f"Unknown kind of self-care {kind!r}; choose one from the list.")
    if not isinstance(day, dt.date):
        raise ValidationError("Please choose the day.")
    if isinstance(day, dt.datetime):
        day = day.date()
    if day > today:
        raise ValidationError("That day is in the future. Log self-care once you have done it.")
    return {
        "day": day,
        "kind": kind,
        "with_whom": _text(with_whom, "“With whom”", MAX_SHORT),
        "minutes": _scale(minutes, "minutes", 1, MAX_MINUTES, required=False),
        "helped": _scale(helped, "“did it help” rating", *HELPED, required=False),
        "note": _text(note, "The note"),
    }


def validate_reflection(
    template_id: str,
    answers: Mapping[str, object] | None,
    themes_: Iterable[str] | None = (),
    day: dt.date | None = None,
    today: dt.date | None = None,
    known_template: bool = True,
) -> dict[str, object]:
    """Cleaned fields. Every answer is optional, but an entirely empty reflection is not saved."""
    today = today or dt.date.today()
    if known_template and template_id not in templates():
        raise ValidationError(f"Unknown reflection template {template_id!r}.")
    day = day or today
    if isinstance(day, dt.datetime):
        day = day.date()
    if not isinstance(day, dt.date):
        raise ValidationError("Please choose the day.")
    if day > today:
        raise ValidationError("That day is in the future.")
    cleaned = {}
    tmpl = template(template_id)
    for key, value in (answers or {}).items():
        text = _text(value, f"The answer to “{tmpl.label_for(str(key))}”")
        if text is not None:
            cleaned[str(key)] = text
    themes_ = _tags(themes_, "theme", MAX_THEMES)
    if not cleaned:
        raise ValidationError("Write at least one answer — any one will do — before saving.")
    return {"template": template_id, "answers": cleaned, "themes": themes_, "day": day}


# -- acknowledgements --------------------------------------------------------
def _pick(options: list[str], seed: object) -> str:
    digest = hashlib.sha256(str(seed).encode()).digest()
    return options[digest[0] % len(options)]


def acknowledgement(
    mood: int, emotions_: Iterable[str] | None = (), after_rejection: bool = False, seed: object = 0
) -> str:
    """A short, kind line for this check-in; `seed` picks the variant (stable across reruns)."""
    groups = acknowledgements()["groups"]
    if after_rejection:
        group = "rejection"
    elif mood <= 4:
        group = "low"
    elif mood <= 6:
        group = "middle"
    else:
        group = "good"
    text = _pick(groups[group], f"{group}:{seed}")
    lines = acknowledgements().get("emotion", {})
    extra = next((lines[e] for e in emotions_ or () if e in lines), None)
    return f"{text} {extra}" if extra else text


# -- coping suggestions --------------------------------------------------------
@dataclass(frozen=True)
class Suggestion:
    kind: str
    label: str
    idea: str
    reason: str
    score: float
    with_whom: str | None = None  # who it helped most with, if the user logged it (user text)


PRIOR_MEAN, PRIOR_WEIGHT = 3.0, 2.0  # shrink a single 5/5 toward "average"


def suggestions(ratings: Collection[Rating], limit: int = 3, prefer_social: bool = False) -> list[Suggestion]:
    """Today's ideas, best first.

    ratings: iterable of (kind, n_rated, mean_helped, best_with_whom) from the user's own log.
    Kinds the user has rated come first, ranked by a mean shrunk toward 3/5 so one lucky
    rating doesn't dominate; kinds rated below "it helped a bit" are left out. The rest
    fill up from the defaults in coping.toml. prefer_social puts the best social kind first
    (used after a rejection when nobody has been contacted).
    """
    kinds = coping_kinds()
    rated = []
    for kind, n, mean, who in ratings:
        if kind not in kinds or kind == "other" or not n or mean is None:
            continue
        score = (PRIOR_MEAN * PRIOR_WEIGHT + float(mean) * n) / (PRIOR_WEIGHT + n)
        if float(mean) < 2.5:
            continue
        times = "once" if n == 1 else f"{int(n)} times"
        rated.append(
            Suggestion(
                kind,
                kinds[kind]["label"],
                kinds[kind]["idea"],
                f"helped you {float(mean):.1f}/5 on average ({times})",
                score,
                who or None,
            )
        )
    rated.sort(key=lambda s: (-s.score, kinds[s.kind]["default_rank"]))
    chosen = {s.kind for s in rated}
    for kind in ratings_excluded(ratings):
        chosen.add(kind)
    defaults = [
        Suggestion(k, v["label"], v["idea"], "often helps people after a setback", 0.0)
        for k, v in sorted(kinds.items(), key=lambda kv: kv[1]["default_rank"])
        if k not in chosen and k != "other"
    ]
    ranked = rated + defaults
    if prefer_social:
        social = social_kinds()
        first = next((s for s in ranked if s.kind in social), None)
        if first is not None:
            ranked = [first] + [s for s in ranked if s is not first]
    return ranked[:limit]


def ratings_excluded(ratings: Iterable[Rating]) -> set[str]:
    """Kinds the user rated as not helping (mean below 2.5): never suggested as defaults either."""
    return {kind for kind, n, mean, _ in ratings if n and mean is not None and float(mean) < 2.5}


# -- isolation nudge -------------------------------------------------------------
@dataclass(frozen=True)
class IsolationNudge:
    rejected_on: dt.date
    company: str
    days_since: int

    @property
    def message(self) -> str:
        when = (
            "today" if self.days_since == 0 else "yesterday" if self.days_since == 1 else f"{self.days_since} days ago"
        )
        return (
            f"You heard back from {self.company} {when}, and you haven't logged time with anyone since. "
            "Rejections are easier to carry when you don't carry them alone — could you reach out "
            "to a friend, family member or mentor today? Even a short message counts."
        )


def isolation_nudge(
    rejections: Iterable[tuple[dt.date, str]],
    social_days: Iterable[dt.date],
    today: dt.date,
    window: int = SOCIAL_WINDOW_DAYS,
) -> IsolationNudge | None:
    """A gentle prompt when a rejection came in the last `window` days and no social
    contact was logged on or after that day.

    rejections: (day, company) pairs; social_days: days with social coping logged.
    """
    recent = [(day, company) for day, company in rejections if 0 <= (today - day).days <= window]
    if not recent:
        return None
    day, company = max(recent)
    if any(day <= d <= today for d in social_days):
        return None
    return IsolationNudge(day, company, (today - day).days)


# -- `rebound stats --json` ------------------------------------------------------
def _week_key(value: object) -> str:
    return value.date().isoformat() if hasattr(value, "date") else str(value)


def _num(value: float | None, digits: int = 2) -> float | None:
    try:
        return None if value is None or value != value else round(float(value), digits)
    except (TypeError, ValueError):
        return None


class _Weekly(Protocol):
    def weekly(self) -> pd.DataFrame: ...


class _Counted(Protocol):
    def count(self) -> int: ...


class _WeeklyCounted(_Weekly, _Counted, Protocol): ...


class WellbeingCounts(Protocol):
    """What stats_extension reads of a store (rebound.store.Store): the rules never see the rest of it."""

    @property
    def checkins(self) -> _WeeklyCounted: ...
    @property
    def coping(self) -> _Weekly: ...
    @property
    def reflections(self) -> _Counted: ...


def activity_weeks(store: WellbeingCounts) -> set[str]:
    """The weeks (Mondays, ISO) with a check-in or a coping entry: `stats` lists them even when nothing
    else happened in them."""
    frames = (store.checkins.weekly(), store.coping.weekly())
    return {_week_key(week) for frame in frames for week in frame["week"]}


def stats_extension(store: WellbeingCounts, result: dict[str, Any]) -> None:
    """Per-week mood and coping: fields on each result["weeks"] entry, plus
    "mood_weeks" / "coping_weeks" lists covering every week that has a check-in or coping entry."""
    mood = [
        {
            "week": _week_key(r.week),
            "mood_mean": _num(r.mood_mean),
            "mood_n": int(r.n),
            "mood_min": int(r.mood_min),
            "energy_mean": _num(r.energy_mean),
        }
        for r in store.checkins.weekly().itertuples()
    ]
    coping = [
        {
            "week": _week_key(r.week),
            "coping_sessions": int(r.sessions),
            "coping_minutes": int(r.minutes),
            "coping_helped_mean": _num(r.helped_mean),
            "coping_social": int(r.social),
        }
        for r in store.coping.weekly().itertuples()
    ]
    by_week_mood = {m["week"]: m for m in mood}
    by_week_coping = {c["week"]: c for c in coping}
    for week in result.get("weeks", []):
        m = by_week_mood.get(week["week"], {})
        c = by_week_coping.get(week["week"], {})
        week["mood_mean"] = m.get("mood_mean")
        week["mood_n"] = m.get("mood_n", 0)
        week["coping_sessions"] = c.get("coping_sessions", 0)
        week["coping_minutes"] = c.get("coping_minutes", 0)
        week["coping_helped_mean"] = c.get("coping_helped_mean")
    result["mood_weeks"] = mood
    result["coping_weeks"] = coping
    result["checkins"] = store.checkins.count()
    result["reflections"] = store.reflections.count()
