"""Outcomes: applications and their stage timelines.

rules.py       validation, repeat checks and follow-up/ghosting nudges (pure)
repository.py  ApplicationsRepository (store.applications): applications and their events, and the
               one door every writer of them goes through (add_applications_in, log_events)
status.py      the read model: each application's current status, derived (STATUS_CTE), for
               outcomes and the areas that read statuses

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
    Reapplied,
    ValidationError,
    application_key,
    check_not_repeated,
    normalized,
    nudges_for,
    ordinal,
    reapplied,
    validate_application,
    validate_event,
)
