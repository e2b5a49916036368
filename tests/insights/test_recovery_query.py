"""rejection_recovery against a plain Python reading of its docstring, on generated data.

The query answers "the next application after each rejection" and "the mood around each rejection"
with ASOF joins and window frames instead of range joins; these tests pin that it still gives
exactly what the definition says, ties and edges included.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics

import pytest

from rebound.store import Store

D0 = dt.date(2024, 1, 1)
BASELINE, HORIZON = 30, 60


def _insert(db, user, apps, rejections, checkins) -> dict[int, int]:
    """apps: [(key, applied_on)], rejections: [(app key, day)], checkins: [(moment, mood)]. Returns key -> id."""
    cur = db.cursor()
    ids = {}
    for key, applied in apps:
        ids[key] = cur.execute(
            "INSERT INTO applications (user_id, company, role, channel, applied_on) VALUES (?, ?, 'Analyst', 'referral', ?)"
            " RETURNING id",
            [user, f"Co {key}", applied],
        ).fetchone()[0]
    for key, day in rejections:
        cur.execute(
            "INSERT INTO events (user_id, application_id, kind, happened_on, stage) VALUES (?, ?, 'rejected', ?, ?)",
            [user, ids[key], day, random.Random(key).choice([None, "applied", "screen", "interview"])],
        )
    for moment, mood in checkins:
        cur.execute("INSERT INTO checkins (user_id, checked_at, mood) VALUES (?, ?, ?)", [user, moment, mood])
    return ids


def expected(apps, rejections, checkins, ids) -> list[dict]:
    """The docstring, in Python: one row per rejection, in (day, id) order."""
    applied = {ids[k]: d for k, d in apps}
    days = [(c.date(), m) for c, m in checkins]
    rows = []
    for event_id, (key, day) in enumerate(rejections):
        app_id = ids[key]
        later = [d for i, d in applied.items() if d >= day and i != app_id]
        before = [m for d, m in days if day - dt.timedelta(days=BASELINE) <= d < day]
        after = [(d, m) for d, m in days if day <= d <= day + dt.timedelta(days=HORIZON)]
        baseline = statistics.median(before) if before else None
        back = [d for d, m in after if baseline is not None and m >= baseline]
        rows.append(
            {
                "order": (day, event_id),
                "day": day,
                "days_to_next_application": (min(later) - day).days if later else None,
                "baseline": None if baseline is None else float(baseline),
                "n_baseline": len(before),
                "days_to_baseline": (min(back) - day).days if back else None,
                "low": min(m for _, m in after) if after else None,
                "checkins_after": len(after),
            }
        )
    return [{k: v for k, v in r.items() if k != "order"} for r in sorted(rows, key=lambda r: r["order"])]


def actual(store) -> list[dict]:
    df = store.insights.rejection_recovery(BASELINE, HORIZON)
    out = []
    for r in df.to_dict("records"):
        row = {
            k: r[k]
            for k in (
                "day",
                "days_to_next_application",
                "baseline",
                "n_baseline",
                "days_to_baseline",
                "low",
                "checkins_after",
            )
        }
        row["day"] = row["day"].date() if hasattr(row["day"], "date") else row["day"]
        for k, v in row.items():  # pandas' missing values and numpy scalars -> None and Python numbers
            if v is None or v != v or str(v) == "<NA>":
                row[k] = None
            elif hasattr(v, "item"):
                row[k] = v.item()
        out.append(row)
    return out


def _generated(rng: random.Random, span: int = 400):
    """Dense enough for ties: several applications a day, rejections on application days,
    check-ins clustered so that medians fall on halves and windows hit their edges."""
    apps, rejections, checkins = [], [], []
    for key in range(rng.randint(20, 60)):
        apps.append((key, D0 + dt.timedelta(days=rng.randint(0, span))))
    for key, applied in apps:
        for _ in range(rng.choice([0, 0, 1, 1, 2])):
            # Mostly after applying, sometimes the same day, now and then a (bad) date before it.
            day = applied + dt.timedelta(days=rng.choice([0, rng.randint(1, 40), rng.randint(-5, -1)]))
            rejections.append((key, day))
    for _ in range(rng.randint(0, 120)):
        day = D0 + dt.timedelta(days=rng.randint(-40, span + 70))
        checkins.append((dt.datetime.combine(day, dt.time(rng.randint(0, 23), rng.randint(0, 59))), rng.randint(1, 10)))
    return apps, rejections, checkins


@pytest.mark.parametrize("seed", range(8))
def test_matches_the_definition_on_generated_data(db, seed):
    rng = random.Random(seed)
    apps, rejections, checkins = _generated(rng)
    ids = _insert(db, "local", apps, rejections, checkins)
    # Another user's rows on the same days must change nothing.
    other_apps, other_rej, other_ci = _generated(random.Random(seed + 100))
    _insert(db, "someone-else", [(k + 1000, d) for k, d in other_apps], [(k + 1000, d) for k, d in other_rej], other_ci)
    got = actual(Store(db, "local"))
    assert got == expected(apps, rejections, checkins, ids)
    assert len(got) == len(rejections)


def test_edges_and_ties(db):
    day = D0 + dt.timedelta(days=100)
    at = lambda offset, hour=12: dt.datetime.combine(day + dt.timedelta(days=offset), dt.time(hour))  # noqa: E731
    apps = [
        ("only", day),  # rejected the day it was sent, and the only one that day
        ("next", day + dt.timedelta(days=3)),  # so the next application is this one, 3 days on
        ("pair-a", day + dt.timedelta(days=10)),  # two the same day: rejecting one leaves the other (0 days)
        ("pair-b", day + dt.timedelta(days=10)),
        ("late", day + dt.timedelta(days=500)),  # the last application: its rejection has no next one
    ]
    rejections = [
        ("only", day),
        ("pair-a", day + dt.timedelta(days=10)),
        ("late", day + dt.timedelta(days=501)),
        ("next", day + dt.timedelta(days=3)),
        ("next", day + dt.timedelta(days=3)),
    ]  # the same twice
    checkins = [
        (at(-31), 1),  # outside the baseline window
        (at(-30, 0), 4),  # its first day
        (at(-1, 23), 7),  # its last moment: baseline (4 + 7) / 2 = 5.5
        (at(0, 0), 5),  # the rejection day counts as after, not before; 5 < 5.5
        (at(60, 23), 6),  # the horizon's last day: first back at baseline, 60 days on
        (at(61), 10),  # beyond the horizon
    ]
    ids = _insert(db, "local", apps, rejections, checkins)
    got = actual(Store(db, "local"))
    assert got == expected(apps, rejections, checkins, ids)
    first = got[0]
    assert first["day"] == day and first["days_to_next_application"] == 3
    assert first["baseline"] == 5.5 and first["n_baseline"] == 2
    assert first["days_to_baseline"] == 60 and first["low"] == 5 and first["checkins_after"] == 2
    by_day = {r["day"]: r for r in got}
    assert by_day[day + dt.timedelta(days=10)]["days_to_next_application"] == 0
    assert by_day[day + dt.timedelta(days=501)]["days_to_next_application"] is None
    assert by_day[day + dt.timedelta(days=501)]["baseline"] is None
    assert by_day[day + dt.timedelta(days=501)]["checkins_after"] == 0


def test_no_check_ins_and_no_other_applications(db):
    ids = _insert(db, "local", [("a", D0)], [("a", D0 + dt.timedelta(days=5))], [])
    got = actual(Store(db, "local"))
    assert got == expected([("a", D0)], [("a", D0 + dt.timedelta(days=5))], [], ids)
    assert got[0]["days_to_next_application"] is None and got[0]["checkins_after"] == 0 and got[0]["low"] is None
