"""Demo check-ins, coping and reflections that fit the demo's applications.

Run by rebound.demo.generate after the applications exist. Mood dips on the day a rejection comes
(deeper the further the process went) and recovers over the next days; this demo
person finds friends, walks and time outside helpful and rest less so.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from rebound.dates import utcnow
from rebound.vocab import STAGE_EVENTS
from rebound.wellbeing import emotions

if TYPE_CHECKING:
    import random

    from rebound.store import Store

# kind: (weight, helped range, usual minutes, with whom)
COPING_HABITS: dict[str, tuple[int, tuple[int, int], tuple[int, int], list[str | None]]] = {
    "friend": (5, (4, 5), (30, 90), ["Maya", "Jonas", "Priya"]),
    "family": (2, (3, 5), (30, 120), ["Mum", "my sister"]),
    "mentor": (1, (4, 5), (30, 45), ["Dr. Okafor"]),
    "exercise": (5, (3, 5), (20, 60), [None]),
    "nature": (3, (4, 5), (30, 120), [None]),
    "hobby": (2, (3, 4), (45, 120), [None]),
    "rest": (3, (2, 4), (30, 180), [None]),
    "creative": (1, (3, 4), (30, 90), [None]),
}
DROP_BY_STAGE = {"applied": 1, "screen": 2, "interview": 3, "final": 4, "offer": 4}
NOTES_HARD = [
    "Another no. I knew it might come but it still stings.",
    "Got the email at lunch. Hard to concentrate afterwards.",
    "I really liked this team.",
    "Feeling like I keep getting close and then not quite.",
    None,
    None,
]
NOTES_BETTER = [
    "Slept better. A walk helped.",
    "Talked it through; it feels smaller now.",
    None,
    None,
    "Back to it with two applications today.",
]
ANSWERS = {
    "went_well": [
        "I explained the churn dashboard project clearly and they asked follow-up questions.",
        "I was calm in the technical part and thought out loud.",
        "Good rapport with the hiring manager.",
    ],
    "improve": [
        "My answer on stakeholder conflict was too vague — I need a concrete story.",
        "I rushed the SQL exercise instead of checking edge cases.",
        "I talked too long about tools and too little about impact.",
    ],
    "struggled_questions": [
        "“Tell me about a time an analysis changed a decision.”",
        "How would you design an A/B test with low traffic?",
        "Where do you see yourself in three years?",
    ],
    "unprepared": [
        "Their product metrics — I hadn't looked closely at the pricing page.",
        "Questions about dbt testing strategy.",
    ],
    "culture_fit": [
        "Fast-moving and a bit chaotic; not sure it would suit me.",
        "Seemed thoughtful and collaborative. I would have liked it.",
    ],
    "highlighted": ["The forecasting project; in hindsight the experimentation work was more relevant."],
    "outside_control": [
        "They had an internal candidate.",
        "The budget for the role changed.",
        "Someone with more domain experience applied.",
    ],
    "reframe": [
        "Reaching the final round means my profile works — this one came down to fit.",
        "One role, one shortlist. Not a verdict on me.",
    ],
    "next_step": [
        "Write two STAR stories about conflict.",
        "Do one timed SQL practice.",
        "Ask for feedback by Friday.",
    ],
    "questions_asked": ["Walk us through a project end to end; how do you handle messy data?"],
    "struggled": ["The case study on retention — I froze for a moment."],
    "stories": ["The churn dashboard story landed well; the migration story less so."],
    "learned_about_them": ["Small team, lots of ownership, weekly demos."],
    "confidence": ["Fairly confident — maybe 6/10."],
    "practise": ["Case studies out loud, with a timer."],
    "done": ["Five applications, one coffee chat, two evenings of SQL practice."],
    "wins": ["A recruiter replied within a day.", "Finished the portfolio case study."],
    "hard": ["Two rejections in one week.", "Low energy midweek."],
    "learned": ["Referrals get far more replies than job boards for me."],
    "energy": ["Up and down; the Sunday walk helped most."],
    "next_week": ["Two referrals, one mock interview, keep evenings free."],
    "entry": [
        "Strange week. Some days the search feels endless, other days I can see the progress.",
        "Reminder to self: I have done hard things before.",
    ],
}
THEMES_BY_TEMPLATE = {
    "after_rejection": [
        "preparation",
        "technical depth",
        "storytelling",
        "culture fit",
        "seniority",
        "domain knowledge",
    ],
    "after_interview": ["technical depth", "storytelling", "nerves", "preparation"],
    "weekly_review": ["timing", "preparation"],
    "journal": [],
}


def _moment(day: dt.date, rng: random.Random, now: dt.datetime) -> dt.datetime:
    at = dt.datetime.combine(day, dt.time(rng.randint(8, 21), rng.randint(0, 59)))
    return min(at, now - dt.timedelta(minutes=rng.randint(1, 30)))


def _emotions(rng: random.Random, tones: tuple[str, ...], k: tuple[int, int]) -> list[str]:
    pool = [e["name"] for e in emotions() if e["tone"] in tones]
    return rng.sample(pool, min(len(pool), rng.randint(*k)))


def _coping(rng: random.Random, day: dt.date) -> dict:
    kinds = list(COPING_HABITS)
    kind = rng.choices(kinds, weights=[COPING_HABITS[k][0] for k in kinds])[0]
    _, helped, minutes, who = COPING_HABITS[kind]
    return {
        "day": day,
        "kind": kind,
        "with_whom": rng.choice(who),
        "minutes": rng.randint(*minutes) // 5 * 5 or 5,
        "helped": rng.randint(*helped),
    }


def _answers(rng: random.Random, template: str, keys: list[str]) -> dict[str, str]:
    out = {k: rng.choice(ANSWERS[k]) for k in keys if k in ANSWERS and rng.random() < 0.75}
    return out or {keys[0]: rng.choice(ANSWERS.get(keys[0], ["…"]))}


def generate(store: Store, rng: random.Random, today: dt.date, weeks: int) -> dict:
    from rebound.wellbeing import templates

    now = min(utcnow(), dt.datetime.combine(today, dt.time(23, 59)))
    start = today - dt.timedelta(weeks=weeks)
    checkins, coping, reflections = [], [], []
    baseline = 6

    def checkin(
        day: dt.date,
        mood: int,
        tones: tuple[str, ...],
        k: tuple[int, int],
        note: str | None = None,
        app: int | None = None,
    ) -> None:
        energy = max(1, min(10, mood + rng.randint(-2, 1)))
        checkins.append(
            {
                "checked_at": _moment(day, rng, now),
                "mood": max(1, min(10, mood)),
                "energy": energy,
                "emotions": _emotions(rng, tones, k),
                "note": note,
                "application_id": app,
            }
        )

    # ordinary weeks: a couple of check-ins and some self-care
    day = start
    while day <= today:
        if rng.random() < 0.3:
            checkin(day, baseline + rng.randint(-1, 2), ("mixed", "lifting"), (1, 2))
        if rng.random() < 0.25:
            coping.append(_coping(rng, day))
        day += dt.timedelta(days=1)

    # after each rejection: a dip, coping, and recovery over a few days
    for day, _company, app_id, _role, stage in store.applications.recent_rejections(start):
        if rng.random() > 0.75:
            continue
        drop = DROP_BY_STAGE.get(stage or "applied", 1) + rng.randint(0, 1)
        checkin(day, baseline - drop, ("hard",), (2, 3), rng.choice(NOTES_HARD), app_id)
        for offset, regained in ((rng.randint(1, 2), (drop + 1) // 2), (rng.randint(3, 6), drop)):
            later = day + dt.timedelta(days=offset)
            if later <= today and rng.random() < 0.8:
                checkin(
                    later, baseline - drop + regained, ("mixed", "lifting"), (1, 2), rng.choice(NOTES_BETTER), app_id
                )
        for _ in range(rng.randint(1, 3)):
            later = day + dt.timedelta(days=rng.randint(0, 4))
            if later <= today:
                coping.append(_coping(rng, later))
        if stage in STAGE_EVENTS and rng.random() < 0.7:
            later = min(today, day + dt.timedelta(days=rng.randint(1, 3)))
            keys = [p.id for p in templates()["after_rejection"].prompts]
            reflections.append(
                {
                    "template": "after_rejection",
                    "day": later,
                    "application_id": app_id,
                    "answers": _answers(rng, "after_rejection", keys),
                    "themes": rng.sample(THEMES_BY_TEMPLATE["after_rejection"], rng.randint(1, 3)),
                }
            )

    for day, _company, app_id, _role, _stage in store.applications.events_since("interview", start):
        if rng.random() < 0.4:
            keys = [p.id for p in templates()["after_interview"].prompts]
            reflections.append(
                {
                    "template": "after_interview",
                    "day": day,
                    "application_id": app_id,
                    "answers": _answers(rng, "after_interview", keys),
                    "themes": rng.sample(THEMES_BY_TEMPLATE["after_interview"], rng.randint(1, 2)),
                }
            )

    sunday = start + dt.timedelta(days=(6 - start.weekday()) % 7)
    while sunday <= today:
        if rng.random() < 0.5:
            keys = [p.id for p in templates()["weekly_review"].prompts]
            reflections.append(
                {
                    "template": "weekly_review",
                    "day": sunday,
                    "answers": _answers(rng, "weekly_review", keys),
                    "themes": rng.sample(THEMES_BY_TEMPLATE["weekly_review"], rng.randint(0, 1)),
                }
            )
        elif rng.random() < 0.3:
            reflections.append(
                {
                    "template": "journal",
                    "day": sunday - dt.timedelta(days=rng.randint(0, 5)),
                    "answers": {"entry": rng.choice(ANSWERS["entry"])},
                    "themes": [],
                }
            )
        sunday += dt.timedelta(days=7)

    reflections = [r for r in reflections if r["day"] <= today]
    return store.account.insert_demo_wellbeing(checkins, coping, reflections)
