"""Demo feedback: requests for rejections after an interview (some drafted, some sent, some
answered with feedback, themes and action items) and a few self-review action items."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, TypedDict

from rebound import feedback as fb
from rebound.vocab import INTERVIEW_STAGES, sql_in

if TYPE_CHECKING:
    import random

    from rebound.store import Store

# (feedback text, themes) in the voice employers actually use.
FEEDBACK = [
    (
        "Thanks for asking. The team liked your SQL, but in the case study we were hoping for more depth on "
        "how you would validate the results and handle messy data.",
        ["technical depth"],
    ),
    (
        "You came across as friendly and capable. Some of your answers were long and it was hard to see what "
        "you personally did; a clearer structure (situation, action, result) would help.",
        ["communication"],
    ),
    (
        "We went with a candidate who had more experience in the payments domain. Your background is strong, "
        "just a less direct match for this team.",
        ["experience fit"],
    ),
    (
        "The panel felt the role needed someone who had already led projects end to end. Examples of ownership "
        "and influencing stakeholders would have strengthened your application.",
        ["seniority", "communication"],
    ),
    (
        "Your expectations were above the budget for this level. Otherwise the interviews went well.",
        ["salary expectations"],
    ),
    (
        "Good technical answers. You seemed less familiar with our product and the problems we work on; a bit "
        "more research beforehand would have helped.",
        ["preparation"],
    ),
]
CONTACTS = [
    ("Priya Raman", "priya.raman@example.com"),
    ("Jürgen Weiß", "j.weiss@example.com"),
    ("Aoife O'Brien", "aoife@example.com"),
    ("", ""),
    ("Sam Lee", ""),
]
SENDER = "Alex Morgan"


class _ActionItem(TypedDict):
    """An action item for store.actions.add_many."""

    kind: str
    title: str
    due_on: dt.date


def generate(store: Store, rng: random.Random, today: dt.date, weeks: int) -> dict:
    """Run by rebound.demo.generate after the applications exist; returns {name: rows written}."""
    rows = store.scope.rows(
        "SELECT e.application_id, max(e.happened_on) AS day FROM events e WHERE e.user_id = $user"
        f" AND e.kind = 'rejected' AND e.stage IN {sql_in(INTERVIEW_STAGES)} GROUP BY 1 ORDER BY day DESC, 1 DESC LIMIT 12"
    )
    requests = answered = actions = 0
    # What happens to each request, most recent rejection first: the freshest is left for the
    # "send a request" nudge (or stays a draft), then a mix in which about half get an answer.
    plan = ["fresh", "answered", "silent", "answered", "silent", "answered", "silent", "silent"]
    for i, (app_id, rejected_on) in enumerate(rows):
        fate = plan[i] if i < len(plan) else rng.choice(["answered", "silent", "silent"])
        age = (today - rejected_on).days
        if fate == "fresh" and age <= fb.SEND_WITHIN_DAYS:
            continue
        stage = store.feedback_requests.stage_default(app_id)
        areas = store.feedback_requests.reflection_areas(app_id)["areas"] or rng.sample(list(fb.load_bank().areas), 2)
        questions = [q.text for q in fb.default_questions(fb.questions_for(stage, areas), limit=3)]
        name, email = CONTACTS[i % len(CONTACTS)]
        drafted = min(today, rejected_on + dt.timedelta(days=rng.randint(0, 2)))
        req_id = store.feedback_requests.save(
            app_id, stage, rng.choice(["brief", "warm", "formal"]), questions, name, email, SENDER, today=drafted
        )
        requests += 1
        if fate == "fresh":
            continue  # a draft not yet sent
        sent = min(today, drafted + dt.timedelta(days=rng.randint(0, 1)))
        store.feedback_requests.mark_sent(req_id, sent, today=today)
        if fate == "answered" and (today - sent).days >= 2:
            text, themes = FEEDBACK[answered % len(FEEDBACK)]
            answered_on = min(today, sent + dt.timedelta(days=rng.randint(2, 12)))
            store.feedback_requests.save_received(req_id, text, themes, answered_on, today=today)
            answered += 1
            # The most recent feedback's action items are still in progress; older ones were done.
            start = today if answered == 1 else answered_on
            items: list[_ActionItem] = [
                {"kind": s.kind, "title": s.title, "due_on": start + dt.timedelta(days=s.days)}
                for s in fb.suggested_actions(themes)[:2]
            ]
            ids = store.actions.add_many(items, "feedback", req_id)
            actions += len(ids)
            for action_id, item in zip(ids, items):
                if item["due_on"] < today - dt.timedelta(days=3):
                    store.actions.set_done(action_id, True, today=item["due_on"])
        elif (today - sent).days > fb.REMIND_UNTIL_DAYS:
            # Most employers never answer; the user stopped waiting.
            store.feedback_requests.close(req_id, today=sent + dt.timedelta(days=fb.REMIND_UNTIL_DAYS))
    # Self-review: action items exist even when employers stay silent.
    reflection = store.feedback_requests.reflection_areas()
    areas = reflection["areas"] or ["preparation", "communication"]
    items = [
        {"kind": s.kind, "title": s.title, "due_on": today + dt.timedelta(days=s.days)}
        for s in fb.suggested_actions(areas[:1])
    ]
    if items:
        source_id = reflection["reflection_id"]
        actions += len(store.actions.add_many(items, "reflection" if source_id else "manual", source_id))
    return {"feedback_requests": requests, "feedback_answered": answered, "action_items": actions}
