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
    FREQUENCY, SMOOTHING, MET_AT, BURNOUT_APPLICATIONS, BURNOUT_WEEKS, STATUS_MET, STATUS_MISSED,
    STATUS_NO_GOALS, STATUS_IN_PROGRESS, MOMENTUM_COLUMNS, COMPONENT_COLUMNS, metrics, activity_kinds,
    win_kinds, metric_label, interview_questions, reframes, reframe_of_the_day, completion, week_completion,
    smooth, week_status, streaks, momentum_rows, burnout_warning, goal_component_rows, goal_components,
    weekly_momentum_rows, weekly_momentum, summary, stats_extension, week_of,
)
