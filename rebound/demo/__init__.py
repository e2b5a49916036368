"""The demo job search: `generate(store, ...)` fills one user with a realistic, seeded search.

One generator per area, run in this order over one random stream (so a seed always gives the
same data): applications and their timelines (outcomes), then goals, activities, contacts and
wins (momentum), check-ins and reflections (wellbeing), feedback requests (feedback). Used by the
app's demo mode and hosted private sessions, `rebound demo`, the tests and benchmarks/bench.py
(its heavy user is PROFILES["heavy"]: `rebound demo --profile heavy --years 3`).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING, TypedDict

from rebound.demo import feedback, momentum, outcomes, wellbeing
from rebound.demo.outcomes import COMPANIES, ROLES

if TYPE_CHECKING:
    from rebound.store import Store

__all__ = ["COMPANIES", "PROFILES", "ROLES", "generate"]


class Profile(TypedDict, total=False):
    """A named search: `generate`'s per_week and follow_ups, and the seed it is drawn with."""

    per_week: tuple[int, int]
    follow_ups: tuple[int, int]
    seed: int


# Named searches. "heavy" is the benchmark's heavy user: 15-24 applications a week with follow-ups.
PROFILES: dict[str, Profile] = {"heavy": {"per_week": (15, 24), "follow_ups": (1, 5), "seed": 2026}}


def generate(
    store: Store,
    weeks: int = 26,
    seed: int = 0,
    today: dt.date | None = None,
    per_week: tuple[int, int] = (3, 9),
    follow_ups: tuple[int, int] = (0, 0),
    replace: bool = False,
) -> dict:
    """Fill the store's user with `weeks` of search ending today; returns {name: rows written}.

    Everything is written in ONE transaction (each area's generator joins it), so a demo killed
    midway leaves nothing behind. `replace`: first delete all of this user's rows, in that same
    transaction (a demo file made again replaces the old demo instead of doubling it).
    `per_week` and `follow_ups` shape the applications (see rebound.demo.outcomes.generate)."""
    rng = random.Random(seed)
    today = today or dt.date.today()
    with store.scope.write():
        if replace:
            store.account.delete_all_data()
        written = outcomes.generate(store, rng, today, weeks, per_week, follow_ups)
        for area in (momentum, wellbeing, feedback):  # these read the applications written above
            written.update(area.generate(store, rng, today, weeks) or {})
        return written
