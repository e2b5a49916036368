"""The user-scoped store: every read and write of Rebound's data goes through one of its repositories.

`Store(db, user_id)` binds one user (rebound.repository.UserScope) and builds each area's
repository over that one scope, as an attribute named after what it holds:

    store.applications       applications and their timelines   rebound/outcomes/repository.py
    store.materials          CV and cover-letter versions        rebound/outcomes/materials.py
    store.checkins           mood check-ins                      rebound/wellbeing/checkins.py
    store.coping             coping and self-care                rebound/wellbeing/coping.py
    store.reflections        reflections and the journal         rebound/wellbeing/reflections.py
    store.confidence         the weekly confidence check (opt-in) rebound/wellbeing/confidence.py
    store.feedback_requests  feedback requests                   rebound/feedback/requests.py
    store.actions            action items                        rebound/feedback/actions.py
    store.goals              weekly goals and their progress     rebound/momentum/goals.py
    store.plans              when-and-where plans                rebound/momentum/plans.py
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
from rebound.momentum.plans import PlansRepository
from rebound.momentum.wins import WinsRepository
from rebound.outcomes.materials import MaterialsRepository
from rebound.outcomes.repository import ApplicationsRepository
from rebound.repository import SettingsRepository, UserScope
from rebound.wellbeing.checkins import CheckinsRepository
from rebound.wellbeing.confidence import ConfidenceRepository
from rebound.wellbeing.coping import CopingRepository
from rebound.wellbeing.reflections import ReflectionsRepository


class Store:
    """One user's data: the areas' repositories over one shared scope."""

    def __init__(self, db: Database, user_id: str) -> None:
        self.scope = scope = UserScope(db, user_id)
        self.settings = SettingsRepository(scope)
        self.applications = ApplicationsRepository(scope, self.settings)
        self.materials = MaterialsRepository(scope)
        self.checkins = CheckinsRepository(scope)
        self.coping = CopingRepository(scope)
        self.reflections = ReflectionsRepository(scope)
        self.confidence = ConfidenceRepository(scope, self.settings)
        self.feedback_requests = FeedbackRequestsRepository(scope, self.settings)
        self.actions = ActionsRepository(scope)
        self.goals = GoalsRepository(scope)
        self.plans = PlansRepository(scope)
        self.activities = ActivitiesRepository(scope)
        self.contacts = ContactsRepository(scope)
        self.wins = WinsRepository(scope, self.settings)
        self.insights = InsightsRepository(scope)
        self.mail = MailRepository(scope, self.settings, self.applications)
        self.drafts = DraftsRepository(scope)
        self.account = AccountRepository(scope, self.applications)

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


__all__ = ["Store"]
