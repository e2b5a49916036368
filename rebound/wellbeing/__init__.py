"""Wellbeing: check-ins, coping and self-care, reflections (the journal).

rules.py        content, validation, suggestions, the isolation nudge (pure)
checkins.py     CheckinsRepository (store.checkins)
coping.py       CopingRepository (store.coping)
reflections.py  ReflectionsRepository (store.reflections): reflections and the journal

The rules' public names are re-exported here, so `from rebound import wellbeing` reads the rules;
repositories are imported from their modules (rebound.store.Store builds them).
"""

from rebound.wellbeing.rules import (  # noqa: F401
    MAX_TEXT, MAX_SHORT, MAX_EMOTIONS, MAX_THEMES, MAX_MINUTES, SOCIAL_WINDOW_DAYS, emotions, emotion_names,
    emotion_tone, coping_kinds, coping_label, social_kinds, small_goal_ideas, acknowledgements,
    default_themes, Prompt, Template, humanize, parse_template, templates, template, validate_checkin,
    validate_coping, validate_reflection, utcnow, acknowledgement, Suggestion, PRIOR_MEAN, PRIOR_WEIGHT,
    suggestions, ratings_excluded, IsolationNudge, isolation_nudge, stats_extension,
)
