"""Feedback: requests to employers (drafted, sent, answered) and the action items they lead to.

rules.py     question banks, composing, validation, nudges (pure)
requests.py  FeedbackRequestsRepository (store.feedback_requests)
actions.py   ActionsRepository (store.actions)

The rules' public names are re-exported here, so `from rebound import feedback` reads the rules;
repositories are imported from their modules (rebound.store.Store builds them).
"""

from rebound.feedback.rules import (  # noqa: F401
    MIN_QUESTIONS, MAX_QUESTIONS, MAX_QUESTION, MAX_NAME, MAX_EMAIL, MAX_SUBJECT, MAX_MESSAGE, MAX_FEEDBACK,
    MAX_THEME, MAX_THEMES, MAX_ACTION_TITLE, MAILTO_SAFE_LENGTH, SEND_WITHIN_DAYS, REMIND_AFTER_DAYS,
    REMIND_UNTIL_DAYS, STATUSES, Stage, Area, Tone, Question, Bank, parse_bank, load_bank, ActionKind,
    SuggestedAction, action_content, action_kinds, suggested_actions, ordered_areas, questions_for,
    default_questions, stage_for_event, areas_from_themes, suggest_themes, EMAIL, clean_email, clean_name,
    clean_questions, clean_themes, clean_feedback, validate_action, Draft, numbered, subject_line, compose,
    crlf, mailto_url, eml_bytes, txt_text, file_stem, days_ago, status_of, FeedbackNudge, feedback_nudges_for,
    stats_extension,
)
