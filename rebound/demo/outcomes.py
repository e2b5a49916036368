"""Demo applications and their timelines: a realistic synthetic job search, deterministic for a seed.

Funnel rates follow what job seekers report: most applications get no answer or
a quick rejection, some reach a screen, few an interview, offers are rare, and
referrals convert far better than job boards.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING, Required, TypedDict

import pandas as pd

from rebound.vocab import CLOSED_STATUSES

if TYPE_CHECKING:
    from rebound.store import Store

COMPANIES = [
    "Northwind Analytics",
    "Blue Heron Health",
    "Kestrel Labs",
    "Lumen & Co",
    "Orbital Freight",
    "Maple Street Bank",
    "Quillfeather",
    "Riverbend Energy",
    "Sable Systems",
    "Tidewater Media",
    "Umbra Security",
    "Verdant Foods",
    "Wavelength Audio",
    "Yarrow Learning",
    "Zephyr Mobility",
    "Ashgrove Insurance",
    "Brightloom",
    "Cedar & Pine",
    "Driftwood Games",
    "Ember Robotics",
    "Fjord Travel",
    "Granite Cloud",
    "Halcyon Care",
    "Ironbark Logistics",
    "Juniper Retail",
    "Kōwhai Software",
    "Lyra Biotech",
    "Müller & Söhne",
    "Nimbus Data",
    "Oakridge Public Library",
]
ROLES = [
    ("Data Analyst", 0.30),
    ("Senior Data Analyst", 0.15),
    ("Analytics Engineer", 0.15),
    ("Business Intelligence Developer", 0.10),
    ("Junior Data Scientist", 0.10),
    ("Product Analyst", 0.12),
    ("Lead Data Analyst", 0.08),
]
LOCATIONS = ["Remote", "Berlin", "London", "Amsterdam", "Hybrid: Manchester", "Lisbon"]
# channel: (share of applications, chance of any response)
CHANNEL_MIX = {
    "job board": (0.50, 0.22),
    "company site": (0.18, 0.30),
    "referral": (0.10, 0.70),
    "networking": (0.08, 0.55),
    "recruiter": (0.10, 0.50),
    "informational interview": (0.02, 0.60),
    "other": (0.02, 0.25),
}
REJECTION_REASONS = [
    None,
    None,
    None,
    "We went with a candidate with more domain experience.",
    "The role was filled internally.",
    "Looking for someone more senior.",
    "Strong application, but another candidate was a closer fit.",
]


class _Event(TypedDict, total=False):
    """One step of a demo timeline (kind and day always; the rest as the kind needs)."""

    kind: Required[str]
    day: Required[dt.date]
    round: int
    stage: str
    reason: str | None


def _pick(rng: random.Random, weighted: dict[str, tuple[float, float]] | list[tuple[str, float]]) -> str:
    items = list(weighted.items()) if isinstance(weighted, dict) else weighted
    names = [n for n, _ in items]
    weights = [w[0] if isinstance(w, tuple) else w for _, w in items]
    return rng.choices(names, weights=weights)[0]


def _timeline(rng: random.Random, channel: str, applied: dt.date, today: dt.date) -> list[_Event]:
    """Events after applying; only those that have happened by today are kept."""
    events: list[_Event] = []
    day = applied
    respond = rng.random() < CHANNEL_MIX[channel][1]

    def later(lo: int, hi: int) -> dt.date:
        return day + dt.timedelta(days=rng.randint(lo, hi))

    if not respond:
        if rng.random() < 0.6:  # most silences get marked as ghosting after a month (Rebound nudges at 21 days)
            events.append({"kind": "ghosted", "day": later(25, 40)})
        return [e for e in events if e["day"] <= today]
    if rng.random() < 0.55:  # a quick no
        events.append(
            {"kind": "rejected", "day": later(3, 20), "stage": "applied", "reason": rng.choice(REJECTION_REASONS)}
        )
    else:
        day = later(4, 14)
        events.append({"kind": "screen", "day": day})
        for stage, go_on in (("interview", 0.55), ("final", 0.45), ("offer", 0.40)):
            if rng.random() > go_on:
                if rng.random() < 0.85:
                    reached = events[-1]["kind"]
                    events.append(
                        {
                            "kind": "rejected",
                            "day": later(3, 12),
                            "stage": reached,
                            "reason": rng.choice(REJECTION_REASONS),
                        }
                    )
                else:
                    events.append({"kind": "ghosted", "day": later(21, 35)})
                break
            if stage == "interview":
                for round_ in range(1, rng.randint(1, 3) + 1):
                    day = later(5, 12)
                    events.append({"kind": "interview", "day": day, "round": round_})
            else:
                day = later(5, 12)
                events.append({"kind": stage, "day": day})
        else:
            if rng.random() < 0.6:  # offers declined; the demo search is still going
                events.append({"kind": "withdrawn", "day": later(2, 7)})
    return [e for e in events if e["day"] <= today]


def _follow_ups(
    rng: random.Random, applied: dt.date, timeline: list[_Event], today: dt.date, how_many: tuple[int, int]
) -> list[_Event]:
    """A diligent user's follow-ups: about weekly after applying, while the application is still open."""
    closing = set(CLOSED_STATUSES)
    until = min((e["day"] for e in timeline if e["kind"] in closing), default=today + dt.timedelta(days=1))
    out: list[_Event] = []
    day = applied
    for _ in range(rng.randint(*how_many)):
        day += dt.timedelta(days=rng.randint(5, 10))
        if day >= until or day > today:
            break
        out.append({"kind": "followed_up", "day": day})
    return out


def generate(
    store: Store,
    rng: random.Random,
    today: dt.date,
    weeks: int,
    per_week: tuple[int, int] = (3, 9),
    follow_ups: tuple[int, int] = (0, 0),
) -> dict:
    """`weeks` of applications ending today, `per_week` (lo, hi) a week, with their timelines.

    `follow_ups` (lo, hi): follow-up events logged per application while it is open (a heavy
    user's detailed timeline; the benchmark uses it). The default (0, 0) draws nothing extra, so
    output for a seed is unchanged."""
    start = today - dt.timedelta(weeks=weeks)
    apps, events = [], []
    next_id = 0
    for week in range(weeks):
        monday = start + dt.timedelta(weeks=week)
        for _ in range(rng.randint(*per_week)):
            applied = monday + dt.timedelta(days=rng.randint(0, 6))
            if applied > today:
                continue
            channel = _pick(rng, CHANNEL_MIX)
            company = rng.choice(COMPANIES)
            role = _pick(rng, ROLES)
            next_id += 1
            apps.append(
                {
                    "key": next_id,
                    "company": company,
                    "role": role,
                    "url": f"https://jobs.example.com/{company.split()[0].lower()}/{next_id}",
                    "channel": channel,
                    "location": rng.choice(LOCATIONS),
                    "applied_on": applied,
                    "notes": None,
                }
            )
            timeline = _timeline(rng, channel, applied, today)
            if follow_ups[1] > 0:
                timeline = sorted(
                    timeline + _follow_ups(rng, applied, timeline, today, follow_ups), key=lambda e: e["day"]
                )
            for e in timeline:
                events.append(
                    {
                        "key": next_id,
                        "kind": e["kind"],
                        "happened_on": e["day"],
                        "round": e.get("round"),
                        "stage": e.get("stage"),
                        "reason": e.get("reason"),
                    }
                )
    return store.applications.import_applications(pd.DataFrame(apps), pd.DataFrame(events), "demo", today=today)
