"""Demo goals, networking and skills activities, contacts and wins that fit the demo's applications."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from rebound.dates import week_of
from rebound.momentum import interview_questions

if TYPE_CHECKING:
    import random

    from rebound.store import Store

DEMO_PEOPLE = [
    ("Priya Raman", "Kestrel Labs", "former colleague"),
    ("Tom Becker", "Granite Cloud", "meetup"),
    ("Ana Souza", "Yarrow Learning", "LinkedIn"),
    ("Jonas Weber", "Nimbus Data", "alumni network"),
    ("Mei Chen", "Brightloom", "friend of a friend"),
    ("Sam O'Neill", "Maple Street Bank", "conference"),
    ("Lena Fischer", "Lyra Biotech", "online course forum"),
    ("Kofi Mensah", "Orbital Freight", "ex-manager"),
]
DEMO_WINS = [
    ("learning", "Finished the SQL window-functions module"),
    ("kind word", "A recruiter said my portfolio stood out"),
    ("good conversation", "Great chat about analytics careers over coffee"),
    ("personal", "Went running three times"),
    ("progress", "Rewrote my resume summary and it reads so much better"),
    ("learning", "Published a small dashboard project"),
]


def generate(store: Store, rng: random.Random, today: dt.date, weeks: int) -> dict:
    """Goals from the third week on (goals added mid-search), activities, contacts and wins."""
    this_week = week_of(today)
    first = this_week - dt.timedelta(weeks=max(1, weeks) - 1)
    questions = [q["question"] for q in interview_questions()["common"]] or ["Tell me about yourself."]
    contacts: list[dict] = []  # rows for store.account.insert_demo_momentum
    for i, (name, company, how) in enumerate(DEMO_PEOPLE):
        last = today - dt.timedelta(days=rng.randint(3, 60))
        follow = today + dt.timedelta(days=rng.randint(-4, 21))
        contacts.append(
            {
                "key": i,
                "name": name,
                "company": company,
                "how_met": how,
                "last_contact_on": last,
                "next_follow_up_on": follow if rng.random() < 0.75 else None,
            }
        )
    goals, activities = [], []
    for w in range(weeks):
        monday = first + dt.timedelta(weeks=w)
        slump = rng.random() < 0.12  # the odd week where life gets in the way
        if w >= 2:
            goals += [
                {"week": monday, "metric": "applications", "target": rng.choice([4, 5, 6])},
                {"week": monday, "metric": "networking", "target": 2},
                {"week": monday, "metric": "skills_hours", "target": 2},
            ]
            if w >= 8:
                goals.append({"week": monday, "metric": "interview_practice", "target": 3})
            if w % 3 == 0:
                goals.append(
                    {
                        "week": monday,
                        "metric": "custom",
                        "label": "Walk outside three times",
                        "target": 3,
                        "done_count": 0 if slump else rng.randint(1, 3),
                    }
                )
        days = [monday + dt.timedelta(days=d) for d in range(7) if monday + dt.timedelta(days=d) <= today]
        if not days:
            continue
        scale = 0.3 if slump else 1.0
        for _ in range(round(rng.randint(1, 3) * scale)):
            key = rng.randrange(len(contacts))
            activities.append(
                {
                    "day": rng.choice(days),
                    "kind": rng.choice(["networking", "networking", "event"]),
                    "title": f"Coffee with {contacts[key]['name'].split()[0]}",
                    "contact_key": key,
                }
            )
        if rng.random() < 0.3 * scale:
            key = rng.randrange(len(contacts))
            activities.append(
                {
                    "day": rng.choice(days),
                    "kind": "informational interview",
                    "title": f"What analytics looks like at {contacts[key]['company']}",
                    "contact_key": key,
                }
            )
        for _ in range(round(rng.randint(1, 3) * scale)):
            kind = rng.choice(["course", "course", "self-study", "workshop", "volunteering"])
            activities.append(
                {
                    "day": rng.choice(days),
                    "kind": kind,
                    "title": {
                        "course": "Statistics for data analysis",
                        "self-study": "Portfolio dashboard",
                        "workshop": "Storytelling with data",
                        "volunteering": "Data help for a food bank",
                    }[kind],
                    "minutes": rng.choice([45, 60, 90, 120]),
                }
            )
        if w >= 6:
            for _ in range(round(rng.randint(0, 4) * scale)):
                activities.append(
                    {
                        "day": rng.choice(days),
                        "kind": "interview practice",
                        "title": rng.choice(questions),
                        "confidence": min(5, 1 + rng.randint(0, 2) + w // 10),
                    }
                )
            if rng.random() < 0.2:
                activities.append(
                    {"day": rng.choice(days), "kind": "mock interview", "title": "Mock interview with a mentor"}
                )
        if rng.random() < 0.15:
            activities.append(
                {
                    "day": rng.choice(days),
                    "kind": rng.choice(["resume update", "cover letter update"]),
                    "title": "Tailored for analytics roles",
                }
            )
    wins = []
    for suggestion in store.wins.suggested(today=today, days=weeks * 7):
        if (today - suggestion["day"]).days > 14 and rng.random() < 0.7:  # recent ones stay as suggestions
            wins.append(
                {
                    "day": suggestion["day"],
                    "title": suggestion["title"],
                    "kind": suggestion["kind"],
                    "event_id": suggestion["event_id"],
                }
            )
    for kind, title in DEMO_WINS:
        wins.append(
            {"day": today - dt.timedelta(days=rng.randint(1, max(1, weeks * 7 - 1))), "title": title, "kind": kind}
        )
    return store.account.insert_demo_momentum(goals, activities, contacts, wins)
