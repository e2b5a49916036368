"""The user-scoped store: every read and write of Rebound's data goes through it.

Each area adds its methods as a mixin in its own module; `Store` composes them.
"""

from __future__ import annotations

from rebound.store.base import BaseStore
from rebound.store.outcomes import OutcomesStore
from rebound.store.stats import StatsStore
from rebound.store.goals import GoalsStore
from rebound.store.momentum_store import MomentumStore
from rebound.store.analytics_store import AnalyticsStore
from rebound.store.wellbeing import WellbeingStore
from rebound.store.portability import PortabilityStore
from rebound.store.feedback import FeedbackStore
from rebound.store.drafts import DraftsStore
from rebound.store.mail import MailStore


class Store(MailStore, DraftsStore, FeedbackStore, PortabilityStore, WellbeingStore, AnalyticsStore, OutcomesStore, GoalsStore, MomentumStore, StatsStore, BaseStore):
    pass


__all__ = ["Store"]
