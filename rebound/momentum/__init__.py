"""Momentum: weekly goals, activities, contacts and wins, and the momentum they add up to.

rules.py       content, completion, smoothing, streaks, burnout (pure)
fields.py      checks for the fields activities, contacts and wins share (pure)
goals.py       GoalsRepository (store.goals): goals and their progress counted from the logs
activities.py  ActivitiesRepository (store.activities)
contacts.py    ContactsRepository (store.contacts)
wins.py        WinsRepository (store.wins)

The rules' public names are re-exported here, so `from rebound import momentum` reads the rules;
repositories are imported from their modules (rebound.store.Store builds them).
"""

from rebound.momentum.rules import (  # noqa: F401
    BURNOUT_APPLICATIONS,
    BURNOUT_WEEKS,
    COMPONENT_COLUMNS,
    FREQUENCY,
    LIMITS,
    MET_AT,
    MOMENTUM_COLUMNS,
    SMOOTHING,
    STATUS_IN_PROGRESS,
    STATUS_MET,
    STATUS_MISSED,
    STATUS_NO_GOALS,
    activity_kinds,
    burnout_warning,
    completion,
    goal_component_rows,
    goal_components,
    goal_progress_text,
    interview_questions,
    is_hand_ticked,
    is_learning,
    metric_label,
    metrics,
    momentum_rows,
    reframe_of_the_day,
    reframes,
    smooth,
    stats_extension,
    streaks,
    summary,
    week_completion,
    week_of,
    week_status,
    weekly_momentum,
    weekly_momentum_rows,
    win_kinds,
)
