"""The user-scoped store: every read and write of Rebound's data goes through one of its repositories.

`Store(db, user_id)` binds one user (rebound.repository.UserScope) and builds each area's
repository over that one scope, as an attribute named after what it holds:

    store.applications       applications and their timelines   rebound/outcomes/repository.py
    store.checkins           mood check-ins                      rebound/wellbeing/checkins.py
    store.coping             coping and self-care                rebound/wellbeing/coping.py
    store.reflections        reflections and the journal         rebound/wellbeing/reflections.py
    store.feedback_requests  feedback requests                   rebound/feedback/requests.py
    store.actions            action items                        rebound/feedback/actions.py
    store.goals              weekly goals and their progress     rebound/momentum/goals.py
    store.activities         activities                          rebound/momentum/activities.py
    store.contacts           contacts and follow-ups             rebound/momentum/contacts.py
    store.wins               wins                                rebound/momentum/wins.py
    store.insights           aggregated reads (Progress, stats)  rebound/insights/repository.py
    store.mail               findings from the user's mail       rebound/mail/repository.py
    store.drafts             unsaved form drafts                 rebound/drafts/repository.py
    store.account            all of it at once: import, export, backup, delete, demo data
                                                                 rebound/account/repository.py
    store.settings           the user's settings                 rebound/repository.py
    store.scope              the shared base: $user bound, cached reads, one-transaction writes
"""

from __future__ import annotations

from rebound.account.repository import AccountRepository
from rebound.db import Database
from rebound.drafts.repository import DraftsRepository
from rebound.feedback.actions import ActionsRepository
from rebound.feedback.requests import FeedbackRequestsRepository
from rebound.insights.repository import InsightsRepository
from rebound.mail.repository import MailRepository
from rebound.momentum.activities import ActivitiesRepository
from rebound.momentum.contacts import ContactsRepository
from rebound.momentum.goals import GoalsRepository
from rebound.momentum.wins import WinsRepository
from rebound.outcomes.repository import ApplicationsRepository
from rebound.repository import SettingsRepository, UserScope
from rebound.wellbeing.checkins import CheckinsRepository
from rebound.wellbeing.coping import CopingRepository
from rebound.wellbeing.reflections import ReflectionsRepository


class Store:
    """One user's data: the areas' repositories over one shared scope."""

    def __init__(self, db: Database, user_id: str):
        self.scope = scope = UserScope(db, user_id)
        self.settings = SettingsRepository(scope)
        self.applications = ApplicationsRepository(scope, self.settings)
        self.checkins = CheckinsRepository(scope)
        self.coping = CopingRepository(scope)
        self.reflections = ReflectionsRepository(scope)
        self.feedback_requests = FeedbackRequestsRepository(scope, self.settings)
        self.actions = ActionsRepository(scope)
        self.goals = GoalsRepository(scope)
        self.activities = ActivitiesRepository(scope)
        self.contacts = ContactsRepository(scope)
        self.wins = WinsRepository(scope, self.settings)
        self.insights = InsightsRepository(scope)
        self.mail = MailRepository(scope, self.settings)
        self.drafts = DraftsRepository(scope)
        self.account = AccountRepository(scope)

    @property
    def db(self) -> Database:
        return self.scope.db

    @property
    def user_id(self) -> str:
        return self.scope.user_id

    @property
    def revision(self) -> int:
        """Changes whenever this user's data changes: the key for cached analytics."""
        return self.scope.revision

    # -- transition only -----------------------------------------------------------------
    # The flat names of the old mixin Store, delegated to their repository while the pages
    # move over (see _FLAT). Deleted once no caller uses them.
    def __getattr__(self, name: str):
        try:
            repo, method = _FLAT[name]
        except KeyError:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}") from None
        return getattr(getattr(self, repo), method)


# old flat name -> (repository attribute, its method)
_FLAT: dict[str, tuple[str, str]] = {
    # the shared base
    "_df": ("scope", "df"), "_records": ("scope", "records"), "_rows": ("scope", "rows"),
    "_one": ("scope", "one"), "_write": ("scope", "write"), "_params": ("scope", "params"),
    # settings
    "setting": ("settings", "get"), "int_setting": ("settings", "get_int"), "set_setting": ("settings", "set"),
    # applications and their timelines
    "add_application": ("applications", "add"), "update_application": ("applications", "update"),
    "delete_application": ("applications", "delete"), "application": ("applications", "get"),
    "application_count": ("applications", "count"), "similar_applications": ("applications", "similar"),
    **{n: ("applications", n) for n in (
        "add_event", "mark_quiet_ghosted", "undo_ghosted", "delete_event", "timeline",
        "next_interview_round", "nudges", "recent_rejections", "events_since")},
    # check-ins, coping, reflections
    "add_checkin": ("checkins", "add"), "update_checkin": ("checkins", "update"),
    "delete_checkin": ("checkins", "delete"), "checkin": ("checkins", "get"),
    "checkin_count": ("checkins", "count"), "mood_weekly": ("checkins", "weekly"),
    "add_coping": ("coping", "add"), "update_coping": ("coping", "update"), "delete_coping": ("coping", "delete"),
    "coping_log": ("coping", "all"), "coping_ratings": ("coping", "ratings"), "social_days": ("coping", "social_days"),
    "coping_weekly": ("coping", "weekly"),
    "add_reflection": ("reflections", "add"), "update_reflection": ("reflections", "update"),
    "delete_reflection": ("reflections", "delete"), "reflection": ("reflections", "get"),
    "reflection_count": ("reflections", "count"),
    **{n: ("reflections", n) for n in ("used_themes", "journal_applications", "journal")},
    # feedback requests and action items
    "feedback_applications": ("feedback_requests", "applications"),
    "feedback_stage_default": ("feedback_requests", "stage_default"),
    "reflection_areas": ("feedback_requests", "reflection_areas"),
    "reflection_applications": ("feedback_requests", "reflection_applications"),
    "save_feedback_request": ("feedback_requests", "save"), "feedback_request": ("feedback_requests", "get"),
    "mark_feedback_sent": ("feedback_requests", "mark_sent"),
    "unmark_feedback_sent": ("feedback_requests", "unmark_sent"),
    "save_feedback_received": ("feedback_requests", "save_received"),
    "close_feedback_request": ("feedback_requests", "close"), "reopen_feedback_request": ("feedback_requests", "reopen"),
    "delete_feedback_request": ("feedback_requests", "delete"),
    "feedback_theme_counts": ("feedback_requests", "theme_counts"),
    "feedback_status_counts": ("feedback_requests", "status_counts"),
    "feedback_nudges": ("feedback_requests", "nudges"),
    "add_action": ("actions", "add"), "add_actions": ("actions", "add_many"), "update_action": ("actions", "update"),
    "set_action_done": ("actions", "set_done"), "delete_action": ("actions", "delete"),
    "open_actions": ("actions", "open"), "due_actions": ("actions", "due"), "action_counts": ("actions", "counts"),
    # goals, activities, contacts, wins
    "add_goal": ("goals", "add"), "update_goal": ("goals", "update"), "goals_for_week": ("goals", "for_week"),
    "tick_goal": ("goals", "tick"), "delete_goal": ("goals", "delete"), "previous_goal_week": ("goals", "previous_week"),
    "carry_forward_goals": ("goals", "carry_forward"), "goal_progress": ("goals", "progress"),
    **{n: ("goals", n) for n in ("momentum_start", "weekly_pressure", "has_momentum_data", "momentum_counts")},
    "add_activity": ("activities", "add"), "delete_activity": ("activities", "delete"),
    "practice_summary": ("activities", "practice_summary"),
    "add_contact": ("contacts", "add"), "update_contact": ("contacts", "update"),
    "mark_contacted": ("contacts", "mark_contacted"), "delete_contact": ("contacts", "delete"),
    "contact_nudges": ("contacts", "nudges"),
    "add_win": ("wins", "add"), "delete_win": ("wins", "delete"),
    "dismiss_win_suggestion": ("wins", "dismiss_suggestion"), "suggested_wins": ("wins", "suggested"),
    # insights
    **{n: ("insights", n) for n in (
        "funnel_path_counts", "application_span", "monthly_channel_mix", "monthly_rejections",
        "monthly_theme_mentions", "theme_tag_days", "role_outcomes", "progress_days", "coping_ratings_by_kind",
        "rejection_recovery", "status_counts", "channel_counts", "weekly_outcomes")},
    # mail
    "mail_statuses": ("mail", "statuses"), "mail_applications": ("mail", "applications"),
    "mail_known": ("mail", "known"), "mail_findings": ("mail", "findings"),
    "mail_pending_counts": ("mail", "pending_counts"), "mail_batch_rejections": ("mail", "batch_rejections"),
    "record_mail_findings": ("mail", "record"), "edit_mail_finding": ("mail", "edit"),
    "dismiss_mail_findings": ("mail", "dismiss"), "confirm_mail_findings": ("mail", "confirm"),
    "confirm_mail_finding": ("mail", "confirm_one"),
    # drafts
    "save_draft": ("drafts", "save"), "delete_draft": ("drafts", "delete"),
    "draft_application_title": ("drafts", "application_title"),
    # all of a user's data at once
    "bulk_insert_demo": ("account", "insert_demo_applications"),
    "bulk_insert_momentum_demo": ("account", "insert_demo_momentum"),
    "bulk_insert_wellbeing": ("account", "insert_demo_wellbeing"),
    **{n: ("account", n) for n in (
        "user_tables", "table_columns", "schema_version", "existing_source_keys", "application_ids_for",
        "existing_checkin_moments", "import_applications", "import_checkins", "export_arrow", "export_rows",
        "row_counts", "stage_history", "calendar_items", "delete_all_data", "demo_application_count",
        "remove_demo_data", "replace_all")},
}
# Old names that are now repository attributes (applications, checkins, feedback_requests, actions,
# activities, contacts, wins, drafts): `store.checkins(...)` calls the repository's `all`
# (Repository.__call__) until the callers say `store.checkins.all(...)`.

__all__ = ["Store"]
