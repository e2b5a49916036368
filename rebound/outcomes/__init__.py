"""Outcomes: applications and their stage timelines.

rules.py       validation, repeat checks and follow-up/ghosting nudges (pure)
repository.py  ApplicationsRepository (store.applications): applications, their events, STATUS_CTE

The rules' public names are re-exported here, so `from rebound import outcomes` reads the rules;
repositories are imported from their modules (rebound.store.Store builds them).
"""

from rebound.outcomes.rules import (  # noqa: F401
    LIMITS,
    MAX_NOTES,
    MAX_SHORT,
    MAX_URL,
    ROUNDS,
    Nudge,
    ValidationError,
    check_not_repeated,
    normalized,
    nudges_for,
    validate_application,
    validate_event,
)
