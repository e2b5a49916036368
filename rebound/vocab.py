"""The vocabularies, defined once: stages, statuses, event kinds, channels, what counts as a
response, feedback-request statuses, and the SQL fragments generated from them.

Every other module imports these names (or asks `sql_in` / `sql_rank` for a fragment) instead of
retyping a list; tests/test_vocab.py checks that no module spells a stage list out again.
Plain tuples and dicts, each narrower list cut from the wider one it belongs to (no Streamlit, no
database): the domain, the repositories and the pages all read this.
"""

from __future__ import annotations

import numbers
from collections import Counter
from collections.abc import Iterable, Mapping

from rebound.dates import fmt_date

CHANNELS = (
    "job board",
    "company site",
    "referral",
    "networking",
    "recruiter",
    "informational interview",
    "other",
)

# The stages an application moves through, in funnel order.
PROGRESS_STAGES = ("applied", "screen", "interview", "final", "offer")
CLOSED_STATUSES = ("accepted", "rejected", "withdrawn", "ghosted")
STATUSES = PROGRESS_STAGES + CLOSED_STATUSES
OPEN_STATUSES = PROGRESS_STAGES  # still waiting on something
# Open and not yet past the interviews: silence this long can mean ghosting (an offer waits on you).
GHOSTABLE_STATUSES = PROGRESS_STAGES[:-1]  # applied, screen, interview, final

# Stage events: the application moved on to this stage (a rejection carries its stage separately).
STAGE_EVENTS = PROGRESS_STAGES[1:]  # screen, interview, final, offer
# Event kinds that change the status, and the ones that only mark the timeline.
STATUS_EVENTS = STAGE_EVENTS + CLOSED_STATUSES  # … offer, accepted, rejected, withdrawn, ghosted
MARKER_EVENTS = ("followed_up", "reopened")
EVENT_KINDS = STATUS_EVENTS + MARKER_EVENTS
# Conversations with the employer (what the calendar shows): a screen, an interview, a final round.
MEETING_EVENTS = STAGE_EVENTS[:-1]  # screen, interview, final
# Interviews as counted week by week: interview rounds and final rounds.
INTERVIEW_EVENTS = MEETING_EVENTS[1:]  # interview, final
# A rejection "after an interview" came at one of these stages (the ones feedback is worth asking for).
INTERVIEW_STAGES = PROGRESS_STAGES[2:]  # interview, final, offer

# "Responded", the one meaning everywhere (the funnel, channel and role rates, the weekly responses
# of `rebound stats`, the burnout check's replies): the employer answered — a screen, an interview, a
# final round, an offer or a rejection. Accepting counts too: an offer came first, even when only the
# acceptance was logged (an import of an "accepted" application). Silence (ghosted) and the user's own
# moves (withdrawn, followed up, reopened) are not answers.
RESPONSE_EVENTS = STAGE_EVENTS + ("accepted", "rejected")

# Stages at which a rejection can come.
REJECTION_STAGES = PROGRESS_STAGES

# Stage order for "the furthest stage reached": applied 0, screen 1, interview 2, final 3, offer 4.
STAGE_RANK = {stage: i for i, stage in enumerate(PROGRESS_STAGES)}

# How far an application got on the Sankey and the funnel: 0 applied, 1 screen, 2 interview (a final
# round counts as an interview there), 3 offer; FUNNEL_NODES names the levels.
FUNNEL_LEVEL = {"applied": 0, "screen": 1, "interview": 2, "final": 2, "offer": 3}
FUNNEL_NODES = ("applied", "screen", "interview", "offer")

EVENT_LABELS = {
    "applied": "Applied",
    "screen": "Screen",
    "interview": "Interview",
    "final": "Final round",
    "offer": "Offer",
    "accepted": "Accepted",
    "rejected": "Rejected",
    "withdrawn": "Withdrawn",
    "ghosted": "Ghosted",
    "reopened": "Reopened",
    "followed_up": "Followed up",
}

STATUS_ICONS = {
    "applied": "📨",
    "screen": "📞",
    "interview": "🗣️",
    "final": "🏁",
    "offer": "🎉",
    "accepted": "🤝",
    "rejected": "🌧️",
    "withdrawn": "↩️",
    "ghosted": "👻",
}

# A feedback request's status follows from its dates, the first of these that is set deciding;
# with none set it is "drafted". `feedback_status` (Python) and `feedback_status_sql` (SQL) both
# read this one table.
FEEDBACK_STATUS_BY_DATE = (("answered_on", "answered"), ("closed_on", "no answer"), ("sent_on", "sent"))
FEEDBACK_DRAFTED = "drafted"
FEEDBACK_STATUSES = ("drafted", "sent", "answered", "no answer")

DEFAULT_SETTINGS = {
    "follow_up_after_days": "7",
    "ghost_after_days": "21",
}


_SENTENCE_END = (".", "!", "?")


def fill(template: str, **values: str) -> str:
    """The template with the values substituted, never doubling a sentence's full stop.

    A value that already ends a sentence ("Acme, Inc.", "Yahoo!") swallows the template's own
    "." right after its placeholder: "Acme, Inc." not "Acme, Inc..". The values are substituted,
    never parsed as a template.
    """
    for key, value in values.items():
        if value.rstrip().endswith(_SENTENCE_END):
            template = template.replace("{" + key + "}.", "{" + key + "}")
    return template.format(**values)


def application_label(company: object, role: object, applied_on: object = None, status: object = None) -> str:
    """How an application is named in pickers and lists: 'Acme — Analyst', with the date it was
    sent and its status when given: 'Acme — Analyst · applied 3 Jan 2026 · Rejected'. '' without a
    company (an entry about no application). Plain text: select options do not render Markdown."""
    if company is None or (isinstance(company, float) and company != company):  # None or NaN
        return ""
    parts = [f"{company} — {role}"]
    day = fmt_date(applied_on) if applied_on is not None else ""
    if day:
        parts.append(f"applied {day}")
    if isinstance(status, str) and status:
        parts.append(EVENT_LABELS.get(status, status))
    return " · ".join(parts)


def application_labels(rows: Iterable[tuple[int, object, object, object, object]]) -> dict[int, str]:
    """{id: label} for (id, company, role, applied_on, status) rows, in their order: the ONE labelling
    of every application picker. Labels are unique: a select box sends the label it shows and maps it
    back to the LAST option with that label, so two alike (the same company, role, day and status,
    as imports make) would silently pick the wrong application; a repeat gets its number ('· #42')."""
    return unique_labels({int(i): application_label(c, r, a, s) for i, c, r, a, s in rows})


def unique_labels(labels: Mapping[int, str]) -> dict[int, str]:
    """{id: label} with every repeated label told apart by its record's number ('… · #42'): what a
    select box shows must name one record (see application_labels)."""
    counts = Counter(labels.values())
    return {i: f"{label} · #{i}" if counts[label] > 1 else label for i, label in labels.items()}


def event_label(kind: str, round: object = None, stage: object = None, reason: object = None) -> str:
    """How a timeline event reads, on the Outcomes timeline and in the exports:
    'Interview (round 2)', 'Rejected (at final round; more experience needed)'."""
    label = EVENT_LABELS.get(kind, kind)
    if kind == "interview" and isinstance(round, numbers.Real) and round == round:  # a number (numpy too), not NaN/NA
        label += f" (round {int(float(round))})"  # float(): every Real has it; int() of a Real is untyped
    if kind == "rejected":
        extra = [
            f"at {EVENT_LABELS.get(stage, stage).lower()}" if isinstance(stage, str) and stage else "",
            reason if isinstance(reason, str) else "",
        ]
        extra = [e for e in extra if e]
        if extra:
            label += " (" + "; ".join(extra) + ")"
    return label


def feedback_status(sent_on: object = None, answered_on: object = None, closed_on: object = None) -> str:
    """drafted, sent, answered or no answer, from a request's dates."""
    dates = {"sent_on": sent_on, "answered_on": answered_on, "closed_on": closed_on}
    return next((status for column, status in FEEDBACK_STATUS_BY_DATE if dates[column] is not None), FEEDBACK_DRAFTED)


# -- SQL fragments -------------------------------------------------------------------
def sql_literal(value: str) -> str:
    """A vocabulary word as a SQL string literal (the words are ours, never user text)."""
    return "'" + str(value).replace("'", "''") + "'"


def sql_in(values: Iterable[str]) -> str:
    """ "('screen', 'interview', …)": the right-hand side of an IN test over a vocabulary."""
    return "(" + ", ".join(sql_literal(v) for v in values) + ")"


def sql_array(values: Iterable[str]) -> str:
    """ "['applied', 'screen', …]": a vocabulary as a SQL list literal (indexed from 1)."""
    return "[" + ", ".join(sql_literal(v) for v in values) + "]"


def sql_rank(column: str, ranks: Mapping[str, int], default: int = 0) -> str:
    """CASE column WHEN 'screen' THEN 1 … ELSE default END, from a {word: number} mapping."""
    whens = " ".join(f"WHEN {sql_literal(k)} THEN {int(v)}" for k, v in ranks.items() if v != default)
    return f"CASE {column} {whens} ELSE {int(default)} END"


def sql_stage(column: str) -> str:
    """The stage a rejection came at, with anything else (NULL, unknown) read as 'applied'."""
    return f"CASE WHEN {column} IN {sql_in(STAGE_EVENTS)} THEN {column} ELSE 'applied' END"


def feedback_status_sql(alias: str = "") -> str:
    """The SQL expression for a feedback request's status (columns prefixed with `alias.`)."""
    prefix = f"{alias}." if alias else ""
    whens = " ".join(
        f"WHEN {prefix}{column} IS NOT NULL THEN {sql_literal(status)}" for column, status in FEEDBACK_STATUS_BY_DATE
    )
    return f"CASE {whens} ELSE {sql_literal(FEEDBACK_DRAFTED)} END"
