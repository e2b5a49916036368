"""Wellbeing: check-ins, coping and self-care, reflections (the journal).

rules.py        content, validation, suggestions, the isolation nudge (pure)
checkins.py     CheckinsRepository (store.checkins)
coping.py       CopingRepository (store.coping)
reflections.py  ReflectionsRepository (store.reflections): reflections and the journal

The rules' public names are re-exported here, so `from rebound import wellbeing` reads the rules;
repositories are imported from their modules (rebound.store.Store builds them).
"""

from rebound.wellbeing.rules import (  # noqa: F401
    LIMITS,
    MAX_EMOTIONS,
    MAX_MINUTES,
    MAX_SHORT,
    MAX_TEXT,
    MAX_THEMES,
    PRIOR_MEAN,
    PRIOR_WEIGHT,
    SOCIAL_WINDOW_DAYS,
    IsolationNudge,
    Prompt,
    Suggestion,
    Template,
    acknowledgement,
    acknowledgements,
    coping_kinds,
    coping_label,
    default_themes,
    emotion_names,
    emotion_tone,
    emotions,
    humanize,
    isolation_nudge,
    parse_template,
    ratings_excluded,
    small_goal_ideas,
    social_kinds,
    stats_extension,
    suggestions,
    template,
    templates,
    validate_checkin,
    validate_coping,
    validate_reflection,
)
